package testimg

import "encoding/binary"

// HEIFItem is one item of a HEIFFile.
type HEIFItem struct {
	ID          uint16
	Type        string // item_type (infe version 2)
	Hidden      bool
	Name        string
	ContentType string // mime items
	Encoding    string // mime items: content_encoding
	Data        []byte
	Idat        bool  // construction_method 1
	Props       []int // 1-based indices into HEIFFile.Props; negative = essential
}

// HEIFRef is one iref entry.
type HEIFRef struct {
	Type string
	From uint16
	To   []uint16
}

// HEIFFile describes a HEIF/AVIF file for BuildHEIF: everything is written
// as given (16-bit ids, iloc version 1 with 4-byte offsets and lengths,
// ipma version 0), so that tests can plant anything in any structure.
type HEIFFile struct {
	// Ftyp is the ftyp payload (major brand, minor version, compatible
	// brands); empty means "heic", 0, mif1 heic miaf.
	Ftyp    []byte
	Primary uint16
	Items   []HEIFItem
	// Props are whole property boxes (see HEIFBox, HEIFFullBox).
	Props [][]byte
	Refs  []HEIFRef
	// MdatExtra is appended inside mdat after all item data (bytes no
	// item covers).
	MdatExtra []byte
	// MetaExtra are extra boxes appended inside meta.
	MetaExtra [][]byte
	// Tail are top-level boxes written after mdat.
	Tail [][]byte
	// NoDinf leaves out the dinf box.
	NoDinf bool
}

// BuildHEIF returns the file f describes: ftyp, meta, mdat, then Tail.
func BuildHEIF(f HEIFFile) []byte {
	ftyp := f.Ftyp
	if len(ftyp) == 0 {
		ftyp = []byte("heic\x00\x00\x00\x00mif1heicmiaf")
	}
	ft := HEIFBox("ftyp", ftyp)
	build := func(mdatStart uint32) (meta, mdat []byte) {
		var md, idat []byte
		var il []byte
		il = append(il, 0x44, 0)
		il = binary.BigEndian.AppendUint16(il, uint16(len(f.Items)))
		for _, it := range f.Items {
			il = binary.BigEndian.AppendUint16(il, it.ID)
			m, off := uint16(0), mdatStart+uint32(len(md))
			if it.Idat {
				m, off = 1, uint32(len(idat))
				idat = append(idat, it.Data...)
			} else {
				md = append(md, it.Data...)
			}
			il = binary.BigEndian.AppendUint16(il, m)
			il = append(il, 0, 0, 0, 1)
			il = binary.BigEndian.AppendUint32(il, off)
			il = binary.BigEndian.AppendUint32(il, uint32(len(it.Data)))
		}
		md = append(md, f.MdatExtra...)
		var body []byte
		body = append(body, HEIFFullBox("hdlr", 0, 0, []byte("\x00\x00\x00\x00pict\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))...)
		if !f.NoDinf {
			body = append(body, HEIFBox("dinf", HEIFFullBox("dref", 0, 0, append([]byte{0, 0, 0, 1}, HEIFFullBox("url ", 0, 1, nil)...)))...)
		}
		body = append(body, HEIFFullBox("pitm", 0, 0, binary.BigEndian.AppendUint16(nil, f.Primary))...)
		body = append(body, HEIFFullBox("iloc", 1, 0, il)...)
		inf := binary.BigEndian.AppendUint16(nil, uint16(len(f.Items)))
		for _, it := range f.Items {
			e := binary.BigEndian.AppendUint16(nil, it.ID)
			e = append(e, 0, 0)
			e = append(e, it.Type...)
			e = append(e, it.Name+"\x00"...)
			if it.Type == "mime" {
				e = append(e, it.ContentType+"\x00"...)
				if it.Encoding != "" {
					e = append(e, it.Encoding+"\x00"...)
				}
			}
			var fl uint32
			if it.Hidden {
				fl = 1
			}
			inf = append(inf, HEIFFullBox("infe", 2, fl, e)...)
		}
		body = append(body, HEIFFullBox("iinf", 0, 0, inf)...)
		var ir []byte
		for _, r := range f.Refs {
			e := binary.BigEndian.AppendUint16(nil, r.From)
			e = binary.BigEndian.AppendUint16(e, uint16(len(r.To)))
			for _, t := range r.To {
				e = binary.BigEndian.AppendUint16(e, t)
			}
			ir = append(ir, HEIFBox(r.Type, e)...)
		}
		if len(ir) > 0 {
			body = append(body, HEIFFullBox("iref", 0, 0, ir)...)
		}
		var co []byte
		for _, p := range f.Props {
			co = append(co, p...)
		}
		var ma []byte
		n := 0
		for _, it := range f.Items {
			if len(it.Props) == 0 {
				continue
			}
			n++
			ma = binary.BigEndian.AppendUint16(ma, it.ID)
			ma = append(ma, byte(len(it.Props)))
			for _, p := range it.Props {
				if p < 0 {
					ma = append(ma, byte(-p)|0x80)
				} else {
					ma = append(ma, byte(p))
				}
			}
		}
		ma = append(binary.BigEndian.AppendUint32(nil, uint32(n)), ma...)
		body = append(body, HEIFBox("iprp", append(HEIFBox("ipco", co), HEIFFullBox("ipma", 0, 0, ma)...))...)
		if len(idat) > 0 {
			body = append(body, HEIFBox("idat", idat)...)
		}
		for _, b := range f.MetaExtra {
			body = append(body, b...)
		}
		return HEIFFullBox("meta", 0, 0, body), HEIFBox("mdat", md)
	}
	meta, _ := build(0)
	meta, mdat := build(uint32(len(ft) + len(meta) + 8))
	out := append(append(append([]byte(nil), ft...), meta...), mdat...)
	for _, b := range f.Tail {
		out = append(out, b...)
	}
	return out
}

// HEIFBox returns a box of type typ.
func HEIFBox(typ string, payload []byte) []byte { return heifBox(typ, payload) }

// HEIFFullBox returns a full box of type typ.
func HEIFFullBox(typ string, v byte, flags uint32, payload []byte) []byte {
	return heifFull(typ, v, flags, payload)
}

// HEIFIspe returns an ispe property.
func HEIFIspe(w, h uint32) []byte { return heifFull("ispe", 0, 0, heifU32s(w, h)) }

// AV1OBU returns an AV1 OBU of type typ with obu_has_size_field set.
func AV1OBU(typ int, payload []byte) []byte {
	b := []byte{byte(typ<<3) | 2}
	n := len(payload)
	for {
		c := byte(n & 0x7F)
		n >>= 7
		if n == 0 {
			b = append(b, c)
			break
		}
		b = append(b, c|0x80)
	}
	return append(b, payload...)
}

// AV1Config returns an av1C payload (AV1CodecConfigurationRecord: Main
// profile, 8-bit 4:2:0) followed by configOBUs.
func AV1Config(configOBUs ...[]byte) []byte {
	b := []byte{0x81, 0x08, 0x0C, 0}
	for _, o := range configOBUs {
		b = append(b, o...)
	}
	return b
}
