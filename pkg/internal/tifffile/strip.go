package tifffile

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/photoscrub/photoscrub/pkg/internal/tiffifd"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// keptTags is the allowlist of tags a decoder needs to turn a page into
// pixels and display it (TIFF 6.0 baseline and extensions). Orientation
// and the ICC profile are kept per meta.Keep; the offsets tags are
// rewritten.
var keptTags = map[uint16]bool{
	254: true, 255: true, 256: true, 257: true, 258: true, 259: true,
	262: true, 263: true, 266: true, 277: true, 278: true, 279: true,
	280: true, 281: true, 282: true, 283: true, 284: true, 292: true,
	293: true, 296: true, 297: true, 301: true, 317: true, 318: true,
	319: true, 320: true, 321: true, 322: true, 323: true, 325: true,
	332: true, 338: true, 339: true, 340: true, 341: true, 347: true,
	529: true, 530: true, 531: true, 532: true,
}

// Strip rebuilds the TIFF file data keeping, for every page of the main
// IFD chain, only the allowlisted image-structure tags, Orientation (when
// keep.Orientation and valid) and the ICC profile (when keep.ICC), and the
// page's strip or tile data. The byte order and the classic/BigTIFF flavour
// are kept; pages stay in order.
//
// It returns a FormatError when the main chain or a kept value cannot be
// read, or image data lies outside the file, and an error wrapping
// ErrUnsupported for raw camera files and old-style JPEG (Compression 6).
// It never returns a partial file.
func Strip(data []byte, keep meta.Keep) ([]byte, error) {
	if IsRaw(data) {
		return nil, fmt.Errorf("raw camera file: %w", ErrUnsupported)
	}
	t, chain, err := parse(data)
	if err != nil {
		return nil, err
	}
	pages := imagePages(chain)
	if len(pages) == 0 {
		return nil, FormatError("no page holds image data")
	}
	w := newWriter(t, data)
	for _, d := range pages {
		if err := w.page(d, keep); err != nil {
			return nil, err
		}
	}
	if !t.Big && uint64(len(w.buf)) > 1<<32-1 {
		return nil, FormatError("output exceeds 4 GiB")
	}
	return w.buf, nil
}

// imagePages returns the IFDs of the main chain that hold image data
// (strip, tile or JPEGInterchangeFormat tags). An IFD without any decodes
// to nothing: it is metadata only (some writers chain a text-only IFD1)
// and is dropped as a whole.
func imagePages(chain []tiffifd.IFD) []*tiffifd.IFD {
	var out []*tiffifd.IFD
	for i := range chain {
		d := &chain[i]
		for _, tag := range []uint16{tagStripOffsets, tagStripByteCounts, tagTileOffsets, tagTileByteCounts, tagJPEGIF} {
			if _, ok := d.Find(tag); ok {
				out = append(out, d)
				break
			}
		}
	}
	return out
}

// writer lays out a fresh TIFF file.
type writer struct {
	t      *tiffifd.TIFF
	src    []byte
	buf    []byte
	offSz  int    // 4 or 8
	nextAt int    // where the previous IFD's next offset goes
	budget uint64 // image bytes still allowed
}

func newWriter(t *tiffifd.TIFF, src []byte) *writer {
	w := &writer{t: t, src: src, offSz: 4, nextAt: 4}
	// Sound files store each strip once; allow some sharing (identical
	// blank tiles) while keeping the output linear in the input.
	w.budget = 2*uint64(len(src)) + 1<<20
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
func (w *writer) page(d *tiffifd.IFD, keep meta.Keep) error {
	t := w.t
	where := " in IFD at offset " + strconv.Itoa(d.Offset)
	if c, ok := firstUint(t, d, tagCompression); ok && c == 6 {
		return fmt.Errorf("old-style JPEG compression%s: %w", where, ErrUnsupported)
	}
	if _, ok := d.Find(tagJPEGIF); ok {
		return fmt.Errorf("JPEGInterchangeFormat%s: %w", where, ErrUnsupported)
	}
	var ents []outEntry
	var offE, cntE *tiffifd.Entry
	for k := range d.Entries {
		e := &d.Entries[k]
		switch {
		case e.Tag == tagStripOffsets || e.Tag == tagTileOffsets:
			if offE != nil {
				return FormatError("both strip and tile offsets" + where)
			}
			offE = e
			continue
		case e.Tag == tagStripByteCounts || e.Tag == tagTileByteCounts:
			if cntE != nil {
				return FormatError("both strip and tile byte counts" + where)
			}
			cntE = e
		case e.Tag == tagOrientation:
			if o, ok := firstUint(t, d, tagOrientation); !keep.Orientation || !ok ||
				e.Type != tiffifd.Short || e.Count != 1 || o < 1 || o > 8 {
				continue
			}
		case e.Tag == tagICC:
			if !keep.ICC {
				continue
			}
		case !keptTags[e.Tag]:
			continue
		}
		v, err := t.Value(*e)
		if err != nil {
			return FormatError("kept tag " + strconv.Itoa(int(e.Tag)) + " unreadable" + where)
		}
		ents = append(ents, outEntry{tag: e.Tag, typ: e.Type, count: e.Count, val: v})
	}
	if offE == nil || cntE == nil || (offE.Tag == tagStripOffsets) != (cntE.Tag == tagStripByteCounts) {
		return FormatError("page without strip or tile data" + where)
	}
	if offE.Count != cntE.Count || offE.Count == 0 {
		return FormatError("strip offsets and byte counts disagree" + where)
	}
	offs, err := w.copyData(offE, cntE, where)
	if err != nil {
		return err
	}
	ents = append(ents, offs)
	slices.SortStableFunc(ents, func(a, b outEntry) int { return int(a.tag) - int(b.tag) })
	for k := 1; k < len(ents); k++ {
		if ents[k].tag == ents[k-1].tag {
			return FormatError("duplicate tag " + strconv.Itoa(int(ents[k].tag)) + where)
		}
	}
	w.ifd(ents)
	return nil
}

// copyData appends every strip or tile of the page and returns the new
// offsets entry (LONG, or LONG8 for BigTIFF).
func (w *writer) copyData(offE, cntE *tiffifd.Entry, where string) (outEntry, error) {
	t, src := w.t, w.src
	out := outEntry{tag: offE.Tag, typ: tiffifd.Long, count: offE.Count}
	if w.offSz == 8 {
		out.typ = tiffifd.Long8
	}
	// The offsets array is in the file (tiffifd checked its size), so
	// Count×8 is at most 8×len(data).
	out.val = make([]byte, 0, int(offE.Count)*w.offSz)
	for i := 0; uint64(i) < offE.Count; i++ {
		off, err1 := t.Uint(*offE, i)
		cnt, err2 := t.Uint(*cntE, i)
		if err1 != nil || err2 != nil {
			return out, FormatError("strip offsets or byte counts unreadable" + where)
		}
		if off > uint64(len(src)) || cnt > uint64(len(src))-off {
			return out, FormatError("strip " + strconv.Itoa(i) + " outside the file" + where)
		}
		if cnt > w.budget {
			return out, FormatError("strips overlap beyond budget" + where)
		}
		w.budget -= cnt
		newOff := uint64(0)
		if cnt > 0 {
			newOff = uint64(len(w.buf))
			w.buf = append(w.buf, src[off:off+cnt]...)
		}
		if w.offSz == 4 && uint64(len(w.buf)) > 1<<32-1 {
			return out, FormatError("output exceeds 4 GiB")
		}
		out.val = w.appendUint(out.val, newOff, w.offSz)
	}
	return out, nil
}

// appendUint appends v as a 2-, 4- or 8-byte integer in the file's order.
func (w *writer) appendUint(b []byte, v uint64, size int) []byte {
	var tmp [8]byte
	switch size {
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
