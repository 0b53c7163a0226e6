package report

import (
	"bytes"
	"cmp"
	"crypto/ed25519"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// DefaultMaxRows is the file-table cap WriteHTML uses when
// HTMLOptions.MaxRows is 0.
const DefaultMaxRows = 5000

// HTMLOptions configures WriteHTML.
type HTMLOptions struct {
	// MaxRows caps the table of files needing attention: 0 means
	// DefaultMaxRows, a negative value means no cap (memory then grows
	// with the report). Every total, chart and count covers all files
	// whatever the cap; the page says how many rows were left out.
	MaxRows int
	// PublicKey, when set, checks the seal's Ed25519 signature (as
	// photoscrub report verify --key does); without it a signature is
	// shown as present but not checked.
	PublicKey ed25519.PublicKey
	// Source names the report file on the page (e.g. its base name).
	// Optional; shown as text only.
	Source string
}

//go:embed html.tmpl
var htmlTemplate string

var htmlTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"num": groupDigits,
}).Parse(htmlTemplate))

// Bounds on what WriteHTML keeps in memory for a hostile or huge report.
const (
	maxFormats     = 64      // distinct formats charted; more go to "other"
	maxFolders     = 100_000 // distinct top-level folders counted
	topFolders     = 20      // folders shown in the chart
	maxRowTags     = 16      // tag names shown per row
	maxLabelRunes  = 24      // chart label length
	folderOther    = "(other folders)"
	folderRedacted = "(redacted paths)"
	folderTop      = "(top level)"
)

// WriteHTML reads a saved report from r, verifies it (with
// opts.PublicKey when set) and writes to w one self-contained HTML page
// for people: run facts, integrity (chain head, seal, signature), totals
// per status and category, bar charts (files with findings by category,
// files by format, files with findings by top-level folder) and a
// sortable, filterable table of the files needing attention: those with
// findings, failed and unsupported files, and skipped files whose
// metadata may remain (every reason except symlink, not-regular,
// duplicate and not-image). Failures come first when the table is capped.
//
// The page loads nothing: inline CSS, inline SVG and a little inline
// script under a Content-Security-Policy that forbids every fetch. Every
// value is escaped by html/template. The page holds only what the report
// holds, so never a metadata value.
//
// A report that does not verify (tampered, truncated, unsealed) is shown
// as far as it verified, under a banner naming the first bad record; its
// later records are ignored. The error is a read or write error, or says
// that r is not a photoscrub report at all (no valid header).
func WriteHTML(w io.Writer, r io.Reader, opts HTMLOptions) error {
	maxRows := opts.MaxRows
	if maxRows == 0 {
		maxRows = DefaultMaxRows
	}
	c := newCollector(maxRows)
	sink := &lineSink{fn: c.line}
	st, err := verify(io.TeeReader(r, sink), opts.PublicKey, false)
	if err != nil {
		return err
	}
	if st.header == nil || st.res.Records == 0 {
		return errors.New("report: not a photoscrub report: " + st.res.Problem)
	}
	page := c.page(st, opts, maxRows)
	var buf bytes.Buffer
	if err := htmlTmpl.Execute(&buf, page); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// lineSink splits what verify reads into lines and hands each complete
// line, with its 0-based index, to fn. Lines over maxLine are dropped
// (verify stops there anyway).
type lineSink struct {
	buf  []byte
	skip bool
	n    int64
	fn   func(idx int64, line []byte)
}

func (s *lineSink) Write(p []byte) (int, error) {
	total := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			if s.skip || len(s.buf)+len(p) > maxLine {
				s.skip, s.buf = true, s.buf[:0]
			} else {
				s.buf = append(s.buf, p...)
			}
			break
		}
		if !s.skip && len(s.buf)+i <= maxLine {
			line := p[:i]
			if len(s.buf) > 0 {
				s.buf = append(s.buf, line...)
				line = s.buf
			}
			s.fn(s.n, line)
		}
		s.buf, s.skip = s.buf[:0], false
		s.n++
		p = p[i+1:]
	}
	return total, nil
}

// Attention classes, in table order when the table is capped.
const (
	classNone = iota - 1
	classFailed
	classUnsupported
	classSkipped
	classWouldScrub
	classScrubbed
	classOther
	nClasses
)

// entry is what the collector keeps of every file record: enough to
// recompute the charts over the prefix that verified.
type entry struct {
	line   int64
	format uint16
	class  int8
	folder int32 // -1 when the file has no finding
}

// collector gathers, while verify reads, what the page needs beyond
// verify's own counts.
type collector struct {
	maxRows  int
	entries  []entry
	formats  []string
	formatID map[string]uint16
	folders  []string
	folderID map[string]int32
	rows     [nClasses][]htmlRow
	roots    int // roots in the header, for path labels
}

func newCollector(maxRows int) *collector {
	return &collector{maxRows: maxRows, formatID: map[string]uint16{}, folderID: map[string]int32{}}
}

var fileLinePrefix = []byte(`{"type":"file",`)

func (c *collector) line(idx int64, line []byte) {
	if idx == 0 {
		var h Header
		if json.Unmarshal(line, &h) == nil {
			c.roots = len(h.Roots)
		}
		return
	}
	if !bytes.HasPrefix(line, fileLinePrefix) {
		return
	}
	var f File
	if json.Unmarshal(line, &f) != nil {
		return // verify reports it; the record is past the verified prefix
	}
	e := entry{line: idx, format: c.intern(f.Format), class: classNone, folder: -1}
	if len(f.Findings) > 0 {
		e.folder = c.folder(f.Path)
	}
	if cl := attentionClass(&f); cl != classNone {
		e.class = int8(cl)
		if c.maxRows < 0 || len(c.rows[cl]) < c.maxRows {
			c.rows[cl] = append(c.rows[cl], c.row(idx, &f))
		}
	}
	c.entries = append(c.entries, e)
}

func (c *collector) intern(format string) uint16 {
	if id, ok := c.formatID[format]; ok {
		return id
	}
	if len(c.formats) >= maxFormats {
		format = "other"
		if id, ok := c.formatID[format]; ok {
			return id
		}
	}
	id := uint16(len(c.formats))
	c.formats = append(c.formats, format)
	c.formatID[format] = id
	return id
}

// folder returns the ID of the first path segment of p.
func (c *collector) folder(p string) int32 {
	name := folderTop
	switch {
	case strings.HasPrefix(p, "hmac:"):
		name = folderRedacted
	case strings.Contains(p, "/"):
		name, _, _ = strings.Cut(p, "/")
		name = visible(name)
	}
	if id, ok := c.folderID[name]; ok {
		return id
	}
	if len(c.folders) >= maxFolders {
		name = folderOther
		if id, ok := c.folderID[name]; ok {
			return id
		}
	}
	id := int32(len(c.folders))
	c.folders = append(c.folders, name)
	c.folderID[name] = id
	return id
}

// attentionClass says whether f belongs in the table, and where.
func attentionClass(f *File) int {
	switch f.Status {
	case StatusFailed:
		return classFailed
	case StatusUnsupported:
		return classUnsupported
	case StatusSkipped:
		switch f.Reason {
		case ReasonSymlink, ReasonNotRegular, ReasonDuplicate, ReasonNotImage:
		default:
			return classSkipped
		}
	}
	if len(f.Findings) == 0 {
		return classNone
	}
	switch f.Status {
	case StatusWouldScrub:
		return classWouldScrub
	case StatusScrubbed:
		return classScrubbed
	}
	return classOther
}

// htmlRow is one row of the file table.
type htmlRow struct {
	Seq        int64
	Path       string
	Format     string
	Status     Status
	Reason     Reason
	Categories []meta.Category
	Tags       []string
	MoreTags   int
	Detail     string // error or format note, photoscrub's own wording
}

func (c *collector) row(idx int64, f *File) htmlRow {
	r := htmlRow{Seq: idx, Path: visible(f.Path), Format: f.Format, Status: f.Status, Reason: f.Reason}
	if c.roots > 1 {
		r.Path = fmt.Sprintf("[%d] %s", f.Root, r.Path)
	}
	var seenCat [8]bool
	seenTag := map[string]bool{}
	for _, fd := range f.Findings {
		if i := slices.Index(meta.Categories, fd.Category); i >= 0 && !seenCat[i] {
			seenCat[i] = true
		}
		for _, t := range fd.Tags {
			if t == "" || seenTag[t] {
				continue
			}
			seenTag[t] = true
			if len(r.Tags) < maxRowTags {
				r.Tags = append(r.Tags, visible(t))
			} else {
				r.MoreTags++
			}
		}
	}
	for i, cat := range meta.Categories {
		if seenCat[i] {
			r.Categories = append(r.Categories, cat)
		}
	}
	r.Detail = f.Error
	if r.Detail == "" {
		r.Detail = f.FormatNote
	}
	return r
}

// bar is one bar of a chart, with its geometry in SVG user units.
type bar struct {
	Label, Full string
	Value       int64
	Y, W, VX    int
	Class       string
}

// chart is a horizontal bar chart.
type chart struct {
	ID, Title, Note string
	Bars            []bar
	Height          int
	Empty           bool
}

// Chart geometry (SVG user units; the SVG scales to its panel).
const (
	chartLabelW  = 168 // label column, right-aligned text ends here
	chartBarX    = 176 // bars start here
	chartBarArea = 250 // width of the longest bar
	chartWidth   = 480
	chartRow     = 26
)

func makeChart(id, title, note string, labels []string, values []int64, classes []string) chart {
	ch := chart{ID: id, Title: title, Note: note}
	var maxV int64
	for _, v := range values {
		maxV = max(maxV, v)
	}
	for i, l := range labels {
		w := 0
		if maxV > 0 {
			w = int((values[i]*chartBarArea + maxV - 1) / maxV)
		}
		short := l
		if utf8.RuneCountInString(l) > maxLabelRunes {
			short = string([]rune(l)[:maxLabelRunes-1]) + "…"
		}
		b := bar{Label: short, Full: l, Value: values[i], Y: i * chartRow, W: w, VX: chartBarX + w + 6}
		if classes != nil {
			b.Class = classes[i]
		}
		ch.Bars = append(ch.Bars, b)
	}
	ch.Height = max(len(labels)*chartRow, chartRow)
	ch.Empty = maxV == 0
	return ch
}

// kv is one fact on the page.
type kv struct{ K, V string }

// count is one total, with the DOM id the tests read.
type count struct {
	ID, Label, Class, Help string
	N                      int64
}

// htmlPage is the template's data.
type htmlPage struct {
	Title, Source, Command, RunID string
	Header                        *Header
	Facts, Options                []kv
	Verify                        VerifyResult
	Verified, Unsealed, Tampered  bool
	RunInterrupted                bool
	InterruptedAfter              int64
	Signature                     string
	Files                         int64
	Status, Categories            []count
	Charts                        []chart
	Rows                          []htmlRow
	Attention, Hidden, Shown      int64
	ChartWidth, ChartLabelW       int
	ChartBarX                     int
	StatusNames                   []Status
	CategoryNames                 []meta.Category
}

func (c *collector) page(st *state, opts HTMLOptions, maxRows int) *htmlPage {
	h, res := st.header, st.res
	p := &htmlPage{Source: opts.Source, Command: h.Command, RunID: h.RunID, Header: h, Verify: res,
		Files: st.count.files, StatusNames: Statuses, CategoryNames: meta.Categories}
	p.Title = "photoscrub " + h.Command + " report " + h.RunID
	p.Verified = res.Problem == ""
	p.Unsealed = st.seal == nil && strings.HasPrefix(res.Problem, "not sealed")
	p.Tampered = !p.Verified && !p.Unsealed
	p.InterruptedAfter = res.Records - 1
	switch {
	case res.SignatureChecked:
		p.Signature = "signed, signature valid"
	case res.Signed:
		p.Signature = "signed, signature present but not checked (no public key given)"
	case h.Options.Signed:
		p.Signature = "signed (header), seal missing"
	default:
		p.Signature = "not signed"
	}
	exit := "unknown: report not sealed"
	end := "not recorded (report not sealed)"
	if s := st.seal; s != nil {
		p.RunInterrupted = s.Interrupted
		exit = fmt.Sprintf("%d: %s", s.ExitCode, exitCodeMeaning(s.ExitCode))
		end = utcLabel(s.End)
		if d, ok := duration(h.Start, s.End); ok {
			end += " (" + d + ")"
		}
	}
	tool := strings.TrimSpace(fmt.Sprintf("%s %s", h.Tool.Name, h.Tool.Version))
	p.Facts = []kv{{"Command", h.Command}, {"Tool", tool}, {"Revision", h.Tool.Revision},
		{"Run ID", h.RunID}, {"Started", utcLabel(h.Start)}, {"Ended", end},
		{"Operator", orNone(h.Operator)}, {"Purpose", orNone(h.Purpose)}}
	for i, root := range h.Roots {
		p.Facts = append(p.Facts, kv{fmt.Sprintf("Root %d", i), visible(root)})
	}
	if len(h.Merged) > 0 {
		p.Facts = append(p.Facts, kv{"Merged runs", strings.Join(h.Merged, ", ")})
	}
	p.Facts = append(p.Facts, kv{"Exit code", exit})
	o := h.Options
	p.Options = []kv{{"mode", o.Mode}, {"output", o.Output}, {"in place", yesNo(o.InPlace)},
		{"out dir", orNone(o.OutDir)}, {"dry run", yesNo(o.DryRun)}, {"quality", fmt.Sprint(o.Quality)},
		{"keep orientation", yesNo(o.Keep.Orientation)}, {"keep ICC profile", yesNo(o.Keep.ICC)},
		{"hard links", orNone(o.Hardlinks)}, {"force", yesNo(o.Force)}, {"jobs", fmt.Sprint(o.Jobs)},
		{"max file size", fmt.Sprintf("%s bytes", groupDigits(o.MaxFileSize))},
		{"max pixels", groupDigits(o.MaxPixels)}, {"max dimension", fmt.Sprint(o.MaxDimension)},
		{"file timeout", fmt.Sprintf("%g s", o.FileTimeoutSeconds)},
		{"exclude", orNone(strings.Join(o.Exclude, ", "))},
		{"redact paths", yesNo(o.RedactPaths)}, {"signed", yesNo(o.Signed)}}

	s, k := st.count.st, st.count.cat
	p.Status = []count{
		{"count-clean", "Clean", "ok", "no metadata found", s.Clean},
		{"count-scrubbed", "Scrubbed", "ok", "metadata removed, output verified", s.Scrubbed},
		{"count-would-scrub", "Would scrub", "warn", "metadata found, not removed (scan or dry run)", s.WouldScrub},
		{"count-unsupported", "Unsupported", "bad", "format cannot be cleaned", s.Unsupported},
		{"count-skipped", "Skipped", "muted", "deliberately not processed", s.Skipped},
		{"count-failed", "Failed", "bad", "processing failed, original untouched", s.Failed},
	}
	catN := []int64{k.Location, k.Identity, k.Embedded, k.Comment, k.Other, k.Unparsed}
	catHelp := []string{"GPS, place names, GeoTIFF", "serials, owner, author, device", "thumbnails, second images, trailers",
		"comments, descriptions", "dates, private chunks", "parts that could not be parsed"}
	catLabels := make([]string, len(meta.Categories))
	catClasses := make([]string, len(meta.Categories))
	for i, cat := range meta.Categories {
		catLabels[i], catClasses[i] = string(cat), "cat-"+string(cat)
		p.Categories = append(p.Categories, count{"count-" + string(cat), string(cat), "cat-" + string(cat), catHelp[i], catN[i]})
	}

	// Charts and rows over the records that verified.
	limit := res.Records
	fmtN := make([]int64, len(c.formats))
	folderN := make([]int64, len(c.folders))
	var attention [nClasses]int64
	for _, e := range c.entries {
		if e.line >= limit {
			break
		}
		fmtN[e.format]++
		if e.folder >= 0 {
			folderN[e.folder]++
		}
		if e.class >= 0 {
			attention[e.class]++
		}
	}
	p.Charts = append(p.Charts, makeChart("chart-category", "Files with findings by category",
		"a file counts once in each category it has", catLabels, catN, catClasses))
	fl, fv := topN(c.formats, fmtN, maxFormats, "other")
	p.Charts = append(p.Charts, makeChart("chart-format", "Files by format", "all files, format detected from content", fl, fv, nil))
	dl, dv := topN(c.folders, folderN, topFolders, folderOther)
	p.Charts = append(p.Charts, makeChart("chart-folder", "Files with findings by top-level folder",
		fmt.Sprintf("first path segment; top %d, the rest grouped", topFolders), dl, dv, nil))

	for cl := range nClasses {
		p.Attention += attention[cl]
		for _, r := range c.rows[cl] {
			if r.Seq < limit && (maxRows < 0 || len(p.Rows) < maxRows) {
				p.Rows = append(p.Rows, r)
			}
		}
	}
	p.Shown = int64(len(p.Rows))
	p.Hidden = p.Attention - p.Shown
	p.ChartWidth, p.ChartLabelW, p.ChartBarX = chartWidth, chartLabelW, chartBarX
	return p
}

// topN returns the n largest (label, value) pairs with a value, largest
// first, the rest summed under other.
func topN(labels []string, values []int64, n int, other string) ([]string, []int64) {
	idx := make([]int, 0, len(labels))
	for i, v := range values {
		if v > 0 {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		return cmp.Or(cmp.Compare(values[b], values[a]), strings.Compare(labels[a], labels[b]))
	})
	var ls []string
	var vs []int64
	var rest int64
	for j, i := range idx {
		if j < n && labels[i] != other {
			ls, vs = append(ls, labels[i]), append(vs, values[i])
		} else {
			rest += values[i]
		}
	}
	if rest > 0 {
		ls, vs = append(ls, other), append(vs, rest)
	}
	return ls, vs
}

// visible returns s with every rune that is not printable (control
// characters, bidi overrides and other format characters, which could make
// a path read as something else) written as \u{XXXX}, bounded in length.
func visible(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= 4096 {
			b.WriteString("…")
			break
		}
		if !unicode.IsPrint(r) && r != ' ' {
			fmt.Fprintf(&b, "\\u{%04X}", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// utcLabel formats an RFC 3339 time for people, or returns it as recorded.
func utcLabel(s string) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return orNone(s)
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

func duration(start, end string) (string, bool) {
	a, err1 := time.Parse(time.RFC3339Nano, start)
	b, err2 := time.Parse(time.RFC3339Nano, end)
	if err1 != nil || err2 != nil || b.Before(a) {
		return "", false
	}
	return "after " + b.Sub(a).Round(time.Second).String(), true
}

func orNone(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// groupDigits writes n with thin-space thousands separators.
func groupDigits(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
