package webpriff

// This file proves the extent of a VP8L bitstream (RFC 9649, "WebP
// Lossless Bitstream"): it decodes the transforms, the colour cache, the
// meta prefix codes, every prefix code and every pixel symbol (literals,
// colour cache indices and LZ77 backward references) to the last pixel.
// Sub-images (transform data, the entropy image) are decoded to values,
// since the entropy image selects the prefix code group of each pixel; the
// main image's values are never computed (no transform is applied).

const (
	vp8lMaxCacheBits = 11
	vp8lNumLength    = 24
	vp8lNumDistance  = 40
	vp8lRootBits     = 8
	// vp8lMaxTableBytes caps the memory of the prefix code tables of one
	// stream (a hostile stream can declare 65536 groups).
	vp8lMaxTableBytes = 64 << 20
)

// vp8lBits reads a VP8L bit stream LSB first and counts the bits consumed.
type vp8lBits struct {
	data []byte
	pos  int    // next byte to load
	acc  uint64 // loaded, unconsumed bits
	n    uint   // number of bits in acc
	bad  bool   // read past the end
}

func (b *vp8lBits) fill() {
	for b.n <= 56 && b.pos < len(b.data) {
		b.acc |= uint64(b.data[b.pos]) << b.n
		b.pos++
		b.n += 8
	}
}

// read returns the next n (<= 32) bits.
func (b *vp8lBits) read(n uint) uint32 {
	if b.n < n {
		b.fill()
		if b.n < n {
			b.bad = true
			b.acc, b.n = 0, 0
			return 0
		}
	}
	v := uint32(b.acc & (1<<n - 1))
	b.acc >>= n
	b.n -= n
	return v
}

// consumed returns the number of bits read so far.
func (b *vp8lBits) consumed() int { return b.pos*8 - int(b.n) }

var codeLengthOrder = [19]uint8{17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}

// vp8lDec decodes one VP8L stream.
type vp8lDec struct {
	b       vp8lBits
	lengths []uint8
	tables  int // bytes of prefix code tables allocated
}

// readCode reads one prefix code over an alphabet of size n (3.7.2.1).
func (d *vp8lDec) readCode(c *prefixCode, n int) error {
	if cap(d.lengths) < n {
		d.lengths = make([]uint8, n)
	}
	lens := d.lengths[:n]
	clear(lens)
	b := &d.b
	if b.read(1) == 1 { // simple code
		two := b.read(1) == 1
		s0 := int(b.read(uint(1 + 7*b.read(1))))
		if s0 >= n {
			return errVP8L("simple code symbol out of range")
		}
		lens[s0] = 1
		if two {
			s1 := int(b.read(8))
			if s1 >= n {
				return errVP8L("simple code symbol out of range")
			}
			lens[s1] = 1
		}
	} else {
		var cl [19]uint8
		k := 4 + int(b.read(4))
		for i := 0; i < k; i++ {
			cl[codeLengthOrder[i]] = uint8(b.read(3))
		}
		var clc prefixCode
		if err := clc.build(cl[:]); err != nil {
			return err
		}
		max := n
		if b.read(1) == 1 {
			nb := 2 + 2*b.read(3)
			max = 2 + int(b.read(uint(nb)))
			if max > n {
				return errVP8L("code length count exceeds the alphabet")
			}
		}
		prev := uint8(8)
		for s := 0; s < n && max > 0 && !b.bad; max-- {
			v := clc.decode(b)
			switch {
			case v < 16:
				lens[s] = uint8(v)
				s++
				if v != 0 {
					prev = uint8(v)
				}
			default:
				var rep int
				var val uint8
				switch v {
				case 16:
					rep, val = 3+int(b.read(2)), prev
				case 17:
					rep = 3 + int(b.read(3))
				default:
					rep = 11 + int(b.read(7))
				}
				if s+rep > n {
					return errVP8L("code lengths overflow the alphabet")
				}
				for ; rep > 0; rep-- {
					lens[s] = val
					s++
				}
			}
		}
	}
	if b.bad {
		return errVP8L("truncated prefix code")
	}
	return c.build(lens)
}

// group is the five prefix codes of one prefix code group.
type group [5]prefixCode

// readGroup reads one group; cache is the colour cache size.
func (d *vp8lDec) readGroup(g *group, cache int) error {
	for i, n := range [5]int{256 + vp8lNumLength + cache, 256, 256, 256, vp8lNumDistance} {
		if err := d.readCode(&g[i], n); err != nil {
			return err
		}
	}
	return nil
}

// zeroBit returns, for a group whose every symbol takes zero bits (one
// green symbol: a literal with one-symbol red, blue and alpha codes, a
// colour cache index, or a backward reference whose length and distance
// prefixes need no extra bits), the pixels each symbol covers and the
// distance code of a backward reference (0 otherwise). It returns 0 pixels
// for any other group.
func (g *group) zeroBit() (n, dcode int) {
	s := int(g[0].single)
	switch {
	case s < 0:
		return 0, 0
	case s < 256:
		if g[1].single >= 0 && g[2].single >= 0 && g[3].single >= 0 {
			return 1, 0
		}
	case s < 256+4:
		if d := int(g[4].single); d >= 0 && d < 4 {
			return s - 256 + 1, d + 1
		}
	case s >= 256+vp8lNumLength:
		return 1, 0
	}
	return 0, 0
}

func divRound(n, bits int) int { return (n + 1<<bits - 1) >> bits }

// prefixValue decodes an LZ77 length or distance from its prefix symbol.
func (d *vp8lDec) prefixValue(sym int) int {
	if sym < 4 {
		return sym + 1
	}
	extra := uint(sym-2) >> 1
	off := (2 + sym&1) << extra
	return off + int(d.b.read(extra)) + 1
}

// distance maps a distance code to a distance in pixels (4.2.2).
func (d *vp8lDec) distance(dc, w int) int {
	if dc > 120 {
		return dc - 120
	}
	v := int(distanceCodes[dc-1])
	return max((v>>4)*w+8-v&0xf, 1)
}

// image decodes one entropy-coded image of w×h pixels. level0 is the main
// image (or the ALPH stream): it has transforms and meta prefix codes and
// its values are not computed. Sub-images return their ARGB values.
func (d *vp8lDec) image(w, h int, level0 bool) ([]uint32, error) {
	b := &d.b
	if level0 {
		seen := 0
		for b.read(1) == 1 {
			t := b.read(2)
			if seen&(1<<t) != 0 {
				return nil, errVP8L("transform repeated")
			}
			seen |= 1 << t
			switch t {
			case 0, 1: // predictor, colour
				bits := int(b.read(3)) + 2
				if _, err := d.image(divRound(w, bits), divRound(h, bits), false); err != nil {
					return nil, err
				}
			case 3: // colour indexing
				n := int(b.read(8)) + 1
				if _, err := d.image(n, 1, false); err != nil {
					return nil, err
				}
				switch {
				case n <= 2:
					w = divRound(w, 3)
				case n <= 4:
					w = divRound(w, 2)
				case n <= 16:
					w = divRound(w, 1)
				}
			}
			if b.bad {
				return nil, errVP8L("truncated transform")
			}
		}
	}
	cacheBits := 0
	if b.read(1) == 1 {
		cacheBits = int(b.read(4))
		if cacheBits < 1 || cacheBits > vp8lMaxCacheBits {
			return nil, errVP8L("colour cache size out of range")
		}
	}
	cache := 0
	if cacheBits > 0 {
		cache = 1 << cacheBits
	}
	metaBits, ngroups := 0, 1
	var entropy []uint32
	ew := 0
	if level0 && b.read(1) == 1 {
		metaBits = int(b.read(3)) + 2
		ew = divRound(w, metaBits)
		var err error
		entropy, err = d.image(ew, divRound(h, metaBits), false)
		if err != nil {
			return nil, err
		}
		for i, v := range entropy {
			g := int(v>>8&0xffff) + 1
			ngroups = max(ngroups, g)
			entropy[i] = v >> 8 & 0xffff
		}
	}
	if b.bad {
		return nil, errVP8L("truncated image header")
	}
	per := 5 * (2<<vp8lRootBits + 2*(256+vp8lNumLength+cache))
	d.tables += ngroups * per
	if d.tables > vp8lMaxTableBytes {
		return nil, errVP8L("too many prefix code groups")
	}
	groups := make([]group, ngroups)
	type zb struct{ n, dcode int }
	trivial := make([]zb, ngroups)
	for i := range groups {
		if err := d.readGroup(&groups[i], cache); err != nil {
			return nil, err
		}
		trivial[i].n, trivial[i].dcode = groups[i].zeroBit()
	}
	var px []uint32
	var cc []uint32
	if !level0 {
		px = make([]uint32, w*h)
		if cache > 0 {
			cc = make([]uint32, cache)
		}
	}
	total := w * h
	mask := 0
	if metaBits > 0 {
		mask = 1<<metaBits - 1
	}
	x, y, pos := 0, 0, 0
	last := 0 // pixels inserted in the colour cache
	for pos < total {
		gi := 0
		if entropy != nil {
			gi = int(entropy[(y>>metaBits)*ew+x>>metaBits])
		}
		g := &groups[gi]
		if z := trivial[gi]; level0 && z.n > 0 {
			// Zero-bit symbols up to the end of the tile or row: the
			// values of the main image are not needed.
			n := w - x
			if mask != 0 {
				n = min(n, mask+1-x&mask)
			}
			n = (n + z.n - 1) / z.n * z.n
			if z.dcode > 0 && d.distance(z.dcode, w) > pos || n > total-pos && z.dcode > 0 {
				return nil, errVP8L("backward reference out of the image")
			}
			n = min(n, total-pos)
			pos += n
			x += n
			for x >= w {
				x -= w
				y++
			}
			continue
		}
		s := g[0].decode(b)
		switch {
		case s < 256:
			r := g[1].decode(b)
			bl := g[2].decode(b)
			a := g[3].decode(b)
			if px != nil {
				px[pos] = uint32(a)<<24 | uint32(r)<<16 | uint32(s)<<8 | uint32(bl)
			}
			pos++
			x++
		case s < 256+vp8lNumLength:
			length := d.prefixValue(s - 256)
			ds := g[4].decode(b)
			dist := d.distance(d.prefixValue(ds), w)
			if b.bad {
				return nil, errVP8L("truncated backward reference")
			}
			if dist > pos || length > total-pos {
				return nil, errVP8L("backward reference out of the image")
			}
			if px != nil {
				for i := 0; i < length; i++ {
					px[pos+i] = px[pos+i-dist]
				}
			}
			pos += length
			x += length
		default:
			if px != nil {
				for ; last < pos; last++ {
					v := px[last]
					cc[(0x1e35a7bd*v)>>(32-cacheBits)] = v
				}
				px[pos] = cc[s-256-vp8lNumLength]
			}
			pos++
			x++
		}
		if b.bad {
			return nil, errVP8L("truncated pixel data")
		}
		for x >= w {
			x -= w
			y++
		}
	}
	return px, nil
}

// vp8lStream is a decoded VP8L stream.
type vp8lStream struct {
	w, h  int
	alpha bool
	// end is the number of bytes the stream needs (its last bit included);
	// dirtyPad is set when the unused high bits of byte end-1 are not zero.
	end      int
	bits     int
	dirtyPad bool
}

// parseVP8L decodes a VP8L chunk payload (header included) to its end.
func parseVP8L(p []byte) (vp8lStream, error) {
	var s vp8lStream
	if len(p) < 5 || p[0] != 0x2f {
		return s, errVP8L("bad signature")
	}
	v := uint32(p[1]) | uint32(p[2])<<8 | uint32(p[3])<<16 | uint32(p[4])<<24
	if v>>29 != 0 {
		return s, errVP8L("unknown version")
	}
	s.w, s.h, s.alpha = 1+int(v&0x3fff), 1+int(v>>14&0x3fff), v>>28&1 == 1
	var err error
	s.end, s.dirtyPad, s.bits, err = decodeVP8LImage(p, 40, s.w, s.h)
	return s, err
}

// decodeVP8LImage decodes the image stream of a w×h image starting at bit
// skip of p and returns the number of bytes it needs.
func decodeVP8LImage(p []byte, skip uint, w, h int) (end int, dirtyPad bool, bits int, err error) {
	d := vp8lDec{b: vp8lBits{data: p}}
	d.b.read(skip)
	if _, err := d.image(w, h, true); err != nil {
		return 0, false, 0, err
	}
	if d.b.bad {
		return 0, false, 0, errVP8L("truncated")
	}
	bits = d.b.consumed()
	end = (bits + 7) / 8
	if end > len(p) || end == 0 {
		return 0, false, 0, errVP8L("stream end outside the chunk")
	}
	if r := bits % 8; r != 0 && p[end-1]>>r != 0 {
		dirtyPad = true
	}
	return end, dirtyPad, bits, nil
}
