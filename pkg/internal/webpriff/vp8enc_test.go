package webpriff

import (
	"encoding/binary"
	"math/rand/v2"

	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// A small VP8 key-frame encoder for tests (RFC 6386): boolean encoder
// (section 7.3), a frame header with coefficient probability updates, per
// macroblock skip flags and intra modes (16×16 and 4×4 with their
// contexts), and random DCT tokens in 1, 2, 4 or 8 token partitions. It
// writes no meaningful picture; x/image/vp8 decodes it.

type boolEnc struct {
	out    []byte
	rng    uint32
	bottom uint32
	count  int
}

func newBoolEnc() *boolEnc { return &boolEnc{rng: 255, count: 24} }

func (e *boolEnc) carry() {
	i := len(e.out) - 1
	for ; i >= 0 && e.out[i] == 255; i-- {
		e.out[i] = 0
	}
	if i >= 0 {
		e.out[i]++
	}
}

func (e *boolEnc) put(prob uint8, b bool) {
	split := 1 + ((e.rng-1)*uint32(prob))>>8
	if b {
		e.bottom += split
		e.rng -= split
	} else {
		e.rng = split
	}
	for e.rng < 128 {
		e.rng <<= 1
		if e.bottom&(1<<31) != 0 {
			e.carry()
		}
		e.bottom <<= 1
		e.count--
		if e.count == 0 {
			e.out = append(e.out, byte(e.bottom>>24))
			e.bottom &= 1<<24 - 1
			e.count = 8
		}
	}
}

func (e *boolEnc) lit(v, n int) {
	for i := n - 1; i >= 0; i-- {
		e.put(128, v>>i&1 == 1)
	}
}

func (e *boolEnc) flush() []byte {
	c := e.count
	v := e.bottom
	if v&(1<<(32-c)) != 0 {
		e.carry()
	}
	v <<= c & 7
	for c >>= 3; c > 0; c-- {
		v <<= 8
	}
	for i := 0; i < 4; i++ {
		e.out = append(e.out, byte(v>>24))
		v <<= 8
	}
	return e.out
}

// bPaths are the 4×4 mode tree paths (node index, bit) in kfBModeProbs order.
var bPaths = [10][][2]int{
	{{0, 0}},
	{{0, 1}, {1, 0}},
	{{0, 1}, {1, 1}, {2, 0}},
	{{0, 1}, {1, 1}, {2, 1}, {3, 0}, {4, 0}},
	{{0, 1}, {1, 1}, {2, 1}, {3, 0}, {4, 1}, {5, 0}},
	{{0, 1}, {1, 1}, {2, 1}, {3, 0}, {4, 1}, {5, 1}},
	{{0, 1}, {1, 1}, {2, 1}, {3, 1}, {6, 0}},
	{{0, 1}, {1, 1}, {2, 1}, {3, 1}, {6, 1}, {7, 0}},
	{{0, 1}, {1, 1}, {2, 1}, {3, 1}, {6, 1}, {7, 1}, {8, 0}},
	{{0, 1}, {1, 1}, {2, 1}, {3, 1}, {6, 1}, {7, 1}, {8, 1}},
}

// encBlock writes the tokens of one block and reports whether it has a
// non-zero coefficient.
func encBlock(e *boolEnc, pr *planeProbs, first, ctx int, r *rand.Rand) bool {
	var c [16]int
	last := -1
	if r.IntN(3) > 0 {
		for i := first; i < 16; i++ {
			switch x := r.IntN(10); {
			case x < 5:
			case x < 8:
				c[i] = 1 + r.IntN(4)
			case x < 9:
				c[i] = 5 + r.IntN(62)
			default:
				c[i] = 67 + r.IntN(300)
			}
			if r.IntN(2) == 0 {
				c[i] = -c[i]
			}
			if c[i] != 0 {
				last = i
			}
			if r.IntN(4) == 0 {
				break
			}
		}
	}
	n := first
	p := &pr[coeffBands[n]][ctx]
	zero := false
	for n < 16 {
		if !zero {
			if n > last {
				e.put(p[0], false)
				return n > first
			}
			e.put(p[0], true)
		}
		v := c[n]
		if v == 0 {
			e.put(p[1], false)
			n++
			zero = true
			p = &pr[coeffBands[n]][0]
			continue
		}
		e.put(p[1], true)
		a := max(v, -v)
		ctx = 2
		switch {
		case a == 1:
			e.put(p[2], false)
			ctx = 1
		case a == 2:
			e.put(p[2], true)
			e.put(p[3], false)
			e.put(p[4], false)
		case a <= 4:
			e.put(p[2], true)
			e.put(p[3], false)
			e.put(p[4], true)
			e.put(p[5], a == 4)
		case a <= 10:
			e.put(p[2], true)
			e.put(p[3], true)
			e.put(p[6], false)
			if a <= 6 {
				e.put(p[7], false)
				e.put(159, a == 6)
			} else {
				e.put(p[7], true)
				e.put(165, (a-7)>>1 == 1)
				e.put(145, (a-7)&1 == 1)
			}
		default:
			e.put(p[2], true)
			e.put(p[3], true)
			e.put(p[6], true)
			cat, base := 0, 11
			for _, b := range []int{19, 35, 67} {
				if a >= b {
					cat++
					base = b
				}
			}
			e.put(p[8], cat >= 2)
			e.put(p[9+cat/2], cat&1 == 1)
			q := catProbs[cat]
			for i, pb := range q {
				e.put(pb, (a-base)>>(len(q)-1-i)&1 == 1)
			}
		}
		e.put(128, v < 0)
		n++
		zero = false
		p = &pr[coeffBands[n]][ctx]
	}
	return true
}

// encodeVP8 returns a VP8 key frame payload of a w×h image with 1<<log2
// token partitions.
func encodeVP8(w, h, log2 int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 7))
	e := newBoolEnc()
	e.lit(0, 2)       // colour space, clamping
	e.put(128, false) // no segmentation
	e.lit(0, 1)       // filter type
	e.lit(r.IntN(64), 6)
	e.lit(r.IntN(8), 3)
	e.put(128, false) // no loop filter adjustments
	e.lit(log2, 2)
	e.lit(10+r.IntN(100), 7)
	for i := 0; i < 5; i++ {
		e.put(128, false)
	}
	e.put(128, false) // refresh_entropy_probs
	var probs [4]planeProbs
	k := 0
	for i := range probs {
		for j := range probs[i] {
			for c := range probs[i][j] {
				for l := range probs[i][j][c] {
					probs[i][j][c][l] = defaultCoeffProbs[k]
					up := r.IntN(40) == 0
					e.put(coeffUpdateProbs[k], up)
					if up {
						probs[i][j][c][l] = uint8(1 + r.IntN(255))
						e.lit(int(probs[i][j][c][l]), 8)
					}
					k++
				}
			}
		}
	}
	skipProb := uint8(1 + r.IntN(254))
	e.put(128, true)
	e.lit(int(skipProb), 8)
	nparts := 1 << log2
	tes := make([]*boolEnc, nparts)
	for i := range tes {
		tes[i] = newBoolEnc()
	}
	mbw, mbh := (w+15)/16, (h+15)/16
	above := make([]mbCtx, mbw)
	aboveModes := make([][4]uint8, mbw)
	for y := 0; y < mbh; y++ {
		te := tes[y%nparts]
		var left mbCtx
		var leftModes [4]uint8
		for x := 0; x < mbw; x++ {
			skip := r.IntN(4) == 0
			e.put(skipProb, skip)
			ym := r.IntN(5) // 0..3: DC V H TM; 4: B_PRED
			hasY2 := ym < 4
			if hasY2 {
				e.put(145, true)
				e.put(156, ym >= 2)
				if ym < 2 {
					e.put(163, ym == 1)
				} else {
					e.put(128, ym == 3)
				}
				m := [4]uint8{bDC, bVE, bHE, bTM}[ym]
				aboveModes[x] = [4]uint8{m, m, m, m}
				leftModes = [4]uint8{m, m, m, m}
			} else {
				e.put(145, false)
				for j := 0; j < 4; j++ {
					for i := 0; i < 4; i++ {
						m := uint8(r.IntN(10))
						q := kfBModeProbs[(int(aboveModes[x][i])*10+int(leftModes[j]))*9:]
						for _, st := range bPaths[m] {
							e.put(q[st[0]], st[1] == 1)
						}
						aboveModes[x][i], leftModes[j] = m, m
					}
				}
			}
			uv := r.IntN(4)
			e.put(142, uv > 0)
			if uv > 0 {
				e.put(114, uv > 1)
				if uv > 1 {
					e.put(183, uv > 2)
				}
			}
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
				nz := encBlock(te, &probs[1], 0, b2i(a.y2)+b2i(left.y2), r)
				a.y2, left.y2 = nz, nz
				plane, first = 0, 1
			}
			for j := 0; j < 4; j++ {
				for i := 0; i < 4; i++ {
					nz := encBlock(te, &probs[plane], first, b2i(a.y[i])+b2i(left.y[j]), r)
					a.y[i], left.y[j] = nz, nz
				}
			}
			for _, c := range [2]struct{ a, l *[2]bool }{{&a.u, &left.u}, {&a.v, &left.v}} {
				for j := 0; j < 2; j++ {
					for i := 0; i < 2; i++ {
						nz := encBlock(te, &probs[2], 0, b2i(c.a[i])+b2i(c.l[j]), r)
						c.a[i], c.l[j] = nz, nz
					}
				}
			}
		}
	}
	p0 := e.flush()
	tag := 1<<4 | len(p0)<<5
	out := []byte{byte(tag), byte(tag >> 8), byte(tag >> 16), 0x9d, 0x01, 0x2a}
	out = binary.LittleEndian.AppendUint16(out, uint16(w))
	out = binary.LittleEndian.AppendUint16(out, uint16(h))
	out = append(out, p0...)
	parts := make([][]byte, nparts)
	for i, te := range tes {
		parts[i] = te.flush()
		if i < nparts-1 {
			n := len(parts[i])
			out = append(out, byte(n), byte(n>>8), byte(n>>16))
		}
	}
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// lossyWebP wraps a VP8 frame in a WebP file: simple, or extended with an
// ALPH chunk (compression 0 raw, 1 lossless) when alpha >= 0.
func lossyWebP(w, h, log2 int, seed uint64, alpha int) []byte {
	vp8 := encodeVP8(w, h, log2, seed)
	var body []byte
	if alpha >= 0 {
		var x [10]byte
		x[0] = flagAlpha
		put24(x[4:], w-1)
		put24(x[7:], h-1)
		body = appendChunk(body, "VP8X", x[:])
		var a []byte
		if alpha == 0 {
			a = make([]byte, w*h)
			for i := range a {
				a[i] = byte(i * 7)
			}
		} else {
			a = testimg.WebPLossless(w, h, 0xff00a000)[5:] // the stream after its header
		}
		body = appendChunk(body, "ALPH", []byte{byte(alpha) | 1<<2}, a)
	}
	body = appendChunk(body, "VP8 ", vp8)
	out := append([]byte("RIFF\x00\x00\x00\x00WEBP"), body...)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out
}

// animatedLossy returns an animation of two VP8 frames with ALPH chunks
// (raw, then lossless) on a w×h canvas.
func animatedLossy(w, h int) []byte {
	var x [10]byte
	x[0] = flagAlpha | flagAnim
	put24(x[4:], w-1)
	put24(x[7:], h-1)
	body := appendChunk(nil, "VP8X", x[:])
	body = appendChunk(body, "ANIM", []byte{1, 2, 3, 4, 0, 0})
	for i := 0; i < 2; i++ {
		fw, fh := w-2*i, h-2*i
		var hdr [16]byte
		put24(hdr[0:], i)
		put24(hdr[3:], i)
		put24(hdr[6:], fw-1)
		put24(hdr[9:], fh-1)
		put24(hdr[12:], 80)
		hdr[15] = byte(i)
		one := lossyWebP(fw, fh, i, uint64(40+i), i)
		frame := append(hdr[:], one[12+18:]...) // the ALPH and VP8 chunks
		body = appendChunk(body, "ANMF", frame)
	}
	out := append([]byte("RIFF\x00\x00\x00\x00WEBP"), body...)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out
}
