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
	"context"
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
