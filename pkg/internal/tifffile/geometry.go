package tifffile

import (
	"fmt"
	"math/bits"
	"slices"
)

// geom is the image geometry of a page: what the number of strips or
// tiles and the raw (decoded) size of each follow from (TIFF 6.0 Sections
// 3, 5, 15 and 21).
type geom struct {
	width, height uint64
	spp           uint64
	bps           []uint64
	planar        uint64
	comp          uint64
	photometric   uint64
	rps           uint64
	tiled         bool
	tw, tl        uint64
	subH, subV    uint64 // YCbCr subsampling of uncompressed-style data, else 1, 1
	fillOrder     uint64 // 1: most significant bit first, 2: least
	t4Options     uint64
}

// mul multiplies, saturating at the largest uint64.
func mul(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	if hi != 0 {
		return 1<<64 - 1
	}
	return lo
}

func ceilDiv(a, b uint64) uint64 { return a/b + min(a%b, 1) }

// chunks returns the number of strips or tiles the geometry needs.
func (g *geom) chunks() uint64 {
	var per uint64
	if g.tiled {
		per = mul(ceilDiv(g.width, g.tw), ceilDiv(g.height, g.tl))
	} else {
		per = ceilDiv(g.height, min(g.rps, g.height))
	}
	if g.planar == 2 {
		return mul(per, g.spp)
	}
	return per
}

// rowBytes is the size of a row of w pixels of plane p (every sample when
// chunky), or of a row of YCbCr sampling units covering subV rows.
func (g *geom) rowBytes(w uint64, p int) uint64 {
	if g.subH > 1 || g.subV > 1 {
		units := ceilDiv(w, g.subH)
		return ceilDiv(mul(mul(units, g.subH*g.subV+2), g.bps[0]), 8)
	}
	if g.planar == 2 {
		return ceilDiv(mul(w, g.bps[p]), 8)
	}
	var sum uint64
	for _, b := range g.bps {
		sum += b
	}
	return ceilDiv(mul(w, sum), 8)
}

// rawSize returns the decoded size of strip or tile i (i < chunks()).
func (g *geom) rawSize(i uint64) uint64 {
	n := g.chunks()
	per := n
	if g.planar == 2 {
		per = n / g.spp
	}
	p := int(i / per)
	if g.tiled {
		return mul(g.rowBytes(g.tw, p), ceilDiv(g.tl, g.subV))
	}
	s := i % per
	rps := min(g.rps, g.height)
	rows := min(rps, g.height-s*rps)
	return mul(g.rowBytes(g.width, p), ceilDiv(rows, g.subV))
}

// geometry reads the page geometry from its validated values, applying
// the TIFF 6.0 defaults.
func geometry(vals map[uint16]value, spp uint64) (*geom, error) {
	get := func(tag uint16, def uint64) uint64 {
		if v, ok := vals[tag]; ok && len(v.ints) > 0 {
			return v.ints[0]
		}
		return def
	}
	g := &geom{spp: spp, subH: 1, subV: 1}
	w, okW := vals[tagImageWidth]
	h, okH := vals[tagImageLength]
	if !okW || !okH {
		return nil, FormatError("image width or length missing")
	}
	g.width, g.height = w.ints[0], h.ints[0]
	if v, ok := vals[tagBitsPerSample]; ok {
		g.bps = v.ints
	} else {
		g.bps = slices.Repeat([]uint64{1}, int(min(spp, 1<<16)))
	}
	g.comp = get(tagCompression, compNone)
	g.planar = get(tagPlanarConfig, 1)
	g.photometric = get(tagPhotometric, 1<<16)
	g.rps = get(tagRowsPerStrip, 1<<32-1)
	_, tw := vals[tagTileWidth]
	_, tl := vals[tagTileLength]
	if tw != tl {
		return nil, FormatError("tile width without tile length")
	}
	if tw {
		g.tiled = true
		g.tw, g.tl = get(tagTileWidth, 0), get(tagTileLength, 0)
	}
	if g.comp == 6 {
		return nil, fmt.Errorf("old-style JPEG compression: %w", ErrUnsupported)
	}
	if g.photometric == 6 && g.comp != compJPEG {
		if v, ok := vals[tagYCbCrSubSampling]; ok {
			g.subH, g.subV = v.ints[0], v.ints[1]
		} else {
			g.subH, g.subV = 2, 2
		}
		if g.subH == 3 || g.subV == 3 || g.subV > g.subH {
			return nil, FormatError("YCbCr subsampling out of range")
		}
		if (g.subH > 1 || g.subV > 1) && g.planar == 2 {
			return nil, fmt.Errorf("planar subsampled YCbCr: %w", ErrUnsupported)
		}
	}
	g.fillOrder, g.t4Options = get(tagFillOrder, 1), get(292, 0)
	if g.comp == compG3 || g.comp == compG4 {
		if len(g.bps) != 1 || g.bps[0] != 1 {
			return nil, FormatError("CCITT compression of more than one bit per pixel")
		}
	} else if g.fillOrder == 2 && g.comp != compNone {
		return nil, fmt.Errorf("reversed fill order with compression: %w", ErrUnsupported)
	}
	return g, nil
}

// jpegTables validates a JPEGTables value (an abbreviated JPEG
// table-specification stream: SOI, DQT/DHT/DRI segments, EOI; ITU-T T.81
// B.2.4) and returns it rebuilt from its table segments only, and whether
// it was exactly that. It returns nil when the value is not such a stream.
func jpegTables(b []byte) ([]byte, bool) {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return nil, false
	}
	out := []byte{0xFF, 0xD8}
	exact := true
	for p := 2; ; {
		if p+2 > len(b) || b[p] != 0xFF {
			return nil, false
		}
		mk := b[p+1]
		if mk == 0xD9 {
			out = append(out, 0xFF, 0xD9)
			return out, exact && p+2 == len(b)
		}
		if p+4 > len(b) {
			return nil, false
		}
		n := int(b[p+2])<<8 | int(b[p+3])
		if n < 2 || p+2+n > len(b) {
			return nil, false
		}
		seg := b[p+4 : p+2+n]
		switch {
		case mk == 0xDB && dqtOK(seg), mk == 0xC4 && dhtOK(seg), mk == 0xDD && len(seg) == 2:
			out = append(out, b[p:p+2+n]...)
		default:
			exact = false // any other segment (COM, APPn, ...) is dropped
		}
		p += 2 + n
	}
}

// dqtOK checks that a DQT payload is exactly a sequence of tables.
func dqtOK(s []byte) bool {
	for len(s) > 0 {
		n := 65
		if s[0]>>4 == 1 {
			n = 129
		} else if s[0]>>4 != 0 || s[0]&15 > 3 {
			return false
		}
		if len(s) < n {
			return false
		}
		s = s[n:]
	}
	return true
}

// dhtOK checks that a DHT payload is exactly a sequence of tables.
func dhtOK(s []byte) bool {
	for len(s) > 0 {
		if len(s) < 17 || s[0]>>4 > 1 || s[0]&15 > 3 {
			return false
		}
		n := 17
		for _, c := range s[1:17] {
			n += int(c)
		}
		if len(s) < n || n-17 > 256 {
			return false
		}
		s = s[n:]
	}
	return true
}
