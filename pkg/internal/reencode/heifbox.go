package reencode

import (
	"encoding/binary"
	"errors"
)

// A reader of the HEIF item structure (ISO/IEC 23008-12 §9-§10 on top of
// ISO/IEC 14496-12 §8.11: meta, hdlr, pitm, iinf/infe, iloc, iref, iprp,
// idat), just enough to find a grid's tiles and their properties. Every
// count is checked against the bytes that hold it before anything is
// allocated; anything unexpected is errHEIFShape, and the caller then
// decodes the whole image with libheif as before.

var errHEIFShape = errors.New("heif: structure not handled by the tile decoder")

// Bounds on what the tile decoder takes (larger files use libheif whole).
const (
	heifMaxBoxes   = 1 << 16 // sibling boxes in one container
	heifMaxItems   = 1 << 16 // a 256×256 grid and then some
	heifMaxExtents = 64      // extents of one item
	heifMaxProps   = 1 << 14
)

// isoBox is one box: its type and its payload (after the header).
type isoBox struct {
	typ  string
	raw  []byte // header and payload
	body []byte
}

// isoBoxes splits b into sibling boxes; every box must fit in b.
func isoBoxes(b []byte) ([]isoBox, error) {
	var out []isoBox
	for len(b) > 0 {
		if len(b) < 8 || len(out) >= heifMaxBoxes {
			return nil, errHEIFShape
		}
		size, hdr := uint64(binary.BigEndian.Uint32(b)), uint64(8)
		switch size {
		case 0:
			size = uint64(len(b))
		case 1:
			if len(b) < 16 {
				return nil, errHEIFShape
			}
			size, hdr = binary.BigEndian.Uint64(b[8:]), 16
		}
		if size < hdr || size > uint64(len(b)) {
			return nil, errHEIFShape
		}
		out = append(out, isoBox{typ: string(b[4:8]), raw: b[:size], body: b[hdr:size]})
		b = b[size:]
	}
	return out, nil
}

// rd reads big-endian fields; a read past the end clears ok and yields 0.
type rd struct {
	b  []byte
	ok bool
}

func newRd(b []byte) *rd { return &rd{b: b, ok: true} }

// n reads a k-byte unsigned integer (k = 0 reads nothing and yields 0).
func (r *rd) n(k int) uint64 {
	if !r.ok || k < 0 || k > 8 || len(r.b) < k {
		r.ok = false
		return 0
	}
	var v uint64
	for _, c := range r.b[:k] {
		v = v<<8 | uint64(c)
	}
	r.b = r.b[k:]
	return v
}

func (r *rd) fourcc() string {
	if !r.ok || len(r.b) < 4 {
		r.ok = false
		return ""
	}
	s := string(r.b[:4])
	r.b = r.b[4:]
	return s
}

// heifItem is one item: its type, its properties in ipma order and its
// location.
type heifItem struct {
	typ       string
	props     []int  // 1-based ipco indices
	essential []bool // per props
	ipma      bool   // associations seen
	loc       bool   // iloc entry seen
	method    uint64
	base      uint64
	ext       [][2]uint64 // offset, length
}

type heifRef struct {
	typ  string
	from uint32
	to   []uint32
}

// heifDoc is the item structure of a HEIF file.
type heifDoc struct {
	file    []byte
	primary uint32
	items   map[uint32]*heifItem
	props   []isoBox // ipco children; ipma index k is props[k-1]
	refs    []heifRef
	idat    []byte
}

// parseHEIF reads the meta box of a HEIF file.
func parseHEIF(data []byte) (*heifDoc, error) {
	top, err := isoBoxes(data)
	if err != nil {
		return nil, err
	}
	d := &heifDoc{file: data, items: map[uint32]*heifItem{}}
	var metaBox []byte
	for _, b := range top {
		if b.typ == "meta" {
			if metaBox != nil {
				return nil, errHEIFShape
			}
			metaBox = b.body
		}
	}
	if len(metaBox) < 4 || metaBox[0] != 0 {
		return nil, errHEIFShape
	}
	kids, err := isoBoxes(metaBox[4:])
	if err != nil || len(kids) == 0 || kids[0].typ != "hdlr" {
		return nil, errHEIFShape
	}
	if h := kids[0].body; len(h) < 12 || string(h[8:12]) != "pict" {
		return nil, errHEIFShape
	}
	// The boxes of meta come in any order: items first, then what
	// refers to them.
	byType := map[string][]byte{}
	for _, k := range kids[1:] {
		switch k.typ {
		case "pitm", "iinf", "iloc", "iref", "iprp", "idat":
			if _, dup := byType[k.typ]; dup {
				return nil, errHEIFShape
			}
			byType[k.typ] = k.body
		}
	}
	for _, typ := range []string{"pitm", "iinf", "iloc", "iprp"} {
		if _, ok := byType[typ]; !ok {
			return nil, errHEIFShape
		}
	}
	d.idat = byType["idat"]
	for _, step := range []struct {
		typ   string
		parse func([]byte) error
	}{{"pitm", d.parsePitm}, {"iinf", d.parseIinf}, {"iloc", d.parseIloc}, {"iref", d.parseIref}, {"iprp", d.parseIprp}} {
		if b, ok := byType[step.typ]; ok {
			if err := step.parse(b); err != nil {
				return nil, err
			}
		}
	}
	return d, nil
}

func (d *heifDoc) parsePitm(b []byte) error {
	r := newRd(b)
	v := r.n(4) >> 24
	switch v {
	case 0:
		d.primary = uint32(r.n(2))
	case 1:
		d.primary = uint32(r.n(4))
	default:
		return errHEIFShape
	}
	if !r.ok {
		return errHEIFShape
	}
	return nil
}

func (d *heifDoc) parseIinf(b []byte) error {
	r := newRd(b)
	v := r.n(4) >> 24
	n := r.n(2)
	if v != 0 {
		n = n<<16 | r.n(2)
	}
	if !r.ok || v > 1 || n > heifMaxItems {
		return errHEIFShape
	}
	infes, err := isoBoxes(r.b)
	if err != nil || uint64(len(infes)) != n {
		return errHEIFShape
	}
	for _, e := range infes {
		if e.typ != "infe" {
			return errHEIFShape
		}
		r := newRd(e.body)
		v := r.n(4) >> 24
		var id uint32
		switch v {
		case 2:
			id = uint32(r.n(2))
		case 3:
			id = uint32(r.n(4))
		default:
			return errHEIFShape // versions 0/1 carry no item type
		}
		r.n(2) // item_protection_index
		typ := r.fourcc()
		if !r.ok || d.items[id] != nil {
			return errHEIFShape
		}
		d.items[id] = &heifItem{typ: typ}
	}
	return nil
}

func (d *heifDoc) parseIloc(b []byte) error {
	r := newRd(b)
	v := r.n(4) >> 24
	sizes := r.n(2)
	offSize, lenSize, baseSize, idxSize := int(sizes>>12), int(sizes>>8&15), int(sizes>>4&15), int(sizes&15)
	if v > 2 {
		return errHEIFShape
	}
	if v == 0 {
		idxSize = 0
	}
	for _, s := range []int{offSize, lenSize, baseSize, idxSize} {
		if s != 0 && s != 4 && s != 8 {
			return errHEIFShape
		}
	}
	n := r.n(2)
	if v == 2 {
		n = n<<16 | r.n(2)
	}
	if !r.ok || n > heifMaxItems {
		return errHEIFShape
	}
	for range n {
		var id uint32
		if v == 2 {
			id = uint32(r.n(4))
		} else {
			id = uint32(r.n(2))
		}
		var method uint64
		if v > 0 {
			method = r.n(2) & 15
		}
		dref := r.n(2)
		base := r.n(baseSize)
		ne := r.n(2)
		it := d.items[id]
		if !r.ok || it == nil || it.loc || dref != 0 || ne > heifMaxExtents || method > 1 {
			return errHEIFShape
		}
		if uint64(len(r.b)) < ne*uint64(idxSize+offSize+lenSize) {
			return errHEIFShape
		}
		it.loc, it.method, it.base = true, method, base
		it.ext = make([][2]uint64, 0, ne)
		for range ne {
			r.n(idxSize)
			it.ext = append(it.ext, [2]uint64{r.n(offSize), r.n(lenSize)})
		}
	}
	if !r.ok {
		return errHEIFShape
	}
	return nil
}

func (d *heifDoc) parseIref(b []byte) error {
	r := newRd(b)
	v := r.n(4) >> 24
	if !r.ok || v > 1 {
		return errHEIFShape
	}
	w := 2 + 2*int(v)
	refs, err := isoBoxes(r.b)
	if err != nil {
		return err
	}
	for _, rb := range refs {
		r := newRd(rb.body)
		from := uint32(r.n(w))
		n := r.n(2)
		if !r.ok || uint64(len(r.b)) != n*uint64(w) {
			return errHEIFShape
		}
		ref := heifRef{typ: rb.typ, from: from, to: make([]uint32, 0, n)}
		for range n {
			ref.to = append(ref.to, uint32(r.n(w)))
		}
		d.refs = append(d.refs, ref)
	}
	return nil
}

func (d *heifDoc) parseIprp(b []byte) error {
	kids, err := isoBoxes(b)
	if err != nil || len(kids) == 0 || kids[0].typ != "ipco" {
		return errHEIFShape
	}
	if d.props, err = isoBoxes(kids[0].body); err != nil || len(d.props) > heifMaxProps {
		return errHEIFShape
	}
	for _, k := range kids[1:] {
		if k.typ != "ipma" {
			return errHEIFShape
		}
		r := newRd(k.body)
		vf := r.n(4)
		v, large := vf>>24, vf&1 == 1
		n := r.n(4)
		if !r.ok || v > 1 || n > heifMaxItems {
			return errHEIFShape
		}
		for range n {
			var id uint32
			if v == 0 {
				id = uint32(r.n(2))
			} else {
				id = uint32(r.n(4))
			}
			na := int(r.n(1))
			it := d.items[id]
			if !r.ok || it == nil || it.ipma {
				return errHEIFShape
			}
			it.ipma = true
			for range na {
				var idx int
				var essential bool
				if large {
					v := r.n(2)
					idx, essential = int(v&0x7fff), v&0x8000 != 0
				} else {
					v := r.n(1)
					idx, essential = int(v&0x7f), v&0x80 != 0
				}
				if idx > len(d.props) {
					return errHEIFShape
				}
				if idx > 0 {
					it.props = append(it.props, idx)
					it.essential = append(it.essential, essential)
				}
			}
		}
		if !r.ok {
			return errHEIFShape
		}
	}
	return nil
}

// prop returns the first property of it with type typ (raw box), and
// whether there is one.
func (d *heifDoc) prop(it *heifItem, typ string) (isoBox, bool) {
	for _, k := range it.props {
		if p := d.props[k-1]; p.typ == typ {
			return p, true
		}
	}
	return isoBox{}, false
}

// itemData returns the bytes of it: its extents in the file (construction
// method 0) or in idat (1), concatenated. A single extent is returned
// without a copy.
func (d *heifDoc) itemData(it *heifItem, max uint64) ([]byte, error) {
	src := d.file
	if it.method == 1 {
		src = d.idat
	}
	if !it.loc || len(it.ext) == 0 {
		return nil, errHEIFShape
	}
	var parts [][]byte
	var total uint64
	for _, e := range it.ext {
		off, n := it.base+e[0], e[1]
		if off < it.base || off > uint64(len(src)) {
			return nil, errHEIFShape
		}
		if n == 0 && len(it.ext) == 1 {
			n = uint64(len(src)) - off
		}
		if n > uint64(len(src))-off {
			return nil, errHEIFShape
		}
		total += n
		if total > max {
			return nil, errHEIFShape
		}
		parts = append(parts, src[off:off+n])
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	out := make([]byte, 0, total)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out, nil
}
