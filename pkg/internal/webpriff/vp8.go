package webpriff

import "math/bits"

// This file proves the extent of a VP8 key frame (RFC 6386): the frame
// tag and key-frame header, the frame header decoded with the boolean
// decoder (segmentation, loop filter, quantizers, token partition count,
// coefficient probability updates, skip probability), every macroblock's
// segment, skip flag and intra modes from the first partition, and every
// DCT token of the token partitions with the contexts the token trees need.
// Nothing is reconstructed (no dequantization, IDCT or prediction).
//
// What a partition consumed: the boolean decoder compares an 8-bit window
// of the stream, which starts at bit S (the number of normalization shifts
// so far), with the split; a decision therefore depends on bits [0, S+8)
// only. The bytes a partition needs are ceil((S+8)/8) with S taken at its
// last decision: exactly what a decoder that loads lazily (libwebp,
// golang.org/x/image/vp8) reads. The bytes after that are slack.

// boolDec is the boolean decoder of RFC 6386 section 7.
type boolDec struct {
	data  []byte
	pos   int    // next byte to load (past the end: zeros, see need)
	value uint64 // nbits valid bits; the top 8 are the comparison window
	nbits int
	rng   uint32
	// lastN is 1 + the normalization shift after the last decision, 0
	// before any decision. The shifts before the last decision are
	// 8*pos - nbits - (lastN-1).
	lastN int
}

func newBoolDec(p []byte) *boolDec {
	return &boolDec{data: p, rng: 255}
}

//go:noinline
func (d *boolDec) load() {
	for d.nbits <= 56 {
		var c byte
		if d.pos < len(d.data) {
			c = d.data[d.pos]
		}
		d.pos++
		d.value = d.value<<8 | uint64(c)
		d.nbits += 8
	}
}

// bit decodes one boolean whose probability of being 0 is prob/256.
func (d *boolDec) bit(prob uint8) bool {
	if d.nbits < 8 {
		d.load()
	}
	split := 1 + ((d.rng-1)*uint32(prob))>>8
	sh := uint(d.nbits-8) & 63
	r := uint32(d.value>>sh) >= split
	if r {
		d.rng -= split
		d.value -= uint64(split) << sh
	} else {
		d.rng = split
	}
	n := bits.LeadingZeros8(uint8(d.rng))
	d.rng <<= n
	d.nbits -= n
	d.lastN = n + 1
	return r
}

// lit reads an n-bit unsigned literal, most significant bit first.
func (d *boolDec) lit(n int) int {
	v := 0
	for ; n > 0; n-- {
		v <<= 1
		if d.bit(128) {
			v |= 1
		}
	}
	return v
}

// flagged reads an optional signed value: a flag, then n bits and a sign.
func (d *boolDec) flagged(n int) {
	if d.bit(128) {
		d.lit(n + 1)
	}
}

// need returns the number of bytes the decisions so far needed.
func (d *boolDec) need() int {
	if d.lastN == 0 {
		return 0
	}
	return (8*d.pos - d.nbits - (d.lastN - 1) + 15) / 8
}

// over reports whether a decision needed bytes past the partition.
func (d *boolDec) over() bool { return d.need() > len(d.data) }

// coded reports whether the partition can be the output of a boolean
// encoder. An encoder keeps the decoder's value below its range, which is
// 255 at the first decision: a partition that is read at all cannot start
// with 0xFF. Decoders disagree on what follows such a start (the value
// outgrows the range: golang.org/x/image/vp8 wraps it at 32 bits, libwebp
// refuses the frame), so no extent can be proven for it. While the first
// decision holds it, every later one does (a decision and a shift keep
// value < range).
func (d *boolDec) coded() bool { return d.need() == 0 || len(d.data) == 0 || d.data[0] != 0xFF }

var coeffBands = [17]uint8{0, 1, 2, 3, 6, 4, 5, 6, 6, 6, 6, 6, 6, 6, 6, 7, 0}

var catProbs = [4][]uint8{
	{173, 148, 140},
	{176, 155, 140, 135},
	{180, 157, 141, 134, 130},
	{254, 254, 243, 230, 196, 177, 153, 140, 133, 130, 129},
}

type planeProbs [8][3][11]uint8

// block decodes the tokens of one 4×4 block and reports whether it has a
// non-zero coefficient (for the contexts of its neighbours).
func (d *boolDec) block(pr *planeProbs, first, ctx int) bool {
	n := first
	p := &pr[coeffBands[n]][ctx]
	for n < 16 {
		if !d.bit(p[0]) { // end of block
			return n > first
		}
		for !d.bit(p[1]) { // zero: no end of block may follow
			n++
			if n == 16 {
				return true
			}
			p = &pr[coeffBands[n]][0]
		}
		c := 1
		if d.bit(p[2]) {
			c = 2
			d.large(p)
		}
		d.bit(128) // sign
		n++
		p = &pr[coeffBands[n]][c]
	}
	return true
}

// large reads the rest of a token larger than one (RFC 6386 13.2) and its
// extra bits.
func (d *boolDec) large(p *[11]uint8) {
	if !d.bit(p[3]) {
		if d.bit(p[4]) {
			d.bit(p[5])
		}
	} else if !d.bit(p[6]) {
		if !d.bit(p[7]) {
			d.bit(159)
		} else {
			d.bit(165)
			d.bit(145)
		}
	} else {
		b1 := 0
		if d.bit(p[8]) {
			b1 = 1
		}
		b0 := 0
		if d.bit(p[9+b1]) {
			b0 = 1
		}
		for _, q := range catProbs[2*b1+b0] {
			d.bit(q)
		}
	}
}

// vp8Frame is a proven VP8 key frame.
type vp8Frame struct {
	w, h           int // 14-bit dimensions
	hscale, vscale int
	version        int
	// parts are the proven partitions: the first (modes) partition, then
	// the token partitions, each cut where its decoder stopped needing
	// bytes. offs and lens locate each whole partition in the payload.
	parts      [][]byte
	offs, lens []int
	pad        []int // zero flush bytes kept after each partition
	table      int   // offset of the partition size table
}

func errVP8(what string) error { return FormatError("VP8: " + what) }

// mbCtx is the non-zero context of one macroblock edge.
type mbCtx struct {
	y    [4]bool
	u, v [2]bool
	y2   bool
}

// parseVP8 proves a VP8 chunk payload.
func parseVP8(p []byte) (*vp8Frame, error) {
	if len(p) < 10 {
		return nil, errVP8("frame header truncated")
	}
	tag := int(p[0]) | int(p[1])<<8 | int(p[2])<<16
	if tag&1 != 0 {
		return nil, errVP8("not a key frame")
	}
	f := &vp8Frame{version: tag >> 1 & 7}
	if f.version > 3 {
		return nil, errVP8("unknown version")
	}
	if tag>>4&1 == 0 {
		return nil, errVP8("frame not shown")
	}
	size := tag >> 5
	if p[3] != 0x9d || p[4] != 0x01 || p[5] != 0x2a {
		return nil, errVP8("bad start code")
	}
	f.w, f.hscale = int(p[6])|int(p[7]&0x3f)<<8, int(p[7]>>6)
	f.h, f.vscale = int(p[8])|int(p[9]&0x3f)<<8, int(p[9]>>6)
	if f.w == 0 || f.h == 0 {
		return nil, errVP8("zero dimension")
	}
	if size > len(p)-10 {
		return nil, errVP8("first partition exceeds the chunk")
	}
	d := newBoolDec(p[10 : 10+size])
	// Frame header (RFC 6386 9.2-9.11, 19.2).
	d.lit(2) // colour space, clamping
	updateMap := false
	segProbs := [3]uint8{255, 255, 255}
	if d.bit(128) { // segmentation enabled
		updateMap = d.bit(128)
		if d.bit(128) { // update segment feature data
			d.bit(128) // absolute or delta
			for i := 0; i < 4; i++ {
				d.flagged(7)
			}
			for i := 0; i < 4; i++ {
				d.flagged(6)
			}
		}
		if updateMap {
			for i := range segProbs {
				if d.bit(128) {
					segProbs[i] = uint8(d.lit(8))
				}
			}
		}
	}
	d.lit(1 + 6 + 3) // filter type, level, sharpness
	if d.bit(128) {  // loop filter adjustments
		if d.bit(128) {
			for i := 0; i < 8; i++ {
				d.flagged(6)
			}
		}
	}
	nparts := 1 << d.lit(2)
	d.lit(7) // y_ac_qi
	for i := 0; i < 5; i++ {
		d.flagged(4)
	}
	d.bit(128) // refresh_entropy_probs
	var probs [4]planeProbs
	k := 0
	for i := range probs {
		for j := range probs[i] {
			for c := range probs[i][j] {
				for l := range probs[i][j][c] {
					if d.bit(coeffUpdateProbs[k]) {
						probs[i][j][c][l] = uint8(d.lit(8))
					} else {
						probs[i][j][c][l] = defaultCoeffProbs[k]
					}
					k++
				}
			}
		}
	}
	skipProb := -1
	if d.bit(128) {
		skipProb = d.lit(8)
	}
	if d.over() {
		return nil, errVP8("frame header truncated")
	}
	// Partitions.
	f.table = 10 + size
	tstart := f.table + 3*(nparts-1)
	if tstart > len(p) {
		return nil, errVP8("partition table exceeds the chunk")
	}
	f.offs = append(f.offs, 10)
	f.lens = append(f.lens, size)
	off := tstart
	for i := 0; i < nparts; i++ {
		n := len(p) - off
		if i < nparts-1 {
			q := f.table + 3*i
			n = int(p[q]) | int(p[q+1])<<8 | int(p[q+2])<<16
			if n > len(p)-off {
				return nil, errVP8("token partition exceeds the chunk")
			}
		}
		f.offs = append(f.offs, off)
		f.lens = append(f.lens, n)
		off += n
	}
	tds := make([]*boolDec, nparts)
	for i := range tds {
		tds[i] = newBoolDec(p[f.offs[i+1] : f.offs[i+1]+f.lens[i+1]])
	}
	mbw, mbh := (f.w+15)/16, (f.h+15)/16
	above := make([]mbCtx, mbw)
	aboveModes := make([][4]uint8, mbw) // bottom sub-block modes
	for y := 0; y < mbh; y++ {
		td := tds[y&(nparts-1)]
		var left mbCtx
		var leftModes [4]uint8
		for x := 0; x < mbw; x++ {
			if updateMap {
				if !d.bit(segProbs[0]) {
					d.bit(segProbs[1])
				} else {
					d.bit(segProbs[2])
				}
			}
			skip := skipProb >= 0 && d.bit(uint8(skipProb))
			hasY2 := d.modes(&aboveModes[x], &leftModes)
			a := &above[x]
			if skip {
				a.y, left.y = [4]bool{}, [4]bool{}
				a.u, a.v, left.u, left.v = [2]bool{}, [2]bool{}, [2]bool{}, [2]bool{}
				if hasY2 {
					a.y2, left.y2 = false, false
				}
				continue
			}
			plane, first := 3, 0
			if hasY2 {
				nz := td.block(&probs[1], 0, b2i(a.y2)+b2i(left.y2))
				a.y2, left.y2 = nz, nz
				plane, first = 0, 1
			}
			for j := 0; j < 4; j++ {
				for i := 0; i < 4; i++ {
					nz := td.block(&probs[plane], first, b2i(a.y[i])+b2i(left.y[j]))
					a.y[i], left.y[j] = nz, nz
				}
			}
			for _, c := range [2]struct{ a, l *[2]bool }{{&a.u, &left.u}, {&a.v, &left.v}} {
				for j := 0; j < 2; j++ {
					for i := 0; i < 2; i++ {
						nz := td.block(&probs[2], 0, b2i(c.a[i])+b2i(c.l[j]))
						c.a[i], c.l[j] = nz, nz
					}
				}
			}
		}
		if d.over() {
			return nil, errVP8("first partition truncated")
		}
		if td.over() {
			return nil, errVP8("token partition truncated")
		}
	}
	if !d.coded() {
		return nil, errVP8("first partition is not boolean-coded data")
	}
	for _, td := range tds {
		if !td.coded() {
			return nil, errVP8("token partition is not boolean-coded data")
		}
	}
	f.parts = append(f.parts, p[10:10+d.need()])
	for i, td := range tds {
		f.parts = append(f.parts, p[f.offs[i+1]:f.offs[i+1]+td.need()])
	}
	f.pad = make([]int, len(f.parts))
	return f, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Sub-block intra modes, in the order of kfBModeProbs.
const (
	bDC = iota
	bTM
	bVE
	bHE
)

// modes reads one macroblock's key-frame intra modes (RFC 6386 11.2-11.4)
// and reports whether it has a Y2 block (every mode but B_PRED).
func (d *boolDec) modes(above, left *[4]uint8) bool {
	y16 := d.bit(145)
	if y16 {
		var m uint8
		switch {
		case !d.bit(156):
			m = bDC
			if d.bit(163) {
				m = bVE
			}
		case !d.bit(128):
			m = bHE
		default:
			m = bTM
		}
		*above = [4]uint8{m, m, m, m}
		*left = [4]uint8{m, m, m, m}
	} else {
		for j := 0; j < 4; j++ {
			l := left[j]
			for i := 0; i < 4; i++ {
				q := kfBModeProbs[(int(above[i])*10+int(l))*9:]
				var m uint8
				switch {
				case !d.bit(q[0]):
					m = 0 // DC
				case !d.bit(q[1]):
					m = 1 // TM
				case !d.bit(q[2]):
					m = 2 // VE
				case !d.bit(q[3]):
					switch {
					case !d.bit(q[4]):
						m = 3 // HE
					case !d.bit(q[5]):
						m = 4 // RD
					default:
						m = 5 // VR
					}
				case !d.bit(q[6]):
					m = 6 // LD
				case !d.bit(q[7]):
					m = 7 // VL
				case !d.bit(q[8]):
					m = 8 // HD
				default:
					m = 9 // HU
				}
				above[i], l = m, m
			}
			left[j] = l
		}
	}
	// Chroma mode (RFC 6386 11.4): four modes, no context.
	if d.bit(142) && d.bit(114) {
		d.bit(183)
	}
	return y16
}
