package serve

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"fmt"
	"image"
	_ "image/jpeg"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/photoscrub/photoscrub/pkg/internal/arrivaltest"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/photoscrub"
	"github.com/photoscrub/photoscrub/pkg/report"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

const tokenA = "tok-aaaaaaaaaaaaaaaaaaaaaaaa"

type fixture struct {
	t      *testing.T
	srv    *httptest.Server
	s      *Server
	series *report.Series
	base   string
	log    *arrivaltest.LogBuffer
	seen   [][]byte // every response body and header block
	client *http.Client
}

func newFixture(t *testing.T, cfg Config, tls bool) *fixture {
	t.Helper()
	dir := t.TempDir()
	f := &fixture{t: t, base: filepath.Join(dir, "serve.jsonl"), log: &arrivaltest.LogBuffer{}}
	var err error
	f.series, err = report.OpenSeries(f.base, report.Header{Command: "serve",
		Options: report.Settings{Mode: "lossless", Output: "response", Jobs: 2, Keep: report.Keep{Orientation: true, ICC: true}}},
		report.Options{}, report.RotateOptions{MaxBytes: 16 << 10})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Tokens == nil {
		cfg.Tokens, err = ParseTokens([]byte("# clients\nportal-1 " + tokenA + "\nportal-2:tok-bbbbbbbbbbbbbbbbbbbbbbbb\n"))
		if err != nil {
			t.Fatal(err)
		}
	}
	cfg.Keep = meta.DefaultKeep
	cfg.Report = f.series
	cfg.Logger = slog.New(slog.NewJSONHandler(f.log, nil))
	f.s = New(cfg)
	hs := HTTPServer(f.s.Handler(), time.Second, 2*time.Second, 5*time.Second, 5*time.Second, cfg.Logger)
	f.srv = httptest.NewUnstartedServer(hs.Handler)
	f.srv.Config = hs
	if tls {
		f.srv.EnableHTTP2 = true
		f.srv.StartTLS()
	} else {
		f.srv.Start()
	}
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fixture) post(path, token string, body io.Reader) (*http.Response, []byte) {
	f.t.Helper()
	req, err := http.NewRequest("POST", f.srv.URL+path, body)
	if err != nil {
		f.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return f.do(req)
}

func (f *fixture) do(req *http.Request) (*http.Response, []byte) {
	f.t.Helper()
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	var hb bytes.Buffer
	resp.Header.Write(&hb)
	f.seen = append(f.seen, b, hb.Bytes())
	return resp, b
}

// problem checks an RFC 9457 answer.
func (f *fixture) problem(resp *http.Response, body []byte, code int, slug string) {
	f.t.Helper()
	if resp.StatusCode != code {
		f.t.Fatalf("status %d, want %d: %s", resp.StatusCode, code, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		f.t.Fatalf("content type %q for a %d", ct, code)
	}
	var p problem
	if err := json.Unmarshal(body, &p); err != nil {
		f.t.Fatal(err)
	}
	if p.Status != code || p.Type != ProblemBase+slug || p.Title == "" || p.Detail == "" {
		f.t.Fatalf("problem %+v, want status %d type %s", p, code, slug)
	}
}

// closeAndCheck seals the report, verifies the series and checks that
// nothing anyone saw holds a planted value.
func (f *fixture) closeAndCheck(wantRecords int) {
	f.t.Helper()
	res, all := arrivaltest.SealSeries(f.t, f.series, f.base)
	var n int64
	for _, r := range res.Files {
		n += r.Records - 2
	}
	if n != int64(wantRecords) {
		f.t.Errorf("%d report records, want %d (one per request)", n, wantRecords)
	}
	all = append(all, f.log.Bytes())
	cl := f.client
	if cl == nil {
		cl = f.srv.Client()
	}
	resp, err := cl.Get(f.srv.URL + "/metrics")
	if err != nil {
		f.t.Fatal(err)
	}
	mb, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	all = append(all, mb)
	all = append(all, f.seen...)
	arrivaltest.NoPlanted(f.t, "output", all...)
	if bytes.Contains(f.log.Bytes(), []byte(tokenA)) {
		f.t.Error("a token reached the log")
	}
}

func dirtyJPEG(t testing.TB) []byte {
	b, err := testimg.JPEG(testimg.Everything())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestServeStatuses(t *testing.T) {
	f := newFixture(t, Config{Jobs: 2, MaxBody: 1 << 20}, false)
	photo := dirtyJPEG(t)
	requests := 0

	// 200 scrubbed: clean bytes, status and categories headers.
	resp, body := f.post("/v1/scrub", tokenA, bytes.NewReader(photo))
	requests++
	if resp.StatusCode != 200 || resp.Header.Get("Photoscrub-Status") != "scrubbed" || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("scrub: %d %v", resp.StatusCode, resp.Header)
	}
	if cats := resp.Header.Get("Photoscrub-Categories"); !strings.Contains(cats, "location") || !strings.Contains(cats, "identity") {
		t.Errorf("categories %q", cats)
	}
	if in, err := photoscrub.Inspect(body); err != nil || len(in.Findings) != 0 {
		t.Errorf("answer still has findings: %v %v", in.Findings, err)
	}

	// 200 clean: the same bytes back.
	resp, body2 := f.post("/v1/scrub", tokenA, bytes.NewReader(body))
	requests++
	if resp.StatusCode != 200 || resp.Header.Get("Photoscrub-Status") != "clean" || !bytes.Equal(body, body2) {
		t.Fatalf("clean: %d %v", resp.StatusCode, resp.Header)
	}

	// scan: the record as JSON, names only.
	resp, body = f.post("/v1/scan", "tok-bbbbbbbbbbbbbbbbbbbbbbbb", bytes.NewReader(photo))
	requests++
	var rec report.File
	if resp.StatusCode != 200 || json.Unmarshal(body, &rec) != nil || rec.Status != report.StatusWouldScrub || rec.Client != "portal-2" || len(rec.Findings) == 0 {
		t.Fatalf("scan: %d %s", resp.StatusCode, body)
	}

	// reencode.
	resp, body = f.post("/v1/scrub?mode=reencode&format=jpeg&fit=8x8&quality=80", tokenA, bytes.NewReader(photo))
	requests++
	if resp.StatusCode != 200 || resp.Header.Get("Photoscrub-Status") != "scrubbed" {
		t.Fatalf("reencode: %d %s", resp.StatusCode, body)
	}

	// reencode to an exact size (fit=WxH covers and crops, as --fit).
	resp, body = f.post("/v1/scrub?mode=reencode&fit=8x6", tokenA, bytes.NewReader(photo))
	requests++
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("reencode with fit: %d %v %s", resp.StatusCode, resp.Header, body)
	}
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(body)); err != nil || cfg.Width != 8 || cfg.Height != 6 {
		t.Errorf("fit answer: %+v %v", cfg, err)
	}

	// 415: not an image.
	resp, body = f.post("/v1/scrub", tokenA, strings.NewReader("just some text, not a photo"))
	requests++
	f.problem(resp, body, 415, "unsupported-format")

	// 422: a truncated JPEG: nothing returned, never the original.
	resp, body = f.post("/v1/scrub", tokenA, bytes.NewReader(photo[:len(photo)/2]))
	requests++
	f.problem(resp, body, 422, "parse")
	if bytes.Contains(body, photo[:64]) {
		t.Error("422 answer holds the original's bytes")
	}

	// 413, announced by Content-Length and found while reading a chunked body.
	big := make([]byte, 2<<20)
	copy(big, photo)
	resp, body = f.post("/v1/scrub", tokenA, bytes.NewReader(big))
	requests++
	f.problem(resp, body, 413, "too-large")
	resp, body = f.post("/v1/scrub", tokenA, io.MultiReader(bytes.NewReader(photo), bytes.NewReader(big))) // no length: chunked
	requests++
	f.problem(resp, body, 413, "too-large")

	// 401: missing and wrong tokens.
	resp, body = f.post("/v1/scrub", "", bytes.NewReader(photo))
	requests++
	f.problem(resp, body, 401, "unauthorized")
	if resp.Header.Get("WWW-Authenticate") == "" {
		t.Error("401 without WWW-Authenticate")
	}
	resp, body = f.post("/v1/scrub", "tok-aaaaaaaaaaaaaaaaaaaaaaab", bytes.NewReader(photo))
	requests++
	f.problem(resp, body, 401, "unauthorized")

	// 400 and 405.
	resp, body = f.post("/v1/scrub?fit=big", tokenA, bytes.NewReader(photo))
	requests++
	f.problem(resp, body, 400, "bad-request")
	req, _ := http.NewRequest("GET", f.srv.URL+"/v1/scrub", nil)
	resp, body = f.do(req)
	requests++
	f.problem(resp, body, 405, "method-not-allowed")

	// health and readiness.
	for _, p := range []string{"/healthz", "/readyz"} {
		req, _ := http.NewRequest("GET", f.srv.URL+p, nil)
		if resp, _ := f.do(req); resp.StatusCode != 200 {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
	f.s.SetReady(false)
	req, _ = http.NewRequest("GET", f.srv.URL+"/readyz", nil)
	if resp, _ := f.do(req); resp.StatusCode != 503 {
		t.Errorf("readyz while shutting down: %d", resp.StatusCode)
	}

	// metrics.
	req, _ = http.NewRequest("GET", f.srv.URL+"/metrics", nil)
	_, mb := f.do(req)
	for _, want := range []string{
		`photoscrub_requests_total{code="200",endpoint="scrub",status="scrubbed"} 3`,
		`photoscrub_requests_total{code="415",endpoint="scrub",status="unsupported"} 1`,
		`photoscrub_requests_total{code="401",endpoint="scrub",status="skipped"} 2`,
		`photoscrub_findings_total{category="location"}`,
		`photoscrub_request_duration_seconds_bucket{endpoint="scrub",le="0.02"}`,
		`photoscrub_queue_depth 0`, `photoscrub_request_bytes_total`, `photoscrub_response_bytes_total`,
		`process_resident_memory_bytes`,
	} {
		if !bytes.Contains(mb, []byte(want)) {
			t.Errorf("metrics lack %s", want)
		}
	}
	f.closeAndCheck(requests)
	// The log has one JSON line per request, with the client's name.
	lines := 0
	sc := bufio.NewScanner(bytes.NewReader(f.log.Bytes()))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line not JSON: %s", sc.Bytes())
		}
		if m["msg"] == "request" {
			lines++
		}
	}
	if lines != requests {
		t.Errorf("%d request log lines, want %d", lines, requests)
	}
}

// blockingBody delivers a few bytes and then waits for release.
type blockingBody struct {
	first   []byte
	release chan struct{}
	started chan struct{}
	once    sync.Once
}

func (b *blockingBody) Read(p []byte) (int, error) {
	if len(b.first) > 0 {
		n := copy(p, b.first)
		b.first = b.first[n:]
		b.once.Do(func() { close(b.started) })
		return n, nil
	}
	<-b.release
	return 0, io.EOF
}

func TestServeOverload(t *testing.T) {
	f := newFixture(t, Config{Jobs: 1, Queue: -1, RetryAfter: 2 * time.Second}, false)
	photo := dirtyJPEG(t)
	// One slow upload takes the only place in the system.
	slow := &blockingBody{first: photo[:100], release: make(chan struct{}), started: make(chan struct{})}
	done := make(chan int)
	go func() {
		req, _ := http.NewRequest("POST", f.srv.URL+"/v1/scrub", slow)
		req.Header.Set("Authorization", "Bearer "+tokenA)
		resp, err := f.srv.Client().Do(req)
		if err != nil {
			done <- -1
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	<-slow.started
	time.Sleep(50 * time.Millisecond)
	resp, body := f.post("/v1/scrub", tokenA, bytes.NewReader(photo))
	f.problem(resp, body, 503, "overloaded")
	if resp.Header.Get("Retry-After") != "2" {
		t.Errorf("Retry-After %q", resp.Header.Get("Retry-After"))
	}
	close(slow.release)
	if code := <-done; code != 422 { // the slow body was a truncated photo
		t.Errorf("slow request: %d", code)
	}
	resp, _ = f.post("/v1/scrub", tokenA, bytes.NewReader(photo))
	if resp.StatusCode != 200 {
		t.Errorf("after the overload: %d", resp.StatusCode)
	}
	f.closeAndCheck(3)
}

func TestServeSlowClients(t *testing.T) {
	f := newFixture(t, Config{Jobs: 2}, false)
	addr := f.srv.Listener.Addr().String()
	// Slow headers: the connection is closed after the header timeout (1s).
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /v1/scrub HTTP/1.1\r\nHost: x\r\n")
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	b, _ := io.ReadAll(c)
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("slow headers held the connection %s", d)
	}
	_ = b
	// Slow body: 408 once the body timeout (2s) passes.
	c2, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	fmt.Fprintf(c2, "POST /v1/scrub HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Length: 5000\r\n\r\nabc", tokenA)
	c2.SetReadDeadline(time.Now().Add(6 * time.Second))
	start = time.Now()
	resp, err := http.ReadResponse(bufio.NewReader(c2), nil)
	if err != nil {
		t.Fatalf("slow body: %v after %s", err, time.Since(start))
	}
	resp.Body.Close()
	if resp.StatusCode != 408 {
		t.Errorf("slow body: %d", resp.StatusCode)
	}
	f.closeAndCheck(1)
}

// TestServeHTTP2 sends one upload over HTTP/2, with TLS (a generated
// certificate, as an operator would install one) and in clear text (h2c).
func TestServeHTTP2(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tls    bool
		client func(t *testing.T, f *fixture) *http.Client
	}{
		{"TLS", true, tlsClient},
		{"h2c", false, func(*testing.T, *fixture) *http.Client {
			var p http.Protocols
			p.SetUnencryptedHTTP2(true)
			return &http.Client{Transport: &http.Transport{Protocols: &p}}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, Config{Jobs: 2}, tc.tls)
			cl := tc.client(t, f)
			f.client = cl
			req, _ := http.NewRequest("POST", f.srv.URL+"/v1/scrub", bytes.NewReader(dirtyJPEG(t)))
			req.Header.Set("Authorization", "Bearer "+tokenA)
			resp, err := cl.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			f.seen = append(f.seen, body)
			if resp.StatusCode != 200 || resp.ProtoMajor != 2 {
				t.Fatalf("%s: %d %s", tc.name, resp.StatusCode, resp.Proto)
			}
			f.closeAndCheck(1)
		})
	}
}

// tlsClient installs a generated certificate on f's server and returns a
// client that trusts it and asks for HTTP/2.
func tlsClient(t *testing.T, f *fixture) *http.Client {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	f.srv.TLS.Certificates = []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}}
}

func TestServeConcurrentRecords(t *testing.T) {
	f := newFixture(t, Config{Jobs: 2, Queue: 1000}, false)
	photo := dirtyJPEG(t)
	var wg sync.WaitGroup
	const n = 200
	codes := make(chan int, n)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < n/8; j++ {
				req, _ := http.NewRequest("POST", f.srv.URL+"/v1/scrub", bytes.NewReader(photo))
				req.Header.Set("Authorization", "Bearer "+tokenA)
				resp, err := f.srv.Client().Do(req)
				if err != nil {
					codes <- -1
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				codes <- resp.StatusCode
			}
		}()
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != 200 {
			t.Fatalf("status %d under concurrency", c)
		}
	}
	f.closeAndCheck(n)
	files, _ := report.SeriesFiles(f.base)
	if len(files) < 2 {
		t.Errorf("the 16 KiB rotation made %d files", len(files))
	}
}
