package bmff

import (
	"bytes"
	"errors"
	"fmt"
	"slices"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// sameProps returns the re-serialized image-defining properties of it
// (codec configuration without SEI/metadata, ispe, pixi, irot, imir, clap,
// auxC, lsel, a1op, a1lx, nclx colr), in association order.
func (f *file) sameProps(it *item) [][]byte {
	var out [][]byte
	for _, a := range it.props {
		if pr := f.props[a.idx]; pr != nil && pr.same && pr.out != nil {
			out = append(out, pr.out)
		}
	}
	return out
}

// SameImage returns nil when out (a parsed rebuild) carries exactly the
// same coded image data as f: the same primary item id, and for every item
// f's rebuild keeps the same item type, the same image-defining properties
// (as re-serialized), the same 'dimg' inputs and the same coded data
// (parameter sets and VCL NAL units, or OBUs, without SEI/metadata); out
// holds no other image item.
func (f *file) SameImage(out container.File) error {
	g, ok := out.(*file)
	if !ok {
		return FormatError("output is not a parsed HEIF file")
	}
	a, b := f.h, g.h
	if a.primary != b.primary {
		return FormatError("primary item differs")
	}
	for _, ia := range a.items {
		if !f.p.keep[ia.id] {
			continue
		}
		ib := b.byID[ia.id]
		switch {
		case ib == nil || !g.p.keep[ib.id]:
			return fmtErr("item %d missing", ia.id)
		case ia.typ != ib.typ:
			return fmtErr("item %d type differs", ia.id)
		case !slices.EqualFunc(f.sameProps(ia), g.sameProps(ib), bytes.Equal):
			return fmtErr("item %d decoding properties differ", ia.id)
		case !slices.Equal(a.refsFrom(ia.id, "dimg"), b.refsFrom(ib.id, "dimg")):
			return fmtErr("item %d derived-image inputs differ", ia.id)
		case !bytes.Equal(f.data[ia.id], g.data[ib.id]):
			return fmtErr("item %d data differs", ia.id)
		}
	}
	for _, ib := range b.items {
		if imageTypes[ib.typ] && !f.p.keep[ib.id] {
			return fmtErr("output has extra image item %d", ib.id)
		}
	}
	return nil
}

// Inspect parses data and returns its inspection with the findings of its
// byte map (container.Inspect). A file photoscrub cannot rebuild
// (ErrUnsupported) is still inspected fully and returns no error; any
// other parse error is returned (a FormatError) with what was found and an
// unparsed finding. It is safe for concurrent use.
func Inspect(data []byte) (meta.Inspection, error) {
	f, err := Parse(data)
	if err != nil {
		in := f.Inspection()
		if errors.Is(err, ErrUnsupported) {
			return container.Inspect(f, len(data)), nil
		}
		return in, err
	}
	return container.Inspect(f, len(data)), nil
}

// Strip parses data and rebuilds it (see file.Rebuild). It returns a
// FormatError for malformed input, an error wrapping ErrUnsupported for
// files it cannot rewrite, and never a partial file. The output is checked
// to parse and carry the same image.
func Strip(data []byte, keep meta.Keep) ([]byte, error) {
	f, err := Parse(data)
	if err != nil {
		return nil, err
	}
	out, err := f.Rebuild(keep)
	if err != nil {
		return nil, err
	}
	g, err := Parse(out)
	if err != nil {
		return nil, fmt.Errorf("bmff: rewrite self-check failed: %w", err)
	}
	if err := f.SameImage(g); err != nil {
		return nil, fmt.Errorf("bmff: rewrite self-check failed: %w", err)
	}
	return out, nil
}

// SameImage parses orig and out and reports (as a non-nil error) whether
// out carries different coded image data (see file.SameImage).
func SameImage(orig, out []byte) error {
	a, err := Parse(orig)
	if err != nil {
		return fmt.Errorf("original: %w", err)
	}
	b, err := Parse(out)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	return a.SameImage(b)
}
