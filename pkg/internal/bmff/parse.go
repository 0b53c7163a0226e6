package bmff

import (
	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// extent is one iloc extent (offset relative to the file or the idat
// payload, base offset already added; length resolved when it was 0).
type extent struct{ off, len uint64 }

// assoc is one ipma association: a 1-based ipco index.
type assoc struct {
	idx       int
	essential bool
}

// item is one item with its infe, iloc and ipma data. Its name, content
// type and encoding are file bytes and never reported.
type item struct {
	id          uint32
	typ         string
	hidden      bool
	prot        uint16
	infeVersion uint8
	contentType string
	encoding    string
	hasLoc      bool
	method      uint8
	dref        uint16
	ext         []extent
	props       []assoc
}

// ref is one iref entry.
type ref struct {
	typ  string
	from uint32
	to   []uint32
}

// heif is a parsed file: its boxes, items and properties, the byte map
// claimed so far and the findings.
type heif struct {
	data       []byte
	top        []box
	major      string // "" when the major brand is unknown
	compatible []string
	meta       *box
	hasDinf    bool
	hdlr       string
	primary    uint32
	hasPrimary bool
	items      []*item
	byID       map[uint32]*item
	ilocIdx    int // iloc index_size
	refs       []ref
	props      []box
	idat       *box
	mdats      []box
	metas      int

	rs    []container.Range
	set   meta.Set
	unsup error // first reason the file cannot be rebuilt
}

// claim records the byte range [off, end) of the input as kind.
func (h *heif) claim(off, end int, k container.Kind, part string) {
	if end > off {
		h.rs = append(h.rs, container.Range{Off: off, Len: end - off, Kind: k, Part: part})
	}
}

// unsupported records the first reason a rebuild is impossible.
func (h *heif) unsupported(why string) {
	if h.unsup == nil {
		h.unsup = unsupported(why)
	}
}

// knownBrands are the ftyp brands kept by a rebuild (ISO/IEC 14496-12,
// 23008-12, 23000-22 MIAF, AVIF); any other brand is slack.
var knownBrands = map[string]bool{
	"mif1": true, "mif2": true, "mif3": true, "msf1": true, "miaf": true, "heic": true, "heix": true,
	"heim": true, "heis": true, "hevc": true, "hevx": true, "hevm": true, "hevs": true, "avif": true,
	"avis": true, "avio": true, "MA1A": true, "MA1B": true, "MiHA": true, "MiHB": true, "MiHE": true,
	"MiPr": true, "MiAn": true, "MiCm": true, "MiBr": true, "MiAC": true, "MiHM": true, "iso8": true,
	"isom": true, "iso2": true, "iso4": true, "iso6": true, "mp41": true, "mp42": true, "unif": true,
	"tmap": true, "jpeg": true, "jpgs": true, "j2ki": true, "vvic": true, "avci": true, "avcs": true,
	"1pic": true, "uncv": true, "nmif": true, "hmtk": true,
}

// parse walks the top level and the meta box. A non-nil error comes with
// whatever was parsed so far (findings in h.set).
func parse(data []byte) (*heif, error) {
	h := &heif{data: data, byID: map[uint32]*item{}}
	w := &walker{data: data}
	top, err := w.list(0, len(data))
	h.top = top
	if err != nil {
		pos := 0
		if len(top) > 0 {
			pos = top[len(top)-1].end
		}
		if len(top) == 0 || len(data)-pos >= 8 {
			return h, err
		}
		h.claim(pos, len(data), container.Slack, "bytes after the last box")
	}
	if len(top) == 0 || top[0].typ != "ftyp" {
		return h, FormatError("file does not start with an ftyp box")
	}
	if err := h.parseFtyp(top[0]); err != nil {
		return h, err
	}
	for i := 1; i < len(top); i++ {
		b := top[i]
		switch b.typ {
		case "meta":
			h.metas++
			if h.meta == nil {
				h.meta = &top[i]
				continue
			}
			h.claim(b.start, b.end, container.Meta, "second meta box")
			h.set.Add(meta.Other, "HEIF second meta box")
			h.unsupported("more than one meta box")
		case "mdat":
			h.claim(b.start, b.body, container.Kept, "mdat header")
			h.mdats = append(h.mdats, b)
		case "free", "skip":
			h.claimFree(b)
		case "moov":
			if e := w.walkTree(b, func(box, int) {}); e != nil {
				return h, e
			}
			h.claim(b.start, b.end, container.Meta, "moov box")
			h.set.Add(meta.Unparsed, "HEIF moov (image sequence)")
			h.unsupported("image sequence (moov)")
		case "uuid":
			h.claim(b.start, b.end, container.Meta, "uuid box")
			if string(b.uuid) == string(c2paUUID) {
				h.set.Add(meta.Identity, "HEIF uuid box", "C2PA")
			} else {
				h.set.Add(meta.Other, "HEIF uuid box")
			}
		case "jumb":
			h.claim(b.start, b.end, container.Meta, "jumb box")
			h.set.Add(meta.Identity, "HEIF jumb box", "C2PA")
		case "ftyp":
			h.claim(b.start, b.end, container.Meta, "second ftyp box")
			h.set.Add(meta.Other, "HEIF second ftyp box")
		default:
			h.claim(b.start, b.end, container.Meta, "unknown top-level box")
			h.set.Add(meta.Other, "HEIF unknown top-level box", container.SizeTag(b.end-b.start))
		}
	}
	if h.meta == nil {
		if h.unsup != nil {
			return h, h.unsup
		}
		return h, FormatError("no meta box")
	}
	return h, h.parseMeta(w)
}

// claimFree claims a free or skip box: kept when its payload is all
// zero (padding a writer reserved), slack otherwise. A rebuild never
// writes one.
func (h *heif) claimFree(b box) {
	for _, x := range b.payload(h.data) {
		if x != 0 {
			h.claim(b.start, b.end, container.Slack, "free box")
			return
		}
	}
	h.claim(b.start, b.end, container.Kept, "free box")
}

// parseFtyp validates the ftyp box: a known major brand, minor version 0,
// known compatible brands each listed once; anything else is slack, and
// the rebuild writes only what was validated.
func (h *heif) parseFtyp(b box) error {
	p := b.payload(h.data)
	if len(p) < 8 {
		return FormatError("ftyp box too short")
	}
	h.claim(b.start, b.body, container.Kept, "ftyp header")
	kind := func(ok bool) container.Kind {
		if ok {
			return container.Kept
		}
		return container.Slack
	}
	maj := string(p[:4])
	if knownBrands[maj] {
		h.major = maj
	}
	h.claim(b.body, b.body+4, kind(h.major != ""), "ftyp major brand")
	h.claim(b.body+4, b.body+8, kind(p[4]|p[5]|p[6]|p[7] == 0), "ftyp minor version")
	seen := map[string]bool{}
	i := 8
	for ; i+4 <= len(p); i += 4 {
		c := string(p[i : i+4])
		ok := knownBrands[c]
		if ok && !seen[c] {
			seen[c] = true
			h.compatible = append(h.compatible, c)
		}
		h.claim(b.body+i, b.body+i+4, kind(ok), "ftyp compatible brand")
	}
	h.claim(b.body+i, b.end, container.Slack, "ftyp trailing bytes")
	return nil
}

// metaKids are the meta children a rebuild writes, each at most once.
var metaKids = map[string]bool{"hdlr": true, "pitm": true, "iinf": true, "iloc": true, "iref": true,
	"iprp": true, "idat": true, "dinf": true}

func (h *heif) parseMeta(w *walker) error {
	m := *h.meta
	v, fl, _ := fullBox(m.payload(h.data))
	if v != 0 || m.end-m.body < 4 {
		return FormatError("meta box version or size")
	}
	h.claim(m.start, m.body, container.Kept, "meta header")
	h.claimFlags(m.body, fl)
	kids, err := w.children(m, 4)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, k := range kids {
		if metaKids[k.typ] {
			if seen[k.typ] {
				return fmtErr("duplicate %s box", k.typ)
			}
			seen[k.typ] = true
		}
	}
	var iloc, iprp *box
	for i, k := range kids {
		switch k.typ {
		case "hdlr":
			err = h.parseHdlr(k)
		case "pitm":
			err = h.parsePitm(k)
		case "iinf":
			err = h.parseIinf(w, k)
		case "iref":
			err = h.parseIref(w, k)
		case "iprp":
			iprp = &kids[i]
		case "iloc":
			iloc = &kids[i]
		case "idat":
			h.idat = &kids[i]
			h.claim(k.start, k.body, container.Kept, "idat header")
		case "dinf":
			h.parseDinf(k)
		case "free", "skip":
			h.claimFree(k)
		case "grpl":
			h.claim(k.start, k.end, container.Meta, "entity groups")
			h.set.Add(meta.Other, "HEIF entity groups")
		default:
			h.claim(k.start, k.end, container.Meta, "unknown meta child box")
			h.set.Add(meta.Other, "HEIF unknown meta child box", container.SizeTag(k.end-k.start))
		}
		if err != nil {
			return err
		}
	}
	// ipma needs the item list, iloc the idat box.
	if iprp != nil {
		if err := h.parseIprp(w, *iprp); err != nil {
			return err
		}
	}
	if iloc != nil {
		if err := h.parseIloc(*iloc); err != nil {
			return err
		}
	}
	if h.hdlr != "pict" {
		h.set.Add(meta.Unparsed, "HEIF meta handler")
		h.unsupported("meta handler is not pict")
	}
	if !h.hasPrimary {
		return FormatError("no primary item (pitm)")
	}
	if h.byID[h.primary] == nil {
		return fmtErr("primary item %d has no infe", h.primary)
	}
	return nil
}

func (h *heif) parseHdlr(b box) error {
	v, fl, c := fullBox(b.payload(h.data))
	pre := c.u32()
	h.hdlr = c.fourcc()
	res := c.uN(4) | c.uN(4) | c.uN(4)
	if c.bad {
		return FormatError("hdlr box too short")
	}
	fixed := container.Kept
	if v != 0 || fl != 0 || pre != 0 || res != 0 {
		fixed = container.Slack
	}
	h.claim(b.start, b.body+c.p, fixed, "hdlr")
	h.claimPad(h.claimName(b.body+c.p, b.end, "HEIF handler name"), b.end)
	return nil
}

// claimFlags claims the version and flags of a full box at off, which a
// rebuild writes anew: kept when the flags are zero, else slack.
func (h *heif) claimFlags(off int, flags uint32) {
	k := container.Kept
	if flags != 0 {
		k = container.Slack
	}
	h.claim(off, off+4, k, "full box version and flags")
}

// claimName claims a NUL-terminated name field ending the box at end:
// an empty name is kept, any other text is metadata (named by its size
// only); bytes after the NUL are slack. The rebuild writes empty names.
func (h *heif) claimName(off, end int, where string) int {
	n := 0
	for off+n < end && h.data[off+n] != 0 {
		n++
	}
	stop := min(off+n+1, end)
	if n == 0 || knownNames[string(h.data[off:off+n])] {
		h.claim(off, stop, container.Kept, "name")
	} else {
		h.claim(off, stop, container.Meta, "name")
		h.set.Add(meta.Other, where, container.SizeTag(n))
	}
	return stop
}

// knownNames are item and handler names writers use that carry nothing
// (kept as validated; the rebuild still writes empty names).
var knownNames = map[string]bool{
	"HEVC Image": true, "Exif": true, "XMP": true, "Image": true, "Thumbnail": true, "Alpha": true,
	"Depth": true, "Color": true, "Primary": true, "AV1 Image": true, "Grid": true, "MIAF": true,
	"libheif": true, "PictureHandler": true, "Exif Data": true, "XMP Data": true, "HDR Gain Map": true,
}

// claimPad claims [off, end) after a NUL-terminated field at the end of
// a box: zero padding is kept, anything else is slack.
func (h *heif) claimPad(off, end int) {
	for i := off; i < end; i++ {
		if h.data[i] != 0 {
			h.claim(off, end, container.Slack, "trailing bytes")
			return
		}
	}
	h.claim(off, end, container.Kept, "zero padding")
}

func (h *heif) parsePitm(b box) error {
	v, fl, c := fullBox(b.payload(h.data))
	if v == 0 {
		h.primary = uint32(c.u16())
	} else {
		h.primary = c.u32()
	}
	if c.bad || v > 1 || fl != 0 {
		return FormatError("pitm box too short or of an unknown version")
	}
	h.hasPrimary = true
	h.claim(b.start, b.body+c.p, container.Kept, "pitm")
	h.claim(b.body+c.p, b.end, container.Slack, "pitm trailing bytes")
	return nil
}

// parseDinf keeps the one data reference form a self-contained file
// uses (a dref with one 'url ' entry, flags 1, no location); any other
// dinf is metadata (a location string is file text) and items that use
// it cannot be rebuilt.
func (h *heif) parseDinf(b box) {
	want := "\x00\x00\x00\x1cdref\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x0curl \x00\x00\x00\x01"
	if string(b.payload(h.data)) == want {
		h.hasDinf = true
		h.claim(b.start, b.end, container.Kept, "dinf")
		return
	}
	h.claim(b.start, b.end, container.Meta, "data reference box")
	h.set.Add(meta.Other, "HEIF data reference box")
	h.hasDinf = true
}
