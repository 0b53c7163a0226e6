package pngchunk

import (
	"bytes"
	"encoding/binary"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/exifmeta"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// iccName is the profile name written into a kept iCCP chunk: the
// original name is free text and is not copied.
const iccName = "ICC profile"

// maxIDAT is the data size of the IDAT chunks a re-deflated stream is
// split into.
const maxIDAT = 1 << 20

func (f *pngFile) Inspection() meta.Inspection { return f.insp }
func (f *pngFile) Map() []container.Range      { return f.m }
func (f *pngFile) ICC() []byte                 { return f.icc }

// Rebuild writes the PNG anew in canonical chunk order: IHDR, the kept
// colour chunks, iCCP (keep.ICC, neutral name, rebuilt profile), an
// Orientation-only eXIf (keep.Orientation, when not 1), PLTE, tRNS,
// bKGD, pHYs, acTL, then the image data (each zlib stream copied up to
// its proven end, or re-deflated from exactly the raw bytes when it hid
// data past them) with the frame control chunks, renumbered, and IEND.
func (f *pngFile) Rebuild(keep meta.Keep) ([]byte, error) {
	out := make([]byte, 0, len(f.data)+64)
	out = append(out, signature...)
	out = appendChunk(out, "IHDR", f.hdr.bytes())
	for _, t := range keptBeforePLTE {
		if d := f.kept[t]; d != nil {
			out = appendChunk(out, t, d)
		}
	}
	if keep.ICC && f.icc != nil {
		d := append(append([]byte(iccName), 0, 0), f.iccZ...)
		out = appendChunk(out, "iCCP", d)
	}
	if keep.Orientation && f.orient > 1 {
		out = appendChunk(out, "eXIf", exifmeta.Minimal(f.orient))
	}
	if f.plte != nil {
		out = appendChunk(out, "PLTE", f.plte)
	}
	for _, t := range keptAfterPLTE {
		if d := f.kept[t]; d != nil {
			out = appendChunk(out, t, d)
		}
	}
	if f.actl != nil {
		out = appendChunk(out, "acTL", f.actl)
	}
	seq := uint32(0)
	for _, s := range f.streams {
		if s.fc != nil {
			out = appendChunk(out, "fcTL", s.fc.bytes(seq))
			seq++
		}
		var parts [][]byte
		if s.pr.excess {
			raw, err := inflateRaw(f.data, s.pieces, f.hdr.geometry(s.w, s.h).raw)
			if err != nil {
				return nil, FormatError("image data could not be inflated again")
			}
			z := deflate(raw)
			for len(z) > 0 {
				n := min(len(z), maxIDAT)
				parts = append(parts, z[:n])
				z = z[n:]
			}
		} else {
			left := s.pr.used
			for _, p := range s.pieces {
				k := min(left, p.len)
				if k > 0 {
					parts = append(parts, f.data[p.off:p.off+k])
				}
				left -= k
			}
		}
		for _, p := range parts {
			if s == f.streams[0] {
				out = appendChunk(out, "IDAT", p)
				continue
			}
			out = appendChunk(out, "fdAT", append(binary.BigEndian.AppendUint32(nil, seq), p...))
			seq++
		}
	}
	return appendChunk(out, "IEND", nil), nil
}

// SameImage reports whether out carries different coded image data: the
// image header, palette, transparency, animation control, every frame's
// control fields and its decompressed scanlines (compared by SHA-256).
func (f *pngFile) SameImage(o container.File) error {
	g, ok := o.(*pngFile)
	if !ok {
		return FormatError("not a PNG")
	}
	switch {
	case f.hdr != g.hdr:
		return FormatError("IHDR differs")
	case !bytes.Equal(f.plte, g.plte):
		return FormatError("PLTE differs")
	case !bytes.Equal(f.kept["tRNS"], g.kept["tRNS"]):
		return FormatError("tRNS differs")
	case !bytes.Equal(f.actl, g.actl):
		return FormatError("acTL differs")
	case len(f.streams) != len(g.streams):
		return FormatError("number of frames differs")
	}
	for i, s := range f.streams {
		t := g.streams[i]
		if (s.fc == nil) != (t.fc == nil) || s.fc != nil && *s.fc != *t.fc {
			return FormatError("frame control differs")
		}
		if s.pr.sum != t.pr.sum {
			return FormatError("image data differs")
		}
	}
	return nil
}

// appendChunk appends a chunk of type typ with data d and a fresh CRC.
func appendChunk(out []byte, typ string, d []byte) []byte {
	out = binary.BigEndian.AppendUint32(out, uint32(len(d)))
	start := len(out)
	out = append(out, typ...)
	out = append(out, d...)
	return binary.BigEndian.AppendUint32(out, crcOf(out[start:]))
}
