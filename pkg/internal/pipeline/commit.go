package pipeline

import (
	"errors"
	"time"

	"github.com/photoscrub/photoscrub/pkg/internal/safefile"
)

// Group commit. A worker does the per-file part of a commit (temp written,
// attributes and times set: safefile.Stage*) and hands the file to the
// committer goroutine, which gathers files into a batch and finishes them
// together (safefile.Commit: one parallel round of fsyncs, the renames,
// one fsync per directory). Only then do their results go on to the ordered
// fan-in and the report, which the fan-in syncs (Config.Flush) once the
// records of committed files are written: a file is recorded as done only
// once its new bytes and its name are durable, and the sync cost is paid
// per batch, not per file.
//
// Batches are bounded in files, bytes and time: a batch is committed when
// it holds Files files or Bytes bytes, when Delay has passed since its
// first file (a slow trickle still commits promptly), or when the workers
// are done (the end of the run, or an interruption: what was staged is
// committed, never dropped). Commits are in completion order, not walk
// order: a slow file never holds back the commit of the others.

// BatchLimits bound a group commit. Zero fields take the defaults; Files
// == 1 turns group commit off (each file is committed on its own by its
// worker, with two fsyncs).
type BatchLimits struct {
	Files int
	Bytes int64
	Delay time.Duration
}

// Default group-commit bounds.
const (
	DefaultBatchFiles = 256
	DefaultBatchBytes = 64 << 20
	DefaultBatchDelay = 50 * time.Millisecond
)

func (b BatchLimits) withDefaults() BatchLimits {
	if b.Files <= 0 {
		b.Files = DefaultBatchFiles
	}
	if b.Bytes <= 0 {
		b.Bytes = DefaultBatchBytes
	}
	if b.Delay <= 0 {
		b.Delay = DefaultBatchDelay
	}
	return b
}

// batched reports whether scrub commits go through the committer.
func (c *Config) batched() bool {
	return c.Scrub && !c.DryRun && c.CommitBatch.Files != 1
}

// errAborted is the outcome of staged files dropped because the report
// failed (their records could not be written, so they are not committed).
var errAborted = errors.New("run stopped before the file was committed")

// committer gathers staged results from in, commits them in batches and
// passes every result on to out. It returns when in is closed and drained.
// abort, when it returns true, makes it drop staged files instead (the
// report can no longer record them).
func committer(in <-chan slot, out chan<- slot, lim BatchLimits, abort func() bool, done func(*Result)) {
	lim = lim.withDefaults()
	var batch []slot
	var staged []*safefile.Staged
	var bytes int64
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	flush := func() {
		if len(batch) == 0 {
			return
		}
		if abort() {
			safefile.Abort(staged, errAborted)
		} else {
			safefile.Commit(staged)
		}
		for _, s := range batch {
			s.r = finishStaged(s.r)
			done(s.r)
			out <- s
		}
		batch, staged, bytes = batch[:0], staged[:0], 0
	}
	for {
		var s slot
		var ok bool
		if len(batch) == 0 {
			s, ok = <-in
		} else {
			select {
			case s, ok = <-in:
			case <-timer.C:
				flush()
				continue
			}
		}
		if !ok {
			timer.Stop()
			flush()
			return
		}
		if len(batch) == 0 {
			timer.Reset(lim.Delay)
		}
		batch = append(batch, s)
		staged = append(staged, s.r.staged)
		bytes += s.r.staged.Size()
		if len(batch) >= lim.Files || bytes >= lim.Bytes {
			if !timer.Stop() {
				select {
				case <-timer.C:
				default:
				}
			}
			flush()
		}
	}
}
