//go:build unix

package watch

import (
	"os"
	"syscall"
)

// readOnlyNoFollow opens a dropped file without following a symbolic link
// and without blocking on a FIFO.
const readOnlyNoFollow = os.O_RDONLY | syscall.O_NOFOLLOW | syscall.O_NONBLOCK

// inodeOf returns fi's inode number (0 where unknown).
func inodeOf(fi os.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}
