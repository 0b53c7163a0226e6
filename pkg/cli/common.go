package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/photoscrub/photoscrub/pkg/internal/pipeline"
	"github.com/photoscrub/photoscrub/pkg/internal/safefile"
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

	// Verb is "scan" or "scrub"; Args the command line as given (for
	// corrected and resume commands).
	Verb string
	Args []string
	// List (scan --list) selects the categories whose files' paths are
	// printed on standard output, each ended by ListSep.
	List    []meta.Category
	ListSep byte
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
		Verb: verb, Args: rawArgs(c),
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

// run is what scan and scrub share: check the outputs can be written,
// open them, run the pipeline, seal the report and work out the exit code.
// The last line before the exit line is the cause of a failure.
func run(ctx context.Context, co commonOptions, cfg pipeline.Config, hdr report.Header, stdout, stderr io.Writer) error {
	if err := preflight(co, cfg); err != nil {
		return err
	}
	defer tuneGC(cfg)()
	var resumed atomic.Int64
	if co.Resume != "" {
		set, err := loadResume(co.Resume, co.Paths)
		if err != nil {
			return &exitError{ExitUsage, err.Error()}
		}
		cfg.Resume = func(root int, rel string, size int64, sum string) bool {
			if set.done(root, rel, size, sum) {
				resumed.Add(1)
				return true
			}
			return false
		}
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
			return &exitError{ExitUsage, fmt.Sprintf("%s: cannot load the signing key%s", co.SignKey, because(err))}
		}
		opts.SignKey = k
	}
	if co.RedactKey != "" {
		k, err := os.ReadFile(co.RedactKey)
		if err != nil || len(k) < 16 {
			return &exitError{ExitUsage, fmt.Sprintf("%s: cannot read a redaction key of at least 16 bytes%s", co.RedactKey, because(err))}
		}
		opts.RedactKey = k
	}
	var closers []func() error
	if co.CSV != "" {
		f, err := os.OpenFile(co.CSV, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return &exitError{ExitFatal, fmt.Sprintf("%s: cannot create the csv file%s", co.CSV, because(err))}
		}
		opts.CSV = f
		closers = append(closers, f.Sync, f.Close)
		cfg.Own = append(cfg.Own, co.CSV)
	}
	var writers []*report.Writer
	if co.Report != "" {
		w, err := report.Create(co.Report, hdr, opts)
		if err != nil {
			return &exitError{ExitFatal, fmt.Sprintf("%s: cannot create the report%s", co.Report, because(err))}
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
			return &exitError{ExitFatal, "cannot write to standard output" + because(err)}
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
	pr := &problems{w: stderr, bar: bar, roots: newRootView(cfg.Roots), outDir: cfg.OutDir, quiet: co.Quiet}
	t := tally{command: hdr.Command, roots: pr.roots, dryRun: cfg.DryRun}
	var listErr error
	cfg.Sink = func(r *pipeline.Result) error {
		rec := toRecord(r)
		t.add(r, rec)
		pr.print(r)
		if len(co.List) > 0 && hasAny(r, co.List) && listErr == nil {
			_, listErr = io.WriteString(stdout, pr.roots.path(r.Root, r.Path)+string(co.ListSep))
		}
		for _, w := range writers {
			if err := w.WriteFile(rec); err != nil {
				return err
			}
		}
		return nil
	}
	cfg.Flush = func() error { // after each group commit's records
		for _, w := range writers {
			if err := w.Sync(); err != nil {
				return err
			}
		}
		return nil
	}
	sum, err := pipeline.Run(ctx, cfg)
	if bar != nil {
		bar.finish()
	}
	code := t.exitCode(cfg.Scrub && !cfg.DryRun)
	var cause string
	switch {
	case err == nil:
	case errors.Is(err, context.Canceled) || sum.Interrupted:
		code = ExitInterrupted
		cause = "interrupted; to continue where this run stopped: " + continueCommand(co)
	default:
		code = ExitFatal
		cause = strings.TrimPrefix(err.Error(), "fatal: ")
	}
	heads := make([]string, 0, len(writers))
	for _, w := range writers {
		head, cerr := w.Close(report.Summary{ExitCode: code, Interrupted: code == ExitInterrupted})
		if cerr != nil && code != ExitFatal {
			code, cause = ExitFatal, "cannot complete the report"+because(cerr)
		}
		heads = append(heads, head)
	}
	for _, c := range closers {
		if cerr := c(); cerr != nil && code != ExitFatal {
			code, cause = ExitFatal, "cannot complete the csv file"+because(cerr)
		}
	}
	if co.HTML != "" && co.Report != "" && code != ExitFatal {
		if err := writeHTMLFile(co.Report, co.HTML); err != nil {
			code, cause = ExitFatal, err.Error()
		}
	}
	if listErr != nil && code != ExitFatal {
		code, cause = ExitFatal, "cannot write the list to standard output"+because(listErr)
	}
	if co.Quiet {
		return &exitError{code, cause}
	}
	t.print(stderr, summaryInfo{cfg: cfg, co: co, code: code, heads: heads, resumed: resumed.Load(), more: pr.hiddenLine(co.Report != ""), cause: cause})
	if code != ExitOK {
		return &exitError{code: code}
	}
	return nil
}

func hasAny(r *pipeline.Result, cats []meta.Category) bool {
	for _, c := range cats {
		if r.HasCategory(c) {
			return true
		}
	}
	return false
}

// because returns ": " and the OS reason of err, or "" without one.
func because(err error) string {
	if c := safefile.Cause(err); c != "" {
		return ": " + c
	}
	return ""
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

// rootView turns (root, relative path) into the path as the user would
// pass it: joined with the root argument as given.
type rootView struct {
	roots  []string
	isFile []bool
}

func newRootView(roots []string) rootView {
	v := rootView{roots: roots, isFile: make([]bool, len(roots))}
	for i, r := range roots {
		if fi, err := os.Stat(r); err == nil && !fi.IsDir() {
			v.isFile[i] = true
		}
	}
	return v
}

func (v rootView) path(root int, rel string) string {
	if v.isFile[root] {
		return v.roots[root]
	}
	return strings.TrimSuffix(v.roots[root], "/") + "/" + rel
}

// problems prints one line per file that failed, is unsupported or was
// skipped for a reason that matters, as it happens: the path and our own
// wording, never a value. Lines go above the progress bar; after
// maxPerReason lines of one reason the rest are counted, not printed.
type problems struct {
	w      io.Writer
	bar    *progress
	roots  rootView
	outDir string
	quiet  bool
	shown  map[string]int
}

const maxPerReason = 10

func (p *problems) print(r *pipeline.Result) {
	switch {
	case p.quiet:
		return
	case r.Status == pipeline.StatusFailed, r.Status == pipeline.StatusUnsupported:
	case r.Status == pipeline.StatusSkipped && !notBlocking[r.Reason]:
	default:
		return
	}
	if p.shown == nil {
		p.shown = map[string]int{}
	}
	p.shown[r.Reason]++
	if p.shown[r.Reason] > maxPerReason {
		return
	}
	where := p.roots.path(r.Root, r.Path)
	if r.Output != "" && (r.Reason == pipeline.ReasonExists || r.Reason == pipeline.ReasonPermission || r.Reason == pipeline.ReasonIO) {
		where = strings.TrimSuffix(p.outDir, "/") + "/" + r.Output // the output is what could not be written
	}
	msg := r.Error
	if msg == "" {
		msg = "skipped: " + r.Reason
	}
	line := fmt.Sprintf("photoscrub: %s: %s\n", where, msg)
	if p.bar != nil {
		p.bar.println(line)
		return
	}
	io.WriteString(p.w, line)
}

// hiddenLine says how many problem lines were held back, per reason.
func (p *problems) hiddenLine(haveReport bool) string {
	var parts []string
	n := 0
	for _, reason := range sortedKeys(p.shown) {
		if extra := p.shown[reason] - maxPerReason; extra > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", reason, extra))
			n += extra
		}
	}
	if n == 0 {
		return ""
	}
	where := "listed in the report"
	if !haveReport {
		where = "run with --report FILE to list them all"
	}
	return fmt.Sprintf("%d more problem files not shown above (%s): %s", n, where, strings.Join(parts, ", "))
}
