package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/photoscrub/photoscrub/pkg/internal/serve"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/report"
)

// arrivalFlags are the flags serve and watch share: the rotated report,
// its signature and the keep policy.
func arrivalFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: "report", Usage: "write the audit report series to `FILE` (FILE-000001.jsonl, ...; one record per photo)"},
		&ucli.StringFlag{Name: "report-rotate", Value: "24h", Usage: "seal the report file and start the next one after a duration (24h) or a size (100MB); 0: never"},
		&ucli.StringFlag{Name: "sign-key", Usage: "sign every report seal with the Ed25519 private key in `FILE`"},
		&ucli.StringFlag{Name: "redact-paths", Usage: "replace paths in the report by HMAC tokens keyed with the secret in `FILE`"},
		&ucli.StringFlag{Name: "operator", Usage: "who runs this, recorded in each report header"},
		&ucli.StringFlag{Name: "purpose", Usage: "why, recorded in each report header"},
		&ucli.StringFlag{Name: "keep", Value: "orientation,icc", Usage: "what a lossless scrub keeps besides pixels: orientation, icc, both or none"},
		&ucli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Value: runtime.NumCPU(), Usage: "photos processed in parallel"},
		&ucli.Int64Flag{Name: "max-pixels", Value: 100_000_000, Usage: "refuse to decode images with more pixels (re-encode)"},
		&ucli.Int64Flag{Name: "memory-budget", Value: 1 << 30, Usage: "bytes of decoded pixels all re-encodes may hold at once"},
		&ucli.StringFlag{Name: "log-level", Value: "info", Usage: "debug, info, warn or error (logs are JSON on stderr)"},
	}
}

// parseRotate reads --report-rotate: a duration or a size (K/M/G with an
// optional B, powers of 1000; KiB/MiB/GiB powers of 1024).
func parseRotate(v string) (report.RotateOptions, error) {
	v = strings.TrimSpace(v)
	if v == "" || v == "0" {
		return report.RotateOptions{}, nil
	}
	if d, err := time.ParseDuration(v); err == nil && d > 0 {
		return report.RotateOptions{Every: d}, nil
	}
	u := strings.ToUpper(v)
	mult := map[string]int64{"KIB": 1 << 10, "MIB": 1 << 20, "GIB": 1 << 30, "KB": 1e3, "MB": 1e6, "GB": 1e9, "K": 1e3, "M": 1e6, "G": 1e9, "B": 1}
	for _, suf := range []string{"KIB", "MIB", "GIB", "KB", "MB", "GB", "K", "M", "G", "B"} {
		if num, ok := strings.CutSuffix(u, suf); ok {
			var n int64
			if _, err := fmt.Sscanf(num, "%d", &n); err == nil && n > 0 && fmt.Sprint(n) == num {
				return report.RotateOptions{MaxBytes: n * mult[suf]}, nil
			}
		}
	}
	return report.RotateOptions{}, usagef("--report-rotate takes a duration (24h) or a size (100MB), got %q", v)
}

// parseKeep reads a --keep list; example completes the usage error's
// "e.g." with the command line the caller suggests.
func parseKeep(v, example string) (meta.Keep, error) {
	var k meta.Keep
	for _, s := range strings.Split(v, ",") {
		switch strings.TrimSpace(s) {
		case "orientation":
			k.Orientation = true
		case "icc":
			k.ICC = true
		case "both":
			k = meta.DefaultKeep
		case "none", "":
		default:
			return k, usagef("--keep takes orientation, icc, both or none, e.g. %s", example)
		}
	}
	return k, nil
}

// reportKeep is the keep policy as the report header records it.
func reportKeep(k meta.Keep) report.Keep {
	return report.Keep{Orientation: k.Orientation, ICC: k.ICC}
}

// readArrival reads the keep policy and the log level that serve and watch
// share; the logger writes JSON to the app's error writer.
func readArrival(c *ucli.Context) (meta.Keep, *slog.Logger, error) {
	keep, err := parseKeep(c.String("keep"), "--keep orientation,icc")
	if err != nil {
		return keep, nil, err
	}
	log, err := newLogger(c.App.ErrWriter, c.String("log-level"))
	return keep, log, err
}

func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, usagef("--log-level takes debug, info, warn or error")
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l})), nil
}

// openSeries opens the rotated report of serve or watch (nil without --report).
// The header's options are s with keep, --jobs and --max-pixels filled in.
func openSeries(c *ucli.Context, cmd string, s report.Settings, keep meta.Keep, roots []string) (*report.Series, error) {
	path := c.String("report")
	if path == "" {
		return nil, nil
	}
	ro, err := parseRotate(c.String("report-rotate"))
	if err != nil {
		return nil, err
	}
	var opts report.Options
	if kp := c.String("sign-key"); kp != "" {
		k, err := report.LoadPrivateKey(kp)
		if err != nil {
			return nil, &exitError{ExitUsage, fmt.Sprintf("%s: cannot load the signing key%s", kp, because(err))}
		}
		opts.SignKey = k
	}
	if kp := c.String("redact-paths"); kp != "" {
		k, err := os.ReadFile(kp)
		if err != nil || len(k) < 16 {
			return nil, &exitError{ExitUsage, fmt.Sprintf("%s: cannot read a redaction key of at least 16 bytes%s", kp, because(err))}
		}
		opts.RedactKey = k
	}
	s.Keep, s.Jobs, s.MaxPixels = reportKeep(keep), c.Int("jobs"), c.Int64("max-pixels")
	h := report.Header{Command: cmd, Tool: report.CurrentTool(Version), Options: s,
		Operator: c.String("operator"), Purpose: c.String("purpose"), Roots: roots}
	ser, err := report.OpenSeries(path, h, opts, ro)
	if err != nil {
		return nil, &exitError{ExitFatal, fmt.Sprintf("cannot open the report: %v", err)}
	}
	return ser, nil
}

func serveCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "serve",
		Usage:     "scrub photos as they are uploaded: an HTTP endpoint that returns the verified clean bytes",
		ArgsUsage: " ",
		UsageText: "photoscrub serve --listen ADDR [--report FILE] [--token-file FILE] [--tls-cert FILE --tls-key FILE] [flags]\n\n" +
			"Examples:\n" +
			"   photoscrub serve --listen 127.0.0.1:8080 --report /var/log/photoscrub/serve.jsonl\n" +
			"   curl --data-binary @photo.jpg -o clean.jpg http://127.0.0.1:8080/v1/scrub\n" +
			"   curl --data-binary @photo.jpg 'http://127.0.0.1:8080/v1/scrub?mode=reencode&fit=1600x1600'",
		Description: "POST /v1/scrub answers 200 with the cleaned photo (headers Photoscrub-Status and Photoscrub-Categories),\n" +
			"POST /v1/scan with the findings as JSON; errors are application/problem+json (415, 422, 413, 401, 503).\n" +
			"GET /healthz, /readyz and /metrics (Prometheus). SIGTERM or SIGINT: stop accepting, finish in-flight\n" +
			"requests, seal the report, exit 0. See docs/serve.md.",
		Flags: append([]ucli.Flag{
			&ucli.StringFlag{Name: "listen", Value: "127.0.0.1:8080", Usage: "listen on `ADDR` (host:port)"},
			&ucli.StringFlag{Name: "addr-file", Usage: "write the address actually listened on to `FILE` (for --listen :0)"},
			&ucli.StringFlag{Name: "token-file", Usage: "require a bearer token from `FILE` (lines 'NAME TOKEN'; the report records NAME)"},
			&ucli.StringFlag{Name: "tls-cert", Usage: "serve HTTPS with the certificate chain in `FILE` (PEM)"},
			&ucli.StringFlag{Name: "tls-key", Usage: "the private key of --tls-cert (PEM)"},
			&ucli.Int64Flag{Name: "max-body", Value: 64 << 20, Usage: "refuse bodies over `BYTES` with 413 (checked while reading)"},
			&ucli.IntFlag{Name: "queue", Usage: "requests that may wait for a job slot before 503 (default 4 × --jobs; 0: none)"},
			&ucli.DurationFlag{Name: "header-timeout", Value: 10 * time.Second, Usage: "time allowed for the request headers"},
			&ucli.DurationFlag{Name: "body-timeout", Value: 60 * time.Second, Usage: "time allowed for the whole request, body included"},
			&ucli.DurationFlag{Name: "handler-timeout", Value: 30 * time.Second, Usage: "time allowed from the end of the body to the answer"},
			&ucli.DurationFlag{Name: "idle-timeout", Value: 120 * time.Second, Usage: "close keep-alive connections idle this long"},
			&ucli.DurationFlag{Name: "shutdown-timeout", Value: 30 * time.Second, Usage: "on SIGTERM, time allowed for in-flight requests"},
			&ucli.IntFlag{Name: "quality", Value: 92, Usage: "default JPEG quality of ?mode=reencode"},
		}, arrivalFlags()...),
		Action: func(c *ucli.Context) error {
			if c.NArg() > 0 {
				return usagef("serve takes no arguments; photos arrive as POST /v1/scrub bodies")
			}
			return runServe(c)
		},
	}
}

func runServe(c *ucli.Context) error {
	keep, log, err := readArrival(c)
	if err != nil {
		return err
	}
	cert, key := c.String("tls-cert"), c.String("tls-key")
	if (cert == "") != (key == "") {
		return usagef("--tls-cert and --tls-key go together")
	}
	jobs := c.Int("jobs")
	if jobs < 1 || jobs > 1024 {
		return usagef("--jobs must be between 1 and 1024")
	}
	if c.Int64("max-body") < 1 {
		return usagef("--max-body must be at least 1 byte")
	}
	if q := c.Int("quality"); q < 1 || q > 100 {
		return usagef("--quality must be between 1 and 100")
	}
	var tokens *serve.Tokens
	if tf := c.String("token-file"); tf != "" {
		if tokens, err = serve.LoadTokens(tf); err != nil {
			return &exitError{ExitUsage, fmt.Sprintf("%s: %v", tf, err)}
		}
	}
	var tlsCert tls.Certificate
	if cert != "" {
		if tlsCert, err = tls.LoadX509KeyPair(cert, key); err != nil {
			return &exitError{ExitUsage, fmt.Sprintf("cannot load the TLS certificate and key%s", because(err))}
		}
	}
	ser, err := openSeries(c, "serve", report.Settings{Mode: "lossless", Output: "response", Quality: c.Int("quality"),
		FileTimeoutSeconds: c.Duration("handler-timeout").Seconds(), MaxFileSize: c.Int64("max-body")}, keep, []string{})
	if err != nil {
		return err
	}
	queue := c.Int("queue")
	switch {
	case queue < 0:
		return usagef("--queue must be 0 or more")
	case queue == 0 && c.IsSet("queue"):
		queue = -1 // no queue at all
	}
	cfg := serve.Config{
		Jobs: jobs, Queue: queue, MaxBody: c.Int64("max-body"), HandlerTimeout: c.Duration("handler-timeout"),
		Tokens: tokens, Keep: keep, Quality: c.Int("quality"), MaxPixels: c.Int64("max-pixels"),
		MemoryBudget: c.Int64("memory-budget"), Logger: log,
	}
	if ser != nil {
		cfg.Report = ser
	}
	s := serve.New(cfg)
	srv := serve.HTTPServer(s.Handler(), c.Duration("header-timeout"), c.Duration("body-timeout"),
		c.Duration("handler-timeout"), c.Duration("idle-timeout"), log)
	ln, err := net.Listen("tcp", c.String("listen"))
	if err != nil {
		if ser != nil {
			ser.Close(report.Summary{ExitCode: ExitFatal})
		}
		return &exitError{ExitFatal, fmt.Sprintf("cannot listen on %s%s", c.String("listen"), because(err))}
	}
	if cert != "" {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{tlsCert}, MinVersion: tls.VersionTLS12}
		ln = tls.NewListener(ln, srv.TLSConfig)
	}
	addr := ln.Addr().String()
	if af := c.String("addr-file"); af != "" {
		if err := writeAddrFile(af, addr); err != nil {
			ln.Close()
			return &exitError{ExitFatal, fmt.Sprintf("cannot write %s%s", af, because(err))}
		}
	}
	log.Info("listening", "addr", addr, "tls", cert != "", "jobs", jobs, "report", ser != nil, "auth", tokens != nil)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	var serveErr error
	select {
	case serveErr = <-errc:
	case <-c.Context.Done():
		log.Info("shutting down", "deadline_s", c.Duration("shutdown-timeout").Seconds())
		s.SetReady(false)
		ctx, cancel := context.WithTimeout(context.Background(), c.Duration("shutdown-timeout"))
		if err := srv.Shutdown(ctx); err != nil {
			log.Warn("shutdown deadline passed; closing the remaining connections")
			srv.Close()
		}
		cancel()
		s.Wait(5 * time.Second)
	}
	code := ExitOK
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		log.Error("server stopped", "error", serveErr.Error())
		code = ExitFatal
	}
	if err := sealSeries(ser, code, log); err != nil {
		return err
	}
	if code != ExitOK {
		return &exitError{code, ""}
	}
	return nil
}

// sealSeries seals the report of serve or watch, if there is one, with the
// run's exit code and logs the file and its head; when the seal fails it
// logs why and returns the exit error that ends the command.
func sealSeries(ser *report.Series, code int, log *slog.Logger) error {
	if ser == nil {
		return nil
	}
	head, err := ser.Close(report.Summary{ExitCode: code})
	if err != nil {
		log.Error("report not sealed", "error", err.Error())
		return &exitError{ExitFatal, "the report could not be sealed"}
	}
	log.Info("report sealed", "file", ser.Path(), "head", head)
	return nil
}

// writeAddrFile writes addr atomically (readers never see a partial line).
func writeAddrFile(path, addr string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(addr+"\n"), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// runVerifySeries verifies report files as one rotated series (serve and
// watch write them): each file alone, and each header's prev_report
// against the head of the file before it. paths is either several files in
// order, or one --report name whose FILE-NNNNNN.jsonl files exist.
// (report verify calls it when given more than one file, or a series name.)
func runVerifySeries(c *ucli.Context, paths []string, pubPath string) error {
	if len(paths) == 1 {
		files, err := report.SeriesFiles(paths[0])
		if err != nil || len(files) == 0 {
			return &exitError{ExitUsage, fmt.Sprintf("%s: no report series of that name", paths[0])}
		}
		paths = files
	}
	pub, err := loadPubKey(pubPath)
	if err != nil {
		return err
	}
	res, err := report.VerifySeries(paths, pub)
	for i, r := range res.Files {
		if i != res.BadFile {
			fmt.Fprintf(c.App.Writer, "%s: %s\n", paths[i], r.String())
		}
	}
	if err != nil {
		return &exitError{ExitPartial, res.Problem}
	}
	fmt.Fprintf(c.App.Writer, "series: %s\n", res.String())
	return nil
}

// isSeriesName reports whether path names a report series (path itself
// absent, path-000001.jsonl ... present).
func isSeriesName(path string) bool {
	if _, err := os.Stat(path); err == nil {
		return false
	}
	files, err := report.SeriesFiles(path)
	return err == nil && len(files) > 0
}
