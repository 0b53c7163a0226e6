package walk

import (
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync/atomic"
)

// Dir is an open directory of a walk. The walk holds a reference while it
// reads the directory; with Options.Defer each regular-file candidate holds
// one more, until Candidate.Release. The handle is closed when the last
// reference goes, so open handles are bounded by the depth of the walk plus
// the candidates in flight.
type Dir struct {
	root   *os.Root // the walk's (closed by done)
	f      *os.File // the directory, open for reading: listed, then the base of openat (open_unix.go)
	shared bool     // root is a Root's own handle: closed by its owner, not here
	refs   atomic.Int32
}

// Release drops one reference to d.
func (d *Dir) Release() {
	if d.refs.Add(-1) != 0 {
		return
	}
	if d.f != nil {
		d.f.Close()
	}
	if candidatesUseRoot && !d.shared {
		d.root.Close()
	}
}

// done is the walk's Release: it also closes the root handle, which only
// the walk uses (for lstat and sub-directories); candidates open files
// through f.
func (d *Dir) done() {
	if !candidatesUseRoot && !d.shared {
		d.root.Close()
	}
	d.Release()
}

// list returns the entries of d sorted by name (the order of fs.WalkDir).
func (d *Dir) list() ([]fs.DirEntry, error) {
	f, err := d.openList()
	if err != nil {
		return nil, err
	}
	d.f = f // kept: files are opened relative to it
	ents, err := f.ReadDir(-1)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(ents, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return ents, nil
}

// errSwapped says a directory entry changed between its lstat and its open.
var errSwapped = errors.New("directory replaced while it was walked")

// openDir opens the sub-directory name of d, which fi (its lstat) says is a
// directory. os.Root would follow a symbolic link that stays inside d, so
// the opened directory must be the very one fi describes: a directory
// swapped for a link (or for another directory) in between is refused.
func (d *Dir) openDir(name string, fi fs.FileInfo) (*Dir, error) {
	r, err := d.root.OpenRoot(name)
	if err != nil {
		return nil, err
	}
	got, err := r.Stat(".")
	if err != nil || !got.IsDir() || !os.SameFile(got, fi) {
		r.Close()
		return nil, errSwapped
	}
	nd := &Dir{root: r}
	nd.refs.Store(1)
	return nd, nil
}

// Open opens c's file for reading, never following a symbolic link (the
// error is then ELOOP) and never blocking on a FIFO: with one openat of its
// base name relative to its directory's handle when c holds one
// (Options.Defer), else through roots[c.Root]. The caller checks, with
// Stat on the open file, that it is the regular file it expects.
//
// os.Root follows a symbolic link whose target stays inside the root even
// when O_NOFOLLOW is given. Through a directory handle the file is opened
// with openat(2) itself, which does not (openAt); through a root, the
// caller compares the open file with the walk's lstat (Info).
func (c Candidate) Open(roots []Root) (*os.File, error) {
	if c.dir != nil {
		return c.dir.openAt(c.name)
	}
	return roots[c.Root].OpenFile(c.Rel, openFlags, 0)
}

// Deferred reports whether c was yielded by Options.Defer without an
// lstat: Info is nil and Own was not consulted.
func (c Candidate) Deferred() bool { return c.dir != nil }

// Release gives back the directory handle c holds (Options.Defer); it
// must be called exactly once for such a candidate, and does nothing for
// the others.
func (c Candidate) Release() {
	if c.dir != nil {
		c.dir.Release()
	}
}
