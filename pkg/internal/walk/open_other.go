//go:build !linux && !darwin

package walk

import (
	"errors"
	"os"
	"syscall"
)

// candidatesUseRoot: whether openAt needs d.root.
const candidatesUseRoot = true

// openFlags: os.Root keeps every open inside the root; these platforms
// are best effort (no FIFO guard).
const openFlags = os.O_RDONLY

// openAt opens the entry name of d. os.Root follows a symbolic link that
// stays inside d, so the open file must be the regular file that lstat
// finds at name (best effort on these platforms).
func (d *Dir) openAt(name string) (*os.File, error) {
	f, err := d.root.OpenFile(name, openFlags, 0)
	if err != nil {
		return nil, err
	}
	got, err := f.Stat()
	if err == nil {
		var fi os.FileInfo
		if fi, err = d.root.Lstat(name); err == nil && fi.Mode()&os.ModeSymlink != 0 {
			err = &os.PathError{Op: "open", Path: name, Err: syscall.ELOOP}
		} else if err == nil && !os.SameFile(fi, got) {
			err = &os.PathError{Op: "open", Path: name, Err: errors.New("file replaced while it was opened")}
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// openList opens d for listing.
func (d *Dir) openList() (*os.File, error) { return d.root.Open(".") }
