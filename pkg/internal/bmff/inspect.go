package bmff

import (
	"bytes"
	"encoding/binary"

	"github.com/photoscrub/photoscrub/pkg/internal/exifmeta"
	"github.com/photoscrub/photoscrub/pkg/internal/xmp"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// keptProps is the property allowlist: what decoding and display need.
var keptProps = map[string]bool{
	"hvcC": true, "av1C": true, "avcC": true, "vvcC": true, "jpgC": true, "j2kH": true,
	"lhvC": true, "oinf": true, "tols": true, "uncC": true, "cmpd": true,
	"ispe": true, "colr": true, "irot": true, "imir": true, "pixi": true, "clap": true,
	"pasp": true, "auxC": true, "lsel": true, "a1op": true, "a1lx": true, "rloc": true,
	"clli": true, "mdcv": true, "cclv": true, "amve": true,
}

// c2paUUID is the usertype of the C2PA manifest box in ISO-BMFF files
// (C2PA 2.x, "Embedding manifests into BMFF-based assets").
var c2paUUID = []byte{0xd8, 0xfe, 0xc3, 0xd6, 0x1b, 0x0e, 0x48, 0x3c, 0x92, 0x97, 0x58, 0x28, 0x87, 0x7e, 0xc4, 0x81}

// Inspect walks the whole container and classifies every metadata part:
// Exif items (to exifmeta, where "HEIF item N Exif"), XMP items (to xmp),
// other mime and non-image items, thumbnail items, non-alpha auxiliary
// images (depth, HDR gain maps), images outside the primary image's
// derivation, non-allowlisted properties, unknown meta children, uuid boxes
// (C2PA as Identity) and unknown top-level boxes. An image sequence (moov)
// is an Unparsed finding: its tracks are not inspected. Orientation is the
// primary item's irot/imir display transform expressed as an EXIF
// Orientation value (0 when it has neither); Width and Height come from its
// ispe. It returns a FormatError when the container cannot be walked; the
// Inspection then holds what was found so far plus an Unparsed finding. It
// is safe for concurrent use.
func Inspect(data []byte) (meta.Inspection, error) {
	var set meta.Set
	var ins meta.Inspection
	h, err := parse(data)
	inspectTop(h, &set)
	if err == nil && h.meta != nil {
		err = inspectItems(h, &set, &ins)
	}
	if err != nil {
		set.Add(meta.Unparsed, "HEIF container")
	}
	ins.Findings = set.List()
	return ins, err
}

// inspectTop classifies the top-level boxes and the meta children.
func inspectTop(h *heif, set *meta.Set) {
	for _, b := range h.top {
		switch b.typ {
		case "ftyp", "meta", "mdat", "free", "skip", "idat":
		case "moov":
			set.Add(meta.Unparsed, "HEIF moov (image sequence)")
		case "uuid":
			if bytes.Equal(b.uuid, c2paUUID) {
				set.Add(meta.Identity, "HEIF uuid box", "C2PA")
			} else {
				set.Add(meta.Other, "HEIF uuid box")
			}
		case "jumb":
			set.Add(meta.Identity, "HEIF jumb box", "C2PA")
		default:
			set.Add(meta.Other, "HEIF top-level box", meta.Sanitize(b.typ))
		}
	}
	if h.metas > 1 {
		set.Add(meta.Other, "HEIF second meta box")
	}
	for _, k := range h.metaKids {
		switch k.typ {
		case "hdlr", "pitm", "iinf", "iloc", "iref", "iprp", "idat", "dinf", "grpl":
		default:
			set.Add(meta.Other, "HEIF meta box", meta.Sanitize(k.typ))
		}
	}
}

// inspectItems classifies the items and their properties.
func inspectItems(h *heif, set *meta.Set, ins *meta.Inspection) error {
	if h.hdlr != "pict" {
		set.Add(meta.Unparsed, "HEIF meta handler", meta.Sanitize(h.hdlr))
	}
	p, err := h.plan()
	if err != nil {
		return err
	}
	prim := h.byID[h.primary]
	if sz := h.findProp(prim, "ispe"); len(sz) >= 12 {
		ins.Width = int(binary.BigEndian.Uint32(sz[4:8]))
		ins.Height = int(binary.BigEndian.Uint32(sz[8:12]))
	}
	ins.Orientation = h.orientation(prim)
	used := make([]bool, len(h.props)+1)
	for _, it := range h.items {
		for _, a := range it.props {
			used[a.idx] = true
		}
		if p.keep[it.id] {
			if it.prot != 0 {
				set.Add(meta.Unparsed, where(it.id, "protected"))
			}
			for _, a := range it.props {
				if t := h.prop(a.idx).typ; !keptProps[t] {
					c := meta.Other
					if t == "udes" {
						c = meta.Comment
					}
					set.Add(c, where(it.id, "property"), meta.Sanitize(t))
				}
			}
			continue
		}
		r := p.reason[it.id]
		if r == rImage && p.covered[it.id] {
			continue
		}
		inspectRemoved(h, it, r, set)
	}
	for i, pr := range h.props {
		if !used[i+1] && !keptProps[pr.typ] && pr.typ != "free" && pr.typ != "skip" {
			set.Add(meta.Other, "HEIF unassociated property", meta.Sanitize(pr.typ))
		}
	}
	return nil
}

// inspectRemoved adds the finding for an item Strip removes.
func inspectRemoved(h *heif, it *item, r string, set *meta.Set) {
	w := where(it.id, r)
	switch r {
	case rExif:
		d, err := h.itemData(it)
		if err != nil || len(d) < 4 {
			set.Add(meta.Unparsed, w)
			return
		}
		off := uint64(binary.BigEndian.Uint32(d))
		if off > uint64(len(d)-4) {
			set.Add(meta.Unparsed, w)
			return
		}
		exifmeta.Inspect(d[4+off:], w, set)
	case rXMP:
		d, err := h.itemData(it)
		if err != nil {
			set.Add(meta.Unparsed, w)
			return
		}
		_ = xmp.Inspect(d, w, set)
	case rMime:
		set.Add(meta.Other, w, meta.Sanitize(it.contentType))
	case rThumb, rImage:
		set.Add(meta.Embedded, w, meta.Sanitize(it.typ))
	case rAux:
		set.Add(meta.Embedded, w, meta.Sanitize(h.auxType(it)))
	default:
		set.Add(meta.Other, w, meta.Sanitize(it.typ))
	}
}

// EXIF orientations as where (1, 0) and (0, 1) of the stored image go on
// display, with y pointing down: index = orientation-1.
var orientVecs = [8][4]int{
	{1, 0, 0, 1}, {-1, 0, 0, 1}, {-1, 0, 0, -1}, {1, 0, 0, -1},
	{0, 1, 1, 0}, {0, 1, -1, 0}, {0, -1, -1, 0}, {0, -1, 1, 0},
}

// orientation composes the irot and imir properties of it, in association
// order, and returns the equivalent EXIF orientation (0 when none).
func (h *heif) orientation(it *item) int {
	m := [4]int{1, 0, 0, 1} // columns: image of x axis, image of y axis
	found := false
	for _, a := range it.props {
		pr := h.prop(a.idx)
		p := pr.payload(h.data)
		var t [4]int
		switch {
		case pr.typ == "irot" && len(p) >= 1:
			// angle*90 degrees anti-clockwise on screen (y down).
			switch p[0] & 3 {
			case 0:
				t = [4]int{1, 0, 0, 1}
			case 1:
				t = [4]int{0, -1, 1, 0}
			case 2:
				t = [4]int{-1, 0, 0, -1}
			case 3:
				t = [4]int{0, 1, -1, 0}
			}
		case pr.typ == "imir" && len(p) >= 1:
			if p[0]&1 == 0 { // vertical axis: left and right swap
				t = [4]int{-1, 0, 0, 1}
			} else { // horizontal axis: top and bottom swap
				t = [4]int{1, 0, 0, -1}
			}
		default:
			continue
		}
		found = true
		// m = t × m (t applied after m); matrices stored as [a b; c d] = {a, c, b, d}.
		m = [4]int{t[0]*m[0] + t[2]*m[1], t[1]*m[0] + t[3]*m[1], t[0]*m[2] + t[2]*m[3], t[1]*m[2] + t[3]*m[3]}
	}
	if !found {
		return 0
	}
	for i, v := range orientVecs {
		if v == m {
			return i + 1
		}
	}
	return 0
}
