//go:build unix

package pipeline

import (
	"os"
	"syscall"
)

// readOnlyNoFollow opens an existing output for reading without following
// a symbolic link and without blocking on a FIFO.
const readOnlyNoFollow = os.O_RDONLY | syscall.O_NONBLOCK | syscall.O_NOFOLLOW
