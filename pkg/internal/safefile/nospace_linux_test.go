//go:build linux

package safefile

import (
	"bytes"
	"errors"
	"os"
	"syscall"
	"testing"
)

// tmpfsEnv mounts a 64 KiB tmpfs (root only) and skips when that fails.
func tmpfsEnv(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=64k"); err != nil {
		t.Skipf("cannot mount tmpfs: %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	r, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return &env{t: t, dir: dir, root: r}
}

// TestRealNoSpace fills a real small file system.
func TestRealNoSpace(t *testing.T) {
	e := tmpfsEnv(t)
	s := e.write("p.jpg", origData, 0o644)
	big := bytes.Repeat([]byte{0xAB}, 200<<10)

	// The pre-check refuses before creating anything.
	_, err := (&Committer{FS: RootFS(e.root), Margin: -1}).Replace("p.jpg", big, s)
	if !errors.Is(err, ErrNoSpace) {
		t.Fatalf("pre-check: %v, want ErrNoSpace", err)
	}

	// With the pre-check fooled, the write itself hits ENOSPC.
	f := newFaultFS(RootFS(e.root))
	huge := uint64(1 << 40)
	f.free = &huge
	_, err = (&Committer{FS: f}).Replace("p.jpg", big, s)
	if !errors.Is(err, ErrNoSpace) || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("write: %v, want ErrNoSpace wrapping ENOSPC", err)
	}
	if !bytes.Equal(e.read("p.jpg"), origData) || len(e.temps()) != 0 {
		t.Fatal("original modified or temp left")
	}
	// The space was given back: a fitting commit now succeeds.
	if _, err := (&Committer{FS: RootFS(e.root), Margin: -1}).Replace("p.jpg", newData, e.snap("p.jpg")); err != nil {
		t.Fatal(err)
	}
}
