package safefile

import (
	"errors"
	"io"
	"io/fs"
	"os"
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
// long as r is not closed.
func RootFS(r *os.Root) FS { return rootFS{r} }

type rootFS struct{ r *os.Root }

// rootFile wraps *os.File so that the xattr helpers can reach its
// descriptor.
type rootFile struct{ *os.File }

func (f rootFile) fd() uintptr { return f.File.Fd() }

func (r rootFS) OpenFile(name string, flag int, perm fs.FileMode) (File, error) {
	f, err := r.r.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return rootFile{f}, nil
}

func (r rootFS) Rename(oldname, newname string) error { return r.r.Rename(oldname, newname) }
func (r rootFS) Link(oldname, newname string) error   { return r.r.Link(oldname, newname) }
func (r rootFS) Remove(name string) error             { return r.r.Remove(name) }
func (r rootFS) Lstat(name string) (fs.FileInfo, error) {
	return r.r.Lstat(name)
}
func (r rootFS) Chtimes(name string, atime, mtime time.Time) error {
	return r.r.Chtimes(name, atime, mtime)
}
func (r rootFS) MkdirAll(name string, perm fs.FileMode) error { return r.r.MkdirAll(name, perm) }

func (r rootFS) ReadDir(name string) ([]fs.DirEntry, error) {
	d, err := r.r.Open(name)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.ReadDir(-1)
}

func (r rootFS) SyncDir(name string) error {
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
func (r rootFS) SyncFS() error {
	d, err := r.r.Open(".")
	if err != nil {
		return err
	}
	defer d.Close()
	return syncFS(d)
}

func (r rootFS) FreeBytes(name string) (uint64, error) {
	d, err := r.r.Open(name)
	if err != nil {
		return 0, err
	}
	defer d.Close()
	return freeBytes(d)
}
