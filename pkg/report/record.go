package report

import (
	"encoding/json"
	"runtime/debug"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// SchemaVersion is the value of the header's "schema" field.
const SchemaVersion = "photoscrub-report/1"

// Record types, the value of every line's "type" field.
const (
	TypeHeader  = "header"
	TypeFile    = "file"
	TypeSummary = "summary"
)

// Status is what happened to one file.
type Status string

// The file statuses.
const (
	// StatusClean: no finding; the file was not touched.
	StatusClean Status = "clean"
	// StatusScrubbed: findings were removed and the output verified.
	StatusScrubbed Status = "scrubbed"
	// StatusWouldScrub: findings exist; scan or dry run, nothing written.
	StatusWouldScrub Status = "would-scrub"
	// StatusUnsupported: the format cannot be cleaned (fail closed).
	StatusUnsupported Status = "unsupported"
	// StatusSkipped: deliberately not processed (see Reason).
	StatusSkipped Status = "skipped"
	// StatusFailed: processing failed; the original is untouched.
	StatusFailed Status = "failed"
)

// Statuses lists every status in report order.
var Statuses = []Status{StatusClean, StatusScrubbed, StatusWouldScrub, StatusUnsupported, StatusSkipped, StatusFailed}

// Reason is a fixed class explaining a skipped, unsupported or failed file.
// It is never free text, so it can never carry a metadata value.
type Reason string

// The reasons. Files with status skipped, unsupported or failed must carry
// one; other statuses must not.
const (
	ReasonSymlink           Reason = "symlink"            // a symbolic link (never followed)
	ReasonNotRegular        Reason = "not-regular"        // FIFO, socket, device, directory
	ReasonHardlinked        Reason = "hardlinked"         // nlink > 1 and the policy refuses
	ReasonReadOnly          Reason = "read-only"          // not writable and not forced
	ReasonDuplicate         Reason = "duplicate"          // same file already processed
	ReasonTooLarge          Reason = "too-large"          // over the size or pixel limit
	ReasonChanged           Reason = "changed"            // modified while being processed
	ReasonPermission        Reason = "permission"         // access denied
	ReasonIO                Reason = "io"                 // read or write error
	ReasonNoSpace           Reason = "no-space"           // ENOSPC or quota
	ReasonParse             Reason = "parse"              // the container could not be walked
	ReasonVerify            Reason = "verify"             // the output failed verification
	ReasonTimeout           Reason = "timeout"            // the per-file deadline passed
	ReasonPanic             Reason = "panic"              // a recovered crash
	ReasonInterrupted       Reason = "interrupted"        // the run was interrupted
	ReasonUnsupportedFormat Reason = "unsupported-format" // a format photoscrub cannot clean
	ReasonNotImage          Reason = "not-image"          // not an image file (by content and name)
	ReasonExists            Reason = "exists"             // the output file already exists (--out)
	ReasonDecode            Reason = "decode"             // pixels do not decode (re-encode mode)
	ReasonStaleTemp         Reason = "stale-temp"         // a temp file left by an earlier, killed run
	ReasonOutsideRoot       Reason = "outside-root"       // a listed path that leaves its root (--files-from)
	ReasonUnauthorized      Reason = "unauthorized"       // serve: missing or wrong bearer token
	ReasonOverloaded        Reason = "overloaded"         // serve: the bounded queue was full
	ReasonBadRequest        Reason = "bad-request"        // serve: a request photoscrub cannot act on (parameters, method)
)

var reasons = []Reason{ReasonSymlink, ReasonNotRegular, ReasonHardlinked, ReasonReadOnly,
	ReasonDuplicate, ReasonTooLarge, ReasonChanged, ReasonPermission, ReasonIO, ReasonNoSpace,
	ReasonParse, ReasonVerify, ReasonTimeout, ReasonPanic, ReasonInterrupted, ReasonUnsupportedFormat,
	ReasonNotImage, ReasonExists, ReasonDecode, ReasonStaleTemp, ReasonOutsideRoot,
	ReasonUnauthorized, ReasonOverloaded, ReasonBadRequest}

// Verification values of File.Verification.
const (
	VerifyPassed = "passed"
	VerifyFailed = "failed"
	VerifyNotRun = "not-run"
)

// Tool names the program that wrote a report.
type Tool struct {
	Name     string `json:"name"`
	Version  string `json:"version"`
	Revision string `json:"revision"`
}

// Keep is the keep policy as recorded in the header.
type Keep struct {
	Orientation bool `json:"orientation"`
	ICC         bool `json:"icc"`
}

// Settings is the effective configuration of a run, recorded in the header
// under "options". Mode is "lossless" or "reencode"; Output is
// "report-only", "out-dir" or "in-place". RedactPaths and Signed are set by
// the Writer from its Options, whatever the caller put there.
type Settings struct {
	Mode               string   `json:"mode"`
	Output             string   `json:"output"`
	InPlace            bool     `json:"in_place"`
	OutDir             string   `json:"out_dir"`
	Quality            int      `json:"quality"`
	MaxDimension       int      `json:"max_dimension"`
	MaxPixels          int64    `json:"max_pixels"`
	Jobs               int      `json:"jobs"`
	DryRun             bool     `json:"dry_run"`
	Exclude            []string `json:"exclude"`
	Keep               Keep     `json:"keep"`
	Hardlinks          string   `json:"hardlinks"`
	Force              bool     `json:"force"`
	FileTimeoutSeconds float64  `json:"file_timeout_seconds"`
	MaxFileSize        int64    `json:"max_file_size"`
	RedactPaths        bool     `json:"redact_paths"`
	Signed             bool     `json:"signed"`
	// Shard is "I/N" when the run processed one shard of its input.
	Shard string `json:"shard,omitempty"`
	// FilesFrom is set when the input was a list of files, not a walk.
	FilesFrom bool `json:"files_from,omitempty"`
	// Overwrite is set when a scrub --out may replace differing outputs.
	Overwrite bool `json:"overwrite,omitempty"`
	// Format, Fit and Coefficients are the re-encode choices: the output
	// format (--format, "" keeps each input's), the exact output size
	// (--fit, "WxH") and the coefficient-domain JPEG path (--coefficients).
	Format       string `json:"format,omitempty"`
	Fit          string `json:"fit,omitempty"`
	Coefficients bool   `json:"coefficients,omitempty"`

	// scrubFields is set when a report-only header was read with the
	// scrub settings present (reports written before scans left them
	// out), so that it marshals back to the same bytes.
	scrubFields bool
}

// HasScrubSettings reports whether the scrub settings (in_place, out_dir,
// quality, max_dimension, dry_run, keep, hardlinks, force) are written
// when s is marshalled: a scan ("report-only") records scan settings only.
func (s Settings) HasScrubSettings() bool { return s.Output != "report-only" || s.scrubFields }

// settingsJSON is Settings without its JSON methods (its fields and tags
// give the order a scrub header is written in).
type settingsJSON Settings

// scanSettingsJSON is what a scan records: settingsJSON without the scrub
// settings.
type scanSettingsJSON struct {
	Mode               string   `json:"mode"`
	Output             string   `json:"output"`
	MaxPixels          int64    `json:"max_pixels"`
	Jobs               int      `json:"jobs"`
	Exclude            []string `json:"exclude"`
	FileTimeoutSeconds float64  `json:"file_timeout_seconds"`
	MaxFileSize        int64    `json:"max_file_size"`
	RedactPaths        bool     `json:"redact_paths"`
	Signed             bool     `json:"signed"`
	Shard              string   `json:"shard,omitempty"`
	FilesFrom          bool     `json:"files_from,omitempty"`
}

// MarshalJSON writes the scrub settings only for scrubs (and for older
// scan headers that had them).
func (s Settings) MarshalJSON() ([]byte, error) {
	if s.HasScrubSettings() {
		return json.Marshal(settingsJSON(s))
	}
	return json.Marshal(scanSettingsJSON{s.Mode, s.Output, s.MaxPixels, s.Jobs, s.Exclude,
		s.FileTimeoutSeconds, s.MaxFileSize, s.RedactPaths, s.Signed, s.Shard, s.FilesFrom})
}

// UnmarshalJSON reads both forms and remembers which one it read.
func (s *Settings) UnmarshalJSON(b []byte) error {
	var j settingsJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	var probe struct {
		Quality *json.RawMessage `json:"quality"`
	}
	_ = json.Unmarshal(b, &probe)
	*s = Settings(j)
	s.scrubFields = j.Output == "report-only" && probe.Quality != nil
	return nil
}

// Header is the first line of a report. The Writer fills Type, Seq, Prev
// and Schema, and RunID, Tool and Start when they are empty.
type Header struct {
	Type     string   `json:"type"`
	Seq      int64    `json:"seq"`
	Prev     string   `json:"prev"`
	Schema   string   `json:"schema"`
	RunID    string   `json:"run_id"`
	Tool     Tool     `json:"tool"`
	Command  string   `json:"command"` // "scan", "scrub", "merge", "serve" or "watch"
	Options  Settings `json:"options"`
	Start    string   `json:"start"` // UTC, RFC 3339 with nanoseconds
	Operator string   `json:"operator"`
	Purpose  string   `json:"purpose"`
	Roots    []string `json:"roots"`
	// Merged lists the run IDs of the reports a merged report combines.
	Merged []string `json:"merged,omitempty"`
	// PrevReport, in a rotated series (serve, watch), is the chain head of
	// the previous file of the series: its seal's hash, or the hash of its
	// last intact line when it was never sealed. Empty for the first file
	// and for reports that are not part of a series.
	PrevReport string `json:"prev_report,omitempty"`
}

// File is the record of one file, written in walk order. Findings and
// Removed hold category, place and tag names only (see meta.Finding);
// Warnings and Error are photoscrub's own wording, never a value read from
// the file. Paths are relative to Roots[Root] in the header.
type File struct {
	Type         string         `json:"type"`
	Seq          int64          `json:"seq"`
	Prev         string         `json:"prev"`
	Path         string         `json:"path"`
	Root         int            `json:"root"`
	Format       string         `json:"format"`
	FormatNote   string         `json:"format_note,omitempty"`
	Status       Status         `json:"status"`
	Reason       Reason         `json:"reason,omitempty"`
	Findings     []meta.Finding `json:"findings"`
	Removed      []meta.Finding `json:"removed"`
	SizeBefore   int64          `json:"size_before"`
	SizeAfter    int64          `json:"size_after"`
	SHA256Before string         `json:"sha256_before"`
	SHA256After  string         `json:"sha256_after"`
	Method       string         `json:"method,omitempty"` // "lossless" or "reencode"
	Verification string         `json:"verification"`     // "passed", "failed" or "not-run"
	Preserved    []string       `json:"preserved"`
	Warnings     []string       `json:"warnings"`
	Error        string         `json:"error,omitempty"`
	DurationMS   float64        `json:"duration_ms"`
	// Client is the name of the authenticated client of a serve request
	// (from --token-file), never the token; empty otherwise.
	Client string `json:"client,omitempty"`
}

// StatusCounts counts files per status.
type StatusCounts struct {
	Clean       int64 `json:"clean"`
	Scrubbed    int64 `json:"scrubbed"`
	WouldScrub  int64 `json:"would_scrub"`
	Unsupported int64 `json:"unsupported"`
	Skipped     int64 `json:"skipped"`
	Failed      int64 `json:"failed"`
}

// CategoryCounts counts files with at least one finding of each category.
type CategoryCounts struct {
	Location int64 `json:"location"`
	Identity int64 `json:"identity"`
	Embedded int64 `json:"embedded"`
	Comment  int64 `json:"comment"`
	Other    int64 `json:"other"`
	Unparsed int64 `json:"unparsed"`
}

// Summary is the last line of a report, the seal. The Writer computes every
// field except ExitCode and Interrupted (and End when empty).
type Summary struct {
	Type        string         `json:"type"`
	Seq         int64          `json:"seq"`
	Prev        string         `json:"prev"`
	Files       int64          `json:"files"`
	Status      StatusCounts   `json:"status"`
	Categories  CategoryCounts `json:"categories"`
	ExitCode    int            `json:"exit_code"`
	Interrupted bool           `json:"interrupted"`
	End         string         `json:"end"`
	Records     int64          `json:"records"`
	// Residual counts the files that still hold location or identity
	// metadata after the run (see IsResidual). The Writer always writes it;
	// reports written before it existed have none (nil), and Verify checks
	// it only when present.
	Residual  *int64 `json:"residual,omitempty"`
	Signature string `json:"signature,omitempty"`
}

// IsResidual reports whether the file still holds location or identity
// metadata after the run: it has a finding of either category and was
// neither scrubbed nor left clean (a scan or dry run, an unsupported or
// raw format, a failure, or a skip such as a read-only or hard-linked
// file). It depends on the record alone, so the seal's count can be
// recomputed by anyone.
func IsResidual(f *File) bool {
	if f.Status == StatusScrubbed || f.Status == StatusClean {
		return false
	}
	for _, fd := range f.Findings {
		if fd.Category == meta.Location || fd.Category == meta.Identity {
			return true
		}
	}
	return false
}

// counter accumulates seal counts from file records.
type counter struct {
	files    int64
	st       StatusCounts
	cat      CategoryCounts
	residual int64
}

func (c *counter) add(f *File) {
	c.files++
	if IsResidual(f) {
		c.residual++
	}
	switch f.Status {
	case StatusClean:
		c.st.Clean++
	case StatusScrubbed:
		c.st.Scrubbed++
	case StatusWouldScrub:
		c.st.WouldScrub++
	case StatusUnsupported:
		c.st.Unsupported++
	case StatusSkipped:
		c.st.Skipped++
	case StatusFailed:
		c.st.Failed++
	}
	var seen [6]bool
	for _, fd := range f.Findings {
		for i, c := range meta.Categories {
			if fd.Category == c {
				seen[i] = true
			}
		}
	}
	for i, p := range []*int64{&c.cat.Location, &c.cat.Identity, &c.cat.Embedded, &c.cat.Comment, &c.cat.Other, &c.cat.Unparsed} {
		if seen[i] {
			*p++
		}
	}
}

// maxText bounds every free-text string we write (warnings, errors, notes).
const maxText = 256

// maxList bounds warnings and preserved lists.
const maxList = 64

// cleanText returns s with invalid UTF-8 and every non-printable rune
// (control characters, including newlines, and format characters such as
// bidi overrides) replaced by '?', cut to max bytes on a rune boundary.
func cleanText(s string, max int) string {
	var b strings.Builder
	for _, r := range s {
		if r == utf8.RuneError || !unicode.IsPrint(r) && r != ' ' {
			r = '?'
		}
		if b.Len()+utf8.RuneLen(r) > max {
			break
		}
		b.WriteRune(r)
	}
	return b.String()
}

func cleanList(l []string, max int) []string {
	out := make([]string, 0, min(len(l), maxList))
	for i, s := range l {
		if i == maxList {
			out = append(out, "(more warnings not recorded)")
			break
		}
		out = append(out, cleanText(s, max))
	}
	return out
}

func cleanFindings(l []meta.Finding) []meta.Finding {
	out := make([]meta.Finding, 0, len(l))
	for _, f := range l {
		tags := make([]string, 0, len(f.Tags))
		for _, t := range f.Tags {
			tags = append(tags, cleanText(t, maxText))
		}
		out = append(out, meta.Finding{Category: f.Category, Where: cleanText(f.Where, maxText), Tags: tags})
	}
	return out
}

// pathText makes a path valid UTF-8: each byte of an invalid sequence is
// written as the four characters \xNN. Control characters stay (JSON
// escapes them).
func pathText(p string) string {
	if utf8.ValidString(p) {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRuneInString(p[i:])
		if r == utf8.RuneError && n <= 1 {
			b.WriteString(`\x`)
			b.WriteByte("0123456789abcdef"[p[i]>>4])
			b.WriteByte("0123456789abcdef"[p[i]&15])
			i++
			continue
		}
		b.WriteString(p[i : i+n])
		i += n
	}
	return b.String()
}

// buildTool reads the program's version and VCS revision from the build
// information embedded by the Go toolchain.
func buildTool() Tool { return CurrentTool("") }

// CurrentTool describes the running binary: version (the module version Go
// stamped, or release when it is "(devel)" and release is not empty) and
// VCS revision ("+dirty" for uncommitted changes, "unknown" without VCS
// information).
func CurrentTool(release string) Tool {
	t := Tool{Name: "photoscrub", Version: "(devel)", Revision: "unknown"}
	if release != "" {
		t.Version = release
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return t
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		t.Version = v
	}
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			t.Revision = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if modified && t.Revision != "unknown" {
		t.Revision += "+dirty"
	}
	return t
}
