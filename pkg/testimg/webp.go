package testimg

import (
	"encoding/binary"
)

// WebPOptions selects what WebP builds. The zero value gives a simple
// lossless (VP8L) 2×2 file with no metadata.
type WebPOptions struct {
	// Width and Height of the image (default 2×2, at most 16384).
	Width, Height int
	// ARGB is the colour of every pixel (0 means opaque 0xff3366cc).
	ARGB uint32
	// Extended writes a VP8X chunk even when no metadata needs one.
	Extended bool
	// EXIF is written as an EXIF chunk (e.g. from EXIF(EXIFOptions)).
	EXIF []byte
	// EXIFPrefix puts "Exif\x00\x00" before the TIFF header in the EXIF
	// chunk, as some writers do.
	EXIFPrefix bool
	// XMP is written as an "XMP " chunk.
	XMP []byte
	// ICC is written as an ICCP chunk.
	ICC []byte
	// Unknown is written as a private chunk with FourCC "PSMK" (and, in
	// animated files, also inside the first ANMF frame).
	Unknown []byte
	// Animated writes ANIM and two ANMF frames instead of one VP8L chunk.
	Animated bool
	// Trailer is appended after the RIFF end.
	Trailer []byte
	// WrongFlags sets every VP8X flag bit regardless of content.
	WrongFlags bool
}

// WebP returns a WebP file as selected by o. Metadata chunks force the
// extended format; VP8X flags describe the content unless WrongFlags.
// Output is deterministic.
func WebP(o WebPOptions) []byte {
	w, h := o.Width, o.Height
	if w <= 0 || h <= 0 {
		w, h = 2, 2
	}
	argb := o.ARGB
	if argb == 0 {
		argb = 0xff3366cc
	}
	frame := WebPLossless(w, h, argb)
	ext := o.Extended || o.EXIF != nil || o.XMP != nil || o.ICC != nil || o.Animated
	var body []byte
	if ext {
		var x [10]byte
		switch {
		case o.WrongFlags:
			x[0] = 0x3e
		default:
			if o.ICC != nil {
				x[0] |= 0x20
			}
			if o.EXIF != nil {
				x[0] |= 0x08
			}
			if o.XMP != nil {
				x[0] |= 0x04
			}
			if o.Animated {
				x[0] |= 0x02
			}
		}
		webpPut24(x[4:7], w-1)
		webpPut24(x[7:10], h-1)
		body = webpChunk(body, "VP8X", x[:])
	}
	if o.ICC != nil {
		body = webpChunk(body, "ICCP", o.ICC)
	}
	if o.Animated {
		body = webpChunk(body, "ANIM", []byte{0, 0, 0, 0, 0, 0})
		for i := 0; i < 2; i++ {
			var hdr [16]byte
			webpPut24(hdr[6:9], w-1)
			webpPut24(hdr[9:12], h-1)
			webpPut24(hdr[12:15], 100)
			f := webpChunk(hdr[:], "VP8L", WebPLossless(w, h, argb^uint32(i)))
			if i == 0 && o.Unknown != nil {
				f = webpChunk(f, "PSMK", o.Unknown)
			}
			body = webpChunk(body, "ANMF", f)
		}
	} else {
		body = webpChunk(body, "VP8L", frame)
	}
	if o.EXIF != nil {
		p := o.EXIF
		if o.EXIFPrefix {
			p = append([]byte("Exif\x00\x00"), p...)
		}
		body = webpChunk(body, "EXIF", p)
	}
	if o.XMP != nil {
		body = webpChunk(body, "XMP ", o.XMP)
	}
	if o.Unknown != nil {
		body = webpChunk(body, "PSMK", o.Unknown)
	}
	out := append([]byte("RIFF"), 0, 0, 0, 0)
	out = append(out, "WEBP"...)
	out = append(out, body...)
	binary.LittleEndian.PutUint32(out[4:8], uint32(len(out)-8))
	return append(out, o.Trailer...)
}

// WebPLossless returns a VP8L bitstream (the payload of a VP8L chunk) of a
// w×h image whose pixels are all argb. Every prefix code is a one-symbol
// "simple" code (WebP Lossless Bitstream Specification 3.7.2.1.1), so the
// pixel data takes zero bits.
func WebPLossless(w, h int, argb uint32) []byte {
	var bw webpBits
	bw.put(0x2f, 8)
	bw.put(uint32(w-1), 14)
	bw.put(uint32(h-1), 14)
	alpha := uint32(0)
	if argb>>24 != 0xff {
		alpha = 1
	}
	bw.put(alpha, 1)
	bw.put(0, 3) // version
	bw.put(0, 1) // no transform
	bw.put(0, 1) // no colour cache
	bw.put(0, 1) // no meta prefix codes
	// green, red, blue, alpha, distance
	for _, sym := range []uint32{argb >> 8 & 0xff, argb >> 16 & 0xff, argb & 0xff, argb >> 24, 0} {
		bw.put(1, 1) // simple code
		bw.put(0, 1) // one symbol
		bw.put(1, 1) // 8-bit symbol
		bw.put(sym, 8)
	}
	return bw.bytes()
}

// webpBits writes bits LSB first, as VP8L reads them.
type webpBits struct {
	buf  []byte
	acc  uint64
	nacc uint
}

func (b *webpBits) put(v uint32, n uint) {
	b.acc |= uint64(v&(1<<n-1)) << b.nacc
	b.nacc += n
	for b.nacc >= 8 {
		b.buf = append(b.buf, byte(b.acc))
		b.acc >>= 8
		b.nacc -= 8
	}
}

func (b *webpBits) bytes() []byte {
	if b.nacc > 0 {
		return append(b.buf, byte(b.acc))
	}
	return b.buf
}

func webpChunk(dst []byte, id string, p []byte) []byte {
	dst = append(dst, id...)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(p)))
	dst = append(dst, p...)
	if len(p)&1 == 1 {
		dst = append(dst, 0)
	}
	return dst
}

func webpPut24(b []byte, v int) {
	b[0], b[1], b[2] = byte(v), byte(v>>8), byte(v>>16)
}
