package jpegseg

import (
	"encoding/binary"
	"fmt"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
)

// maxProgressiveBlocks caps the blocks of a progressive frame: the proof
// keeps one 64-bit history mask per block (64 MiB at the cap: a
// 350-megapixel 4:2:0 photo).
const maxProgressiveBlocks = 1 << 23

// component is one frame component (T.81 B.2.2) with its block grids.
type component struct {
	id     byte
	h, v   int
	tq     int
	bw, bh int // blocks of the interleaved grid (MCUs × sampling factor)
	cw, ch int // blocks of the component's own grid (non-interleaved scans)
}

// frame is a validated frame header.
type frame struct {
	marker       byte
	precision    int
	height       int
	width        int
	comps        []component
	mcusX, mcusY int
	progressive  bool
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// parseSOF validates a frame header (exact length 6+3·Nf, values in
// range). Arithmetic, lossless and hierarchical frames, and a height of 0
// (defined later by DNL), are ErrUnsupported.
func parseSOF(m byte, p []byte) (*frame, error) {
	switch m {
	case 0xC0, 0xC1, 0xC2:
	default:
		return nil, fmt.Errorf("%w: JPEG frame type SOF%d (arithmetic, lossless or hierarchical coding)", container.ErrUnsupported, m-0xC0)
	}
	if len(p) < 6 || len(p) != 6+3*int(p[5]) {
		return nil, FormatError("frame header length does not match its component count")
	}
	f := &frame{marker: m, precision: int(p[0]), progressive: m == 0xC2,
		height: int(binary.BigEndian.Uint16(p[1:])), width: int(binary.BigEndian.Uint16(p[3:]))}
	switch {
	case f.precision != 8 && !(f.precision == 12 && m != 0xC0):
		return nil, FormatError("frame sample precision out of range")
	case f.height == 0:
		return nil, fmt.Errorf("%w: JPEG frame height defined by DNL", container.ErrUnsupported)
	case f.width == 0:
		return nil, FormatError("frame width 0")
	}
	nf := int(p[5])
	if nf < 1 || nf > 4 {
		return nil, fmt.Errorf("%w: JPEG frame with %d components", container.ErrUnsupported, nf)
	}
	hmax, vmax := 1, 1
	for i := 0; i < nf; i++ {
		c := component{id: p[6+3*i], h: int(p[7+3*i] >> 4), v: int(p[7+3*i] & 15), tq: int(p[8+3*i])}
		if c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 || c.tq > 3 {
			return nil, FormatError("frame component sampling factor or table out of range")
		}
		for _, d := range f.comps {
			if d.id == c.id {
				return nil, FormatError("duplicate frame component")
			}
		}
		hmax, vmax = max(hmax, c.h), max(vmax, c.v)
		f.comps = append(f.comps, c)
	}
	f.mcusX, f.mcusY = ceilDiv(f.width, 8*hmax), ceilDiv(f.height, 8*vmax)
	total := 0
	for i := range f.comps {
		c := &f.comps[i]
		c.bw, c.bh = f.mcusX*c.h, f.mcusY*c.v
		c.cw = ceilDiv(ceilDiv(f.width*c.h, hmax), 8)
		c.ch = ceilDiv(ceilDiv(f.height*c.v, vmax), 8)
		total += c.bw * c.bh
	}
	if f.progressive && total > maxProgressiveBlocks {
		return nil, fmt.Errorf("%w: progressive JPEG frame of %d blocks", container.ErrUnsupported, total)
	}
	return f, nil
}

// header serializes the frame header payload from the parsed fields.
func (f *frame) header() []byte {
	b := []byte{byte(f.precision)}
	b = binary.BigEndian.AppendUint16(b, uint16(f.height))
	b = binary.BigEndian.AppendUint16(b, uint16(f.width))
	b = append(b, byte(len(f.comps)))
	for _, c := range f.comps {
		b = append(b, c.id, byte(c.h<<4|c.v), byte(c.tq))
	}
	return b
}

// qtable is one quantization table as defined by a DQT segment: raw is
// its serialized form (Pq/Tq byte and 64 or 128 bytes of values).
type qtable struct {
	id   int
	raw  []byte
	off  int // offset of raw in the input
	used bool
}

// parseDQT splits a DQT payload at off into exact tables (T.81 B.2.4.1).
func parseDQT(p []byte, off int) ([]*qtable, error) {
	var out []*qtable
	for i := 0; i < len(p); {
		pq, tq := int(p[i]>>4), int(p[i]&15)
		if pq > 1 || tq > 3 {
			return nil, FormatError("quantization table precision or id out of range")
		}
		n := 1 + 64*(pq+1)
		if i+n > len(p) {
			return nil, FormatError("quantization table size does not match its segment")
		}
		out = append(out, &qtable{id: tq, raw: p[i : i+n], off: off + i})
		i += n
	}
	return out, nil
}

// huffTable is one Huffman table (T.81 B.2.4.2, C): raw is its serialized
// form (Tc/Th, 16 counts, values); look maps the next 9 bits to
// code length<<8 | value (0: longer code).
type huffTable struct {
	class, id int
	raw       []byte
	off       int
	used      bool
	look      [1 << lookBits]uint16
	// fast maps the next 9 bits to a whole coded coefficient when its
	// code and extra bits fit: bits to consume | advance<<5 | fastValue
	// (advance: size of the DC value; for AC the run + 1, 16 for ZRL, 64
	// for EOB); 0 sends the decoder to the general path.
	fast    [1 << lookBits]uint16
	maxcode [18]int32 // largest code of each length, -1 when none
	valptr  [17]int32
	mincode [17]int32
	vals    []byte
}

const lookBits = 10

// parseDHT splits a DHT payload at off into exact tables and builds their
// decoders.
func parseDHT(p []byte, off int) ([]*huffTable, error) {
	var out []*huffTable
	for i := 0; i < len(p); {
		if i+17 > len(p) {
			return nil, FormatError("Huffman table size does not match its segment")
		}
		tc, th := int(p[i]>>4), int(p[i]&15)
		if tc > 1 || th > 3 {
			return nil, FormatError("Huffman table class or id out of range")
		}
		n := 0
		for _, c := range p[i+1 : i+17] {
			n += int(c)
		}
		if n == 0 || n > 256 || i+17+n > len(p) {
			return nil, FormatError("Huffman table size does not match its segment")
		}
		t := &huffTable{class: tc, id: th, raw: p[i : i+17+n], off: off + i}
		if err := t.build(); err != nil {
			return nil, err
		}
		out = append(out, t)
		i += 17 + n
	}
	return out, nil
}

// build derives the canonical codes (T.81 C.2) and refuses a table whose
// codes overflow their lengths.
func (t *huffTable) build() error {
	counts := t.raw[1:17]
	t.vals = t.raw[17:]
	code, k := int32(0), int32(0)
	for l := 1; l <= 16; l++ {
		c := int32(counts[l-1])
		t.valptr[l] = k
		t.mincode[l] = code
		if code+c >= 1<<l {
			return FormatError("Huffman table codes overflow their lengths")
		}
		if c == 0 {
			t.maxcode[l] = -1
		} else {
			for j := int32(0); j < c; j++ {
				if l <= lookBits {
					v := (code + j) << (lookBits - l)
					e := uint16(l)<<8 | uint16(t.vals[k+j])
					f := t.fastEntry(l, t.vals[k+j])
					for x := int32(0); x < 1<<(lookBits-l); x++ {
						t.look[v+x] = e
						t.fast[v+x] = f
					}
				}
			}
			code += c
			k += c
			t.maxcode[l] = code - 1
		}
		code <<= 1
	}
	t.maxcode[17] = 1 << 30
	return nil
}

const fastValue = 1 << 12

// fastEntry returns the fast-table entry of a code of length l for value
// v (8-bit precision limits: DC size ≤ 11, AC size ≤ 10).
func (t *huffTable) fastEntry(l int, v byte) uint16 {
	if t.class == 0 {
		if v > 11 {
			return 0
		}
		return uint16(l + int(v))
	}
	r, s := int(v>>4), int(v&15)
	switch {
	case s == 0 && r == 15:
		return uint16(l) | 16<<5
	case s == 0 && r == 0:
		return uint16(l) | 64<<5
	case s == 0 || s > 10:
		return 0
	}
	return uint16(l+s) | uint16(r+1)<<5 | fastValue
}

// scanComp is one component of a scan header.
type scanComp struct {
	ci     int // index in the frame
	td, ta int
}

// scanHeader is a validated scan header (T.81 B.2.3).
type scanHeader struct {
	comps          []scanComp
	ss, se, ah, al int
}

// parseSOS validates a scan header against the frame (exact length,
// components of the frame in frame order, spectral selection and
// successive approximation in range for the frame's process).
func parseSOS(p []byte, f *frame) (*scanHeader, error) {
	if len(p) < 1 || len(p) != 4+2*int(p[0]) {
		return nil, FormatError("scan header length does not match its component count")
	}
	ns := int(p[0])
	if ns < 1 || ns > 4 {
		return nil, FormatError("scan component count out of range")
	}
	h := &scanHeader{}
	last := -1
	for i := 0; i < ns; i++ {
		id, t := p[1+2*i], p[2+2*i]
		ci := -1
		for j, c := range f.comps {
			if c.id == id {
				ci = j
			}
		}
		if ci <= last {
			return nil, FormatError("scan component not in the frame or out of frame order")
		}
		last = ci
		sc := scanComp{ci: ci, td: int(t >> 4), ta: int(t & 15)}
		if sc.td > 3 || sc.ta > 3 {
			return nil, FormatError("scan table selector out of range")
		}
		h.comps = append(h.comps, sc)
	}
	if ns > 1 {
		blocks := 0
		for _, c := range h.comps {
			blocks += f.comps[c.ci].h * f.comps[c.ci].v
		}
		if blocks > 10 {
			return nil, FormatError("interleaved scan of more than 10 blocks per MCU")
		}
	}
	q := p[1+2*ns:]
	h.ss, h.se, h.ah, h.al = int(q[0]), int(q[1]), int(q[2]>>4), int(q[2]&15)
	if !f.progressive {
		if h.ss != 0 || h.se != 63 || h.ah != 0 || h.al != 0 {
			return nil, FormatError("sequential scan with spectral selection or successive approximation")
		}
		return h, nil
	}
	switch {
	case h.ss > h.se || h.se > 63 || h.ah > 13 || h.al > 13:
		return nil, FormatError("progressive scan parameters out of range")
	case h.ss == 0 && h.se != 0:
		return nil, FormatError("progressive scan mixes DC and AC coefficients")
	case h.ss > 0 && ns != 1:
		return nil, FormatError("progressive AC scan with more than one component")
	}
	return h, nil
}

// header serializes the scan header payload from the parsed fields.
func (h *scanHeader) header(f *frame) []byte {
	b := []byte{byte(len(h.comps))}
	for _, c := range h.comps {
		b = append(b, f.comps[c.ci].id, byte(c.td<<4|c.ta))
	}
	return append(b, byte(h.ss), byte(h.se), byte(h.ah<<4|h.al))
}
