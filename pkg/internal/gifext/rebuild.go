package gifext

import (
	"bytes"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

func (f *gifFile) Inspection() meta.Inspection { return f.insp }
func (f *gifFile) Map() []container.Range      { return f.m }
func (f *gifFile) ICC() []byte                 { return f.icc }

// Rebuild writes the GIF anew from its parsed fields, in canonical order:
// a GIF89a header, the logical screen descriptor and global colour table,
// a NETSCAPE2.0 loop extension (when the file loops), the ICC profile
// extension (keep.ICC, rebuilt by the icc package), an XMP extension
// holding only tiff:Orientation (keep.Orientation, when not 1), then each
// frame: its graphic control extension, image descriptor (reserved bits
// cleared), local colour table and LZW data up to the proven end code,
// in the original sub-block sizes, and the trailer.
func (f *gifFile) Rebuild(keep meta.Keep) ([]byte, error) {
	out := make([]byte, 0, len(f.data))
	out = append(out, "GIF89a"...)
	out = append(out, f.lsd...)
	out = append(out, f.gct...)
	if f.loop >= 0 {
		out = append(out, introExtension, labelApplication, 11)
		out = append(out, "NETSCAPE2.0"...)
		out = append(out, 3, 1, byte(f.loop), byte(f.loop>>8), 0)
	}
	if keep.ICC && f.icc != nil {
		out = append(out, introExtension, labelApplication, 11)
		out = append(out, "ICCRGBG1012"...)
		out = appendSubBlocks(out, f.icc)
	}
	for _, fr := range f.frames {
		if fr.gce != nil {
			out = append(out, introExtension, labelGraphicControl, 4)
			out = append(out, fr.gce...)
			out = append(out, 0)
		}
		out = append(out, introImage)
		out = append(out, fr.desc[:]...)
		out = append(out, fr.lct...)
		out = append(out, fr.litWidth)
		for _, s := range fr.lzw {
			if len(s) > 0 {
				out = append(out, byte(len(s)))
				out = append(out, s...)
			}
		}
		out = append(out, 0)
	}
	return append(out, introTrailer), nil
}

// appendSubBlocks appends p as data sub-blocks of up to 255 bytes and a
// terminator.
func appendSubBlocks(out, p []byte) []byte {
	for len(p) > 0 {
		n := min(len(p), 255)
		out = append(out, byte(n))
		out = append(out, p[:n]...)
		p = p[n:]
	}
	return append(out, 0)
}

// SameImage reports whether out carries different coded image data.
func (f *gifFile) SameImage(o container.File) error {
	g, ok := o.(*gifFile)
	if !ok {
		return FormatError("not a GIF")
	}
	switch {
	case !bytes.Equal(f.lsd, g.lsd):
		return FormatError("logical screen descriptor differs")
	case !bytes.Equal(f.gct, g.gct):
		return FormatError("global colour table differs")
	case f.loop != g.loop:
		return FormatError("loop count differs")
	case len(f.frames) != len(g.frames):
		return FormatError("number of frames differs")
	}
	for i, a := range f.frames {
		b := g.frames[i]
		switch {
		case !bytes.Equal(a.gce, b.gce) || (a.gce == nil) != (b.gce == nil):
			return FormatError("graphic control extension differs")
		case a.desc != b.desc || !bytes.Equal(a.lct, b.lct) || a.litWidth != b.litWidth:
			return FormatError("image descriptor differs")
		case !bytes.Equal(bytes.Join(a.lzw, nil), bytes.Join(b.lzw, nil)):
			return FormatError("image data differs")
		}
	}
	return nil
}
