package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/internal/reencode"
	"github.com/photoscrub/photoscrub/pkg/internal/safefile"
	"github.com/photoscrub/photoscrub/pkg/internal/scrub"
	"github.com/photoscrub/photoscrub/pkg/internal/walk"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// testHookFile, when set by tests, runs at the start of every file inside
// the per-file boundary (to inject panics and delays).
var testHookFile func(rel string)

// PHOTOSCRUB_TEST_FILE_DELAY (a Go duration) slows every file down, so the
// command-line tests can interrupt a run at a known point, as age's test
// hooks do. It is read once; it is not a user setting.
func init() {
	if d, err := time.ParseDuration(os.Getenv("PHOTOSCRUB_TEST_FILE_DELAY")); err == nil && d > 0 {
		testHookFile = func(string) { time.Sleep(d) }
	}
}

// proc holds what every worker shares.
type proc struct {
	cfg         Config
	roots       []walk.Root
	inPlace     []*safefile.Committer // per root
	out         *safefile.Committer
	outReplace  *safefile.Committer // --overwrite of a differing output
	outRoot     *os.Root
	outPrefix   []string
	backup      safefile.FS // --backup-dir, nil when off
	backupRoot  *os.Root
	budget      *semaphore.Weighted
	budgetBytes int64
	own         ownFiles // photoscrub's own files (checked once opened, walk.Options.Defer)
	dedup       *dedup
	order       *turnstile  // walk order of identity checks (deferred stats)
	fsClose     []io.Closer // the FSes' directory handles, closed at the end
}

func (p *proc) openOutputs() error {
	wrap := func(f safefile.FS) safefile.FS {
		if c, ok := f.(io.Closer); ok {
			p.fsClose = append(p.fsClose, c)
		}
		if p.cfg.FS != nil {
			return p.cfg.FS(f)
		}
		return f
	}
	if p.cfg.InPlace {
		p.inPlace = make([]*safefile.Committer, len(p.roots))
		for i, r := range p.roots {
			p.inPlace[i] = &safefile.Committer{FS: wrap(safefile.RootFS(r.Root)), Hardlinks: p.cfg.Hardlinks, Force: p.cfg.Force, Xattrs: p.cfg.Xattrs}
		}
		p.outPrefix = outPrefixes(p.cfg.Roots)
		if p.cfg.BackupDir != "" {
			if err := os.MkdirAll(p.cfg.BackupDir, 0o700); err != nil {
				return fmt.Errorf("cannot create the backup directory %s: %s", p.cfg.BackupDir, causeOf(err))
			}
			r, err := os.OpenRoot(p.cfg.BackupDir)
			if err != nil {
				return fmt.Errorf("cannot open the backup directory %s: %s", p.cfg.BackupDir, causeOf(err))
			}
			p.backupRoot, p.backup = r, wrap(safefile.RootFS(r))
		}
		return nil
	}
	if err := os.MkdirAll(p.cfg.OutDir, 0o755); err != nil {
		return fmt.Errorf("cannot create the output directory %s: %s", p.cfg.OutDir, causeOf(err))
	}
	r, err := os.OpenRoot(p.cfg.OutDir)
	if err != nil {
		return fmt.Errorf("cannot open the output directory %s: %s", p.cfg.OutDir, causeOf(err))
	}
	p.outRoot = r
	p.out = &safefile.Committer{FS: wrap(safefile.RootFS(r)), Force: true, Xattrs: p.cfg.Xattrs}
	p.outReplace = &safefile.Committer{FS: p.out.FS, Force: true, Xattrs: p.cfg.Xattrs}
	p.outPrefix = outPrefixes(p.cfg.Roots)
	return nil
}

func (p *proc) closeOutputs() {
	for _, c := range p.fsClose {
		c.Close()
	}
	if p.outRoot != nil {
		p.outRoot.Close()
	}
	if p.backupRoot != nil {
		p.backupRoot.Close()
	}
}

// guard runs one file with a deadline and turns a panic into a failed
// result: errgroup does not recover panics. It releases c (its directory
// handle) once the file is done with it.
func (p *proc) guard(ctx context.Context, c walk.Candidate, seq int) (r *Result) {
	start := time.Now()
	base := &Result{Root: c.Root, Path: c.Rel, Format: string(format.Unknown), Verification: "not-run"}
	if c.Info != nil {
		base.SizeBefore = c.Info.Size()
	}
	handed := false // c is released by the file's goroutine
	defer func() {
		if !handed {
			c.Release()
		}
		if r != nil {
			r.Duration = time.Since(start)
		}
	}()
	if c.Skip != "" {
		base.Status, base.Reason = StatusSkipped, c.Skip
		return base
	}
	if c.Info != nil && !p.dedup.first(c.Info) {
		base.Status, base.Reason = StatusSkipped, "duplicate"
		base.Warnings = append(base.Warnings, "same file reached twice; processed once")
		return base
	}
	if safefile.IsTemp(path.Base(c.Rel)) {
		base.Status, base.Reason = StatusSkipped, ReasonStaleTemp
		base.Warnings = append(base.Warnings, "temp file left by an interrupted run")
		if p.cfg.CleanStale {
			fsys := safefile.RootFS(p.roots[c.Root].Root)
			err := safefile.RemoveStale(fsys, c.Rel)
			if c, ok := fsys.(io.Closer); ok {
				c.Close()
			}
			if err == nil {
				base.Warnings = append(base.Warnings, "removed (--clean-stale)")
			} else {
				base.Warnings = append(base.Warnings, "could not be removed")
			}
		}
		return base
	}
	timeout := p.cfg.FileTimeout
	if timeout <= 0 {
		timeout = 60 * time.Second
	}
	fctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	done := make(chan *Result, 1)
	g := new(gate)
	fctx = context.WithValue(fctx, gateKey{}, g)
	handed = true
	go func() {
		var res *Result
		defer func() {
			if v := recover(); v != nil {
				res = fail(base, ReasonPanic, "internal error while processing the file")
			}
			c.Release() // an abandoned file keeps the handle until it stops
			done <- res
		}()
		res = p.file(fctx, c, seq, base)
	}()
	select {
	case res := <-done:
		return res
	case <-fctx.Done():
		if !g.abandon() {
			// The file is being committed: an atomic step that must end
			// before we say what happened to it.
			return <-done
		}
		if ctx.Err() != nil {
			res := *base
			res.Status, res.Reason, res.Error = StatusFailed, ReasonInterrupted, "run interrupted before the file was committed"
			return &res
		}
		res := *base
		res.Status, res.Reason, res.Error = StatusFailed, ReasonTimeout, fmt.Sprintf("not finished within %s", timeout)
		return &res
	}
}

// gate decides, once, between a file's commit and its abandonment (on
// timeout or interruption): whichever comes first wins, so a file reported
// failed is never committed afterwards, and a commit in progress is waited
// for.
type gate struct{ state atomic.Int32 } // 0 working, 1 committing, 2 abandoned

type gateKey struct{}

func (g *gate) enter() bool   { return g.state.CompareAndSwap(0, 1) }
func (g *gate) abandon() bool { return g.state.CompareAndSwap(0, 2) }

func fail(base *Result, reason, msg string) *Result {
	r := *base
	r.Status, r.Reason, r.Error = StatusFailed, reason, msg
	return &r
}

// file processes one regular file.
func (p *proc) file(ctx context.Context, c walk.Candidate, seq int, base *Result) *Result {
	if testHookFile != nil {
		testHookFile(c.Rel)
	}
	r := *base
	tooLarge := func() *Result {
		r.Status, r.Reason = StatusSkipped, ReasonTooLarge
		r.Error = fmt.Sprintf("larger than --max-file-size (%d bytes)", p.cfg.MaxFileSize)
		return &r
	}
	if p.cfg.MaxFileSize > 0 && c.Info != nil && c.Info.Size() > p.cfg.MaxFileSize {
		return tooLarge()
	}
	fh, fi, err := openFile(p.roots, c)
	if err == nil && c.Deferred() {
		// The walk did not stat the file (walk.Options.Defer): the
		// checks it would have made are made on the open file. A file
		// with several links waits for the files before it in walk
		// order, so that the first of its names is the one processed.
		if safefile.SnapshotOf(fi).Nlink > 1 {
			if werr := p.order.waitBefore(ctx, seq); werr != nil {
				fh.Close()
				r.Status, r.Reason, r.Error = StatusFailed, ReasonInterrupted, "stopped before the file was read"
				return &r
			}
		}
		dup := !p.dedup.first(fi)
		p.order.pass(seq)
		switch {
		case p.own.has(fi, ""):
			fh.Close()
			return nil // one of our own files: not a candidate
		case dup:
			fh.Close()
			r.SizeBefore = fi.Size()
			r.Status, r.Reason = StatusSkipped, "duplicate"
			r.Warnings = append(r.Warnings, "same file reached twice; processed once")
			return &r
		case p.cfg.MaxFileSize > 0 && fi.Size() > p.cfg.MaxFileSize:
			fh.Close()
			r.SizeBefore = fi.Size()
			return tooLarge()
		}
	}
	p.order.pass(seq)
	var data []byte
	if err == nil {
		data, err = readOpen(fh, fi.Size())
	}
	if data != nil && !p.cfg.Reencode {
		// Nothing keeps data once the file is done: lossless outputs are
		// written (or staged) before file returns. Re-encode is left out:
		// its decoders may still run after an abandoned file.
		defer putBuf(data)
	}
	if err != nil {
		var e *readError
		if errors.As(err, &e) {
			r.Status, r.Reason, r.Error = StatusSkipped, e.reason, e.msg
			if e.reason == ReasonIO || e.reason == ReasonPermission {
				// A file that cannot be read may hold anything: never a quiet skip.
				r.Status = StatusFailed
			}
			return &r
		}
		return fail(&r, ReasonIO, "cannot read the file")
	}
	r.SizeBefore = int64(len(data))
	sum := sha256.Sum256(data)
	r.SHA256Before = hex.EncodeToString(sum[:])
	if p.cfg.Resume != nil && p.cfg.Resume(c.Root, c.Rel, r.SizeBefore, r.SHA256Before) {
		return nil
	}
	f := scrub.Sniff(data)
	r.Format = string(f)
	if hint := format.ByExtension(c.Rel); hint != format.Unknown && hint != f && f != format.Empty && f != format.Unknown {
		r.FormatNote = fmt.Sprintf("extension suggests %s, content is %s", hint, f)
	}
	if !scrub.Supported(f) {
		if f == format.Unknown || f == format.Empty {
			if format.LikelyImage(c.Rel) {
				r.Status, r.Reason, r.Error = StatusUnsupported, ReasonFormat, "content is not a recognised image format"
				return &r
			}
			r.Status, r.Reason = StatusSkipped, ReasonNotImage
			return &r
		}
		r.Status, r.Reason, r.Error = StatusUnsupported, ReasonFormat, fmt.Sprintf("%s files are not supported", f)
		return &r
	}
	// The file is parsed once: inspection, rebuild and verification all
	// work on this parse.
	parsed, err := scrub.Parse(f, data)
	in := parsed.Inspection
	r.Findings = in.Findings
	r.Warnings = append(r.Warnings, in.Warnings...)
	if err != nil {
		if errors.Is(err, scrub.ErrUnsupported) {
			r.Status, r.Reason, r.Error = StatusUnsupported, ReasonFormat, fmt.Sprintf("this %s variant cannot be fully parsed", f)
			return &r
		}
		r.Status, r.Reason, r.Error = StatusFailed, ReasonParse, fmt.Sprintf("cannot parse the %s structure", f)
		return &r
	}
	if !scrub.Rewritable(f) {
		r.Status, r.Reason, r.Error = StatusUnsupported, ReasonFormat, fmt.Sprintf("%s files are inspected but not rewritten", f)
		return &r
	}
	if !p.cfg.Scrub {
		if len(in.Findings) == 0 {
			r.Status = StatusClean
		} else {
			r.Status = StatusWouldScrub
		}
		return &r
	}
	return p.scrub(ctx, c, fi, f, data, parsed, &r)
}

func (p *proc) scrub(ctx context.Context, c walk.Candidate, fi os.FileInfo, f format.Format, data []byte, parsed *scrub.Parsed, r *Result) *Result {
	out := data
	in := parsed.Inspection
	// A file with no finding is left alone in lossless mode, unless the
	// keep policy drops something findings never report (the ICC profile,
	// the orientation). Re-encode regenerates every coded byte of every
	// file, clean or not.
	if len(in.Findings) > 0 || !p.cfg.Keep.ICC || !p.cfg.Keep.Orientation || p.cfg.Reencode {
		var err error
		if p.cfg.Reencode {
			// reencode.go: formats, --format, --fit, the HEIF fallback.
			var newRel string
			out, newRel, err = p.reencodeFile(ctx, c.Rel, data, parsed, r)
			if err != nil {
				return reencodeFailure(r, f, err)
			}
			if newRel != "" && p.cfg.InPlace {
				r.Output = newRel // commitRenamed writes it and removes the original
			} else if newRel != "" {
				c.Rel = newRel // the --out name follows the format (c is this call's copy)
			}
		} else {
			r.Method = "lossless"
			out, err = parsed.Lossless(p.cfg.Keep)
			if o := in.Orientation; err == nil && parsed.Format.NoOrientation && p.cfg.Keep.Orientation && o > 1 && o <= 8 {
				r.Warnings = append(r.Warnings, fmt.Sprintf("orientation %d not kept: %s has no orientation field (--mode reencode applies it to the pixels)", o, f))
			}
		}
		if err != nil {
			return scrubFailure(r, f, err)
		}
		r.Verification = "passed"
		r.Removed = in.Findings
	}
	changed := !bytes.Equal(out, data)
	r.SizeAfter = int64(len(out))
	if changed {
		sum := sha256.Sum256(out)
		r.SHA256After = hex.EncodeToString(sum[:])
	} else {
		r.SHA256After = r.SHA256Before // hashed once
	}
	if p.cfg.DryRun {
		if !changed {
			r.Status = StatusClean
		} else {
			r.Status = StatusWouldScrub
		}
		return r
	}
	if g, ok := ctx.Value(gateKey{}).(*gate); ok && !g.enter() || ctx.Err() != nil {
		r.Status, r.Reason, r.Error = StatusFailed, ReasonInterrupted, "run interrupted before the file was committed"
		return r
	}
	snap := safefile.SnapshotOf(fi)
	var res safefile.Result
	var err error
	switch {
	case p.cfg.InPlace && !changed:
		r.Status = StatusClean // nothing to do: the original is not touched
		return r
	case p.cfg.InPlace:
		if p.backup != nil {
			bres, berr := safefile.BackupTo(p.backup, p.outPrefix[c.Root]+c.Rel, data, snap)
			r.Warnings = append(r.Warnings, bres.Warnings...)
			if berr != nil {
				return commitFailure(r, berr)
			}
		}
		if r.Output != "" && r.Output != c.Rel { // --format renamed it (reencode.go)
			return p.commitRenamed(r, c, fi, r.Output, out, snap, changed)
		}
		if p.cfg.batched() {
			// Group commit: the committer makes it durable with its batch.
			st, err := p.inPlace[c.Root].StageReplace(c.Rel, out, snap)
			if err != nil {
				return commitFailure(r, err)
			}
			return staged(r, st, changed)
		}
		res, err = p.inPlace[c.Root].Replace(c.Rel, out, snap)
	default:
		var st *safefile.Staged
		res, st, err = p.commitOut(r, p.outPrefix[c.Root]+c.Rel, out, snap)
		if st != nil {
			return staged(r, st, changed)
		}
	}
	r.Preserved, r.Warnings = res.Preserved, append(r.Warnings, res.Warnings...)
	if err != nil {
		return commitFailure(r, err)
	}
	if changed {
		r.Status = StatusScrubbed
	} else {
		r.Status = StatusClean
	}
	return r
}

// staged marks r as waiting for its batch's commit: its status is what it
// will be once committed (finishStaged decides).
func staged(r *Result, st *safefile.Staged, changed bool) *Result {
	r.staged = st
	if changed {
		r.Status = StatusScrubbed
	} else {
		r.Status = StatusClean
	}
	return r
}

// finishStaged completes r from its batch's outcome.
func finishStaged(r *Result) *Result {
	res, err := r.staged.Result()
	r.staged = nil
	r.Preserved, r.Warnings = res.Preserved, append(r.Warnings, res.Warnings...)
	if err != nil {
		return commitFailure(r, err)
	}
	return r
}

func scrubFailure(r *Result, f format.Format, err error) *Result {
	switch {
	case errors.Is(err, scrub.ErrUnsupported), errors.Is(err, reencode.ErrUnsupported):
		r.Status, r.Reason, r.Error = StatusUnsupported, ReasonFormat, fmt.Sprintf("this %s variant cannot be rewritten in this mode", f)
	case errors.Is(err, scrub.ErrVerify):
		r.Status, r.Reason, r.Verification = StatusFailed, ReasonVerify, "failed"
		r.Error = "output failed verification and was not written"
	case errors.Is(err, reencode.ErrTooLarge):
		r.Status, r.Reason, r.Error = StatusFailed, ReasonTooLarge, "image exceeds the pixel or memory limit for re-encoding"
	case errors.Is(err, reencode.ErrDecode):
		r.Status, r.Reason, r.Error = StatusFailed, ReasonDecode, "image data does not decode"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		r.Status, r.Reason, r.Error = StatusFailed, ReasonInterrupted, "stopped before the file was committed"
	default:
		r.Status, r.Reason, r.Error = StatusFailed, ReasonParse, fmt.Sprintf("cannot rebuild the %s structure", f)
	}
	return r
}

// keptICC is the (rebuilt) colour profile a re-encode embeds, nil when the
// keep policy drops it or the file has none.
func keptICC(p *scrub.Parsed, keep meta.Keep) []byte {
	if !keep.ICC {
		return nil
	}
	return p.ICC()
}

func commitFailure(r *Result, err error) *Result {
	if errors.Is(err, errUpToDate) {
		// --out: the output already holds exactly these bytes.
		r.Status, r.Reason, r.Error = StatusClean, "", ""
		r.Warnings = append(r.Warnings, "output already present and identical; not rewritten")
		return r
	}
	r.Status = StatusFailed
	r.cause = safefile.Cause(err)
	switch {
	case errors.Is(err, safefile.ErrNoSpace):
		r.Reason, r.Error = ReasonNoSpace, "no space left on device; original untouched"
	case errors.Is(err, safefile.ErrChanged):
		r.Reason, r.Error = ReasonChanged, "file changed while it was processed; not replaced"
	case errors.Is(err, safefile.ErrHardlinked):
		r.Status, r.Reason, r.Error = StatusSkipped, ReasonHardlinked, "file has several hard links; use --hardlinks=rewrite to clean every link"
	case errors.Is(err, safefile.ErrReadOnly):
		r.Status, r.Reason, r.Error = StatusSkipped, ReasonReadOnly, "file is read-only; use --force to rewrite it"
	case errors.Is(err, safefile.ErrExists):
		r.Reason, r.Error = ReasonExists, "an existing output differs from this run's result; not overwritten (use --overwrite to replace it)"
	case r.cause == syscall.EACCES.Error() || r.cause == syscall.EPERM.Error():
		r.Reason, r.Error = ReasonPermission, "cannot write the file: "+r.cause+"; original untouched"
	case r.cause != "":
		r.Reason, r.Error = ReasonIO, "cannot write the file: "+r.cause+"; original untouched"
	default:
		r.Reason, r.Error = ReasonIO, "cannot write the file; original untouched"
	}
	return r
}
