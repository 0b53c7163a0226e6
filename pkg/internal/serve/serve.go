// Package serve is photoscrub's upload endpoint (photoscrub serve): an
// net/http handler that scrubs each photo as it arrives, through the
// library's streaming entry (photoscrub.ScrubBytes), answers with the
// verified clean bytes or an RFC 9457 problem, and writes one record per
// request to the hash-chained report. It bounds concurrency (jobs plus a
// bounded queue, 503 beyond), body size (413, checked while reading) and
// time (header, body, handler and idle timeouts), authenticates clients by
// bearer token and exports Prometheus metrics. Nothing it writes (response
// headers, problems, logs, metric labels, report) ever holds a metadata
// value: only category names, fixed reasons and photoscrub's own wording.
package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/photoscrub"
	"github.com/photoscrub/photoscrub/pkg/report"
)

// Recorder receives one report record per request (a *report.Series).
type Recorder interface {
	WriteFile(*report.File) error
}

// Config configures a Server. Zero values take the defaults in brackets.
type Config struct {
	Jobs           int           // requests processed at once [2]
	Queue          int           // requests waiting for a job slot before 503 [4×Jobs]
	MaxBody        int64         // body limit in bytes [64 MiB]
	HandlerTimeout time.Duration // from the end of the headers to the answer [30s]
	RetryAfter     time.Duration // Retry-After of a 503 [1s]
	Tokens         *Tokens       // nil: no authentication
	Keep           meta.Keep
	Quality        int   // default JPEG quality of a re-encode [92]
	MaxPixels      int64 // pixel limit of a re-encode [100 MP]
	MemoryBudget   int64 // decoded-pixel bytes all re-encodes may hold [1 GiB]
	Report         Recorder
	Logger         *slog.Logger // nil: no request log
	// Registry receives the metrics; nil: a new registry (see Metrics).
	Metrics *Metrics
}

// Server is the upload handler.
type Server struct {
	cfg       Config
	m         *Metrics
	slots     chan struct{}
	admitted  atomic.Int64
	budget    *semaphore.Weighted
	ready     atomic.Bool
	seq       atomic.Uint64
	inflight  sync.WaitGroup
	reportErr atomic.Bool
}

// New returns a Server; it is ready (GET /readyz answers 200) at once.
func New(cfg Config) *Server {
	if cfg.Jobs <= 0 {
		cfg.Jobs = 2
	}
	if cfg.Queue < 0 {
		cfg.Queue = 0
	} else if cfg.Queue == 0 {
		cfg.Queue = 4 * cfg.Jobs
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 64 << 20
	}
	if cfg.HandlerTimeout <= 0 {
		cfg.HandlerTimeout = 30 * time.Second
	}
	if cfg.RetryAfter <= 0 {
		cfg.RetryAfter = time.Second
	}
	if cfg.Quality <= 0 {
		cfg.Quality = 92
	}
	if cfg.MaxPixels <= 0 {
		cfg.MaxPixels = 100_000_000
	}
	if cfg.MemoryBudget <= 0 {
		cfg.MemoryBudget = 1 << 30
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics()
	}
	s := &Server{cfg: cfg, m: cfg.Metrics, slots: make(chan struct{}, cfg.Jobs),
		budget: semaphore.NewWeighted(cfg.MemoryBudget)}
	s.ready.Store(true)
	return s
}

// SetReady sets what GET /readyz answers (false while shutting down).
func (s *Server) SetReady(ok bool) { s.ready.Store(ok) }

// Wait waits for every request handler to return (after
// http.Server.Shutdown or Close), at most d.
func (s *Server) Wait(d time.Duration) bool {
	done := make(chan struct{})
	go func() { s.inflight.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}

// Handler returns the HTTP handler of every endpoint.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/scrub", func(w http.ResponseWriter, r *http.Request) { s.upload(w, r, "scrub") })
	mux.HandleFunc("/v1/scan", func(w http.ResponseWriter, r *http.Request) { s.upload(w, r, "scan") })
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if !s.ready.Load() || s.reportErr.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "not ready\n")
			return
		}
		io.WriteString(w, "ready\n")
	})
	mux.Handle("GET /metrics", s.m.Handler())
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, http.StatusNotFound, "not-found", "Not found",
			"photoscrub serves POST /v1/scrub, POST /v1/scan, GET /healthz, GET /readyz and GET /metrics", "")
	})
	return mux
}

// HTTPServer returns an http.Server for handler h with the timeouts that
// make it slow-loris safe: headerTimeout for the request line and headers,
// bodyTimeout for the whole request (headers and body), the handler's
// timeout on top for writing the answer, idleTimeout between keep-alive
// requests. HTTP/1.1 and HTTP/2 (h2c without TLS) are both served.
func HTTPServer(h http.Handler, headerTimeout, bodyTimeout, handlerTimeout, idleTimeout time.Duration, log *slog.Logger) *http.Server {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: headerTimeout,
		ReadTimeout:       bodyTimeout,
		WriteTimeout:      bodyTimeout + handlerTimeout + 5*time.Second,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
	}
	if log != nil {
		srv.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	}
	var p http.Protocols
	p.SetHTTP1(true)
	p.SetHTTP2(true)
	p.SetUnencryptedHTTP2(true)
	srv.Protocols = &p
	return srv
}

// outcome is what one upload request came to.
type outcome struct {
	code    int
	problem string // problem slug, "" on success
	title   string
	detail  string
	rec     report.File
	res     photoscrub.Result
	out     []byte
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request, endpoint string) {
	s.inflight.Add(1)
	defer s.inflight.Done()
	start := time.Now()
	id := s.seq.Add(1)
	o := &outcome{rec: report.File{Path: endpoint + "/" + strconv.FormatUint(id, 10), Format: "unknown", Verification: report.VerifyNotRun}}
	var bytesIn int64
	defer func() {
		o.rec.DurationMS = float64(time.Since(start).Microseconds()) / 1000
		s.finish(w, r, endpoint, id, o, bytesIn, start)
	}()

	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		o.fail(http.StatusMethodNotAllowed, "method-not-allowed", "Method not allowed", "use POST with the image as the body", report.StatusSkipped, report.ReasonBadRequest)
		return
	}
	if s.cfg.Tokens != nil {
		name, ok := s.cfg.Tokens.Authenticate(r.Header.Get("Authorization"))
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="photoscrub"`)
			o.fail(http.StatusUnauthorized, "unauthorized", "Unauthorized", "a valid bearer token is required", report.StatusSkipped, report.ReasonUnauthorized)
			return
		}
		o.rec.Client = name
	}
	opts, err := s.options(r, endpoint)
	if err != nil {
		o.fail(http.StatusBadRequest, "bad-request", "Bad request", err.Error(), report.StatusSkipped, report.ReasonBadRequest)
		return
	}
	if r.ContentLength > s.cfg.MaxBody {
		o.rec.SizeBefore = r.ContentLength
		o.fail(http.StatusRequestEntityTooLarge, "too-large", "Body too large",
			fmt.Sprintf("the body is over the limit of %d bytes", s.cfg.MaxBody), report.StatusSkipped, report.ReasonTooLarge)
		return
	}
	// Admission: at most Jobs+Queue requests in the system; beyond, 503.
	if s.admitted.Add(1) > int64(s.cfg.Jobs+s.cfg.Queue) {
		s.admitted.Add(-1)
		w.Header().Set("Retry-After", strconv.Itoa(int(max(1, s.cfg.RetryAfter.Round(time.Second)/time.Second))))
		o.fail(http.StatusServiceUnavailable, "overloaded", "Overloaded", "the queue is full; retry later", report.StatusSkipped, report.ReasonOverloaded)
		return
	}
	defer s.admitted.Add(-1)

	// The body is read outside a job slot: a slow client holds memory
	// (bounded by the admission count) but no worker.
	body := http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
	data, err := readBody(body, r.ContentLength)
	bytesIn = int64(len(data))
	o.rec.SizeBefore = bytesIn
	if err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			o.rec.SizeBefore = s.cfg.MaxBody
			o.fail(http.StatusRequestEntityTooLarge, "too-large", "Body too large",
				fmt.Sprintf("the body is over the limit of %d bytes", s.cfg.MaxBody), report.StatusSkipped, report.ReasonTooLarge)
		case isTimeout(err):
			o.fail(http.StatusRequestTimeout, "body-timeout", "Request timeout", "the body did not arrive in time", report.StatusFailed, report.ReasonTimeout)
		default:
			o.fail(http.StatusBadRequest, "incomplete-body", "Incomplete body", "the body could not be read to its end", report.StatusFailed, report.ReasonIO)
		}
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.HandlerTimeout)
	defer cancel()
	s.m.queue.Inc()
	select {
	case s.slots <- struct{}{}:
		s.m.queue.Dec()
	case <-ctx.Done():
		s.m.queue.Dec()
		w.Header().Set("Retry-After", strconv.Itoa(int(max(1, s.cfg.RetryAfter.Round(time.Second)/time.Second))))
		o.fail(http.StatusServiceUnavailable, "overloaded", "Overloaded", "no worker was free in time; retry later", report.StatusFailed, report.ReasonTimeout)
		return
	}
	s.m.busy.Inc()
	res, out, err := photoscrub.ScrubBytes(ctx, data, opts)
	<-s.slots
	s.m.busy.Dec()
	o.res = res
	o.rec.Format = res.Format
	o.rec.Findings = res.Findings
	o.rec.SHA256Before = res.SHA256In
	o.rec.Warnings = res.Warnings
	o.rec.Method = res.Method
	if err != nil {
		s.failed(o, err)
		return
	}
	if res.Verified {
		o.rec.Verification = report.VerifyPassed
	}
	o.rec.Removed = res.Removed
	switch {
	case endpoint == "scan" && res.Status == "would-scrub":
		o.rec.Status = report.StatusWouldScrub
	case res.Status == "scrubbed":
		o.rec.Status = report.StatusScrubbed
	default:
		o.rec.Status = report.StatusClean
	}
	if endpoint == "scrub" {
		o.rec.SizeAfter, o.rec.SHA256After = res.SizeOut, res.SHA256Out
		o.out = out
	}
	o.code = http.StatusOK
}

// readBody reads the whole body. Content-Length sizes the first buffer
// only up to 1 MiB: a client announcing more than it sends makes the
// server allocate no more than it received.
func readBody(r io.Reader, n int64) ([]byte, error) {
	if n < 0 || n > 1<<20 {
		n = 1 << 20
	}
	buf := make([]byte, 0, n+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		k, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+k]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout() || errors.Is(err, context.DeadlineExceeded)
}

func (o *outcome) fail(code int, slug, title, detail string, st report.Status, reason report.Reason) {
	o.code, o.problem, o.title, o.detail = code, slug, title, detail
	o.rec.Status, o.rec.Reason, o.rec.Error = st, reason, detail
}

// failed maps a ScrubBytes error to the answer: 415 for what photoscrub
// cannot clean, 422 for what cannot be parsed or verified (nothing is
// returned, never the original), 503 when the handler's time ran out.
func (s *Server) failed(o *outcome, err error) {
	f := o.rec.Format
	switch {
	case errors.Is(err, photoscrub.ErrUnsupported):
		reason := report.ReasonUnsupportedFormat
		detail := "this format or variant cannot be cleaned"
		if f == "unknown" || f == "empty" {
			detail = "the body is not a recognised image format"
		} else {
			detail = fmt.Sprintf("%s: %s", f, detail)
		}
		o.fail(http.StatusUnsupportedMediaType, "unsupported-format", "Unsupported format", detail, report.StatusUnsupported, reason)
	case errors.Is(err, photoscrub.ErrVerify):
		o.rec.Verification = report.VerifyFailed
		o.fail(http.StatusUnprocessableEntity, "verify", "Output failed verification",
			"the cleaned output failed verification; nothing is returned", report.StatusFailed, report.ReasonVerify)
	case errors.Is(err, photoscrub.ErrDecode):
		o.fail(http.StatusUnprocessableEntity, "decode", "Image does not decode",
			"the image data do not decode; nothing is returned", report.StatusFailed, report.ReasonDecode)
	case errors.Is(err, photoscrub.ErrLimit):
		o.fail(http.StatusUnprocessableEntity, "too-many-pixels", "Image too large to re-encode",
			"the image exceeds the pixel or memory limit; nothing is returned", report.StatusFailed, report.ReasonTooLarge)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		o.fail(http.StatusServiceUnavailable, "timeout", "Timeout",
			"the request was not processed within the handler timeout; retry later", report.StatusFailed, report.ReasonTimeout)
	default: // ErrParse and anything else: fail closed
		o.fail(http.StatusUnprocessableEntity, "parse", "Cannot parse",
			fmt.Sprintf("the %s structure cannot be parsed; nothing is returned", f), report.StatusFailed, report.ReasonParse)
	}
}

// options reads the query: mode=lossless|reencode, format, fit=WxH,
// quality=N. Errors are our own wording (the query is never echoed).
func (s *Server) options(r *http.Request, endpoint string) (photoscrub.Options, error) {
	o := photoscrub.Options{Keep: s.cfg.Keep, Quality: s.cfg.Quality, MaxPixels: s.cfg.MaxPixels,
		Budget: s.budget, BudgetBytes: s.cfg.MemoryBudget, InspectOnly: endpoint == "scan"}
	q := r.URL.Query()
	for k := range q {
		switch k {
		case "mode", "format", "fit", "quality":
		default:
			return o, errors.New("unknown query parameter; use mode, format, fit or quality")
		}
	}
	switch q.Get("mode") {
	case "", "lossless":
		if q.Has("format") || q.Has("fit") || q.Has("quality") {
			return o, errors.New("format, fit and quality need mode=reencode")
		}
	case "reencode":
		o.Reencode = true
	default:
		return o, errors.New("mode must be lossless or reencode")
	}
	if v := q.Get("format"); v != "" {
		switch v {
		case "jpeg", "png", "webp", "avif", "gif", "tiff":
			o.Format = v
		default:
			return o, errors.New("format must be jpeg, png, webp, avif, gif or tiff")
		}
	}
	if v := q.Get("fit"); v != "" {
		ws, hs, ok := strings.Cut(v, "x")
		wd, e1 := strconv.Atoi(ws)
		ht, e2 := strconv.Atoi(hs)
		if !ok || e1 != nil || e2 != nil || wd < 1 || ht < 1 || wd > 65535 || ht > 65535 {
			return o, errors.New("fit must be WxH, e.g. fit=1600x1600")
		}
		o.Fit = image.Point{X: wd, Y: ht}
	}
	if v := q.Get("quality"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return o, errors.New("quality must be between 1 and 100")
		}
		o.Quality = n
	}
	return o, nil
}

// finish records the request, then answers: no clean bytes leave without
// their record in the report.
func (s *Server) finish(w http.ResponseWriter, r *http.Request, endpoint string, id uint64, o *outcome, bytesIn int64, start time.Time) {
	if s.cfg.Report != nil {
		if err := s.cfg.Report.WriteFile(&o.rec); err != nil {
			s.reportErr.Store(true)
			if s.cfg.Logger != nil {
				s.cfg.Logger.Error("report not writable; refusing uploads", "id", id)
			}
			w.Header().Set("Retry-After", "30")
			o.out = nil
			o.fail(http.StatusServiceUnavailable, "report-unavailable", "Report unavailable",
				"the audit report cannot be written; nothing is returned", o.rec.Status, o.rec.Reason)
		}
	}
	h := w.Header()
	var bytesOut int
	var err error
	cats := categoryNames(o.rec.Removed)
	if endpoint == "scan" {
		cats = categoryNames(o.rec.Findings)
	}
	switch {
	case o.problem != "":
		bytesOut, err = writeProblem(w, o.code, o.problem, o.title, o.detail, "/v1/"+endpoint+"#"+strconv.FormatUint(id, 10))
	case endpoint == "scan":
		b, _ := json.Marshal(scanAnswer(&o.rec))
		h.Set("Content-Type", "application/json")
		h.Set("Photoscrub-Status", string(o.rec.Status))
		h.Set("Photoscrub-Categories", cats)
		h.Set("Content-Length", strconv.Itoa(len(b)+1))
		w.WriteHeader(http.StatusOK)
		bytesOut, err = w.Write(append(b, '\n'))
	default:
		h.Set("Content-Type", o.res.ContentType)
		if o.res.OutputFormat != o.res.Format {
			h.Set("Photoscrub-Format", o.res.OutputFormat)
		}
		h.Set("Photoscrub-Status", string(o.rec.Status))
		h.Set("Photoscrub-Categories", cats)
		h.Set("Content-Length", strconv.Itoa(len(o.out)))
		h.Set("X-Content-Type-Options", "nosniff")
		w.WriteHeader(http.StatusOK)
		bytesOut, err = w.Write(o.out)
	}
	_ = err
	dur := time.Since(start)
	s.m.observe(endpoint, o, bytesIn, int64(bytesOut), dur)
	if s.cfg.Logger != nil {
		s.cfg.Logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.Uint64("id", id), slog.String("endpoint", endpoint), slog.String("client", o.rec.Client),
			slog.Int("code", o.code), slog.String("status", string(o.rec.Status)), slog.String("reason", string(o.rec.Reason)),
			slog.String("format", o.rec.Format), slog.String("categories", cats),
			slog.Int64("bytes_in", bytesIn), slog.Int("bytes_out", bytesOut),
			slog.Float64("duration_ms", float64(dur.Microseconds())/1000))
	}
}

// scanAnswer is the body of POST /v1/scan: the request's report record
// (names only, never values).
func scanAnswer(f *report.File) *report.File {
	a := *f
	a.Type = report.TypeFile
	if a.Findings == nil {
		a.Findings = []meta.Finding{}
	}
	if a.Removed == nil {
		a.Removed = []meta.Finding{}
	}
	if a.Warnings == nil {
		a.Warnings = []string{}
	}
	if a.Preserved == nil {
		a.Preserved = []string{}
	}
	return &a
}

func categoryNames(fs []meta.Finding) string {
	var out []string
	for _, c := range meta.Categories {
		for _, f := range fs {
			if f.Category == c {
				out = append(out, string(c))
				break
			}
		}
	}
	return strings.Join(out, ", ")
}

// problem is an RFC 9457 problem details object.
type problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Instance string `json:"instance,omitempty"`
}

// ProblemBase prefixes the type URI of every problem; the fragment is the
// problem's slug, documented in docs/serve.md.
const ProblemBase = "https://github.com/photoscrub/photoscrub/blob/main/docs/serve.md#"

func writeProblem(w http.ResponseWriter, code int, slug, title, detail, instance string) (int, error) {
	b, _ := json.Marshal(problem{Type: ProblemBase + slug, Title: title, Status: code, Detail: detail, Instance: instance})
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Content-Length", strconv.Itoa(len(b)+1))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	return w.Write(append(b, '\n'))
}
