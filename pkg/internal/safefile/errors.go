package safefile

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// Sentinel errors. Errors returned by this package wrap one of these where it
// applies (test with errors.Is) and are of type *Error.
var (
	// ErrChanged means the original was modified, replaced or re-linked
	// between the snapshot and the commit; nothing was written.
	ErrChanged = errors.New("safefile: file changed since it was read")
	// ErrHardlinked means the original has more than one link and the
	// policy is Refuse; nothing was written.
	ErrHardlinked = errors.New("safefile: file has several hard links")
	// ErrReadOnly means the original has no owner write bit and Force is
	// not set; nothing was written.
	ErrReadOnly = errors.New("safefile: file is read-only")
	// ErrNoSpace means the file system is full or the quota is exhausted
	// (ENOSPC, EDQUOT, or the free-space pre-check failed). Callers should
	// stop the run.
	ErrNoSpace = errors.New("safefile: no space left on device")
	// ErrExists means Create found the destination already present.
	ErrExists = errors.New("safefile: file already exists")
	// ErrNotRegular means the file (or the snapshot) is not a regular file.
	ErrNotRegular = errors.New("safefile: not a regular file")
	// ErrOverwriteFailed means an in-place overwrite (Hardlinks: Rewrite)
	// failed after the original was opened for writing: the original may be
	// partly rewritten and the complete new content is kept in the temp file
	// named by Error.Kept.
	ErrOverwriteFailed = errors.New("safefile: in-place overwrite failed")
)

// Error describes a failed commit step. Its message holds only fixed
// wording, the base name of the file and the cause without path information.
type Error struct {
	Op   string // failed step in fixed wording, e.g. "write temp"
	Name string // base name of the file being committed
	Kept string // base name of a temp file deliberately left behind, if any
	Err  error  // cause (an errno or a sentinel), path information removed

	kinds    []error // sentinels
	tempLeft bool    // cleanup of a partial temp failed
}

func (e *Error) Error() string {
	msg := "safefile: " + e.Op + " " + strconv.Quote(e.Name)
	for _, k := range e.kinds {
		if k == ErrNoSpace && e.Err != nil {
			continue // the errno says it already
		}
		msg += ": " + strings.TrimPrefix(k.Error(), "safefile: ")
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	if e.Kept != "" {
		msg += "; complete new content kept in " + strconv.Quote(e.Kept)
	}
	if e.tempLeft {
		msg += "; temp file could not be removed"
	}
	return msg
}

// Unwrap returns the sentinels and the cause.
func (e *Error) Unwrap() []error {
	errs := append([]error(nil), e.kinds...)
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// newError builds an *Error for the file name (any path; only its base is
// kept). It strips path wrappers from cause and adds ErrNoSpace when the
// cause is ENOSPC or EDQUOT.
func newError(op, name string, kind, cause error) *Error {
	cause = stripPath(cause)
	e := &Error{Op: op, Name: baseName(name), Err: cause}
	if kind != nil {
		e.kinds = append(e.kinds, kind)
	}
	if kind != ErrNoSpace && cause != nil && isNoSpace(cause) {
		e.kinds = append(e.kinds, ErrNoSpace)
	}
	return e
}

// stripPath removes *fs.PathError, *os.LinkError and *os.SyscallError
// wrappers, which carry relative paths or syscall names, keeping the errno.
func stripPath(err error) error {
	for {
		switch e := err.(type) {
		case *fs.PathError:
			err = e.Err
		case *os.LinkError:
			err = e.Err
		case *os.SyscallError:
			err = e.Err
		default:
			return err
		}
	}
}

// Cause returns the operating system's reason for err in its own fixed
// wording ("permission denied", "no space left on device", "read-only file
// system"...), or "" when err carries no OS error. It never holds a path.
func Cause(err error) string {
	var errno syscall.Errno
	switch {
	case err == nil:
		return ""
	case errors.As(err, &errno):
		return errno.Error()
	case errors.Is(err, ErrNoSpace):
		return syscall.ENOSPC.Error()
	case errors.Is(err, fs.ErrPermission):
		return syscall.EACCES.Error()
	}
	return ""
}
