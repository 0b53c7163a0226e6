package jpegtran

import "fmt"

// unzig[n] is the zig-zag index of natural index n.
var unzig = func() (u [64]uint8) {
	for i, n := range zigzag {
		u[n] = uint8(i)
	}
	return u
}()

// transform returns m turned by EXIF orientation o (2..8) in the
// coefficient domain, as jpegtran -rotate/-flip/-transpose do: blocks move,
// coefficients inside a block are transposed and/or change sign (a mirror
// negates the odd horizontal or vertical frequencies), and a transposition
// also transposes the quantization tables and swaps the sampling factors.
// An axis that is mirrored must hold whole MCUs, or the edge padding would
// move into the picture: then ErrUnsupported (the pixel path turns it).
func (m *image) transform(o int) (*image, error) {
	revX := o == 2 || o == 3 || o == 7 || o == 8
	revY := o == 3 || o == 4 || o == 6 || o == 7
	if revX && m.w%(8*m.hmax) != 0 || revY && m.h%(8*m.vmax) != 0 {
		return nil, fmt.Errorf("%w: orientation %d needs whole MCUs (%d×%d is not a multiple of %d×%d)",
			ErrUnsupported, o, m.w, m.h, 8*m.hmax, 8*m.vmax)
	}
	tr := o >= 5
	// For each destination zig-zag index: source zig-zag index and sign.
	var src [64]uint8
	var neg [64]bool
	for i := 0; i < 64; i++ {
		n := int(zigzag[i])
		r, c := n/8, n%8
		sr, sc := r, c
		if tr {
			sr, sc = c, r
		}
		src[i] = unzig[sr*8+sc]
		switch o {
		case 2, 6:
			neg[i] = c%2 == 1
		case 4, 8:
			neg[i] = r%2 == 1
		case 3, 7:
			neg[i] = (r+c)%2 == 1
		}
	}
	n := &image{w: m.w, h: m.h, precision: m.precision, hmax: m.hmax, vmax: m.vmax, mcux: m.mcux, mcuy: m.mcuy, sof: m.sof, scanned: true}
	if tr {
		n.w, n.h, n.hmax, n.vmax, n.mcux, n.mcuy = m.h, m.w, m.vmax, m.hmax, m.mcuy, m.mcux
	}
	for k, t := range m.dqt {
		if t == nil || !tr {
			n.dqt[k] = t
			continue
		}
		size := 1
		if t[0]>>4 == 1 {
			size = 2
		}
		nt := append([]byte{t[0]}, make([]byte, 64*size)...)
		for i := 0; i < 64; i++ {
			copy(nt[1+i*size:1+(i+1)*size], t[1+int(src[i])*size:1+(int(src[i])+1)*size])
		}
		n.dqt[k] = nt
	}
	for _, c := range m.comps {
		nc := component{id: c.id, h: c.h, v: c.v, tq: c.tq, bw: c.bw, bh: c.bh}
		if tr {
			nc.h, nc.v, nc.bw, nc.bh = c.v, c.h, c.bh, c.bw
		}
		nc.coef = make([]int16, len(c.coef))
		nc.last = make([]uint8, len(c.last))
		for y := 0; y < nc.bh; y++ {
			for x := 0; x < nc.bw; x++ {
				var sx, sy int
				switch o {
				case 2:
					sx, sy = c.bw-1-x, y
				case 3:
					sx, sy = c.bw-1-x, c.bh-1-y
				case 4:
					sx, sy = x, c.bh-1-y
				case 5:
					sx, sy = y, x
				case 6:
					sx, sy = y, c.bh-1-x
				case 7:
					sx, sy = c.bw-1-y, c.bh-1-x
				case 8:
					sx, sy = c.bw-1-y, x
				}
				sb := c.coef[(sy*c.bw+sx)*64:][:64]
				db := nc.coef[(y*nc.bw+x)*64:][:64]
				last := 0
				for i := 0; i < 64; i++ {
					v := sb[src[i]]
					if neg[i] {
						v = -v
					}
					db[i] = v
					if v != 0 && i > 0 {
						last = i
					}
				}
				nc.last[y*nc.bw+x] = uint8(last)
			}
		}
		n.comps = append(n.comps, nc)
	}
	return n, nil
}
