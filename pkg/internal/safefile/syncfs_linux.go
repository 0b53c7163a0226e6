package safefile

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncFS flushes the whole file system holding f (syncfs(2)): every dirty
// page and inode, then the journal, in one call.
func syncFS(f *os.File) error { return unix.Syncfs(int(f.Fd())) }
