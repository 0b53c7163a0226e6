package pipeline

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/safefile"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

func results(t *testing.T, cfg Config) ([]*Result, error) {
	t.Helper()
	var got []*Result
	cfg.Sink = func(r *Result) error { got = append(got, r); return nil }
	_, err := Run(context.Background(), cfg)
	return got, err
}

// TestOutRerunIsIdempotent: a second run into the same --out leaves every
// identical output alone (clean); a differing output is refused and named
// by its output path, or replaced atomically with Overwrite.
func TestOutRerunIsIdempotent(t *testing.T) {
	in, out := t.TempDir(), filepath.Join(t.TempDir(), "clean")
	writeTree(t, in, 12)
	cfg := Config{Roots: []string{in}, Scrub: true, OutDir: out, Keep: meta.DefaultKeep, Jobs: 3}
	first, err := results(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	victim := filepath.Join(out, "d01", "p0001.jpg")
	want, err := os.ReadFile(victim)
	if err != nil {
		t.Fatal(err)
	}
	second, err := results(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range second {
		if r.Path == "readme.txt" {
			continue
		}
		if r.Status != StatusClean || first[i].Status == StatusFailed {
			t.Errorf("re-run: %s is %s (%s), want clean", r.Path, r.Status, r.Error)
		}
	}
	if err := os.WriteFile(victim, append(want, 0), 0o644); err != nil {
		t.Fatal(err)
	}
	third, err := results(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range third {
		switch {
		case r.Path == "d01/p0001.jpg":
			if r.Status != StatusFailed || r.Reason != ReasonExists || r.Output != "d01/p0001.jpg" || !strings.Contains(r.Error, "--overwrite") {
				t.Errorf("differing output: %+v", r)
			}
		case r.Path != "readme.txt" && r.Status != StatusClean:
			t.Errorf("%s: %s", r.Path, r.Status)
		}
	}
	cfg.Overwrite = true
	fourth, err := results(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range fourth {
		if r.Path == "d01/p0001.jpg" && (r.Status != StatusScrubbed || !strings.Contains(strings.Join(r.Warnings, ";"), "--overwrite")) {
			t.Errorf("overwrite: %+v", r)
		}
	}
	if got, _ := os.ReadFile(victim); string(got) != string(want) {
		t.Error("--overwrite did not restore the output")
	}
}

// deniedFS refuses every write like a directory the user cannot write.
type deniedFS struct{ safefile.FS }

func (d deniedFS) OpenFile(name string, flag int, perm fs.FileMode) (safefile.File, error) {
	if flag&os.O_CREATE != 0 {
		return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EACCES}
	}
	return d.FS.OpenFile(name, flag, perm)
}

func (d deniedFS) MkdirAll(name string, perm fs.FileMode) error {
	return &fs.PathError{Op: "mkdir", Path: name, Err: syscall.EACCES}
}

// TestUnwritableOutputStopsEarly: when no output can be written, the run
// stops after the first failure with the OS cause instead of failing
// every file.
func TestUnwritableOutputStopsEarly(t *testing.T) {
	in, out := t.TempDir(), filepath.Join(t.TempDir(), "clean")
	writeTree(t, in, 40)
	cfg := Config{Roots: []string{in}, Scrub: true, OutDir: out, Keep: meta.DefaultKeep, Jobs: 1,
		FS: func(f safefile.FS) safefile.FS { return deniedFS{f} }}
	got, err := results(t, cfg)
	if !errors.Is(err, ErrFatal) || !strings.Contains(err.Error(), "permission denied") {
		t.Fatalf("error %v, want a fatal permission error", err)
	}
	if len(got) == 0 || len(got) > 4 {
		t.Fatalf("%d results: the run did not stop early", len(got))
	}
	if r := got[0]; r.Reason != ReasonPermission || !strings.HasSuffix(r.Error, "permission denied; original untouched") {
		t.Errorf("first failure %q (%s), want its OS cause", r.Error, r.Reason)
	}
}
