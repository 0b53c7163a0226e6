package bmff

import (
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

// knownItemTypes are the item types a report may name; any other type
// is reported as "unknown item type".
var knownItemTypes = map[string]bool{
	"hvc1": true, "av01": true, "grid": true, "iovl": true, "iden": true, "tmap": true,
	"jpeg": true, "avc1": true, "unci": true, "hvt1": true, "lhv1": true, "vvc1": true,
	"j2k1": true, "mski": true, "vvi1": true, "Exif": true, "mime": true, "uri ": true,
}

// xmlTypes are the mime content types whose items may hold an XMP packet.
var xmlTypes = map[string]bool{"application/rdf+xml": true, "text/xml": true, "application/xml": true}

// alphaURNs name alpha-plane auxiliary images (HEIF 23008-12 6.5.8, MIAF,
// AVIF), which are needed for display and kept.
var alphaURNs = map[string]bool{
	"urn:mpeg:mpegB:cicp:systems:auxiliary:alpha": true,
	"urn:mpeg:hevc:2015:auxid:1":                  true,
	"urn:mpeg:avc:2015:auxid:1":                   true,
}

// knownAuxURNs are auxiliary types a report may name.
var knownAuxURNs = map[string]bool{
	"urn:mpeg:mpegB:cicp:systems:auxiliary:alpha":       true,
	"urn:mpeg:hevc:2015:auxid:1":                        true,
	"urn:mpeg:avc:2015:auxid:1":                         true,
	"urn:mpeg:hevc:2015:auxid:2":                        true,
	"urn:mpeg:avc:2015:auxid:2":                         true,
	"urn:mpeg:mpegB:cicp:systems:auxiliary:depth":       true,
	"urn:com:apple:photo:2020:aux:hdrgainmap":           true,
	"urn:com:apple:photo:2019:aux:semanticskinmatte":    true,
	"urn:com:apple:photo:2019:aux:semantichairmatte":    true,
	"urn:com:apple:photo:2019:aux:semanticteethmatte":   true,
	"urn:com:apple:photo:2018:aux:portraiteffectsmatte": true,
	"urn:com:apple:photo:2023:aux:semanticglassesmatte": true,
	"urn:com:apple:photo:2023:aux:semanticskymatte":     true,
}

// plan is the decision of which items a rewrite keeps.
type plan struct {
	keep    map[uint32]bool
	reason  map[uint32]string // removed items
	covered map[uint32]bool   // removed items that are inputs of a removed derived item
}

// auxType returns the auxC URN of it, or "".
func (h *heif) auxType(it *item) string {
	i := h.findProp(it, "auxC")
	if i == 0 {
		return ""
	}
	p := h.prop(i).payload(h.data)
	if len(p) < 4 {
		return ""
	}
	c := &cur{b: p, p: 4}
	return c.str()
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

// refersTo reports whether id has a typ reference to target.
func (h *heif) refersTo(id uint32, typ string, target uint32) bool {
	for _, t := range h.refsFrom(id, typ) {
		if t == target {
			return true
		}
	}
	return false
}

// plan computes the kept item set: the primary item, the inputs of kept
// derived images, and alpha auxiliary images of kept items.
func (h *heif) plan() (plan, error) {
	p := plan{keep: map[uint32]bool{}, reason: map[uint32]string{}, covered: map[uint32]bool{}}
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
			if it := h.byID[a]; it != nil && imageTypes[it.typ] && alphaURNs[h.auxType(it)] {
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
		case (it.typ == "mime" || it.infeVersion < 2) && xmlTypes[it.contentType]:
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
