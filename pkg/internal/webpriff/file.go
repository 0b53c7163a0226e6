package webpriff

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/exifmeta"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Inspection returns the findings of the file's parts, its orientation
// (from EXIF or XMP) and its size.
func (f *File) Inspection() meta.Inspection {
	in := f.in
	in.Findings = append([]meta.Finding(nil), f.in.Findings...)
	return in
}

// Map returns the byte map of the input.
func (f *File) Map() []container.Range { return append([]container.Range(nil), f.ranges...) }

// ICC returns the re-serialized colour profile a rebuild keeps, or nil.
func (f *File) ICC() []byte { return f.icc }

// vp8Payload re-serializes a proven VP8 frame: the frame tag with the
// proven first partition size, the key-frame header, the proven
// partitions (each with its kept zero flush bytes) and their size table.
func vp8Payload(fr *vp8Frame) []byte {
	size := func(i int) int { return len(fr.parts[i]) + fr.pad[i] }
	n := 10
	for i := range fr.parts {
		n += size(i)
	}
	n += 3 * (len(fr.parts) - 2)
	out := make([]byte, 0, n)
	tag := fr.version<<1 | 1<<4 | size(0)<<5
	out = append(out, byte(tag), byte(tag>>8), byte(tag>>16), 0x9d, 0x01, 0x2a)
	out = binary.LittleEndian.AppendUint16(out, uint16(fr.w|fr.hscale<<14))
	out = binary.LittleEndian.AppendUint16(out, uint16(fr.h|fr.vscale<<14))
	out = append(out, fr.parts[0]...)
	out = append(out, make([]byte, fr.pad[0])...)
	for i := 1; i < len(fr.parts)-1; i++ {
		s := size(i)
		out = append(out, byte(s), byte(s>>8), byte(s>>16))
	}
	for i := 1; i < len(fr.parts); i++ {
		out = append(out, fr.parts[i]...)
		out = append(out, make([]byte, fr.pad[i])...)
	}
	return out
}

// appendPicture appends the chunks of one coded image.
func appendPicture(dst []byte, p *picture) []byte {
	if p.alph != nil {
		dst = appendChunk(dst, "ALPH", []byte{p.alph.hdr}, p.alph.data, make([]byte, p.alph.pad))
	}
	if p.vp8 != nil {
		return appendChunk(dst, "VP8 ", vp8Payload(p.vp8))
	}
	return appendChunk(dst, "VP8L", p.vp8l, make([]byte, p.pad))
}

// Rebuild writes the file anew from its parsed fields: the proven coded
// data, VP8X/ANIM/ANMF re-serialized with flags for what is kept, the ICC
// profile from icc.Rebuild when keep.ICC, and an Orientation-only EXIF
// chunk when keep.Orientation and the orientation is not 1 (a simple file
// then gains a VP8X chunk sized from its bitstream).
func (f *File) Rebuild(keep meta.Keep) ([]byte, error) {
	needEXIF := keep.Orientation && f.orient >= 2 && f.orient <= 8
	keepICC := keep.ICC && f.icc != nil
	ext := f.ext || needEXIF
	out := make([]byte, 12, f.n+64)
	copy(out, "RIFF\x00\x00\x00\x00WEBP")
	if ext {
		var x [10]byte
		x[0] = f.flags
		w, h := f.canvasW, f.canvasH
		if !f.ext {
			w, h = f.still.w, f.still.h
			if f.still.alphaBit {
				x[0] |= flagAlpha
			}
		}
		if keepICC {
			x[0] |= flagICC
		}
		if needEXIF {
			x[0] |= flagEXIF
		}
		put24(x[4:7], w-1)
		put24(x[7:10], h-1)
		out = appendChunk(out, "VP8X", x[:])
		if keepICC {
			out = appendChunk(out, "ICCP", f.icc)
		}
	}
	if f.anim != nil {
		out = appendChunk(out, "ANIM", f.anim)
		for i := range f.frames {
			fr := &f.frames[i]
			out = appendChunk(out, "ANMF", fr.hdr[:], appendPicture(nil, &fr.pic))
		}
	} else {
		out = appendPicture(out, f.still)
	}
	if needEXIF {
		out = appendChunk(out, "EXIF", exifmeta.Minimal(f.orient))
	}
	if uint64(len(out))-8 > 0xFFFFFFFF {
		return nil, FormatError("output exceeds the RIFF size limit")
	}
	binary.LittleEndian.PutUint32(out[4:8], uint32(len(out)-8))
	return out, nil
}

// SameImage returns nil when out (a parsed rebuild of f) carries the same
// coded image: the same proven VP8 partitions and frame parameters, VP8L
// streams and ALPH data, the same animation parameters and frame headers,
// and the same canvas when both are extended.
func (f *File) SameImage(out container.File) error {
	g, ok := out.(*File)
	if !ok {
		return FormatError("output is not a WebP file")
	}
	if f.ext && g.ext && (f.canvasW != g.canvasW || f.canvasH != g.canvasH || f.flags != g.flags) {
		return FormatError("canvas or VP8X image flags differ")
	}
	if !bytes.Equal(f.anim, g.anim) || len(f.frames) != len(g.frames) || (f.still == nil) != (g.still == nil) {
		return FormatError("animation structure differs")
	}
	for i := range f.frames {
		if f.frames[i].hdr != g.frames[i].hdr {
			return FormatError(fmt.Sprintf("animation frame %d header differs", i))
		}
		if err := samePicture(&f.frames[i].pic, &g.frames[i].pic); err != nil {
			return FormatError(fmt.Sprintf("animation frame %d: %v", i, err))
		}
	}
	if f.still != nil {
		return samePicture(f.still, g.still)
	}
	return nil
}

func samePicture(a, b *picture) error {
	if (a.alph == nil) != (b.alph == nil) || a.alph != nil && (a.alph.hdr != b.alph.hdr || !bytes.Equal(a.alph.data, b.alph.data)) {
		return FormatError("alpha data differs")
	}
	if (a.vp8 == nil) != (b.vp8 == nil) {
		return FormatError("bitstream kind differs")
	}
	if a.vp8 == nil {
		if !bytes.Equal(a.vp8l, b.vp8l) {
			return FormatError("VP8L bitstream differs")
		}
		return nil
	}
	x, y := a.vp8, b.vp8
	if x.w != y.w || x.h != y.h || x.hscale != y.hscale || x.vscale != y.vscale || x.version != y.version || len(x.parts) != len(y.parts) {
		return FormatError("VP8 frame header differs")
	}
	for i := range x.parts {
		if !bytes.Equal(x.parts[i], y.parts[i]) {
			return FormatError(fmt.Sprintf("VP8 partition %d differs", i))
		}
	}
	return nil
}
