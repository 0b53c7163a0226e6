package reencode

import (
	"encoding/binary"
	"errors"
)

// withAVIFICC adds profile to an AVIF file from libavif (whose encoder,
// as built here, takes no profile) as a colr property of colour_type
// 'prof' (ISO/IEC 23008-12 §6.5.5, ISO/IEC 14496-12 §12.1.5) associated
// with the primary item: the property goes at the end of ipco, the
// association at the end of the primary's ipma entry, every enclosing
// box size grows by the inserted length, and iloc offsets that point past
// the meta box move by it. On anything unexpected it returns enc and
// false (the caller warns that the profile was not kept).
func withAVIFICC(enc, profile []byte) ([]byte, bool) {
	out, err := addAVIFColr(enc, profile)
	if err != nil || len(profile) == 0 {
		return enc, false
	}
	return out, true
}

var errAVIFLayout = errors.New("avif: layout not handled")

// mkBox is a box with an 8-byte header.
func mkBox(typ string, body ...[]byte) []byte {
	n := 8
	for _, b := range body {
		n += len(b)
	}
	out := binary.BigEndian.AppendUint32(make([]byte, 0, n), uint32(n))
	out = append(out, typ...)
	for _, b := range body {
		out = append(out, b...)
	}
	return out
}

func addAVIFColr(enc, profile []byte) ([]byte, error) {
	if len(profile) == 0 || len(profile) > 1<<24 {
		return nil, errAVIFLayout
	}
	d, err := parseHEIF(enc)
	if err != nil {
		return nil, err
	}
	prim := d.items[d.primary]
	if prim == nil || !prim.ipma {
		return nil, errAVIFLayout
	}
	if c, ok := d.prop(prim, "colr"); ok && len(c.body) >= 4 && string(c.body[:4]) != "nclx" {
		return nil, errAVIFLayout // a profile is there already
	}
	top, _ := isoBoxes(enc) // parseHEIF checked them
	metaAt, metaEnd := -1, 0
	var meta isoBox
	for i, at := 0, 0; i < len(top); i++ {
		if top[i].typ == "meta" {
			meta, metaAt, metaEnd = top[i], at, at+len(top[i].raw)
		}
		at += len(top[i].raw)
	}
	kids, _ := isoBoxes(meta.body[4:])
	newMeta := func(iloc []byte) ([]byte, error) {
		parts := [][]byte{meta.body[:4]}
		for _, k := range kids {
			switch k.typ {
			case "iprp":
				p, err := iprpWithColr(d, k.body, profile)
				if err != nil {
					return nil, err
				}
				parts = append(parts, p)
			case "iloc":
				parts = append(parts, mkBox("iloc", iloc))
			default:
				parts = append(parts, k.raw)
			}
		}
		return mkBox("meta", parts...), nil
	}
	var iloc []byte
	for _, k := range kids {
		if k.typ == "iloc" {
			iloc = k.body
		}
	}
	m, err := newMeta(iloc)
	if err != nil {
		return nil, err
	}
	delta := len(m) - len(meta.raw)
	moved, err := shiftIloc(iloc, uint64(metaAt), uint64(metaEnd), uint64(delta))
	if err != nil {
		return nil, err
	}
	if m, err = newMeta(moved); err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(enc)+delta)
	out = append(append(append(out, enc[:metaAt]...), m...), enc[metaEnd:]...)
	return out, nil
}

// iprpWithColr rebuilds iprp with a colr prof property appended to ipco
// and associated with the primary item.
func iprpWithColr(d *heifDoc, iprp, profile []byte) ([]byte, error) {
	kids, _ := isoBoxes(iprp)
	if len(kids) != 2 || kids[0].typ != "ipco" || kids[1].typ != "ipma" {
		return nil, errAVIFLayout
	}
	idx := len(d.props) + 1
	ipco := mkBox("ipco", kids[0].body, mkBox("colr", []byte("prof"), profile))
	r := newRd(kids[1].body)
	vf := r.n(4)
	v, large := vf>>24, vf&1 == 1
	if (!large && idx > 0x7f) || idx > 0x7fff {
		return nil, errAVIFLayout
	}
	n := r.n(4)
	ipma := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, uint32(vf)), uint32(n))
	for range n {
		idw := 2 + 2*int(v)
		id := r.n(idw)
		na := r.n(1)
		aw := 1 + int(vf&1)
		if !r.ok || uint64(len(r.b)) < na*uint64(aw) {
			return nil, errAVIFLayout
		}
		assoc := r.b[:na*uint64(aw)]
		r.b = r.b[len(assoc):]
		if id == uint64(d.primary) {
			if na == 255 {
				return nil, errAVIFLayout
			}
			na++
			if large {
				assoc = binary.BigEndian.AppendUint16(append([]byte(nil), assoc...), uint16(idx))
			} else {
				assoc = append(append([]byte(nil), assoc...), byte(idx))
			}
		}
		if v == 0 {
			ipma = binary.BigEndian.AppendUint16(ipma, uint16(id))
		} else {
			ipma = binary.BigEndian.AppendUint32(ipma, uint32(id))
		}
		ipma = append(append(ipma, byte(na)), assoc...)
	}
	if !r.ok || len(r.b) != 0 {
		return nil, errAVIFLayout
	}
	return mkBox("iprp", ipco, mkBox("ipma", ipma)), nil
}

// shiftIloc returns a copy of an iloc payload in which the file offsets
// (construction method 0) at or past end move by delta. An offset inside
// [start, end) (the meta box being rewritten) is refused.
func shiftIloc(b []byte, start, end, delta uint64) ([]byte, error) {
	out := append([]byte(nil), b...)
	r := newRd(b)
	v := r.n(4) >> 24
	sizes := r.n(2)
	offSize, lenSize, baseSize, idxSize := int(sizes>>12), int(sizes>>8&15), int(sizes>>4&15), int(sizes&15)
	if v == 0 {
		idxSize = 0
	}
	n := r.n(2)
	if v == 2 {
		n = n<<16 | r.n(2)
	}
	put := func(k int, val uint64) error {
		at := len(b) - len(r.b) - k // where the field just read starts
		if k == 4 && val > 0xffffffff {
			return errAVIFLayout
		}
		for i := k - 1; i >= 0; i-- {
			out[at+i] = byte(val)
			val >>= 8
		}
		return nil
	}
	move := func(off uint64) (uint64, error) {
		switch {
		case off >= end:
			return off + delta, nil
		case off >= start:
			return 0, errAVIFLayout
		}
		return off, nil
	}
	for range n {
		r.n(2 + 2*int(v/2)) // item_ID
		var method uint64
		if v > 0 {
			method = r.n(2) & 15
		}
		r.n(2) // data_reference_index
		base := r.n(baseSize)
		if method == 0 && baseSize > 0 && base > 0 {
			nb, err := move(base)
			if err != nil || put(baseSize, nb) != nil {
				return nil, errAVIFLayout
			}
		}
		ne := r.n(2)
		for range ne {
			r.n(idxSize)
			off := r.n(offSize)
			if method == 0 && base == 0 && offSize > 0 {
				no, err := move(off)
				if err != nil || put(offSize, no) != nil {
					return nil, errAVIFLayout
				}
			}
			r.n(lenSize)
			if !r.ok {
				return nil, errAVIFLayout
			}
		}
	}
	if !r.ok {
		return nil, errAVIFLayout
	}
	return out, nil
}
