package jpegtran

import (
	"fmt"
	goimage "image"
	"sync"
)

// Decode decodes a baseline or extended sequential Huffman JPEG to its
// planes: an *image.YCbCr for three components whose chroma is sampled
// 1×1 (4:4:4, 4:2:2, 4:2:0, 4:4:0, 4:1:1, 4:1:0), an *image.Gray for one.
// Blocks are inverse-transformed as they are decoded (this package's AAN
// IDCT, aan.go), so only the planes are held; samples are within a level
// (at most two) of image/jpeg's. Anything else (progressive, CMYK, Adobe-transformed RGB,
// other samplings) is ErrUnsupported: use image/jpeg.
func Decode(data []byte) (goimage.Image, error) {
	m, err := parse(data, true)
	if err != nil {
		return nil, err
	}
	for k := range m.comps {
		if c := &m.comps[k]; !c.scanned {
			// A component no scan codes has zero coefficients: mid-grey.
			for i := range c.pix {
				c.pix[i] = 128
			}
		}
	}
	r := goimage.Rect(0, 0, m.w, m.h)
	if len(m.comps) == 1 {
		c := &m.comps[0]
		return &goimage.Gray{Pix: c.pix, Stride: c.bw * 8, Rect: r}, nil
	}
	y, cb, cr := &m.comps[0], &m.comps[1], &m.comps[2]
	if !m.jfif && (m.adobe && m.adobeRGB || !m.adobe && y.id == 'R' && cb.id == 'G' && cr.id == 'B') {
		return nil, fmt.Errorf("%w: RGB components", ErrUnsupported)
	}
	return &goimage.YCbCr{
		Y: y.pix, Cb: cb.pix, Cr: cr.pix,
		YStride: y.bw * 8, CStride: cb.bw * 8, SubsampleRatio: m.ratio, Rect: r,
	}, nil
}

// allocPixels checks, at the frame header, that Decode can return the
// frame's layout and allocates its planes.
func (m *image) allocPixels() error {
	if len(m.comps) != 1 && len(m.comps) != 3 {
		return fmt.Errorf("%w: %d components", ErrUnsupported, len(m.comps))
	}
	if len(m.comps) == 3 {
		y, cb, cr := &m.comps[0], &m.comps[1], &m.comps[2]
		if cb.h != 1 || cb.v != 1 || cr.h != 1 || cr.v != 1 {
			return fmt.Errorf("%w: chroma sampled %dx%d", ErrUnsupported, cb.h, cb.v)
		}
		switch [2]uint8{y.h, y.v} {
		case [2]uint8{1, 1}:
			m.ratio = goimage.YCbCrSubsampleRatio444
		case [2]uint8{2, 1}:
			m.ratio = goimage.YCbCrSubsampleRatio422
		case [2]uint8{2, 2}:
			m.ratio = goimage.YCbCrSubsampleRatio420
		case [2]uint8{1, 2}:
			m.ratio = goimage.YCbCrSubsampleRatio440
		case [2]uint8{4, 1}:
			m.ratio = goimage.YCbCrSubsampleRatio411
		case [2]uint8{4, 2}:
			m.ratio = goimage.YCbCrSubsampleRatio410
		default:
			return fmt.Errorf("%w: luma sampled %dx%d", ErrUnsupported, y.h, y.v)
		}
	}
	// One buffer for all planes (recycled when Release gave one back);
	// each plane's slice keeps the rest of the buffer in its capacity so
	// that Release can find the whole buffer from the first plane.
	total := 0
	for _, c := range m.comps {
		total += c.bw * 8 * c.bh * 8
	}
	buf, recycled := planeBuffer(total)
	off := 0
	for k := range m.comps {
		c := &m.comps[k]
		n := c.bw * 8 * c.bh * 8
		c.pix = buf[off : off+n]
		off += n
		if recycled {
			m.clearPadding(c)
		}
	}
	return nil
}

// clearPadding zeroes the blocks of c outside the component's own block
// grid: a scan of c alone codes only the blocks of that grid (T.81
// A.2.2), so a recycled buffer would otherwise keep another file's
// samples there (outside the image, never shown, but never kept either).
func (m *image) clearPadding(c *component) {
	cw := (m.w*int(c.h) + m.hmax - 1) / m.hmax
	ch := (m.h*int(c.v) + m.vmax - 1) / m.vmax
	x0, y0 := (cw+7)/8*8, (ch+7)/8*8
	stride := c.bw * 8
	for y := 0; y < c.bh*8; y++ {
		row := c.pix[y*stride : y*stride+stride]
		if y >= y0 {
			clear(row)
		} else {
			clear(row[x0:])
		}
	}
}

// The plane pool: buffers of at most poolMax bytes come back through
// Release, so a run over many ID cards decodes into the same few buffers
// instead of allocating and zeroing new planes for each; big photos'
// planes are left to the garbage collector.
const poolMax = 8 << 20

var planePool sync.Pool // of *[]byte

// planeBuffer returns n bytes for planes: a pooled buffer (not zeroed,
// recycled true) when one is large enough and not more than twice n, else
// a new one.
func planeBuffer(n int) ([]byte, bool) {
	if n <= poolMax {
		if p, _ := planePool.Get().(*[]byte); p != nil {
			if b := *p; cap(b) >= n && cap(b) <= 2*n {
				return b[:n], true
			}
			planePool.Put(p)
		}
	}
	return make([]byte, n), false
}

// Release hands the planes of an image that Decode returned back for a
// later Decode to reuse; img (and any sub-image of it) must not be used
// afterwards. Other images (their planes are not laid out as Decode lays
// them out) and planes over 8 MiB in all are ignored. It is safe for
// concurrent use.
func Release(img goimage.Image) {
	var b []byte
	switch m := img.(type) {
	case *goimage.YCbCr:
		// Decode's layout: Y, Cb, Cr back to back in one buffer that Y's
		// capacity spans.
		ny, nc := len(m.Y), len(m.Cb)
		if ny == 0 || nc == 0 || len(m.Cr) != nc || cap(m.Y) != ny+2*nc {
			return
		}
		b = m.Y[:cap(m.Y)]
		if &b[ny] != &m.Cb[0] || &b[ny+nc] != &m.Cr[0] {
			return
		}
	case *goimage.Gray:
		b = m.Pix[:cap(m.Pix)]
	}
	if len(b) == 0 || len(b) > poolMax {
		return
	}
	planePool.Put(&b)
}

// dequant returns the idct input multipliers for quantization table t
// (zig-zag order).
func (m *image) dequant(t uint8) [64]float32 {
	d := m.dqt[t]
	var q [64]uint16
	for i := range q {
		if d[0]>>4 == 1 {
			q[i] = uint16(d[1+2*i])<<8 | uint16(d[2+2*i])
		} else {
			q[i] = uint16(d[1+i])
		}
	}
	return invScale(&q)
}

// transposedOrder returns zig-zag-ordered multipliers in the transposed
// order idctCoef takes (index 8u+v).
func transposedOrder(z [64]float32) (n [64]float32) {
	for i, t := range zigzagT {
		n[t] = z[i]
	}
	return n
}

// pixBlock gathers a block's quantized coefficients as they are decoded.
type pixBlock struct {
	c [64]int32 // transposed order (8u+v); all zero between blocks
}

// put dequantizes the block with multipliers dq (transposed order),
// inverse-transforms it into the 8×8 samples at dst (row stride stride),
// rounded and clamped to 0..255, and clears it. last is the zig-zag
// index of its last non-zero coefficient.
func (p *pixBlock) put(dst []byte, stride, last int, dq *[64]float32) {
	if last == 0 {
		// DC only: a flat block; the transform would give z(0,0) everywhere.
		v := clampByte(float32(p.c[0])*dq[0] + 128.5)
		p.c[0] = 0
		for y := 0; y < 8; y++ {
			row := dst[y*stride : y*stride+8 : y*stride+8]
			for x := range row {
				row[x] = v
			}
		}
		return
	}
	idctCoef(&p.c, dq, dst, stride)
}

// idctCoefGo is idctCoef in Go: it skips the rows and columns holding
// no coefficient.
func idctCoefGo(c *[64]int32, dq *[64]float32, dst []byte, stride int) {
	var z [64]float32
	var rows, cols uint8
	for t, v := range c {
		if v != 0 {
			n := transposed[t]
			z[n] = float32(v) * dq[t]
			rows |= 1 << (n >> 3)
			cols |= 1 << (n & 7)
		}
	}
	idctBytesGo(&z, rows|1, cols|1, dst, stride)
	*c = [64]int32{}
}

// clampByte rounds down v (a sample plus ½) and clamps it to 0..255.
// The conversion truncates toward zero, which only matters below 0,
// where the result is 0 either way.
func clampByte(v float32) byte {
	return byte(min(max(int32(v), 0), 255))
}
