package reencode

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"image/jpeg"
	"image/png"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/internal/scrub"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// hugeJPEG returns a JPEG header declaring w×h (SOI, DQT, SOF0, SOS, a
// few scan bytes, EOI).
func hugeJPEG(w, h int) []byte {
	b := []byte{0xFF, 0xD8}
	dqt := append([]byte{0xFF, 0xDB, 0, 67, 0}, bytes.Repeat([]byte{1}, 64)...)
	b = append(b, dqt...)
	sof := []byte{0xFF, 0xC0, 0, 17, 8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), 3,
		1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0}
	b = append(b, sof...)
	b = append(b, 0xFF, 0xDA, 0, 12, 3, 1, 0, 2, 0, 3, 0, 0, 63, 0)
	b = append(b, make([]byte, 64)...)
	return append(b, 0xFF, 0xD9)
}

// hugePNG returns a PNG declaring w×h RGBA with one tiny IDAT.
func hugePNG(w, h int) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 6
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 4096))
	zw.Close()
	b := []byte("\x89PNG\r\n\x1a\n")
	b = append(b, testimg.PNGChunk("IHDR", ihdr)...)
	b = append(b, testimg.PNGChunk("IDAT", z.Bytes())...)
	return append(b, testimg.PNGChunk("IEND", nil)...)
}

func TestBombsRefusedBeforeAllocation(t *testing.T) {
	cases := []struct {
		name string
		f    format.Format
		data []byte
		o    Options
	}{
		{"jpeg 65535² pixel limit", format.JPEG, hugeJPEG(65535, 65535), Options{MaxPixels: 100e6}},
		{"png 100000² pixel limit", format.PNG, hugePNG(100000, 100000), Options{MaxPixels: 100e6}},
		{"jpeg 65535² budget", format.JPEG, hugeJPEG(65535, 65535), budget(2 << 30)},
		{"png 100000² budget", format.PNG, hugePNG(100000, 100000), budget(2 << 30)},
	}
	for _, c := range cases {
		cfgOK := false
		switch c.f {
		case format.JPEG:
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(c.data))
			cfgOK = err == nil && cfg.Width > 60000
		case format.PNG:
			cfg, err := png.DecodeConfig(bytes.NewReader(c.data))
			cfgOK = err == nil && cfg.Width == 100000
		}
		if !cfgOK {
			t.Fatalf("%s: the test input's header does not declare the huge size", c.name)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Reencode(context.Background(), c.f, c.data, c.o)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: err %v, want ErrTooLarge", c.name, err)
		}
		delta := after.TotalAlloc - before.TotalAlloc
		if delta > 10<<20 {
			t.Errorf("%s: allocated %d bytes before refusing", c.name, delta)
		}
		t.Logf("%s: %v; allocated %d bytes", c.name, err, delta)
	}
}

func TestBudgetSmallerThanImage(t *testing.T) {
	in := mustJPEG(t, testimg.JPEGOptions{Width: 640, Height: 480})
	// 640×480×12 bytes ≈ 3.5 MiB needed: over MaxBytes it is refused...
	o := budget(8 << 20)
	o.MaxBytes = 1 << 20
	_, err := Reencode(context.Background(), format.JPEG, in, o)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err %v, want ErrTooLarge", err)
	}
	// The refused image took nothing from the budget.
	if !o.Budget.TryAcquire(8 << 20) {
		t.Error("budget not fully available after a refusal")
	}
	// ...but over a smaller shared budget it runs alone, taking all of it.
	o = budget(1 << 20)
	reencode(t, format.JPEG, in, o)
	if !o.Budget.TryAcquire(1 << 20) {
		t.Error("budget not released after running alone")
	}
	// A large enough budget works, and is released afterwards.
	o = budget(8 << 20)
	reencode(t, format.JPEG, in, o)
	if !o.Budget.TryAcquire(8 << 20) {
		t.Error("budget not released after a successful re-encode")
	}
}

func TestCancelWhileWaitingOnBudget(t *testing.T) {
	in := mustJPEG(t, testimg.JPEGOptions{Width: 64, Height: 48})
	o := budget(1 << 20)
	if !o.Budget.TryAcquire(1 << 20) { // another worker holds everything
		t.Fatal("cannot fill the budget")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := Reencode(ctx, format.JPEG, in, o)
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("returned before the budget was free: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err %v, want context.Canceled", err)
		}
		t.Logf("returned %v after cancel", time.Since(start))
	case <-time.After(2 * time.Second):
		t.Fatal("still waiting 2 s after cancel")
	}
	o.Budget.Release(1 << 20)
}

func TestReencodeDeterministic(t *testing.T) {
	in := mustJPEG(t, testimg.Everything())
	a := reencode(t, format.JPEG, in, Options{Orientation: 6})
	b := reencode(t, format.JPEG, in, Options{Orientation: 6})
	if !bytes.Equal(a.Data, b.Data) {
		t.Error("two re-encodes of the same input differ")
	}
}

// budget returns Options with a fresh shared budget of n bytes.
func budget(n int64) Options {
	return Options{Budget: semaphore.NewWeighted(n), BudgetBytes: n}
}

// FuzzReencode: no panic on any input; a successful re-encode is the same
// format, decodes, and inspects clean.
func FuzzReencode(f *testing.F) {
	j, _ := testimg.JPEG(testimg.JPEGOptions{Width: 16, Height: 16, GPS: true, ICC: true, Comment: true})
	f.Add(j, byte(0))
	f.Add(testimg.PNG(testimg.PNGOptions{Width: 8, Height: 8, ICC: true, Text: true}), byte(1))
	f.Add(testimg.GIF(testimg.GIFOptions{Comment: true}), byte(2))
	f.Add(testimg.TIFF(testimg.TIFFOptions{Width: 8, Height: 4, GPS: true}), byte(3))
	f.Add(hugePNG(100000, 100000), byte(1))
	f.Add(hugeJPEG(65535, 65535), byte(0))
	fmts := []format.Format{format.JPEG, format.PNG, format.GIF, format.TIFF}
	f.Fuzz(func(t *testing.T, data []byte, which byte) {
		fm := fmts[int(which)%len(fmts)]
		res, err := Reencode(context.Background(), fm, data, Options{MaxPixels: 1 << 16, Orientation: int(which % 9)})
		if err != nil {
			if !errors.Is(err, ErrDecode) && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if got := format.Sniff(res.Data[:min(len(res.Data), format.HeadSize)]); got != fm {
			t.Fatalf("output sniffs as %s, want %s", got, fm)
		}
		if _, err := decodeConfig(fm, res.Data); err != nil {
			t.Fatalf("output header does not decode: %v", err)
		}
		if in, _ := scrub.Inspect(fm, res.Data); len(in.Findings) != 0 {
			t.Fatalf("output has findings %+v", in.Findings)
		}
	})
}
