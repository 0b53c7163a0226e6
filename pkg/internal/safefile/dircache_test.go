package safefile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// openFDs counts the process's open descriptors (Linux), or -1.
func openFDs(t *testing.T) int {
	t.Helper()
	if runtime.GOOS != "linux" {
		return -1
	}
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(ents)
}

// TestDirCacheBounded: operations in many directories keep at most
// dirCacheSize handles, a handle in use survives eviction until released,
// and Close leaves no descriptor behind.
func TestDirCacheBounded(t *testing.T) {
	e := newEnv(t)
	n := dirCacheSize + 8
	for i := range n {
		e.write(fmt.Sprintf("d%02d/f.jpg", i), origData, 0o644)
	}
	before := openFDs(t)
	fsys := RootFS(e.root).(*rootFS)
	held, release, err := fsys.dirs.acquire("d00")
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		name := fmt.Sprintf("d%02d/f.jpg", i)
		if _, err := fsys.Lstat(name); err != nil {
			t.Fatalf("Lstat %s: %v", name, err)
		}
		if _, err := fsys.FreeBytes(filepath.Dir(name)); err != nil && !errors.Is(err, errors.ErrUnsupported) {
			t.Fatalf("FreeBytes: %v", err)
		}
	}
	if got := len(fsys.dirs.dirs); got > dirCacheSize {
		t.Errorf("%d directory handles cached, want at most %d", got, dirCacheSize)
	}
	if _, err := held.r.Lstat("f.jpg"); err != nil {
		t.Errorf("a handle in use was closed under its user: %v", err)
	}
	release()
	if err := fsys.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := held.r.Lstat("f.jpg"); err == nil {
		t.Error("handle still open after release and Close")
	}
	if after := openFDs(t); before >= 0 && after != before {
		t.Errorf("open descriptors %d before, %d after Close", before, after)
	}
	// The FS keeps working after Close, without caching.
	if _, err := fsys.Lstat("d03/f.jpg"); err != nil {
		t.Errorf("Lstat after Close: %v", err)
	}
	if len(fsys.dirs.dirs) != 0 {
		t.Error("handles cached after Close")
	}
	if after := openFDs(t); before >= 0 && after != before {
		t.Errorf("open descriptors %d before, %d after use past Close", before, after)
	}
}

// TestDirCacheIdleReopen: a directory replaced while its handle sat idle
// longer than dirCacheIdle is seen as it is now; within a busy stretch
// the handle is the directory that was opened.
func TestDirCacheIdleReopen(t *testing.T) {
	e := newEnv(t)
	e.write("a/f.jpg", origData, 0o644)
	fsys := RootFS(e.root).(*rootFS)
	defer fsys.Close()
	if _, err := fsys.Lstat("a/f.jpg"); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(e.dir, "a")
	if err := os.Rename(dir, dir+"-moved"); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := fsys.Lstat("a/f.jpg"); err != nil {
		t.Errorf("within the idle time the handle is the directory read from: %v", err)
	}
	fsys.dirs.mu.Lock()
	fsys.dirs.dirs["a"].last = time.Now().Add(-2 * dirCacheIdle)
	fsys.dirs.mu.Unlock()
	if _, err := fsys.Lstat("a/f.jpg"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after the idle time: Lstat = %v, want not found in the new directory", err)
	}
}
