package reencode

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"runtime"
	"sync"

	"github.com/gen2brain/avif"
	"github.com/gen2brain/heic"
	"github.com/gen2brain/webp"
	xwebp "golang.org/x/image/webp"

	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/internal/scrub"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// The WebAssembly codecs (libwebp, libheif/libde265, libavif run by
// wazero) compile their module once per process, on first use, behind a
// sync.Once of their own; every call instantiates it afresh, so calls run
// in parallel and a call's linear memory is freed when it returns.

// heifMinWidth: github.com/gen2brain/heic v0.4.5 copies the chroma
// planes as if their row stride were the width rounded up to 16, but
// libheif pads rows of fewer than 64 chroma samples to 64: images up to
// 96 pixels wide decode with wrong colours (measured: widths 64, 80, 96
// wrong; 112, 128, 136, 200 right). They are refused.
const heifMinWidth = 112

func wasmCodec(f format.Format) bool {
	return f == format.WebP || f == format.HEIF || f == format.AVIF
}

// wasmInit compiles each module once (the libraries' own Init, behind a
// sync.Once of ours too): concurrent first calls wait on one compilation.
var wasmInit = map[format.Format]func(){
	format.WebP: sync.OnceFunc(webp.Init),
	format.HEIF: sync.OnceFunc(heic.Init),
	format.AVIF: sync.OnceFunc(avif.InitDecoder),
}

var avifEncInit = sync.OnceFunc(avif.InitEncoder)

// Precompile compiles the WebAssembly modules a run will need, so that
// the first file's deadline does not pay for it (a few hundred ms to
// seconds each).
func Precompile(fs ...format.Format) {
	for _, f := range fs {
		if init, ok := wasmInit[f]; ok {
			init()
		}
		if f == format.AVIF {
			avifEncInit()
		}
	}
}

// codecConfig reads the dimensions of a WebP, HEIF or AVIF file, from its
// headers where they say it (no WebAssembly call for a bomb).
func codecConfig(f format.Format, data []byte) (image.Config, error) {
	switch f {
	case format.WebP:
		return webpConfig(data)
	default:
		// HEIF and AVIF: the largest ispe (image spatial extents)
		// property bounds every image item, the grid included; no
		// WebAssembly call is needed to refuse a bomb.
		w, h := largestISPE(data)
		if w > 0 && h > 0 {
			return image.Config{ColorModel: color.RGBAModel, Width: w, Height: h}, nil
		}
		Precompile(f)
		if f == format.HEIF {
			return heic.DecodeConfig(bytes.NewReader(data))
		}
		return avif.DecodeConfig(bytes.NewReader(data))
	}
}

// codecDecode decodes a WebP (in Go, libwebp as the fallback), HEIF or AVIF
// file (libheif, libavif in WebAssembly).
func codecDecode(f format.Format, data []byte) (image.Image, error) {
	if f == format.WebP {
		// WebP decodes in Go (x/image/webp): gen2brain/webp turns even a
		// lossless (VP8L) bitstream into YCbCr 4:2:0 (every sample off,
		// by up to 21, measured), and for lossy VP8 its planes equal
		// x/image's (every corpus WebP, alpha included) at up to 4 times
		// the time and a WebAssembly heap. libwebp remains the fallback
		// for a file x/image refuses.
		if m, err := xwebp.Decode(bytes.NewReader(data)); err == nil {
			return m, nil
		}
	}
	Precompile(f)
	// The module's linear memory is a Go slice grown by appending: a
	// large image leaves several hundred MB of garbage. Collect it now,
	// before the next file's call grows its own.
	defer runtime.GC()
	switch f {
	case format.WebP:
		return webp.Decode(bytes.NewReader(data))
	case format.HEIF:
		return heic.Decode(bytes.NewReader(data))
	}
	return avif.Decode(bytes.NewReader(data))
}

func encodeWebP(img image.Image, q int, lossless bool) ([]byte, error) {
	Precompile(format.WebP)
	defer runtime.GC() // see codecDecode
	if !lossless {
		img = webpPlanes(img)
	}
	var buf bytes.Buffer
	if err := webp.Encode(&buf, img, webp.Options{Quality: q, Lossless: lossless, Method: 4}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// webpPlanes hands 4:2:0 planes to libwebp as they are, instead of through
// RGB (chroma upsampled then subsampled again: a re-encoded 64×48 lossy
// WebP strays 9.3 levels on average from its source, 5.5 through its
// planes). gen2brain/webp reads an NYCbCrA as one
// contiguous run of Y, Cb, Cr and A with strides equal to the widths, so
// the planes are copied into exactly that layout (x/image's planes are
// padded to whole macroblocks, an oriented image's are its own).
func webpPlanes(img image.Image) image.Image {
	var src *image.YCbCr
	var alpha []byte
	var astride int
	switch m := img.(type) {
	case *image.YCbCr:
		src = m
	case *image.NYCbCrA:
		src, alpha, astride = &m.YCbCr, m.A, m.AStride
	}
	if src == nil || src.SubsampleRatio != image.YCbCrSubsampleRatio420 {
		return img
	}
	r := src.Rect
	w, h := r.Dx(), r.Dy()
	dst := image.NewNYCbCrA(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := 0; y < h; y++ {
		yi := src.YOffset(r.Min.X, r.Min.Y+y)
		copy(dst.Y[y*dst.YStride:y*dst.YStride+w], src.Y[yi:yi+w])
		a := dst.A[y*dst.AStride : y*dst.AStride+w]
		if alpha != nil {
			copy(a, alpha[y*astride:y*astride+w])
		} else {
			for i := range a {
				a[i] = 0xFF
			}
		}
	}
	cw, ch := (w+1)/2, (h+1)/2
	for y := 0; y < ch; y++ {
		ci := src.COffset(r.Min.X, r.Min.Y+2*y)
		copy(dst.Cb[y*dst.CStride:y*dst.CStride+cw], src.Cb[ci:ci+cw])
		copy(dst.Cr[y*dst.CStride:y*dst.CStride+cw], src.Cr[ci:ci+cw])
	}
	return dst
}

// avifSpeed is libavif's speed setting: 10 is the fastest (a 24 MP image
// still takes tens of seconds).
const avifSpeed = 10

func encodeAVIF(img image.Image, q int) ([]byte, error) {
	avifEncInit()
	defer runtime.GC() // see codecDecode
	var buf bytes.Buffer
	if err := avif.Encode(&buf, img, avif.Options{Quality: q, QualityAlpha: q, Speed: avifSpeed, ChromaSubsampling: image.YCbCrSubsampleRatio420}); err != nil {
		return nil, err
	}
	// libavif names itself in the hdlr box and leaves padding: the
	// container's own allowlist rebuild (verified) drops both.
	p, err := scrub.Parse(format.AVIF, buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("encode: libavif output does not parse: %w", err)
	}
	return p.Lossless(meta.Keep{})
}

// largestISPE returns the largest image extents any ispe property of an
// ISO-BMFF image file declares (0, 0 when there is none).
func largestISPE(data []byte) (w, h int) {
	var best int64
	for i := 0; ; {
		k := bytes.Index(data[i:], []byte("ispe"))
		if k < 0 {
			return w, h
		}
		at := i + k
		i = at + 4
		if at < 4 || at+16 > len(data) || binary.BigEndian.Uint32(data[at-4:]) != 20 {
			continue
		}
		ww := int64(binary.BigEndian.Uint32(data[at+8:]))
		hh := int64(binary.BigEndian.Uint32(data[at+12:]))
		if ww*hh > best && ww < 1<<20 && hh < 1<<20 {
			best, w, h = ww*hh, int(ww), int(hh)
		}
	}
}

// webpChunks lists the top-level chunks of a WebP file (fourcc, payload).
func webpChunks(data []byte) (fcc []string, body [][]byte) {
	if len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return nil, nil
	}
	end := min(len(data), 8+int(binary.LittleEndian.Uint32(data[4:])))
	for i := 12; i+8 <= end; {
		n := int(binary.LittleEndian.Uint32(data[i+4:]))
		if n < 0 || i+8+n > end {
			break
		}
		fcc = append(fcc, string(data[i:i+4]))
		body = append(body, data[i+8:i+8+n])
		i += 8 + n + n&1
	}
	return fcc, body
}

// webpAnimated reports an animated WebP: animation chunks, or a VP8X
// whose animation flag is set (its image is its frames; a still image
// chunk beside them is not the file's picture, whatever a decoder that
// skips unknown chunks returns).
func webpAnimated(data []byte) bool {
	fcc, body := webpChunks(data)
	for k, c := range fcc {
		if c == "ANIM" || c == "ANMF" || c == "VP8X" && len(body[k]) > 0 && body[k][0]&0x02 != 0 {
			return true
		}
	}
	return false
}

func webpLossless(data []byte) bool {
	fcc, _ := webpChunks(data)
	for _, c := range fcc {
		if c == "VP8L" {
			return true
		}
	}
	return false
}

func webpConfig(data []byte) (image.Config, error) {
	cfg := image.Config{ColorModel: color.NRGBAModel}
	fcc, body := webpChunks(data)
	for k, c := range fcc {
		b := body[k]
		switch {
		case c == "VP8X" && len(b) >= 10:
			cfg.Width = 1 + int(b[4]) | int(b[5])<<8 | int(b[6])<<16
			cfg.Height = 1 + int(b[7]) | int(b[8])<<8 | int(b[9])<<16
			return cfg, nil
		case c == "VP8 " && len(b) >= 10 && b[3] == 0x9d && b[4] == 0x01 && b[5] == 0x2a:
			cfg.Width = int(binary.LittleEndian.Uint16(b[6:])) & 0x3fff
			cfg.Height = int(binary.LittleEndian.Uint16(b[8:])) & 0x3fff
			return cfg, nil
		case c == "VP8L" && len(b) >= 5 && b[0] == 0x2f:
			v := binary.LittleEndian.Uint32(b[1:])
			cfg.Width = 1 + int(v&0x3fff)
			cfg.Height = 1 + int(v>>14&0x3fff)
			return cfg, nil
		}
	}
	if cfg, err := xwebp.DecodeConfig(bytes.NewReader(data)); err == nil {
		return cfg, nil
	}
	Precompile(format.WebP)
	return webp.DecodeConfig(bytes.NewReader(data))
}

// withWebPICC embeds profile in a simple-format WebP from libwebp: the
// file becomes extended (VP8X with the ICC flag, then ICCP, then the
// image chunks), as the WebP container specification orders them.
func withWebPICC(enc, profile []byte, size image.Point, alpha bool) ([]byte, bool) {
	fcc, body := webpChunks(enc)
	if len(fcc) == 0 || len(profile) == 0 {
		return enc, false
	}
	chunk := func(out []byte, c string, b []byte) []byte {
		out = append(out, c...)
		out = binary.LittleEndian.AppendUint32(out, uint32(len(b)))
		out = append(out, b...)
		if len(b)&1 == 1 {
			out = append(out, 0)
		}
		return out
	}
	out := append(make([]byte, 0, len(enc)+len(profile)+64), "RIFF\x00\x00\x00\x00WEBP"...)
	k := 0
	if fcc[0] == "VP8X" {
		x := append([]byte{}, body[0]...)
		x[0] |= 0x20
		out = chunk(out, "VP8X", x)
		k = 1
	} else {
		x := make([]byte, 10)
		x[0] = 0x20
		if alpha {
			x[0] |= 0x10
		}
		w, h := size.X-1, size.Y-1
		x[4], x[5], x[6] = byte(w), byte(w>>8), byte(w>>16)
		x[7], x[8], x[9] = byte(h), byte(h>>8), byte(h>>16)
		out = chunk(out, "VP8X", x)
	}
	out = chunk(out, "ICCP", profile)
	for ; k < len(fcc); k++ {
		out = chunk(out, fcc[k], body[k])
	}
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out, true
}

// heifTransformed reports whether the primary item of a HEIF file carries
// an irot or imir property. libheif applies them while decoding, so the
// orientation they make (Inspection.Orientation for HEIF) must not be
// applied twice. libavif does not apply them: AVIF orientation is applied
// like any other. doc is the parsed file, nil when parseHEIF refused its
// layout: then any 9-byte irot or imir box counts (libheif, more lenient
// than parseHEIF, may still decode the file and apply it).
func heifTransformed(doc *heifDoc, data []byte) bool {
	if doc != nil {
		prim := doc.items[doc.primary]
		if prim == nil {
			return false
		}
		_, rot := doc.prop(prim, "irot")
		_, mir := doc.prop(prim, "imir")
		return rot || mir
	}
	for _, typ := range []string{"irot", "imir"} {
		for i := 4; i < len(data); {
			k := bytes.Index(data[i:], []byte(typ))
			if k < 0 {
				break
			}
			at := i + k
			if binary.BigEndian.Uint32(data[at-4:]) == 9 {
				return true
			}
			i = at + 4
		}
	}
	return false
}
