package tiffifd

import (
	"encoding/binary"
	"strconv"
)

// valueBudget bounds the sum of the sizes of all out-of-line values, as a
// multiple of len(data) plus a constant. In a sound file values occupy
// distinct byte ranges, so the sum is at most len(data); overlapping values
// are how a small file makes a value decoder (goexif converts every value
// into []int64) allocate gigabytes.
const (
	valueBudgetFactor = 2
	valueBudgetSlack  = 64 << 10
)

type pending struct {
	off       uint64
	kind      Kind
	index     int
	parent    int
	parentTag uint16
	depth     int
}

type walker struct {
	t        *TIFF
	data     []byte
	n        uint64 // len(data)
	visited  map[uint64]bool
	entries  uint64 // total entries read, for the overlap bound
	values   uint64 // total out-of-line value bytes
	budget   uint64
	subIFDs  int // SubIFD ordinal
	err      error
	stop     bool
	queue    []pending
	countSz  uint64 // 2 or 8
	entrySz  uint64 // 12 or 20
	offSz    uint64 // 4 or 8
	inlineSz uint64 // 4 or 8
}

// Parse walks the TIFF structure in data: the header, the main IFD chain
// (IFD0 → IFD1 → ...) and every IFD reached through the ExifIFD, GPSInfo,
// Interoperability and SubIFDs pointer tags found in any IFD. MakerNotes are
// opaque and not parsed.
//
// It returns what it could read together with the first problem found, a
// FormatError: bad header, an IFD offset outside the data or inside the
// header, an IFD reached twice (a cycle or shared IFD), an entry table or
// next-offset field running past the end, more than MaxEntries entries,
// more than MaxIFDs IFDs, nesting deeper than MaxDepth, a pointer tag of a
// non-integer type, IFD entry tables overlapping, a value lying
// outside the data, or out-of-line values declaring more than twice the
// data's size in total. After a local problem the walk carries on with the
// other IFDs, so the result is as complete as possible. Unknown field types
// are not errors (see TIFF.UnknownTypes). The *TIFF is nil only when the
// header itself is unusable.
//
// A nil error means the data is safe to hand to a value decoder such as
// goexif. Parse is safe for concurrent use on distinct or shared data; it
// never modifies data.
func Parse(data []byte) (*TIFF, error) {
	if len(data) < 8 {
		return nil, FormatError("header truncated")
	}
	t := &TIFF{data: data}
	switch string(data[:2]) {
	case "II":
		t.Order = binary.LittleEndian
	case "MM":
		t.Order = binary.BigEndian
	default:
		return nil, FormatError("bad byte order mark")
	}
	w := &walker{t: t, data: data, n: uint64(len(data)), visited: map[uint64]bool{}}
	var first uint64
	switch t.Order.Uint16(data[2:]) {
	case 42:
		w.countSz, w.entrySz, w.offSz, w.inlineSz = 2, 12, 4, 4
		first = uint64(t.Order.Uint32(data[4:]))
	case 43:
		if len(data) < 16 {
			return nil, FormatError("BigTIFF header truncated")
		}
		if t.Order.Uint16(data[4:]) != 8 || t.Order.Uint16(data[6:]) != 0 {
			return nil, FormatError("unsupported BigTIFF offset size")
		}
		t.Big = true
		w.countSz, w.entrySz, w.offSz, w.inlineSz = 8, 20, 8, 8
		first = t.Order.Uint64(data[8:])
	default:
		return nil, FormatError("bad magic number")
	}
	w.budget = valueBudgetFactor*w.n + valueBudgetSlack

	// The main chain first, so that it is a prefix of t.IFDs.
	next := pending{off: first, kind: KindIFD0, parent: -1}
	for !w.stop {
		i := w.read(next)
		if i < 0 {
			break
		}
		d := &t.IFDs[i]
		if d.Next == 0 {
			break
		}
		next = pending{off: d.Next, index: d.Index + 1, parent: -1}
		next.kind = KindIFDN
		if next.index == 1 {
			next.kind = KindIFD1
		}
	}
	// Then sub-IFDs, breadth first; read appends to the queue.
	for len(w.queue) > 0 && !w.stop {
		p := w.queue[0]
		w.queue = w.queue[1:]
		i := w.read(p)
		if i >= 0 && p.kind == KindSubIFD && t.IFDs[i].Next != 0 {
			w.queue = append(w.queue, pending{off: t.IFDs[i].Next, kind: KindSubIFD,
				index: w.subIFDs, parent: p.parent, parentTag: p.parentTag, depth: p.depth})
			w.subIFDs++
		}
	}
	return t, w.err
}

func (w *walker) fail(msg string, at uint64) {
	if w.err == nil {
		w.err = FormatError(msg + " at offset " + strconv.FormatUint(at, 10))
	}
}

func (w *walker) uintAt(p uint64, size uint64) uint64 {
	switch size {
	case 2:
		return uint64(w.t.Order.Uint16(w.data[p:]))
	case 4:
		return uint64(w.t.Order.Uint32(w.data[p:]))
	}
	return w.t.Order.Uint64(w.data[p:])
}

// read parses the IFD described by p, appends it to t.IFDs, queues the
// sub-IFDs its pointer tags name, and returns its index, or -1 when the IFD
// could not be read at all.
func (w *walker) read(p pending) int {
	hdr := 8
	if w.t.Big {
		hdr = 16
	}
	switch {
	case len(w.t.IFDs) >= MaxIFDs:
		w.fail("more than "+strconv.Itoa(MaxIFDs)+" IFDs", p.off)
		w.stop = true
		return -1
	case p.depth > MaxDepth:
		w.fail("IFD nesting deeper than "+strconv.Itoa(MaxDepth), p.off)
		return -1
	case p.off < uint64(hdr):
		w.fail("IFD offset inside the header", p.off)
		return -1
	case p.off > w.n || w.countSz > w.n-p.off:
		w.fail("IFD offset past the end", p.off)
		return -1
	case w.visited[p.off]:
		w.fail("IFD reached twice (cycle)", p.off)
		return -1
	}
	w.visited[p.off] = true
	count := w.uintAt(p.off, w.countSz)
	if count > MaxEntries {
		w.fail("IFD has more than "+strconv.Itoa(MaxEntries)+" entries", p.off)
		return -1
	}
	// count ≤ 4096, so this cannot overflow.
	need := w.countSz + count*w.entrySz + w.offSz
	if need > w.n-p.off {
		w.fail("IFD truncated", p.off)
		return -1
	}
	w.entries += count
	if w.entries*w.entrySz > w.n {
		w.fail("IFD entry tables overlap", p.off)
		w.stop = true
		return -1
	}
	d := IFD{
		Kind: p.kind, Index: p.index, Offset: int(p.off), Parent: p.parent,
		ParentTag: p.parentTag, Depth: p.depth,
		Entries: make([]Entry, 0, count),
	}
	pos := p.off + w.countSz
	for k := uint64(0); k < count; k, pos = k+1, pos+w.entrySz {
		d.Entries = append(d.Entries, w.entry(pos))
	}
	d.NextAt = int(pos)
	d.Next = w.uintAt(pos, w.offSz)
	w.t.IFDs = append(w.t.IFDs, d)
	idx := len(w.t.IFDs) - 1
	for _, e := range d.Entries {
		w.pointer(e, idx, p.depth)
	}
	return idx
}

// entry decodes the entry at pos, which lies within the data.
func (w *walker) entry(pos uint64) Entry {
	e := Entry{
		Tag:  w.t.Order.Uint16(w.data[pos:]),
		Type: Type(w.t.Order.Uint16(w.data[pos+2:])),
		At:   int(pos),
	}
	field := pos + 8
	if w.t.Big {
		e.Count = w.t.Order.Uint64(w.data[pos+4:])
		field = pos + 12
	} else {
		e.Count = uint64(w.t.Order.Uint32(w.data[pos+4:]))
	}
	ts := uint64(e.Type.Size())
	if ts == 0 {
		w.t.UnknownTypes++
		e.ValueAt = field
		return e
	}
	if e.Count > w.n { // ts ≥ 1, so the value cannot fit; also avoids overflow
		e.Bad = true
		e.Size = e.Count // saturating: only says "too big"
		if e.Count <= (1<<64-1)/ts {
			e.Size = e.Count * ts
		}
		w.fail("value size exceeds the data", pos)
		return e
	}
	e.Size = e.Count * ts // ≤ len(data)·8: no overflow
	if e.Size <= w.inlineSz {
		e.Inline = true
		e.ValueAt = field
		return e
	}
	e.ValueAt = w.uintAt(field, w.offSz)
	if e.ValueAt > w.n || e.Size > w.n-e.ValueAt {
		e.Bad = true
		w.fail("value past the end", pos)
		return e
	}
	w.values += e.Size
	if w.values > w.budget {
		e.Bad = true
		w.fail("values overlap beyond budget", pos)
	}
	return e
}

// pointer queues the sub-IFDs an entry of IFD idx points at.
func (w *walker) pointer(e Entry, idx, depth int) {
	var kind Kind
	switch e.Tag {
	case TagExifIFD:
		kind = KindExif
	case TagGPSIFD:
		kind = KindGPS
	case TagInteropIFD:
		kind = KindInterop
	case TagSubIFDs:
		kind = KindSubIFD
	default:
		return
	}
	switch e.Type {
	case Long, IFDType, Long8, IFD8, Short:
	case SLong, SLong8:
		// Not allowed by the spec, but written by some cameras (a Canon
		// PowerShot S5 stores GPSInfo as SLONG) and decoded by readers.
	default:
		w.fail("pointer tag of non-offset type", uint64(e.At))
		return
	}
	if e.Count == 0 {
		return // nothing to follow; decoders skip or reject it (not a hazard)
	}
	v, err := w.t.Value(e)
	if err != nil {
		return // already reported by entry
	}
	n := e.Count
	if kind != KindSubIFD {
		n = 1 // readers use the first value only
	}
	sz := uint64(e.Type.Size())
	for i := uint64(0); i < n; i++ {
		if len(w.t.IFDs)+len(w.queue) >= MaxIFDs {
			w.fail("more than "+strconv.Itoa(MaxIFDs)+" IFDs", uint64(e.At))
			w.stop = true
			return
		}
		var off uint64
		switch sz {
		case 2:
			off = uint64(w.t.Order.Uint16(v[i*sz:]))
		case 4:
			off = uint64(w.t.Order.Uint32(v[i*sz:]))
		default:
			off = w.t.Order.Uint64(v[i*sz:])
		}
		p := pending{off: off, kind: kind, parent: idx, parentTag: e.Tag, depth: depth + 1}
		if kind == KindSubIFD {
			p.index = w.subIFDs
			w.subIFDs++
		}
		w.queue = append(w.queue, p)
	}
}
