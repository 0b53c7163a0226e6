// Package pipeline is photoscrub's engine: one goroutine walks the input
// roots (reading directories only: each worker opens its file relative to
// a handle on the file's directory and stats the open file), a pool of
// workers owned by an errgroup inspects, scrubs, verifies and commits each
// file, and results are re-ordered to walk order before
// they reach the single report sink, so a report is identical for any
// number of workers. Memory is bounded by a window of files in flight, not
// by the number of files. Per-file failures (including panics, recovered at
// the per-file boundary) are results; only run-fatal conditions (no space
// left, the report sink failing, cancellation) stop the run.
package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"

	"github.com/photoscrub/photoscrub/pkg/internal/safefile"
	"github.com/photoscrub/photoscrub/pkg/internal/walk"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// ErrFatal marks errors that stopped the run (exit code 4).
var ErrFatal = errors.New("fatal")

// Config is the effective configuration of one run.
type Config struct {
	Roots        []string
	Scrub        bool // false: scan (read-only)
	DryRun       bool
	InPlace      bool
	OutDir       string
	Reencode     bool
	Quality      int
	MaxDimension int
	Format       OutFormat // --format: re-encode output format ("" keeps the input's); see reencode.go
	Fit          FitSize   // --fit WxH: re-encode covers and centre-crops to exactly this size
	Coefficients bool      // --coefficients: JPEG without resize keeps its DCT coefficients (reencode.go)
	MaxPixels    int64
	MemoryBudget int64 // bytes shared by re-encode decodes
	Keep         meta.Keep
	Jobs         int
	Exclude      []string
	FileTimeout  time.Duration
	MaxFileSize  int64
	Hardlinks    safefile.HardlinkPolicy
	Force        bool
	// Overwrite, with OutDir, atomically replaces an existing output that
	// differs from what this run writes; without it such an output is
	// refused (an identical one is left alone either way).
	Overwrite bool
	// Own lists files and directories photoscrub itself writes (report, CSV,
	// HTML, backup dir): never walked, compared by identity, not by name.
	Own []string
	// Sink receives every result in walk order, from one goroutine. An
	// error from it is fatal.
	Sink func(*Result) error
	// Resume, when set, is asked for every regular file after it was read
	// and hashed; true means a previous run recorded it done and it is
	// unchanged since, so it is not processed (nor recorded) again.
	Resume func(root int, rel string, size int64, sha256 string) bool
	// Shard, when Of > 1, processes only the files whose root-relative path
	// hashes to shard Index (0-based) of Of; see ShardOf.
	Shard Shard
	// FilesFrom, when set, replaces the directory walk: it yields paths
	// relative to the single root, in order (see walk.List).
	FilesFrom func(yield func(rel string) error) error
	// CleanStale removes temp files left by a killed run (they are always
	// reported).
	CleanStale bool
	// BackupDir, with InPlace, receives a copy of each original before it
	// is replaced (outside every input tree; the CLI checks).
	BackupDir string
	// Xattrs copies user extended attributes onto rewritten files.
	Xattrs bool
	// Progress, when set, is called from the fan-in goroutine after each
	// result, and by the walker with the number of candidates found.
	Progress Progress
	// FS wraps the safe-commit filesystem of each root (tests inject faults
	// here); nil means the real one.
	FS func(safefile.FS) safefile.FS
	// CommitBatch bounds the group commit of rewritten files (see
	// commit.go); the zero value takes the defaults.
	CommitBatch BatchLimits
	// Flush, when set, is called by the fan-in goroutine after Sink was
	// given the records of committed files (and nothing else is ready, or
	// at least every Delay): it makes the report durable shortly after
	// each batch. An error from it is fatal, as one from Sink.
	Flush func() error
}

// Shard selects a deterministic part of the input (see ShardOf).
type Shard struct{ Index, Of int }

// ShardOf returns the shard (0..of-1) of a root-relative, slash-separated
// path: the first 8 bytes of SHA-256(path) as a big-endian integer, modulo
// of. It depends on nothing but the path, so N processes on N machines over
// the same share agree, and it spreads similar names evenly for any N. The
// definition is fixed: shards made by different versions must agree.
func ShardOf(rel string, of int) int {
	h := sha256.Sum256([]byte(rel))
	return int(binary.BigEndian.Uint64(h[:8]) % uint64(of))
}

// Progress receives run progress. Found and WalkFinished are called by the
// walker, Done by the fan-in goroutine: implementations must be safe for
// concurrent use.
type Progress interface {
	Found(n int)        // candidates walked so far
	Done(r *Result)     // one more result, in walk order
	WalkFinished(n int) // the walk is over: n candidates in all
}

// DefaultMemoryBudget is the decoded-pixel memory all re-encode workers
// share: one 12 MP photo at a time (about 150 MiB), ID-card photos many at
// a time. An image needing more waits and runs alone.
const DefaultMemoryBudget = 256 << 20

// Summary is what Run reports about the whole run.
type Summary struct {
	Files       int
	Interrupted bool
}

// Run walks the roots and processes every candidate. It returns a non-nil
// error wrapping ErrFatal when the run had to stop (the results emitted so
// far were all delivered to Sink), or ctx.Err() when interrupted.
func Run(ctx context.Context, cfg Config) (Summary, error) {
	var sum Summary
	if cfg.Jobs <= 0 {
		cfg.Jobs = runtime.NumCPU()
	}
	// imaging v1.6.2 (the latest release) has no SetMaxProcs: its
	// per-row goroutines share GOMAXPROCS with our workers, which the Go
	// scheduler multiplexes; the worker count and the memory budget bound
	// the work in flight.
	roots, err := walk.Open(cfg.Roots)
	if err != nil {
		return sum, fmt.Errorf("%w: %v", ErrFatal, err)
	}
	defer func() {
		for _, r := range roots {
			r.Close()
		}
	}()
	own := ownSet(cfg.Own)
	p := &proc{cfg: cfg, roots: roots, own: own}
	if cfg.Reencode {
		b := cfg.MemoryBudget
		if b <= 0 {
			b = DefaultMemoryBudget
		}
		p.budget = semaphore.NewWeighted(b)
		p.budgetBytes = b
		// A GC target just above the budget keeps decoded images from
		// piling up between collections (it is not a hard limit).
		old := debug.SetMemoryLimit(b + 96<<20)
		defer debug.SetMemoryLimit(old)
	}
	if cfg.Scrub && !cfg.DryRun {
		if err := p.openOutputs(); err != nil {
			return sum, fmt.Errorf("%w: %v", ErrFatal, err)
		}
		defer p.closeOutputs()
	}

	runCtx, stopRun := context.WithCancel(ctx)
	defer stopRun()
	g, gctx := errgroup.WithContext(runCtx)
	window := cfg.Jobs * 4
	if cfg.batched() {
		// Staged files wait in the window for their batch: let a whole
		// batch (and the next one) be in flight. A waiting file holds a
		// Result, not its data.
		window = max(window, 2*cfg.CommitBatch.withDefaults().Files)
	}
	type job struct {
		seq int
		c   walk.Candidate
	}
	jobs := make(chan job, cfg.Jobs)
	results := make(chan slot, window)
	tokens := semaphore.NewWeighted(int64(window))
	p.dedup = newDedup(len(roots) > 1 || cfg.FilesFrom != nil)
	p.order = newTurnstile()

	// Walker.
	g.Go(func() error {
		defer close(jobs)
		seq := 0
		visit := func(c walk.Candidate) error {
			if cfg.Shard.Of > 1 && ShardOf(c.Rel, cfg.Shard.Of) != cfg.Shard.Index {
				c.Release()
				return nil
			}
			if err := tokens.Acquire(gctx, 1); err != nil {
				c.Release()
				return err
			}
			select {
			case jobs <- job{seq, c}:
				seq++
				if cfg.Progress != nil {
					cfg.Progress.Found(seq)
				}
				return nil
			case <-gctx.Done():
				c.Release()
				return gctx.Err()
			}
		}
		// Defer: a worker opens each regular file relative to its
		// directory's handle and stats the open file (readFile); the
		// walker only reads directories.
		// With several roots every file is checked for a second visit,
		// at the start of its processing, from the walk's lstat.
		wo := walk.Options{Exclude: cfg.Exclude, Own: own.has, Defer: !p.dedup.all}
		var err error
		if cfg.FilesFrom != nil {
			err = walk.List(gctx, roots, 0, cfg.FilesFrom, wo, visit)
		} else {
			err = walk.Walk(gctx, roots, wo, visit)
		}
		if err == nil && cfg.Progress != nil {
			cfg.Progress.WalkFinished(seq)
		}
		return err
	})
	// Workers. Every job taken yields exactly one slot (nil once the run
	// is stopping), so the ordered fan-in never waits for a lost seq; the
	// results channel holds the whole window, so a send never blocks for
	// long.
	var fatal atomic.Pointer[error]
	var wrote atomic.Int64 // outputs committed (or found up to date) so far
	done := func(r *Result) {
		if r != nil && (r.Status == StatusScrubbed || r.Status == StatusClean) {
			wrote.Add(1)
		}
		if msg := p.mustStop(r, wrote.Load()); msg != "" {
			err := fmt.Errorf("%w: %s", ErrFatal, msg)
			fatal.CompareAndSwap(nil, &err)
			stopRun()
		}
	}
	// Staged files go through the committer (group commit); it is the
	// last to send on results. Like results, commits holds the window.
	commits := make(chan slot, window)
	var sinkFailed atomic.Bool
	go func() {
		committer(commits, results, cfg.CommitBatch, sinkFailed.Load, done)
		close(results)
	}()
	var wg sync.WaitGroup
	for i := 0; i < cfg.Jobs; i++ {
		wg.Add(1)
		g.Go(func() error {
			defer wg.Done()
			for j := range jobs {
				var r *Result
				if gctx.Err() == nil {
					r = p.guard(gctx, j.c, j.seq) // releases j.c
				} else {
					j.c.Release()
				}
				p.order.pass(j.seq)
				if r != nil && r.staged != nil {
					commits <- slot{j.seq, r}
					continue
				}
				results <- slot{j.seq, r}
				done(r)
			}
			if e := fatal.Load(); e != nil {
				return *e
			}
			return nil
		})
	}
	go func() { wg.Wait(); close(commits) }()
	// Ordered fan-in: the only goroutine that calls Sink (and Flush).
	var sinkErr error
	pending := map[int]*Result{}
	next := 0
	unflushed := false // records of written files given to Sink, not flushed
	lastFlush := time.Now()
	flushDelay := cfg.CommitBatch.withDefaults().Delay
	flush := func() {
		if unflushed && sinkErr == nil && cfg.Flush != nil {
			sinkErr = cfg.Flush()
		}
		unflushed, lastFlush = false, time.Now()
	}
	for s := range results {
		pending[s.seq] = s.r
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			tokens.Release(1)
			if r == nil || sinkErr != nil {
				continue
			}
			sum.Files++
			if err := cfg.Sink(r); err != nil {
				sinkErr = err
			}
			if r.Method != "" && (r.Status == StatusScrubbed || r.Status == StatusClean) {
				unflushed = true
			}
			if cfg.Progress != nil {
				cfg.Progress.Done(r)
			}
		}
		if unflushed && (len(results) == 0 || time.Since(lastFlush) >= flushDelay) {
			flush()
		}
		if sinkErr != nil {
			sinkFailed.Store(true)
			break
		}
	}
	// Jobs left in the queue when the run stopped leave gaps: emit what
	// was done, in order.
	if sinkErr == nil && len(pending) > 0 {
		seqs := make([]int, 0, len(pending))
		for k := range pending {
			seqs = append(seqs, k)
		}
		sort.Ints(seqs)
		for _, k := range seqs {
			if r := pending[k]; r != nil && sinkErr == nil {
				sum.Files++
				sinkErr = cfg.Sink(r)
				if cfg.Progress != nil {
					cfg.Progress.Done(r)
				}
			}
		}
	}
	flush()
	if sinkErr != nil {
		sinkFailed.Store(true)
		// Stop the walker and workers, drain so they can finish, then
		// report the sink failure.
		stopRun()
		drained := make(chan struct{})
		go func() {
			for range results {
			}
			close(drained)
		}()
		_ = g.Wait()
		<-drained // the committer has finished (or aborted) its last batch
		return sum, fmt.Errorf("%w: report: %v", ErrFatal, sinkErr)
	}
	err = g.Wait()
	if e := fatal.Load(); e != nil {
		return sum, *e
	}
	if ctx.Err() != nil {
		sum.Interrupted = true
		return sum, ctx.Err()
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		if errors.Is(err, ErrFatal) {
			return sum, err
		}
		return sum, fmt.Errorf("%w: %v", ErrFatal, err)
	}
	return sum, nil
}

type slot struct {
	seq int
	r   *Result
}

// outPrefixes returns, per root, the prefix of its files' paths under --out
// (and --backup-dir): a single root is mirrored directly into DIR; several
// directory roots each get a sub-directory named after the root (with -2,
// -3... for duplicates); single-file roots go straight into DIR.
func outPrefixes(roots []string) []string {
	if len(roots) == 1 {
		return []string{""}
	}
	used := map[string]int{}
	out := make([]string, len(roots))
	for i, r := range roots {
		b := filepath.Base(filepath.Clean(r))
		if fi, err := os.Stat(r); err == nil && !fi.IsDir() {
			out[i] = ""
			continue
		}
		if b == "." || b == "/" || b == ".." {
			b = "root"
		}
		used[b]++
		if n := used[b]; n > 1 {
			b = fmt.Sprintf("%s-%d", b, n)
		}
		out[i] = b + "/"
	}
	return out
}

// Overlap reports whether out is inside one of roots or one of roots is
// inside out (after resolving symlinks of the existing parts).
func Overlap(out string, roots []string) (string, bool) {
	o := resolve(out)
	for _, r := range roots {
		rr := resolve(r)
		if within(o, rr) || within(rr, o) {
			return r, true
		}
	}
	return "", false
}

func within(p, dir string) bool {
	if p == dir {
		return true
	}
	return strings.HasPrefix(p, strings.TrimSuffix(dir, string(filepath.Separator))+string(filepath.Separator))
}

// resolve makes p absolute and resolves symlinks in its longest existing
// prefix.
func resolve(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	rest := ""
	for cur := abs; ; cur = filepath.Dir(cur) {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(r, rest)
		}
		if filepath.Dir(cur) == cur {
			return abs
		}
		rest = filepath.Join(filepath.Base(cur), rest)
	}
}
