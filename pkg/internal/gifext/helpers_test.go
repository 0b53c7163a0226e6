package gifext

import (
	"bytes"
	"image/gif"
	"slices"
	"strings"
	"testing"

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

// checkStripped asserts the properties every Strip output must have.
func checkStripped(t *testing.T, in, out []byte, keep meta.Keep) {
	t.Helper()
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
	insp, err := Inspect(out)
	if err != nil || len(insp.Findings) != 0 {
		t.Errorf("re-inspection: %v %v", err, insp.Findings)
	}
	if again, err := Strip(out, keep); err != nil || !bytes.Equal(again, out) {
		t.Errorf("strip is not idempotent (%v)", err)
	}
	if err := SameImage(in, out); err != nil {
		t.Errorf("SameImage: %v", err)
	}
	for _, s := range testimg.DefaultMarkers().Strings() {
		if bytes.Contains(out, []byte(s)) {
			t.Errorf("marker %q survived", s)
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
	for _, n := range testimg.DefaultMarkers().Strings() {
		if strings.Contains(b.String(), n) {
			t.Errorf("value %q leaked", n)
		}
	}
}

func hasFinding(insp meta.Inspection, c meta.Category, where, tag string) bool {
	for _, f := range insp.Findings {
		if f.Category == c && f.Where == where && (tag == "" || slices.Contains(f.Tags, tag)) {
			return true
		}
	}
	return false
}
