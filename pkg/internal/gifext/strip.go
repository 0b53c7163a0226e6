package gifext

import (
	"bytes"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Strip rebuilds the container from an allowlist: header, logical screen
// descriptor, global colour table, graphic control extensions (the 4-byte
// fields only), a canonical NETSCAPE2.0/ANIMEXTS1.0 loop extension, the
// ICCRGBG1012 profile per keep.ICC, every image descriptor with its local
// colour table and LZW data verbatim, and the trailer. Comments, plain
// text, XMP and other application extensions and anything after the
// trailer are dropped. It never returns a partial file: error or full
// output.
func Strip(data []byte, keep meta.Keep) ([]byte, error) {
	f, err := walk(data)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(data))
	out = append(out, f.header...)
	out = append(out, f.lsd...)
	out = append(out, f.gct...)
	for _, b := range f.blocks {
		switch {
		case b.intro == introImage:
			out = append(out, b.raw...)
		case b.label == labelGraphicControl:
			out = append(out, introExtension, labelGraphicControl, 4)
			out = append(out, b.first...)
			out = append(out, 0)
		case b.appID() == "NETSCAPE2.0" || b.appID() == "ANIMEXTS1.0":
			if loop, _ := loopCount(b); loop >= 0 {
				out = append(out, introExtension, labelApplication, 11)
				out = append(out, b.first...)
				out = append(out, 3, 1, byte(loop), byte(loop>>8), 0)
			}
		case b.appID() == "ICCRGBG1012":
			if _, ok := iccProfile(b); ok && keep.ICC {
				out = append(out, b.raw...)
			}
		}
	}
	return append(out, introTrailer), nil
}

// part is one piece of coded image data compared by SameImage.
type part struct {
	name string
	data []byte
}

// imageParts lists the logical screen descriptor, the global colour table,
// the loop count and, in order, every graphic control field set and image.
func imageParts(f *file) []part {
	ps := []part{{"logical screen descriptor", f.lsd}, {"global colour table", f.gct}}
	loop := []byte{}
	for _, b := range f.blocks {
		switch {
		case b.intro == introImage:
			ps = append(ps, part{"image", b.raw})
		case b.label == labelGraphicControl:
			ps = append(ps, part{"graphic control extension", b.first})
		case b.appID() == "NETSCAPE2.0" || b.appID() == "ANIMEXTS1.0":
			if l, _ := loopCount(b); l >= 0 && len(loop) == 0 {
				loop = []byte{byte(l), byte(l >> 8), 1}
			}
		}
	}
	return append(ps, part{"loop count", loop})
}

// SameImage returns nil when out carries exactly the same coded image data
// as orig (screen descriptor, colour tables, loop count, graphic control
// extensions and every image descriptor with its LZW data, in order), and a
// FormatError naming the first difference otherwise.
func SameImage(orig, out []byte) error {
	fo, err := walk(orig)
	if err != nil {
		return err
	}
	fn, err := walk(out)
	if err != nil {
		return err
	}
	a, b := imageParts(fo), imageParts(fn)
	for i := range min(len(a), len(b)) {
		if a[i].name != b[i].name || !bytes.Equal(a[i].data, b[i].data) {
			return FormatError(a[i].name + " differs")
		}
	}
	if len(a) != len(b) {
		return FormatError("number of frames differs")
	}
	return nil
}
