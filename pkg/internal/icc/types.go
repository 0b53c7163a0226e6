package icc

import (
	"encoding/binary"
)

// Tagged element types (ICC.1:2022 clause 10) a kept tag may have, each
// parsed to its exact size. Every parser returns the element re-serialized
// from the parsed fields (reserved fields zeroed) and the spans of el it
// accounts for, relative to the element's start.

type keptKind int

const (
	kXYZ keptKind = iota
	kTRC
	kChad
	kChrm
	kAtoB // A2Bx: lut8, lut16, lutAToB
	kBtoA // B2Ax, gamt: lut8, lut16, lutBToA
	kCicp
)

// keptSigs are the colorimetric tags Rebuild keeps, in the canonical order
// it writes them (desc and cprt come first).
var keptOrder = []string{"wtpt", "bkpt", "chad", "chrm", "rXYZ", "gXYZ", "bXYZ", "rTRC", "gTRC", "bTRC", "kTRC",
	"A2B0", "A2B1", "A2B2", "B2A0", "B2A1", "B2A2", "gamt", "cicp"}

var keptSigs = map[uint32]keptKind{
	sig("wtpt"): kXYZ, sig("bkpt"): kXYZ, sig("rXYZ"): kXYZ, sig("gXYZ"): kXYZ, sig("bXYZ"): kXYZ,
	sig("rTRC"): kTRC, sig("gTRC"): kTRC, sig("bTRC"): kTRC, sig("kTRC"): kTRC,
	sig("chad"): kChad, sig("chrm"): kChrm,
	sig("A2B0"): kAtoB, sig("A2B1"): kAtoB, sig("A2B2"): kAtoB,
	sig("B2A0"): kBtoA, sig("B2A1"): kBtoA, sig("B2A2"): kBtoA, sig("gamt"): kBtoA,
	sig("cicp"): kCicp,
}

const maxChannels = 15

func u32(b []byte, i int) int { return int(binary.BigEndian.Uint32(b[i:])) }
func u16(b []byte, i int) int { return int(binary.BigEndian.Uint16(b[i:])) }

// parseKept validates el as the element of a kept tag of kind k.
func parseKept(k keptKind, el []byte) (elem []byte, sp []span, ok bool) {
	typ := binary.BigEndian.Uint32(el)
	switch k {
	case kXYZ:
		if typ == sig("XYZ ") && len(el) >= 20 {
			return flat(el, 20, 4, 8)
		}
	case kTRC:
		if n, zs, ok := curveLen(el); ok {
			return flat(el, n, zs...)
		}
	case kChad:
		if typ == sig("sf32") && len(el) >= 44 {
			return flat(el, 44, 4, 8)
		}
	case kChrm:
		if typ == sig("chrm") && len(el) >= 12 {
			n := u16(el, 8)
			if n >= 1 && n <= maxChannels && 12+8*n <= len(el) {
				return flat(el, 12+8*n, 4, 8)
			}
		}
	case kCicp:
		if typ == sig("cicp") && len(el) >= 12 && el[11] <= 1 {
			return flat(el, 12, 4, 8)
		}
	case kAtoB, kBtoA:
		switch typ {
		case sig("mft1"):
			if n, ok := lut8Len(el); ok {
				return flat(el, n, 4, 8, 11, 12)
			}
		case sig("mft2"):
			if n, ok := lut16Len(el); ok {
				return flat(el, n, 4, 8, 11, 12)
			}
		case sig("mAB "):
			if k == kAtoB {
				return lutAB(el, true)
			}
		case sig("mBA "):
			if k == kBtoA {
				return lutAB(el, false)
			}
		}
	}
	return nil, nil, false
}

// flat returns el[:n] with the reserved fields [zs[0], zs[1]), [zs[2],
// zs[3]) ... zeroed, and its spans.
func flat(el []byte, n int, zs ...int) ([]byte, []span, bool) {
	out := make([]byte, n)
	copy(out, el[:n])
	var sp []span
	pos := 0
	for i := 0; i+1 < len(zs); i += 2 {
		sp = append(sp, span{pos, zs[i], false}, span{zs[i], zs[i+1], true})
		clear(out[zs[i]:zs[i+1]])
		pos = zs[i+1]
	}
	sp = append(sp, span{pos, n, false})
	return out, sp, true
}

// paraParams is the parameter count of each parametricCurveType function.
var paraParams = [...]int{1, 3, 4, 5, 7}

// curveLen returns the exact length of a curveType or
// parametricCurveType element at the start of b and its reserved fields.
func curveLen(b []byte) (int, []int, bool) {
	if len(b) < 12 {
		return 0, nil, false
	}
	switch binary.BigEndian.Uint32(b) {
	case sig("curv"):
		n := u32(b, 8)
		if n <= (len(b)-12)/2 {
			return 12 + 2*n, []int{4, 8}, true
		}
	case sig("para"):
		f := u16(b, 8)
		if f < len(paraParams) && 12+4*paraParams[f] <= len(b) {
			return 12 + 4*paraParams[f], []int{4, 8, 10, 12}, true
		}
	}
	return 0, nil, false
}

// clutPoints returns the product of the first in grid sizes, or false when
// it exceeds limit.
func clutPoints(grid []byte, in, limit int) (int, bool) {
	p := 1
	for i := range in {
		g := int(grid[i])
		if g < 2 {
			return 0, false
		}
		p *= g
		if p > limit {
			return 0, false
		}
	}
	return p, true
}

func lutChannels(el []byte) (in, out int, ok bool) {
	in, out = int(el[8]), int(el[9])
	return in, out, in >= 1 && in <= maxChannels && out >= 1 && out <= maxChannels
}

// lut8Len: lut8Type, ICC.1:2022 10.9.
func lut8Len(el []byte) (int, bool) {
	if len(el) < 48 {
		return 0, false
	}
	in, out, ok := lutChannels(el)
	if !ok {
		return 0, false
	}
	var grid [maxChannels]byte
	for i := range grid {
		grid[i] = el[10]
	}
	pts, ok := clutPoints(grid[:], in, len(el)/out)
	if !ok {
		return 0, false
	}
	n := 48 + 256*in + pts*out + 256*out
	return n, n <= len(el)
}

// lut16Len: lut16Type, ICC.1:2022 10.10.
func lut16Len(el []byte) (int, bool) {
	if len(el) < 52 {
		return 0, false
	}
	in, out, ok := lutChannels(el)
	if !ok {
		return 0, false
	}
	var grid [maxChannels]byte
	for i := range grid {
		grid[i] = el[10]
	}
	pts, ok := clutPoints(grid[:], in, len(el)/(2*out))
	if !ok {
		return 0, false
	}
	ni, no := u16(el, 48), u16(el, 50)
	if ni < 2 || ni > 4096 || no < 2 || no > 4096 {
		return 0, false
	}
	n := 52 + 2*ni*in + 2*pts*out + 2*no*out
	return n, n <= len(el)
}
