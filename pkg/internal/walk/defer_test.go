package walk

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// collectDefer walks args with Defer and returns the candidates as
// collect does; it checks Info and Deferred, reads every regular file
// through Open and releases it.
func collectDefer(t *testing.T, args []string, o Options) []string {
	t.Helper()
	roots, err := Open(args)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer closeAll(roots)
	o.Defer = true
	var got []string
	err = Walk(context.Background(), roots, o, func(c Candidate) error {
		defer c.Release()
		s := string(rune('0'+c.Root)) + ":" + c.Rel
		if c.Skip != "" {
			s += ":" + c.Skip
		}
		if c.Skip == "" {
			if c.Deferred() == (c.Info != nil) {
				t.Errorf("%s: Deferred %v with Info %v", c.Rel, c.Deferred(), c.Info)
			}
			f, err := c.Open(roots)
			if err != nil {
				t.Errorf("%s: Open: %v", c.Rel, err)
				return nil
			}
			fi, err := f.Stat()
			f.Close()
			if err != nil || !fi.Mode().IsRegular() || fi.Name() != filepath.Base(c.Rel) {
				t.Errorf("%s: Stat = %v, %v", c.Rel, fi, err)
			}
		}
		got = append(got, s)
		return nil
	})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return got
}

// TestDeferSameCandidates: Defer changes how files are reached, never
// which or in what order.
func TestDeferSameCandidates(t *testing.T) {
	root := mkTree(t, "b.jpg", "a/z.jpg", "a/b/y.jpg", "a/B.png", "Z.gif", "a.jpg", "empty/", "a-b/c.jpg",
		"skip/x.jpg", "deep/1/2/3/4/5/f.jpg")
	for link, target := range map[string]string{"lfile.jpg": "a.jpg", "ldir": "a", "a/up.jpg": "../b.jpg"} {
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(root, "a", "fifo.jpg"), 0o644); err != nil {
		t.Fatal(err)
	}
	o := Options{Exclude: []string{"skip"}}
	args := []string{root, filepath.Join(root, "a.jpg"), filepath.Join(root, "a")}
	want(t, collectDefer(t, args, o), collect(t, args, o))
}

// TestDeferOpenRefusesSwaps: a file replaced by a symlink or a FIFO after
// the walk listed it is not followed, nor blocked on.
func TestDeferOpenRefusesSwaps(t *testing.T) {
	root := mkTree(t, "d/link.jpg", "d/fifo.jpg", "secret.jpg")
	roots, err := Open([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll(roots)
	var cands []Candidate
	err = Walk(context.Background(), roots, Options{Defer: true}, func(c Candidate) error {
		cands = append(cands, c)
		return nil
	})
	if err != nil || len(cands) != 3 {
		t.Fatalf("Walk: %d candidates, %v", len(cands), err)
	}
	d := filepath.Join(root, "d")
	for _, n := range []string{"link.jpg", "fifo.jpg"} {
		os.Remove(filepath.Join(d, n))
	}
	if err := os.Symlink("../secret.jpg", filepath.Join(d, "link.jpg")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(d, "fifo.jpg"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range cands {
		done := make(chan string, 1)
		go func() {
			f, err := c.Open(roots)
			if err != nil {
				done <- err.Error()
				return
			}
			defer f.Close()
			fi, err := f.Stat()
			if err != nil {
				done <- err.Error()
				return
			}
			done <- fi.Mode().Type().String()
		}()
		select {
		case got := <-done:
			switch c.Rel {
			case "d/link.jpg":
				if !strings.Contains(got, syscall.ELOOP.Error()) {
					t.Errorf("symlink swapped in: Open gave %q, want ELOOP", got)
				}
			case "d/fifo.jpg":
				if !strings.HasPrefix(got, "p") {
					t.Errorf("FIFO swapped in: got %q, want a named pipe seen by Stat", got)
				}
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: Open blocked", c.Rel)
		}
		c.Release()
	}
}

// TestOpenDirRefusesSwap: a sub-directory replaced by a symbolic link to
// another directory between its lstat and its open is not walked.
func TestOpenDirRefusesSwap(t *testing.T) {
	root := mkTree(t, "a/x.jpg", "other/y.jpg")
	r, err := os.OpenRoot(root)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	d := &Dir{root: r, shared: true}
	d.refs.Store(1)
	fi, err := r.Lstat("a")
	if err != nil {
		t.Fatal(err)
	}
	sub, err := d.openDir("a", fi)
	if err != nil {
		t.Fatalf("openDir of the directory itself: %v", err)
	}
	sub.Release()
	if err := os.Rename(filepath.Join(root, "a"), filepath.Join(root, "gone")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("other", filepath.Join(root, "a")); err != nil {
		t.Fatal(err)
	}
	if sub, err := d.openDir("a", fi); !errors.Is(err, errSwapped) {
		if sub != nil {
			sub.Release()
		}
		t.Fatalf("openDir after a swap for a link: %v, want errSwapped", err)
	}
}

// TestDeferHandlesBounded: the walk keeps one handle per level of the
// current path, and a directory's handle is closed with its last
// candidate.
func TestDeferHandlesBounded(t *testing.T) {
	var names []string
	for i := range 40 {
		names = append(names, fmt.Sprintf("d%02d/e/f%d.jpg", i, i), fmt.Sprintf("d%02d/g%d.jpg", i, i))
	}
	root := mkTree(t, names...)
	roots, err := Open([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll(roots)
	base := openFDs(t)
	peak := 0
	var held []Candidate
	err = Walk(context.Background(), roots, Options{Defer: true}, func(c Candidate) error {
		held = append(held, c)
		if len(held) > 3 { // a window of candidates in flight
			held[0].Release()
			held = held[1:]
		}
		peak = max(peak, openFDs(t)-base)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range held {
		c.Release()
	}
	// The walk: the root's listing, and a root handle and a listing for
	// each of the two levels below; each held candidate: its directory's
	// listing. Forty directories are walked.
	if peak > 1+2*2+3 {
		t.Errorf("%d handles open at the peak of a depth-2 walk with 3 candidates held", peak)
	}
	if n := openFDs(t) - base; n != 0 {
		t.Errorf("%d handles left open after every candidate was released", n)
	}
}

func openFDs(t *testing.T) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	return len(ents)
}
