//go:build !linux && !darwin

package safefile

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

const (
	oNonblock        = 0
	dirSyncSupported = false
)

func fillSys(*Snapshot, fs.FileInfo) {}

func freeBytes(*os.File) (uint64, error) {
	return 0, errors.ErrUnsupported
}

func isNoSpace(err error) bool { return errors.Is(err, syscall.ENOSPC) }

// currentUID returns -1: stale temps are never removed automatically here.
func currentUID() int { return -1 }
