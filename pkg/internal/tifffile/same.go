package tifffile

import (
	"bytes"
	"strconv"

	"github.com/photoscrub/photoscrub/pkg/internal/tiffifd"
)

// decodeTags are the tags whose values must match for two pages to decode
// to the same pixels from the same data.
var decodeTags = []uint16{
	tagImageWidth, tagImageLength, tagBitsPerSample, tagCompression,
	tagPhotometric, tagFillOrder, tagSamplesPerPixel, tagRowsPerStrip,
	tagPlanarConfig, tagPredictor, tagColorMap, tagTileWidth, tagTileLength,
	tagExtraSamples, tagSampleFormat, tagJPEGTables, tagYCbCrSubSampling,
}

// SameImage returns nil when out has the same pages as orig (IFDs of the
// main chain holding image data; metadata-only IFDs are ignored), in the same
// order, each with the same dimensions, compression, photometric
// interpretation, bits and samples per pixel, planar configuration,
// predictor, colour map and the other decoding tags, and byte-identical
// strip or tile data. Otherwise it returns a FormatError naming the first
// difference (page and tag number, never a value).
func SameImage(orig, out []byte) error {
	ta, chainA, err := parse(orig)
	if err != nil {
		return FormatError("original: " + err.Error())
	}
	tb, chainB, err := parse(out)
	if err != nil {
		return FormatError("output: " + err.Error())
	}
	ca, cb := imagePages(chainA), imagePages(chainB)
	if len(ca) == 0 {
		return FormatError("no page holds image data")
	}
	if len(ca) != len(cb) {
		return FormatError("page count differs")
	}
	for i := range ca {
		p := "page " + strconv.Itoa(i) + ": "
		da, db := ca[i], cb[i]
		for _, tag := range decodeTags {
			if !sameTag(ta, da, tb, db, tag) {
				return FormatError(p + "tag " + strconv.Itoa(int(tag)) + " differs")
			}
		}
		if err := sameData(ta, da, orig, tb, db, out); err != nil {
			return FormatError(p + err.Error())
		}
	}
	return nil
}

// sameTag compares one tag: both absent, or the same values (unsigned
// integers by value, whatever their width; other types byte for byte).
func sameTag(ta *tiffifd.TIFF, da *tiffifd.IFD, tb *tiffifd.TIFF, db *tiffifd.IFD, tag uint16) bool {
	ea, okA := da.Find(tag)
	eb, okB := db.Find(tag)
	if !okA || !okB {
		return okA == okB
	}
	if ea.Count != eb.Count {
		return false
	}
	if isUint(ea.Type) && isUint(eb.Type) {
		for i := 0; uint64(i) < ea.Count; i++ {
			x, err1 := ta.Uint(ea, i)
			y, err2 := tb.Uint(eb, i)
			if err1 != nil || err2 != nil || x != y {
				return false
			}
		}
		return true
	}
	va, err1 := ta.Value(ea)
	vb, err2 := tb.Value(eb)
	return err1 == nil && err2 == nil && ea.Type == eb.Type &&
		ta.Order == tb.Order && bytes.Equal(va, vb)
}

func isUint(t tiffifd.Type) bool {
	switch t {
	case tiffifd.Byte, tiffifd.Short, tiffifd.Long, tiffifd.Long8:
		return true
	}
	return false
}

// chunks returns the offsets and byte-counts entries of a page.
func chunks(d *tiffifd.IFD) (off, cnt tiffifd.Entry, ok bool) {
	off, ok1 := d.Find(tagStripOffsets)
	cnt, ok2 := d.Find(tagStripByteCounts)
	if ok1 && ok2 {
		return off, cnt, true
	}
	off, ok1 = d.Find(tagTileOffsets)
	cnt, ok2 = d.Find(tagTileByteCounts)
	return off, cnt, ok1 && ok2
}

// sameData compares the pages' strips or tiles chunk by chunk.
func sameData(ta *tiffifd.TIFF, da *tiffifd.IFD, a []byte, tb *tiffifd.TIFF, db *tiffifd.IFD, b []byte) error {
	oa, na, ok1 := chunks(da)
	ob, nb, ok2 := chunks(db)
	if !ok1 || !ok2 {
		return FormatError("image data missing")
	}
	if oa.Tag != ob.Tag || oa.Count != ob.Count || na.Count != oa.Count || nb.Count != ob.Count {
		return FormatError("image data layout differs")
	}
	for i := 0; uint64(i) < oa.Count; i++ {
		ca, err := chunk(ta, oa, na, i, a)
		if err != nil {
			return err
		}
		cb, err := chunk(tb, ob, nb, i, b)
		if err != nil {
			return err
		}
		if !bytes.Equal(ca, cb) {
			return FormatError("strip or tile " + strconv.Itoa(i) + " differs")
		}
	}
	return nil
}

// chunk returns the bytes of strip or tile i, bounds-checked.
func chunk(t *tiffifd.TIFF, off, cnt tiffifd.Entry, i int, data []byte) ([]byte, error) {
	o, err1 := t.Uint(off, i)
	n, err2 := t.Uint(cnt, i)
	if err1 != nil || err2 != nil {
		return nil, FormatError("strip offsets or byte counts unreadable")
	}
	if o > uint64(len(data)) || n > uint64(len(data))-o {
		return nil, FormatError("strip " + strconv.Itoa(i) + " outside the file")
	}
	if n == 0 {
		return nil, nil
	}
	return data[o : o+n], nil
}
