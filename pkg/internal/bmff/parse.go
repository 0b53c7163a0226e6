package bmff

import (
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

// item is one item with its infe, iloc and ipma data.
type item struct {
	id          uint32
	typ         string
	hidden      bool
	prot        uint16
	infeVersion uint8
	contentType string
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

// heif is a parsed file.
type heif struct {
	data       []byte
	top        []box
	major      string
	minor      []byte
	compatible []string
	meta       *box
	metaKids   []box
	hdlr       string
	primary    uint32
	hasPrimary bool
	items      []*item
	byID       map[uint32]*item
	ilocIdx    int // iloc index_size
	refs       []ref
	props      []box
	idat       *box
	hasMoov    bool
	metas      int
}

// parse walks the top level and the meta box. A non-nil error comes with
// whatever was parsed so far.
func parse(data []byte) (*heif, error) {
	h := &heif{data: data, byID: map[uint32]*item{}}
	w := &walker{data: data}
	top, err := w.list(0, len(data))
	h.top = top
	if len(top) == 0 || top[0].typ != "ftyp" {
		if err == nil {
			err = FormatError("file does not start with an ftyp box")
		}
		return h, err
	}
	if e := h.parseFtyp(top[0]); e != nil && err == nil {
		err = e
	}
	for i := range top {
		switch top[i].typ {
		case "meta":
			h.metas++
			if h.meta == nil {
				h.meta = &top[i]
			}
		case "moov":
			h.hasMoov = true
			if e := w.walkTree(top[i], func(box, int) {}); e != nil && err == nil {
				err = e
			}
		}
	}
	if err != nil {
		return h, err
	}
	if h.meta == nil {
		if h.hasMoov {
			return h, nil // an image sequence without items
		}
		return h, FormatError("no meta box")
	}
	return h, h.parseMeta(w)
}

func (h *heif) parseFtyp(b box) error {
	p := b.payload(h.data)
	if len(p) < 8 {
		return FormatError("ftyp box too short")
	}
	h.major, h.minor = string(p[:4]), p[4:8]
	for i := 8; i+4 <= len(p); i += 4 {
		h.compatible = append(h.compatible, string(p[i:i+4]))
	}
	return nil
}

func (h *heif) parseMeta(w *walker) error {
	v, _, _ := fullBox(h.meta.payload(h.data))
	if v != 0 || h.meta.end-h.meta.body < 4 {
		return FormatError("meta box version or size")
	}
	kids, err := w.children(*h.meta, 4)
	h.metaKids = kids
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, k := range kids {
		switch k.typ {
		case "hdlr", "pitm", "iinf", "iloc", "iref", "iprp", "idat", "dinf":
			if seen[k.typ] {
				return fmtErr("duplicate %s box", k.typ)
			}
			seen[k.typ] = true
		}
	}
	for i, k := range kids {
		p := k.payload(h.data)
		switch k.typ {
		case "hdlr":
			_, _, c := fullBox(p)
			c.u32()
			h.hdlr = c.fourcc()
			if c.bad {
				return FormatError("hdlr box too short")
			}
		case "pitm":
			v, _, c := fullBox(p)
			if v == 0 {
				h.primary = uint32(c.u16())
			} else {
				h.primary = c.u32()
			}
			if c.bad {
				return FormatError("pitm box too short")
			}
			h.hasPrimary = true
		case "iinf":
			err = h.parseIinf(w, k)
		case "iref":
			err = h.parseIref(w, k)
		case "iprp":
			err = h.parseIprp(w, k)
		case "idat":
			h.idat = &kids[i]
		}
		if err != nil {
			return err
		}
	}
	// iloc last: it needs the idat box and the item list.
	for _, k := range kids {
		if k.typ == "iloc" {
			if err := h.parseIloc(k); err != nil {
				return err
			}
		}
	}
	if h.hasPrimary && h.byID[h.primary] == nil {
		return fmtErr("primary item %d has no infe", h.primary)
	}
	return nil
}

func (h *heif) parseIinf(w *walker, b box) error {
	v, _, c := fullBox(b.payload(h.data))
	if v == 0 {
		c.u16()
	} else {
		c.u32()
	}
	if c.bad {
		return FormatError("iinf box too short")
	}
	kids, err := w.list(b.body+c.p, b.end)
	if err != nil {
		return err
	}
	for _, k := range kids {
		if k.typ != "infe" {
			continue
		}
		if len(h.items) >= maxItems {
			return FormatError("too many items")
		}
		it := &item{}
		var flags uint32
		it.infeVersion, flags, c = fullBox(k.payload(h.data))
		it.hidden = flags&1 != 0
		switch it.infeVersion {
		case 0, 1:
			it.id = uint32(c.u16())
			it.prot = c.u16()
			c.str() // item_name
			it.contentType = c.str()
		default:
			if it.infeVersion == 2 {
				it.id = uint32(c.u16())
			} else {
				it.id = c.u32()
			}
			it.prot = c.u16()
			it.typ = c.fourcc()
			c.str() // item_name
			if it.typ == "mime" && c.remaining() > 0 {
				it.contentType = c.str()
			}
		}
		if c.bad {
			return fmtErr("infe box at offset %d too short", k.start)
		}
		if h.byID[it.id] != nil {
			return fmtErr("duplicate item id %d", it.id)
		}
		h.byID[it.id] = it
		h.items = append(h.items, it)
	}
	return nil
}

func (h *heif) parseIref(w *walker, b box) error {
	v, _, _ := fullBox(b.payload(h.data))
	kids, err := w.children(b, 4)
	if err != nil {
		return err
	}
	idSize := 2
	if v != 0 {
		idSize = 4
	}
	total := 0
	for _, k := range kids {
		c := &cur{b: k.payload(h.data)}
		r := ref{typ: k.typ, from: uint32(c.uN(idSize))}
		n := int(c.u16())
		if c.bad || c.remaining() < n*idSize {
			return fmtErr("iref %q entry at offset %d too short", meta.Sanitize(k.typ), k.start)
		}
		if total += n; total > maxRefs {
			return FormatError("too many item references")
		}
		r.to = make([]uint32, n)
		for i := range r.to {
			r.to[i] = uint32(c.uN(idSize))
		}
		h.refs = append(h.refs, r)
	}
	return nil
}

func (h *heif) parseIprp(w *walker, b box) error {
	kids, err := w.children(b, 0)
	if err != nil {
		return err
	}
	var ipmas []box
	for _, k := range kids {
		switch k.typ {
		case "ipco":
			if h.props != nil {
				return FormatError("duplicate ipco box")
			}
			if h.props, err = w.children(k, 0); err != nil {
				return err
			}
			if len(h.props) > maxProps {
				return FormatError("too many properties")
			}
			if h.props == nil {
				h.props = []box{}
			}
		case "ipma":
			ipmas = append(ipmas, k)
		}
	}
	for _, k := range ipmas {
		if err := h.parseIpma(k); err != nil {
			return err
		}
	}
	return nil
}

func (h *heif) parseIpma(b box) error {
	v, flags, c := fullBox(b.payload(h.data))
	n := c.u32()
	if c.bad || uint64(n)*3 > uint64(c.remaining()) || n > maxItems {
		return FormatError("ipma entry count exceeds the box")
	}
	for i := uint32(0); i < n; i++ {
		var id uint32
		if v < 1 {
			id = uint32(c.u16())
		} else {
			id = c.u32()
		}
		cnt := int(c.u8())
		var as []assoc
		for j := 0; j < cnt; j++ {
			var a assoc
			if flags&1 != 0 {
				x := c.u16()
				a = assoc{int(x & 0x7FFF), x&0x8000 != 0}
			} else {
				x := c.u8()
				a = assoc{int(x & 0x7F), x&0x80 != 0}
			}
			if a.idx > len(h.props) {
				return fmtErr("ipma index %d beyond %d properties", a.idx, len(h.props))
			}
			if a.idx != 0 {
				as = append(as, a)
			}
		}
		if c.bad {
			return FormatError("ipma box too short")
		}
		if it := h.byID[id]; it != nil {
			it.props = append(it.props, as...)
		}
	}
	return nil
}

func (h *heif) parseIloc(b box) error {
	v, _, c := fullBox(b.payload(h.data))
	if v > 2 {
		return fmtErr("iloc version %d", v)
	}
	s1, s2 := c.u8(), c.u8()
	offSize, lenSize, baseSize := int(s1>>4), int(s1&15), int(s2>>4)
	if v > 0 {
		h.ilocIdx = int(s2 & 15)
	}
	for _, s := range []int{offSize, lenSize, baseSize, h.ilocIdx} {
		if s != 0 && s != 4 && s != 8 {
			return fmtErr("iloc field size %d", s)
		}
	}
	var n uint32
	if v < 2 {
		n = uint32(c.u16())
	} else {
		n = c.u32()
	}
	idSize := 2
	if v == 2 {
		idSize = 4
	}
	if c.bad || uint64(n)*uint64(idSize+2+baseSize+2) > uint64(c.remaining()) {
		return FormatError("iloc item count exceeds the box")
	}
	seen := map[uint32]bool{}
	total := 0
	for i := uint32(0); i < n; i++ {
		id := uint32(c.uN(idSize))
		var method uint8
		if v > 0 {
			method = uint8(c.u16() & 15)
		}
		dref := c.u16()
		base := c.uN(baseSize)
		ne := int(c.u16())
		per := h.ilocIdx + offSize + lenSize
		if c.bad || uint64(ne)*uint64(per) > uint64(c.remaining()) {
			return fmtErr("iloc entry for item %d exceeds the box", id)
		}
		if total += ne; total > maxExtents {
			return FormatError("too many iloc extents")
		}
		if seen[id] {
			return fmtErr("duplicate iloc entry for item %d", id)
		}
		seen[id] = true
		ext := make([]extent, ne)
		for j := range ext {
			c.uN(h.ilocIdx)
			off, ln := c.uN(offSize), c.uN(lenSize)
			if off+base < off {
				return fmtErr("iloc offset overflow for item %d", id)
			}
			ext[j] = extent{off + base, ln}
		}
		it := h.byID[id]
		if it == nil {
			continue // location of an item without infe: ignored, dropped
		}
		it.hasLoc, it.method, it.dref = true, method, dref
		if err := h.resolve(it, ext); err != nil {
			return err
		}
	}
	if c.bad {
		return FormatError("iloc box too short")
	}
	return nil
}

// resolve checks the extents of it against the file or idat and stores
// them with zero lengths resolved. Items whose data lives elsewhere
// (construction_method 2, external data) are stored unchecked.
func (h *heif) resolve(it *item, ext []extent) error {
	if it.dref != 0 || it.method > 1 {
		it.ext = ext
		return nil
	}
	limit := uint64(len(h.data))
	if it.method == 1 {
		if h.idat == nil {
			return fmtErr("item %d refers to a missing idat box", it.id)
		}
		limit = uint64(h.idat.end - h.idat.body)
	}
	for i, e := range ext {
		if e.len == 0 && e.off <= limit {
			if len(ext) != 1 {
				return fmtErr("item %d has a zero-length extent among several", it.id)
			}
			ext[i].len = limit - e.off
		}
		if e.off > limit || ext[i].len > limit-e.off {
			return fmtErr("item %d extent %d lies beyond the %s", it.id, i, map[bool]string{true: "idat box", false: "file"}[it.method == 1])
		}
	}
	it.ext = ext
	return nil
}

// itemData returns the bytes of it (for classification), at most
// maxItemData bytes.
func (h *heif) itemData(it *item) ([]byte, error) {
	if !it.hasLoc {
		return nil, fmtErr("item %d has no location", it.id)
	}
	if it.dref != 0 || it.method > 1 {
		return nil, fmtErr("item %d data is not in this file's mdat or idat", it.id)
	}
	src := h.data
	if it.method == 1 {
		src = h.data[h.idat.body:h.idat.end]
	}
	if len(it.ext) == 1 {
		e := it.ext[0]
		return src[e.off : e.off+e.len], nil
	}
	var total uint64
	for _, e := range it.ext {
		total += e.len
	}
	if total > maxItemData {
		return nil, fmtErr("item %d data larger than %d bytes", it.id, maxItemData)
	}
	out := make([]byte, 0, total)
	for _, e := range it.ext {
		out = append(out, src[e.off:e.off+e.len]...)
	}
	return out, nil
}

// prop returns the 1-based property box idx.
func (h *heif) prop(idx int) box { return h.props[idx-1] }

// findProp returns the payload of the first property of type typ
// associated with it, or nil.
func (h *heif) findProp(it *item, typ string) []byte {
	for _, a := range it.props {
		if p := h.prop(a.idx); p.typ == typ {
			return p.payload(h.data)
		}
	}
	return nil
}
