package testimg

import (
	"bytes"
	"image"
	"image/jpeg"
	"testing"

	"github.com/disintegration/imaging"
)

// meanAbsDiff compares two images of the same size channel by channel.
func meanAbsDiff(a, b image.Image) float64 {
	if a.Bounds().Size() != b.Bounds().Size() {
		return 255
	}
	var sum, n float64
	ab, bb := a.Bounds(), b.Bounds()
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			r1, g1, b1, _ := a.At(ab.Min.X+x, ab.Min.Y+y).RGBA()
			r2, g2, b2, _ := b.At(bb.Min.X+x, bb.Min.Y+y).RGBA()
			for _, d := range []int{int(r1>>8) - int(r2>>8), int(g1>>8) - int(g2>>8), int(b1>>8) - int(b2>>8)} {
				if d < 0 {
					d = -d
				}
				sum += float64(d)
			}
			n += 3
		}
	}
	return sum / n
}

// imagingOriented applies EXIF orientation with disintegration/imaging, an
// independent implementation, to cross-check Oriented.
func imagingOriented(img image.Image, o int) image.Image {
	switch o {
	case 2:
		return imaging.FlipH(img)
	case 3:
		return imaging.Rotate180(img)
	case 4:
		return imaging.FlipV(img)
	case 5:
		return imaging.Transpose(img)
	case 6:
		return imaging.Rotate270(img)
	case 7:
		return imaging.Transverse(img)
	case 8:
		return imaging.Rotate90(img)
	}
	return imaging.Clone(img)
}

// TestOrientations proves that a JPEG built with Orientation o displays
// Upright(o) once o is applied, and that no other orientation does.
func TestOrientations(t *testing.T) {
	for o := 1; o <= 8; o++ {
		opt := JPEGOptions{Width: 96, Height: 64, Seed: 11, Quality: 90, Orientation: o}
		b := mustJPEG(t, opt)
		img, err := jpeg.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if img.Bounds().Dx() != 96 || img.Bounds().Dy() != 64 {
			t.Fatalf("o=%d: coded size %v, want 96×64", o, img.Bounds())
		}
		want := Upright(opt)
		if d := meanAbsDiff(Oriented(img, o), want); d > 6 {
			t.Errorf("o=%d: oriented image differs from Upright by %.1f", o, d)
		}
		if d := meanAbsDiff(imagingOriented(img, o), want); d > 6 {
			t.Errorf("o=%d: imaging's orientation differs from Upright by %.1f", o, d)
		}
		for p := 1; p <= 8; p++ {
			if p == o {
				continue
			}
			if d := meanAbsDiff(Oriented(img, p), want); d < 20 {
				t.Errorf("o=%d: orientation %d also matches Upright (diff %.1f)", o, p, d)
			}
		}
	}
}

func TestUprightSizeAndOrientedInverse(t *testing.T) {
	o := JPEGOptions{Width: 30, Height: 20, Seed: 2, Orientation: 8}
	if s := Upright(o).Bounds().Size(); s != image.Pt(20, 30) {
		t.Fatalf("Upright size %v, want 20×30", s)
	}
	if d := meanAbsDiff(Oriented(pxCoded(o), 8), Upright(o)); d != 0 {
		t.Fatalf("Oriented(pxCoded) != Upright: %.2f", d)
	}
}
