package jpegtran

import (
	"math"
	"math/rand/v2"
	"testing"
)

// refFDCT is T.81 A.3.3's FDCT written as the double sum, in float64.
func refFDCT(s *[64]float64) (out [64]float64) {
	for v := 0; v < 8; v++ {
		for u := 0; u < 8; u++ {
			var sum float64
			for y := 0; y < 8; y++ {
				for x := 0; x < 8; x++ {
					sum += s[y*8+x] * math.Cos(float64(2*x+1)*float64(u)*math.Pi/16) * math.Cos(float64(2*y+1)*float64(v)*math.Pi/16)
				}
			}
			out[v*8+u] = normC(u) * normC(v) / 4 * sum
		}
	}
	return out
}

// refIDCT is T.81 A.3.3's IDCT as the double sum, in float64.
func refIDCT(S *[64]float64) (out [64]float64) {
	for y := 0; y < 8; y++ {
		for x := 0; x < 8; x++ {
			var sum float64
			for v := 0; v < 8; v++ {
				for u := 0; u < 8; u++ {
					sum += normC(u) * normC(v) * S[v*8+u] * math.Cos(float64(2*x+1)*float64(u)*math.Pi/16) * math.Cos(float64(2*y+1)*float64(v)*math.Pi/16)
				}
			}
			out[y*8+x] = sum / 4
		}
	}
	return out
}

func randomBlock(rng *rand.Rand, kind int) (s [64]float64) {
	for i := range s {
		switch kind {
		case 0: // noise
			s[i] = float64(rng.IntN(256) - 128)
		case 1: // extremes
			s[i] = float64(255*rng.IntN(2) - 128)
		default: // smooth ramp
			s[i] = float64((i%8)*13 + (i/8)*7 - 80)
		}
	}
	return s
}

// TestFDCT: fdct scaled by fwdScale (q = 1) equals the reference FDCT
// within 1e-3 per coefficient (float32 rounding; coefficients reach ±1024).
func TestFDCT(t *testing.T) {
	r := fwdScale(&unitTable)
	for name, f := range map[string]func(*[64]float32, []byte){
		"fdct":   func(b *[64]float32, _ []byte) { fdct(b) },
		"fdctGo": func(b *[64]float32, _ []byte) { fdctGo(b) },
		// fdctBytes leaves the block transposed: transposed back here.
		"fdctBytes":   func(b *[64]float32, px []byte) { fdctBytes(b, px, 8); transpose(b) },
		"fdctBytesGo": func(b *[64]float32, px []byte) { fdctBytesGo(b, px, 8) },
	} {
		rng := rand.New(rand.NewPCG(1, 2))
		worst := 0.0
		for n := 0; n < 300; n++ {
			s := randomBlock(rng, n%3)
			want := refFDCT(&s)
			var b [64]float32
			var px [64]byte
			for i := range b {
				b[i] = float32(s[i])
				px[i] = byte(s[i] + 128)
			}
			f(&b, px[:])
			for i, nat := range zigzag {
				got := float64(b[nat] * r[i])
				worst = max(worst, math.Abs(got-want[nat]))
			}
		}
		if worst > 1e-3 {
			t.Errorf("%s: worst |fdct - reference| = %g", name, worst)
		}
		t.Logf("%s: worst error %g", name, worst)
	}
}

// TestIDCTBytes: the sample-writing inverse transform (Go; the SSE one is
// checked against it in TestQuantAndCoef) gives the
// reference IDCT rounded and clamped, give or take 1 where the reference
// falls within float rounding of a half.
func TestIDCTBytes(t *testing.T) {
	r := invScale(&unitTable)
	name, f := "idctBytesGo", idctBytesGo
	rng := rand.New(rand.NewPCG(5, 6))
	off := 0
	for n := 0; n < 400; n++ {
		var S [64]float64
		for i := range S {
			if n%2 == 0 || rng.IntN(5) == 0 {
				S[i] = float64(rng.IntN(1201) - 600)
			}
		}
		want := refIDCT(&S)
		z, rows, cols := scaledBlock(&S, r)
		dst := make([]byte, 10*8+8)
		f(&z, rows|1, cols|1, dst, 10)
		for y := 0; y < 8; y++ {
			for x := 0; x < 8; x++ {
				exact := want[y*8+x] + 128
				w := math.Min(255, math.Max(0, math.Floor(exact+0.5)))
				got := float64(dst[y*10+x])
				if got != w {
					if math.Abs(got-w) > 1 || math.Abs(math.Abs(exact-math.Floor(exact))-0.5) > 1e-3 {
						t.Fatalf("%s: block %d sample %d,%d = %v, want %v (exact %.5f)", name, n, x, y, got, w, exact)
					}
					off++
				}
			}
		}
	}
	t.Logf("%s: %d samples off by one at a rounding tie", name, off)
}

// TestIDCT: idct of coefficients scaled by invScale (q = 1) equals the
// reference IDCT within 1e-3 per sample, with and without the
// zero-row/column shortcuts.
func TestIDCT(t *testing.T) {
	r := invScale(&unitTable)
	rng := rand.New(rand.NewPCG(3, 4))
	worst := 0.0
	for n := 0; n < 400; n++ {
		var S [64]float64
		// Sparse patterns exercise the shortcuts: DC only, row 0 only,
		// column 0 only, random subsets.
		for i := range S {
			u, v := i%8, i/8
			use := true
			switch n % 5 {
			case 0:
				use = i == 0
			case 1:
				use = v == 0
			case 2:
				use = u == 0
			case 3:
				use = rng.IntN(6) == 0
			}
			if use {
				S[i] = float64(rng.IntN(2001) - 1000)
			}
		}
		want := refIDCT(&S)
		z, rows, cols := scaledBlock(&S, r)
		idct(&z, rows, cols)
		for i := range z {
			worst = max(worst, math.Abs(float64(z[i])-want[i]))
		}
	}
	if worst > 1e-3 {
		t.Errorf("worst |idct - reference| = %g", worst)
	}
	t.Logf("worst error %g", worst)
}

// TestQuantAndCoef: quant and idctCoef (SSE on amd64) agree with their
// Go forms on the transposed blocks fdctBytes leaves (quantized values
// equal but at rounding ties, samples within 1), the zig-zag mask and the
// cleared block are as documented, and the round trip gives the block
// back within the quantization error.
func TestQuantAndCoef(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var q8 [64]uint16
	for i := range q8 {
		q8[i] = uint16(1 + i%5)
	}
	r := transposedOrder(fwdScale(&q8))
	dq := transposedOrder(invScale(&q8))
	for n := 0; n < 300; n++ {
		s := randomBlock(rng, n%3)
		var px [64]byte
		for i := range px {
			px[i] = byte(s[i] + 128)
		}
		var b [64]float32
		fdctBytes(&b, px[:], 8)
		var q1, q2 [64]int32
		m1, m2 := quant(&b, &r, &q1), quantGo(&b, &r, &q2)
		for i := range q1 {
			x := math.Abs(float64(b[i] * r[i]))
			if d := q1[i] - q2[i]; d < -1 || d > 1 || (d != 0 && math.Abs(x-math.Floor(x)-0.5) > 1e-3) {
				t.Fatalf("block %d coefficient %d: quant %d, quantGo %d", n, i, q1[i], q2[i])
			}
			if (q1[i] != 0) != (m1>>i&1 == 1) || (q2[i] != 0) != (m2>>i&1 == 1) {
				t.Fatalf("block %d: mask bit %d wrong", n, i)
			}
		}
		zz := toZigzag(m1)
		for i, ti := range zigzagT {
			if (q1[ti] != 0) != (zz>>i&1 == 1) {
				t.Fatalf("block %d: zig-zag mask bit %d wrong", n, i)
			}
		}
		c1, c2 := q1, q1
		d1, d2 := make([]byte, 8*12), make([]byte, 8*12)
		idctCoef(&c1, &dq, d1, 12)
		idctCoefGo(&c2, &dq, d2, 12)
		if c1 != [64]int32{} || c2 != [64]int32{} {
			t.Fatalf("block %d: coefficients not cleared", n)
		}
		for y := 0; y < 8; y++ {
			for x := 0; x < 8; x++ {
				a, b := int(d1[y*12+x]), int(d2[y*12+x])
				if d := a - b; d < -1 || d > 1 {
					t.Fatalf("block %d sample %d,%d: %d vs %d", n, x, y, a, b)
				}
				if d := a - int(px[y*8+x]); d < -12 || d > 12 {
					t.Fatalf("block %d sample %d,%d: %d after the round trip, was %d", n, x, y, a, px[y*8+x])
				}
			}
		}
	}
}

// unitTable is a quantization table of ones: the scale tables built from
// it map coefficients to the transform's own scale.
var unitTable = func() (t [64]uint16) {
	for i := range t {
		t[i] = 1
	}
	return t
}()

// scaledBlock scales the natural-order coefficients S by r (zig-zag
// order, from invScale) as the decoder's dequantization does, and returns
// the masks of the rows and columns that hold a non-zero coefficient.
func scaledBlock(S *[64]float64, r [64]float32) (z [64]float32, rows, cols uint8) {
	for i, nat := range zigzag {
		if S[nat] != 0 {
			z[nat] = float32(S[nat]) * r[i]
			rows |= 1 << (nat / 8)
			cols |= 1 << (nat % 8)
		}
	}
	return z, rows, cols
}
