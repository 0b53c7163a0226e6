//go:build amd64 && !purego

package jpegtran

// aanK holds the transforms' constants for the SSE code, four copies
// each: c4, c6, k1, k2, 128.
var aanK = func() (k [20]float32) {
	for i, v := range []float32{aanC4, aanC6, aanK1, aanK2, 128} {
		k[4*i], k[4*i+1], k[4*i+2], k[4*i+3] = v, v, v, v
	}
	return k
}()

//go:noescape
func fdctSSE(b *[64]float32, k *[20]float32)

//go:noescape
func fdctBytesSSE(b *[64]float32, src *byte, stride int, k *[20]float32)

// fdct transforms b (level-shifted samples, row-major) in place to
// Y(v,u) = f_v f_u X(v,u).
func fdct(b *[64]float32) { fdctSSE(b, &aanK) }

// fdctBytes is fdct of the 8×8 samples at src (row stride stride),
// level-shifted as they are read, leaving Y transposed: b[8u+v] = Y(v,u)
// (the quantizer reads it in that order; a transpose saved).
func fdctBytes(b *[64]float32, src []byte, stride int) {
	_ = src[7*stride+7] // the block lies inside src
	fdctBytesSSE(b, &src[0], stride, &aanK)
}

//go:noescape
func quantSSE(b *[64]float32, r *[64]float32, q *[64]int32) uint64

// quant divides the transformed block b by the quantizer (multipliers r,
// natural order) with rounding to nearest into q (natural order) and
// returns the mask of the non-zero results (bit n for natural index n).
func quant(b *[64]float32, r *[64]float32, q *[64]int32) uint64 { return quantSSE(b, r, q) }

//go:noescape
func idctCoefSSE(c *[64]int32, dq *[64]float32, dst *byte, stride int, k *[20]float32)

// idctCoef dequantizes c (quantized coefficients, transposed: c[8u+v])
// with multipliers dq (same order), inverse-transforms it, writes the
// samples, level-shifted back, rounded and clamped to 0..255, to the 8×8
// block at dst (row stride stride) and zeroes c.
func idctCoef(c *[64]int32, dq *[64]float32, dst []byte, stride int) {
	_ = dst[7*stride+7]
	idctCoefSSE(c, dq, &dst[0], stride, &aanK)
}
