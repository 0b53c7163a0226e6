//go:build linux || darwin

package walk

import (
	"os"

	"golang.org/x/sys/unix"
)

// candidatesUseRoot: whether openAt needs d.root.
const candidatesUseRoot = false

// openFlags open a candidate for reading without following a symbolic
// link (ELOOP) and without blocking on a FIFO.
const openFlags = os.O_RDONLY | unix.O_NONBLOCK | unix.O_NOFOLLOW

// openAt opens the entry name of d with openat(2) on d's descriptor:
// O_NOFOLLOW refuses a symbolic link (ELOOP) wherever it points, and
// O_NONBLOCK keeps a FIFO from blocking.
func (d *Dir) openAt(name string) (*os.File, error) {
	rc, err := d.f.SyscallConn()
	if err != nil {
		return nil, err
	}
	fd := -1
	var oerr error
	err = rc.Control(func(dfd uintptr) {
		for {
			fd, oerr = unix.Openat(int(dfd), name, openFlags|unix.O_CLOEXEC, 0)
			if oerr != unix.EINTR {
				return
			}
		}
	})
	if err == nil {
		err = oerr
	}
	if err != nil {
		return nil, &os.PathError{Op: "openat", Path: name, Err: err}
	}
	return os.NewFile(uintptr(fd), name), nil
}

// openList opens d for listing. A directory opened through os.Root has
// every entry lstat'ed by ReadDir (it cannot stat lazily by path), so the
// listing is read from a second open of "." made with openat(2) itself:
// ReadDir then takes each entry's type from the directory (d_type) and the
// walk stats only what is not a regular file. Nothing may call Info on its
// entries (that would stat by path, and fails: see listName); the walk
// uses d.root.Lstat.
func (d *Dir) openList() (*os.File, error) {
	rf, err := d.root.Open(".")
	if err != nil {
		return nil, err
	}
	defer rf.Close()
	rc, err := rf.SyscallConn()
	if err != nil {
		return nil, err
	}
	fd := -1
	var oerr error
	err = rc.Control(func(dfd uintptr) {
		for {
			fd, oerr = unix.Openat(int(dfd), ".", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
			if oerr != unix.EINTR {
				return
			}
		}
	})
	if err == nil {
		err = oerr
	}
	if err != nil {
		return nil, &os.PathError{Op: "openat", Path: ".", Err: err}
	}
	// The name holds a NUL byte, so that anything that would stat an
	// entry by path (DirEntry.Info) fails rather than resolve it against
	// the working directory.
	return os.NewFile(uintptr(fd), listName), nil
}

const listName = "directory\x00"
