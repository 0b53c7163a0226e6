package bmff

import (
	"encoding/binary"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// outItem is one item of a rebuilt file.
type outItem struct {
	id     uint32
	typ    string
	hidden bool
	method uint8
	hasLoc bool
	data   []byte
	props  []assoc // 1-based indices into the new ipco
	// key identifies the input extents; items with the same key share
	// one copy of their data in the output.
	key string
}

// extKey returns the identity of it's input data.
func extKey(it *item) string {
	b := []byte{it.method}
	for _, e := range it.ext {
		b = binary.BigEndian.AppendUint64(b, e.off)
		b = binary.BigEndian.AppendUint64(b, e.len)
	}
	return string(b)
}

// Rebuild writes ftyp (validated brands), a new meta box (hdlr 'pict'
// with an empty name, dinf when the input had one, pitm, iloc, iinf with
// unnamed infe boxes, iref between kept items, iprp with the kept
// properties re-serialized, idat) and one mdat with the kept items' coded
// pieces; plus, when keep.Orientation and the orientation came from Exif
// or XMP (no irot/imir), an orientation-only Exif item linked to the
// primary item.
func (f *file) Rebuild(keep meta.Keep) ([]byte, error) {
	h := f.h
	if h.unsup != nil {
		return nil, h.unsup
	}
	var items []*outItem
	var props [][]byte
	newIdx := map[int]int{}
	var maxID uint32
	for _, it := range h.items {
		if !f.p.keep[it.id] {
			continue
		}
		maxID = max(maxID, it.id)
		o := &outItem{id: it.id, typ: it.typ, hidden: it.hidden, method: it.method, hasLoc: it.hasLoc,
			data: f.data[it.id], key: extKey(it)}
		for _, a := range it.props {
			pr := f.props[a.idx]
			if pr == nil || pr.out == nil || pr.icc != nil && !keep.ICC {
				continue
			}
			n, ok := newIdx[a.idx]
			if !ok {
				props = append(props, pr.out)
				n = len(props)
				newIdx[a.idx] = n
			}
			o.props = append(o.props, assoc{n, a.essential})
		}
		if len(o.props) > 255 {
			return nil, unsupported("an item has more than 255 properties")
		}
		items = append(items, o)
	}
	refs := h.keptRefs(f.p)
	if keep.Orientation && !f.transform && f.orient > 1 {
		if maxID == 0xFFFFFFFF {
			return nil, unsupported("no item id left for the orientation Exif item")
		}
		items = append(items, &outItem{id: maxID + 1, typ: "Exif", hidden: true, hasLoc: true, data: exifItem(f.orient), key: "exif"})
		refs = append(refs, ref{"cdsc", maxID + 1, []uint32{h.primary}})
	}
	return f.layout(items, props, refs)
}

// keptRefs returns the iref entries from kept items, their to-lists
// filtered to kept items.
func (h *heif) keptRefs(p plan) []ref {
	var out []ref
	for _, r := range h.refs {
		if !p.keep[r.from] {
			continue
		}
		var to []uint32
		for _, t := range r.to {
			if p.keep[t] {
				to = append(to, t)
			}
		}
		if len(to) > 0 {
			out = append(out, ref{r.typ, r.from, to})
		}
	}
	return out
}

// layout writes ftyp, meta and mdat.
func (f *file) layout(items []*outItem, props [][]byte, refs []ref) ([]byte, error) {
	var mdatLen, idatLen, maxLen uint64
	seen := map[string]bool{}
	for _, it := range items {
		if seen[it.key] {
			continue
		}
		seen[it.key] = true
		if it.method == 0 {
			mdatLen += uint64(len(it.data))
		} else {
			idatLen += uint64(len(it.data))
		}
		maxLen = max(maxLen, uint64(len(it.data)))
	}
	var propLen uint64
	for _, pr := range props {
		propLen += uint64(len(pr))
	}
	if propLen+idatLen > 0xF0000000 {
		return nil, unsupported("meta box would exceed 4 GiB")
	}
	ftyp := f.ftyp()
	mdatHdr := uint64(8)
	if mdatLen+8 > 0xFFFFFFFF {
		mdatHdr = 16
	}
	lenSize := 4
	if maxLen > 0xFFFFFFFF {
		lenSize = 8
	}
	for _, offSize := range []int{4, 8} {
		metaLen := uint64(len(f.metaBox(items, props, refs, 0, offSize, lenSize)))
		base := uint64(len(ftyp)) + metaLen + mdatHdr
		if offSize == 4 && base+mdatLen > 0xFFFFFFFF {
			continue
		}
		total := base + mdatLen
		if mdatLen == 0 {
			total -= mdatHdr
		}
		out := make([]byte, 0, total)
		out = append(out, ftyp...)
		out = append(out, f.metaBox(items, props, refs, base, offSize, lenSize)...)
		if mdatLen > 0 {
			if mdatHdr == 8 {
				out = binary.BigEndian.AppendUint32(out, uint32(mdatLen+8))
				out = append(out, "mdat"...)
			} else {
				out = binary.BigEndian.AppendUint32(out, 1)
				out = append(out, "mdat"...)
				out = binary.BigEndian.AppendUint64(out, mdatLen+16)
			}
			seen := map[string]bool{}
			for _, it := range items {
				if it.method == 0 && !seen[it.key] {
					seen[it.key] = true
					out = append(out, it.data...)
				}
			}
		}
		return out, nil
	}
	return nil, unsupported("output too large")
}

// ftyp returns a new ftyp box with the validated brands and minor
// version 0. An unknown major brand is replaced by the first of avif,
// heic, mif1 that is compatible, else mif1.
func (f *file) ftyp() []byte {
	h := f.h
	major := h.major
	if major == "" {
		major = "mif1"
		for _, c := range []string{"avif", "heic", "mif1"} {
			if contains(h.compatible, c) {
				major = c
				break
			}
		}
	}
	b := make([]byte, 0, 8+4*len(h.compatible))
	b = append(b, major...)
	b = append(b, 0, 0, 0, 0)
	for _, c := range h.compatible {
		b = append(b, c...)
	}
	return mkBox("ftyp", b)
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// mkBox wraps payload in a box header (size < 4 GiB).
func mkBox(typ string, payload []byte) []byte {
	b := make([]byte, 0, 8+len(payload))
	b = binary.BigEndian.AppendUint32(b, uint32(8+len(payload)))
	b = append(b, typ...)
	return append(b, payload...)
}

// mkFull wraps payload in a full box header.
func mkFull(typ string, version uint8, flags uint32, payload []byte) []byte {
	v := binary.BigEndian.AppendUint32(nil, uint32(version)<<24|flags&0xFFFFFF)
	return mkBox(typ, append(v, payload...))
}

func appendN(b []byte, v uint64, n int) []byte {
	for i := n - 1; i >= 0; i-- {
		b = append(b, byte(v>>(8*i)))
	}
	return b
}

// metaBox writes the new meta box. base is the file offset of the new mdat
// payload.
func (f *file) metaBox(items []*outItem, props [][]byte, refs []ref, base uint64, offSize, lenSize int) []byte {
	h := f.h
	wide := h.primary > 0xFFFF
	for _, it := range items {
		wide = wide || it.id > 0xFFFF
	}
	idSize, idVer := 2, uint8(0)
	if wide {
		idSize, idVer = 4, 1
	}
	var body []byte
	body = append(body, mkFull("hdlr", 0, 0, []byte("\x00\x00\x00\x00pict\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))...)
	if h.hasDinf {
		body = append(body, mkBox("dinf", mkFull("dref", 0, 0, append([]byte{0, 0, 0, 1}, mkFull("url ", 0, 1, nil)...)))...)
	}
	body = append(body, mkFull("pitm", idVer, 0, appendN(nil, uint64(h.primary), idSize))...)
	// iloc: version 1 (construction_method), or 2 for 32-bit ids; one
	// extent per item.
	ilVer := uint8(1)
	if wide {
		ilVer = 2
	}
	il := []byte{byte(offSize<<4 | lenSize), 0}
	n := 0
	for _, it := range items {
		if it.hasLoc {
			n++
		}
	}
	il = appendN(il, uint64(n), idSize)
	var mdatPos, idatPos uint64
	at := map[string]uint64{}
	for _, it := range items {
		if !it.hasLoc {
			continue
		}
		il = appendN(il, uint64(it.id), idSize)
		il = appendN(il, uint64(it.method), 2)
		il = appendN(il, 0, 2) // data_reference_index
		l := uint64(len(it.data))
		if l == 0 {
			il = appendN(il, 0, 2)
			continue
		}
		il = appendN(il, 1, 2)
		off, ok := at[it.key]
		switch {
		case ok:
		case it.method == 0:
			off = base + mdatPos
			mdatPos += l
		default:
			off = idatPos
			idatPos += l
		}
		at[it.key] = off
		il = appendN(il, off, offSize)
		il = appendN(il, l, lenSize)
	}
	body = append(body, mkFull("iloc", ilVer, 0, il)...)
	// iinf with regenerated infe boxes (no names).
	inf := appendN(nil, uint64(len(items)), 2)
	for _, it := range items {
		v, s := uint8(2), 2
		if it.id > 0xFFFF {
			v, s = 3, 4
		}
		e := appendN(nil, uint64(it.id), s)
		e = append(e, 0, 0)
		e = append(e, it.typ...)
		e = append(e, 0)
		var fl uint32
		if it.hidden {
			fl = 1
		}
		inf = append(inf, mkFull("infe", v, fl, e)...)
	}
	body = append(body, mkFull("iinf", 0, 0, inf)...)
	var ir []byte
	for _, r := range refs {
		e := appendN(nil, uint64(r.from), idSize)
		e = appendN(e, uint64(len(r.to)), 2)
		for _, t := range r.to {
			e = appendN(e, uint64(t), idSize)
		}
		ir = append(ir, mkBox(r.typ, e)...)
	}
	if len(ir) > 0 {
		body = append(body, mkFull("iref", idVer, 0, ir)...)
	}
	var co []byte
	for _, pr := range props {
		co = append(co, pr...)
	}
	var flags uint32
	if len(props) > 127 {
		flags = 1
	}
	var ma []byte
	n = 0
	for _, it := range items {
		if len(it.props) == 0 {
			continue
		}
		n++
		ma = appendN(ma, uint64(it.id), idSize)
		ma = append(ma, byte(len(it.props)))
		for _, a := range it.props {
			if flags&1 != 0 {
				x := uint64(a.idx)
				if a.essential {
					x |= 0x8000
				}
				ma = appendN(ma, x, 2)
			} else {
				x := byte(a.idx)
				if a.essential {
					x |= 0x80
				}
				ma = append(ma, x)
			}
		}
	}
	ma = append(binary.BigEndian.AppendUint32(nil, uint32(n)), ma...)
	body = append(body, mkBox("iprp", append(mkBox("ipco", co), mkFull("ipma", idVer, flags, ma)...))...)
	var id []byte
	seen := map[string]bool{}
	for _, it := range items {
		if it.method == 1 && !seen[it.key] {
			seen[it.key] = true
			id = append(id, it.data...)
		}
	}
	if len(id) > 0 {
		body = append(body, mkBox("idat", id)...)
	}
	return mkFull("meta", 0, 0, body)
}
