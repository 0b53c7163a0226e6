//go:build !linux

package safefile

import "errors"

// copyUserXattrs is not implemented outside Linux.
func copyUserXattrs(src, dst File) error { return errors.ErrUnsupported }
