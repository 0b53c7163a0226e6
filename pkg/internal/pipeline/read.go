package pipeline

import (
	"errors"
	"io"
	"os"
	"sync"
	"syscall"

	"github.com/photoscrub/photoscrub/pkg/internal/walk"
)

// readError is a classified read failure.
type readError struct{ reason, msg string }

func (e *readError) Error() string { return e.msg }

// openFile opens c without following links and without blocking on FIFOs
// (walk.Candidate.Open: one openat relative to its directory's handle when
// the walk kept one) and checks, on the open file, that it is a regular
// file, and the one the walk saw when the walk stat'ed it.
func openFile(roots []walk.Root, c walk.Candidate) (*os.File, os.FileInfo, error) {
	f, err := c.Open(roots)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return nil, nil, &readError{ReasonSymlink, "path is a symbolic link"}
		}
		return nil, nil, ioError("cannot open the file", err)
	}
	fi, err := f.Stat()
	switch {
	case err != nil:
		f.Close()
		return nil, nil, ioError("cannot stat the file", err)
	case !fi.Mode().IsRegular():
		f.Close()
		return nil, nil, &readError{ReasonNotRegular, "not a regular file"}
	case c.Info != nil && !os.SameFile(fi, c.Info):
		// Through a root, an in-root symbolic link put in its place is
		// followed: the identity check refuses it.
		f.Close()
		return nil, nil, &readError{ReasonSymlink, "file was replaced between walk and open"}
	}
	return f, fi, nil
}

// readOpen reads f (of size bytes when stat'ed) whole into a pooled buffer
// and closes it.
func readOpen(f *os.File, size int64) ([]byte, error) {
	defer f.Close()
	buf := getBuf(size + 1)
	buf, err := readAll(f, buf, size)
	if err != nil {
		putBuf(buf)
		return nil, ioError("cannot read the file", err)
	}
	return buf, nil
}

// Read buffers are reused across files (an ID card is ~90 KB: allocating
// one per file is most of the garbage a scan makes). Buffers above
// maxPooled are left to the GC, so the pool never pins a large photo.
var bufPool sync.Pool

const maxPooled = 4 << 20

// getBuf returns an empty buffer with room for n bytes.
func getBuf(n int64) []byte {
	if n <= maxPooled {
		if b, ok := bufPool.Get().(*[]byte); ok {
			if int64(cap(*b)) >= n {
				return (*b)[:0]
			}
			bufPool.Put(b)
		}
		// Round up so that files of similar sizes share buffers.
		return make([]byte, 0, max(n, 64<<10)+n/4)
	}
	return make([]byte, 0, n)
}

// putBuf gives b back for another file; the caller must not use it again.
func putBuf(b []byte) {
	if cap(b) > maxPooled || cap(b) == 0 {
		return
	}
	b = b[:0]
	bufPool.Put(&b)
}

func readAll(r io.Reader, buf []byte, size int64) ([]byte, error) {
	lr := io.LimitReader(r, size+1<<20)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}
