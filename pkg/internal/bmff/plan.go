package bmff

import (
	"bytes"
	"strconv"
)

// Reasons an item is removed, used for findings.
const (
	rExif  = "Exif"
	rXMP   = "XMP"
	rMime  = "mime"
	rThumb = "thumbnail"
	rAux   = "auxiliary image"
	rImage = "image"
	rOther = "item"
)

// imageTypes are item types that code or derive an image.
var imageTypes = map[string]bool{
	"hvc1": true, "av01": true, "grid": true, "iovl": true, "iden": true, "tmap": true,
	"jpeg": true, "avc1": true, "unci": true, "hvt1": true, "lhv1": true, "vvc1": true,
	"j2k1": true, "mski": true, "vvi1": true,
}

// alphaURNs name alpha-plane auxiliary images (HEIF 23008-12 6.5.8, MIAF,
// AVIF), which are needed for display and kept.
var alphaURNs = map[string]bool{
	"urn:mpeg:mpegB:cicp:systems:auxiliary:alpha": true,
	"urn:mpeg:hevc:2015:auxid:1":                  true,
	"urn:mpeg:avc:2015:auxid:1":                   true,
}

// plan is the decision of which items a rewrite keeps.
type plan struct {
	keep    map[uint32]bool
	reason  map[uint32]string // removed items
	covered map[uint32]bool   // removed items that are inputs of a removed derived item
}

// auxType returns the auxC URN of it, or "".
func (h *heif) auxType(it *item) string {
	p := h.findProp(it, "auxC")
	if len(p) < 4 {
		return ""
	}
	s := p[4:]
	if i := bytes.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	return string(s)
}

// refsFrom returns the ids referenced from id with reference type typ.
func (h *heif) refsFrom(id uint32, typ string) []uint32 {
	var out []uint32
	for _, r := range h.refs {
		if r.from == id && r.typ == typ {
			out = append(out, r.to...)
		}
	}
	return out
}

// plan computes the kept item set: the primary item, the inputs of kept
// derived images, and alpha auxiliary images of kept items.
func (h *heif) plan() (plan, error) {
	p := plan{keep: map[uint32]bool{}, reason: map[uint32]string{}, covered: map[uint32]bool{}}
	if !h.hasPrimary {
		return p, FormatError("no primary item (pitm)")
	}
	// auxl: from = auxiliary image, to = master images.
	auxOf := map[uint32][]uint32{}
	for _, r := range h.refs {
		if r.typ == "auxl" {
			for _, t := range r.to {
				auxOf[t] = append(auxOf[t], r.from)
			}
		}
	}
	queue := []uint32{h.primary}
	p.keep[h.primary] = true
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		next := h.refsFrom(id, "dimg")
		for _, a := range auxOf[id] {
			if it := h.byID[a]; it != nil && alphaURNs[h.auxType(it)] {
				next = append(next, a)
			}
		}
		for _, n := range next {
			if h.byID[n] == nil {
				return p, fmtErr("item %d refers to missing item %d", id, n)
			}
			if !p.keep[n] {
				p.keep[n] = true
				queue = append(queue, n)
			}
		}
	}
	thumbs, auxs := map[uint32]bool{}, map[uint32]bool{}
	for _, r := range h.refs {
		switch r.typ {
		case "thmb":
			thumbs[r.from] = true
		case "auxl":
			auxs[r.from] = true
		}
	}
	for _, it := range h.items {
		if p.keep[it.id] {
			continue
		}
		switch {
		case it.typ == "Exif":
			p.reason[it.id] = rExif
		case it.typ == "mime" && it.contentType == "application/rdf+xml":
			p.reason[it.id] = rXMP
		case it.typ == "mime":
			p.reason[it.id] = rMime
		case thumbs[it.id]:
			p.reason[it.id] = rThumb
		case auxs[it.id]:
			p.reason[it.id] = rAux
		case imageTypes[it.typ]:
			p.reason[it.id] = rImage
		default:
			p.reason[it.id] = rOther
		}
		for _, in := range h.refsFrom(it.id, "dimg") {
			if !p.keep[in] {
				p.covered[in] = true
			}
		}
	}
	return p, nil
}

// where names an item in findings.
func where(id uint32, what string) string {
	return "HEIF item " + strconv.FormatUint(uint64(id), 10) + " " + what
}
