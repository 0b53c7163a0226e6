package pngchunk

import (
	"bytes"
	"image/png"
	"slices"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/container/containertest"
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

// stripper checks Strip outputs with checkChunks.
var stripper = containertest.Stripper{Inspect: Inspect, Strip: Strip, SameImage: SameImage, Structure: checkChunks}

// checkChunks asserts that a stripped PNG holds well-formed chunks of the
// allowed types only, a rebuilt iCCP and a minimal eXIf only as keep
// allows, and IEND last.
func checkChunks(t testing.TB, out []byte, keep meta.Keep) {
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
	if !containertest.SamePixels(ia, ib) {
		t.Fatalf("decoded pixels differ")
	}
}

// noLeak asserts that no marker value, nor a GPS value of the generated
// samples, appears in findings, warnings or err.
func noLeak(t *testing.T, insp meta.Inspection, err error) {
	t.Helper()
	containertest.NoLeak(t, insp, err, "51/1", "51,30", "114/1")
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
