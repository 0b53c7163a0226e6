package bmff

import (
	"bytes"
	"fmt"
	"slices"
)

// sameProps are the property types whose bytes must be identical for two
// items to decode to the same pixels and display the same way.
var sameProps = map[string]bool{
	"hvcC": true, "av1C": true, "avcC": true, "vvcC": true, "jpgC": true, "j2kH": true,
	"lhvC": true, "uncC": true, "cmpd": true, "ispe": true, "irot": true, "imir": true,
	"clap": true, "pixi": true, "auxC": true, "lsel": true, "a1op": true, "a1lx": true,
}

// codedProps returns the (type, bytes) list of it's sameProps properties
// plus nclx colour information, in association order.
func (h *heif) codedProps(it *item) [][]byte {
	var out [][]byte
	for _, a := range it.props {
		pr := h.prop(a.idx)
		pl := pr.payload(h.data)
		if sameProps[pr.typ] || pr.typ == "colr" && len(pl) >= 4 && string(pl[:4]) == "nclx" {
			out = append(out, h.data[pr.start:pr.end])
		}
	}
	return out
}

// SameImage returns nil when out carries exactly the same coded image data
// as orig: the same primary item id, and for the primary item and every
// item orig's rewrite keeps (derived-image inputs, alpha planes) the same
// item type, the same decoding properties (codec configuration, ispe, irot,
// imir, clap, pixi, auxC, nclx colr, byte for byte, in order), the same
// 'dimg' input lists and the same item data bytes. out must hold no other
// image item. Otherwise it returns an error naming the first difference
// (a FormatError, or the parse error of either file). It is safe for
// concurrent use.
func SameImage(orig, out []byte) error {
	a, err := parse(orig)
	if err != nil {
		return fmt.Errorf("original: %w", err)
	}
	b, err := parse(out)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if a.meta == nil || b.meta == nil {
		return FormatError("no meta box")
	}
	pa, err := a.plan()
	if err != nil {
		return fmt.Errorf("original: %w", err)
	}
	if _, err := b.plan(); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if a.primary != b.primary {
		return FormatError("primary item differs")
	}
	for _, ia := range a.items {
		if !pa.keep[ia.id] {
			continue
		}
		ib := b.byID[ia.id]
		switch {
		case ib == nil:
			return fmtErr("item %d missing", ia.id)
		case ia.typ != ib.typ:
			return fmtErr("item %d type differs", ia.id)
		case !slices.EqualFunc(a.codedProps(ia), b.codedProps(ib), bytes.Equal):
			return fmtErr("item %d decoding properties differ", ia.id)
		case !slices.Equal(a.refsFrom(ia.id, "dimg"), b.refsFrom(ib.id, "dimg")):
			return fmtErr("item %d derived-image inputs differ", ia.id)
		case ia.hasLoc != ib.hasLoc:
			return fmtErr("item %d location differs", ia.id)
		}
		if !ia.hasLoc {
			continue
		}
		da, err := a.itemData(ia)
		if err != nil {
			return fmt.Errorf("original: %w", err)
		}
		db, err := b.itemData(ib)
		if err != nil {
			return fmt.Errorf("output: %w", err)
		}
		if !bytes.Equal(da, db) {
			return fmtErr("item %d data differs", ia.id)
		}
	}
	for _, ib := range b.items {
		if imageTypes[ib.typ] && !pa.keep[ib.id] {
			return fmtErr("output has extra image item %d", ib.id)
		}
	}
	return nil
}
