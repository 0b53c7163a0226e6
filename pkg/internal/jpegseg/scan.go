package jpegseg

import (
	"encoding/binary"
)

// The scan proof: Huffman decoding of every block of a scan (T.81 F.2.2,
// G.2 for the progressive procedures), without dequantisation or IDCT. It
// yields, for each restart interval, how many bytes of entropy-coded data
// the decoder consumed: the bytes after that up to the next marker are
// slack.

// bitReader reads the entropy-coded bits of one restart interval from
// data[pos:]. acc holds n valid bits in its low bits (next bit highest);
// once a marker (0xFF followed by anything but 0x00) or the end of data is
// reached it feeds zero bits and counts them in virt, so decoding past the
// data is detected, never read.
type bitReader struct {
	data   []byte
	start  int // first byte of the interval
	pos    int
	acc    uint64
	n      uint
	virt   uint
	stuck  bool // a marker or the end of data was reached
	blocks int  // work counter (bounded per file)
}

func (r *bitReader) reset(pos int) {
	r.start, r.pos, r.acc, r.n, r.virt, r.stuck = pos, pos, 0, 0, 0, false
}

// fill tops the buffer up to more than 56 bits.
func (r *bitReader) fill() {
	for r.n <= 56 {
		if !r.stuck && r.pos+8 <= len(r.data) {
			x := binary.BigEndian.Uint64(r.data[r.pos:])
			// No 0xFF among the 8 bytes: take as many as fit.
			v := ^x
			if (v-0x0101010101010101)&^v&0x8080808080808080 == 0 {
				k := (64 - r.n) >> 3
				r.acc = r.acc<<(8*k) | x>>(64-8*k)
				r.n += 8 * k
				r.pos += int(k)
				continue
			}
		}
		if r.stuck || r.pos >= len(r.data) {
			r.stuck = true
			r.acc <<= 8
			r.n += 8
			r.virt += 8
			continue
		}
		b := r.data[r.pos]
		if b == 0xFF {
			if r.pos+1 < len(r.data) && r.data[r.pos+1] == 0 {
				r.pos += 2
			} else {
				r.stuck = true
				continue
			}
		} else {
			r.pos++
		}
		r.acc = r.acc<<8 | uint64(b)
		r.n += 8
	}
}

// out reports whether decoding consumed bits beyond the data.
func (r *bitReader) out() bool { return r.n < r.virt }

// bits returns the next k (≤ 16) bits; the caller has filled the buffer.
func (r *bitReader) bits(k uint) uint32 {
	if r.n < 32 {
		r.fill()
	}
	r.n -= k
	return uint32(r.acc>>r.n) & (1<<k - 1)
}

// skip consumes n bits.
func (r *bitReader) skip(n int) {
	for n > 0 {
		if r.n < 32 {
			r.fill()
		}
		c := uint(min(n, 32))
		r.n -= c
		n -= int(c)
	}
}

// decode returns the next Huffman-coded value of t.
func (r *bitReader) decode(t *huffTable) (int, error) {
	if r.n < 32 {
		r.fill()
	}
	e := t.look[(r.acc>>(r.n-lookBits))&(1<<lookBits-1)]
	if e != 0 {
		r.n -= uint(e >> 8)
		return int(e & 0xFF), nil
	}
	for l := uint(lookBits + 1); l <= 16; l++ {
		code := int32((r.acc >> (r.n - l)) & (1<<l - 1))
		if code <= t.maxcode[l] {
			r.n -= l
			return int(t.vals[t.valptr[l]+code-t.mincode[l]]), nil
		}
	}
	return 0, FormatError("bad Huffman code in scan data")
}

// end returns the offset just past the last byte the decoder consumed in
// the current interval (a stuffed 0x00 belongs to its 0xFF) and whether
// the data ran out first.
func (r *bitReader) end() (int, bool) {
	if r.out() {
		return r.pos, true
	}
	pos := r.pos
	for i := (r.n - r.virt) >> 3; i > 0 && pos > r.start; i-- {
		if pos-2 >= r.start && r.data[pos-1] == 0 && r.data[pos-2] == 0xFF {
			pos -= 2
		} else {
			pos--
		}
	}
	return pos, false
}

// nextMarker returns the offset of the marker at or after pos (the last
// 0xFF before a code other than 0x00 and 0xFF) and its code, or -1.
func nextMarker(data []byte, pos int) (int, byte) {
	for i := pos; i+1 < len(data); i++ {
		if data[i] == 0xFF && data[i+1] != 0 && data[i+1] != 0xFF {
			return i, data[i+1]
		}
	}
	return -1, 0
}
