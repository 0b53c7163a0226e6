//go:build amd64 && !purego

// SSE (amd64 baseline) forms of the transforms in aan.go: four columns
// of an 8×8 float32 block per register, the 1-D flow graphs applied to
// eight registers at once (one per row), and 4×4 transposes between the
// passes. Constants (4 copies each) at k: c4, c6, k1, k2, 128.

#include "textflag.h"

#define LOADK(K) \
	MOVUPS 0(K), X15; \
	MOVUPS 16(K), X14; \
	MOVUPS 32(K), X13; \
	MOVUPS 48(K), X12

#define LOAD8(R) \
	MOVUPS 0(R), X0; \
	MOVUPS 32(R), X1; \
	MOVUPS 64(R), X2; \
	MOVUPS 96(R), X3; \
	MOVUPS 128(R), X4; \
	MOVUPS 160(R), X5; \
	MOVUPS 192(R), X6; \
	MOVUPS 224(R), X7

// FWD: x0..x7 in X0..X7 → y0..y7 in X6 X11 X5 X0 X4 X10 X8 X9.
#define FWD \
	MOVAPS X0, X8; \
	ADDPS X7, X8; \
	SUBPS X7, X0; \
	MOVAPS X1, X9; \
	ADDPS X6, X9; \
	SUBPS X6, X1; \
	MOVAPS X2, X10; \
	ADDPS X5, X10; \
	SUBPS X5, X2; \
	MOVAPS X3, X11; \
	ADDPS X4, X11; \
	SUBPS X4, X3; \
	MOVAPS X8, X4; \
	ADDPS X11, X4; \
	SUBPS X11, X8; \
	MOVAPS X9, X5; \
	ADDPS X10, X5; \
	SUBPS X10, X9; \
	MOVAPS X4, X6; \
	ADDPS X5, X6; \
	SUBPS X5, X4; \
	ADDPS X8, X9; \
	MULPS X15, X9; \
	MOVAPS X8, X5; \
	ADDPS X9, X5; \
	SUBPS X9, X8; \
	ADDPS X2, X3; \
	ADDPS X1, X2; \
	ADDPS X0, X1; \
	MOVAPS X3, X7; \
	SUBPS X1, X7; \
	MULPS X14, X7; \
	MULPS X13, X3; \
	ADDPS X7, X3; \
	MULPS X12, X1; \
	ADDPS X7, X1; \
	MULPS X15, X2; \
	MOVAPS X0, X9; \
	ADDPS X2, X9; \
	SUBPS X2, X0; \
	MOVAPS X0, X10; \
	ADDPS X3, X10; \
	SUBPS X3, X0; \
	MOVAPS X9, X11; \
	ADDPS X1, X11; \
	SUBPS X1, X9

#define FWDHALF(R) \
	LOAD8(R); \
	FWD; \
	MOVUPS X6, 0(R); \
	MOVUPS X11, 32(R); \
	MOVUPS X5, 64(R); \
	MOVUPS X0, 96(R); \
	MOVUPS X4, 128(R); \
	MOVUPS X10, 160(R); \
	MOVUPS X8, 192(R); \
	MOVUPS X9, 224(R)

// INV: i0..i7 in X0..X7 → x0..x7 in X10 X11 X3 X7 X8 X0 X6 X4.
#define INV \
	MOVAPS X0, X8; \
	ADDPS X4, X8; \
	SUBPS X4, X0; \
	MOVAPS X2, X9; \
	SUBPS X6, X9; \
	MULPS X15, X9; \
	ADDPS X6, X2; \
	ADDPS X9, X2; \
	MOVAPS X8, X4; \
	ADDPS X2, X4; \
	SUBPS X2, X8; \
	MOVAPS X0, X6; \
	ADDPS X9, X6; \
	SUBPS X9, X0; \
	MOVAPS X5, X2; \
	SUBPS X3, X2; \
	ADDPS X3, X5; \
	MOVAPS X1, X9; \
	SUBPS X7, X9; \
	ADDPS X7, X1; \
	MOVAPS X1, X3; \
	ADDPS X5, X3; \
	SUBPS X5, X1; \
	MOVAPS X2, X10; \
	ADDPS X9, X10; \
	MULPS X14, X10; \
	MULPS X13, X2; \
	ADDPS X10, X2; \
	MULPS X12, X9; \
	SUBPS X10, X9; \
	MULPS X15, X1; \
	MOVAPS X2, X5; \
	ADDPS X1, X5; \
	ADDPS X9, X1; \
	ADDPS X3, X9; \
	MOVAPS X4, X10; \
	ADDPS X9, X10; \
	SUBPS X9, X4; \
	MOVAPS X6, X11; \
	ADDPS X1, X11; \
	SUBPS X1, X6; \
	MOVAPS X0, X3; \
	ADDPS X5, X3; \
	SUBPS X5, X0; \
	MOVAPS X8, X7; \
	ADDPS X2, X7; \
	SUBPS X2, X8

#define INVHALF(R) \
	LOAD8(R); \
	INV; \
	MOVUPS X10, 0(R); \
	MOVUPS X11, 32(R); \
	MOVUPS X3, 64(R); \
	MOVUPS X7, 96(R); \
	MOVUPS X8, 128(R); \
	MOVUPS X0, 160(R); \
	MOVUPS X6, 192(R); \
	MOVUPS X4, 224(R)

// T4: rows r0..r3 in X0..X3 → columns in X10 X9 X11 X2 (X4..X7 kept).
#define T4 \
	MOVAPS X0, X8; \
	UNPCKLPS X1, X8; \
	UNPCKHPS X1, X0; \
	MOVAPS X2, X9; \
	UNPCKLPS X3, X9; \
	UNPCKHPS X3, X2; \
	MOVAPS X8, X10; \
	MOVLHPS X9, X10; \
	MOVHLPS X8, X9; \
	MOVAPS X0, X11; \
	MOVLHPS X2, X11; \
	MOVHLPS X0, X2

#define T4STORE(R, a, b, c, d) \
	MOVUPS X10, a(R); \
	MOVUPS X9, b(R); \
	MOVUPS X11, c(R); \
	MOVUPS X2, d(R)

// TRANSPOSE transposes the 8×8 block at R in place.
#define TRANSPOSE(R) \
	MOVUPS 0(R), X0; \
	MOVUPS 32(R), X1; \
	MOVUPS 64(R), X2; \
	MOVUPS 96(R), X3; \
	T4; \
	T4STORE(R, 0, 32, 64, 96); \
	MOVUPS 144(R), X0; \
	MOVUPS 176(R), X1; \
	MOVUPS 208(R), X2; \
	MOVUPS 240(R), X3; \
	T4; \
	T4STORE(R, 144, 176, 208, 240); \
	MOVUPS 128(R), X4; \
	MOVUPS 160(R), X5; \
	MOVUPS 192(R), X6; \
	MOVUPS 224(R), X7; \
	MOVUPS 16(R), X0; \
	MOVUPS 48(R), X1; \
	MOVUPS 80(R), X2; \
	MOVUPS 112(R), X3; \
	T4; \
	T4STORE(R, 128, 160, 192, 224); \
	MOVAPS X4, X0; \
	MOVAPS X5, X1; \
	MOVAPS X6, X2; \
	MOVAPS X7, X3; \
	T4; \
	T4STORE(R, 16, 48, 80, 112)

// func fdctSSE(b *[64]float32, k *[20]float32)
TEXT ·fdctSSE(SB), NOSPLIT, $0-16
	MOVQ b+0(FP), DI
	MOVQ k+8(FP), AX
	LOADK(AX)
	LEAQ 16(DI), SI
	FWDHALF(DI)
	FWDHALF(SI)
	TRANSPOSE(DI)
	FWDHALF(DI)
	FWDHALF(SI)
	TRANSPOSE(DI)
	RET

// func fdctBytesSSE(b *[64]float32, src *byte, stride int, k *[20]float32)
// The result is transposed: b[8u+v] = Y(v,u).
TEXT ·fdctBytesSSE(SB), NOSPLIT, $0-32
	MOVQ b+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ stride+16(FP), CX
	MOVQ k+24(FP), AX
	PXOR X8, X8
	MOVUPS 64(AX), X9
	MOVQ DI, R8
	MOVQ $8, BX
load:
	MOVQ (SI), X0
	PUNPCKLBW X8, X0
	MOVO X0, X1
	PUNPCKLWL X8, X0
	PUNPCKHWL X8, X1
	CVTPL2PS X0, X0
	CVTPL2PS X1, X1
	SUBPS X9, X0
	SUBPS X9, X1
	MOVUPS X0, 0(R8)
	MOVUPS X1, 16(R8)
	ADDQ CX, SI
	ADDQ $32, R8
	DECQ BX
	JNZ load
	LOADK(AX)
	LEAQ 16(DI), SI
	FWDHALF(DI)
	FWDHALF(SI)
	TRANSPOSE(DI)
	FWDHALF(DI)
	FWDHALF(SI)
	RET

// QCHUNK quantizes b[4c..4c+3] (at OFF bytes) into q and ORs the
// zero mask of the four results, shifted by SH, into DX.
#define QCHUNK(OFF, SH) \
	MOVUPS OFF(DI), X0; \
	MOVUPS OFF(SI), X1; \
	MULPS X1, X0; \
	CVTPS2PL X0, X0; \
	MOVOU X0, OFF(BX); \
	PCMPEQL X8, X0; \
	MOVMSKPS X0, AX; \
	SHLQ $SH, AX; \
	ORQ AX, DX

// func quantSSE(b *[64]float32, r *[64]float32, q *[64]int32) uint64
TEXT ·quantSSE(SB), NOSPLIT, $0-32
	MOVQ b+0(FP), DI
	MOVQ r+8(FP), SI
	MOVQ q+16(FP), BX
	PXOR X8, X8
	XORQ DX, DX
	QCHUNK(0, 0)
	QCHUNK(16, 4)
	QCHUNK(32, 8)
	QCHUNK(48, 12)
	QCHUNK(64, 16)
	QCHUNK(80, 20)
	QCHUNK(96, 24)
	QCHUNK(112, 28)
	QCHUNK(128, 32)
	QCHUNK(144, 36)
	QCHUNK(160, 40)
	QCHUNK(176, 44)
	QCHUNK(192, 48)
	QCHUNK(208, 52)
	QCHUNK(224, 56)
	QCHUNK(240, 60)
	NOTQ DX
	MOVQ DX, ret+24(FP)
	RET

// func idctCoefSSE(c *[64]int32, dq *[64]float32, dst *byte, stride int, k *[20]float32)
// c and dq are transposed (index 8u+v). Dequantizes c in place (as
// float32), transforms (along u, then along v after one transpose, which
// leaves rows of samples), writes the samples and zeroes c.
TEXT ·idctCoefSSE(SB), NOSPLIT, $0-40
	MOVQ c+0(FP), DI
	MOVQ dq+8(FP), SI
	MOVQ DI, R8
	MOVQ $16, BX
deq:
	MOVOU (R8), X0
	CVTPL2PS X0, X0
	MOVUPS (SI), X1
	MULPS X1, X0
	MOVUPS X0, (R8)
	ADDQ $16, R8
	ADDQ $16, SI
	DECQ BX
	JNZ deq
	MOVQ k+32(FP), AX
	LOADK(AX)
	LEAQ 16(DI), SI
	INVHALF(DI)
	INVHALF(SI)
	TRANSPOSE(DI)
	INVHALF(DI)
	INVHALF(SI)
	MOVQ dst+16(FP), SI
	MOVQ stride+24(FP), CX
	MOVUPS 64(AX), X9
	PXOR X10, X10
	MOVQ DI, R8
	MOVQ $8, BX
out:
	MOVUPS 0(R8), X0
	MOVUPS 16(R8), X1
	MOVUPS X10, 0(R8)
	MOVUPS X10, 16(R8)
	ADDPS X9, X0
	ADDPS X9, X1
	CVTPS2PL X0, X0
	CVTPS2PL X1, X1
	PACKSSLW X1, X0
	PACKUSWB X0, X0
	MOVQ X0, (SI)
	ADDQ CX, SI
	ADDQ $32, R8
	DECQ BX
	JNZ out
	RET
