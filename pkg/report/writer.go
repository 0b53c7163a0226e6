package report

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"syscall"
	"time"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Options configures a Writer.
type Options struct {
	// SignKey, when set, signs the seal (see docs/report.md, "Signature").
	SignKey ed25519.PrivateKey
	// RedactKey, when set (at least 16 bytes), replaces every path, root,
	// out_dir and exclude pattern by "hmac:" and the first 32 hex digits of
	// HMAC-SHA256(RedactKey, kind || 0x00 || uint32be(index) || text), where
	// kind is "path" (index = root index), "root", "out-dir" or "exclude"
	// (index = position). The key is never written anywhere.
	RedactKey []byte
	// CSV, when set, receives every file record as a CSV row as well, after
	// redaction (see CSVWriter). It is flushed by Close.
	CSV io.Writer
}

const (
	syncEveryRecords = 64
	syncInterval     = 2 * time.Second
)

// Writer writes one report: the header, file records in the order given,
// and the seal. It is not safe for concurrent use: the pipeline's single
// report goroutine owns it.
//
// Any write or sync error is sticky and returned by every later call; the
// caller must treat it as fatal to the run.
type Writer struct {
	w        io.Writer
	file     *os.File // owned, when made by Create
	opts     Options
	nroots   int
	runID    string
	seq      int64
	prev     string
	count    counter
	csv      *CSVWriter
	unsynced int
	lastSync time.Time
	err      error
	closed   bool
}

var (
	hex32    = regexp.MustCompile(`^[0-9a-f]{32}$`)
	hex64    = regexp.MustCompile(`^([0-9a-f]{64})?$`)
	formatRE = regexp.MustCompile(`^[a-z0-9-]{1,16}$`)
)

// NewWriter validates h, completes it (see Header) and writes it to w as the
// first line. When w has a Sync method (an *os.File), the Writer calls it
// after the header, every 64 file records or 2 seconds, and after the seal.
func NewWriter(w io.Writer, h Header, opts Options) (*Writer, error) {
	return newWriter(w, h, opts, false)
}

// newWriter is NewWriter; verbatim keeps h.Options.RedactPaths and writes
// roots, out_dir and exclude as given (Merge copies them from reports).
func newWriter(w io.Writer, h Header, opts Options, verbatim bool) (*Writer, error) {
	if verbatim && opts.RedactKey != nil {
		return nil, errors.New("report: a merged report copies paths as they are; no redaction key")
	}
	if opts.SignKey != nil && len(opts.SignKey) != ed25519.PrivateKeySize {
		return nil, errors.New("report: signing key is not an Ed25519 private key")
	}
	if opts.RedactKey != nil && len(opts.RedactKey) < 16 {
		return nil, errors.New("report: redaction key shorter than 16 bytes")
	}
	switch h.Command {
	case "scan", "scrub", "merge", "serve", "watch":
	default:
		return nil, fmt.Errorf("report: command %q is not scan, scrub, merge, serve or watch", cleanText(h.Command, 32))
	}
	if h.Options.Mode != "lossless" && h.Options.Mode != "reencode" {
		return nil, fmt.Errorf("report: mode %q is not lossless or reencode", cleanText(h.Options.Mode, 32))
	}
	switch h.Options.Output {
	case "report-only", "out-dir", "in-place", "response":
	default:
		return nil, fmt.Errorf("report: output %q is not report-only, out-dir, in-place or response", cleanText(h.Options.Output, 32))
	}
	if h.RunID == "" {
		var b [16]byte
		rand.Read(b[:])
		h.RunID = hex.EncodeToString(b[:])
	} else if !hex32.MatchString(h.RunID) {
		return nil, errors.New("report: run ID is not 32 lowercase hex digits")
	}
	if h.Tool == (Tool{}) {
		h.Tool = buildTool()
	}
	start, err := utcTime(h.Start)
	if err != nil {
		return nil, errors.New("report: start is not an RFC 3339 time")
	}
	h.Start = start
	h.Type, h.Seq, h.Prev, h.Schema = TypeHeader, 0, genesis(h.RunID), SchemaVersion
	h.Tool = Tool{cleanText(h.Tool.Name, 64), cleanText(h.Tool.Version, 128), cleanText(h.Tool.Revision, 128)}
	h.Operator, h.Purpose = cleanText(h.Operator, maxText), cleanText(h.Purpose, maxText)
	h.Options.Signed = opts.SignKey != nil
	if !verbatim {
		h.Options.RedactPaths = opts.RedactKey != nil
	}
	h.Options.Hardlinks = cleanText(h.Options.Hardlinks, 32)
	h.Roots = slices.Clone(h.Roots)
	h.Options.Exclude = slices.Clone(h.Options.Exclude)
	h.Merged = slices.Clone(h.Merged)
	if h.Roots == nil {
		h.Roots = []string{}
	}
	if h.Options.Exclude == nil {
		h.Options.Exclude = []string{}
	}
	for _, id := range h.Merged {
		if !hex32.MatchString(id) {
			return nil, errors.New("report: merged run ID is not 32 lowercase hex digits")
		}
	}
	rw := &Writer{w: w, opts: opts, nroots: len(h.Roots), runID: h.RunID, prev: h.Prev, lastSync: time.Now()}
	for i, r := range h.Roots {
		h.Roots[i] = rw.redact("root", i, r)
	}
	for i, x := range h.Options.Exclude {
		h.Options.Exclude[i] = rw.redact("exclude", i, x)
	}
	if h.Options.OutDir != "" {
		h.Options.OutDir = rw.redact("out-dir", 0, h.Options.OutDir)
	}
	if opts.CSV != nil {
		rw.csv = NewCSV(opts.CSV)
	}
	if err := rw.emit(&h); err != nil {
		return nil, err
	}
	if err := rw.sync(); err != nil {
		return nil, err
	}
	return rw, nil
}

// Create creates the report file at path (O_CREATE|O_EXCL, mode 0600; an
// existing file is never overwritten) and writes the header as NewWriter
// does. The Writer owns the file and closes it in Close.
func Create(path string, h Header, opts Options) (*Writer, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("report: %s already exists; a report is never overwritten", path)
		}
		return nil, fmt.Errorf("report: %w", err)
	}
	w, err := NewWriter(f, h, opts)
	if err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	w.file = f
	// Make the new directory entry durable too; best effort on systems
	// where directories cannot be synced.
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return w, nil
}

// RunID returns the run ID written in the header.
func (w *Writer) RunID() string { return w.runID }

// WriteFile appends the record of one file. It fills Type, Seq and Prev,
// redacts the path when a RedactKey is set, replaces control characters in
// warnings, errors, notes and finding names by '?' and bounds their length.
// *f is not modified. An invalid record (unknown status, reason, method,
// verification or category; a reason missing or present against the status;
// a malformed hash) is refused with an error and nothing is written.
func (w *Writer) WriteFile(f *File) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("report: write after Close")
	}
	r, err := w.prepare(f)
	if err != nil {
		return err
	}
	if err := w.emit(r); err != nil {
		return err
	}
	w.count.add(r)
	if w.csv != nil {
		if err := w.csv.WriteFile(r); err != nil {
			w.err = fmt.Errorf("report: csv: %w", err)
			return w.err
		}
	}
	w.unsynced++
	if w.unsynced >= syncEveryRecords || time.Since(w.lastSync) >= syncInterval {
		return w.sync()
	}
	return nil
}

func (w *Writer) prepare(f *File) (*File, error) {
	r := *f
	if r.Verification == "" {
		r.Verification = VerifyNotRun
	}
	if r.Format == "" {
		r.Format = "unknown"
	}
	if err := validateFile(&r, w.nroots); err != nil {
		return nil, err
	}
	r.Path = w.redact("path", r.Root, r.Path)
	r.FormatNote = cleanTextFast(r.FormatNote, maxText)
	r.Error = cleanTextFast(r.Error, maxText)
	r.Findings = cleanFindingsFast(r.Findings)
	r.Removed = cleanFindingsFast(r.Removed)
	r.Warnings = cleanListFast(r.Warnings, maxText)
	r.Preserved = cleanListFast(r.Preserved, 32)
	if math.IsNaN(r.DurationMS) || r.DurationMS < 0 {
		r.DurationMS = 0
	}
	r.DurationMS = min(r.DurationMS, 1e12)
	r.DurationMS = math.Round(r.DurationMS*1000) / 1000
	r.Type, r.Seq, r.Prev = TypeFile, w.seq, w.prev
	return &r, nil
}

// Close writes the seal, syncs and (for Create) closes the file, and returns
// the chain head: the hex SHA-256 of the seal line. Of s only ExitCode,
// Interrupted and End (UTC RFC 3339; now when empty) are used; the counts
// (residual included) are computed from the records written. Print the head for the operator
// to keep out of band. Close may be called once.
func (w *Writer) Close(s Summary) (head string, err error) {
	if w.closed {
		return "", errors.New("report: Close called twice")
	}
	w.closed = true
	defer func() {
		if w.file != nil {
			if cerr := w.file.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("report: %w", cerr)
			}
		}
	}()
	if w.err != nil {
		return "", w.err
	}
	end, err := utcTime(s.End)
	if err != nil {
		return "", errors.New("report: end is not an RFC 3339 time")
	}
	s.End = end
	s.Type, s.Seq, s.Prev, s.Records = TypeSummary, w.seq, w.prev, w.seq
	s.Files, s.Status, s.Categories = w.count.files, w.count.st, w.count.cat
	residual := w.count.residual
	s.Residual = &residual
	s.Signature = ""
	if w.opts.SignKey != nil {
		unsigned, err := json.Marshal(&s)
		if err != nil {
			return "", fmt.Errorf("report: %w", err)
		}
		s.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(w.opts.SignKey, sealMessage(unsigned)))
	}
	if err := w.emit(&s); err != nil {
		return "", err
	}
	if w.csv != nil {
		if err := w.csv.Flush(); err != nil {
			return "", fmt.Errorf("report: csv: %w", err)
		}
	}
	if err := w.sync(); err != nil {
		return "", err
	}
	return w.prev, nil
}

// emit marshals v, writes it as one line and advances the chain.
func (w *Writer) emit(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		w.err = fmt.Errorf("report: %w", err)
		return w.err
	}
	if _, err := w.w.Write(append(b, '\n')); err != nil {
		w.err = fmt.Errorf("report: write: %w", err)
		return w.err
	}
	w.prev = lineHash(b)
	w.seq++
	return nil
}

// Sync makes every record written so far durable (fsync, when the
// underlying writer has Sync). The pipeline calls it after the records of
// each group commit, so that a file recorded as scrubbed is on disk with
// its record shortly after its batch; a Sync error is sticky, as a write
// error.
func (w *Writer) Sync() error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("report: Sync after Close")
	}
	return w.sync()
}

func (w *Writer) sync() error {
	w.unsynced, w.lastSync = 0, time.Now()
	s, ok := w.w.(interface{ Sync() error })
	if !ok {
		return nil
	}
	if err := s.Sync(); err != nil {
		if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) {
			// Pipes and terminals (--json on stdout) cannot be synced.
			return nil
		}
		w.err = fmt.Errorf("report: sync: %w", err)
		return w.err
	}
	return nil
}

// redact returns text as written in the report: an HMAC token when a
// RedactKey is set, otherwise text made valid UTF-8.
func (w *Writer) redact(kind string, idx int, text string) string {
	if w.opts.RedactKey == nil {
		return pathText(text)
	}
	return redactToken(w.opts.RedactKey, kind, idx, text)
}

func redactToken(key []byte, kind string, idx int, text string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write(binary.BigEndian.AppendUint32(nil, uint32(idx)))
	m.Write([]byte(text))
	return "hmac:" + hex.EncodeToString(m.Sum(nil))[:32]
}

// RedactPath returns the token a Writer with redaction key key writes for
// path under root index root, so that a controller holding the key can find
// the record of a known file.
func RedactPath(key []byte, root int, path string) string {
	return redactToken(key, "path", root, path)
}

// genesis is the prev of the header: hex SHA-256("photoscrub-report-v1" || runID).
func genesis(runID string) string {
	return lineHash([]byte("photoscrub-report-v1" + runID))
}

func lineHash(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// sealMessage is what the seal's signature signs.
func sealMessage(unsignedSeal []byte) []byte {
	return []byte("photoscrub-report-v1 seal\n" + lineHash(unsignedSeal))
}

// validateFile checks the fixed-vocabulary fields of a file record.
func validateFile(r *File, nroots int) error {
	if !slices.Contains(Statuses, r.Status) {
		return fmt.Errorf("report: unknown status %q", cleanText(string(r.Status), 32))
	}
	needReason := r.Status == StatusSkipped || r.Status == StatusUnsupported || r.Status == StatusFailed
	switch {
	case needReason && r.Reason == "":
		return fmt.Errorf("report: status %s needs a reason", r.Status)
	case !needReason && r.Reason != "":
		return fmt.Errorf("report: status %s takes no reason", r.Status)
	case r.Reason != "" && !slices.Contains(reasons, r.Reason):
		return fmt.Errorf("report: unknown reason %q", cleanText(string(r.Reason), 32))
	}
	if r.Verification != VerifyPassed && r.Verification != VerifyFailed && r.Verification != VerifyNotRun {
		return fmt.Errorf("report: unknown verification %q", cleanText(r.Verification, 32))
	}
	if r.Method != "" && r.Method != "lossless" && r.Method != "reencode" {
		return fmt.Errorf("report: unknown method %q", cleanText(r.Method, 32))
	}
	if !formatRE.MatchString(r.Format) {
		return fmt.Errorf("report: format %q is not a short lowercase name", cleanText(r.Format, 32))
	}
	if !hex64.MatchString(r.SHA256Before) || !hex64.MatchString(r.SHA256After) {
		return errors.New("report: sha256 is not 64 lowercase hex digits")
	}
	if r.SizeBefore < 0 || r.SizeAfter < 0 {
		return errors.New("report: negative size")
	}
	if r.Root < 0 || (nroots > 0 && r.Root >= nroots) || (nroots == 0 && r.Root != 0) {
		return fmt.Errorf("report: root index %d out of range", r.Root)
	}
	for _, l := range [][]meta.Finding{r.Findings, r.Removed} {
		for _, fd := range l {
			if !slices.Contains(meta.Categories, fd.Category) {
				return fmt.Errorf("report: unknown category %q", cleanText(string(fd.Category), 32))
			}
		}
	}
	return nil
}

// utcTime returns s (RFC 3339; now when empty) as UTC RFC 3339 with
// nanoseconds.
func utcTime(s string) (string, error) {
	t := time.Now()
	if s != "" {
		var err error
		if t, err = time.Parse(time.RFC3339Nano, s); err != nil {
			return "", err
		}
	}
	return t.UTC().Format(time.RFC3339Nano), nil
}

// plain reports whether s is printable ASCII of at most max bytes: what
// cleanText returns unchanged. The fast paths below skip cleanText's copy
// (and its allocations) for the common case; the output is the same.
func plain(s string, max int) bool {
	if len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

func cleanTextFast(s string, max int) string {
	if plain(s, max) {
		return s
	}
	return cleanText(s, max)
}

// cleanListFast is cleanList; a list already clean is returned as is (a
// nil list as an empty one, as cleanList does).
func cleanListFast(l []string, max int) []string {
	if l == nil || len(l) > maxList {
		return cleanList(l, max)
	}
	for _, x := range l {
		if !plain(x, max) {
			return cleanList(l, max)
		}
	}
	return l
}

// cleanFindingsFast is cleanFindings; findings already clean are returned
// as they are (never modified afterwards).
func cleanFindingsFast(l []meta.Finding) []meta.Finding {
	if l == nil {
		return cleanFindings(l)
	}
	for _, f := range l {
		if f.Tags == nil || !plain(f.Where, maxText) {
			return cleanFindings(l)
		}
		for _, t := range f.Tags {
			if !plain(t, maxText) {
				return cleanFindings(l)
			}
		}
	}
	return l
}
