package tifffile

// LZW proof (TIFF 6.0 Section 13). The decoder below tracks only the
// length of every table entry, never the strings themselves, so it proves
// how many bytes a strip decodes to, and where its EOI code ends, without
// producing the pixels: its cost is one table update per code.
//
// Two bit orders exist, as in libtiff's tif_lzw.c: the TIFF 6.0 form
// (codes packed most significant bit first, the code width grows one code
// early, at 511, 1023 and 2047) and the "old-style" form written by
// pre-6.0 libtiff (least significant bit first, the width grows at 512,
// 1024, 2048), recognised as libtiff does by a first byte of 0 and a low
// bit set in the second byte.

const (
	lzwClear = 256
	lzwEOI   = 257
	lzwFirst = 258
	// lzwTable is the size of libtiff's decoding table (CSIZE): entries
	// past 4095 can be created but never referenced by a 12-bit code.
	lzwTable = 4096 + 1024
	// lzwExcess is how many decoded bytes past the strip's size are
	// accepted before EOI (ExifTool's t/images/ExifTool.tif has one).
	lzwExcess = 1
)

// proveLZW decodes the LZW strip data until its EOI code and returns the
// number of bytes up to and including the byte holding the EOI code's last
// bit. The strip must decode to raw bytes, or to at most lzwExcess more
// (some real encoders write one byte too many; decoders drop it). A strip whose data ends without an EOI code, after
// producing raw bytes, is proven to its end (libtiff accepts it).
// lens is scratch space reused across strips: entries at and past
// lzwFirst are always written before they are read.
func proveLZW(data []byte, raw uint64, lens *[lzwTable]uint32) (int, error) {
	old := len(data) >= 2 && data[0] == 0 && data[1]&1 == 1
	for i := range 256 {
		lens[i] = 1
	}
	var (
		bitPos  uint64 // bits consumed
		nBits   uint   = 9
		free    uint32 = lzwFirst
		prev    int32  = -1
		out     uint64
		total   = uint64(len(data)) * 8
		acc     uint64 // bit accumulator
		accBits uint
		next    int // next byte to load
	)
	growAt := uint32(511) // new style: width grows one code early
	if old {
		growAt = 512
	}
	for {
		if total-bitPos < uint64(nBits) {
			if out >= raw {
				return len(data), nil
			}
			return 0, FormatError("LZW strip ends before its EOI code")
		}
		for accBits < nBits {
			b := uint64(data[next])
			next++
			if old {
				acc |= b << accBits
			} else {
				acc = acc<<8 | b
			}
			accBits += 8
		}
		var code uint32
		if old {
			code = uint32(acc & (1<<nBits - 1))
			acc >>= nBits
		} else {
			code = uint32(acc>>(accBits-nBits)) & (1<<nBits - 1)
			acc &= 1<<(accBits-nBits) - 1
		}
		accBits -= nBits
		bitPos += uint64(nBits)
		switch {
		case code == lzwEOI:
			if out < raw {
				return 0, FormatError("LZW strip decodes to " + u64(out) + " bytes, geometry needs " + u64(raw))
			}
			return int((bitPos + 7) / 8), nil
		case code == lzwClear:
			nBits, free, prev = 9, lzwFirst, -1
			if old {
				growAt = 512
			} else {
				growAt = 511
			}
			continue
		case prev < 0:
			if code > lzwClear {
				return 0, FormatError("LZW code before the table is built")
			}
			out++
			prev = int32(code)
		default:
			if code > free || (code == free && free >= lzwTable) {
				return 0, FormatError("LZW code not in the table")
			}
			if free < lzwTable {
				lens[free] = lens[prev] + 1
				free++
			}
			out += uint64(lens[code])
			prev = int32(code)
			if free >= growAt && nBits < 12 {
				nBits++
				growAt = growAt<<1 | 1
				if old {
					growAt = 1 << nBits
				}
			}
		}
		if out > raw+lzwExcess {
			return 0, FormatError("LZW strip decodes past its size, geometry needs " + u64(raw))
		}
	}
}
