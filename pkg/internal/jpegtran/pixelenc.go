package jpegtran

import goimage "image"

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

// quantizer divides a DCT output (scaled by 8) by 8×Q with rounding to
// nearest, through a reciprocal instead of a division.
// The DCT outputs are below 2^13 in magnitude, so (|v| + d/2) < 2^14 and,
// with d ≥ 8, ceil(2^18/d) ≤ 2^15: the product fits 32 bits and the
// quotient is exact.
type quantizer struct {
	half  [64]uint32
	recip [64]uint32
}

func newQuantizer(q *[64]byte) *quantizer {
	z := &quantizer{}
	for i, v := range q {
		d := uint32(v) * 8
		z.half[i] = d >> 1
		z.recip[i] = (1<<18 + d - 1) / d
	}
	return z
}

func (z *quantizer) q(v int32, i int) int32 {
	s := v >> 31
	a := uint32((v ^ s) - s)
	q := int32((a + z.half[i]) * z.recip[i] >> 18)
	return (q ^ s) - s
}

// EncodeGray encodes src as a one-component baseline JPEG at quality, with
// optimised Huffman tables.
func EncodeGray(src *goimage.Gray, quality int) []byte {
	r := src.Bounds()
	y := &goimage.YCbCr{Y: src.Pix[src.PixOffset(r.Min.X, r.Min.Y):], YStride: src.Stride, Rect: goimage.Rect(0, 0, r.Dx(), r.Dy())}
	return encodePlanes(y, quality, true)
}

// EncodeYCbCr encodes src as a baseline 4:2:0 JPEG at quality (1..100)
// holding SOI, DQT, SOF0, optimised DHT, SOS and EOI only. The planes are
// read as they are (no RGBA round trip): 4:2:0 chroma is taken sample for
// sample, other ratios are averaged down. Blocks go through image/jpeg's
// forward DCT, a reciprocal quantizer and this package's optimised
// Huffman coder.
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
	// Blocks are made in MCU order and turned into Huffman symbols at
	// once (the coefficients are never stored): encode then codes the
	// symbol stream with tables optimised for it.
	m.syms = make([]uint32, 0, w*h/4)
	m.symsOK = true
	qz := [2]*quantizer{newQuantizer(&qt[0]), newQuantizer(&qt[1])}
	var b block
	var pred [3]int32
	symbolize := func(k int) {
		fdct(&b)
		z := qz[tableOf(k)]
		cls := uint32(tableOf(k) * 2)
		dc := z.q(b[0], 0)
		n, x := category(dc - pred[k])
		pred[k] = dc
		m.syms = append(m.syms, cls<<24|uint32(n)<<16|x)
		m.freq[cls][n]++
		run := uint32(0)
		for i := 1; i < 64; i++ {
			v := z.q(b[zigzag[i]], i)
			if v == 0 {
				run++
				continue
			}
			for run > 15 {
				m.syms = append(m.syms, (cls+1)<<24|0xF0<<16)
				m.freq[cls+1][0xF0]++
				run -= 16
			}
			n, x := category(v)
			rs := run<<4 | uint32(n)
			m.syms = append(m.syms, (cls+1)<<24|rs<<16|x)
			m.freq[cls+1][rs]++
			run = 0
		}
		if run > 0 {
			m.syms = append(m.syms, (cls+1)<<24)
			m.freq[cls+1][0]++
		}
	}
	y0 := src.YOffset(r.Min.X, r.Min.Y)
	lumaBlock := func(bx, by int) {
		for j := 0; j < 8; j++ {
			row := src.Y[y0+min(by*8+j, h-1)*src.YStride:]
			if bx*8+7 < w {
				row = row[bx*8 : bx*8+8]
				for i := 0; i < 8; i++ {
					b[j*8+i] = int32(row[i])
				}
				continue
			}
			for i := 0; i < 8; i++ {
				b[j*8+i] = int32(row[min(bx*8+i, w-1)])
			}
		}
	}
	cw, ch := (w+1)/2, (h+1)/2
	direct := !gray && src.SubsampleRatio == goimage.YCbCrSubsampleRatio420 && r.Min.X%2 == 0 && r.Min.Y%2 == 0
	c0 := 0
	if !gray {
		c0 = src.COffset(r.Min.X, r.Min.Y)
	}
	chromaBlock := func(plane []byte, bx, by int) {
		for j := 0; j < 8; j++ {
			cy := min(by*8+j, ch-1)
			for i := 0; i < 8; i++ {
				cx := min(bx*8+i, cw-1)
				if direct {
					b[j*8+i] = int32(plane[c0+cy*src.CStride+cx])
					continue
				}
				var sum int32
				for d := 0; d < 4; d++ {
					px := min(2*cx+d&1, w-1) + r.Min.X
					py := min(2*cy+d>>1, h-1) + r.Min.Y
					sum += int32(plane[src.COffset(px, py)])
				}
				b[j*8+i] = (sum + 2) >> 2
			}
		}
	}
	if gray {
		for by := 0; by < m.mcuy; by++ {
			for bx := 0; bx < m.mcux; bx++ {
				lumaBlock(bx, by)
				symbolize(0)
			}
		}
		return m.encode()
	}
	for my := 0; my < m.mcuy; my++ {
		for mx := 0; mx < m.mcux; mx++ {
			for v := 0; v < 2; v++ {
				for hh := 0; hh < 2; hh++ {
					lumaBlock(2*mx+hh, 2*my+v)
					symbolize(0)
				}
			}
			chromaBlock(src.Cb, mx, my)
			symbolize(1)
			chromaBlock(src.Cr, mx, my)
			symbolize(2)
		}
	}
	return m.encode()
}
