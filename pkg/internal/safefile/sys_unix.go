//go:build linux || darwin

package safefile

import (
	"errors"
	"os"
	"syscall"
)

const (
	oNonblock        = syscall.O_NONBLOCK
	dirSyncSupported = true
)

func freeBytes(d *os.File) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Fstatfs(int(d.Fd()), &st); err != nil {
		return 0, err
	}
	return uint64(st.Bavail) * uint64(st.Bsize), nil
}

func isNoSpace(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

func currentUID() int { return os.Geteuid() }
