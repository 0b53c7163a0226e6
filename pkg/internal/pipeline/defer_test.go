package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// TestSwapAfterWalkRefused: the walk lists a directory and leaves its
// regular files to the workers (walk.Options.Defer). A file replaced by a
// symbolic link (to a file inside the tree) or by a FIFO before its worker
// opens it is refused, never followed or blocked on; the other files are
// processed. The hook runs inside the per-file boundary, before the open.
func TestSwapAfterWalkRefused(t *testing.T) {
	for _, mode := range []string{"scan", "in-place", "out"} {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, 14)
			d := filepath.Join(dir, "d01")
			old := testHookFile
			defer func() { testHookFile = old }()
			testHookFile = func(rel string) {
				switch rel {
				case "d01/p0001.jpg":
					os.Remove(filepath.Join(d, "p0001.jpg"))
					if err := os.Symlink("p0008.jpg", filepath.Join(d, "p0001.jpg")); err != nil {
						t.Error(err)
					}
				case "d02/p0002.jpg":
					os.Remove(filepath.Join(dir, "d02", "p0002.jpg"))
					if err := syscall.Mkfifo(filepath.Join(dir, "d02", "p0002.jpg"), 0o644); err != nil {
						t.Error(err)
					}
				}
			}
			byPath := map[string]*Result{}
			cfg := Config{Roots: []string{dir}, Jobs: 2, Keep: meta.DefaultKeep,
				Sink: func(r *Result) error { byPath[r.Path] = r; return nil }}
			switch mode {
			case "in-place":
				cfg.Scrub, cfg.InPlace = true, true
			case "out":
				cfg.Scrub, cfg.OutDir = true, filepath.Join(t.TempDir(), "out")
			}
			done := make(chan error, 1)
			go func() { _, err := Run(context.Background(), cfg); done <- err }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("run blocked")
			}
			if r := byPath["d01/p0001.jpg"]; r == nil || r.Status != StatusSkipped || r.Reason != ReasonSymlink || r.SHA256Before != "" {
				t.Errorf("file swapped for a symlink: %+v", r)
			}
			if r := byPath["d02/p0002.jpg"]; r == nil || r.Status != StatusSkipped || r.Reason != ReasonNotRegular {
				t.Errorf("file swapped for a FIFO: %+v", r)
			}
			if fi, err := os.Lstat(filepath.Join(d, "p0001.jpg")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
				t.Errorf("the symlink was replaced: %v %v", fi, err)
			}
			if r := byPath["d01/p0008.jpg"]; r == nil || r.SHA256Before == "" {
				t.Errorf("the other files are processed: %+v", r)
			}
			if mode == "out" {
				if _, err := os.Lstat(filepath.Join(cfg.OutDir, "d01", "p0001.jpg")); err == nil {
					t.Error("an output was written for the symlink")
				}
			}
		})
	}
}

// TestOwnAndDuplicatesOnOpen: with the walk's lstat deferred to the open
// file, photoscrub's own files in the tree are still not candidates, and a
// file reached twice through hard links is processed once.
func TestOwnAndDuplicatesOnOpen(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, 4)
	own := filepath.Join(dir, "d00", "report.jsonl")
	if err := os.WriteFile(own, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(filepath.Join(dir, "d01", "p0001.jpg"), filepath.Join(dir, "d01", "q0001.jpg")); err != nil {
		t.Fatal(err)
	}
	// The first name is slow to open: the second name's worker gets to
	// the inode first, and must still leave it to the first name.
	old := testHookFile
	defer func() { testHookFile = old }()
	testHookFile = func(rel string) {
		if rel == "d01/p0001.jpg" {
			time.Sleep(100 * time.Millisecond)
		}
	}
	byPath := map[string]*Result{}
	cfg := Config{Roots: []string{dir}, Jobs: 2, Keep: meta.DefaultKeep, Own: []string{own},
		Sink: func(r *Result) error { byPath[r.Path] = r; return nil }}
	if _, err := Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if r, ok := byPath["d00/report.jsonl"]; ok {
		t.Errorf("own file recorded: %+v", r)
	}
	a, b := byPath["d01/p0001.jpg"], byPath["d01/q0001.jpg"]
	if a == nil || b == nil || a.SHA256Before == "" || b.Reason != "duplicate" || b.SizeBefore != a.SizeBefore {
		t.Errorf("hard links: %+v / %+v, want the first processed and the second a duplicate", a, b)
	}
	if len(byPath) != 6 { // 4 photos, the link, readme.txt
		t.Errorf("%d records, want 6", len(byPath))
	}
}

// TestNoHandleLeft: every directory handle the walk gives the workers is
// released, whatever happens to the candidate (processed, skipped by the
// shard filter, stopped by a failing report).
func TestNoHandleLeft(t *testing.T) {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	base := len(ents)
	dir := t.TempDir()
	writeTree(t, dir, 40)
	for _, cfg := range []Config{
		{Jobs: 2},
		{Jobs: 2, Shard: Shard{Index: 1, Of: 3}},
		{Jobs: 1, Scrub: true, OutDir: filepath.Join(t.TempDir(), "out")},
	} {
		n := 0
		cfg.Roots, cfg.Keep = []string{dir}, meta.DefaultKeep
		cfg.Sink = func(*Result) error {
			if n++; n > 5 && cfg.Shard.Of == 0 && !cfg.Scrub {
				return os.ErrClosed // the report fails mid-run
			}
			return nil
		}
		Run(context.Background(), cfg)
		time.Sleep(50 * time.Millisecond) // abandoned files finish
		if ents, _ := os.ReadDir("/proc/self/fd"); len(ents) != base {
			t.Errorf("%+v: %d descriptors open after the run, %d before", cfg.Shard, len(ents), base)
		}
	}
}
