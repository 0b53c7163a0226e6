package jpegtran

import (
	"fmt"
	goimage "image"
)

// Decode decodes a baseline or extended sequential Huffman JPEG to its
// planes: an *image.YCbCr for three components whose chroma is sampled
// 1×1 (4:4:4, 4:2:2, 4:2:0, 4:4:0, 4:1:1, 4:1:0), an *image.Gray for one.
// It uses image/jpeg's inverse DCT and clipping, so its planes equal
// image/jpeg's. Anything else (progressive, CMYK, Adobe-transformed RGB,
// other samplings) is ErrUnsupported: use image/jpeg.
func Decode(data []byte) (goimage.Image, error) {
	m, err := parse(data, true)
	if err != nil {
		return nil, err
	}
	r := goimage.Rect(0, 0, m.w, m.h)
	if len(m.comps) == 1 {
		c := &m.comps[0]
		g := &goimage.Gray{Pix: make([]byte, c.bw*8*c.bh*8), Stride: c.bw * 8, Rect: r}
		m.pixels(c, g.Pix, g.Stride)
		return g, nil
	}
	if len(m.comps) != 3 {
		return nil, fmt.Errorf("%w: %d components", ErrUnsupported, len(m.comps))
	}
	y, cb, cr := &m.comps[0], &m.comps[1], &m.comps[2]
	if !m.jfif && (m.adobe && m.adobeRGB || !m.adobe && y.id == 'R' && cb.id == 'G' && cr.id == 'B') {
		return nil, fmt.Errorf("%w: RGB components", ErrUnsupported)
	}
	if cb.h != 1 || cb.v != 1 || cr.h != 1 || cr.v != 1 {
		return nil, fmt.Errorf("%w: chroma sampled %dx%d", ErrUnsupported, cb.h, cb.v)
	}
	var ratio goimage.YCbCrSubsampleRatio
	switch [2]uint8{y.h, y.v} {
	case [2]uint8{1, 1}:
		ratio = goimage.YCbCrSubsampleRatio444
	case [2]uint8{2, 1}:
		ratio = goimage.YCbCrSubsampleRatio422
	case [2]uint8{2, 2}:
		ratio = goimage.YCbCrSubsampleRatio420
	case [2]uint8{1, 2}:
		ratio = goimage.YCbCrSubsampleRatio440
	case [2]uint8{4, 1}:
		ratio = goimage.YCbCrSubsampleRatio411
	case [2]uint8{4, 2}:
		ratio = goimage.YCbCrSubsampleRatio410
	default:
		return nil, fmt.Errorf("%w: luma sampled %dx%d", ErrUnsupported, y.h, y.v)
	}
	img := &goimage.YCbCr{
		Y: make([]byte, y.bw*8*y.bh*8), Cb: make([]byte, cb.bw*8*cb.bh*8), Cr: make([]byte, cr.bw*8*cr.bh*8),
		YStride: y.bw * 8, CStride: cb.bw * 8, SubsampleRatio: ratio, Rect: r,
	}
	m.pixels(y, img.Y, img.YStride)
	m.pixels(cb, img.Cb, img.CStride)
	m.pixels(cr, img.Cr, img.CStride)
	return img, nil
}

// pixels dequantizes, inverse-transforms and level-shifts every block of c
// into dst (row stride stride).
func (m *image) pixels(c *component, dst []byte, stride int) {
	t := m.dqt[c.tq]
	var q [64]int32
	for i := range q {
		if t[0]>>4 == 1 {
			q[i] = int32(t[1+2*i])<<8 | int32(t[2+2*i])
		} else {
			q[i] = int32(t[1+i])
		}
	}
	var b block
	for by := 0; by < c.bh; by++ {
		for bx := 0; bx < c.bw; bx++ {
			k := by*c.bw + bx
			coef := c.coef[k*64 : k*64+64]
			b = block{}
			for i := 0; i <= int(c.last[k]); i++ {
				b[zigzag[i]] = int32(coef[i]) * q[i]
			}
			idct(&b)
			out := dst[by*8*stride+bx*8:]
			for y := 0; y < 8; y++ {
				row := out[y*stride : y*stride+8]
				for x := 0; x < 8; x++ {
					v := b[y*8+x]
					if v < -128 {
						v = 0
					} else if v > 127 {
						v = 255
					} else {
						v += 128
					}
					row[x] = uint8(v)
				}
			}
		}
	}
}
