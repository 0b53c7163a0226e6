//go:build !linux

package safefile

import "errors"

func setxattr(string, string, []byte) error   { return errors.ErrUnsupported }
func getxattr(string, string) ([]byte, error) { return nil, errors.ErrUnsupported }
