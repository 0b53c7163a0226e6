//go:build linux

package safefile

import "syscall"

func setxattr(p, k string, v []byte) error { return syscall.Setxattr(p, k, v, 0) }

func getxattr(p, k string) ([]byte, error) {
	b := make([]byte, 256)
	n, err := syscall.Getxattr(p, k, b)
	if err != nil {
		return nil, err
	}
	return b[:n], nil
}
