package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// findBrowser returns a Chromium or Chrome executable, or "".
func findBrowser() string {
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browserPage is one page loaded in a headless browser, with everything it
// asked the network for and every error it logged.
type browserPage struct {
	ctx      context.Context
	url      string
	mu       sync.Mutex
	requests []string
	problems []string
}

// openInBrowser writes html to a temporary file and loads it in a fresh
// headless browser (its own profile, no background networking).
func openInBrowser(t *testing.T, html string) *browserPage {
	t.Helper()
	exe := findBrowser()
	if exe == "" {
		t.Skip("no Chromium or Chrome installed")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "report.html")
	if err := os.WriteFile(file, []byte(html), 0o600); err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox, // tests run as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
	)
	base, cancelBase := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancelBase)
	actx, cancelAlloc := chromedp.NewExecAllocator(base, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)

	bp := &browserPage{ctx: ctx, url: (&url.URL{Scheme: "file", Path: file}).String()}
	err := chromedp.Listen(ctx, func(ev any) {
		bp.mu.Lock()
		defer bp.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			bp.requests = append(bp.requests, ev.Request.URL)
		case *runtime.EventExceptionThrown:
			bp.problems = append(bp.problems, "script exception: "+ev.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError || ev.Entry.Source == log.EntrySourceSecurity {
				bp.problems = append(bp.problems, fmt.Sprintf("console %s/%s: %s", ev.Entry.Source, ev.Entry.Level, ev.Entry.Text))
			}
		case *page.EventJavascriptDialogOpening:
			bp.problems = append(bp.problems, "a dialog opened: "+ev.Message)
		}
	})
	if err != nil {
		t.Skipf("cannot start the browser: %v", err)
	}
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1360, 900),
		chromedp.Navigate(bp.url),
		chromedp.WaitVisible(chromedp.CSS("#files")),
	); err != nil {
		t.Fatalf("loading the page: %v", err)
	}
	return bp
}

// check fails the test on any request other than the page itself (or a
// data: URL) and on any script error, CSP violation or dialog.
func (bp *browserPage) check(t *testing.T) {
	t.Helper()
	bp.mu.Lock()
	defer bp.mu.Unlock()
	if !slices.Contains(bp.requests, bp.url) {
		t.Errorf("the listener did not see the page's own request (saw %q)", bp.requests)
	}
	for _, u := range bp.requests {
		if u != bp.url && !strings.HasPrefix(u, "data:") {
			t.Errorf("the page made a network request: %s", u)
		}
	}
	for _, p := range bp.problems {
		t.Error(p)
	}
}

func (bp *browserPage) text(t *testing.T, css string) string {
	t.Helper()
	s, err := chromedp.Run(bp.ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("text of %s: %v", css, err)
	}
	return strings.TrimSpace(s)
}

func evalJS[T any](t *testing.T, bp *browserPage, js string) T {
	t.Helper()
	v, err := chromedp.Run(bp.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// column returns the text of column i (1-based) of the visible rows.
func column(t *testing.T, bp *browserPage, i int) []string {
	return evalJS[[]string](t, bp, fmt.Sprintf(
		`Array.from(document.querySelectorAll("#files tbody tr[data-status]")).filter(r => !r.hidden).map(r => r.cells[%d].textContent)`, i-1))
}

func visibleRows(t *testing.T, bp *browserPage) int {
	return evalJS[int](t, bp, `Array.from(document.querySelectorAll("#files tbody tr[data-status]")).filter(r => !r.hidden).length`)
}

// checkInBrowser loads the page of report in a browser and checks what it
// shows against Verify and the seal. It returns a full-page screenshot.
func checkInBrowser(t *testing.T, report []byte, opts HTMLOptions) []byte {
	t.Helper()
	res, err := Verify(bytes.NewReader(report), nil)
	if err != nil {
		t.Fatal(err)
	}
	tot, _ := Summarize(bytes.NewReader(report))
	var seal Summary
	if err := jsonUnmarshalLast(report, &seal); err != nil {
		t.Fatal(err)
	}
	var html bytes.Buffer
	if err := WriteHTML(&html, bytes.NewReader(report), opts); err != nil {
		t.Fatal(err)
	}
	bp := openInBrowser(t, html.String())

	title, err := chromedp.Run(bp.ctx, chromedp.Title())
	if err != nil || title != "photoscrub "+tot.Command+" report "+tot.RunID {
		t.Errorf("title %q (%v)", title, err)
	}
	// Every number shown equals the seal's.
	s, c := seal.Status, seal.Categories
	for id, n := range map[string]int64{"count-files": seal.Files,
		"count-clean": s.Clean, "count-scrubbed": s.Scrubbed, "count-would-scrub": s.WouldScrub,
		"count-unsupported": s.Unsupported, "count-skipped": s.Skipped, "count-failed": s.Failed,
		"count-location": c.Location, "count-identity": c.Identity, "count-embedded": c.Embedded,
		"count-comment": c.Comment, "count-other": c.Other, "count-unparsed": c.Unparsed} {
		if got := bp.text(t, "#"+id); got != groupDigits(n) {
			t.Errorf("#%s shows %q, the seal says %d", id, got, n)
		}
	}
	// The residual section comes first, counts what the seal counts and
	// shows, per file, what remains apart from what was removed.
	if first := evalJS[string](t, bp, `document.querySelector("main section").id`); first != "residual" {
		t.Errorf("the first section is %q, want the residual section", first)
	}
	if seal.Residual == nil {
		t.Fatal("the seal has no residual count")
	}
	if n := *seal.Residual; n == 0 {
		if got := bp.text(t, "#residual-none"); !strings.Contains(got, "No file still holds location or identity data") {
			t.Errorf("clean run line %q", got)
		}
	} else {
		want := fmt.Sprintf("Still holding location or identity data (%s)", groupDigits(n))
		if got := bp.text(t, "#h-residual"); !strings.EqualFold(got, want) {
			t.Errorf("residual heading %q, want %q", got, want)
		}
		cards := evalJS[int](t, bp, `document.querySelectorAll("#residual .rcard").length`)
		if int64(cards) != min(n, int64(DefaultMaxRows)) {
			t.Errorf("%d residual cards, the seal counts %d", cards, n)
		}
		bad := evalJS[[]string](t, bp, `Array.from(document.querySelectorAll("#residual .rcard")).filter(c =>
			!/location|identity/.test(c.querySelector(".remaining").textContent) ||
			c.querySelector(".removed") === null || c.querySelector(".advice").textContent.trim() === "").map(c => c.querySelector(".rpath").textContent)`)
		if len(bad) > 0 {
			t.Errorf("residual cards without remaining location/identity, removed or advice: %q", bad)
		}
		if vis := evalJS[bool](t, bp, `(() => { const r = document.querySelector("#residual .rcard").getBoundingClientRect(); return r.width > 100 && r.height > 40 })()`); !vis {
			t.Error("the first residual card is not laid out visibly")
		}
	}
	if got := bp.text(t, "#chain-head"); got != res.Head {
		t.Errorf("chain head shown %q, Verify says %q", got, res.Head)
	}
	if got := bp.text(t, "#integrity"); !strings.HasPrefix(got, "Chain verified") {
		t.Errorf("integrity badge %q", got)
	}
	if got := bp.text(t, "#chain-status"); got != "chain verified" {
		t.Errorf("chain status %q", got)
	}
	if n := evalJS[int](t, bp, `document.querySelectorAll("#chart-category rect.bar, #chart-format rect.bar, #chart-folder rect.bar").length`); n < 3 {
		t.Errorf("%d chart bars", n)
	}
	if n := evalJS[int](t, bp, `document.images.length + document.querySelectorAll("iframe, object, embed, link").length`); n != 0 {
		t.Errorf("%d external-resource elements in the DOM", n)
	}

	// Sorting: by path ascending, then descending, then by seq.
	rows := visibleRows(t, bp)
	if rows < 5 {
		t.Fatalf("only %d rows", rows)
	}
	lower := func(l []string) []string {
		out := make([]string, len(l))
		for i, s := range l {
			out[i] = strings.ToLower(s)
		}
		return out
	}
	if err := chromedp.Do(bp.ctx, chromedp.Click(chromedp.CSS("#files th:nth-child(2)"))); err != nil {
		t.Fatal(err)
	}
	paths := column(t, bp, 2)
	if !slices.IsSorted(lower(paths)) || len(paths) != rows {
		t.Errorf("after one click the paths are not ascending: %q", paths)
	}
	if got := bp.text(t, "#files th:nth-child(2)[aria-sort=ascending]"); !strings.EqualFold(got, "Path") {
		t.Errorf("sorted header %q", got)
	}
	if err := chromedp.Do(bp.ctx, chromedp.Click(chromedp.CSS("#files th:nth-child(2)"))); err != nil {
		t.Fatal(err)
	}
	desc := column(t, bp, 2)
	slices.Reverse(desc)
	if !slices.IsSorted(lower(desc)) {
		t.Errorf("after two clicks the paths are not descending: %q", desc)
	}
	if err := chromedp.Do(bp.ctx, chromedp.Click(chromedp.CSS("#files th:nth-child(1)"))); err != nil {
		t.Fatal(err)
	}
	seqs := column(t, bp, 1)
	if !slices.IsSortedFunc(seqs, func(a, b string) int { return len(a)*1000 - len(b)*1000 + strings.Compare(a, b) }) {
		t.Errorf("seq column not numerically ascending: %q", seqs)
	}

	// Filtering: the text box, then the selects.
	word, want := filterWord(paths)
	if err := chromedp.Do(bp.ctx, chromedp.SendKeys(chromedp.CSS("#filter"), word)); err != nil {
		t.Fatal(err)
	}
	if got := visibleRows(t, bp); got != want || got == rows {
		t.Errorf("filter %q: %d rows visible, want %d of %d", word, got, want, rows)
	}
	if got := bp.text(t, "#shown"); got != fmt.Sprintf("%d of %d rows", want, rows) {
		t.Errorf("row count shows %q", got)
	}
	evalJS[bool](t, bp, `(() => { const f = document.getElementById("filter"); f.value = ""; f.dispatchEvent(new Event("input")); return true })()`)
	if got := visibleRows(t, bp); got != rows {
		t.Errorf("cleared filter: %d rows, want %d", got, rows)
	}
	statuses := column(t, bp, 4)
	for _, sel := range []struct{ id, value string }{{"status-filter", "failed"}, {"category-filter", "location"}} {
		n := 0
		for i, st := range statuses {
			cats := column(t, bp, 6)[i]
			if sel.id == "status-filter" && st == sel.value || sel.id == "category-filter" && strings.Contains(cats, sel.value) {
				n++
			}
		}
		evalJS[bool](t, bp, fmt.Sprintf(`(() => { const s = document.getElementById(%q); s.value = %q; s.dispatchEvent(new Event("change")); return true })()`, sel.id, sel.value))
		if got := visibleRows(t, bp); got != n || n == 0 {
			t.Errorf("%s=%s: %d rows, want %d", sel.id, sel.value, got, n)
		}
		evalJS[bool](t, bp, fmt.Sprintf(`(() => { const s = document.getElementById(%q); s.value = ""; s.dispatchEvent(new Event("change")); return true })()`, sel.id))
	}
	// Back to the initial order for the screenshot.
	if err := chromedp.Do(bp.ctx, chromedp.Click(chromedp.CSS("#files th:nth-child(1)"))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(bp.ctx, chromedp.Click(chromedp.CSS("#files th:nth-child(1)"))); err != nil {
		t.Fatal(err)
	}
	evalJS[bool](t, bp, `(() => { document.activeElement.blur(); window.scrollTo(0, 0); return true })()`)

	shot, err := chromedp.Run(bp.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil || img.Bounds().Dx() < 1000 || img.Bounds().Dy() < 900 {
		t.Fatalf("screenshot: %v", err)
	}
	bp.check(t)
	return shot
}

// filterWord picks a word that some but not all paths contain and returns
// it with the number of rows whose text contains it.
func filterWord(paths []string) (string, int) {
	for _, w := range []string{"station-1", "station", "officer", "scans", "jsmith", "script"} {
		n := 0
		for _, p := range paths {
			if strings.Contains(strings.ToLower(p), w) {
				n++
			}
		}
		if n > 0 && n < len(paths) {
			return w, n
		}
	}
	return paths[0], 1
}

func jsonUnmarshalLast(report []byte, v any) error {
	lines := splitLines(report)
	return json.Unmarshal(lines[len(lines)-1], v)
}

// TestBrowserSeesRequests proves the request listener can fail: a page
// without the policy that loads an image is caught.
func TestBrowserSeesRequests(t *testing.T) {
	bp := openInBrowser(t, `<!DOCTYPE html><title>x</title><table id="files"><tr><td>x</td></tr></table><img src="http://127.0.0.1:9/beacon.png">`)
	if _, err := chromedp.Run(bp.ctx, chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	bp.mu.Lock()
	defer bp.mu.Unlock()
	if !slices.Contains(bp.requests, "http://127.0.0.1:9/beacon.png") {
		t.Errorf("the listener missed the image request: %q", bp.requests)
	}
}

func TestHTMLInBrowser(t *testing.T) {
	if findBrowser() == "" {
		t.Skip("no Chromium or Chrome installed")
	}
	data, _ := buildReport(t, Options{}, htmlFiles())
	checkInBrowser(t, data, HTMLOptions{Source: "run.jsonl"})
}

// TestHTMLScreenshot renders the report of a real scan of a generated photo
// tree. With PHOTOSCRUB_UPDATE_SCREENSHOT=1 it writes docs/img/report-summary.png.
func TestHTMLScreenshot(t *testing.T) {
	if os.Getenv("PHOTOSCRUB_UPDATE_SCREENSHOT") != "1" {
		t.Skip("set PHOTOSCRUB_UPDATE_SCREENSHOT=1 to build the tool and regenerate docs/img/report-summary.png")
	}
	if findBrowser() == "" {
		t.Skip("no Chromium or Chrome installed")
	}
	dir := t.TempDir()
	exe := filepath.Join(dir, "photoscrub")
	build := exec.Command("go", "build", "-o", exe, "./cmd/photoscrub")
	build.Dir = "../.."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	tree := filepath.Join(dir, "ID-photos")
	writePhotoTree(t, tree)
	rep := filepath.Join(dir, "scan-2026-03-01.jsonl")
	scan := exec.Command(exe, "scan", "--report", rep, "--operator", "Data Protection Office",
		"--purpose", "Audit of ID-card photo store before supplier hand-over", filepath.Base(tree))
	scan.Dir = dir
	out, err := scan.CombinedOutput()
	if code := scan.ProcessState.ExitCode(); code != 1 && code != 3 {
		t.Fatalf("scan: %v (exit %d)\n%s", err, code, out)
	}
	data, err := os.ReadFile(rep)
	if err != nil {
		t.Fatal(err)
	}
	shot := checkInBrowser(t, data, HTMLOptions{Source: filepath.Base(rep)})
	dst := filepath.Join("..", "..", "docs", "img", "report-summary.png")
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d bytes)", dst, len(shot))
}

// writePhotoTree writes a small realistic store: ID-card JPEGs with GPS in
// station folders, clean ones, PNG scans, WebP, TIFF and GIF files, a
// corrupt JPEG, a JPEG XL file and a text file.
func writePhotoTree(t *testing.T, root string) {
	t.Helper()
	put := func(name string, data []byte) {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	jpeg := func(o testimg.JPEGOptions) []byte {
		b, err := testimg.JPEG(o)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for i := range 30 {
		o := testimg.IDCard(int64(i + 1))
		o.Width, o.Height = 120, 160
		switch i % 5 {
		case 1:
			o.XMP, o.IPTC = false, false
		case 3:
			o.GPS = false
		}
		put(fmt.Sprintf("station-%02d/officer-%04d.jpg", i%4+1, 1000+i), jpeg(o))
	}
	for i := range 8 {
		put(fmt.Sprintf("station-%02d/clean-%04d.jpg", i%4+1, 2000+i), jpeg(testimg.JPEGOptions{Width: 120, Height: 160, Seed: int64(100 + i)}))
	}
	for i := range 4 {
		o := testimg.AllPNG()
		if i%2 == 1 {
			o = testimg.PNGOptions{Text: true, Time: true}
		}
		o.Width, o.Height = 64+i, 64
		put(fmt.Sprintf("scans/badge-scan-%02d.png", i), testimg.PNG(o))
	}
	for i := range 3 {
		put(fmt.Sprintf("web/thumb-%02d.webp", i), testimg.WebP(testimg.WebPOptions{Width: 32, Height: 32,
			EXIF: testimg.EXIF(testimg.AllEXIF()), XMP: testimg.XMPPacket(testimg.XMPOptions{})}))
	}
	put("archive/roster-1998.tif", testimg.TIFF(testimg.AllTIFF()))
	put("archive/roster-2001.tif", testimg.TIFF(testimg.TIFFOptions{Width: 16, Height: 16}))
	put("web/animated-badge.gif", testimg.GIF(testimg.AllGIF()))
	whole := jpeg(testimg.IDCard(99))
	// Cut inside its Exif segment: a stream that cannot be walked fails.
	// (A cut inside the scan data is a truncated image, still rebuilt.)
	put("incoming/corrupt-upload.jpg", whole[:200])
	put("incoming/new-format.jxl", append([]byte{0xff, 0x0a, 0xfa, 0x7f, 0x01}, make([]byte, 64)...))
	put("incoming/README.txt", []byte("photos from the supplier\n"))
}
