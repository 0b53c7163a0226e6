package jpegtran

import "encoding/binary"

// bitReader reads entropy-coded bits with byte stuffing (T.81 F.1.2.3);
// at a marker it feeds zeros and remembers where the marker is.
type bitReader struct {
	data   []byte
	pos    int
	acc    uint64
	n      uint
	marker bool // a marker was reached
}

func (b *bitReader) fill() {
	if b.n <= 32 && !b.marker && b.pos+8 <= len(b.data) {
		// Whole bytes at once when the next eight hold no 0xFF (a byte
		// of w is 0xFF exactly when that byte of ^w is zero).
		w := binary.BigEndian.Uint64(b.data[b.pos:])
		if (^w-0x0101010101010101)&w&0x8080808080808080 == 0 {
			k := (64 - b.n) / 8 // 4..8 bytes
			b.acc |= w >> (64 - 8*k) << (64 - 8*k - b.n)
			b.n += 8 * k
			b.pos += int(k)
			return
		}
	}
	for b.n <= 56 {
		var c byte
		if b.marker || b.pos >= len(b.data) {
			c = 0
		} else {
			c = b.data[b.pos]
			if c == 0xFF {
				if b.pos+1 < len(b.data) && b.data[b.pos+1] == 0x00 {
					b.pos += 2
				} else {
					b.marker = true
					c = 0
				}
			} else {
				b.pos++
			}
		}
		b.acc |= uint64(c) << (56 - b.n)
		b.n += 8
	}
}

func (b *bitReader) bits(k uint) int32 {
	if k == 0 {
		return 0
	}
	if b.n < k {
		b.fill()
	}
	v := int32(b.acc >> (64 - k))
	b.acc <<= k
	b.n -= k
	return v
}

func (b *bitReader) decode(d *huffDec) (byte, bool) {
	if b.n < 16 {
		b.fill()
	}
	if e := d.look[b.acc>>(64-lookBits)]; e != 0 {
		l := uint(e >> 8)
		b.acc <<= l
		b.n -= l
		return byte(e), true
	}
	code := int32(0)
	for l := 1; l <= 16; l++ {
		code = code<<1 | int32(b.acc>>63)
		b.acc <<= 1
		b.n--
		if code <= d.maxcode[l] {
			return d.vals[d.valptr[l]+code-d.mincode[l]], true
		}
	}
	return 0, false
}

// extend is T.81 F.2.2.1 EXTEND.
func extend(v int32, s uint) int32 {
	if s == 0 {
		return 0
	}
	if v < 1<<(s-1) {
		return v - (1 << s) + 1
	}
	return v
}

// restart aligns to the byte after a RSTn marker.
func (b *bitReader) restart() bool {
	b.acc, b.n = 0, 0
	b.marker = false
	// Padding bits were consumed with their byte; skip fill bytes.
	for b.pos+1 < len(b.data) && b.data[b.pos] == 0xFF && b.data[b.pos+1] == 0xFF {
		b.pos++
	}
	if b.pos+1 < len(b.data) && b.data[b.pos] == 0xFF && b.data[b.pos+1] >= 0xD0 && b.data[b.pos+1] <= 0xD7 {
		b.pos += 2
		return true
	}
	return false
}

// scan decodes the scan whose header is hdr and whose entropy-coded data
// starts at data[at]; it returns the offset of the marker after it.
func (m *image) scan(data []byte, at int, hdr []byte) (int, error) {
	if m.comps == nil || len(hdr) < 1 {
		return 0, errAt("scan:1")
	}
	ns := int(hdr[0])
	if ns < 1 || ns > 4 || len(hdr) != 1+2*ns+3 {
		return 0, errAt("scan:2")
	}
	ss, se, ahal := hdr[1+2*ns], hdr[2+2*ns], hdr[3+2*ns]
	if ss != 0 || se != 63 || ahal != 0 {
		return 0, errAt("scan:3")
	}
	var cs []*component
	for k := 0; k < ns; k++ {
		id, t := hdr[1+2*k], hdr[2+2*k]
		var c *component
		for j := range m.comps {
			if m.comps[j].id == id {
				c = &m.comps[j]
			}
		}
		if c == nil || t>>4 > 3 || t&15 > 3 || m.dc[t>>4] == nil || m.ac[t&15] == nil {
			return 0, errAt("scan:4")
		}
		c.td, c.ta = t>>4, t&15
		cs = append(cs, c)
	}
	br := &bitReader{data: data, pos: at}
	var pred [4]int32
	// Record the symbol stream when this can be the only scan and its
	// order is the output's.
	rec := !m.scanned && m.ri == 0 && ns == len(m.comps) && !m.noSyms
	m.symsOK = rec
	if rec && m.syms == nil {
		m.syms = make([]uint32, 0, 2*(len(data)-at)) // about 2 symbols a byte at q90
	}
	var pb pixBlock // a block on its way to pixels
	pixels := m.noSyms
	if pixels {
		for _, c := range cs {
			if m.dqt[c.tq] == nil {
				return 0, errAt("scan:9")
			}
			c.dq = transposedOrder(m.dequant(c.tq))
			c.scanned = true
		}
	}
	block := func(c *component, k int, p *int32) bool {
		var blk *[64]int16
		if !pixels {
			blk = (*[64]int16)(c.coef[k*64 : k*64+64])
		}
		s, ok := br.decode(m.dc[c.td])
		if !ok || s > 11 {
			return false
		}
		x := br.bits(uint(s))
		*p += extend(x, uint(s))
		if pixels {
			pb.c[0] = *p
		} else {
			blk[0] = int16(*p)
		}
		cls := uint32(tableOf(c.k) * 2)
		if rec {
			m.syms = append(m.syms, cls<<24|uint32(s)<<16|uint32(x))
			m.freq[cls][s]++
		}
		ac := m.ac[c.ta]
		last := 0
		// The bit buffer lives in locals through the fast path.
		acc, n := br.acc, br.n
		for i := 1; i < 64; {
			if n < 32 {
				br.acc, br.n = acc, n
				br.fill()
				acc, n = br.acc, br.n
			}
			if e := ac.fast[acc>>(64-lookBits)]; e != 0 {
				// Code and extra bits in one lookup.
				i += int(e >> 12 & 15)
				if i > 63 {
					return false
				}
				l := uint(e & 0xFF)
				acc <<= l
				n -= l
				v := e >> 16
				if pixels {
					pb.c[zigzagT[i&63]] = v
				} else {
					blk[i] = int16(v)
				}
				last = i
				i++
				if rec {
					// The extra bits back from the value (T.81 F.1.2.1:
					// a negative value is sent as value-1 in size bits).
					rs := uint32(e>>8) & 0xFF
					x := uint32(v+v>>31) & (1<<(rs&15) - 1)
					m.syms = append(m.syms, (cls+1)<<24|rs<<16|x)
					m.freq[cls+1][rs]++
				}
				continue
			}
			br.acc, br.n = acc, n
			rs, ok := br.decode(ac)
			if !ok {
				return false
			}
			r, s := int(rs>>4), uint(rs&15)
			if s == 0 {
				if r != 15 {
					// Any r/0 but ZRL ends the block (libjpeg and Go read
					// it so): record it as the EOB it means, so the output
					// never carries an undefined symbol.
					rs = 0
				}
				if rec {
					m.syms = append(m.syms, (cls+1)<<24|uint32(rs)<<16)
					m.freq[cls+1][rs]++
				}
				acc, n = br.acc, br.n
				if r != 15 {
					break
				}
				i += 16
				continue
			}
			i += r
			if i > 63 || s > 10 {
				return false
			}
			x := br.bits(s)
			acc, n = br.acc, br.n
			if rec {
				m.syms = append(m.syms, (cls+1)<<24|uint32(rs)<<16|uint32(x))
				m.freq[cls+1][rs]++
			}
			if v := extend(x, s); pixels {
				pb.c[zigzagT[i&63]] = v
			} else {
				blk[i] = int16(v)
			}
			last = i
			i++
		}
		br.acc, br.n = acc, n
		if pixels {
			bw := c.bw * 8
			pb.put(c.pix[(k/c.bw)*8*bw+(k%c.bw)*8:], bw, last, &c.dq)
			return true
		}
		c.last[k] = uint8(last)
		return true
	}
	// Units in scan order: MCUs when interleaved, the component's own
	// blocks (only those inside the image) when not.
	var units, perRow int
	if ns == 1 {
		c := cs[0]
		cw := (m.w*int(c.h) + m.hmax - 1) / m.hmax
		ch := (m.h*int(c.v) + m.vmax - 1) / m.vmax
		perRow = (cw + 7) / 8
		units = perRow * ((ch + 7) / 8)
	} else {
		perRow = m.mcux
		units = m.mcux * m.mcuy
	}
	for u := 0; u < units; u++ {
		if m.ri > 0 && u > 0 && u%m.ri == 0 {
			if !br.restart() {
				return 0, errAt("scan:5")
			}
			pred = [4]int32{}
		}
		ux, uy := u%perRow, u/perRow
		if ns == 1 {
			c := cs[0]
			if !block(c, uy*c.bw+ux, &pred[0]) {
				return 0, errAt("scan:6")
			}
			continue
		}
		for k, c := range cs {
			for v := 0; v < int(c.v); v++ {
				for h := 0; h < int(c.h); h++ {
					if !block(c, (uy*int(c.v)+v)*c.bw+ux*int(c.h)+h, &pred[k]) {
						return 0, errAt("scan:7")
					}
				}
			}
		}
	}
	// Skip to the next marker (not RSTn, not a stuffed 0xFF00).
	p := br.pos
	for p+1 < len(data) {
		if data[p] == 0xFF && data[p+1] != 0x00 && (data[p+1] < 0xD0 || data[p+1] > 0xD7) && data[p+1] != 0xFF {
			return p, nil
		}
		p++
	}
	return 0, errAt("scan:8")
}
