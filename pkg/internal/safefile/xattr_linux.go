//go:build linux

package safefile

import (
	"bytes"
	"errors"
	"strconv"
	"syscall"
)

// maxXattr bounds the xattr name list and each value (Linux caps both at
// 64 KiB).
const maxXattr = 1 << 20

// fdFile is implemented by files that expose their descriptor (RootFS).
type fdFile interface{ fd() uintptr }

func procPath(fd uintptr) string { return "/proc/self/fd/" + strconv.FormatUint(uint64(fd), 10) }

// copyUserXattrs copies the user.* extended attributes of src onto dst
// through their descriptors. It returns errors.ErrUnsupported when either
// file has no descriptor.
func copyUserXattrs(src, dst File) error {
	s, ok1 := src.(fdFile)
	d, ok2 := dst.(fdFile)
	if !ok1 || !ok2 {
		return errors.ErrUnsupported
	}
	sp, dp := procPath(s.fd()), procPath(d.fd())
	list, err := getBuf(func(b []byte) (int, error) { return syscall.Listxattr(sp, b) })
	if err != nil {
		return err
	}
	for _, name := range bytes.Split(list, []byte{0}) {
		if !bytes.HasPrefix(name, []byte("user.")) {
			continue
		}
		n := string(name)
		val, err := getBuf(func(b []byte) (int, error) { return syscall.Getxattr(sp, n, b) })
		if err != nil {
			return err
		}
		if err := syscall.Setxattr(dp, n, val, 0); err != nil {
			return err
		}
	}
	return nil
}

// getBuf calls f once to size the buffer and once to fill it.
func getBuf(f func([]byte) (int, error)) ([]byte, error) {
	n, err := f(nil)
	if err != nil || n == 0 {
		return nil, err
	}
	if n > maxXattr {
		return nil, syscall.E2BIG
	}
	b := make([]byte, n)
	n, err = f(b)
	if err != nil {
		return nil, err
	}
	return b[:n], nil
}
