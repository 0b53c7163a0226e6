package testimg

import (
	"encoding/binary"
)

// HEIFOptions selects what HEIF builds. The zero value gives a HEIC with
// one 'hvc1' primary item (one length-prefixed HEVC NAL unit of stand-in
// slice bytes: the framing is valid, the picture is not decodable), its
// hvcC (with stand-in VPS/SPS/PPS arrays) and ispe properties and nothing
// else.
type HEIFOptions struct {
	// EXIF is stored as an 'Exif' item (4-byte offset 6, "Exif\0\0", then
	// the block) with a 'cdsc' reference to the primary item.
	EXIF []byte
	// XMP is stored as a 'mime' item of type application/rdf+xml.
	XMP []byte
	// Thumbnail is the data of an 'hvc1' thumbnail item ('thmb').
	Thumbnail []byte
	// Depth is the data of a depth auxiliary image ('auxl', auxC
	// urn:mpeg:hevc:2015:auxid:2).
	Depth []byte
	// Alpha is the data of an alpha auxiliary image (kept by strippers).
	Alpha []byte
	// UUID is the payload of a top-level 'uuid' box (random usertype).
	UUID []byte
	// C2PA adds a top-level 'uuid' box with the C2PA usertype.
	C2PA []byte
	// Description adds a 'udes' property (user description) to the
	// primary item.
	Description string
	// ICC adds a colr 'prof' property to the primary item.
	ICC []byte
	// Rotation adds an irot property with this angle (1..3, ×90°).
	Rotation int
	// Mirror adds an imir property after the irot: 1 writes axis 0 (top
	// and bottom exchanged, HEIF Amd 2), 2 writes axis 1 (left and right).
	Mirror int
	// Grid makes the primary a 2×1 'grid' of two hidden 'hvc1' tiles.
	Grid bool
	// GridInIdat stores the grid descriptor in idat (construction_method 1).
	GridInIdat bool
	// MdatFirst writes mdat before meta.
	MdatFirst bool
	// LargeIDs uses 32-bit item ids (infe v3, iloc v2, iref/ipma v1).
	LargeIDs bool
	// Names writes a planted item name in every infe and a handler name
	// in hdlr (both free text: findings of their own).
	Names bool
}

// HEIF item ids used by the builder (plus 0x10000 with LargeIDs).
const (
	HEIFPrimaryID = 1
	HEIFTile1ID   = 2
	HEIFTile2ID   = 3
	HEIFExifID    = 10
	HEIFXMPID     = 11
	HEIFThumbID   = 12
	HEIFDepthID   = 13
	HEIFAlphaID   = 14
)

type heifItem struct {
	id     uint32
	typ    string
	hidden bool
	ctype  string
	data   []byte
	idat   bool
	props  []int // 1-based; negative = essential
}

// HEIF returns a HEIF (HEIC brand) file as selected by o. Output is
// deterministic.
func HEIF(o HEIFOptions) []byte {
	var base uint32
	if o.LargeIDs {
		base = 0x10000
	}
	var props [][]byte
	prop := func(b []byte) int { props = append(props, b); return len(props) }
	hvcPrim := prop(heifBox("hvcC", HEVCConfig([]byte("hvcC-config-primary"))))
	ispe := prop(heifFull("ispe", 0, 0, heifU32s(64, 48)))
	primProps := []int{-hvcPrim, ispe}
	items := []*heifItem{}
	prim := &heifItem{id: base + HEIFPrimaryID, typ: "hvc1", data: []byte("coded-primary-image-data-0123456789")}
	items = append(items, prim)
	if o.Grid {
		prim.typ = "grid"
		prim.data = []byte{0, 0, 0, 1, 0, 127, 0, 47} // 1 row, 2 columns, 128×48
		prim.idat = o.GridInIdat
		gridIspe := prop(heifFull("ispe", 0, 0, heifU32s(128, 48)))
		primProps = []int{gridIspe}
		items = append(items,
			&heifItem{id: base + HEIFTile1ID, typ: "hvc1", hidden: true, data: []byte("coded-tile-one"), props: []int{-hvcPrim, ispe}},
			&heifItem{id: base + HEIFTile2ID, typ: "hvc1", hidden: true, data: []byte("coded-tile-two!"), props: []int{-hvcPrim, ispe}})
	}
	if o.ICC != nil {
		primProps = append(primProps, prop(heifBox("colr", append([]byte("prof"), o.ICC...))))
	}
	if o.Rotation != 0 {
		primProps = append(primProps, -prop(heifBox("irot", []byte{byte(o.Rotation & 3)})))
	}
	if o.Mirror == 1 || o.Mirror == 2 {
		primProps = append(primProps, -prop(heifBox("imir", []byte{byte(o.Mirror - 1)})))
	}
	if o.Description != "" {
		d := []byte("en\x00")
		d = append(d, "name\x00"+o.Description+"\x00tags\x00"...)
		primProps = append(primProps, prop(heifFull("udes", 0, 0, d)))
	}
	prim.props = primProps
	var refs [][]byte
	ref := func(typ string, from uint32, to ...uint32) {
		refs = append(refs, heifRef(typ, from, o.LargeIDs, to...))
	}
	if o.Grid {
		ref("dimg", base+HEIFPrimaryID, base+HEIFTile1ID, base+HEIFTile2ID)
	}
	if o.EXIF != nil {
		d := append([]byte{0, 0, 0, 6}, "Exif\x00\x00"...)
		items = append(items, &heifItem{id: base + HEIFExifID, typ: "Exif", hidden: true, data: append(d, o.EXIF...)})
		ref("cdsc", base+HEIFExifID, base+HEIFPrimaryID)
	}
	if o.XMP != nil {
		items = append(items, &heifItem{id: base + HEIFXMPID, typ: "mime", ctype: "application/rdf+xml", hidden: true, data: o.XMP})
		ref("cdsc", base+HEIFXMPID, base+HEIFPrimaryID)
	}
	if o.Thumbnail != nil {
		hv := prop(heifBox("hvcC", HEVCConfig([]byte("hvcC-config-thumbnail"))))
		is := prop(heifFull("ispe", 0, 0, heifU32s(16, 12)))
		items = append(items, &heifItem{id: base + HEIFThumbID, typ: "hvc1", data: o.Thumbnail, props: []int{-hv, is}})
		ref("thmb", base+HEIFThumbID, base+HEIFPrimaryID)
	}
	for _, aux := range []struct {
		data []byte
		id   uint32
		urn  string
	}{{o.Depth, HEIFDepthID, "urn:mpeg:hevc:2015:auxid:2"}, {o.Alpha, HEIFAlphaID, "urn:mpeg:mpegB:cicp:systems:auxiliary:alpha"}} {
		if aux.data == nil {
			continue
		}
		ac := prop(heifFull("auxC", 0, 0, append([]byte(aux.urn), 0)))
		items = append(items, &heifItem{id: base + aux.id, typ: "hvc1", hidden: true, data: aux.data, props: []int{-hvcPrim, ispe, -ac}})
		ref("auxl", base+aux.id, base+HEIFPrimaryID)
	}
	for _, it := range items {
		if it.typ == "hvc1" {
			it.data = HEVCNAL(1, it.data)
		}
	}
	ftyp := heifBox("ftyp", []byte("heic\x00\x00\x00\x00mif1heicmiaf"))
	build := func(mdatStart uint32) (meta, mdat []byte) {
		var mdatData, idat []byte
		type loc struct {
			method   uint16
			off, len uint32
		}
		locs := map[uint32]loc{}
		for _, it := range items {
			if it.idat {
				locs[it.id] = loc{1, uint32(len(idat)), uint32(len(it.data))}
				idat = append(idat, it.data...)
			} else {
				locs[it.id] = loc{0, mdatStart + uint32(len(mdatData)), uint32(len(it.data))}
				mdatData = append(mdatData, it.data...)
			}
		}
		idSize, ver := 2, byte(0)
		if o.LargeIDs {
			idSize, ver = 4, 1
		}
		var body []byte
		hdlrName, itemName := "\x00", "\x00"
		if o.Names {
			hdlrName, itemName = "PSMK-HDLRNAME\x00", "PSMK-ITEMNAME\x00"
		}
		body = append(body, heifFull("hdlr", 0, 0, []byte("\x00\x00\x00\x00pict\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"+hdlrName))...)
		body = append(body, heifFull("pitm", ver, 0, heifN(nil, uint64(base+HEIFPrimaryID), idSize))...)
		var inf []byte
		inf = heifN(inf, uint64(len(items)), 2)
		for _, it := range items {
			iv := byte(2)
			if o.LargeIDs {
				iv = 3
			}
			e := heifN(nil, uint64(it.id), idSize)
			e = append(e, 0, 0)
			e = append(e, it.typ...)
			e = append(e, itemName...)
			if it.typ == "mime" {
				e = append(e, it.ctype+"\x00"...)
			}
			var fl uint32
			if it.hidden {
				fl = 1
			}
			inf = append(inf, heifFull("infe", iv, fl, e)...)
		}
		body = append(body, heifFull("iinf", 0, 0, inf)...)
		il := []byte{0x44, 0x00}
		ilv := byte(1)
		if o.LargeIDs {
			ilv = 2
		}
		il = heifN(il, uint64(len(items)), idSize)
		for _, it := range items {
			l := locs[it.id]
			il = heifN(il, uint64(it.id), idSize)
			il = heifN(il, uint64(l.method), 2)
			il = append(il, 0, 0, 0, 1) // data_reference_index 0, one extent
			il = heifN(il, uint64(l.off), 4)
			il = heifN(il, uint64(l.len), 4)
		}
		body = append(body, heifFull("iloc", ilv, 0, il)...)
		var ir []byte
		for _, r := range refs {
			ir = append(ir, r...)
		}
		if len(ir) > 0 {
			body = append(body, heifFull("iref", ver, 0, ir)...)
		}
		var co []byte
		for _, p := range props {
			co = append(co, p...)
		}
		var ma []byte
		n := 0
		for _, it := range items {
			if len(it.props) == 0 {
				continue
			}
			n++
			ma = heifN(ma, uint64(it.id), idSize)
			ma = append(ma, byte(len(it.props)))
			for _, p := range it.props {
				if p < 0 {
					ma = append(ma, byte(-p)|0x80)
				} else {
					ma = append(ma, byte(p))
				}
			}
		}
		ma = append(binary.BigEndian.AppendUint32(nil, uint32(n)), ma...)
		body = append(body, heifBox("iprp", append(heifBox("ipco", co), heifFull("ipma", ver, 0, ma)...))...)
		if len(idat) > 0 {
			body = append(body, heifBox("idat", idat)...)
		}
		return heifFull("meta", 0, 0, body), heifBox("mdat", mdatData)
	}
	var tail []byte
	if o.UUID != nil {
		tail = append(tail, heifBox("uuid", append([]byte("PSMK-uuid-type-1"), o.UUID...))...)
	}
	if o.C2PA != nil {
		u := []byte{0xd8, 0xfe, 0xc3, 0xd6, 0x1b, 0x0e, 0x48, 0x3c, 0x92, 0x97, 0x58, 0x28, 0x87, 0x7e, 0xc4, 0x81}
		tail = append(tail, heifBox("uuid", append(u, o.C2PA...))...)
	}
	meta, _ := build(0)
	out := append([]byte(nil), ftyp...)
	if o.MdatFirst {
		meta, mdat := build(uint32(len(ftyp) + 8))
		out = append(append(out, mdat...), meta...)
	} else {
		meta, mdat := build(uint32(len(ftyp) + len(meta) + 8))
		out = append(append(out, meta...), mdat...)
	}
	return append(out, tail...)
}

func heifBox(typ string, payload []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(8+len(payload)))
	return append(append(b, typ...), payload...)
}

func heifFull(typ string, v byte, flags uint32, payload []byte) []byte {
	h := binary.BigEndian.AppendUint32(nil, uint32(v)<<24|flags)
	return heifBox(typ, append(h, payload...))
}

func heifU32s(vs ...uint32) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.BigEndian.AppendUint32(b, v)
	}
	return b
}

func heifN(b []byte, v uint64, n int) []byte {
	for i := n - 1; i >= 0; i-- {
		b = append(b, byte(v>>(8*i)))
	}
	return b
}

func heifRef(typ string, from uint32, large bool, to ...uint32) []byte {
	n := 2
	if large {
		n = 4
	}
	e := heifN(nil, uint64(from), n)
	e = heifN(e, uint64(len(to)), 2)
	for _, t := range to {
		e = heifN(e, uint64(t), n)
	}
	return heifBox(typ, e)
}

// HEVCNAL returns one HEVC NAL unit of type typ (nuh_layer_id 0,
// TemporalId 0) holding payload, with a 4-byte length prefix (hvcC
// lengthSizeMinusOne 3).
func HEVCNAL(typ int, payload []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(payload)+2))
	b = append(b, byte(typ<<1), 1)
	return append(b, payload...)
}

// HEVCConfig returns an hvcC payload (HEVCDecoderConfigurationRecord,
// ISO/IEC 14496-15) for Main profile 4:2:0 8-bit, 4-byte NAL lengths, with
// one VPS, SPS and PPS array each holding one NAL unit whose payload is
// stand-in bytes derived from seed.
func HEVCConfig(seed []byte) []byte {
	b := []byte{1, 0x01, 0x60, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 90, 0xF0, 0, 0xFC, 0xFD, 0xF8, 0xF8, 0, 0, 0x0F, 3}
	for _, t := range []int{32, 33, 34} {
		nal := append([]byte{byte(t << 1), 1}, seed...)
		b = append(b, 0x80|byte(t), 0, 1)
		b = binary.BigEndian.AppendUint16(b, uint16(len(nal)))
		b = append(b, nal...)
	}
	return b
}
