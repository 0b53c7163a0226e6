package testimg

import (
	"encoding/binary"
	"sort"
)

// TIFF field types (TIFF 6.0 section 2).
const (
	tbByte      = 1
	tbASCII     = 2
	tbShort     = 3
	tbLong      = 4
	tbRational  = 5
	tbUndefined = 7
)

var tbTypeSize = map[uint16]int{tbByte: 1, tbASCII: 1, tbShort: 2, tbLong: 4, tbRational: 8, tbUndefined: 1}

// tbEntry is one IFD entry under construction. When ref >= 0 the value is
// a LONG offset to block ref (a sub-IFD or a data blob), patched at layout.
// When rawCount is non-zero it overrides the count written (for hostile
// files) while val still supplies the bytes stored.
type tbEntry struct {
	tag, typ uint16
	count    uint32
	val      []byte // encoded value bytes (already in the file's byte order)
	ref      int
	rawCount uint32
	rawOff   *uint32 // explicit value offset written verbatim (hostile files)
}

// tbBlock is an IFD (entries != nil or isIFD) or a raw data blob.
type tbBlock struct {
	isIFD   bool
	entries []tbEntry
	next    int // block index of the next IFD, -1 for none
	nextRaw *uint32
	data    []byte
}

// tbOrder is a byte order that can both put and append.
type tbOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// tbBuilder lays out blocks after an 8-byte header in the order given.
// Block 0 must be IFD0.
type tbBuilder struct {
	bo     tbOrder
	blocks []*tbBlock
}

func newTB(bigEndian bool) *tbBuilder {
	if bigEndian {
		return &tbBuilder{bo: binary.BigEndian}
	}
	return &tbBuilder{bo: binary.LittleEndian}
}

func (b *tbBuilder) ifd() int {
	b.blocks = append(b.blocks, &tbBlock{isIFD: true, next: -1})
	return len(b.blocks) - 1
}

func (b *tbBuilder) blob(data []byte) int {
	b.blocks = append(b.blocks, &tbBlock{data: data, next: -1})
	return len(b.blocks) - 1
}

func (b *tbBuilder) add(i int, e tbEntry) {
	b.blocks[i].entries = append(b.blocks[i].entries, e)
}

func (b *tbBuilder) ascii(i int, tag uint16, s string) {
	v := append([]byte(s), 0)
	b.add(i, tbEntry{tag: tag, typ: tbASCII, count: uint32(len(v)), val: v, ref: -1})
}

func (b *tbBuilder) undef(i int, tag uint16, v []byte) {
	b.add(i, tbEntry{tag: tag, typ: tbUndefined, count: uint32(len(v)), val: v, ref: -1})
}

func (b *tbBuilder) bytes(i int, tag uint16, v []byte) {
	b.add(i, tbEntry{tag: tag, typ: tbByte, count: uint32(len(v)), val: v, ref: -1})
}

func (b *tbBuilder) short(i int, tag uint16, vs ...uint16) {
	v := make([]byte, 2*len(vs))
	for k, x := range vs {
		b.bo.PutUint16(v[2*k:], x)
	}
	b.add(i, tbEntry{tag: tag, typ: tbShort, count: uint32(len(vs)), val: v, ref: -1})
}

func (b *tbBuilder) long(i int, tag uint16, vs ...uint32) {
	v := make([]byte, 4*len(vs))
	for k, x := range vs {
		b.bo.PutUint32(v[4*k:], x)
	}
	b.add(i, tbEntry{tag: tag, typ: tbLong, count: uint32(len(vs)), val: v, ref: -1})
}

// rational adds RATIONALs given as numerator, denominator pairs.
func (b *tbBuilder) rational(i int, tag uint16, nd ...uint32) {
	v := make([]byte, 4*len(nd))
	for k, x := range nd {
		b.bo.PutUint32(v[4*k:], x)
	}
	b.add(i, tbEntry{tag: tag, typ: tbRational, count: uint32(len(nd) / 2), val: v, ref: -1})
}

// pointer adds a LONG entry whose value is the offset of block target.
func (b *tbBuilder) pointer(i int, tag uint16, target int) {
	b.add(i, tbEntry{tag: tag, typ: tbLong, count: 1, ref: target})
}

func (blk *tbBlock) size() int {
	if !blk.isIFD {
		return len(blk.data) + len(blk.data)&1
	}
	n := 2 + 12*len(blk.entries) + 4
	for _, e := range blk.entries {
		if e.ref < 0 && e.rawOff == nil && len(e.val) > 4 {
			n += len(e.val) + len(e.val)&1
		}
	}
	return n
}

// offsets returns the file offset of every block.
func (b *tbBuilder) offsets() []uint32 {
	offs := make([]uint32, len(b.blocks))
	pos := 8
	for i, blk := range b.blocks {
		offs[i] = uint32(pos)
		pos += blk.size()
	}
	return offs
}

// bytes serialises the TIFF structure.
func (b *tbBuilder) build() []byte {
	offs := b.offsets()
	out := make([]byte, 8, 8+64)
	if b.bo.String() == "BigEndian" {
		copy(out, "MM\x00*")
	} else {
		copy(out, "II*\x00")
	}
	b.bo.PutUint32(out[4:], offs[0])
	for _, blk := range b.blocks {
		if !blk.isIFD {
			out = append(out, blk.data...)
			if len(blk.data)&1 == 1 {
				out = append(out, 0)
			}
			continue
		}
		ents := append([]tbEntry(nil), blk.entries...)
		sort.SliceStable(ents, func(x, y int) bool { return ents[x].tag < ents[y].tag })
		start := len(out)
		extra := start + 2 + 12*len(ents) + 4
		var tail []byte
		out = b.bo.AppendUint16(out, uint16(len(ents)))
		for _, e := range ents {
			out = b.bo.AppendUint16(out, e.tag)
			out = b.bo.AppendUint16(out, e.typ)
			cnt := e.count
			if e.rawCount != 0 {
				cnt = e.rawCount
			}
			out = b.bo.AppendUint32(out, cnt)
			switch {
			case e.rawOff != nil:
				out = b.bo.AppendUint32(out, *e.rawOff)
			case e.ref >= 0:
				out = b.bo.AppendUint32(out, offs[e.ref])
			case len(e.val) <= 4:
				var v [4]byte
				copy(v[:], e.val)
				out = append(out, v[:]...)
			default:
				out = b.bo.AppendUint32(out, uint32(extra+len(tail)))
				tail = append(tail, e.val...)
				if len(e.val)&1 == 1 {
					tail = append(tail, 0)
				}
			}
		}
		switch {
		case blk.nextRaw != nil:
			out = b.bo.AppendUint32(out, *blk.nextRaw)
		case blk.next >= 0:
			out = b.bo.AppendUint32(out, offs[blk.next])
		default:
			out = b.bo.AppendUint32(out, 0)
		}
		out = append(out, tail...)
	}
	return out
}
