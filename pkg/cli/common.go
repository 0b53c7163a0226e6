package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/photoscrub/photoscrub/pkg/internal/pipeline"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/report"
)

// commonOptions are the flags scan and scrub share.
type commonOptions struct {
	Paths       []string
	Jobs        int
	Report      string
	CSV         string
	JSON        bool
	Exclude     []string
	FileTimeout time.Duration
	MaxFileSize int64
	MaxPixels   int64
	Operator    string
	Purpose     string
	SignKey     string
	RedactKey   string
	Quiet       bool
	HTML        string
	FilesFrom   string
	Shard       pipeline.Shard
	Resume      string
	CPUProfile  string
	MemProfile  string
}

func commonFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Value: runtime.NumCPU(), Usage: "files processed in parallel"},
		&ucli.StringFlag{Name: "report", Usage: "write the audit report (JSON Lines) to `FILE`; never overwrites"},
		&ucli.StringFlag{Name: "csv", Usage: "also write one CSV row per file to `FILE`; never overwrites"},
		&ucli.StringSliceFlag{Name: "exclude", Usage: "skip paths matching `GLOB` (repeatable; matched against the relative path and the base name)"},
		&ucli.DurationFlag{Name: "file-timeout", Value: 60 * time.Second, Usage: "give up on one file after this long (it is reported failed)"},
		&ucli.Int64Flag{Name: "max-file-size", Value: 512 << 20, Usage: "skip files larger than `BYTES` (reported)"},
		&ucli.Int64Flag{Name: "max-pixels", Value: 100_000_000, Usage: "refuse to decode images with more pixels (re-encode)"},
		&ucli.StringFlag{Name: "operator", Usage: "who runs this, recorded in the report header"},
		&ucli.StringFlag{Name: "purpose", Usage: "why, recorded in the report header"},
		&ucli.StringFlag{Name: "sign-key", Usage: "sign the report seal with the Ed25519 private key in `FILE`"},
		&ucli.StringFlag{Name: "redact-paths", Usage: "replace paths in the report by HMAC tokens keyed with the secret in `FILE`"},
		&ucli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing but errors (no progress bar)"},
		&ucli.StringFlag{Name: "html", Usage: "also write a self-contained HTML summary to `FILE` (needs --report)"},
		&ucli.StringFlag{Name: "files-from", Usage: "process the paths listed in `FILE` ('-' for stdin; newline- or NUL-separated), relative to the single PATH"},
		&ucli.StringFlag{Name: "shard", Usage: "process only shard `I/N` (0-based) of the input, partitioned by a hash of each relative path"},
		&ucli.StringFlag{Name: "resume", Usage: "skip files an earlier (interrupted) `REPORT` shows done and that are unchanged since"},
		&ucli.StringFlag{Name: "cpuprofile", Hidden: true},
		&ucli.StringFlag{Name: "memprofile", Hidden: true},
	}
}

func readCommon(c *ucli.Context, verb string) (commonOptions, error) {
	paths, err := checkPaths(c, verb)
	if err != nil {
		return commonOptions{}, err
	}
	o := commonOptions{
		Paths: paths, Jobs: c.Int("jobs"), Report: c.String("report"), CSV: c.String("csv"),
		Exclude: c.StringSlice("exclude"), FileTimeout: c.Duration("file-timeout"),
		MaxFileSize: c.Int64("max-file-size"), MaxPixels: c.Int64("max-pixels"),
		Operator: c.String("operator"), Purpose: c.String("purpose"), SignKey: c.String("sign-key"),
		RedactKey: c.String("redact-paths"), Quiet: c.Bool("quiet"),
		HTML: c.String("html"), FilesFrom: c.String("files-from"), Resume: c.String("resume"),
		CPUProfile: c.String("cpuprofile"), MemProfile: c.String("memprofile"),
	}
	if sh := c.String("shard"); sh != "" {
		var i, n int
		if _, err := fmt.Sscanf(sh, "%d/%d", &i, &n); err != nil || n < 1 || i < 0 || i >= n || fmt.Sprintf("%d/%d", i, n) != sh {
			return o, usagef("--shard takes I/N with 0 <= I < N, e.g. photoscrub %s --shard 0/4 PATH", verb)
		}
		o.Shard = pipeline.Shard{Index: i, Of: n}
	}
	if o.FilesFrom != "" && len(paths) != 1 {
		return o, usagef("--files-from needs exactly one PATH, the directory the listed paths are relative to, e.g. photoscrub %s --files-from list.txt /store", verb)
	}
	if o.HTML != "" && o.Report == "" {
		return o, usagef("--html needs --report FILE (the page is rendered from the sealed report)")
	}
	if o.Jobs < 1 || o.Jobs > 1024 {
		return o, usagef("--jobs must be between 1 and 1024, e.g. photoscrub %s --jobs %d PATH...", verb, runtime.NumCPU())
	}
	for _, g := range o.Exclude {
		if _, err := pathMatchCheck(g); err != nil {
			return o, usagef("--exclude %q is not a valid glob", g)
		}
	}
	for _, p := range paths {
		if _, err := os.Lstat(p); err != nil {
			return o, usagef("%s: no such file or directory", p)
		}
	}
	return o, nil
}

// run is what scan and scrub share: open the report outputs, run the
// pipeline, seal the report and work out the exit code.
func run(ctx context.Context, co commonOptions, cfg pipeline.Config, hdr report.Header, stdout, stderr io.Writer) error {
	if co.Resume != "" {
		set, err := loadResume(co.Resume, co.Paths)
		if err != nil {
			return &exitError{ExitUsage, err.Error()}
		}
		cfg.Resume = set.done
		cfg.Own = append(cfg.Own, co.Resume)
	}
	if co.FilesFrom != "" {
		src, closeList, err := listSource(co.FilesFrom)
		if err != nil {
			return &exitError{ExitUsage, err.Error()}
		}
		defer closeList()
		cfg.FilesFrom = src
		hdr.Options.FilesFrom = true
	}
	cfg.Shard = co.Shard
	if co.Shard.Of > 1 {
		hdr.Options.Shard = fmt.Sprintf("%d/%d", co.Shard.Index, co.Shard.Of)
	}
	var opts report.Options
	if co.SignKey != "" {
		k, err := report.LoadPrivateKey(co.SignKey)
		if err != nil {
			return &exitError{ExitUsage, fmt.Sprintf("%s: cannot load the signing key", co.SignKey)}
		}
		opts.SignKey = k
	}
	if co.RedactKey != "" {
		k, err := os.ReadFile(co.RedactKey)
		if err != nil || len(k) < 16 {
			return &exitError{ExitUsage, fmt.Sprintf("%s: cannot read a redaction key of at least 16 bytes", co.RedactKey)}
		}
		opts.RedactKey = k
	}
	var closers []func() error
	if co.CSV != "" {
		f, err := os.OpenFile(co.CSV, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return &exitError{ExitFatal, fmt.Sprintf("%s: cannot create the csv file (it must not exist yet)", co.CSV)}
		}
		opts.CSV = f
		closers = append(closers, f.Sync, f.Close)
		cfg.Own = append(cfg.Own, co.CSV)
	}
	var writers []*report.Writer
	if co.Report != "" {
		w, err := report.Create(co.Report, hdr, opts)
		if err != nil {
			return &exitError{ExitFatal, fmt.Sprintf("%s: cannot create the report (it must not exist yet)", co.Report)}
		}
		writers = append(writers, w)
		cfg.Own = append(cfg.Own, co.Report)
	} else if opts.CSV != nil {
		w, err := report.NewWriter(io.Discard, hdr, opts)
		if err != nil {
			return &exitError{ExitFatal, "cannot start the csv output"}
		}
		writers = append(writers, w)
	}
	if co.JSON {
		w, err := report.NewWriter(stdout, hdr, report.Options{RedactKey: opts.RedactKey})
		if err != nil {
			return &exitError{ExitFatal, "cannot write to standard output"}
		}
		writers = append(writers, w)
	}
	if co.CPUProfile != "" {
		stop, err := startCPUProfile(co.CPUProfile)
		if err != nil {
			return &exitError{ExitUsage, err.Error()}
		}
		defer stop()
	}
	if co.MemProfile != "" {
		defer writeMemProfile(co.MemProfile)
	}
	bar := newProgress(stderr, co.Quiet)
	if bar != nil {
		cfg.Progress = bar
		countCtx, stopCount := context.WithCancel(ctx)
		defer stopCount()
		bar.countAhead(countCtx, cfg)
	}
	var tally tally
	cfg.Sink = func(r *pipeline.Result) error {
		tally.add(r)
		if !co.Quiet {
			printProblem(stderr, cfg.Roots, r)
		}
		rec := toRecord(r)
		for _, w := range writers {
			if err := w.WriteFile(rec); err != nil {
				return err
			}
		}
		return nil
	}
	sum, err := pipeline.Run(ctx, cfg)
	if bar != nil {
		bar.finish()
	}
	code := tally.exitCode(cfg.Scrub && !cfg.DryRun)
	var fatalMsg string
	switch {
	case err == nil:
	case errors.Is(err, context.Canceled) || sum.Interrupted:
		code = ExitInterrupted
	default:
		code = ExitFatal
		fatalMsg = strings.TrimPrefix(err.Error(), "fatal: ")
	}
	heads := make([]string, 0, len(writers))
	for _, w := range writers {
		head, cerr := w.Close(report.Summary{ExitCode: code, Interrupted: code == ExitInterrupted})
		if cerr != nil {
			code, fatalMsg = ExitFatal, "cannot complete the report"
		}
		heads = append(heads, head)
	}
	for _, c := range closers {
		if cerr := c(); cerr != nil && code != ExitFatal {
			code, fatalMsg = ExitFatal, "cannot complete the csv file"
		}
	}
	if co.HTML != "" && co.Report != "" && code != ExitFatal {
		if err := writeHTMLFile(co.Report, co.HTML); err != nil {
			code, fatalMsg = ExitFatal, err.Error()
		}
	}
	if !co.Quiet {
		tally.print(stderr, cfg, co, code, heads)
	}
	if fatalMsg != "" {
		return &exitError{code, fatalMsg}
	}
	if code != ExitOK {
		return &exitError{code: code}
	}
	return nil
}

func toRecord(r *pipeline.Result) *report.File {
	return &report.File{
		Path: r.Path, Root: r.Root, Format: r.Format, FormatNote: r.FormatNote,
		Status: report.Status(r.Status), Reason: report.Reason(r.Reason),
		Findings: nonNil(r.Findings), Removed: nonNil(r.Removed),
		SizeBefore: r.SizeBefore, SizeAfter: r.SizeAfter,
		SHA256Before: r.SHA256Before, SHA256After: r.SHA256After,
		Method: r.Method, Verification: r.Verification,
		Preserved: r.Preserved, Warnings: r.Warnings, Error: r.Error,
		DurationMS: float64(r.Duration.Microseconds()) / 1000,
	}
}

func nonNil(f []meta.Finding) []meta.Finding {
	if f == nil {
		return []meta.Finding{}
	}
	return f
}

// printProblem prints one line per failed or unsupported file as it
// happens: the path and our own wording, never a value.
func printProblem(w io.Writer, roots []string, r *pipeline.Result) {
	if r.Status != pipeline.StatusFailed && r.Status != pipeline.StatusUnsupported {
		return
	}
	fmt.Fprintf(w, "photoscrub: %s: %s\n", displayPath(roots, r), r.Error)
}

func displayPath(roots []string, r *pipeline.Result) string {
	root := roots[r.Root]
	if fi, err := os.Stat(root); err == nil && !fi.IsDir() {
		return root
	}
	return strings.TrimSuffix(root, "/") + "/" + r.Path
}
