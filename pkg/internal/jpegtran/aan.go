package jpegtran

import "math"

// The 8×8 DCT of T.81 A.3.3, computed with the scaled 1-D factorisation of
// Arai, Agui and Nakajima (Trans. IEICE E-71(11), 1988): 5 multiplications
// and 29 additions per 8 points. Its outputs are the cosine sums
// X_k = Σ x_n cos((2n+1)kπ/16) times a per-frequency factor f_k, so the
// factors are folded into the quantizer (forward) and the dequantizer
// (inverse) and cost nothing per block.
//
// Forward, per dimension: y = M·x with M = diag(f)·C, C[k][n] the cosines.
// T.81: S(v,u) = C(u)C(v)/4 · X(v,u) = C(u)C(v)/(4 f_u f_v) · Y(v,u).
//
// Inverse: T.81 s = Cᵀ·w per dimension, w_k = C(k)S_k/2, and
// Cᵀ = Mᵀ·diag(1/f): the inverse is the transposed flow graph of the
// forward one applied to z(v,u) = C(u)C(v)·S(v,u)/(4 f_u f_v).
// Both run in float32 (the AAN factorisation is exact in the reals;
// float32 keeps it within a small fraction of a level, see dct_test.go).

var (
	aanC4 = float32(math.Cos(4 * math.Pi / 16))                      // √½
	aanC6 = float32(math.Cos(6 * math.Pi / 16))                      // cos 3π/8
	aanK1 = float32(math.Cos(2*math.Pi/16) - math.Cos(6*math.Pi/16)) // cos π/8 − cos 3π/8
	aanK2 = float32(math.Cos(2*math.Pi/16) + math.Cos(6*math.Pi/16)) // cos π/8 + cos 3π/8
)

// aanScale[k] is f_k, measured once on the forward transform itself: a
// block that is cos((2x+1)kπ/16) along x and constant down y has
// X(0,k) = 8·4 (8·8 for k = 0) and f_0 = 1.
var aanScale = func() (f [8]float64) {
	for k := 0; k < 8; k++ {
		var b [64]float32
		for y := 0; y < 8; y++ {
			for x := 0; x < 8; x++ {
				b[y*8+x] = float32(math.Cos(float64(2*x+1) * float64(k) * math.Pi / 16))
			}
		}
		fdctGo(&b)
		if k == 0 {
			f[0] = math.Sqrt(float64(b[0]) / 64)
		} else {
			f[k] = float64(b[k]) / 32 / f[0]
		}
	}
	return f
}()

// normC is C(k) of T.81 A.3.3.
func normC(k int) float64 {
	if k == 0 {
		return math.Sqrt2 / 2
	}
	return 1
}

// fdct8 is the forward 1-D flow graph: y_k = f_k·X_k.
func fdct8(x0, x1, x2, x3, x4, x5, x6, x7 float32) (y0, y1, y2, y3, y4, y5, y6, y7 float32) {
	t0, t7 := x0+x7, x0-x7
	t1, t6 := x1+x6, x1-x6
	t2, t5 := x2+x5, x2-x5
	t3, t4 := x3+x4, x3-x4
	// Even half.
	a10, a13 := t0+t3, t0-t3
	a11, a12 := t1+t2, t1-t2
	z1 := (a12 + a13) * aanC4
	// Odd half.
	b10, b11, b12 := t4+t5, t5+t6, t6+t7
	z5 := (b10 - b12) * aanC6
	z2 := aanK1*b10 + z5
	z4 := aanK2*b12 + z5
	z3 := b11 * aanC4
	z11, z13 := t7+z3, t7-z3
	return a10 + a11, z11 + z4, a13 + z1, z13 - z2, a10 - a11, z13 + z2, a13 - z1, z11 - z4
}

// fdctGo transforms b (level-shifted samples, row-major) in place to
// Y(v,u) = f_v f_u X(v,u).
func fdctGo(b *[64]float32) {
	for r := 0; r < 64; r += 8 {
		p := b[r : r+8 : r+8]
		p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7] = fdct8(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7])
	}
	fdctCols(b)
}

// fdctBytesGo is fdctGo of the 8×8 samples at src (row stride stride),
// level-shifted as they are read.
func fdctBytesGo(b *[64]float32, src []byte, stride int) {
	for r := 0; r < 8; r++ {
		s := src[r*stride : r*stride+8 : r*stride+8]
		p := b[r*8 : r*8+8 : r*8+8]
		p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7] = fdct8(
			shifted[s[0]], shifted[s[1]], shifted[s[2]], shifted[s[3]],
			shifted[s[4]], shifted[s[5]], shifted[s[6]], shifted[s[7]])
	}
	fdctCols(b)
}

// shifted[v] is sample v level-shifted (T.81 A.3.1), as a float.
var shifted = func() (t [256]float32) {
	for v := range t {
		t[v] = float32(v - 128)
	}
	return t
}()

func fdctCols(b *[64]float32) {
	for c := 0; c < 8; c++ {
		p := b[c : c+57 : c+57]
		p[0], p[8], p[16], p[24], p[32], p[40], p[48], p[56] = fdct8(p[0], p[8], p[16], p[24], p[32], p[40], p[48], p[56])
	}
}

// idct8 is the transposed forward flow graph.
func idct8(i0, i1, i2, i3, i4, i5, i6, i7 float32) (x0, x1, x2, x3, x4, x5, x6, x7 float32) {
	// Even half: the forward even stages in reverse.
	a10, a11 := i0+i4, i0-i4
	d := (i2 - i6) * aanC4
	a12, a13 := d, i2+i6+d
	t0, t3 := a10+a13, a10-a13
	t1, t2 := a11+a12, a11-a12
	// Odd half.
	g2, g13 := i5-i3, i5+i3
	g4, g11 := i1-i7, i1+i7
	h7, g3 := g11+g13, g11-g13
	w := (g2 + g4) * aanC6
	h10 := aanK1*g2 + w
	h12 := aanK2*g4 - w
	h11 := g3 * aanC4
	t4, t5, t6, t7 := h10, h10+h11, h11+h12, h12+h7
	return t0 + t7, t1 + t6, t2 + t5, t3 + t4, t3 - t4, t2 - t5, t1 - t6, t0 - t7
}

// idct transforms z (dequantized, pre-scaled coefficients, row-major) in
// place to samples (not level-shifted). rows and cols are bit masks of
// the rows and columns holding a non-zero coefficient: a column with none
// is skipped, and when only row 0 (column 0) is used, a pass degenerates
// to copies.
func idct(z *[64]float32, rows, cols uint8) {
	idctCols(z, rows, cols)
	for r := 0; r < 64; r += 8 {
		p := z[r : r+8 : r+8]
		if cols == 1 {
			v := p[0]
			p[1], p[2], p[3], p[4], p[5], p[6], p[7] = v, v, v, v, v, v, v
			continue
		}
		p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7] = idct8(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7])
	}
}

func idctCols(z *[64]float32, rows, cols uint8) {
	for c := 0; c < 8; c++ {
		if cols&(1<<c) == 0 {
			continue
		}
		p := z[c : c+57 : c+57]
		if rows == 1 {
			v := p[0]
			p[8], p[16], p[24], p[32], p[40], p[48], p[56] = v, v, v, v, v, v, v
			continue
		}
		p[0], p[8], p[16], p[24], p[32], p[40], p[48], p[56] =
			idct8(p[0], p[8], p[16], p[24], p[32], p[40], p[48], p[56])
	}
}

// idctBytesGo is idct writing the samples, level-shifted back, rounded and
// clamped to 0..255, to the 8×8 block at dst (row stride stride).
func idctBytesGo(z *[64]float32, rows, cols uint8, dst []byte, stride int) {
	idctCols(z, rows, cols)
	for r := 0; r < 8; r++ {
		p := z[r*8 : r*8+8 : r*8+8]
		d := dst[r*stride : r*stride+8 : r*stride+8]
		if cols == 1 {
			v := clampByte(p[0] + 128.5)
			d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7] = v, v, v, v, v, v, v, v
			continue
		}
		x0, x1, x2, x3, x4, x5, x6, x7 := idct8(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7])
		d[0], d[1], d[2], d[3] = clampByte(x0+128.5), clampByte(x1+128.5), clampByte(x2+128.5), clampByte(x3+128.5)
		d[4], d[5], d[6], d[7] = clampByte(x4+128.5), clampByte(x5+128.5), clampByte(x6+128.5), clampByte(x7+128.5)
	}
}

// fwdScale returns the quantizer multipliers for table q (zig-zag order):
// C(u)C(v)/(4 f_u f_v q_i), applied to fdct's output.
func fwdScale(q *[64]uint16) (r [64]float32) {
	for i, n := range zigzag {
		u, v := int(n%8), int(n/8)
		r[i] = float32(normC(u) * normC(v) / (4 * aanScale[u] * aanScale[v] * float64(q[i])))
	}
	return r
}

// invScale returns the dequantizer multipliers for table q (zig-zag
// order): q_i·C(u)C(v)/(4 f_u f_v), giving idct's input.
func invScale(q *[64]uint16) (r [64]float32) {
	for i, n := range zigzag {
		u, v := int(n%8), int(n/8)
		r[i] = float32(float64(q[i]) * normC(u) * normC(v) / (4 * aanScale[u] * aanScale[v]))
	}
	return r
}

// transposed[n] is natural index n of the transposed block: 8u+v for
// 8v+u.
var transposed = func() (t [64]uint8) {
	for n := range t {
		t[n] = uint8(n%8*8 + n/8)
	}
	return t
}()

// zigzagT[i] is the index of the i-th zig-zag coefficient in a
// transposed block.
var zigzagT = func() (t [64]uint8) {
	for i, n := range zigzag {
		t[i] = transposed[n]
	}
	return t
}()

// transpose transposes b in place.
func transpose(b *[64]float32) {
	for v := 0; v < 8; v++ {
		for u := v + 1; u < 8; u++ {
			b[8*v+u], b[8*u+v] = b[8*u+v], b[8*v+u]
		}
	}
}

// quantGo is quant in Go. Rounding is to nearest (|coefficient| < 2^11,
// so the offset keeps the sum positive and the conversion truncates).
func quantGo(b *[64]float32, r *[64]float32, q *[64]int32) uint64 {
	var nz uint64
	for n := 63; n >= 0; n-- {
		v := int32(b[n]*r[n]+16384.5) - 16384
		q[n] = v
		nz = nz<<1 | uint64((uint32(v)|uint32(-v))>>31)
	}
	return nz
}

// zigzagMask[j][b] spreads bit x of b (index 8j+x of a transposed
// block) to its zig-zag index: a mask in the order fdctBytes leaves
// becomes a zig-zag one in 8 lookups.
var zigzagMask = func() (t [8][256]uint64) {
	for j := range t {
		for b := range t[j] {
			for x := 0; x < 8; x++ {
				if b&(1<<x) != 0 {
					t[j][b] |= 1 << unzig[transposed[8*j+x]]
				}
			}
		}
	}
	return t
}()

// toZigzag turns a mask of a transposed block into a zig-zag-order one.
func toZigzag(m uint64) uint64 {
	return zigzagMask[0][byte(m)] | zigzagMask[1][byte(m>>8)] | zigzagMask[2][byte(m>>16)] |
		zigzagMask[3][byte(m>>24)] | zigzagMask[4][byte(m>>32)] | zigzagMask[5][byte(m>>40)] |
		zigzagMask[6][byte(m>>48)] | zigzagMask[7][byte(m>>56)]
}
