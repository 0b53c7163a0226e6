package webpriff

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/photoscrub/photoscrub/pkg/internal/exifmeta"
	"github.com/photoscrub/photoscrub/pkg/internal/xmp"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// exifPrefix is the JPEG-style header some writers put before the TIFF
// header in a WebP EXIF chunk (the spec says the chunk starts with the TIFF
// header; both forms exist in the wild).
var exifPrefix = []byte("Exif\x00\x00")

// exifBody returns an EXIF chunk payload without any "Exif\0\0" prefix.
func exifBody(p []byte) []byte {
	return bytes.TrimPrefix(p, exifPrefix)
}

// Inspect walks the whole container and classifies every metadata part:
// EXIF (with or without an "Exif\0\0" prefix) and XMP chunks go to their
// classifiers, unknown chunks (top level or inside an ANMF frame) are Other
// findings, bytes after the RIFF end are an Embedded finding. It returns a
// FormatError only when the container cannot be walked; the Inspection then
// holds what was found so far plus an Unparsed finding. It is safe for
// concurrent use.
func Inspect(data []byte) (meta.Inspection, error) {
	var set meta.Set
	var ins meta.Inspection
	f, err := parse(data)
	if f != nil {
		if f.trailing > 0 {
			set.Add(meta.Embedded, "WebP data after RIFF end")
		}
		n := len(f.chunks)
		for _, c := range f.chunks {
			if e := inspectChunk(c, &ins, &set, &n); e != nil && err == nil {
				err = e
			}
		}
		if err == nil && !hasImage(f) {
			err = FormatError("no VP8, VP8L or ANMF image chunk")
		}
	}
	if err != nil {
		set.Add(meta.Unparsed, "WebP container")
	}
	ins.Findings = set.List()
	return ins, err
}

// inspectChunk classifies one top-level chunk.
func inspectChunk(c chunk, ins *meta.Inspection, set *meta.Set, n *int) error {
	switch c.id {
	case "VP8X", "VP8 ", "VP8L":
		if ins.Width == 0 {
			if w, h, _, ok := dims(c); ok {
				ins.Width, ins.Height = w, h
			}
		}
	case "ALPH", "ANIM", "ICCP":
		// Image data, animation parameters and the colour profile: kept,
		// not findings.
	case "ANMF":
		subs, err := frameChunks(c.payload, n)
		for _, s := range subs {
			if !frameSubChunk(s.id) {
				set.Add(meta.Other, "WebP ANMF unknown chunk", meta.Sanitize(s.id))
			}
		}
		return err
	case "EXIF":
		o, _ := exifmeta.Inspect(exifBody(c.payload), "WebP EXIF", set)
		if ins.Orientation == 0 && o >= 1 && o <= 8 {
			ins.Orientation = o
		}
	case "XMP ":
		_ = xmp.Inspect(c.payload, "WebP XMP", set)
	default:
		set.Add(meta.Other, "WebP unknown chunk", meta.Sanitize(c.id))
	}
	return nil
}

// hasImage reports whether f holds a chunk a decoder can draw.
func hasImage(f *file) bool {
	for _, c := range f.chunks {
		if c.id == "VP8 " || c.id == "VP8L" || c.id == "ANMF" {
			return true
		}
	}
	return false
}

// orientation returns the first EXIF Orientation found in f, or 0.
func orientation(f *file) int {
	for _, c := range f.chunks {
		if c.id == "EXIF" {
			if o := exifmeta.Orientation(exifBody(c.payload)); o >= 1 && o <= 8 {
				return o
			}
		}
	}
	return 0
}

// Strip rebuilds the file keeping only VP8X (flags fixed), ICCP (when
// keep.ICC and the file is extended), ANIM, ANMF frames (rebuilt with only
// their ALPH/VP8/VP8L sub-chunks), ALPH, VP8 and VP8L, plus an
// Orientation-only EXIF chunk when keep.Orientation and the original EXIF
// Orientation is 2..8 (synthesizing a VP8X chunk for a simple file).
// Everything else, including bytes after the RIFF end, is dropped. It never
// returns a partial file. It is safe for concurrent use.
func Strip(data []byte, keep meta.Keep) ([]byte, error) {
	f, err := parse(data)
	if err != nil {
		return nil, err
	}
	if !hasImage(f) {
		return nil, FormatError("no VP8, VP8L or ANMF image chunk")
	}
	var vp8x, icc, img *chunk
	for i := range f.chunks {
		c := &f.chunks[i]
		switch {
		case c.id == "VP8X" && vp8x == nil:
			vp8x = c
		case c.id == "ICCP" && icc == nil:
			icc = c
		case (c.id == "VP8 " || c.id == "VP8L") && img == nil:
			img = c
		}
	}
	o := orientation(f)
	needEXIF := keep.Orientation && o >= 2 && o <= 8
	var x [10]byte
	switch {
	case vp8x != nil:
		if len(vp8x.payload) < 10 {
			return nil, FormatError("VP8X chunk shorter than 10 bytes")
		}
		copy(x[4:], vp8x.payload[4:10])
		x[0] = vp8x.payload[0] & (flagAlpha | flagAnim)
	case needEXIF:
		if img == nil {
			return nil, FormatError("no frame header to size a VP8X chunk")
		}
		w, h, alpha, ok := dims(*img)
		if !ok {
			return nil, FormatError("unreadable " + meta.Sanitize(img.id) + " frame header")
		}
		put24(x[4:7], w-1)
		put24(x[7:10], h-1)
		if alpha {
			x[0] = flagAlpha
		}
	}
	extended := vp8x != nil || needEXIF
	keepICC := extended && keep.ICC && icc != nil
	if keepICC {
		x[0] |= flagICC
	}
	if needEXIF {
		x[0] |= flagEXIF
	}
	out := make([]byte, 12, len(data)+64)
	copy(out, "RIFF\x00\x00\x00\x00WEBP")
	if extended {
		out = appendChunk(out, "VP8X", x[:])
	}
	if keepICC {
		out = appendChunk(out, "ICCP", icc.payload)
	}
	n := len(f.chunks)
	for _, c := range f.chunks {
		switch {
		case imageChunk(c.id):
			out = appendChunk(out, c.id, c.payload)
		case c.id == "ANMF":
			subs, err := frameChunks(c.payload, &n)
			if err != nil {
				return nil, err
			}
			frame := append([]byte(nil), c.payload[:anmfHeader]...)
			for _, s := range subs {
				if frameSubChunk(s.id) {
					frame = appendChunk(frame, s.id, s.payload)
				}
			}
			out = appendChunk(out, "ANMF", frame)
		}
	}
	if needEXIF {
		out = appendChunk(out, "EXIF", exifmeta.Minimal(o))
	}
	if uint64(len(out))-8 > 0xFFFFFFFF {
		return nil, FormatError("output exceeds the RIFF size limit")
	}
	binary.LittleEndian.PutUint32(out[4:8], uint32(len(out)-8))
	return out, nil
}

func put24(b []byte, v int) {
	b[0], b[1], b[2] = byte(v), byte(v>>8), byte(v>>16)
}

// coded lists the chunks that make up the coded image: top-level VP8, VP8L,
// ALPH and ANIM chunks, and each ANMF frame header followed by its ALPH,
// VP8 and VP8L sub-chunks.
func coded(data []byte) ([]chunk, error) {
	f, err := parse(data)
	if err != nil {
		return nil, err
	}
	var out []chunk
	n := len(f.chunks)
	for _, c := range f.chunks {
		switch {
		case imageChunk(c.id):
			out = append(out, c)
		case c.id == "ANMF":
			subs, err := frameChunks(c.payload, &n)
			if err != nil {
				return nil, err
			}
			out = append(out, chunk{id: "ANMF", off: c.off, payload: c.payload[:anmfHeader]})
			for _, s := range subs {
				if frameSubChunk(s.id) {
					out = append(out, s)
				}
			}
		}
	}
	return out, nil
}

// SameImage returns nil when out carries exactly the same coded image data
// as orig: the same VP8/VP8L/ALPH/ANIM chunks and ANMF frames (header and
// image sub-chunks), byte for byte and in the same order, and the same VP8X
// canvas when both have one. Otherwise it returns a FormatError naming the
// first difference. It is safe for concurrent use.
func SameImage(orig, out []byte) error {
	a, err := coded(orig)
	if err != nil {
		return fmt.Errorf("original: %w", err)
	}
	b, err := coded(out)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if len(a) == 0 {
		return FormatError("original has no image chunk")
	}
	for i := range a {
		if i >= len(b) {
			return FormatError(fmt.Sprintf("output lacks image chunk %d (%s)", i, meta.Sanitize(a[i].id)))
		}
		if a[i].id != b[i].id || !bytes.Equal(a[i].payload, b[i].payload) {
			return FormatError(fmt.Sprintf("image chunk %d (%s) differs", i, meta.Sanitize(a[i].id)))
		}
	}
	if len(b) > len(a) {
		return FormatError(fmt.Sprintf("output has %d extra image chunks", len(b)-len(a)))
	}
	fa, _ := parse(orig)
	fb, _ := parse(out)
	ca, cb := canvas(fa), canvas(fb)
	if ca != nil && cb != nil && !bytes.Equal(ca, cb) {
		return FormatError("VP8X canvas size differs")
	}
	return nil
}

// canvas returns the VP8X canvas bytes of f, or nil.
func canvas(f *file) []byte {
	for _, c := range f.chunks {
		if c.id == "VP8X" && len(c.payload) >= 10 {
			return c.payload[4:10]
		}
	}
	return nil
}
