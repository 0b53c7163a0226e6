package pngchunk

import (
	"encoding/binary"
)

// ihdr holds the parsed image header.
type ihdr struct {
	width, height uint32
	depth, color  byte
	interlace     byte
}

// channels per colour type (IHDR validation leaves only 0, 2, 3, 4, 6).
var channels = [7]uint64{0: 1, 2: 3, 3: 1, 4: 2, 6: 4}

// validDepth lists the bit depths allowed per colour type.
var validDepth = map[byte][]byte{0: {1, 2, 4, 8, 16}, 2: {8, 16}, 3: {1, 2, 4, 8}, 4: {8, 16}, 6: {8, 16}}

// parseIHDR validates an IHDR's 13 bytes.
func parseIHDR(d []byte) (ihdr, error) {
	if len(d) != 13 {
		return ihdr{}, FormatError("bad IHDR length")
	}
	h := ihdr{width: binary.BigEndian.Uint32(d), height: binary.BigEndian.Uint32(d[4:]),
		depth: d[8], color: d[9], interlace: d[12]}
	if h.width == 0 || h.height == 0 || h.width > maxChunkLen || h.height > maxChunkLen {
		return h, FormatError("bad IHDR dimensions")
	}
	ok := false
	for _, v := range validDepth[h.color] {
		ok = ok || v == h.depth
	}
	if !ok {
		return h, FormatError("bad IHDR colour type or bit depth")
	}
	if d[10] != 0 || d[11] != 0 || d[12] > 1 {
		return h, FormatError("bad IHDR compression, filter or interlace method")
	}
	return h, nil
}

func (h ihdr) bytes() []byte {
	d := binary.BigEndian.AppendUint32(nil, h.width)
	d = binary.BigEndian.AppendUint32(d, h.height)
	return append(d, h.depth, h.color, 0, 0, h.interlace)
}

func (h ihdr) bpp() uint64 { return channels[h.color] * uint64(h.depth) }

// geometry returns the scanline layout of a w×h image (frame) in h's
// pixel format.
func (h ihdr) geometry(w, ht uint32) geometry {
	return layout(uint64(w), uint64(ht), h.bpp(), h.interlace == 1)
}

// sampleMax is the largest sample value at h's bit depth (8 bits for a
// palette's entries).
func (h ihdr) sampleDepth() byte {
	if h.color == 3 {
		return 8
	}
	return h.depth
}

// keptSize returns the exact data size of a kept ancillary chunk type
// for this image (plte: palette entries), or -1 when the type is not
// allowed for it. tRNS of a palette image may be shorter (1..entries).
func (h ihdr) keptSize(typ string, plte int) int {
	switch typ {
	case "gAMA", "cICP":
		return 4
	case "cHRM":
		return 32
	case "sRGB":
		return 1
	case "pHYs":
		return 9
	case "mDCV":
		return 24
	case "cLLI", "acTL":
		return 8
	case "sBIT":
		return [7]int{1, 0, 3, 3, 2, 0, 4}[h.color]
	case "bKGD":
		return [7]int{2, 0, 6, 1, 2, 0, 6}[h.color]
	case "tRNS":
		switch h.color {
		case 0:
			return 2
		case 2:
			return 6
		case 3:
			return plte
		}
		return -1
	}
	return -1
}

// keptOrder lists the kept ancillary chunk types in the order a rebuild
// writes them (all before PLTE except tRNS and bKGD, which follow it).
var keptBeforePLTE = []string{"cHRM", "gAMA", "sRGB", "sBIT", "cICP", "mDCV", "cLLI"}
var keptAfterPLTE = []string{"tRNS", "bKGD", "pHYs"}

// validKept checks the values of a kept ancillary chunk's fields d (of
// exactly keptSize bytes; a palette tRNS may be shorter).
func (h ihdr) validKept(typ string, d []byte, plte int) bool {
	u16 := func(i int) uint32 { return uint32(binary.BigEndian.Uint16(d[i:])) }
	max16 := uint32(1)<<h.depth - 1
	switch typ {
	case "gAMA":
		return binary.BigEndian.Uint32(d) != 0
	case "sRGB":
		return d[0] <= 3
	case "pHYs":
		return d[8] <= 1
	case "cICP":
		return d[2] == 0 && d[3] <= 1 // RGB matrix only in PNG; full-range flag
	case "sBIT":
		for _, v := range d {
			if v == 0 || v > h.sampleDepth() {
				return false
			}
		}
		return true
	case "bKGD":
		if h.color == 3 {
			return int(d[0]) < plte
		}
		for i := 0; i < len(d); i += 2 {
			if u16(i) > max16 {
				return false
			}
		}
		return true
	case "tRNS":
		if h.color == 3 {
			return len(d) >= 1 && len(d) <= plte
		}
		for i := 0; i < len(d); i += 2 {
			if u16(i) > max16 {
				return false
			}
		}
		return true
	case "acTL":
		return binary.BigEndian.Uint32(d) >= 1 && binary.BigEndian.Uint32(d) <= maxChunkLen
	}
	return true // cHRM, mDCV, cLLI: any values
}

// validPLTE checks a palette's size for the image (n entries).
func (h ihdr) validPLTE(n int) bool {
	if n < 1 || n > 256 {
		return false
	}
	switch h.color {
	case 3:
		return n <= 1<<h.depth
	case 2, 6:
		return true
	}
	return false
}
