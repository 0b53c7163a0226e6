package walk

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// mkTree creates files (and their parent directories) under a new temp
// directory; names ending in "/" are directories.
func mkTree(t *testing.T, names ...string) string {
	t.Helper()
	root := t.TempDir()
	for _, n := range names {
		p := filepath.Join(root, filepath.FromSlash(n))
		if strings.HasSuffix(n, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// collect walks args with o and returns "root:rel[:skip]" strings.
func collect(t *testing.T, args []string, o Options) []string {
	t.Helper()
	roots, err := Open(args)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer closeAll(roots)
	var got []string
	err = Walk(context.Background(), roots, o, func(c Candidate) error {
		s := string(rune('0'+c.Root)) + ":" + c.Rel
		if c.Skip != "" {
			s += ":" + c.Skip
		}
		if c.Skip != SkipUnreadable && c.Info == nil {
			t.Errorf("%s: nil Info", c.Rel)
		}
		if c.Rel == "." || c.Rel == "" || strings.HasPrefix(c.Rel, "/") || strings.Contains(c.Rel, "\\") {
			t.Errorf("bad Rel %q", c.Rel)
		}
		got = append(got, s)
		return nil
	})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return got
}

func want(t *testing.T, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestLexicalOrder(t *testing.T) {
	root := mkTree(t, "b.jpg", "a/z.jpg", "a/b/y.jpg", "a/B.png", "Z.gif", "a.jpg", "empty/", "a-b/c.jpg")
	want(t, collect(t, []string{root}, Options{}), []string{
		"0:Z.gif", "0:a/B.png", "0:a/b/y.jpg", "0:a/z.jpg", "0:a-b/c.jpg", "0:a.jpg", "0:b.jpg",
	})
}

func TestMultipleRoots(t *testing.T) {
	r1 := mkTree(t, "x.jpg")
	r2 := mkTree(t, "d/y.jpg")
	want(t, collect(t, []string{r1, r2, filepath.Join(r1, "x.jpg")}, Options{}),
		[]string{"0:x.jpg", "1:d/y.jpg", "2:x.jpg"})
}

func TestExclude(t *testing.T) {
	root := mkTree(t, "keep.jpg", "keep.tmp", "skipdir/x.jpg", "skipdir/deep/y.jpg",
		"a/b/one.jpg", "a/b/two.png", "a/c/one.jpg", "x/skipdir/z.jpg", "cache/thumb.jpg")
	got := collect(t, []string{root}, Options{Exclude: []string{
		"*.tmp",     // base name, any depth
		"skipdir",   // directory by base name, pruned at any depth
		"a/b/*.jpg", // slash path glob
		"./cache",   // "./" prefix ignored
		"[",         // malformed pattern matches nothing
	}})
	want(t, got, []string{"0:a/b/two.png", "0:a/c/one.jpg", "0:keep.jpg"})
}

// TestExcludedDirIsNotRead: a pruned directory is not even opened, so an
// unreadable excluded directory yields nothing.
func TestExcludedDirIsNotRead(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can read a mode-000 directory")
	}
	root := mkTree(t, "ok.jpg", "private/x.jpg")
	p := filepath.Join(root, "private")
	if err := os.Chmod(p, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(p, 0o755) })
	want(t, collect(t, []string{root}, Options{Exclude: []string{"private"}}), []string{"0:ok.jpg"})
}

func TestSymlinksNeverFollowed(t *testing.T) {
	outside := mkTree(t, "secret.jpg", "sub/s2.jpg")
	root := mkTree(t, "real.jpg", "dir/in.jpg")
	for link, target := range map[string]string{
		"lfile.jpg":   "real.jpg",
		"ldir":        "dir",
		"escape.jpg":  filepath.Join(outside, "secret.jpg"),
		"escapedir":   filepath.Join(outside, "sub"),
		"dangling":    "nope.jpg",
		"dir/up.jpg":  "../real.jpg",
		"dir/dotdot":  "..",
		"dir/abs.jpg": "/etc/passwd",
	} {
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	want(t, collect(t, []string{root}, Options{}), []string{
		"0:dangling:symlink",
		"0:dir/abs.jpg:symlink", "0:dir/dotdot:symlink", "0:dir/in.jpg", "0:dir/up.jpg:symlink",
		"0:escape.jpg:symlink", "0:escapedir:symlink",
		"0:ldir:symlink", "0:lfile.jpg:symlink", "0:real.jpg",
	})
}

func TestFIFODoesNotBlock(t *testing.T) {
	root := mkTree(t, "a.jpg")
	if err := syscall.Mkfifo(filepath.Join(root, "fifo.jpg"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan []string, 1)
	go func() { done <- collect(t, []string{root}, Options{}) }()
	select {
	case got := <-done:
		want(t, got, []string{"0:a.jpg", "0:fifo.jpg:not-regular"})
	case <-time.After(5 * time.Second):
		t.Fatal("walk blocked on a FIFO")
	}
	// A FIFO given as a single-file root is classified, not opened.
	go func() { done <- collect(t, []string{filepath.Join(root, "fifo.jpg")}, Options{}) }()
	select {
	case got := <-done:
		want(t, got, []string{"0:fifo.jpg:not-regular"})
	case <-time.After(5 * time.Second):
		t.Fatal("walk blocked on a FIFO root")
	}
}

func TestSingleFileRoots(t *testing.T) {
	root := mkTree(t, "d/photo.jpg", "d/other.jpg")
	if err := os.Symlink("photo.jpg", filepath.Join(root, "d", "link.jpg")); err != nil {
		t.Fatal(err)
	}
	roots, err := Open([]string{filepath.Join(root, "d", "photo.jpg")})
	if err != nil {
		t.Fatal(err)
	}
	if roots[0].File != "photo.jpg" {
		t.Errorf("File = %q", roots[0].File)
	}
	closeAll(roots)
	want(t, collect(t, []string{filepath.Join(root, "d", "photo.jpg")}, Options{}), []string{"0:photo.jpg"})
	// A symlink argument is reported, not followed.
	want(t, collect(t, []string{filepath.Join(root, "d", "link.jpg")}, Options{}), []string{"0:link.jpg:symlink"})
	// Exclude and Own do not apply to an explicitly named file? They are
	// documented for the walk only; a single file is always yielded.
	want(t, collect(t, []string{filepath.Join(root, "d", "photo.jpg")}, Options{Exclude: []string{"*.jpg"}}), []string{"0:photo.jpg"})
}

func TestOpenMissing(t *testing.T) {
	root := mkTree(t, "a.jpg")
	missing := filepath.Join(root, "nope")
	_, err := Open([]string{root, missing})
	var pe *os.PathError
	if !errors.As(err, &pe) || pe.Path != missing || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open(missing) = %v, want a PathError naming it with ErrNotExist", err)
	}
}

func TestUnreadableDir(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can read a mode-000 directory")
	}
	root := mkTree(t, "a.jpg", "locked/x.jpg", "z.jpg")
	p := filepath.Join(root, "locked")
	if err := os.Chmod(p, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(p, 0o755) })
	want(t, collect(t, []string{root}, Options{}), []string{"0:a.jpg", "0:locked:" + SkipUnreadable, "0:z.jpg"})
}

func TestOwn(t *testing.T) {
	root := mkTree(t, "a.jpg", "report.jsonl", "out/a.jpg", "out/b.jpg", "sub/.photoscrub-tmp-1.jpg", "sub/c.jpg")
	seen := map[string]bool{}
	own := func(fi fs.FileInfo, name string) bool {
		seen[name] = true
		if name == "out" && !fi.IsDir() {
			t.Error("Own got out as a non-directory")
		}
		return name == "report.jsonl" || name == "out" || strings.HasPrefix(name, ".photoscrub-tmp-")
	}
	want(t, collect(t, []string{root}, Options{Own: own}), []string{"0:a.jpg", "0:sub/c.jpg"})
	if seen["a.jpg"] == false || seen["sub"] == false {
		t.Errorf("Own not consulted for every file and directory: %v", seen)
	}
	if seen["b.jpg"] {
		t.Error("walk descended into a directory Own excluded")
	}
}

func TestOwnNotConsultedForSpecialFiles(t *testing.T) {
	root := mkTree(t, "a.jpg")
	if err := os.Symlink("a.jpg", filepath.Join(root, "l.jpg")); err != nil {
		t.Fatal(err)
	}
	// Own says "mine" to everything, but a symlink still has to be reported.
	got := collect(t, []string{root}, Options{Own: func(fs.FileInfo, string) bool { return true }})
	want(t, got, []string{"0:l.jpg:symlink"})
}

func TestStopsOnCallbackErrorAndCancel(t *testing.T) {
	root := mkTree(t, "a.jpg", "b.jpg", "c.jpg")
	roots, err := Open([]string{root, root})
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll(roots)
	stop := errors.New("stop")
	n := 0
	err = Walk(context.Background(), roots, Options{}, func(c Candidate) error {
		n++
		if c.Rel == "b.jpg" {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 2 {
		t.Errorf("err %v after %d calls, want stop after 2", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	err = Walk(ctx, roots, Options{}, func(c Candidate) error {
		n++
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || n != 1 {
		t.Errorf("err %v after %d calls, want context.Canceled after 1", err, n)
	}
}

// TestCancelBetweenSingleFileRoots: Walk "stops when ctx is done", also
// between explicitly named files.
func TestCancelBetweenSingleFileRoots(t *testing.T) {
	root := mkTree(t, "a.jpg", "b.jpg", "c.jpg")
	var args []string
	for _, n := range []string{"a.jpg", "b.jpg", "c.jpg"} {
		args = append(args, filepath.Join(root, n))
	}
	roots, err := Open(args)
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll(roots)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err = Walk(ctx, roots, Options{}, func(Candidate) error {
		n++
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || n != 1 {
		t.Errorf("err %v after %d calls, want context.Canceled after 1", err, n)
	}
}
