package jpegseg

import (
	"encoding/binary"
	"math/bits"
)

// maxWork bounds the blocks the proof visits in one file (a hostile
// progressive file can repeat end-of-band runs over a large frame in many
// scans); real photos stay far below it.
const maxWork = 1 << 26

// span is a byte range [off, end) of the input.
type span struct{ off, end int }

// scanResult is what the proof of one scan yields.
type scanResult struct {
	coded  []span // entropy-coded data consumed, per restart interval
	rst    []int  // offsets of the RSTn markers between intervals
	slack  []span // bytes after an interval's data up to the next marker
	ranOut bool   // the data ended before the scan's last MCU
}

// scanDecoder decodes one scan.
type scanDecoder struct {
	br     bitReader
	f      *frame
	h      *scanHeader
	dc, ac [4]*huffTable // by scan component
	masks  [][]uint64    // per frame component: nonzero-history of each block (progressive)
	eobrun int
	maxDC  int
	maxAC  int
	work   *int
}

var errCoefIndex = FormatError("coefficient index out of range in scan data")

// decodeScan proves the scan whose entropy-coded data starts at start and
// ends at the marker at end (or the end of data); ri is the restart
// interval in MCUs (0: none).
func (d *scanDecoder) decodeScan(data []byte, start, end, ri int) (*scanResult, error) {
	d.br.data = data[:end]
	d.maxDC, d.maxAC = 11, 10
	if d.f.precision == 12 {
		d.maxDC, d.maxAC = 15, 14
	}
	h, f := d.h, d.f
	interleaved := len(h.comps) > 1
	total := f.mcusX * f.mcusY
	if !interleaved {
		c := &f.comps[h.comps[0].ci]
		total = c.cw * c.ch
	}
	if ri <= 0 || ri > total {
		ri = total
	}
	res := &scanResult{}
	pos, m := start, 0
	for k := 0; ; k++ {
		d.br.reset(pos)
		d.eobrun = 0
		iend := m + ri
		if iend > total {
			iend = total
		}
		var err error
		if interleaved {
			m, err = d.interleaved(m, iend)
		} else {
			m, err = d.single(m, iend)
		}
		if err != nil && !d.br.out() {
			return nil, err
		}
		e, out := d.br.end()
		res.coded = append(res.coded, span{pos, e})
		if out || err != nil {
			res.ranOut = true
		}
		if iend >= total {
			res.slack = append(res.slack, span{e, end})
			return res, nil
		}
		m = iend
		mk, code := nextMarker(d.br.data, e)
		if mk < 0 {
			// The data ends before the next restart marker.
			res.ranOut = true
			res.slack = append(res.slack, span{e, end})
			return res, nil
		}
		if code != byte(0xD0+k%8) {
			return nil, FormatError("restart marker missing or out of sequence")
		}
		res.slack = append(res.slack, span{e, mk})
		res.rst = append(res.rst, mk)
		pos = mk + 2
	}
}

// interleaved decodes MCUs m..iend-1 of an interleaved scan (baseline or
// progressive DC) and returns the next MCU.
func (d *scanDecoder) interleaved(m, iend int) (int, error) {
	if !d.f.progressive && d.maxDC == 11 {
		// Sequential 8-bit: the tables of each block of the MCU, resolved
		// once.
		var tabs [40]*huffTable
		nb := 0
		for i, sc := range d.h.comps {
			c := &d.f.comps[sc.ci]
			for b := c.h * c.v; b > 0 && nb < 20; b-- {
				tabs[2*nb], tabs[2*nb+1] = d.dc[i], d.ac[i]
				nb++
			}
		}
		for ; m < iend; m++ {
			for b := 0; b < 2*nb; b += 2 {
				if err := d.baseline(tabs[b], tabs[b+1]); err != nil {
					return m, err
				}
			}
			if d.br.out() {
				return m, nil
			}
		}
		return m, nil
	}
	for ; m < iend; m++ {
		for i, sc := range d.h.comps {
			c := &d.f.comps[sc.ci]
			for b := c.h * c.v; b > 0; b-- {
				if err := d.block(i, nil); err != nil {
					return m, err
				}
			}
		}
		if d.br.out() {
			return m, nil
		}
	}
	return m, nil
}

// single decodes blocks m..iend-1 of a non-interleaved scan.
func (d *scanDecoder) single(m, iend int) (int, error) {
	sc := d.h.comps[0]
	c := &d.f.comps[sc.ci]
	var mask []uint64
	if d.f.progressive && d.h.ss > 0 {
		mask = d.masks[sc.ci]
		*d.work += iend - m
		if *d.work > maxWork {
			return m, FormatError("scan data needs too much work to prove")
		}
	}
	for ; m < iend; m++ {
		if mask != nil && d.h.ah == 0 && d.eobrun > 0 {
			// End-of-band run over whole blocks: nothing to read.
			k := min(d.eobrun, iend-m)
			d.eobrun -= k
			m += k - 1
			continue
		}
		var p *uint64
		if mask != nil {
			p = &mask[(m/c.cw)*c.bw+m%c.cw]
		}
		if err := d.block(0, p); err != nil {
			return m, err
		}
		if d.br.out() {
			return m, nil
		}
	}
	return m, nil
}

// block decodes one block of scan component i; p is its history mask in
// progressive AC scans.
func (d *scanDecoder) block(i int, p *uint64) error {
	h := d.h
	br := &d.br
	switch {
	case !d.f.progressive && d.maxDC == 11:
		return d.baseline(d.dc[i], d.ac[i])
	case !d.f.progressive:
		s, err := br.decode(d.dc[i])
		if err != nil {
			return err
		}
		if s > d.maxDC {
			return errCoefIndex
		}
		br.bits(uint(s))
		ac := d.ac[i]
		for k := 1; k < 64; {
			if br.n < 32 {
				br.fill()
			}
			var rs int
			if e := ac.look[(br.acc>>(br.n-lookBits))&(1<<lookBits-1)]; e != 0 {
				br.n -= uint(e >> 8)
				rs = int(e & 0xFF)
			} else if rs, err = br.decode(ac); err != nil {
				return err
			}
			r, s := rs>>4, rs&15
			if s == 0 {
				if r == 15 {
					k += 16
					continue
				}
				if r != 0 {
					return FormatError("bad run-length code in scan data")
				}
				break
			}
			k += r
			if k > 63 || s > d.maxAC {
				return errCoefIndex
			}
			br.n -= uint(s) // the buffer holds ≥ 16 bits after a code
			k++
		}
		return nil
	case h.ss == 0 && h.ah == 0:
		if br.n < 32 {
			br.fill()
		}
		if e := d.dc[i].fast[(br.acc>>(br.n-lookBits))&(1<<lookBits-1)]; e != 0 && d.maxDC == 11 {
			br.n -= uint(e)
			return nil
		}
		s, err := br.decode(d.dc[i])
		if err != nil {
			return err
		}
		if s > d.maxDC {
			return errCoefIndex
		}
		br.bits(uint(s))
		return nil
	case h.ss == 0:
		br.bits(1)
		return nil
	case h.ah == 0 && d.maxAC == 10:
		return d.acFirstFast(p)
	case h.ah == 0:
		return d.acFirst(p)
	}
	return d.acRefine(p)
}

// baseline decodes one block of an 8-bit sequential scan with the fast
// tables, keeping the bit buffer in locals.
func (d *scanDecoder) baseline(dc, ac *huffTable) error {
	br := &d.br
	acc, n := br.acc, br.n
	if n < 32 {
		br.fill()
		acc, n = br.acc, br.n
	}
	if e := dc.fast[(acc>>(n-lookBits))&(1<<lookBits-1)]; e != 0 {
		n -= uint(e)
	} else {
		br.n = n
		s, err := br.decode(dc)
		if err != nil {
			return err
		}
		if s > 11 {
			return errCoefIndex
		}
		br.bits(uint(s))
		acc, n = br.acc, br.n
	}
	data := br.data
	for k := 1; k < 64; {
		if n < 32 {
			// Inline refill when the next 8 bytes hold no 0xFF.
			p := br.pos
			if x := uint64(0); !br.stuck && p+8 <= len(data) {
				x = binary.BigEndian.Uint64(data[p:])
				if v := ^x; (v-0x0101010101010101)&^v&0x8080808080808080 == 0 {
					b := (64 - n) >> 3
					acc = acc<<(8*b) | x>>(64-8*b)
					n += 8 * b
					br.pos = p + int(b)
				}
			}
			if n < 32 {
				br.acc, br.n = acc, n
				br.fill()
				acc, n = br.acc, br.n
			}
		}
		e := ac.fast[(acc>>(n-lookBits))&(1<<lookBits-1)]
		if e != 0 {
			n -= uint(e & 31)
			k += int(e>>5) & 127
			if e&fastValue != 0 && k > 64 {
				br.acc, br.n = acc, n
				return errCoefIndex
			}
			continue
		}
		br.acc, br.n = acc, n
		rs, err := br.decode(ac)
		if err != nil {
			return err
		}
		r, s := rs>>4, rs&15
		switch {
		case s == 0 && r == 15:
			k += 16
		case s == 0 && r == 0:
			k = 64
		case s == 0:
			return FormatError("bad run-length code in scan data")
		default:
			k += r
			if k > 63 || s > 10 {
				return errCoefIndex
			}
			br.bits(uint(s))
			k++
		}
		acc, n = br.acc, br.n
	}
	br.acc, br.n = acc, n
	return nil
}

// acFirstFast is acFirst with the fast table and the bit buffer in locals.
func (d *scanDecoder) acFirstFast(p *uint64) error {
	br := &d.br
	ac := d.ac[0]
	se := d.h.se
	acc, n := br.acc, br.n
	for k := d.h.ss; k <= se; {
		if n < 32 {
			br.n = n
			br.fill()
			acc, n = br.acc, br.n
		}
		e := ac.fast[(acc>>(n-lookBits))&(1<<lookBits-1)]
		if e == 0 {
			br.n = n
			rs, err := br.decode(ac)
			if err != nil {
				return err
			}
			r, s := rs>>4, rs&15
			switch {
			case s == 0 && r < 15:
				d.eobrun = 1<<r - 1
				if r > 0 {
					d.eobrun += int(br.bits(uint(r)))
				}
				return nil
			case s == 0:
				k += 16
			default:
				k += r
				if k > se || s > d.maxAC {
					return errCoefIndex
				}
				br.bits(uint(s))
				*p |= 1 << uint(k)
				k++
			}
			acc, n = br.acc, br.n
			continue
		}
		n -= uint(e & 31)
		if e&fastValue == 0 {
			k += int(e>>5) & 127
			continue
		}
		k += int(e>>5)&127 - 1
		if k > se {
			return errCoefIndex
		}
		*p |= 1 << uint(k)
		k++
	}
	br.n = n
	return nil
}

// acFirst decodes one block of an AC first scan (T.81 G.1.2.2).
func (d *scanDecoder) acFirst(p *uint64) error {
	br := &d.br
	for k := d.h.ss; k <= d.h.se; {
		rs, err := br.decode(d.ac[0])
		if err != nil {
			return err
		}
		r, s := rs>>4, rs&15
		if s == 0 {
			if r < 15 {
				d.eobrun = 1<<r - 1
				if r > 0 {
					d.eobrun += int(br.bits(uint(r)))
				}
				return nil
			}
			k += 16
			continue
		}
		k += r
		if k > d.h.se || s > d.maxAC {
			return errCoefIndex
		}
		br.bits(uint(s))
		*p |= 1 << uint(k)
		k++
	}
	return nil
}

// acRefine decodes one block of an AC refinement scan (T.81 G.1.2.3):
// a correction bit for every coefficient that is already nonzero, and
// the position of each newly nonzero one. The history mask finds each
// run's target coefficient and counts the correction bits on the way.
func (d *scanDecoder) acRefine(p *uint64) error {
	br := &d.br
	se := uint(d.h.se)
	k := uint(d.h.ss)
	mask := *p
	if d.eobrun == 0 {
		for k <= se {
			rs, err := br.decode(d.ac[0])
			if err != nil {
				return err
			}
			r, s := rs>>4, rs&15
			if s != 0 {
				if s != 1 {
					return FormatError("bad refinement code in scan data")
				}
				br.bits(1)
			} else if r != 15 {
				d.eobrun = 1 << r
				if r > 0 {
					d.eobrun += int(br.bits(uint(r)))
				}
				break
			}
			// The target is the (r+1)-th coefficient with no history at or
			// after k; each one with history before it has a correction bit.
			zeros := ^mask & bitRange(k, se)
			for ; r > 0 && zeros != 0; r-- {
				zeros &= zeros - 1
			}
			t := se + 1
			if zeros != 0 {
				t = uint(bits.TrailingZeros64(zeros))
			}
			if t > k {
				br.skip(bits.OnesCount64(mask & bitRange(k, t-1)))
			}
			k = t
			if s != 0 {
				if k > se {
					return errCoefIndex
				}
				mask |= 1 << k
			}
			k++
		}
	}
	if d.eobrun > 0 {
		if k <= se {
			br.skip(bits.OnesCount64(mask & bitRange(k, se)))
		}
		d.eobrun--
	}
	*p = mask
	return nil
}

// bitRange returns a mask of bits lo..hi (lo ≤ hi ≤ 63).
func bitRange(lo, hi uint) uint64 {
	return (^uint64(0) >> (63 - hi)) &^ (1<<lo - 1)
}
