package exifmeta

import (
	"bytes"
	"time"

	"github.com/rwcarlsen/goexif/exif"
)

// goexifDeadline bounds one goexif decode; goexifMaxInput bounds the blocks
// handed to it (goexif copies the whole input into memory for TIFF data).
const (
	goexifDeadline = 2 * time.Second
	goexifMaxInput = 1 << 20
)

// goexifView is what goexif read from a block.
type goexifView struct {
	orientation int  // IFD0 Orientation, 0 when absent or unreadable
	gps         bool // a GPSInfoIFDPointer was found
}

// viaGoexif decodes a block that tiffifd.Parse accepted with goexif, in a
// goroutine with recover and a deadline. ok is false when goexif panicked,
// missed the deadline or the block is too large; the goroutine of a missed
// deadline finishes on its own (the validation bounds its work). goexif's
// errors are discarded: their text can echo tag contents.
func viaGoexif(block []byte) (v goexifView, ok bool) {
	if len(block) > goexifMaxInput {
		return goexifView{}, false
	}
	type result struct {
		v  goexifView
		ok bool
	}
	ch := make(chan result, 1) // buffered: a late goroutine never blocks
	go func() {
		var r result
		defer func() {
			if recover() != nil {
				r = result{}
			}
			ch <- r
		}()
		x, _ := exif.Decode(bytes.NewReader(block))
		if x == nil {
			r.ok = true
			return
		}
		if tag, err := x.Get(exif.Orientation); err == nil && tag.Count >= 1 {
			if n, err := tag.Int(0); err == nil {
				r.v.orientation = n
			}
		}
		if _, err := x.Get(exif.GPSInfoIFDPointer); err == nil {
			r.v.gps = true
		}
		r.ok = true
	}()
	timer := time.NewTimer(goexifDeadline)
	defer timer.Stop()
	select {
	case r := <-ch:
		return r.v, r.ok
	case <-timer.C:
		return goexifView{}, false
	}
}
