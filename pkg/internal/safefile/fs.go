package safefile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// FS is the file system a Committer works on. Names are slash- or
// OS-separated paths relative to the FS root that satisfy filepath.IsLocal.
// It exists so that tests can inject faults; production code uses RootFS.
type FS interface {
	// OpenFile opens name like os.OpenFile.
	OpenFile(name string, flag int, perm fs.FileMode) (File, error)
	// Rename atomically renames oldname to newname, replacing newname.
	Rename(oldname, newname string) error
	// Link creates newname as a hard link to oldname; it fails if newname
	// exists.
	Link(oldname, newname string) error
	// Remove removes a file.
	Remove(name string) error
	// Lstat returns information about name without following a final
	// symlink.
	Lstat(name string) (fs.FileInfo, error)
	// Chtimes sets the access and modification times of name.
	Chtimes(name string, atime, mtime time.Time) error
	// MkdirAll creates a directory and its missing parents.
	MkdirAll(name string, perm fs.FileMode) error
	// ReadDir lists the entries of directory name.
	ReadDir(name string) ([]fs.DirEntry, error)
	// SyncDir fsyncs directory name so that renames in it are durable. It
	// returns nil where the platform cannot sync directories.
	SyncDir(name string) error
	// FreeBytes returns the bytes available to unprivileged users on the
	// file system holding directory name, or an error wrapping
	// errors.ErrUnsupported where unknown (the check is then skipped).
	FreeBytes(name string) (uint64, error)
}

// File is an open file of an FS.
type File interface {
	io.Writer
	// Sync commits the file's content to stable storage.
	Sync() error
	// Close closes the file; a write error may first surface here.
	Close() error
	// Chmod changes the mode of the open file.
	Chmod(mode fs.FileMode) error
	// Chown changes the owner of the open file.
	Chown(uid, gid int) error
	// Truncate changes the size of the file.
	Truncate(size int64) error
	// Stat returns information about the open file.
	Stat() (fs.FileInfo, error)
}

// RootFS returns an FS confined to r. It is safe for concurrent use as
// long as r is not closed. It keeps handles on the directories it works in
// (dircache.go): close it (it is an io.Closer) before r.
func RootFS(r *os.Root) FS { return &rootFS{r: r, dirs: &dirCache{r: r}} }

type rootFS struct {
	r    *os.Root
	dirs *dirCache
}

// Close closes the directory handles the FS keeps, not its root.
func (r *rootFS) Close() error { return r.dirs.Close() }

// in runs op on the root that holds name's last component, with that
// component: the cached handle of its directory, or the root itself for a
// name at the top.
func (r *rootFS) in(name string, op func(root *os.Root, base string) error) error {
	dir, base, ok := split(name)
	if !ok {
		return op(r.r, name)
	}
	h, release, err := r.dirs.acquire(dir)
	if err != nil {
		return err
	}
	defer release()
	return op(h.r, base)
}

// rootFile wraps *os.File so that the xattr helpers can reach its
// descriptor.
type rootFile struct{ *os.File }

func (f rootFile) fd() uintptr { return f.File.Fd() }

func (r *rootFS) OpenFile(name string, flag int, perm fs.FileMode) (File, error) {
	var f *os.File
	err := r.in(name, func(root *os.Root, base string) (err error) {
		f, err = root.OpenFile(base, flag, perm)
		return err
	})
	if err != nil {
		return nil, err
	}
	return rootFile{f}, nil
}

// pair runs op on the cached handle of the directory both names share, or
// on the root when they are in different directories.
func (r *rootFS) pair(oldname, newname string, op func(root *os.Root, a, b string) error) error {
	d1, b1, ok1 := split(oldname)
	d2, b2, ok2 := split(newname)
	if !ok1 || !ok2 || d1 != d2 {
		return op(r.r, oldname, newname)
	}
	h, release, err := r.dirs.acquire(d1)
	if err != nil {
		return err
	}
	defer release()
	return op(h.r, b1, b2)
}

func (r *rootFS) Rename(oldname, newname string) error {
	return r.pair(oldname, newname, (*os.Root).Rename)
}
func (r *rootFS) Link(oldname, newname string) error {
	return r.pair(oldname, newname, (*os.Root).Link)
}
func (r *rootFS) Remove(name string) error { return r.in(name, (*os.Root).Remove) }
func (r *rootFS) Lstat(name string) (fi fs.FileInfo, err error) {
	err = r.in(name, func(root *os.Root, base string) error {
		fi, err = root.Lstat(base)
		return err
	})
	return fi, err
}
func (r *rootFS) Chtimes(name string, atime, mtime time.Time) error {
	return r.in(name, func(root *os.Root, base string) error { return root.Chtimes(base, atime, mtime) })
}
func (r *rootFS) MkdirAll(name string, perm fs.FileMode) error { return r.r.MkdirAll(name, perm) }

func (r *rootFS) ReadDir(name string) ([]fs.DirEntry, error) {
	d, err := r.r.Open(name)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.ReadDir(-1)
}

func (r *rootFS) SyncDir(name string) error {
	d, err := r.r.Open(name)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	// Some file systems (and platforms) cannot fsync a directory.
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, errors.ErrUnsupported) || !dirSyncSupported {
		return nil
	}
	return err
}

// SyncFS flushes the whole file system of the root at once (Linux
// syncfs(2)); Commit uses it, where an FS has it, instead of one fsync per
// file and per directory (see batch.go).
func (r *rootFS) SyncFS() error {
	d, err := r.r.Open(".")
	if err != nil {
		return err
	}
	defer d.Close()
	return syncFS(d)
}

func (r *rootFS) FreeBytes(name string) (uint64, error) {
	h := &r.dirs.top
	if dir := filepath.Clean(name); dir != "." {
		var release func()
		var err error
		if h, release, err = r.dirs.acquire(dir); err != nil {
			return 0, err
		}
		defer release()
	}
	d, done, err := r.dirs.dirFile(h)
	if err != nil {
		return 0, err
	}
	defer done()
	return freeBytes(d)
}
