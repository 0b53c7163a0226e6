// Package watch is photoscrub's drop-folder cleaner (photoscrub watch): it
// watches a directory tree (fsnotify, recursive), and for every file that
// is complete (unchanged for the settle time; temp names such as *.part,
// *.filepart, .~* and dot-files are ignored until renamed) writes the
// verified clean copy into the output tree at the same sub-path, durably,
// records it in the report (synced), and only then removes the original,
// which holds the GPS (or moves it to the quarantine with KeepOriginals). A
// file that cannot be cleaned never reaches the output: it is moved to the
// quarantine (0700) and recorded. Files present at start are processed
// too, so a restart resumes with whatever is still in the drop folder.
package watch

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/photoscrub/photoscrub/pkg/photoscrub"
	"github.com/photoscrub/photoscrub/pkg/report"
)

// Recorder receives the record of each file; WriteFileSync must return
// only once the record is durable (a *report.Series).
type Recorder interface {
	WriteFileSync(*report.File) error
}

// Config configures Run.
type Config struct {
	Drop, Out, Quarantine string
	// KeepOriginals moves each original into Quarantine (instead of
	// removing it) once its clean copy is durable.
	KeepOriginals bool
	// Settle is how long a file must stay unchanged (size and
	// modification time) before it is processed [1s].
	Settle time.Duration
	// Rescan walks the whole drop tree this often, a safety net for
	// missed events [30s]; an event queue overflow rescans at once.
	Rescan      time.Duration
	Jobs        int   // files processed at once [2]
	MaxFileSize int64 // larger files are quarantined [512 MiB]
	Options     photoscrub.Options
	Report      Recorder
	Logger      *slog.Logger
	// OnIdle, when set, is called each time the queue runs empty (tests).
	OnIdle func()
}

// IsTemp reports whether name (a base name) is a partial or hidden file
// that is ignored until it is renamed: dot-files (which include .~* and
// photoscrub's own temp files), *.part, *.filepart, *.crdownload, *.tmp and
// files starting with ~$.
func IsTemp(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") {
		return true
	}
	for _, s := range []string{".part", ".filepart", ".crdownload", ".tmp"} {
		if strings.HasSuffix(strings.ToLower(name), s) {
			return true
		}
	}
	return false
}

// snap is what a settled file must keep for the settle time.
type snap struct {
	size  int64
	mod   time.Time
	ino   uint64
	taken time.Time
}

func snapOf(fi os.FileInfo, now time.Time) snap {
	s := snap{size: fi.Size(), mod: fi.ModTime(), taken: now}
	s.ino = inodeOf(fi)
	return s
}

func (a snap) same(b snap) bool { return a.size == b.size && a.mod.Equal(b.mod) && a.ino == b.ino }

type watcher struct {
	cfg      Config
	drop     *os.Root
	out      *os.Root
	quar     *os.Root
	fw       *fsnotify.Watcher
	mu       sync.Mutex
	pending  map[string]*snap // rel -> last snapshot (nil: stat at next tick)
	busy     map[string]bool
	again    map[string]bool
	work     chan string
	failures map[string]snap // files whose first attempt failed: confirm once
	log      *slog.Logger
}

// Run watches until ctx is done, then finishes the files in progress and
// returns. Errors are setup errors (directories that cannot be opened or
// watched) and report errors (fatal: nothing is removed without its
// record).
func Run(ctx context.Context, cfg Config) error {
	if cfg.Settle <= 0 {
		cfg.Settle = time.Second
	}
	if cfg.Rescan <= 0 {
		cfg.Rescan = 30 * time.Second
	}
	if cfg.Jobs <= 0 {
		cfg.Jobs = 2
	}
	if cfg.MaxFileSize <= 0 {
		cfg.MaxFileSize = 512 << 20
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	w := &watcher{cfg: cfg, pending: map[string]*snap{}, busy: map[string]bool{}, again: map[string]bool{},
		work: make(chan string, 1<<14), failures: map[string]snap{}, log: cfg.Logger}
	var err error
	if w.drop, err = os.OpenRoot(cfg.Drop); err != nil {
		return fmt.Errorf("cannot open the drop directory: %w", err)
	}
	defer w.drop.Close()
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		return fmt.Errorf("cannot create the output directory: %w", err)
	}
	if w.out, err = os.OpenRoot(cfg.Out); err != nil {
		return fmt.Errorf("cannot open the output directory: %w", err)
	}
	defer w.out.Close()
	if err := os.MkdirAll(cfg.Quarantine, 0o700); err != nil {
		return fmt.Errorf("cannot create the quarantine directory: %w", err)
	}
	os.Chmod(cfg.Quarantine, 0o700)
	if w.quar, err = os.OpenRoot(cfg.Quarantine); err != nil {
		return fmt.Errorf("cannot open the quarantine directory: %w", err)
	}
	defer w.quar.Close()
	removeStaleTemps(cfg.Out)
	removeStaleTemps(cfg.Quarantine)
	if w.fw, err = fsnotify.NewWatcher(); err != nil {
		return fmt.Errorf("cannot watch: %w", err)
	}
	defer w.fw.Close()
	if err := w.scan("."); err != nil {
		return err
	}

	var wg sync.WaitGroup
	errc := make(chan error, cfg.Jobs)
	wctx, stopWorkers := context.WithCancel(context.Background())
	defer stopWorkers()
	for i := 0; i < cfg.Jobs; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rel := range w.work {
				if ctx.Err() != nil {
					// Stopping: what is queued stays in the drop folder
					// for the next run.
					w.mu.Lock()
					delete(w.busy, rel)
					w.mu.Unlock()
					continue
				}
				if err := w.process(wctx, rel); err != nil {
					select {
					case errc <- err:
					default:
					}
				}
				w.mu.Lock()
				delete(w.busy, rel)
				if w.again[rel] {
					delete(w.again, rel)
					w.pending[rel] = nil
				}
				w.mu.Unlock()
			}
		}()
	}
	tick := time.NewTicker(max(cfg.Settle/4, 10*time.Millisecond))
	defer tick.Stop()
	rescan := time.NewTicker(cfg.Rescan)
	defer rescan.Stop()
	w.log.Info("watching", "drop", cfg.Drop, "out", cfg.Out, "settle_ms", cfg.Settle.Milliseconds(), "jobs", cfg.Jobs)
	var runErr error
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case err := <-errc:
			runErr = err
			break loop
		case ev, ok := <-w.fw.Events:
			if !ok {
				break loop
			}
			w.event(ev)
		case err, ok := <-w.fw.Errors:
			if !ok {
				break loop
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				w.log.Warn("event queue overflowed; rescanning the drop folder")
			} else {
				w.log.Warn("watch error; rescanning the drop folder")
			}
			w.scan(".")
		case <-rescan.C:
			w.scan(".")
		case <-tick.C:
			w.dispatch(ctx)
		}
	}
	close(w.work)
	wg.Wait()
	select {
	case err := <-errc:
		if runErr == nil {
			runErr = err
		}
	default:
	}
	return runErr
}

// removeStaleTemps removes photoscrub's own temp files left by a killed
// run in dir (they hold clean bytes or a quarantined original, never
// committed).
func removeStaleTemps(dir string) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasPrefix(d.Name(), ".photoscrub-") && strings.HasSuffix(d.Name(), ".tmp") {
			os.Remove(p)
		}
		return nil
	})
}

// scan watches every directory under rel and marks every file pending.
func (w *watcher) scan(rel string) error {
	start := filepath.Join(w.cfg.Drop, rel)
	return filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == start {
				return fmt.Errorf("cannot read the drop directory: %w", err)
			}
			return nil
		}
		r, rerr := filepath.Rel(w.cfg.Drop, p)
		if rerr != nil {
			return nil
		}
		r = filepath.ToSlash(r)
		if d.IsDir() {
			if r != "." && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if err := w.fw.Add(p); err != nil && r == "." {
				return fmt.Errorf("cannot watch the drop directory: %w", err)
			}
			return nil
		}
		if d.Type().IsRegular() && !IsTemp(d.Name()) {
			w.mark(r)
		}
		return nil
	})
}

func (w *watcher) mark(rel string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.busy[rel] {
		w.again[rel] = true
		return
	}
	w.pending[rel] = nil
}

func (w *watcher) event(ev fsnotify.Event) {
	r, err := filepath.Rel(w.cfg.Drop, ev.Name)
	if err != nil || strings.HasPrefix(r, "..") {
		return
	}
	r = filepath.ToSlash(r)
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		w.mu.Lock()
		delete(w.pending, r)
		w.mu.Unlock()
		return
	}
	if IsTemp(path.Base(r)) {
		return
	}
	fi, err := os.Lstat(ev.Name)
	if err != nil {
		return
	}
	if fi.IsDir() {
		if ev.Has(fsnotify.Create) {
			w.scan(r) // files may have arrived before the watch
		}
		return
	}
	if fi.Mode().IsRegular() {
		w.mark(r)
	}
}

// dispatch sends every settled file to the workers.
func (w *watcher) dispatch(ctx context.Context) {
	now := time.Now()
	w.mu.Lock()
	var ready []string
	for rel, s := range w.pending {
		fi, err := w.drop.Lstat(rel)
		if err != nil || !fi.Mode().IsRegular() {
			delete(w.pending, rel)
			continue
		}
		cur := snapOf(fi, now)
		if s == nil || !s.same(cur) {
			w.pending[rel] = &cur
			continue
		}
		if now.Sub(s.taken) >= w.cfg.Settle {
			ready = append(ready, rel)
		}
	}
	idle := len(w.pending) == 0 && len(w.busy) == 0
	w.mu.Unlock()
	for _, rel := range ready {
		if ctx.Err() != nil {
			return
		}
		select {
		case w.work <- rel:
			w.mu.Lock()
			delete(w.pending, rel)
			w.busy[rel] = true
			w.mu.Unlock()
		default:
			return // workers busy: the rest waits for the next tick
		}
	}
	if idle && w.cfg.OnIdle != nil {
		w.cfg.OnIdle()
	}
}

// process cleans one settled file. Its error is fatal (the report).
func (w *watcher) process(ctx context.Context, rel string) error {
	start := time.Now()
	rec := report.File{Path: rel, Format: "unknown", Verification: report.VerifyNotRun}
	f, err := w.drop.OpenFile(rel, readOnlyNoFollow, 0)
	if err != nil {
		return nil // gone, or a link: nothing to do
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil
	}
	before := snapOf(fi, start)
	var data []byte
	if fi.Size() > w.cfg.MaxFileSize {
		rec.SizeBefore = fi.Size()
		f.Close()
		rec.Status, rec.Reason, rec.Error = report.StatusSkipped, report.ReasonTooLarge,
			fmt.Sprintf("larger than --max-file-size (%d bytes); moved to the quarantine", w.cfg.MaxFileSize)
		return w.quarantineFile(rel, nil, before, &rec, start)
	}
	data, err = io.ReadAll(io.LimitReader(f, w.cfg.MaxFileSize+1))
	f.Close()
	if err != nil {
		return nil // retried at the next rescan
	}
	rec.SizeBefore = int64(len(data))
	res, out, err := photoscrub.ScrubBytes(ctx, data, w.cfg.Options)
	rec.Format, rec.Findings, rec.SHA256Before, rec.Warnings, rec.Method = res.Format, res.Findings, res.SHA256In, res.Warnings, res.Method
	if rec.Format == "" {
		rec.Format = "unknown"
	}
	if err != nil {
		// A file that stopped changing may still be written to (a client
		// that pauses): a failure is confirmed once, a settle time later,
		// before the file is quarantined.
		w.mu.Lock()
		prev, seen := w.failures[rel]
		w.failures[rel] = before
		w.mu.Unlock()
		if !seen || !prev.same(before) {
			go func() {
				time.Sleep(w.cfg.Settle)
				w.mark(rel)
			}()
			return nil
		}
		w.mu.Lock()
		delete(w.failures, rel)
		w.mu.Unlock()
		classify(&rec, err)
		return w.quarantineFile(rel, data, before, &rec, start)
	}
	w.mu.Lock()
	delete(w.failures, rel)
	w.mu.Unlock()
	if res.Verified {
		rec.Verification = report.VerifyPassed
	}
	rec.Removed = res.Removed
	rec.SizeAfter, rec.SHA256After = res.SizeOut, res.SHA256Out
	rec.Status = report.StatusClean
	if res.Status == "scrubbed" {
		rec.Status = report.StatusScrubbed
	}
	name, err := commit(w.out, rel, out, 0o644)
	if err != nil {
		w.log.Error("cannot write the clean copy; the original stays in the drop folder", "path", rel, "error", cause(err))
		return nil
	}
	if name != rel {
		rec.Warnings = append(rec.Warnings, "an output of the same name exists; written as "+name)
	}
	if !w.unchanged(rel, before) {
		// Rewritten while we cleaned it: the copy we wrote is of the
		// earlier content; the new content is processed again.
		rec.Warnings = append(rec.Warnings, "the original changed while it was cleaned; left in the drop folder")
		return w.record(&rec, start, rel)
	}
	if w.cfg.KeepOriginals {
		if _, err := commit(w.quar, rel, data, 0o600); err != nil {
			w.log.Error("cannot keep the original in the quarantine; it stays in the drop folder", "path", rel, "error", cause(err))
			rec.Warnings = append(rec.Warnings, "original could not be moved to the quarantine; left in the drop folder")
			return w.record(&rec, start, rel)
		}
		rec.Warnings = append(rec.Warnings, "original kept in the quarantine")
	}
	if err := w.record(&rec, start, rel); err != nil {
		return err
	}
	return w.removeOriginal(rel)
}

func classify(rec *report.File, err error) {
	switch {
	case errors.Is(err, photoscrub.ErrUnsupported):
		rec.Status, rec.Reason = report.StatusUnsupported, report.ReasonUnsupportedFormat
		rec.Error = "this format or variant cannot be cleaned"
		if rec.Format == "unknown" || rec.Format == "empty" {
			rec.Reason, rec.Error = report.ReasonNotImage, "content is not a recognised image format"
		}
	case errors.Is(err, photoscrub.ErrVerify):
		rec.Status, rec.Reason, rec.Verification = report.StatusFailed, report.ReasonVerify, report.VerifyFailed
		rec.Error = "output failed verification and was not written"
	case errors.Is(err, photoscrub.ErrDecode):
		rec.Status, rec.Reason, rec.Error = report.StatusFailed, report.ReasonDecode, "image data does not decode"
	case errors.Is(err, photoscrub.ErrLimit):
		rec.Status, rec.Reason, rec.Error = report.StatusFailed, report.ReasonTooLarge, "image exceeds the pixel or memory limit"
	default:
		rec.Status, rec.Reason, rec.Error = report.StatusFailed, report.ReasonParse, fmt.Sprintf("cannot parse the %s structure", rec.Format)
	}
	if rec.Reason == report.ReasonNotImage {
		rec.Status = report.StatusSkipped
	}
	rec.Error += "; moved to the quarantine"
}

// quarantineFile moves a file that cannot be cleaned into the quarantine,
// records it, and removes it from the drop folder.
func (w *watcher) quarantineFile(rel string, data []byte, before snap, rec *report.File, start time.Time) error {
	if data == nil {
		var err error
		if data, err = w.drop.ReadFile(rel); err != nil {
			return nil
		}
	}
	if _, err := commit(w.quar, rel, data, 0o600); err != nil {
		w.log.Error("cannot move a file to the quarantine; it stays in the drop folder", "path", rel, "error", cause(err))
		return nil
	}
	if !w.unchanged(rel, before) {
		rec.Warnings = append(rec.Warnings, "the original changed meanwhile; left in the drop folder")
		return w.record(rec, start, rel)
	}
	if err := w.record(rec, start, rel); err != nil {
		return err
	}
	return w.removeOriginal(rel)
}

func (w *watcher) unchanged(rel string, before snap) bool {
	fi, err := w.drop.Lstat(rel)
	return err == nil && before.same(snapOf(fi, before.taken))
}

func (w *watcher) record(rec *report.File, start time.Time, rel string) error {
	rec.DurationMS = float64(time.Since(start).Microseconds()) / 1000
	w.log.Info("file", "path", rel, "status", string(rec.Status), "reason", string(rec.Reason), "format", rec.Format,
		"categories", categoryNames(rec), "duration_ms", rec.DurationMS)
	if w.cfg.Report == nil {
		return nil
	}
	if err := w.cfg.Report.WriteFileSync(rec); err != nil {
		w.log.Error("report not writable; stopping (the original stays in the drop folder)", "path", rel)
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

func categoryNames(rec *report.File) string {
	var out []string
	seen := map[string]bool{}
	for _, f := range rec.Findings {
		if !seen[string(f.Category)] {
			seen[string(f.Category)] = true
			out = append(out, string(f.Category))
		}
	}
	return strings.Join(out, ",")
}

// removeOriginal removes rel from the drop folder and syncs its directory.
func (w *watcher) removeOriginal(rel string) error {
	if err := w.drop.Remove(rel); err != nil && !errors.Is(err, fs.ErrNotExist) {
		w.log.Error("cannot remove the original from the drop folder", "path", rel, "error", cause(err))
		return nil
	}
	syncDir(w.drop, path.Dir(rel))
	return nil
}

// commit writes data at rel under root durably: a temp file in the same
// directory, fsync, rename without replacing, fsync of the directory. When
// rel exists with the same bytes (a restart after a crash), nothing is
// written; with other bytes, the first free "name-N.ext" is used. It
// returns the name written.
func commit(root *os.Root, rel string, data []byte, perm os.FileMode) (string, error) {
	dir := path.Dir(rel)
	if err := root.MkdirAll(dir, 0o755|perm&0o700); err != nil {
		return "", err
	}
	ext := path.Ext(rel)
	stem := strings.TrimSuffix(rel, ext)
	for n := 0; n < 1000; n++ {
		name := rel
		if n > 0 {
			name = fmt.Sprintf("%s-%d%s", stem, n, ext)
		}
		if old, err := root.ReadFile(name); err == nil {
			if bytes.Equal(old, data) {
				return name, nil
			}
			continue
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		var rb [8]byte
		rand.Read(rb[:])
		tmp := path.Join(dir, ".photoscrub-"+hex.EncodeToString(rb[:])+".tmp")
		f, err := root.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, perm)
		if err != nil {
			return "", err
		}
		_, werr := f.Write(data)
		if werr == nil {
			werr = f.Sync()
		}
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			root.Remove(tmp)
			return "", werr
		}
		// Link, not rename: it never replaces a file that appeared meanwhile.
		if err := root.Link(tmp, name); err != nil {
			if errors.Is(err, fs.ErrExist) {
				root.Remove(tmp)
				continue
			}
			// File systems without hard links: rename, after checking
			// the name is still free.
			if _, serr := root.Lstat(name); !errors.Is(serr, fs.ErrNotExist) {
				root.Remove(tmp)
				continue
			}
			if err := root.Rename(tmp, name); err != nil {
				root.Remove(tmp)
				return "", err
			}
		} else {
			root.Remove(tmp)
		}
		syncDir(root, dir)
		return name, nil
	}
	return "", errors.New("too many outputs of the same name")
}

func syncDir(root *os.Root, dir string) {
	if d, err := root.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// cause is the OS reason of err, without the path (paths are fine in the
// log, but the OS wording is enough).
func cause(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err.Error()
	}
	return "i/o error"
}
