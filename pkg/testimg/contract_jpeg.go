package testimg

import (
	"encoding/binary"
	"math/rand"
)

// CodedJPEG describes a JPEG built at the coefficient level (no pixels,
// no DCT): random quantized coefficients, Huffman tables optimal for them
// (T.81 K.2), baseline or progressive (the libjpeg default script, with
// spectral selection and successive approximation), any sampling factors
// and restart interval. It exists to exercise entropy-decoding proofs.
type CodedJPEG struct {
	Width, Height int
	// Sampling holds each component's H and V factors (1..4); its length
	// is the component count (1, 3 or 4). Empty means 4:2:0 YCbCr.
	Sampling [][2]int
	// Progressive writes SOF2 with the libjpeg default progression.
	Progressive bool
	// Restart is the restart interval in MCUs (0: none).
	Restart int
	Seed    int64
	// Head is written after SOI (complete segments: APPn, COM...).
	Head []byte
	// AfterMCU is written after the last MCU of every scan, and
	// BeforeRST before every RSTn marker (slack a decoder never reads).
	AfterMCU, BeforeRST []byte
}

type jscan struct {
	comps          []int
	ss, se, ah, al int
}

// BuildCoded builds the JPEG described by c.
func BuildCoded(c CodedJPEG) []byte {
	samp := c.Sampling
	if len(samp) == 0 {
		samp = [][2]int{{2, 2}, {1, 1}, {1, 1}}
	}
	e := &cenc{c: c, samp: samp}
	e.setup()
	out := []byte{0xFF, jmSOI}
	out = append(out, c.Head...)
	q := make([]byte, 0, 130)
	for t := 0; t < 2; t++ {
		q = append(q, byte(t))
		for k := 0; k < 64; k++ {
			q = append(q, byte(2+k/4+t))
		}
	}
	out = append(out, jpegSegment(jmDQT, q)...)
	sof := []byte{8}
	sof = binary.BigEndian.AppendUint16(sof, uint16(c.Height))
	sof = binary.BigEndian.AppendUint16(sof, uint16(c.Width))
	sof = append(sof, byte(len(samp)))
	for i, s := range samp {
		sof = append(sof, byte(i+1), byte(s[0]<<4|s[1]), byte(min(i, 1)))
	}
	marker := byte(jmSOF0)
	if c.Progressive {
		marker = 0xC2
	}
	out = append(out, jpegSegment(marker, sof)...)
	if c.Restart > 0 {
		out = append(out, jpegSegment(jmDRI, binary.BigEndian.AppendUint16(nil, uint16(c.Restart)))...)
	}
	for _, sc := range e.script() {
		out = e.scan(out, sc)
	}
	return append(out, 0xFF, jmEOI)
}

// cenc holds the coefficients of every block of every component.
type cenc struct {
	c            CodedJPEG
	samp         [][2]int
	mcusX, mcusY int
	coef         [][][64]int32 // per component, per block of the MCU grid (zigzag order)
	bw           []int
	cw, ch       []int
}

func (e *cenc) setup() {
	hmax, vmax := 1, 1
	for _, s := range e.samp {
		hmax, vmax = max(hmax, s[0]), max(vmax, s[1])
	}
	e.mcusX, e.mcusY = (e.c.Width+8*hmax-1)/(8*hmax), (e.c.Height+8*vmax-1)/(8*vmax)
	rng := rand.New(rand.NewSource(e.c.Seed))
	for _, s := range e.samp {
		bw, bh := e.mcusX*s[0], e.mcusY*s[1]
		e.bw = append(e.bw, bw)
		e.cw = append(e.cw, ((e.c.Width*s[0]+hmax-1)/hmax+7)/8)
		e.ch = append(e.ch, ((e.c.Height*s[1]+vmax-1)/vmax+7)/8)
		blocks := make([][64]int32, bw*bh)
		dc := int32(0)
		for i := range blocks {
			dc += int32(rng.Intn(41) - 20)
			dc = max(-120, min(120, dc))
			blocks[i][0] = dc
			for k := 1; k < 64; k++ {
				if rng.Intn(64) < 40-k/2 {
					v := int32(rng.Intn(2*(66-k)) - (66 - k))
					if rng.Intn(8) == 0 {
						v *= 3
					}
					blocks[i][k] = v
				}
			}
		}
		e.coef = append(e.coef, blocks)
	}
}

// script returns the scans: one interleaved baseline scan, or the libjpeg
// default progression (jcparam.c jpeg_simple_progression).
func (e *cenc) script() []jscan {
	n := len(e.samp)
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	if !e.c.Progressive {
		if n == 4 {
			return []jscan{{all[:2], 0, 63, 0, 0}, {all[2:], 0, 63, 0, 0}}
		}
		return []jscan{{all, 0, 63, 0, 0}}
	}
	s := []jscan{{all, 0, 0, 0, 1}}
	if n == 3 {
		s = append(s, jscan{[]int{0}, 1, 5, 0, 2}, jscan{[]int{2}, 1, 63, 0, 1}, jscan{[]int{1}, 1, 63, 0, 1},
			jscan{[]int{0}, 6, 63, 0, 2}, jscan{[]int{0}, 1, 63, 2, 1}, jscan{all, 0, 0, 1, 0},
			jscan{[]int{2}, 1, 63, 1, 0}, jscan{[]int{1}, 1, 63, 1, 0}, jscan{[]int{0}, 1, 63, 1, 0})
		return s
	}
	for _, c := range all {
		s = append(s, jscan{[]int{c}, 1, 5, 0, 2}, jscan{[]int{c}, 6, 63, 0, 2})
	}
	for _, c := range all {
		s = append(s, jscan{[]int{c}, 1, 63, 2, 1})
	}
	s = append(s, jscan{all, 0, 0, 1, 0})
	for _, c := range all {
		s = append(s, jscan{[]int{c}, 1, 63, 1, 0})
	}
	return s
}

// symSink receives the coded symbols of a scan: pass 1 counts them, pass
// 2 writes them.
type symSink struct {
	count    bool
	freq     [8][257]int // DC tables 0..3, AC tables 4..7
	codes    [8][256]uint32
	lens     [8][256]uint8
	out      []byte
	acc      uint32
	nacc     uint
	pendBits []uint8 // AC refinement: correction bits of the end-of-band run
}

func (s *symSink) bits(v uint32, n uint) {
	if s.count || n == 0 {
		return
	}
	for i := int(n) - 1; i >= 0; i-- {
		s.acc = s.acc<<1 | (v>>uint(i))&1
		s.nacc++
		if s.nacc == 8 {
			b := byte(s.acc)
			s.out = append(s.out, b)
			if b == 0xFF {
				s.out = append(s.out, 0)
			}
			s.acc, s.nacc = 0, 0
		}
	}
}

func (s *symSink) sym(t int, v int) {
	if s.count {
		s.freq[t][v]++
		return
	}
	s.bits(s.codes[t][v], uint(s.lens[t][v]))
}

// pad flushes the last byte with 1-bits.
func (s *symSink) pad() {
	for s.nacc != 0 {
		s.bits(1, 1)
	}
}

func nbits(v int32) uint {
	if v < 0 {
		v = -v
	}
	n := uint(0)
	for v != 0 {
		n++
		v >>= 1
	}
	return n
}

// valueBits is the T.81 F.1.2.1 encoding of v in n bits.
func valueBits(v int32, n uint) uint32 {
	if v < 0 {
		v--
	}
	return uint32(v) & (1<<n - 1)
}

// table builds an optimal length-limited Huffman table from freq
// (libjpeg jcphuff/jchuff jpeg_gen_optimal_table) and returns the DHT body.
func (s *symSink) table(t int) []byte {
	freq := s.freq[t]
	freq[256] = 1
	var size [257]int
	var others [257]int
	for i := range others {
		others[i] = -1
	}
	for {
		c1, c2 := -1, -1
		for i := 0; i <= 256; i++ {
			if freq[i] > 0 && (c1 < 0 || freq[i] <= freq[c1]) {
				c1 = i
			}
		}
		for i := 0; i <= 256; i++ {
			if freq[i] > 0 && i != c1 && (c2 < 0 || freq[i] <= freq[c2]) {
				c2 = i
			}
		}
		if c2 < 0 {
			break
		}
		freq[c1] += freq[c2]
		freq[c2] = 0
		for size[c1]++; others[c1] >= 0; size[c1]++ {
			c1 = others[c1]
		}
		others[c1] = c2
		for size[c2]++; others[c2] >= 0; size[c2]++ {
			c2 = others[c2]
		}
	}
	var bits [33]int
	for i := 0; i <= 256; i++ {
		if size[i] > 0 {
			bits[size[i]]++
		}
	}
	for i := 32; i > 16; i-- {
		for bits[i] > 0 {
			j := i - 2
			for bits[j] == 0 {
				j--
			}
			bits[i] -= 2
			bits[i-1]++
			bits[j+1] += 2
			bits[j]--
		}
	}
	i := 16
	for bits[i] == 0 {
		i--
	}
	bits[i]--
	body := []byte{byte(t&3) | byte(t/4)<<4}
	for l := 1; l <= 16; l++ {
		body = append(body, byte(bits[l]))
	}
	code, k := uint32(0), 0
	var vals []byte
	for l := 1; l <= 32; l++ {
		for v := 0; v < 256; v++ {
			if size[v] == l {
				vals = append(vals, byte(v))
			}
		}
	}
	for l := 1; l <= 16; l++ {
		for j := 0; j < bits[l]; j++ {
			s.codes[t][vals[k]] = code
			s.lens[t][vals[k]] = uint8(l)
			code++
			k++
		}
		code <<= 1
	}
	return append(body, vals[:k]...)
}

// scan codes one scan twice (count, then write) and appends DHT, SOS and
// the coded data to out.
func (e *cenc) scan(out []byte, sc jscan) []byte {
	s := &symSink{count: true}
	e.code(s, sc)
	var dht []byte
	for t := 0; t < 8; t++ {
		used := false
		for _, f := range s.freq[t] {
			used = used || f > 0
		}
		if used {
			dht = append(dht, s.table(t)...)
		}
	}
	if len(dht) > 0 {
		out = append(out, jpegSegment(0xC4, dht)...)
	}
	sos := []byte{byte(len(sc.comps))}
	for _, c := range sc.comps {
		sos = append(sos, byte(c+1), byte(min(c, 1)<<4|min(c, 1)))
	}
	sos = append(sos, byte(sc.ss), byte(sc.se), byte(sc.ah<<4|sc.al))
	out = append(out, jpegSegment(jmSOS, sos)...)
	s.count = false
	e.code(s, sc)
	return append(append(out, s.out...), e.c.AfterMCU...)
}

// code emits every MCU of scan sc into s.
func (e *cenc) code(s *symSink, sc jscan) {
	inter := len(sc.comps) > 1
	total := e.mcusX * e.mcusY
	if !inter {
		total = e.cw[sc.comps[0]] * e.ch[sc.comps[0]]
	}
	ri := e.c.Restart
	if ri <= 0 {
		ri = total
	}
	st := &scanState{pred: make([]int32, len(e.samp))}
	for m := 0; m < total; m++ {
		if m > 0 && m%ri == 0 {
			st.flush(s, sc)
			s.pad()
			if !s.count {
				s.out = append(s.out, e.c.BeforeRST...)
				s.out = append(s.out, 0xFF, byte(0xD0+(m/ri-1)%8))
			}
			st = &scanState{pred: make([]int32, len(e.samp))}
		}
		if !inter {
			c := sc.comps[0]
			e.block(s, st, sc, c, &e.coef[c][(m/e.cw[c])*e.bw[c]+m%e.cw[c]])
			continue
		}
		mx, my := m%e.mcusX, m/e.mcusX
		for _, c := range sc.comps {
			h, v := e.samp[c][0], e.samp[c][1]
			for by := 0; by < v; by++ {
				for bx := 0; bx < h; bx++ {
					e.block(s, st, sc, c, &e.coef[c][(my*v+by)*e.bw[c]+mx*h+bx])
				}
			}
		}
	}
	st.flush(s, sc)
	s.pad()
}

type scanState struct {
	pred   []int32
	eobrun int
}

func (st *scanState) flush(s *symSink, sc jscan) {
	if st.eobrun == 0 {
		return
	}
	r := nbits(int32(st.eobrun)) - 1
	s.sym(4+min(sc.comps[0], 1), int(r<<4))
	s.bits(uint32(st.eobrun), r)
	for _, b := range s.pendBits {
		s.bits(uint32(b), 1)
	}
	s.pendBits, st.eobrun = s.pendBits[:0], 0
}

// block codes one block (T.81 F.1.2, G.1.2).
func (e *cenc) block(s *symSink, st *scanState, sc jscan, c int, b *[64]int32) {
	dct, act := min(c, 1), 4+min(c, 1)
	if sc.ss == 0 {
		if sc.ah > 0 {
			s.bits(uint32(b[0]>>sc.al)&1, 1)
			return
		}
		v := b[0] >> sc.al
		d := v - st.pred[c]
		st.pred[c] = v
		n := nbits(d)
		s.sym(dct, int(n))
		s.bits(valueBits(d, n), n)
		if e.c.Progressive {
			return
		}
		sc.ss = 1
	}
	if sc.ah > 0 {
		e.refine(s, st, sc, act, b)
		return
	}
	run := 0
	for k := sc.ss; k <= sc.se; k++ {
		v := b[k]
		t := v
		if t < 0 {
			t = -t
		}
		t >>= sc.al
		if t == 0 {
			run++
			continue
		}
		if v < 0 {
			t = -t
		}
		st.flush(s, sc)
		for ; run > 15; run -= 16 {
			s.sym(act, 0xF0)
		}
		n := nbits(t)
		s.sym(act, run<<4|int(n))
		s.bits(valueBits(t, n), n)
		run = 0
	}
	if run > 0 {
		if !e.c.Progressive {
			s.sym(act, 0)
			return
		}
		st.eobrun++
		if st.eobrun == 0x7FFF {
			st.flush(s, sc)
		}
	}
}

// refine codes one block of an AC refinement scan (libjpeg
// encode_mcu_AC_refine).
func (e *cenc) refine(s *symSink, st *scanState, sc jscan, act int, b *[64]int32) {
	var abs [64]int32
	eob := 0
	for k := sc.ss; k <= sc.se; k++ {
		v := b[k]
		if v < 0 {
			v = -v
		}
		abs[k] = v >> sc.al
		if abs[k] == 1 {
			eob = k
		}
	}
	var br []uint8
	run := 0
	for k := sc.ss; k <= sc.se; k++ {
		t := abs[k]
		if t == 0 {
			run++
			continue
		}
		for run > 15 && k <= eob {
			st.flush(s, sc)
			s.sym(act, 0xF0)
			run -= 16
			for _, x := range br {
				s.bits(uint32(x), 1)
			}
			br = br[:0]
		}
		if t > 1 {
			br = append(br, uint8(t&1))
			continue
		}
		st.flush(s, sc)
		s.sym(act, run<<4|1)
		sign := uint32(1)
		if b[k] < 0 {
			sign = 0
		}
		s.bits(sign, 1)
		for _, x := range br {
			s.bits(uint32(x), 1)
		}
		br, run = br[:0], 0
	}
	if run > 0 || len(br) > 0 {
		st.eobrun++
		s.pendBits = append(s.pendBits, br...)
		if st.eobrun == 0x7FFF || len(s.pendBits) > 900 {
			st.flush(s, sc)
		}
	}
}
