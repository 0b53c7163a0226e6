package jpegtran

import (
	"encoding/binary"
	"math/bits"
	"sort"
)

// tableOf is the Huffman table class a component's symbols use: 0 for the
// first component (luma), 1 for the others.
func tableOf(k int) int {
	if k == 0 {
		return 0
	}
	return 1
}

// walk calls f for every block in interleaved MCU order, with the zig-zag
// index of its last non-zero AC coefficient.
func (m *image) walk(f func(k int, blk []int16, last int)) {
	if m.symsOK && m.syms != nil {
		return // coded from the symbol stream
	}
	for my := 0; my < m.mcuy; my++ {
		for mx := 0; mx < m.mcux; mx++ {
			for k := range m.comps {
				c := &m.comps[k]
				for v := 0; v < int(c.v); v++ {
					for h := 0; h < int(c.h); h++ {
						b := (my*int(c.v)+v)*c.bw + mx*int(c.h) + h
						f(k, c.coef[b*64:b*64+64], int(c.last[b]))
					}
				}
			}
		}
	}
}

func category(v int32) (uint, uint32) {
	a := v
	if a < 0 {
		a = -a
		v--
	}
	n := uint(bits.Len32(uint32(a)))
	return n, uint32(v) & (1<<n - 1)
}

type huffEnc struct {
	code [256]uint16
	size [256]uint8
	bits [16]uint8 // counts of codes of length 1..16
	vals []byte
	lut  [256]uint32 // code<<8 | size
}

// optimal builds a code for the symbol frequencies freq (T.81 K.2, with
// the reserved all-ones code point as libjpeg does).
func optimal(freq *[257]int64) *huffEnc {
	var f [257]int64
	copy(f[:], freq[:])
	f[256] = 1
	empty := true
	for _, n := range freq[:256] {
		empty = empty && n == 0
	}
	if empty {
		f[0] = 1 // a table needs one code
	}
	var codesize [257]int
	var others [257]int
	for i := range others {
		others[i] = -1
	}
	for {
		c1, c2 := -1, -1
		var v1, v2 int64 = 1 << 62, 1 << 62
		for i := 0; i <= 256; i++ {
			if f[i] != 0 && f[i] <= v1 {
				v1, c1 = f[i], i
			}
		}
		for i := 0; i <= 256; i++ {
			if f[i] != 0 && f[i] <= v2 && i != c1 {
				v2, c2 = f[i], i
			}
		}
		if c2 < 0 {
			break
		}
		f[c1] += f[c2]
		f[c2] = 0
		codesize[c1]++
		for others[c1] >= 0 {
			c1 = others[c1]
			codesize[c1]++
		}
		others[c1] = c2
		codesize[c2]++
		for others[c2] >= 0 {
			c2 = others[c2]
			codesize[c2]++
		}
	}
	var count [33]int
	for i := 0; i <= 256; i++ {
		if codesize[i] > 0 {
			count[codesize[i]]++
		}
	}
	for i := 32; i > 16; i-- {
		for count[i] > 0 {
			j := i - 2
			for count[j] == 0 {
				j--
			}
			count[i] -= 2
			count[i-1]++
			count[j+1] += 2
			count[j]--
		}
	}
	i := 16
	for count[i] == 0 {
		i--
	}
	count[i]-- // drop the reserved code point
	e := &huffEnc{}
	for l := 1; l <= 16; l++ {
		e.bits[l-1] = uint8(count[l])
	}
	type sym struct{ size, v int }
	var syms []sym
	for v := 0; v < 256; v++ {
		if codesize[v] > 0 {
			syms = append(syms, sym{codesize[v], v})
		}
	}
	sort.Slice(syms, func(a, b int) bool {
		if syms[a].size != syms[b].size {
			return syms[a].size < syms[b].size
		}
		return syms[a].v < syms[b].v
	})
	// Assign lengths from the adjusted counts in size order.
	k := 0
	code := uint16(0)
	for l := 1; l <= 16; l++ {
		for n := 0; n < count[l]; n++ {
			v := syms[k].v
			e.vals = append(e.vals, byte(v))
			e.size[v] = uint8(l)
			e.code[v] = code
			code++
			k++
		}
		code <<= 1
	}
	e.pack()
	return e
}

// bitWriter writes entropy-coded bits MSB first with byte stuffing
// (T.81 F.1.2.3). Bits gather in a 64-bit word and leave 32 at a time;
// a word without a 0xFF byte is appended whole.
type bitWriter struct {
	out []byte
	acc uint64
	n   uint // bits in acc (at most 31 between calls)
}

// put appends the size low bits of code (size ≤ 32, code < 1<<size).
func (w *bitWriter) put(code uint32, size uint) {
	w.acc, w.n = addBits(w.acc, w.n, code, size)
	if w.n >= 32 {
		w.acc, w.n = w.spill(w.acc, w.n)
	}
}

// addBits appends the size low bits of code to the n bits in acc
// (n + size ≤ 64).
func addBits(acc uint64, n uint, code uint32, size uint) (uint64, uint) {
	return acc | uint64(code)<<(64-size-n), n + size
}

// spill writes the top 32 of the n ≥ 32 bits in acc to w.out, stuffing
// a zero after each 0xFF byte, and returns what is left. Hot loops keep
// acc and n in locals and call it when n reaches 32.
//
//go:noinline
func (w *bitWriter) spill(acc uint64, n uint) (uint64, uint) {
	v := uint32(acc >> 32)
	// A byte of v is 0xFF exactly when a byte of ^v is zero.
	if (^v-0x01010101)&v&0x80808080 == 0 {
		w.out = binary.BigEndian.AppendUint32(w.out, v)
	} else {
		for s := 24; s >= 0; s -= 8 {
			b := byte(v >> s)
			w.out = append(w.out, b)
			if b == 0xFF {
				w.out = append(w.out, 0)
			}
		}
	}
	return acc << 32, n - 32
}

// flush pads the last byte with ones and writes what is left.
func (w *bitWriter) flush() {
	if pad := (8 - w.n%8) % 8; pad > 0 {
		w.acc |= (uint64(1)<<pad - 1) << (64 - pad - w.n)
		w.n += pad
	}
	for w.n > 0 {
		b := byte(w.acc >> 56)
		w.out = append(w.out, b)
		if b == 0xFF {
			w.out = append(w.out, 0)
		}
		w.acc <<= 8
		w.n -= 8
	}
}

func (m *image) encode() []byte {
	ntab := 1
	if len(m.comps) > 1 {
		ntab = 2
	}
	var dcf, acf [2][257]int64
	var pred [4]int32
	fast := m.symsOK && m.syms != nil
	if fast {
		dcf[0], acf[0], dcf[1], acf[1] = m.freq[0], m.freq[1], m.freq[2], m.freq[3]
	}
	m.walk(func(k int, blk []int16, last int) {
		t := tableOf(k)
		s, _ := category(int32(blk[0]) - pred[k])
		pred[k] = int32(blk[0])
		dcf[t][s]++
		run := 0
		for i := 1; i <= last; i++ {
			v := blk[i]
			if v == 0 {
				run++
				continue
			}
			for run > 15 {
				acf[t][0xF0]++
				run -= 16
			}
			s, _ := category(int32(v))
			acf[t][run<<4|int(s)]++
			run = 0
		}
		// Zeros after the last coded value (last may point past them,
		// e.g. after a ZRL) are what the EOB says.
		if last < 63 || run > 0 {
			acf[t][0]++
		}
	})
	var dc, ac [2]*huffEnc
	for t := 0; t < ntab; t++ {
		dc[t], ac[t] = optimal(&dcf[t]), optimal(&acf[t])
	}
	w := &bitWriter{out: m.header(dc, ac, 1<<16)}
	if fast {
		tabs := [4]*huffEnc{dc[0], ac[0], dc[1], ac[1]}
		for _, r := range m.syms {
			e := tabs[r>>24]
			sym := byte(r >> 16)
			n := uint(sym & 15)
			if r>>24&1 == 0 {
				n = uint(sym) // DC: the symbol is the size
			}
			w.put(uint32(e.code[sym])<<n|r&0xFFFF, uint(e.size[sym])+n)
		}
		w.flush()
		return append(w.out, 0xFF, 0xD9)
	}
	pred = [4]int32{}
	m.walk(func(k int, blk []int16, last int) {
		t := tableOf(k)
		d, a := dc[t], ac[t]
		s, b := category(int32(blk[0]) - pred[k])
		pred[k] = int32(blk[0])
		w.put(uint32(d.code[s]), uint(d.size[s]))
		if s > 0 {
			w.put(b, s)
		}
		run := 0
		for i := 1; i <= last; i++ {
			v := blk[i]
			if v == 0 {
				run++
				continue
			}
			for run > 15 {
				w.put(uint32(a.code[0xF0]), uint(a.size[0xF0]))
				run -= 16
			}
			s, b := category(int32(v))
			rs := run<<4 | int(s)
			w.put(uint32(a.code[rs]), uint(a.size[rs]))
			w.put(b, s)
			run = 0
		}
		if last < 63 || run > 0 {
			w.put(uint32(a.code[0]), uint(a.size[0]))
		}
	})
	w.flush()
	return append(w.out, 0xFF, 0xD9)
}

// header returns SOI, DQT, SOF, DHT (tables dc, ac: one pair per table
// class) and SOS for m, in a buffer of capacity capHint.
func (m *image) header(dc, ac [2]*huffEnc, capHint int) []byte {
	ntab := 1
	if len(m.comps) > 1 {
		ntab = 2
	}
	out := make([]byte, 0, capHint)
	out = append(out, 0xFF, 0xD8)
	seg := func(marker byte, body []byte) {
		out = append(out, 0xFF, marker)
		out = binary.BigEndian.AppendUint16(out, uint16(len(body)+2))
		out = append(out, body...)
	}
	done := map[uint8]bool{}
	for _, c := range m.comps {
		if !done[c.tq] {
			done[c.tq] = true
			seg(0xDB, m.dqt[c.tq])
		}
	}
	sof := []byte{8}
	sof = binary.BigEndian.AppendUint16(sof, uint16(m.h))
	sof = binary.BigEndian.AppendUint16(sof, uint16(m.w))
	sof = append(sof, byte(len(m.comps)))
	for _, c := range m.comps {
		sof = append(sof, c.id, c.h<<4|c.v, c.tq)
	}
	marker := byte(0xC0)
	for _, t := range m.dqt {
		if len(t) > 0 && t[0]>>4 == 1 {
			marker = 0xC1 // 16-bit quantization tables: extended sequential
		}
	}
	seg(marker, sof)
	var dht []byte
	for t := 0; t < ntab; t++ {
		for cls, e := range []*huffEnc{dc[t], ac[t]} {
			dht = append(dht, byte(cls<<4|t))
			dht = append(dht, e.bits[:]...)
			dht = append(dht, e.vals...)
		}
	}
	seg(0xC4, dht)
	sos := []byte{byte(len(m.comps))}
	for k, c := range m.comps {
		t := byte(tableOf(k))
		sos = append(sos, c.id, t<<4|t)
	}
	sos = append(sos, 0, 63, 0)
	seg(0xDA, sos)
	return out
}
