//go:build !linux

package safefile

import (
	"errors"
	"os"
)

func syncFS(*os.File) error { return errors.ErrUnsupported }
