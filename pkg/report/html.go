package report

import (
	"bytes"
	"crypto/ed25519"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// DefaultMaxRows is the file-table cap WriteHTML uses when
// HTMLOptions.MaxRows is 0.
const DefaultMaxRows = 5000

// HTMLOptions configures WriteHTML.
type HTMLOptions struct {
	// MaxRows caps the residual cards and the table of files with findings
	// or problems (each): 0 means
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
	maxRowTags     = 8       // tag names shown per row
	maxTooltipTags = 100     // tag names in a row's tooltip
	maxLabelRunes  = 17      // chart label length
	folderOther    = "(other folders)"
	folderRedacted = "(redacted paths)"
	folderTop      = "(top level)"
)

// WriteHTML reads a saved report from r, verifies it (with
// opts.PublicKey when set) and writes to w one self-contained HTML page
// for people: first the files that still hold location or identity data
// (IsResidual: what remains, what was removed, why and what to do, or one
// line saying none does), then run facts, integrity (chain head, seal,
// signature), totals
// per status and category, bar charts (files with findings by category,
// files by format, files with findings by top-level folder) and a
// sortable, filterable table of the files with findings or problems: those with
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
	line     int64
	format   uint16
	class    int8
	folder   int32 // -1 when the file has no finding
	residual bool  // still holds location or identity data (IsResidual)
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
	residual []residualCard
	roots    int    // roots in the header, for path labels
	command  string // the header's command, for the advice
}

func newCollector(maxRows int) *collector {
	return &collector{maxRows: maxRows, formatID: map[string]uint16{}, folderID: map[string]int32{}}
}

var fileLinePrefix = []byte(`{"type":"file",`)

func (c *collector) line(idx int64, line []byte) {
	if idx == 0 {
		var h Header
		if json.Unmarshal(line, &h) == nil {
			c.roots, c.command = len(h.Roots), h.Command
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
	if IsResidual(&f) {
		e.residual = true
		if c.maxRows < 0 || len(c.residual) < c.maxRows {
			c.residual = append(c.residual, c.card(idx, &f))
		}
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
	AllTags    string // every tag name, for the tooltip
	Detail     string // error or format note, photoscrub's own wording
}

func (c *collector) row(idx int64, f *File) htmlRow {
	r := htmlRow{Seq: idx, Path: visible(f.Path), Format: f.Format, Status: f.Status, Reason: f.Reason}
	if c.roots > 1 {
		r.Path = fmt.Sprintf("[%d] %s", f.Root, r.Path)
	}
	var seenCat [8]bool
	seenTag := map[string]bool{}
	var all []string
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
			if len(seenTag) <= maxTooltipTags {
				all = append(all, visible(t))
			}
		}
	}
	if r.MoreTags > 0 {
		r.AllTags = strings.Join(all, ", ")
		if len(seenTag) > maxTooltipTags {
			r.AllTags += ", …"
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

// residualCard is one file of the "still holding" section: what remains
// in it, what was removed, why, and what to do.
type residualCard struct {
	Seq       int64
	Path      string
	Format    string
	Status    Status
	Reason    Reason
	Remaining []catTags
	Removed   []meta.Category
	Why       string
	Advice    string
	Detail    string // error, photoscrub's own wording
}

// catTags is one category of a card with its tag names.
type catTags struct {
	Category meta.Category
	Tags     string
}

func (c *collector) card(idx int64, f *File) residualCard {
	r := residualCard{Seq: idx, Path: visible(f.Path), Format: f.Format, Status: f.Status, Reason: f.Reason,
		Why: Why(f), Advice: Advice(f, c.command)}
	if f.Status == StatusFailed || f.Status == StatusSkipped {
		r.Detail = f.Error // more specific than the reason
	}
	if c.roots > 1 {
		r.Path = fmt.Sprintf("[%d] %s", f.Root, r.Path)
	}
	for _, cat := range Remaining(f) {
		var tags []string
		for _, fd := range f.Findings {
			if fd.Category != cat {
				continue
			}
			for _, t := range fd.Tags {
				if t != "" && !slices.Contains(tags, visible(t)) && len(tags) < maxRowTags {
					tags = append(tags, visible(t))
				}
			}
		}
		r.Remaining = append(r.Remaining, catTags{cat, strings.Join(tags, ", ")})
	}
	for _, cat := range meta.Categories {
		if slices.ContainsFunc(f.Removed, func(fd meta.Finding) bool { return fd.Category == cat }) {
			r.Removed = append(r.Removed, cat)
		}
	}
	return r
}
