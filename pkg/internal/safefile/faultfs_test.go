package safefile

import (
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sync"
	"testing"
	"time"
)

// faultFS wraps an FS, counts calls per kind and fails the k-th call of one
// kind with err. hook, if set, runs before every call.
type faultFS struct {
	inner FS

	mu     sync.Mutex
	calls  map[string]int
	trace  []string // "op#k" in call order
	failOp string
	failK  int
	err    error
	hook   func(op string, k int)
	free   *uint64 // overrides FreeBytes when set
}

func newFaultFS(inner FS) *faultFS { return &faultFS{inner: inner, calls: map[string]int{}} }

// fault records a call of kind op and returns the injected error, if due.
func (f *faultFS) fault(op string) error {
	f.mu.Lock()
	f.calls[op]++
	k := f.calls[op]
	f.trace = append(f.trace, fmt.Sprintf("%s#%d", op, k))
	hook := f.hook
	fail := op == f.failOp && k == f.failK
	f.mu.Unlock()
	if hook != nil {
		hook(op, k)
	}
	if fail {
		return f.err
	}
	return nil
}

func (f *faultFS) OpenFile(name string, flag int, perm fs.FileMode) (File, error) {
	op := "open"
	if flag&os.O_CREATE != 0 {
		op = "create"
	}
	if err := f.fault(op); err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	file, err := f.inner.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return &faultFile{File: file, fs: f}, nil
}

func (f *faultFS) Rename(o, n string) error {
	if err := f.fault("rename"); err != nil {
		return &os.LinkError{Op: "rename", Old: o, New: n, Err: err}
	}
	return f.inner.Rename(o, n)
}

func (f *faultFS) Link(o, n string) error {
	if err := f.fault("link"); err != nil {
		return &os.LinkError{Op: "link", Old: o, New: n, Err: err}
	}
	return f.inner.Link(o, n)
}

func (f *faultFS) Remove(name string) error {
	if err := f.fault("remove"); err != nil {
		return &fs.PathError{Op: "remove", Path: name, Err: err}
	}
	return f.inner.Remove(name)
}

func (f *faultFS) Lstat(name string) (fs.FileInfo, error) {
	if err := f.fault("lstat"); err != nil {
		return nil, &fs.PathError{Op: "lstat", Path: name, Err: err}
	}
	return f.inner.Lstat(name)
}

func (f *faultFS) Chtimes(name string, a, m time.Time) error {
	if err := f.fault("chtimes"); err != nil {
		return &fs.PathError{Op: "chtimes", Path: name, Err: err}
	}
	return f.inner.Chtimes(name, a, m)
}

func (f *faultFS) MkdirAll(name string, perm fs.FileMode) error {
	if err := f.fault("mkdirall"); err != nil {
		return &fs.PathError{Op: "mkdir", Path: name, Err: err}
	}
	return f.inner.MkdirAll(name, perm)
}

func (f *faultFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if err := f.fault("readdir"); err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	return f.inner.ReadDir(name)
}

func (f *faultFS) SyncDir(name string) error {
	if err := f.fault("syncdir"); err != nil {
		return &fs.PathError{Op: "sync", Path: name, Err: err}
	}
	return f.inner.SyncDir(name)
}

func (f *faultFS) FreeBytes(name string) (uint64, error) {
	if err := f.fault("statfs"); err != nil {
		return 0, &fs.PathError{Op: "statfs", Path: name, Err: err}
	}
	if f.free != nil {
		return *f.free, nil
	}
	return f.inner.FreeBytes(name)
}

type faultFile struct {
	File
	fs *faultFS
}

// fd forwards the descriptor so xattr copying works through the wrapper.
func (f *faultFile) fd() uintptr {
	if x, ok := f.File.(interface{ fd() uintptr }); ok {
		return x.fd()
	}
	return ^uintptr(0)
}

func (f *faultFile) Write(p []byte) (int, error) {
	if err := f.fs.fault("write"); err != nil {
		// Fail half-way, as a real device would.
		n, _ := f.File.Write(p[:len(p)/2])
		return n, &fs.PathError{Op: "write", Path: "x", Err: err}
	}
	return f.File.Write(p)
}

func (f *faultFile) Sync() error {
	if err := f.fs.fault("sync"); err != nil {
		return err
	}
	return f.File.Sync()
}

func (f *faultFile) Close() error {
	err := f.fs.fault("close")
	cerr := f.File.Close() // never leak the descriptor
	if err != nil {
		return err
	}
	return cerr
}

func (f *faultFile) Chmod(m fs.FileMode) error {
	if err := f.fs.fault("chmod"); err != nil {
		return err
	}
	return f.File.Chmod(m)
}

func (f *faultFile) Chown(u, g int) error {
	if err := f.fs.fault("chown"); err != nil {
		return err
	}
	return f.File.Chown(u, g)
}

func (f *faultFile) Truncate(n int64) error {
	if err := f.fs.fault("truncate"); err != nil {
		return err
	}
	return f.File.Truncate(n)
}

func (f *faultFile) Stat() (fs.FileInfo, error) {
	if err := f.fs.fault("stat"); err != nil {
		return nil, err
	}
	return f.File.Stat()
}

// env is a test directory opened as an os.Root.
type env struct {
	t    *testing.T
	dir  string
	root *os.Root
}

func newEnv(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	r, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return &env{t: t, dir: dir, root: r}
}

// write creates rel with content and an old mtime, returning its snapshot.
func (e *env) write(rel string, content []byte, perm fs.FileMode) Snapshot {
	e.t.Helper()
	if err := e.root.MkdirAll(dirOf(rel), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := e.root.WriteFile(rel, content, perm.Perm()); err != nil {
		e.t.Fatal(err)
	}
	if err := e.root.Chmod(rel, perm); err != nil { // beat the umask
		e.t.Fatal(err)
	}
	old := time.Date(2001, 2, 3, 4, 5, 6, 7000, time.UTC)
	if err := e.root.Chtimes(rel, old.Add(time.Hour), old); err != nil {
		e.t.Fatal(err)
	}
	return e.snap(rel)
}

func (e *env) snap(rel string) Snapshot {
	e.t.Helper()
	fi, err := e.root.Lstat(rel)
	if err != nil {
		e.t.Fatal(err)
	}
	return SnapshotOf(fi)
}

func (e *env) read(rel string) []byte {
	e.t.Helper()
	b, err := e.root.ReadFile(rel)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

// temps lists every temp-pattern name under the root, recursively.
func (e *env) temps() []string {
	e.t.Helper()
	var out []string
	err := fs.WalkDir(e.root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if IsTemp(p) {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func dirOf(rel string) string {
	for i := len(rel) - 1; i >= 0; i-- {
		if rel[i] == '/' {
			return rel[:i]
		}
	}
	return "."
}
