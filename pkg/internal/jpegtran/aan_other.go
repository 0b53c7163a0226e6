//go:build !amd64 || purego

package jpegtran

// fdct transforms b (level-shifted samples, row-major) in place to
// Y(v,u) = f_v f_u X(v,u).
func fdct(b *[64]float32) { fdctGo(b) }

// fdctBytes is fdct of the 8×8 samples at src (row stride stride),
// level-shifted as they are read, leaving Y transposed: b[8u+v] = Y(v,u).
func fdctBytes(b *[64]float32, src []byte, stride int) {
	fdctBytesGo(b, src, stride)
	transpose(b)
}

// quant divides the transformed block b by the quantizer (multipliers r,
// natural order) with rounding to nearest into q (natural order) and
// returns the mask of the non-zero results (bit n for natural index n).
func quant(b *[64]float32, r *[64]float32, q *[64]int32) uint64 { return quantGo(b, r, q) }

// idctCoef dequantizes c (quantized coefficients, transposed: c[8u+v])
// with multipliers dq (same order), inverse-transforms it, writes the
// samples, level-shifted back, rounded and clamped to 0..255, to the 8×8
// block at dst (row stride stride) and zeroes c.
func idctCoef(c *[64]int32, dq *[64]float32, dst []byte, stride int) { idctCoefGo(c, dq, dst, stride) }
