package jpegtran

import (
	"encoding/binary"
	goimage "image"
	"math/bits"
	"slices"
)

// unscaledQuant are the T.81 Annex K.1 tables in zig-zag order (as
// image/jpeg has them), scaled by quality like libjpeg and image/jpeg.
var unscaledQuant = [2][64]byte{
	{16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40,
		26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58, 51, 61, 60, 57, 51,
		56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81, 87,
		95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99},
	{17, 18, 18, 24, 21, 24, 47, 26, 26, 47, 99, 66, 56, 66, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99},
}

// EncodeGray encodes src as a one-component baseline JPEG at quality
// (1..100), with the Annex K Huffman tables, in one pass. It is safe for
// concurrent use.
func EncodeGray(src *goimage.Gray, quality int) []byte {
	r := src.Bounds()
	y := &goimage.YCbCr{Y: src.Pix[src.PixOffset(r.Min.X, r.Min.Y):], YStride: src.Stride, Rect: goimage.Rect(0, 0, r.Dx(), r.Dy())}
	return encodePlanes(y, quality, true)
}

// EncodeYCbCr encodes src as a baseline 4:2:0 JPEG at quality (1..100)
// holding SOI, DQT, SOF0, DHT, SOS and EOI only. The planes are read as
// they are (no RGBA round trip): 4:2:0 chroma is taken sample for sample,
// other ratios are averaged down. It runs in one pass: each block goes
// through this package's AAN forward DCT (aan.go), a quantizer with the
// DCT's scale folded in, and Huffman coding with the typical tables of
// T.81 Annex K.3 (as cjpeg and Pillow write by default) straight into the
// output, so nothing but the output is held. Transcode writes optimised
// tables instead. It is safe for concurrent use.
func EncodeYCbCr(src *goimage.YCbCr, quality int) []byte {
	return encodePlanes(src, quality, false)
}

func encodePlanes(src *goimage.YCbCr, quality int, gray bool) []byte {
	quality = min(100, max(1, quality))
	scale := 200 - quality*2
	if quality < 50 {
		scale = 5000 / quality
	}
	var qt [2][64]byte
	for t := range qt {
		for j, v := range unscaledQuant[t] {
			qt[t][j] = byte(min(255, max(1, (int(v)*scale+50)/100)))
		}
	}
	r := src.Bounds()
	w, h := r.Dx(), r.Dy()
	m := &image{w: w, h: h, precision: 8, hmax: 2, vmax: 2, mcux: (w + 15) / 16, mcuy: (h + 15) / 16, sof: 0xC0, scanned: true}
	m.dqt[0] = append([]byte{0x00}, qt[0][:]...)
	comps := []component{{id: 1, h: 2, v: 2, tq: 0}, {id: 2, h: 1, v: 1, tq: 1}, {id: 3, h: 1, v: 1, tq: 1}}
	if gray {
		m.hmax, m.vmax, m.mcux, m.mcuy = 1, 1, (w+7)/8, (h+7)/8
		comps = []component{{id: 1, h: 1, v: 1, tq: 0}}
	} else {
		m.dqt[1] = append([]byte{0x01}, qt[1][:]...)
	}
	for k, c := range comps {
		c.k = k
		c.bw, c.bh = m.mcux*int(c.h), m.mcuy*int(c.v)
		m.comps = append(m.comps, c)
	}
	// One pass: each block is transformed, quantized and Huffman-coded
	// with the Annex K tables straight into the output; no coefficient
	// or symbol is stored.
	e := &pixelEncoder{}
	for t := range e.r {
		var q [64]uint16
		for i, v := range qt[t] {
			q[i] = uint16(v)
		}
		z := fwdScale(&q)
		for i, n := range zigzagT {
			e.r[t][n] = z[i]
		}
	}
	// Room for a quarter byte a pixel at q92 (what ID cards and photos
	// take); the buffer grows past it when needed.
	e.w.out = m.header([2]*huffEnc{specTables[0], specTables[2]}, [2]*huffEnc{specTables[1], specTables[3]}, 4096+w*h*quality/368)
	b := &e.b
	y0 := src.YOffset(r.Min.X, r.Min.Y)
	lumaBlock := func(bx, by int) {
		e.load(src.Y[y0:], src.YStride, bx*8, by*8, w, h)
	}
	cw, ch := (w+1)/2, (h+1)/2
	direct := !gray && src.SubsampleRatio == goimage.YCbCrSubsampleRatio420 && r.Min.X%2 == 0 && r.Min.Y%2 == 0
	c0 := 0
	if !gray {
		c0 = src.COffset(r.Min.X, r.Min.Y)
	}
	chromaBlock := func(plane []byte, bx, by int) {
		if direct {
			e.load(plane[c0:], src.CStride, bx*8, by*8, cw, ch)
			return
		}
		var avg [64]byte
		for j := 0; j < 8; j++ {
			cy := min(by*8+j, ch-1)
			for i := 0; i < 8; i++ {
				cx := min(bx*8+i, cw-1)
				var sum int32
				for d := 0; d < 4; d++ {
					px := min(2*cx+d&1, w-1) + r.Min.X
					py := min(2*cy+d>>1, h-1) + r.Min.Y
					sum += int32(plane[src.COffset(px, py)])
				}
				avg[j*8+i] = byte((sum + 2) >> 2)
			}
		}
		fdctBytes(b, avg[:], 8)
	}
	if gray {
		for by := 0; by < m.mcuy; by++ {
			for bx := 0; bx < m.mcux; bx++ {
				lumaBlock(bx, by)
				e.block(0)
			}
		}
		return e.finish()
	}
	for my := 0; my < m.mcuy; my++ {
		for mx := 0; mx < m.mcux; mx++ {
			for v := 0; v < 2; v++ {
				for hh := 0; hh < 2; hh++ {
					lumaBlock(2*mx+hh, 2*my+v)
					e.block(0)
				}
			}
			chromaBlock(src.Cb, mx, my)
			e.block(1)
			chromaBlock(src.Cr, mx, my)
			e.block(2)
		}
	}
	return e.finish()
}

// pixelEncoder codes blocks of samples with the Annex K Huffman tables.
type pixelEncoder struct {
	w    bitWriter
	r    [2][64]float32 // quantizer multipliers per table class, transposed order
	pred [3]int32
	b    [64]float32 // the block being coded: level-shifted samples
}

// load transforms the 8×8 block at (x, y) of a plane of pw×ph samples
// (row stride stride) into e.b; samples past the right and
// bottom edges repeat the last column and row (T.81 A.2.4 leaves the
// padding to the encoder).
func (e *pixelEncoder) load(plane []byte, stride, x, y, pw, ph int) {
	if x+8 <= pw && y+8 <= ph {
		fdctBytes(&e.b, plane[y*stride+x:], stride)
		return
	}
	var edge [64]byte
	for j := 0; j < 8; j++ {
		row := plane[min(y+j, ph-1)*stride:]
		for i := 0; i < 8; i++ {
			edge[j*8+i] = row[min(x+i, pw-1)]
		}
	}
	fdctBytes(&e.b, edge[:], 8)
}

// block quantizes and codes e.b (a transformed block) as component k.
func (e *pixelEncoder) block(k int) {
	t := tableOf(k)
	r := &e.r[t]
	dc, ac := specTables[2*t], specTables[2*t+1]
	// Quantize without branches, noting the non-zero coefficients in a
	// bit mask in zig-zag order.
	var q [64]int32
	nz := toZigzag(quant(&e.b, r, &q))
	// The block's bytes go straight into the output's spare capacity
	// (grown first to hold a worst-case block).
	w := &e.w
	if cap(w.out)-len(w.out) < maxBlockBytes {
		w.out = slices.Grow(w.out, max(maxBlockBytes, len(w.out)/2))
	}
	out := w.out[len(w.out):cap(w.out)]
	pos := 0
	acc, bn := w.acc, w.n
	n, x := category(q[0] - e.pred[k])
	e.pred[k] = q[0]
	c := dc.lut[n]
	acc, bn = addBits(acc, bn, c>>8<<n|x, uint(c&0xFF)+n)
	if bn >= 32 {
		pos = putWord(out, pos, uint32(acc>>32))
		acc, bn = acc<<32, bn-32
	}
	nz &^= 1
	prev := 0
	for nz != 0 {
		i := bits.TrailingZeros64(nz)
		nz &= nz - 1
		run := uint32(i - prev - 1)
		prev = i
		for run > 15 {
			c := ac.lut[0xF0]
			acc, bn = addBits(acc, bn, c>>8, uint(c&0xFF))
			if bn >= 32 {
				pos = putWord(out, pos, uint32(acc>>32))
				acc, bn = acc<<32, bn-32
			}
			run -= 16
		}
		n, x := category(q[zigzagT[i&63]])
		c := ac.lut[run<<4|uint32(n)]
		acc, bn = addBits(acc, bn, c>>8<<n|x, uint(c&0xFF)+n)
		if bn >= 32 {
			// putWord, inlined by hand on this, the hot path.
			if v := uint32(acc >> 32); (^v-0x01010101)&v&0x80808080 == 0 {
				binary.BigEndian.PutUint32(out[pos:], v)
				pos += 4
			} else {
				pos = stuffWord(out, pos, v)
			}
			acc, bn = acc<<32, bn-32
		}
	}
	if prev != 63 {
		c := ac.lut[0]
		acc, bn = addBits(acc, bn, c>>8, uint(c&0xFF))
		if bn >= 32 {
			pos = putWord(out, pos, uint32(acc>>32))
			acc, bn = acc<<32, bn-32
		}
	}
	w.acc, w.n = acc, bn
	w.out = w.out[:len(w.out)+pos]
}

// maxBlockBytes bounds the bytes one block can add: 64 codes of at most
// 16+11 bits, every byte stuffed, plus the 4 bytes of a word.
const maxBlockBytes = 64*27/8*2 + 8

// putWord writes v at out[pos:] and returns the position after it,
// stuffing a zero after each 0xFF byte (T.81 F.1.2.3).
func putWord(out []byte, pos int, v uint32) int {
	// A byte of v is 0xFF exactly when a byte of ^v is zero.
	if (^v-0x01010101)&v&0x80808080 != 0 {
		return stuffWord(out, pos, v)
	}
	binary.BigEndian.PutUint32(out[pos:], v)
	return pos + 4
}

//go:noinline
func stuffWord(out []byte, pos int, v uint32) int {
	for s := 24; s >= 0; s -= 8 {
		b := byte(v >> s)
		out[pos] = b
		pos++
		if b == 0xFF {
			out[pos] = 0
			pos++
		}
	}
	return pos
}

func (e *pixelEncoder) finish() []byte {
	e.w.flush()
	return append(e.w.out, 0xFF, 0xD9)
}
