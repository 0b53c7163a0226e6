package testimg

import (
	"image"
	"image/color"
)

// Upright returns the image a viewer should display for o once the EXIF
// orientation is applied: a deterministic gradient (red grows left to
// right, green grows top to bottom) with a red block near the top-left
// corner, a dark bar along the top right and fine noise, so that each of
// the 8 orientations gives a different picture. Its size is Width×Height,
// swapped for orientations 5..8 (Width×Height is the coded size).
func Upright(o JPEGOptions) *image.RGBA {
	w, h := o.size()
	if o.Orientation >= 5 && o.Orientation <= 8 {
		w, h = h, w
	}
	return pxPattern(w, h, o.Seed)
}

// Oriented applies EXIF orientation o (1..8; anything else is 1) to the
// coded image img and returns the displayed image, so that
// Oriented(decoded JPEG, o.Orientation) ≈ Upright(o).
func Oriented(img image.Image, o int) *image.RGBA {
	b := img.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dw, dh := sw, sh
	if o >= 5 && o <= 8 {
		dw, dh = sh, sw
	}
	out := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < dh; y++ {
		for x := 0; x < dw; x++ {
			sx, sy := pxStoredCoord(o, x, y, sw, sh)
			r, g, bl, a := img.At(b.Min.X+sx, b.Min.Y+sy).RGBA()
			out.SetRGBA(x, y, color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), uint8(a >> 8)})
		}
	}
	return out
}

// pxStoredCoord maps displayed pixel (x, y) to the coded pixel for EXIF
// orientation o, where the coded image is sw×sh.
func pxStoredCoord(o, x, y, sw, sh int) (int, int) {
	switch o {
	case 2:
		return sw - 1 - x, y
	case 3:
		return sw - 1 - x, sh - 1 - y
	case 4:
		return x, sh - 1 - y
	case 5:
		return y, x
	case 6:
		return y, sh - 1 - x
	case 7:
		return sw - 1 - y, sh - 1 - x
	case 8:
		return sw - 1 - y, x
	}
	return x, y
}

// pxCoded returns the coded (stored) image for o: Upright(o) with the
// inverse of the orientation applied.
func pxCoded(o JPEGOptions) *image.RGBA {
	up := Upright(o)
	sw, sh := o.size()
	st := image.NewRGBA(image.Rect(0, 0, sw, sh))
	dw, dh := up.Bounds().Dx(), up.Bounds().Dy()
	for y := 0; y < dh; y++ {
		for x := 0; x < dw; x++ {
			sx, sy := pxStoredCoord(o.Orientation, x, y, sw, sh)
			i := up.PixOffset(x, y)
			j := st.PixOffset(sx, sy)
			copy(st.Pix[j:j+4], up.Pix[i:i+4])
		}
	}
	return st
}

// pattern draws the upright test picture of size w×h.
func pxPattern(w, h int, seed int64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	s := uint64(seed)*0x9E3779B97F4A7C15 + 0x2545F4914F6CDD1D
	next := func() uint64 { // xorshift64*: fixed algorithm, stable bytes
		s ^= s >> 12
		s ^= s << 25
		s ^= s >> 27
		return s * 0x2545F4914F6CDD1D
	}
	blockX0, blockX1 := w/12, w/12+max(w/4, 1)
	blockY0, blockY1 := h/12, h/12+max(h/5, 1)
	barY1 := max(h/16, 1)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			n := next()
			r := x * 255 / max(w-1, 1)
			g := y * 255 / max(h-1, 1)
			b := 96 + int(seed%5)*24
			nz := int(n>>59) - 16 // -16..15
			r, g, b = r+nz/2, g+nz/2, b+nz
			switch {
			case x >= blockX0 && x < blockX1 && y >= blockY0 && y < blockY1:
				r, g, b = 230+nz/4, 20, 30
			case y < barY1 && x >= w*2/3:
				r, g, b = 15, 15, 40+nz/4
			}
			img.SetRGBA(x, y, color.RGBA{pxClamp8(r), pxClamp8(g), pxClamp8(b), 255})
		}
	}
	return img
}

func pxClamp8(v int) uint8 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}
