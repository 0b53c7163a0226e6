package tiffifd

import "encoding/binary"

// A tiny TIFF builder for tests: IFDs are laid out in the order given, each
// followed by its out-of-line values; pointers and next links name IFDs, so
// cycles are easy to build.

type tent struct {
	tag   uint16
	typ   Type
	count uint32
	nums  []uint64 // numeric values (rational: num, den pairs)
	bytes []byte   // BYTE/ASCII/UNDEFINED values
	ptr   []string // names of IFDs whose offsets are the (LONG) values
	raw   *uint32  // if set, written verbatim as the value field
}

type tifd struct {
	name    string
	ents    []tent
	next    string  // name of the next IFD
	nextRaw *uint32 // if set, written verbatim as the next offset
	off     uint32
}

type order interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

type tbuild struct {
	le   bool
	ifds []*tifd
}

func u32(v uint32) *uint32 { return &v }

func eShort(tag uint16, v ...uint64) tent {
	return tent{tag: tag, typ: Short, count: uint32(len(v)), nums: v}
}
func eLong(tag uint16, v ...uint64) tent {
	return tent{tag: tag, typ: Long, count: uint32(len(v)), nums: v}
}
func eRat(tag uint16, v ...uint64) tent {
	return tent{tag: tag, typ: Rational, count: uint32(len(v) / 2), nums: v}
}
func eASCII(tag uint16, s string) tent {
	return tent{tag: tag, typ: ASCII, count: uint32(len(s) + 1), bytes: append([]byte(s), 0)}
}
func eUndef(tag uint16, b []byte) tent {
	return tent{tag: tag, typ: Undefined, count: uint32(len(b)), bytes: b}
}
func ePtr(tag uint16, names ...string) tent {
	return tent{tag: tag, typ: Long, count: uint32(len(names)), ptr: names}
}
func eRaw(tag uint16, typ Type, count, field uint32) tent {
	return tent{tag: tag, typ: typ, count: count, raw: &field}
}

func (e *tent) size() int {
	switch {
	case e.raw != nil:
		return 0
	case e.ptr != nil:
		return 4 * len(e.ptr)
	case e.bytes != nil:
		return len(e.bytes)
	}
	return int(e.count) * e.typ.Size()
}

func (b *tbuild) find(name string) *tifd {
	for _, d := range b.ifds {
		if d.name == name {
			return d
		}
	}
	panic("no IFD " + name)
}

func (b *tbuild) bytes() []byte {
	var o order = binary.BigEndian
	hdr := []byte{'M', 'M', 0, 42}
	if b.le {
		o = binary.LittleEndian
		hdr = []byte{'I', 'I', 42, 0}
	}
	off := uint32(8)
	for _, d := range b.ifds {
		d.off = off
		off += uint32(2 + 12*len(d.ents) + 4)
		for i := range d.ents {
			if s := d.ents[i].size(); s > 4 {
				off += uint32(s + s%2)
			}
		}
	}
	out := append(hdr, 0, 0, 0, 0)
	if len(b.ifds) > 0 {
		o.PutUint32(out[4:], b.ifds[0].off)
	}
	for _, d := range b.ifds {
		var tail []byte
		valAt := d.off + uint32(2+12*len(d.ents)+4)
		out = o.AppendUint16(out, uint16(len(d.ents)))
		for i := range d.ents {
			e := &d.ents[i]
			out = o.AppendUint16(out, e.tag)
			out = o.AppendUint16(out, uint16(e.typ))
			out = o.AppendUint32(out, e.count)
			if e.raw != nil {
				out = o.AppendUint32(out, *e.raw)
				continue
			}
			v := e.value(b, o)
			if len(v) <= 4 {
				out = append(out, (append(v, 0, 0, 0, 0))[:4]...)
				continue
			}
			out = o.AppendUint32(out, valAt+uint32(len(tail)))
			tail = append(tail, v...)
			if len(v)%2 == 1 {
				tail = append(tail, 0)
			}
		}
		switch {
		case d.nextRaw != nil:
			out = o.AppendUint32(out, *d.nextRaw)
		case d.next != "":
			out = o.AppendUint32(out, b.find(d.next).off)
		default:
			out = o.AppendUint32(out, 0)
		}
		out = append(out, tail...)
	}
	return out
}

func (e *tent) value(b *tbuild, o order) []byte {
	if e.ptr != nil {
		var v []byte
		for _, n := range e.ptr {
			v = o.AppendUint32(v, b.find(n).off)
		}
		return v
	}
	if e.bytes != nil {
		return append([]byte(nil), e.bytes...)
	}
	var v []byte
	for _, n := range e.nums {
		switch e.typ.Size() {
		case 1:
			v = append(v, byte(n))
		case 2:
			v = o.AppendUint16(v, uint16(n))
		case 4:
			v = o.AppendUint32(v, uint32(n))
		case 8:
			if e.typ == Rational || e.typ == SRational {
				v = o.AppendUint32(v, uint32(n))
			} else {
				v = o.AppendUint64(v, n)
			}
		}
	}
	return v
}

// sample is a realistic EXIF block: IFD0 with identity tags → Exif IFD →
// Interop IFD, GPS IFD, IFD1 thumbnail.
func sample(le bool) *tbuild {
	thumb := []byte{0xFF, 0xD8, 0xFF, 0xD9, 0, 0}
	return &tbuild{le: le, ifds: []*tifd{
		{name: "IFD0", next: "IFD1", ents: []tent{
			eASCII(0x010F, "Canon"),
			eASCII(0x0110, "EOS"),
			eShort(TagOrientation, 6),
			eRat(0x011A, 72, 1),
			ePtr(TagExifIFD, "Exif"),
			ePtr(TagGPSIFD, "GPS"),
		}},
		{name: "Exif", ents: []tent{
			eUndef(0x9000, []byte("0232")),
			eASCII(0xA431, "123456789"),
			ePtr(TagInteropIFD, "Interop"),
		}},
		{name: "Interop", ents: []tent{eASCII(0x0001, "R98")}},
		{name: "GPS", ents: []tent{
			eASCII(0x0001, "N"),
			eRat(0x0002, 48, 1, 51, 1, 0, 0),
			eASCII(0x0003, "E"),
			eRat(0x0004, 2, 1, 21, 1, 0, 0),
		}},
		{name: "IFD1", ents: []tent{
			eShort(0x0103, 6),
			eLong(0x0201, 0),
			eLong(0x0202, uint64(len(thumb))),
		}},
	}}
}
