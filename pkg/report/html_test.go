package report

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// hostilePaths are file names a filesystem can hold and a browser must
// never interpret.
var hostilePaths = []string{
	"<script>alert(1)</script>.jpg",
	`x/"><img src=x onerror=alert(2)>.jpg`,
	"</script><script>alert(3)</script>.png",
	"y/https://evil.example/beacon.jpg",
	"z/{{.Title}}'\"&amp;.jpg",
	"w/\u202egpj.exe",
}

// htmlFiles returns file records of every status and category, including
// hostile paths, and the seal counts they must produce.
func htmlFiles() []*File {
	files := sampleFiles()
	for i, cat := range meta.Categories {
		files = append(files, &File{Path: fmt.Sprintf("station-%d/officer-%d.jpg", i%3, i), Format: "jpeg",
			Status: StatusWouldScrub, Findings: []meta.Finding{{Category: cat, Where: "APP1 Exif/IFD0", Tags: []string{"Tag" + string(cat)}}}})
	}
	gps := meta.Finding{Category: meta.Location, Where: "APP1 Exif/GPS IFD", Tags: []string{"GPSLatitude"}}
	for _, p := range hostilePaths {
		files = append(files, &File{Path: p, Format: "png", Status: StatusScrubbed,
			Findings: []meta.Finding{gps}, Removed: []meta.Finding{gps}, Method: "lossless", Verification: VerifyPassed})
	}
	files = append(files,
		&File{Path: "ro/locked.jpg", Format: "jpeg", Status: StatusSkipped, Reason: ReasonReadOnly},
		&File{Path: "dup.jpg", Format: "jpeg", Status: StatusSkipped, Reason: ReasonDuplicate},
		&File{Path: "notes.txt", Format: "unknown", Status: StatusSkipped, Reason: ReasonNotImage},
		&File{Path: "raw/img.jxl", Format: "unknown", Status: StatusUnsupported, Reason: ReasonUnsupportedFormat})
	return files
}

func renderHTML(t *testing.T, report []byte, opts HTMLOptions) string {
	t.Helper()
	var out bytes.Buffer
	if err := WriteHTML(&out, bytes.NewReader(report), opts); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// domNumber returns the number shown in the element with the given id.
func domNumber(t *testing.T, page, id string) int64 {
	t.Helper()
	m := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `">([0-9,]+)<`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no number with id %q", id)
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(m[1], ",", ""), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// checkTotals asserts the page shows the counts of want.
func checkTotals(t *testing.T, page string, files int64, s StatusCounts, c CategoryCounts) {
	t.Helper()
	want := map[string]int64{"count-files": files,
		"count-clean": s.Clean, "count-scrubbed": s.Scrubbed, "count-would-scrub": s.WouldScrub,
		"count-unsupported": s.Unsupported, "count-skipped": s.Skipped, "count-failed": s.Failed,
		"count-location": c.Location, "count-identity": c.Identity, "count-embedded": c.Embedded,
		"count-comment": c.Comment, "count-other": c.Other, "count-unparsed": c.Unparsed}
	for id, n := range want {
		if got := domNumber(t, page, id); got != n {
			t.Errorf("%s: page shows %d, want %d", id, got, n)
		}
	}
}

func TestHTMLTotalsAndHead(t *testing.T) {
	files := htmlFiles()
	data, head := buildReport(t, Options{}, files)
	seal := parseSeal(t, data)
	page := renderHTML(t, data, HTMLOptions{Source: "run.jsonl"})
	checkTotals(t, page, seal.Files, seal.Status, seal.Categories)
	if seal.Files != int64(len(files)) || seal.Status.Scrubbed == 0 || seal.Categories.Unparsed == 0 {
		t.Fatalf("test report too thin: %+v", seal)
	}
	if !strings.Contains(page, `id="chain-head">`+head+`<`) {
		t.Errorf("chain head %s not shown", head)
	}
	for _, s := range []string{"Chain verified", "chain verified", "DPO team", "ID card photo clean-up",
		"/home/jsmith/photos", testRunID, "v1.0.0", "abc123", "2026-03-01 10:00:00 UTC", "2026-03-01 10:05:00 UTC",
		"0: clean: no metadata left", "not signed", "run.jsonl", "<title>photoscrub scrub report " + testRunID} {
		if !strings.Contains(page, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	for _, s := range []string{"banner-tamper", "banner-interrupted", "NOT VERIFIED", "cap-note"} {
		if strings.Contains(page, s) {
			t.Errorf("intact report shows %q", s)
		}
	}
	// Attention: everything with findings, failed, unsupported, skipped
	// read-only; not the clean file, the symlink, the duplicate, not-image.
	rows := strings.Count(page, "<tr data-status=")
	if want := len(files) - 4; rows != want {
		t.Errorf("%d rows, want %d", rows, want)
	}
	for _, p := range []string{"dup.jpg", "notes.txt", "link.jpg", ">b.png<"} {
		if strings.Contains(page, p) {
			t.Errorf("row for %q should not be listed", p)
		}
	}
	// Failures first: the failed file is the first row.
	if i, j := strings.Index(page, "broken.jpg"), strings.Index(page, "officers/jsmith-house.jpg"); i < 0 || j < 0 || i > j {
		t.Errorf("failed row not before scrubbed row (%d, %d)", i, j)
	}
	// Deterministic.
	if again := renderHTML(t, data, HTMLOptions{Source: "run.jsonl"}); again != page {
		t.Error("two renderings differ")
	}
	// Byte-at-a-time reads give the same page (the line splitter).
	var slow bytes.Buffer
	if err := WriteHTML(&slow, iotest.OneByteReader(bytes.NewReader(data)), HTMLOptions{Source: "run.jsonl"}); err != nil || slow.String() != page {
		t.Errorf("one-byte reads: err %v, same page %v", err, slow.String() == page)
	}
}

func parseSeal(t *testing.T, data []byte) Summary {
	t.Helper()
	tot, err := Summarize(bytes.NewReader(data))
	if err != nil || tot.Verify.Problem != "" {
		t.Fatal(err, tot.Verify.Problem)
	}
	return Summary{Files: tot.Files, Status: tot.Status, Categories: tot.Categories}
}

func TestHTMLEscapesHostilePaths(t *testing.T) {
	h := testHeader()
	h.Operator = "<b>op</b><script>alert(4)</script>"
	h.Purpose = `"onmouseover=alert(5)`
	var buf bytes.Buffer
	w, err := NewWriter(&buf, h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range htmlFiles() {
		if err := w.WriteFile(f); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Close(Summary{}); err != nil {
		t.Fatal(err)
	}
	page := renderHTML(t, buf.Bytes(), HTMLOptions{Source: "<script>alert(6)</script>"})
	if n := strings.Count(strings.ToLower(page), "<script"); n != 1 {
		t.Errorf("%d <script elements, want only the page's own", n)
	}
	for _, bad := range []string{"<img", "<b>op", "alert(1)</script>", `"onmouseover`, "\u202e"} {
		if strings.Contains(page, bad) {
			t.Errorf("page holds unescaped %q", bad)
		}
	}
	for _, good := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;.jpg", "&lt;img src=x onerror=alert(2)&gt;",
		"&lt;b&gt;op&lt;/b&gt;", "y/https://evil.example/beacon.jpg", "{{.Title}}", `w/\u{202E}gpj.exe`} {
		if !strings.Contains(page, good) {
			t.Errorf("page lacks escaped %q", good)
		}
	}
	checkNoExternalRefs(t, page, true)
}

var tagRE = regexp.MustCompile(`<[a-zA-Z][^>]*>`)

var attrRE = regexp.MustCompile(`(?i)\s(src|href|action|formaction|xlink:href|poster|srcset|background|data|ping|manifest)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)

// checkNoExternalRefs asserts that nothing in page could make a browser
// fetch: no src/href/... attribute except to "#" or data:, no CSS url(),
// no @import and, unless hostile text is expected, no http(s) URL at all.
func checkNoExternalRefs(t *testing.T, page string, hostileText bool) {
	t.Helper()
	// Text is escaped, so every literal '<' outside the page's own script
	// and style starts a real tag.
	body := page
	for _, el := range []string{"script", "style"} {
		body = regexp.MustCompile(`(?s)<`+el+`>.*?</`+el+`>`).ReplaceAllString(body, "")
	}
	tags := tagRE.FindAllString(body, -1)
	if len(tags) < 100 {
		t.Fatalf("only %d tags found", len(tags))
	}
	for _, tag := range tags {
		for _, m := range attrRE.FindAllStringSubmatch(tag, -1) {
			v := strings.Trim(m[2], `"'`)
			if !strings.HasPrefix(v, "#") && !strings.HasPrefix(v, "data:") {
				t.Errorf("attribute %s=%q points outside the page", m[1], v)
			}
		}
		if regexp.MustCompile(`(?i)\son[a-z]+\s*=`).MatchString(tag) {
			t.Errorf("event handler attribute in %q", tag)
		}
	}
	low := strings.ToLower(page)
	for _, s := range []string{"url(", "@import", "<link", "<iframe", "<object", "<embed", "<base", "xmlns", "srcdoc"} {
		if strings.Contains(low, s) {
			t.Errorf("page contains %q", s)
		}
	}
	if !strings.Contains(page, `content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`) {
		t.Error("no strict Content-Security-Policy")
	}
	if !hostileText && (strings.Contains(low, "http://") || strings.Contains(low, "https://")) {
		t.Error("page mentions an http(s) URL")
	}
}

func TestHTMLNoExternalReferences(t *testing.T) {
	data, _ := buildReport(t, Options{}, sampleFiles())
	checkNoExternalRefs(t, renderHTML(t, data, HTMLOptions{}), false)
}

func TestHTMLInterrupted(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, testHeader(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	files := sampleFiles()
	for _, f := range files {
		if err := w.WriteFile(f); err != nil {
			t.Fatal(err)
		}
	}
	// No Close: a crash. Cut the last record in half as well.
	data := buf.Bytes()
	lines := splitLines(data)
	last := lines[len(lines)-1]
	cut := append(joinLines(lines[:len(lines)-1]), last[:len(last)/2]...)
	for name, tc := range map[string]struct {
		data        []byte
		files, next int64
	}{
		"unsealed":  {data, int64(len(files)), int64(len(files)) + 1},
		"truncated": {cut, int64(len(files)) - 1, int64(len(files))},
	} {
		t.Run(name, func(t *testing.T) {
			page := renderHTML(t, tc.data, HTMLOptions{})
			want := fmt.Sprintf("Interrupted at seq %d", tc.next)
			for _, s := range []string{`id="banner-interrupted"`, want, "unknown: report not sealed"} {
				if !strings.Contains(page, s) {
					t.Errorf("page lacks %q", s)
				}
			}
			if strings.Contains(page, "banner-tamper") || strings.Contains(page, "Chain verified") {
				t.Error("unsealed report shown as tampered or verified")
			}
			if got := domNumber(t, page, "count-files"); got != tc.files {
				t.Errorf("files %d, want %d", got, tc.files)
			}
			res, _ := Verify(bytes.NewReader(tc.data), nil)
			if !strings.Contains(page, `id="chain-head">`+res.Head+`<`) {
				t.Error("last verified hash not shown")
			}
		})
	}
}

func TestHTMLTampered(t *testing.T) {
	files := htmlFiles()
	data, head := buildReport(t, Options{}, files)
	lines := splitLines(data)
	// Record seq 3 (link.jpg, skipped) becomes clean: canonical JSON, but
	// the chain breaks.
	lines[3] = bytes.Replace(lines[3], []byte(`"status":"skipped","reason":"symlink"`), []byte(`"status":"clean"`), 1)
	if bytes.Equal(lines[3], splitLines(data)[3]) {
		t.Fatal("edit did not apply")
	}
	page := renderHTML(t, joinLines(lines), HTMLOptions{})
	for _, s := range []string{`id="banner-tamper"`, "NOT VERIFIED", "First bad record: seq 3", "record seq 3 was altered",
		"not trusted: the report does not verify"} {
		if !strings.Contains(page, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	if strings.Contains(page, head) || strings.Contains(page, "Chain verified") {
		t.Error("tampered report shows the original head or 'Chain verified'")
	}
	// Only records 1 and 2 verified: the scrubbed and the clean file.
	if got := domNumber(t, page, "count-files"); got != 2 {
		t.Errorf("files %d, want 2", got)
	}
	if rows := strings.Count(page, "<tr data-status="); rows != 1 {
		t.Errorf("%d rows, want 1 (records after the bad one are not trusted)", rows)
	}
	if strings.Contains(page, "station-") || strings.Contains(page, "broken.jpg") {
		t.Error("a record after the bad one is shown")
	}
}

func TestHTMLSigned(t *testing.T) {
	data, _ := buildReport(t, Options{SignKey: testKey}, sampleFiles())
	page := renderHTML(t, data, HTMLOptions{PublicKey: testKey.Public().(ed25519.PublicKey)})
	if !strings.Contains(page, "signed, signature valid") {
		t.Error("valid signature not shown")
	}
	page = renderHTML(t, data, HTMLOptions{})
	if !strings.Contains(page, "signature present but not checked") {
		t.Error("unchecked signature not shown")
	}
}

func TestHTMLMaxRows(t *testing.T) {
	gps := meta.Finding{Category: meta.Location, Where: "APP1 Exif/GPS IFD", Tags: []string{"GPSLatitude"}}
	var files []*File
	for i := range 50 {
		files = append(files, &File{Path: fmt.Sprintf("dir%02d/f%d.jpg", i, i), Format: "jpeg",
			Status: StatusWouldScrub, Findings: []meta.Finding{gps}})
	}
	files = append(files, &File{Path: "late/failed.jpg", Format: "jpeg", Status: StatusFailed, Reason: ReasonIO})
	data, _ := buildReport(t, Options{}, files)

	page := renderHTML(t, data, HTMLOptions{MaxRows: 10})
	if rows := strings.Count(page, "<tr data-status="); rows != 10 {
		t.Errorf("%d rows, want 10", rows)
	}
	if !strings.Contains(page, "41 more files with findings are in the JSONL report") {
		t.Error("no cap note")
	}
	if !strings.Contains(page, "late/failed.jpg") {
		t.Error("a capped table must list failures first")
	}
	// Charts still cover every file: 50 folders, top 20 + other (30).
	if !strings.Contains(page, "(other folders): 30") {
		t.Error("folder chart does not group the rest")
	}
	if got := domNumber(t, page, "count-would-scrub"); got != 50 {
		t.Errorf("would-scrub %d, want 50", got)
	}

	page = renderHTML(t, data, HTMLOptions{MaxRows: -1})
	if rows := strings.Count(page, "<tr data-status="); rows != 51 || strings.Contains(page, "cap-note") {
		t.Errorf("uncapped: %d rows", rows)
	}
	page = renderHTML(t, data, HTMLOptions{})
	if rows := strings.Count(page, "<tr data-status="); rows != 51 {
		t.Errorf("default cap: %d rows", rows)
	}
}

func TestHTMLNotAReport(t *testing.T) {
	for _, in := range []string{"", "not json\n", `{"type":"file","seq":0}` + "\n"} {
		var out bytes.Buffer
		if err := WriteHTML(&out, strings.NewReader(in), HTMLOptions{}); err == nil || out.Len() != 0 {
			t.Errorf("%q: err %v, wrote %d bytes", in, err, out.Len())
		}
	}
}

func TestTopN(t *testing.T) {
	l, v := topN([]string{"a", "b", "c", "d"}, []int64{1, 5, 0, 5}, 2, "other")
	if fmt.Sprint(l, v) != "[b d other] [5 5 1]" {
		t.Errorf("got %v %v", l, v)
	}
	if g := groupDigits(1234567); g != "1,234,567" {
		t.Errorf("groupDigits: %s", g)
	}
}

// BenchmarkWriteHTML renders a report of 20,000 files (half with
// findings, in 200 folders) with the default row cap.
func BenchmarkWriteHTML(b *testing.B) {
	gps := meta.Finding{Category: meta.Location, Where: "APP1 Exif/GPS IFD", Tags: []string{"GPSLatitude", "GPSLongitude"}}
	var files []*File
	for i := range 20000 {
		f := &File{Path: fmt.Sprintf("station-%03d/officer-%06d.jpg", i%200, i), Format: "jpeg", Status: StatusClean}
		if i%2 == 0 {
			f.Status, f.Findings = StatusWouldScrub, []meta.Finding{gps}
		}
		files = append(files, f)
	}
	data, _ := buildReport(b, Options{}, files)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		var out bytes.Buffer
		if err := WriteHTML(&out, bytes.NewReader(data), HTMLOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestHTMLResidual: the "still holding" section comes first, names every
// residual file with what remains, what was removed and what to do, and a
// clean run says so in one line.
func TestHTMLResidual(t *testing.T) {
	data, _ := buildReport(t, Options{}, htmlFiles())
	page := renderHTML(t, data, HTMLOptions{})
	tot, err := Summarize(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if tot.Residual != 3 { // c.heic (unsupported), officer-0 (location), officer-1 (identity)
		t.Fatalf("residual %d, want 3", tot.Residual)
	}
	res := strings.Index(page, `id="residual"`)
	totals := strings.Index(page, `id="h-totals"`)
	if res < 0 || totals < 0 || res > totals {
		t.Fatalf("residual section at %d, totals at %d: it must come first", res, totals)
	}
	if !strings.Contains(page, "Still holding location or identity data (3)") {
		t.Error("residual heading with its count missing")
	}
	if n := strings.Count(page, `<div class="rcard"`); n != 3 {
		t.Errorf("%d residual cards, want 3", n)
	}
	for _, want := range []string{"c.heic", "heif files are inspected but cannot be rewritten", "export a cleaned JPEG or TIFF copy",
		`<dd class="removed">nothing</dd>`} {
		if !strings.Contains(page[res:totals], want) {
			t.Errorf("residual section lacks %q", want)
		}
	}
	if strings.Contains(page[res:totals], "jsmith-house.jpg") {
		t.Error("a scrubbed file is listed as still holding data")
	}
	clean, _ := buildReport(t, Options{}, sampleFiles()[:2])
	page = renderHTML(t, clean, HTMLOptions{})
	if !strings.Contains(page, `id="residual-none">No file still holds location or identity data after this run.`) {
		t.Error("a clean run does not say so")
	}
}

// TestScanHeaderScanSettingsOnly: a scan header has no scrub setting, an
// older scan header that had them still verifies (same bytes back).
func TestScanHeaderScanSettingsOnly(t *testing.T) {
	h := testHeader()
	h.Command = "scan"
	h.Options = Settings{Mode: "lossless", Output: "report-only", Jobs: 2, MaxFileSize: 10, MaxPixels: 10}
	var buf bytes.Buffer
	w, err := NewWriter(&buf, h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Close(Summary{}); err != nil {
		t.Fatal(err)
	}
	line := splitLines(buf.Bytes())[0]
	for _, k := range []string{`"quality"`, `"keep"`, `"in_place"`, `"out_dir"`, `"dry_run"`, `"hardlinks"`, `"force"`, `"max_dimension"`} {
		if bytes.Contains(line, []byte(k)) {
			t.Errorf("scan header records the scrub setting %s: %s", k, line)
		}
	}
	if err := ValidateLine(line); err != nil {
		t.Error(err)
	}
	if res, err := Verify(bytes.NewReader(buf.Bytes()), nil); err != nil {
		t.Fatalf("%v %+v", err, res)
	}
	// An older scan header, with the scrub settings, round-trips.
	old := []byte(`{"mode":"lossless","output":"report-only","in_place":false,"out_dir":"","quality":0,"max_dimension":0,"max_pixels":1,"jobs":1,"dry_run":false,"exclude":[],"keep":{"orientation":false,"icc":false},"hardlinks":"","force":false,"file_timeout_seconds":60,"max_file_size":1,"redact_paths":false,"signed":false}`)
	var s Settings
	if err := json.Unmarshal(old, &s); err != nil {
		t.Fatal(err)
	}
	back, err := json.Marshal(s)
	if err != nil || !bytes.Equal(back, old) {
		t.Errorf("old scan settings do not round-trip:\n%s\n%s", old, back)
	}
}
