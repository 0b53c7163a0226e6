// Package jpegtran re-encodes a JPEG in the coefficient domain, as
// `jpegtran -copy none -optimize` does: the entropy-coded data of a
// baseline or extended sequential Huffman JPEG (ITU-T T.81 SOF0/SOF1) is
// decoded to quantized DCT coefficients, turned by the EXIF orientation when
// the image size allows it, and coded again with optimised Huffman tables
// (T.81 Annex K.2) into a new file holding SOI, DQT, SOF, DHT, SOS and EOI
// only. Every coded byte is regenerated; the pixels are untouched (no
// generation loss, no IDCT, no colour conversion).
//
// Progressive, arithmetic-coded, lossless and hierarchical JPEGs, 12-bit
// samples and DNL heights are refused with ErrUnsupported: the caller then
// takes the pixel path.
//
// The package also holds that pixel path's JPEG codec: Decode (baseline
// and extended sequential Huffman to YCbCr or gray planes) and
// EncodeYCbCr/EncodeGray (baseline, one pass). Both use the 8×8 DCT of
// T.81 A.3.3 in the scaled factorisation of Arai, Agui and Nakajima, with
// the scale factors folded into the (de)quantizer (aan.go; SSE on amd64,
// aan_amd64.s, Go elsewhere or with the purego build tag).
package jpegtran

import (
	"encoding/binary"
	"errors"
	"fmt"
	goimage "image"
)

// Errors returned by Transcode.
var (
	ErrUnsupported = errors.New("jpegtran: JPEG variant not supported in the coefficient domain")
	ErrFormat      = errors.New("jpegtran: malformed JPEG")
	ErrTooLarge    = errors.New("jpegtran: image over the block limit")
)

// zigzag[i] is the natural (row-major) index of the i-th coefficient in
// zig-zag order (T.81 Figure A.6).
var zigzag = [64]uint8{
	0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
}

type component struct {
	id, h, v, tq uint8
	bw, bh       int     // blocks across and down, padded to whole MCUs
	coef         []int16 // bw*bh blocks of 64 coefficients in zig-zag order
	last         []uint8 // per block: zig-zag index of the last non-zero AC (0: none)
	td, ta       uint8   // the scan's table selectors (decoding)
	k            int     // index in image.comps
	// Decoding to pixels: blocks go through the IDCT as they are
	// decoded into pix (row stride bw*8); coef and last stay nil.
	pix     []byte
	dq      [64]float32 // idct multipliers of the scan's table, transposed order
	scanned bool
}

type huffDec struct {
	maxcode [18]int32
	valptr  [17]int32
	mincode [17]int32
	vals    []byte
	look    [1 << lookBits]uint16 // (length<<8 | value) for codes of up to lookBits bits; 0: slow path
	// fast maps the next lookBits bits to a whole AC coefficient when its
	// code and extra bits fit and its size is not 0:
	// value<<16 | run<<12 | size<<8 | bits consumed (bits 8..15 are the
	// run/size symbol); 0: use look.
	fast [1 << lookBits]int32
}

// lookBits is the Huffman decoders' lookahead.
const lookBits = 10

type image struct {
	w, h       int
	precision  uint8
	comps      []component
	hmax, vmax int
	mcux, mcuy int
	dqt        [4][]byte // raw table bodies (Pq/Tq byte + values) as found
	dc, ac     [4]*huffDec
	ri         int
	sof        byte
	scanned    bool
	// syms is the symbol stream of a single interleaved scan without
	// restarts, in output order (class<<24 | symbol<<16 | extra bits),
	// and freq its symbol counts per class (DC0, AC0, DC1, AC1): such a
	// file is re-coded from it without walking the coefficients.
	syms   []uint32
	freq   [4][257]int64
	symsOK bool
	noSyms bool // decoding to pixels: do not record symbols
	// Colour: image/jpeg's rule (JFIF means YCbCr; else Adobe APP14
	// transform 0 means RGB; else component ids R, G, B mean RGB).
	jfif, adobe bool
	adobeRGB    bool
	ratio       goimage.YCbCrSubsampleRatio // Decode's layout
}

// MaxBlocks bounds the coefficient memory (128 bytes a block): 2^21
// blocks is 256 MiB, about 90 MP in 4:2:0.
var MaxBlocks = 1 << 21

// Transcode re-encodes data (a JPEG) in the coefficient domain, applying
// EXIF orientation o (1..8; others mean 1). It returns ErrUnsupported when
// the variant is not handled or the orientation cannot be applied without
// trimming edge blocks (the caller then takes the pixel path).
func Transcode(data []byte, o int) ([]byte, error) {
	m, err := parse(data, false)
	if err != nil {
		return nil, err
	}
	if o >= 2 && o <= 8 {
		if m, err = m.transform(o); err != nil {
			return nil, err
		}
	}
	if err := m.baselineRange(); err != nil {
		return nil, err
	}
	return m.encode(), nil
}

// baselineRange refuses coefficients a baseline Huffman code cannot carry
// (T.81 F.1.2: DC differences up to category 11, AC values up to category
// 10 for 8-bit samples). Decoders accept larger values from a hostile
// stream; writing them would corrupt the run/size symbols.
func (m *image) baselineRange() error {
	var pred [4]int32
	bad := false
	m.walk(func(k int, blk []int16, last int) {
		if s, _ := category(int32(blk[0]) - pred[k]); s > 11 {
			bad = true
		}
		pred[k] = int32(blk[0])
		for i := 1; i <= last; i++ {
			if s, _ := category(int32(blk[i])); s > 10 {
				bad = true
			}
		}
	})
	if bad {
		return fmt.Errorf("%w: coefficient out of the baseline range", ErrUnsupported)
	}
	return nil
}

func parse(data []byte, pixels bool) (*image, error) {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return nil, errAt("jpegtran:1")
	}
	m := &image{noSyms: pixels}
	i := 2
	for {
		for i < len(data) && data[i] == 0xFF && i+1 < len(data) && data[i+1] == 0xFF {
			i++ // fill bytes
		}
		for i < len(data) && data[i] != 0xFF {
			i++ // extraneous bytes between segments (libjpeg skips them too)
		}
		if i+2 > len(data) {
			return nil, errAt("no EOI")
		}
		marker := data[i+1]
		if marker == 0xD9 {
			break
		}
		if marker == 0x01 || marker >= 0xD0 && marker <= 0xD7 {
			i += 2
			continue
		}
		if i+4 > len(data) {
			return nil, errAt("segment header")
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return nil, errAt("jpegtran:3")
		}
		seg := data[i+4 : i+2+n]
		i += 2 + n
		switch {
		case marker == 0xC0 || marker == 0xC1:
			if m.comps != nil {
				return nil, errAt("jpegtran:4")
			}
			if err := m.parseSOF(seg, marker); err != nil {
				return nil, err
			}
		case marker >= 0xC2 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
			return nil, fmt.Errorf("%w: SOF%d", ErrUnsupported, marker-0xC0)
		case marker == 0xDB:
			if err := m.parseDQT(seg); err != nil {
				return nil, err
			}
		case marker == 0xC4:
			if err := m.parseDHT(seg); err != nil {
				return nil, err
			}
		case marker == 0xE0 && len(seg) >= 5 && string(seg[:5]) == "JFIF\x00":
			m.jfif = true
		case marker == 0xEE && len(seg) >= 12 && string(seg[:5]) == "Adobe":
			m.adobe, m.adobeRGB = true, seg[11] == 0
		case marker == 0xDD:
			if len(seg) != 2 {
				return nil, errAt("jpegtran:5")
			}
			m.ri = int(binary.BigEndian.Uint16(seg))
		case marker == 0xDC:
			return nil, fmt.Errorf("%w: DNL", ErrUnsupported)
		case marker == 0xDA:
			end, err := m.scan(data, i, seg)
			if err != nil {
				return nil, err
			}
			m.scanned = true
			i = end
		}
	}
	if !m.scanned {
		return nil, errAt("jpegtran:6")
	}
	for _, c := range m.comps {
		if m.dqt[c.tq] == nil {
			return nil, errAt("jpegtran:7")
		}
	}
	return m, nil
}

func (m *image) parseSOF(s []byte, marker byte) error {
	if len(s) < 6 {
		return errAt("jpegtran:8")
	}
	m.sof = marker
	m.precision = s[0]
	if m.precision != 8 {
		return fmt.Errorf("%w: %d-bit samples", ErrUnsupported, m.precision)
	}
	m.h, m.w = int(binary.BigEndian.Uint16(s[1:])), int(binary.BigEndian.Uint16(s[3:]))
	if m.h == 0 {
		return fmt.Errorf("%w: DNL height", ErrUnsupported)
	}
	if m.w == 0 {
		return errAt("jpegtran:9")
	}
	nf := int(s[5])
	if nf != 1 && nf != 3 && nf != 4 || len(s) != 6+3*nf {
		return errAt("jpegtran:10")
	}
	m.hmax, m.vmax = 1, 1
	for k := 0; k < nf; k++ {
		c := component{id: s[6+3*k], h: s[7+3*k] >> 4, v: s[7+3*k] & 15, tq: s[8+3*k], k: k}
		if c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 || c.tq > 3 {
			return errAt("jpegtran:11")
		}
		m.hmax, m.vmax = max(m.hmax, int(c.h)), max(m.vmax, int(c.v))
		m.comps = append(m.comps, c)
	}
	m.mcux = (m.w + 8*m.hmax - 1) / (8 * m.hmax)
	m.mcuy = (m.h + 8*m.vmax - 1) / (8 * m.vmax)
	total := 0
	for k := range m.comps {
		c := &m.comps[k]
		c.bw, c.bh = m.mcux*int(c.h), m.mcuy*int(c.v)
		total += c.bw * c.bh
	}
	if total > MaxBlocks {
		return ErrTooLarge
	}
	if m.noSyms {
		return m.allocPixels()
	}
	for k := range m.comps {
		c := &m.comps[k]
		c.coef = make([]int16, c.bw*c.bh*64)
		c.last = make([]uint8, c.bw*c.bh)
	}
	return nil
}

func (m *image) parseDQT(s []byte) error {
	for len(s) > 0 {
		pq, tq := s[0]>>4, s[0]&15
		n := 65
		if pq == 1 {
			n = 129
		}
		if pq > 1 || tq > 3 || len(s) < n {
			return errAt("jpegtran:12")
		}
		m.dqt[tq] = append([]byte(nil), s[:n]...)
		s = s[n:]
	}
	return nil
}

func (m *image) parseDHT(s []byte) error {
	for len(s) > 0 {
		if len(s) < 17 {
			return errAt("jpegtran:13")
		}
		tc, th := s[0]>>4, s[0]&15
		if tc > 1 || th > 3 {
			return errAt("jpegtran:14")
		}
		var counts [16]int
		total := 0
		for k := 0; k < 16; k++ {
			counts[k] = int(s[1+k])
			total += counts[k]
		}
		if total > 256 || len(s) < 17+total {
			return errAt("jpegtran:15")
		}
		d := &huffDec{vals: append([]byte(nil), s[17:17+total]...)}
		code, k := int32(0), int32(0)
		for l := 1; l <= 16; l++ {
			d.valptr[l] = k
			d.mincode[l] = code
			code += int32(counts[l-1])
			k += int32(counts[l-1])
			if counts[l-1] > 0 {
				d.maxcode[l] = code - 1
			} else {
				d.maxcode[l] = -1
			}
			if code > 1<<l {
				return errAt("jpegtran:16")
			}
			if l <= lookBits {
				for j := int32(0); j < int32(counts[l-1]); j++ {
					c := d.mincode[l] + j
					v := d.vals[d.valptr[l]+j]
					lo := c << (lookBits - l)
					for x := lo; x < lo+1<<(lookBits-l); x++ {
						d.look[x] = uint16(l)<<8 | uint16(v)
						// The extra bits follow the code in x's low bits.
						sz := int32(v & 15)
						if tc == 1 && sz > 0 && int32(l)+sz <= lookBits {
							extra := x >> (lookBits - int32(l) - sz) & (1<<sz - 1)
							d.fast[x] = extend(extra, uint(sz))<<16 | int32(v)<<8 | (int32(l) + sz)
						}
					}
				}
			}
			code <<= 1
		}
		d.maxcode[17] = 1 << 30
		if tc == 0 {
			m.dc[th] = d
		} else {
			m.ac[th] = d
		}
		s = s[17+total:]
	}
	return nil
}

// errAt is ErrFormat with the check that failed.
func errAt(where string) error { return fmt.Errorf("%w (%s)", ErrFormat, where) }
