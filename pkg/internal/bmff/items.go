package bmff

import (
	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// knownContentTypes are mime content types and encodings a report may
// name and a kept infe may carry; anything else is file text.
var knownContentTypes = map[string]bool{
	"application/rdf+xml": true, "text/xml": true, "application/xml": true, "deflate": true,
	"image/jpeg": true, "application/json": true, "text/plain": true,
}

func (h *heif) parseIinf(w *walker, b box) error {
	v, fl, c := fullBox(b.payload(h.data))
	if v == 0 {
		c.u16()
	} else {
		c.u32()
	}
	if c.bad {
		return FormatError("iinf box too short")
	}
	h.claim(b.start, b.body, container.Kept, "iinf header")
	h.claimFlags(b.body, fl)
	h.claim(b.body+4, b.body+c.p, container.Kept, "iinf entry count")
	kids, err := w.list(b.body+c.p, b.end)
	if err != nil {
		return err
	}
	for _, k := range kids {
		if k.typ != "infe" {
			h.claim(k.start, k.end, container.Slack, "unknown iinf child box")
			continue
		}
		if len(h.items) >= maxItems {
			return FormatError("too many items")
		}
		if err := h.parseInfe(k); err != nil {
			return err
		}
	}
	return nil
}

func (h *heif) parseInfe(k box) error {
	it := &item{}
	var flags uint32
	var c *cur
	it.infeVersion, flags, c = fullBox(k.payload(h.data))
	it.hidden = flags&1 != 0
	switch it.infeVersion {
	case 0, 1:
		it.id = uint32(c.u16())
		it.prot = c.u16()
	case 2, 3:
		if it.infeVersion == 2 {
			it.id = uint32(c.u16())
		} else {
			it.id = c.u32()
		}
		it.prot = c.u16()
		it.typ = c.fourcc()
	default:
		return fmtErr("infe box at offset %d has version %d", k.start, it.infeVersion)
	}
	if c.bad || flags > 1 {
		return fmtErr("infe box at offset %d too short or with unknown flags", k.start)
	}
	h.claim(k.start, k.body+c.p, container.Kept, "infe")
	pos := h.claimName(k.body+c.p, k.end, where(it.id, "name"))
	str := func(field string) string {
		s := &cur{b: h.data[:k.end], p: pos}
		v := s.str()
		if knownContentTypes[v] || v == "" {
			h.claim(pos, s.p, container.Kept, "infe content type")
		} else {
			h.claim(pos, s.p, container.Meta, "infe "+field)
			h.set.Add(meta.Other, where(it.id, field))
		}
		pos = s.p
		return v
	}
	switch {
	case it.infeVersion < 2 || it.typ == "mime":
		if pos < k.end {
			it.contentType = str("content type")
		}
		if pos < k.end {
			it.encoding = str("content encoding")
		}
	case it.typ == "uri ":
		if pos < k.end {
			str("URI type")
		}
	}
	h.claimPad(pos, k.end)
	if h.byID[it.id] != nil {
		return fmtErr("duplicate item id %d", it.id)
	}
	h.byID[it.id] = it
	h.items = append(h.items, it)
	return nil
}

func (h *heif) parseIref(w *walker, b box) error {
	v, fl, _ := fullBox(b.payload(h.data))
	if v > 1 || fl != 0 {
		return FormatError("iref box of an unknown version")
	}
	kids, err := w.children(b, 4)
	if err != nil {
		return err
	}
	h.claim(b.start, b.body+4, container.Kept, "iref header")
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
			return fmtErr("iref entry at offset %d too short", k.start)
		}
		if total += n; total > maxRefs {
			return FormatError("too many item references")
		}
		r.to = make([]uint32, n)
		for i := range r.to {
			r.to[i] = uint32(c.uN(idSize))
		}
		h.claim(k.start, k.body+c.p, container.Kept, "iref entry")
		h.claim(k.body+c.p, k.end, container.Slack, "iref entry trailing bytes")
		h.refs = append(h.refs, r)
	}
	return nil
}

func (h *heif) parseIprp(w *walker, b box) error {
	kids, err := w.children(b, 0)
	if err != nil {
		return err
	}
	h.claim(b.start, b.body, container.Kept, "iprp header")
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
			h.claim(k.start, k.body, container.Kept, "ipco header")
		case "ipma":
			ipmas = append(ipmas, k)
		default:
			h.claim(k.start, k.end, container.Meta, "unknown iprp child box")
			h.set.Add(meta.Other, "HEIF unknown property container box", container.SizeTag(k.end-k.start))
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
	if c.bad || v > 1 || flags > 1 || uint64(n)*3 > uint64(c.remaining()) || n > maxItems {
		return FormatError("ipma box of an unknown version, or its entry count exceeds the box")
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
	h.claim(b.start, b.body+c.p, container.Kept, "ipma")
	h.claim(b.body+c.p, b.end, container.Slack, "ipma trailing bytes")
	return nil
}

func (h *heif) parseIloc(b box) error {
	v, fl, c := fullBox(b.payload(h.data))
	if v > 2 || fl != 0 {
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
			continue // location of an item without infe: its bytes stay unclaimed
		}
		it.hasLoc, it.method, it.dref = true, method, dref
		if err := h.resolve(it, ext); err != nil {
			return err
		}
	}
	if c.bad {
		return FormatError("iloc box too short")
	}
	h.claim(b.start, b.body+c.p, container.Kept, "iloc")
	h.claim(b.body+c.p, b.end, container.Slack, "iloc trailing bytes")
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
		if h.idat == nil && len(ext) == 0 {
			it.ext = ext
			return nil
		}
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
			return fmtErr("item %d extent %d lies beyond the data", it.id, i)
		}
	}
	it.ext = ext
	return nil
}

// base returns the file offset that it's extent offsets are relative to.
func (h *heif) base(it *item) int {
	if it.method == 1 && h.idat != nil {
		return h.idat.body
	}
	return 0
}

// itemData returns the bytes of it, at most maxItemData bytes (a copy
// when it has several extents).
func (h *heif) itemData(it *item) ([]byte, error) {
	if !it.hasLoc || len(it.ext) == 0 {
		return nil, nil
	}
	if it.dref != 0 || it.method > 1 {
		return nil, fmtErr("item %d data is not in this file's mdat or idat", it.id)
	}
	src := h.data[h.base(it):]
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

// findProp returns the index of the first property of type typ
// associated with it, or 0.
func (h *heif) findProp(it *item, typ string) int {
	for _, a := range it.props {
		if h.prop(a.idx).typ == typ {
			return a.idx
		}
	}
	return 0
}
