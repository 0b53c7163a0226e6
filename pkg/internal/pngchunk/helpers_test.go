package pngchunk

import (
	"bytes"
	"image"
	"image/png"
	"slices"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/exifmeta"
	"github.com/photoscrub/photoscrub/pkg/internal/icc"
	"github.com/photoscrub/photoscrub/pkg/internal/irb"
	"github.com/photoscrub/photoscrub/pkg/internal/xmp"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// The classifiers for embedded payloads are written concurrently; these
// probes tell whether each one is real yet, so that assertions about what
// it reports (Location for GPS) only run when they can be meaningful.
func exifReady() bool {
	var s meta.Set
	_, err := exifmeta.Inspect(testimg.EXIF(testimg.EXIFOptions{GPS: true}), "x", &s)
	return err == nil && s.Has(meta.Location)
}

func iccReady() bool {
	_, err := icc.Parse(testimg.ICCProfileRGB("x", "y"))
	return err == nil
}

func exifOrientationReady() bool {
	var s meta.Set
	o, err := exifmeta.Inspect(exifmeta.Minimal(6), "x", &s)
	return err == nil && o == 6 && s.Len() == 0
}

func xmpReady() bool {
	var s meta.Set
	return xmp.Inspect(testimg.XMPPacket(testimg.XMPOptions{}), "x", &s) == nil && s.Has(meta.Location)
}

func irbReady() bool {
	var s meta.Set
	return irb.InspectIIM(testimg.IPTC(testimg.Markers{}), "x", &s) == nil && s.Has(meta.Location)
}

// allowed are the chunk types a stripped PNG may hold.
var allowed = []string{"IHDR", "PLTE", "tRNS", "IDAT", "IEND", "gAMA", "cHRM", "sRGB",
	"iCCP", "sBIT", "bKGD", "pHYs", "cICP", "mDCV", "cLLI", "acTL", "fcTL", "fdAT", "eXIf"}

// checkStripped asserts the properties every Strip output must have.
func checkStripped(t *testing.T, in, out []byte, keep meta.Keep) {
	t.Helper()
	f, err := walk(out)
	if err != nil {
		t.Fatalf("stripped output does not walk: %v", err)
	}
	if len(f.trailer) != 0 {
		t.Errorf("stripped output has %d bytes after IEND", len(f.trailer))
	}
	for i, c := range f.chunks {
		if !c.crcOK {
			t.Errorf("chunk %s has a bad CRC", c.typ)
		}
		if !slices.Contains(allowed, c.typ) {
			t.Errorf("chunk %s survived the strip", c.typ)
		}
		if c.typ == "iCCP" && (!keep.ICC || !bytes.HasPrefix(c.data, []byte(iccName+"\x00"))) {
			t.Errorf("unexpected iCCP %q", c.data[:min(len(c.data), 20)])
		}
		if c.typ == "eXIf" && (!keep.Orientation || !isMinimal(c.data)) {
			t.Errorf("eXIf is not a minimal Orientation block")
		}
		if c.typ == "IEND" && i != len(f.chunks)-1 {
			t.Errorf("IEND not last")
		}
	}
	insp, err := Inspect(out)
	if err != nil || len(insp.Findings) != 0 {
		t.Errorf("re-inspection of stripped output: err %v, findings %v", err, insp.Findings)
	}
	again, err := Strip(out, keep)
	if err != nil || !bytes.Equal(again, out) {
		t.Errorf("strip is not idempotent (err %v)", err)
	}
	if err := SameImage(in, out); err != nil {
		t.Errorf("SameImage: %v", err)
	}
	for _, s := range testimg.DefaultMarkers().Strings() {
		if bytes.Contains(out, []byte(s)) {
			t.Errorf("marker %q survived the strip", s)
		}
	}
}

// samePixels decodes both files with image/png and compares every pixel.
func samePixels(t *testing.T, a, b []byte) {
	t.Helper()
	ia, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatalf("decode original: %v", err)
	}
	ib, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode stripped: %v", err)
	}
	if ia.Bounds() != ib.Bounds() {
		t.Fatalf("bounds differ")
	}
	r := ia.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if !sameColor(ia, ib, x, y) {
				t.Fatalf("pixel (%d,%d) differs", x, y)
			}
		}
	}
}

func sameColor(a, b image.Image, x, y int) bool {
	r1, g1, b1, a1 := a.At(x, y).RGBA()
	r2, g2, b2, a2 := b.At(x, y).RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2 && a1 == a2
}

// noLeak asserts that no marker value appears in findings, warnings or err.
func noLeak(t *testing.T, insp meta.Inspection, err error) {
	t.Helper()
	var b strings.Builder
	for _, f := range insp.Findings {
		b.WriteString(f.Where + "|" + strings.Join(f.Tags, "|") + "\n")
	}
	b.WriteString(strings.Join(insp.Warnings, "\n"))
	if err != nil {
		b.WriteString(err.Error())
	}
	s := b.String()
	for _, n := range append(testimg.DefaultMarkers().Strings(), "51/1", "51,30", "114/1") {
		if strings.Contains(s, n) {
			t.Errorf("value %q leaked into findings/warnings/errors", n)
		}
	}
}

// chunkOffsets returns the offset of every chunk and of the end of IEND.
func chunkOffsets(t *testing.T, p []byte) []int {
	t.Helper()
	f, err := walk(p)
	if err != nil {
		t.Fatal(err)
	}
	var offs []int
	for _, c := range f.chunks {
		offs = append(offs, c.off)
	}
	last := f.chunks[len(f.chunks)-1]
	return append(offs, last.off+len(last.raw))
}

// isMinimal reports whether d is exifmeta.Minimal(o) for some o in 2..8.
func isMinimal(d []byte) bool {
	for o := 2; o <= 8; o++ {
		if bytes.Equal(d, exifmeta.Minimal(o)) {
			return true
		}
	}
	return false
}
