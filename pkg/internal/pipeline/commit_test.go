package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/photoscrub/photoscrub/pkg/internal/safefile"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// copyTree copies every regular file of src into dst.
func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dst, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestGroupCommitSameAsPerFile: in place and under --out, a batched run
// (with batches small enough that there are many) writes the same files
// and the same results as per-file commits.
func TestGroupCommitSameAsPerFile(t *testing.T) {
	src := t.TempDir()
	writeTree(t, src, 60)
	for _, inPlace := range []bool{true, false} {
		var trees []map[string]string
		var res [][]stable
		for _, lim := range []BatchLimits{{Files: 1}, {Files: 7}, {}} {
			dir := t.TempDir()
			in := filepath.Join(dir, "in")
			copyTree(t, src, in)
			cfg := Config{Roots: []string{in}, Scrub: true, Keep: meta.DefaultKeep, Jobs: 3, CommitBatch: lim}
			out := in
			if inPlace {
				cfg.InPlace = true
			} else {
				out = filepath.Join(dir, "out")
				cfg.OutDir = out
			}
			res = append(res, collect(t, cfg))
			trees = append(trees, relTree(t, out))
		}
		for i := 1; i < len(res); i++ {
			if !reflect.DeepEqual(res[0], res[i]) {
				t.Errorf("in place %v: batch %d: results differ from per-file commits", inPlace, i)
			}
			if !reflect.DeepEqual(trees[0], trees[i]) {
				t.Errorf("in place %v: batch %d: files differ from per-file commits", inPlace, i)
			}
		}
	}
}

// TestRecordOnlyOnceDurable: when Sink receives a scrubbed record, the new
// content is already under its name (the batch was committed), and Flush
// follows the records of committed files.
func TestRecordOnlyOnceDurable(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, 40)
	var mu sync.Mutex
	var events []string
	var bad atomic.Int32
	cfg := Config{Roots: []string{dir}, Scrub: true, InPlace: true, Keep: meta.DefaultKeep, Jobs: 2,
		CommitBatch: BatchLimits{Files: 5}}
	cfg.Sink = func(r *Result) error {
		if r.Status == StatusScrubbed {
			b, err := os.ReadFile(filepath.Join(dir, r.Path))
			if err != nil || sha(b) != r.SHA256After {
				bad.Add(1)
			}
		}
		mu.Lock()
		events = append(events, "rec:"+r.Status)
		mu.Unlock()
		return nil
	}
	cfg.Flush = func() error {
		mu.Lock()
		events = append(events, "flush")
		mu.Unlock()
		return nil
	}
	if _, err := Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if bad.Load() != 0 {
		t.Fatalf("%d files recorded scrubbed before their new content was in place", bad.Load())
	}
	if len(events) == 0 || events[len(events)-1] != "flush" {
		t.Fatalf("the last records were not flushed: %v", events)
	}
	flushes := strings.Count(strings.Join(events, " "), "flush")
	if flushes < 2 {
		t.Errorf("%d flushes for 41 records in batches of 5", flushes)
	}
	if n := countTemps(t, dir); n != 0 {
		t.Errorf("%d temps left", n)
	}
}

// TestTrickleCommitsPromptly: files arriving slowly are committed (and
// recorded) within about the batch delay, not when the batch fills up.
func TestTrickleCommitsPromptly(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, 4)
	old := testHookFile
	defer func() { testHookFile = old }()
	var started sync.Map
	testHookFile = func(rel string) {
		started.Store(rel, time.Now())
		time.Sleep(300 * time.Millisecond)
	}
	var lat []time.Duration
	cfg := Config{Roots: []string{dir}, Scrub: true, InPlace: true, Keep: meta.DefaultKeep, Jobs: 1,
		CommitBatch: BatchLimits{Files: 1000, Delay: 40 * time.Millisecond}}
	cfg.Sink = func(r *Result) error {
		if v, ok := started.Load(r.Path); ok && r.Status == StatusScrubbed {
			lat = append(lat, time.Since(v.(time.Time))-300*time.Millisecond)
		}
		return nil
	}
	if _, err := Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if len(lat) == 0 {
		t.Fatal("nothing scrubbed")
	}
	for _, l := range lat[:len(lat)-1] { // the last one ends the run anyway
		if l > 250*time.Millisecond {
			t.Errorf("a file was recorded %v after it was staged; want about the batch delay", l)
		}
	}
}

// batchFaultFS fails the k-th call of one kind among the in-place
// commit's calls.
type batchFaultFS struct {
	safefile.FS
	mu    sync.Mutex
	calls map[string]int
	op    string
	k     int
}

func (f *batchFaultFS) hit(op string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[op]++
	return op == f.op && f.calls[op] == f.k
}

func (f *batchFaultFS) Rename(o, n string) error {
	if f.hit("rename") {
		return &os.LinkError{Op: "rename", Old: o, New: n, Err: syscall.EIO}
	}
	return f.FS.Rename(o, n)
}

func (f *batchFaultFS) SyncDir(name string) error {
	if f.hit("syncdir") {
		return syscall.EIO
	}
	return f.FS.SyncDir(name)
}

func (f *batchFaultFS) OpenFile(name string, flag int, perm fs.FileMode) (safefile.File, error) {
	file, err := f.FS.OpenFile(name, flag, perm)
	if err != nil || flag&os.O_CREATE == 0 {
		return file, err
	}
	return &batchFaultFile{File: file, fs: f}, nil
}

type batchFaultFile struct {
	safefile.File
	fs *batchFaultFS
}

func (f *batchFaultFile) Sync() error {
	if f.fs.hit("sync") {
		return syscall.EIO
	}
	return f.File.Sync()
}

// TestGroupCommitFaults injects a failure into each step of a batch
// (a temp's fsync, a rename, a directory fsync) in a real in-place run:
// the file hit is failed and untouched (or, for the directory sync,
// committed with a warning), every other file is scrubbed, and no temp
// is left.
func TestGroupCommitFaults(t *testing.T) {
	src := t.TempDir()
	writeTree(t, src, 30)
	for _, tc := range []struct {
		op string
		k  int
	}{{"sync", 1}, {"sync", 9}, {"rename", 1}, {"rename", 13}, {"syncdir", 1}, {"syncdir", 3}} {
		t.Run(tc.op, func(t *testing.T) {
			dir := t.TempDir()
			copyTree(t, src, dir)
			orig := relTree(t, dir)
			var results []*Result
			cfg := Config{Roots: []string{dir}, Scrub: true, InPlace: true, Keep: meta.DefaultKeep, Jobs: 2,
				CommitBatch: BatchLimits{Files: 8},
				FS: func(f safefile.FS) safefile.FS {
					return &batchFaultFS{FS: f, calls: map[string]int{}, op: tc.op, k: tc.k}
				},
				Sink: func(r *Result) error { results = append(results, r); return nil }}
			if _, err := Run(context.Background(), cfg); err != nil {
				t.Fatal(err)
			}
			failed, warned := 0, 0
			now := relTree(t, dir)
			for _, r := range results {
				if r.Method == "" {
					continue
				}
				b, _ := os.ReadFile(filepath.Join(dir, r.Path))
				switch r.Status {
				case StatusFailed:
					failed++
					if now[r.Path] != orig[r.Path] {
						t.Errorf("%s: failed but modified", r.Path)
					}
					if r.Reason != ReasonIO {
						t.Errorf("%s: reason %s, want io", r.Path, r.Reason)
					}
				case StatusScrubbed:
					if sha(b) != r.SHA256After {
						t.Errorf("%s: recorded scrubbed, content is not the new one", r.Path)
					}
					for _, w := range r.Warnings {
						if w == safefile.WarnDirSync {
							warned++
						}
					}
				}
			}
			if tc.op == "syncdir" {
				if failed != 0 || warned == 0 {
					t.Errorf("failed %d, warned %d: a directory sync failure is a warning on the files of that directory", failed, warned)
				}
			} else if failed != 1 {
				t.Errorf("%d files failed, want 1", failed)
			}
			if n := countTemps(t, dir); n != 0 {
				t.Errorf("%d temps left", n)
			}
		})
	}
}

// TestSinkFailureAbortsStaged: once the report fails, staged files are not
// committed (they could not be recorded).
func TestSinkFailureAbortsStaged(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, 30)
	before := relTree(t, dir)
	var recorded []string
	n := 0
	cfg := Config{Roots: []string{dir}, Scrub: true, InPlace: true, Keep: meta.DefaultKeep, Jobs: 2,
		CommitBatch: BatchLimits{Files: 4},
		Sink: func(r *Result) error {
			n++
			if n > 3 {
				return errors.New("disk full")
			}
			recorded = append(recorded, r.Path)
			return nil
		}}
	if _, err := Run(context.Background(), cfg); !errors.Is(err, ErrFatal) {
		t.Fatalf("got %v, want fatal", err)
	}
	after := relTree(t, dir)
	changed := 0
	for p := range after {
		if after[p] != before[p] {
			changed++
		}
	}
	// Batches already committed when the sink failed stay committed; the
	// rest is untouched. Never everything.
	if changed >= 24 {
		t.Errorf("%d files rewritten after the report failed at the 4th record", changed)
	}
	if n := countTemps(t, dir); n != 0 {
		t.Errorf("%d temps left", n)
	}
}

func countTemps(t testing.TB, dir string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && safefile.IsTemp(d.Name()) {
			n++
		}
		return nil
	})
	return n
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// relTree maps each regular file's path relative to dir to its content
// hash and mode.
func relTree(t testing.TB, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		b, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = sha(b) + "|" + fi.Mode().String()
		return nil
	})
	return m
}
