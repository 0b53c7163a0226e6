package report

// The page model of WriteHTML: facts, totals, charts and formatting.

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

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
	chartLabelW  = 118 // label column, right-aligned text ends here
	chartBarX    = 126 // bars start here
	chartBarArea = 190 // width of the longest bar
	chartWidth   = 360
	chartRow     = 24
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
	Residual                      []residualCard
	ResidualN, ResidualHidden     int64
	Scan                          bool
	Attention, Hidden, Shown      int64
	ChartWidth, ChartLabelW       int
	ChartBarX, ChartBarArea       int
	Started                       string
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
	if p.Tampered {
		exit = "not trusted: the report does not verify"
		end = exit
	}
	if s := st.seal; s != nil && p.Verified {
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
	p.Scan = h.Command == "scan"
	if o.Output == "report-only" {
		// A scan: its own settings only, no scrub setting it never used.
		p.Options = []kv{{"output", o.Output}, {"jobs", fmt.Sprint(o.Jobs)},
			{"max file size", fmt.Sprintf("%s bytes", groupDigits(o.MaxFileSize))},
			{"max pixels", groupDigits(o.MaxPixels)},
			{"file timeout", fmt.Sprintf("%g s", o.FileTimeoutSeconds)},
			{"exclude", orNone(strings.Join(o.Exclude, ", "))},
			{"redact paths", yesNo(o.RedactPaths)}, {"signed", yesNo(o.Signed)}}
	} else {
		p.Options = []kv{{"mode", o.Mode}, {"output", o.Output}, {"in place", yesNo(o.InPlace)},
			{"out dir", orNone(o.OutDir)}, {"dry run", yesNo(o.DryRun)}, {"quality", fmt.Sprint(o.Quality)},
			{"keep orientation", yesNo(o.Keep.Orientation)}, {"keep ICC profile", yesNo(o.Keep.ICC)},
			{"hard links", orNone(o.Hardlinks)}, {"force", yesNo(o.Force)}, {"jobs", fmt.Sprint(o.Jobs)},
			{"max file size", fmt.Sprintf("%s bytes", groupDigits(o.MaxFileSize))},
			{"max pixels", groupDigits(o.MaxPixels)}, {"max dimension", fmt.Sprint(o.MaxDimension)},
			{"file timeout", fmt.Sprintf("%g s", o.FileTimeoutSeconds)},
			{"exclude", orNone(strings.Join(o.Exclude, ", "))},
			{"redact paths", yesNo(o.RedactPaths)}, {"signed", yesNo(o.Signed)}}
	}

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
		if e.residual {
			p.ResidualN++
		}
	}
	for _, r := range c.residual {
		if r.Seq < limit {
			p.Residual = append(p.Residual, r)
		}
	}
	p.ResidualHidden = p.ResidualN - int64(len(p.Residual))
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
	p.ChartWidth, p.ChartLabelW, p.ChartBarX, p.ChartBarArea = chartWidth, chartLabelW, chartBarX, chartBarArea
	p.Started = utcLabel(h.Start)
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
	d := b.Sub(a)
	if d < time.Minute {
		return "duration " + d.Round(10*time.Millisecond).String(), true
	}
	return "duration " + d.Round(time.Second).String(), true
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
