package webpriff

// prefixCode is one canonical prefix code (RFC 9649 3.7.2).
type prefixCode struct {
	single int32 // >= 0: the only symbol, coded with zero bits
	table  [1 << vp8lRootBits]uint16
	counts [16]uint16
	syms   []uint16 // symbols sorted by code length, then value
}

// errVP8L is the error of a malformed VP8L stream.
func errVP8L(what string) error { return FormatError("VP8L: " + what) }

// build builds the code from code lengths; it fails unless exactly one
// symbol has a length or the lengths form a complete code.
func (c *prefixCode) build(lengths []uint8) error {
	c.single = -1
	c.counts = [16]uint16{}
	nz, last := 0, 0
	for s, l := range lengths {
		if l > 0 {
			c.counts[l]++
			nz++
			last = s
		}
	}
	if nz == 0 {
		return errVP8L("empty prefix code")
	}
	if nz == 1 {
		c.single = int32(last)
		return nil
	}
	left := 1
	for l := 1; l < 16; l++ {
		left = left<<1 - int(c.counts[l])
		if left < 0 {
			return errVP8L("over-subscribed prefix code")
		}
	}
	if left != 0 {
		return errVP8L("incomplete prefix code")
	}
	var offs [16]int
	for l := 1; l < 15; l++ {
		offs[l+1] = offs[l] + int(c.counts[l])
	}
	c.syms = c.syms[:0]
	if cap(c.syms) < nz {
		c.syms = make([]uint16, nz)
	}
	c.syms = c.syms[:nz]
	for s, l := range lengths {
		if l > 0 {
			c.syms[offs[l]] = uint16(s)
			offs[l]++
		}
	}
	c.table = [1 << vp8lRootBits]uint16{}
	code, i := 0, 0
	for l := 1; l <= vp8lRootBits; l++ {
		for k := 0; k < int(c.counts[l]); k++ {
			r := reverse(code, l)
			e := uint16(l)<<12 | c.syms[i]
			for j := r; j < 1<<vp8lRootBits; j += 1 << l {
				c.table[j] = e
			}
			code++
			i++
		}
		code <<= 1
	}
	return nil
}

func reverse(code, n int) int {
	r := 0
	for i := 0; i < n; i++ {
		r = r<<1 | code>>i&1
	}
	return r
}

// decode reads one symbol.
func (c *prefixCode) decode(b *vp8lBits) int {
	if c.single >= 0 {
		return int(c.single)
	}
	if b.n < 15 {
		b.fill()
	}
	if e := c.table[b.acc&(1<<vp8lRootBits-1)]; e != 0 {
		l := uint(e >> 12)
		if l > b.n {
			b.bad = true
			return 0
		}
		b.acc >>= l
		b.n -= l
		return int(e & 0xfff)
	}
	code, first, index := 0, 0, 0
	for l := 1; l < 16; l++ {
		code |= int(b.read(1))
		if b.bad {
			return 0
		}
		n := int(c.counts[l])
		if code-first < n {
			return int(c.syms[index+code-first])
		}
		index += n
		first = (first + n) << 1
		code <<= 1
	}
	b.bad = true
	return 0
}
