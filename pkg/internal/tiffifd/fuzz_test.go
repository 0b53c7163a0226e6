package tiffifd

import (
	"bytes"
	"testing"
	"time"

	tb "github.com/photoscrub/photoscrub/pkg/internal/tiffifd/tiffbuild"
	"github.com/rwcarlsen/goexif/exif"
)

type goexifResult struct {
	gps      bool // goexif saw a GPSInfoIFDPointer
	panicked any
}

// runGoexif decodes data with goexif in a goroutine, with recover and a
// deadline. ok is false when the deadline passed.
func runGoexif(data []byte, deadline time.Duration) (res goexifResult, ok bool) {
	ch := make(chan goexifResult, 1)
	go func() {
		var r goexifResult
		defer func() {
			r.panicked = recover()
			ch <- r
		}()
		x, _ := exif.Decode(bytes.NewReader(data))
		if x != nil {
			if _, err := x.Get(exif.GPSInfoIFDPointer); err == nil {
				r.gps = true
			}
		}
	}()
	select {
	case r := <-ch:
		return r, true
	case <-time.After(deadline):
		return goexifResult{}, false
	}
}

func seeds() [][]byte {
	s := [][]byte{sample(false).Bytes(), sample(true).Bytes(), hugeCounts()}
	for _, h := range hostile() {
		s = append(s, h)
	}
	gpsInExif := &tb.File{LE: true, IFDs: []*tb.IFD{
		{Name: "IFD0", Entries: []tb.Entry{tb.Ptr(TagExifIFD, "Exif")}},
		{Name: "Exif", Entries: []tb.Entry{tb.Ptr(TagGPSIFD, "GPS")}},
		{Name: "GPS", Entries: []tb.Entry{tb.ASCII(1, "S"), tb.Rational(2, 1, 0, 2, 0, 3, 0)}},
	}}
	s = append(s, gpsInExif.Bytes())
	return s
}

// FuzzParse: Parse terminates without panicking and returns bounded
// results; whenever it accepts, goexif returns within a deadline without
// panicking, and a GPS pointer goexif finds is one we found too.
func FuzzParse(f *testing.F) {
	for _, s := range seeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tf, err := Parse(data)
		if tf == nil {
			if err == nil {
				t.Fatal("nil result without error")
			}
			return
		}
		if len(tf.IFDs) > MaxIFDs {
			t.Fatalf("%d IFDs", len(tf.IFDs))
		}
		total := 0
		for _, d := range tf.IFDs {
			total += len(d.Entries)
			if len(d.Entries) > MaxEntries || d.Depth > MaxDepth {
				t.Fatalf("limits exceeded in %s", d.Name())
			}
			for _, e := range d.Entries {
				v, verr := tf.Value(e)
				if verr == nil && uint64(len(v)) != e.Size {
					t.Fatalf("value length %d, size %d", len(v), e.Size)
				}
				if err == nil && e.Type.Size() != 0 && verr != nil {
					t.Fatalf("accepted block with unreadable value: %v", verr)
				}
			}
		}
		if total*12 > len(data) {
			t.Fatalf("%d entries from %d bytes", total, len(data))
		}
		if err != nil {
			return
		}
		res, ok := runGoexif(data, 5*time.Second)
		if !ok {
			t.Fatal("goexif did not return within 5s on an accepted block")
		}
		if res.panicked != nil {
			t.Fatalf("goexif panicked on an accepted block: %v", res.panicked)
		}
		if res.gps && !tf.Has(KindGPS) {
			t.Fatal("goexif found a GPS IFD pointer that Parse did not follow")
		}
	})
}

func TestGoexifAgreesOnSeeds(t *testing.T) {
	for i, s := range seeds() {
		tf, err := Parse(s)
		if err != nil {
			continue
		}
		res, ok := runGoexif(s, 5*time.Second)
		if !ok || res.panicked != nil {
			t.Fatalf("seed %d: goexif ok=%v panic=%v", i, ok, res.panicked)
		}
		if got, want := res.gps, tf.Has(KindGPS); got != want {
			t.Errorf("seed %d: goexif GPS=%v, ours=%v", i, got, want)
		}
	}
}
