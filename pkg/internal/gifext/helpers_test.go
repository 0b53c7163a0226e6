package gifext

import (
	"bytes"
	"image/gif"
	"slices"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/container/containertest"
	"github.com/photoscrub/photoscrub/pkg/internal/xmp"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// xmpReady tells whether the XMP classifier is real yet (it is written
// concurrently); Location assertions only run when it is.
func xmpReady() bool {
	var s meta.Set
	return xmp.Inspect(testimg.XMPPacket(testimg.XMPOptions{}), "x", &s) == nil && s.Has(meta.Location)
}

// stripper checks Strip outputs with checkBlocks.
var stripper = containertest.Stripper{Inspect: Inspect, Strip: Strip, SameImage: SameImage, Structure: checkBlocks}

// checkBlocks asserts that no extension survives a strip but a bare GCE,
// the loop extension, and ICC and XMP (orientation) as keep allows.
func checkBlocks(t testing.TB, out []byte, keep meta.Keep) {
	f, err := walk(out)
	if err != nil {
		t.Fatalf("stripped output does not walk: %v", err)
	}
	if len(f.trailer) != 0 {
		t.Errorf("%d bytes after the trailer", len(f.trailer))
	}
	for _, b := range f.blocks {
		if b.intro == introImage {
			continue
		}
		ok := b.label == labelGraphicControl && b.subBlocks == 0
		switch id := b.appID(); id {
		case "NETSCAPE2.0":
			ok = b.subBlocks == 1
		case "ICCRGBG1012":
			ok = keep.ICC
		case xmpAppID:
			ok = keep.Orientation
		}
		if !ok {
			t.Errorf("extension 0x%02X %q survived the strip", b.label, b.appID())
		}
	}
}

// samePixels decodes both files with image/gif and compares frames,
// palettes, delays, disposal and loop count.
func samePixels(t *testing.T, a, b []byte) {
	t.Helper()
	ga, err := gif.DecodeAll(bytes.NewReader(a))
	if err != nil {
		t.Fatalf("decode original: %v", err)
	}
	gb, err := gif.DecodeAll(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode stripped: %v", err)
	}
	if len(ga.Image) != len(gb.Image) || ga.LoopCount != gb.LoopCount ||
		!slices.Equal(ga.Delay, gb.Delay) || !slices.Equal(ga.Disposal, gb.Disposal) {
		t.Fatalf("animation differs: %d/%d frames, loop %d/%d", len(ga.Image), len(gb.Image), ga.LoopCount, gb.LoopCount)
	}
	for i := range ga.Image {
		x, y := ga.Image[i], gb.Image[i]
		if x.Rect != y.Rect || !bytes.Equal(x.Pix, y.Pix) || len(x.Palette) != len(y.Palette) {
			t.Fatalf("frame %d differs", i)
		}
		for j := range x.Palette {
			if x.Palette[j] != y.Palette[j] {
				t.Fatalf("frame %d palette differs", i)
			}
		}
	}
}
