package tifffile

import (
	"fmt"
	"slices"

	"github.com/photoscrub/photoscrub/pkg/internal/tiffifd"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Rebuild writes the file anew from its parsed pages: for every page of
// the main chain, in order, its proven strip or tile bytes, then its kept
// values re-serialized from their validated form (wrong types rebuilt as
// the schema's type), Orientation (keep.Orientation) and the rebuilt ICC
// profile (keep.ICC), then its IFD. The byte order and the classic or
// BigTIFF flavour are kept. Nothing else of the input is carried over.
func (f *File) Rebuild(keep meta.Keep) ([]byte, error) {
	if f.err != nil {
		return nil, f.err
	}
	w := newWriter(f.t, f.data)
	size := len(w.buf)
	for _, pg := range f.pages {
		for _, c := range pg.chunks {
			size += c.n + 8
		}
		size += 256 + 24*len(pg.vals) + len(pg.icc)
		for i := range pg.vals {
			size += len(pg.vals[i].raw) + 8*len(pg.vals[i].ints)
		}
	}
	w.buf = append(make([]byte, 0, size), w.buf...)
	for _, pg := range f.pages {
		if err := w.page(pg, keep); err != nil {
			return nil, err
		}
	}
	if !f.t.Big && uint64(len(w.buf)) > 1<<32-1 {
		return nil, FormatError("output exceeds 4 GiB")
	}
	return w.buf, nil
}

// writer lays out a fresh TIFF file.
type writer struct {
	t      *tiffifd.TIFF
	src    []byte
	buf    []byte
	offSz  int // 4 or 8
	nextAt int // where the previous IFD's next offset goes
	// written maps the chunks already copied to their new offsets.
	written map[chunk]uint64
}

func newWriter(t *tiffifd.TIFF, src []byte) *writer {
	w := &writer{t: t, src: src, offSz: 4, nextAt: 4, written: map[chunk]uint64{}}
	if t.Big {
		w.offSz, w.nextAt = 8, 8
		w.buf = make([]byte, 16)
		t.Order.PutUint16(w.buf[2:], 43)
		t.Order.PutUint16(w.buf[4:], 8)
	} else {
		w.buf = make([]byte, 8)
		t.Order.PutUint16(w.buf[2:], 42)
	}
	if t.Order.Uint16([]byte{1, 0}) == 1 {
		copy(w.buf, "II")
	} else {
		copy(w.buf, "MM")
	}
	return w
}

func (w *writer) align() {
	if len(w.buf)%2 == 1 {
		w.buf = append(w.buf, 0)
	}
}

// outEntry is an entry of the IFD being written.
type outEntry struct {
	tag   uint16
	typ   tiffifd.Type
	count uint64
	val   []byte
}

// page writes one page: its image data, its kept values and its IFD, and
// links it into the chain.
func (w *writer) page(pg *page, keep meta.Keep) error {
	ents := make([]outEntry, 0, len(pg.vals)+4)
	for i := range pg.vals {
		v := &pg.vals[i]
		ents = append(ents, outEntry{tag: v.tag, typ: v.typ, count: v.count, val: v.encode(w)})
	}
	if keep.Orientation && pg.orientation != 0 {
		ents = append(ents, outEntry{tag: tagOrientation, typ: tiffifd.Short, count: 1,
			val: w.appendUint(nil, uint64(pg.orientation), 2)})
	}
	if keep.ICC && pg.icc != nil {
		ents = append(ents, outEntry{tag: tagICC, typ: tiffifd.Undefined, count: uint64(len(pg.icc)), val: pg.icc})
	}
	offs := outEntry{tag: pg.offTag, typ: tiffifd.Long, count: uint64(len(pg.chunks))}
	if w.offSz == 8 {
		offs.typ = tiffifd.Long8
	}
	cnts := outEntry{tag: pg.offTag + 6, typ: pg.cntType, count: uint64(len(pg.chunks))}
	if pg.offTag == tagTileOffsets {
		cnts.tag = tagTileByteCounts
	}
	offs.val = make([]byte, 0, len(pg.chunks)*w.offSz)
	var lens []uint64
	for _, c := range pg.chunks {
		newOff, shared := w.written[c]
		if c.n > 0 && !shared {
			// Chunks that share their bytes (identical blank tiles) are
			// written once, as in the input.
			newOff = uint64(len(w.buf))
			w.buf = append(w.buf, w.src[c.off:c.off+c.n]...)
			w.written[c] = newOff
		}
		if w.offSz == 4 && uint64(len(w.buf)) > 1<<32-1 {
			return FormatError("output exceeds 4 GiB")
		}
		offs.val = w.appendUint(offs.val, newOff, w.offSz)
		lens = append(lens, uint64(c.n))
	}
	if !fits(lens, cnts.typ) {
		cnts.typ = tiffifd.Long
	}
	for _, n := range lens {
		cnts.val = w.appendUint(cnts.val, n, cnts.typ.Size())
	}
	ents = append(ents, offs, cnts)
	slices.SortStableFunc(ents, func(a, b outEntry) int { return int(a.tag) - int(b.tag) })
	for k := 1; k < len(ents); k++ {
		if ents[k].tag == ents[k-1].tag {
			return fmt.Errorf("duplicate tag %d: %w", ents[k].tag, FormatError("rebuild"))
		}
	}
	w.ifd(ents)
	return nil
}

// appendUint appends v as a 1-, 2-, 4- or 8-byte integer in the file's order.
func (w *writer) appendUint(b []byte, v uint64, size int) []byte {
	var tmp [8]byte
	switch size {
	case 1:
		tmp[0] = byte(v)
	case 2:
		w.t.Order.PutUint16(tmp[:], uint16(v))
	case 4:
		w.t.Order.PutUint32(tmp[:], uint32(v))
	default:
		w.t.Order.PutUint64(tmp[:], v)
	}
	return append(b, tmp[:size]...)
}

// ifd writes the out-of-line values of ents, then the IFD itself (entries
// already sorted), and links it from the previous next-IFD field.
func (w *writer) ifd(ents []outEntry) {
	at := make([]uint64, len(ents))
	for k, e := range ents {
		if len(e.val) > w.offSz {
			w.align()
			at[k] = uint64(len(w.buf))
			w.buf = append(w.buf, e.val...)
		}
	}
	w.align()
	start := uint64(len(w.buf))
	var tmp [8]byte
	putUint(w.t, tmp[:], start, w.offSz)
	copy(w.buf[w.nextAt:], tmp[:w.offSz])
	cntSz := 2
	if w.offSz == 8 {
		cntSz = 8
	}
	w.buf = w.appendUint(w.buf, uint64(len(ents)), cntSz)
	for k, e := range ents {
		w.buf = w.appendUint(w.buf, uint64(e.tag), 2)
		w.buf = w.appendUint(w.buf, uint64(e.typ), 2)
		w.buf = w.appendUint(w.buf, e.count, w.offSz)
		if len(e.val) > w.offSz {
			w.buf = w.appendUint(w.buf, at[k], w.offSz)
			continue
		}
		field := make([]byte, w.offSz)
		copy(field, e.val)
		w.buf = append(w.buf, field...)
	}
	w.nextAt = len(w.buf)
	w.buf = append(w.buf, make([]byte, w.offSz)...)
}
