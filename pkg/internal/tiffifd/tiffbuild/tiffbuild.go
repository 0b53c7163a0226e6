// Package tiffbuild builds tiny TIFF structures (TIFF 6.0 §2: the 8-byte
// header, IFDs of 12-byte entries, out-of-line values) for the tests of
// the packages that read them (tiffifd, exifmeta). It is a test helper:
// no production code imports it.
//
// IFDs are laid out in the order given, each followed by its out-of-line
// values; pointer values and next links name IFDs, so cycles are easy to
// build, and Raw fields write any value or offset verbatim, so hostile
// structures are too.
package tiffbuild

import "encoding/binary"

// Field types used by the constructors (TIFF 6.0 §2 "Types").
const (
	typeASCII     uint16 = 2
	typeShort     uint16 = 3
	typeLong      uint16 = 4
	typeRational  uint16 = 5
	typeUndefined uint16 = 7
	typeSRational uint16 = 10
)

// typeSize is the size of one value of each field type (TIFF 6.0 and
// BigTIFF types 16–18); 0 for an unknown type.
var typeSize = [...]int{1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8}

func sizeOf(t uint16) int {
	if int(t) < len(typeSize) {
		return typeSize[t]
	}
	if t == 129 { // UTF-8 (Exif 3.0)
		return 1
	}
	return 0
}

// Entry is one IFD entry. Exactly one of Nums, Bytes, Ptr and Raw says
// what its value is.
type Entry struct {
	Tag   uint16
	Type  uint16
	Count uint32
	Nums  []uint64 // numeric values (rational: num, den pairs)
	Bytes []byte   // BYTE/ASCII/UNDEFINED values
	Ptr   []string // names of IFDs whose offsets are the (LONG) values
	Raw   *uint32  // if set, written verbatim as the value field
}

// IFD is one directory.
type IFD struct {
	Name    string
	Entries []Entry
	Next    string  // name of the next IFD
	NextRaw *uint32 // if set, written verbatim as the next offset
}

// File is a TIFF structure: the byte order and the IFDs, the first of
// which the header points to.
type File struct {
	LE   bool // little-endian ("II"); big-endian ("MM") otherwise
	IFDs []*IFD
}

// U32 returns a pointer to v (for Raw and NextRaw).
func U32(v uint32) *uint32 { return &v }

// Short is a SHORT entry holding v.
func Short(tag uint16, v ...uint64) Entry {
	return Entry{Tag: tag, Type: typeShort, Count: uint32(len(v)), Nums: v}
}

// Long is a LONG entry holding v.
func Long(tag uint16, v ...uint64) Entry {
	return Entry{Tag: tag, Type: typeLong, Count: uint32(len(v)), Nums: v}
}

// Rational is a RATIONAL entry holding the numerator, denominator pairs v.
func Rational(tag uint16, v ...uint64) Entry {
	return Entry{Tag: tag, Type: typeRational, Count: uint32(len(v) / 2), Nums: v}
}

// ASCII is an ASCII entry holding s and its NUL terminator.
func ASCII(tag uint16, s string) Entry {
	return Entry{Tag: tag, Type: typeASCII, Count: uint32(len(s) + 1), Bytes: append([]byte(s), 0)}
}

// Undefined is an UNDEFINED entry holding b.
func Undefined(tag uint16, b []byte) Entry {
	return Entry{Tag: tag, Type: typeUndefined, Count: uint32(len(b)), Bytes: b}
}

// Ptr is a LONG entry holding the offsets of the named IFDs.
func Ptr(tag uint16, names ...string) Entry {
	return Entry{Tag: tag, Type: typeLong, Count: uint32(len(names)), Ptr: names}
}

// Raw is an entry of any type and count whose value field is field,
// written verbatim (an inline value or an offset, true or not).
func Raw[T ~uint16](tag uint16, typ T, count, field uint32) Entry {
	return Entry{Tag: tag, Type: uint16(typ), Count: count, Raw: &field}
}

type order interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

func (e *Entry) size() int {
	switch {
	case e.Raw != nil:
		return 0
	case e.Ptr != nil:
		return 4 * len(e.Ptr)
	case e.Bytes != nil:
		return len(e.Bytes)
	}
	return int(e.Count) * sizeOf(e.Type)
}

// Bytes lays the structure out and returns it. It panics when a pointer
// or next link names no IFD (a mistake in the test).
func (f *File) Bytes() []byte {
	var o order = binary.BigEndian
	hdr := []byte{'M', 'M', 0, 42}
	if f.LE {
		o = binary.LittleEndian
		hdr = []byte{'I', 'I', 42, 0}
	}
	offs := make(map[string]uint32, len(f.IFDs))
	at := make([]uint32, len(f.IFDs))
	off := uint32(8)
	for i, d := range f.IFDs {
		at[i] = off
		if _, dup := offs[d.Name]; !dup {
			offs[d.Name] = off
		}
		off += uint32(2 + 12*len(d.Entries) + 4)
		for j := range d.Entries {
			if s := d.Entries[j].size(); s > 4 {
				off += uint32(s + s%2)
			}
		}
	}
	find := func(name string) uint32 {
		v, ok := offs[name]
		if !ok {
			panic("tiffbuild: no IFD " + name)
		}
		return v
	}
	out := append(hdr, 0, 0, 0, 0)
	if len(f.IFDs) > 0 {
		o.PutUint32(out[4:], at[0])
	}
	for i, d := range f.IFDs {
		var tail []byte
		valAt := at[i] + uint32(2+12*len(d.Entries)+4)
		out = o.AppendUint16(out, uint16(len(d.Entries)))
		for j := range d.Entries {
			e := &d.Entries[j]
			out = o.AppendUint16(out, e.Tag)
			out = o.AppendUint16(out, e.Type)
			out = o.AppendUint32(out, e.Count)
			if e.Raw != nil {
				out = o.AppendUint32(out, *e.Raw)
				continue
			}
			v := e.value(o, find)
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
		case d.NextRaw != nil:
			out = o.AppendUint32(out, *d.NextRaw)
		case d.Next != "":
			out = o.AppendUint32(out, find(d.Next))
		default:
			out = o.AppendUint32(out, 0)
		}
		out = append(out, tail...)
	}
	return out
}

func (e *Entry) value(o order, find func(string) uint32) []byte {
	if e.Ptr != nil {
		var v []byte
		for _, n := range e.Ptr {
			v = o.AppendUint32(v, find(n))
		}
		return v
	}
	if e.Bytes != nil {
		return append([]byte(nil), e.Bytes...)
	}
	var v []byte
	for _, n := range e.Nums {
		switch sizeOf(e.Type) {
		case 1:
			v = append(v, byte(n))
		case 2:
			v = o.AppendUint16(v, uint16(n))
		case 4:
			v = o.AppendUint32(v, uint32(n))
		case 8:
			if e.Type == typeRational || e.Type == typeSRational {
				v = o.AppendUint32(v, uint32(n))
			} else {
				v = o.AppendUint64(v, n)
			}
		}
	}
	return v
}
