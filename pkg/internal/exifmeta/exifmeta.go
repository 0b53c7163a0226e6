package exifmeta

import (
	"bytes"
	"encoding/binary"
	"errors"

	"github.com/photoscrub/photoscrub/pkg/internal/tiffifd"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// FormatError reports an EXIF block whose TIFF structure could not be
// validated. Its text never holds a value from the block.
type FormatError string

// Error implements error.
func (e FormatError) Error() string { return "exifmeta: " + string(e) }

// Inspect classifies the EXIF block tiff, which begins with the TIFF header
// ("II*\x00" or "MM\x00*"); callers remove any "Exif\x00\x00" prefix first
// (see TrimPrefix). Findings go into set under where + "/IFD0", "/Exif IFD",
// "/GPS IFD", "/IFD1", "/Interop IFD", "/SubIFD0", "/MakerNote", "/XMP"...
//
// It returns the IFD0 Orientation (SHORT 1..8) or 0 when absent or out of
// range. A non-nil error (a FormatError) means the block could not be fully
// validated; an Unparsed finding has then been added under where, beside
// the findings from the IFDs that could be read. A block holding only
// Orientation and other structural tags (what Minimal builds) gives no
// findings. Inspect is safe for concurrent use with distinct sets.
func Inspect(tiff []byte, where string, set *meta.Set) (orientation int, err error) {
	t, perr := tiffifd.Parse(tiff)
	if t != nil {
		classify(t, where, set)
		orientation = orientationOf(t)
	}
	if perr != nil {
		set.Add(meta.Unparsed, where)
		msg := "invalid TIFF structure"
		var fe tiffifd.FormatError
		if errors.As(perr, &fe) {
			msg += ": " + string(fe)
		}
		return orientation, FormatError(msg)
	}
	// Cross-check with goexif on the validated block. Our walk is the
	// detector of record; goexif can only add a GPS finding we missed
	// (fail closed) and its orientation is ignored when it disagrees.
	if c, ok := viaGoexif(tiff); ok && c.gps && !t.Has(tiffifd.KindGPS) {
		set.Add(meta.Location, where+"/GPS IFD", "GPSInfo")
	}
	return orientation, nil
}

// orientationOf returns IFD0's Orientation when it is a SHORT in 1..8.
// Orientation returns the IFD0 Orientation (1..8) of an EXIF block, or 0
// when it is absent, exactly as Inspect reports it (also from a block that
// fails validation later, when IFD0 was read). It classifies nothing and
// does not run the goexif cross-check: rebuilders use it to carry the
// orientation over.
func Orientation(tiff []byte) int {
	t, _ := tiffifd.Parse(tiff)
	if t == nil {
		return 0
	}
	return orientationOf(t)
}

func orientationOf(t *tiffifd.TIFF) int {
	chain := t.Chain()
	if len(chain) == 0 {
		return 0
	}
	e, ok := chain[0].Find(tiffifd.TagOrientation)
	if !ok || e.Type != tiffifd.Short || e.Count < 1 {
		return 0
	}
	v, err := t.Uint(e, 0)
	if err != nil || v < 1 || v > 8 {
		return 0
	}
	return int(v)
}

// Minimal returns a TIFF-structured EXIF block (no "Exif\x00\x00" prefix)
// holding only IFD0 with one Orientation entry set to o: big-endian, 26
// bytes, no next IFD. An o outside 1..8 is written as 1 (normal).
func Minimal(o int) []byte {
	if o < 1 || o > 8 {
		o = 1
	}
	return []byte{'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 1, 0x12, 0, 3, 0, 0, 0, 1, 0, byte(o), 0, 0, 0, 0, 0, 0}
}

// OrientationOnly reports whether b (TIFF-structured, no "Exif" prefix) is
// an Orientation-only EXIF block in either byte order: an 8-byte header
// pointing at IFD0 right after it, one Orientation entry (SHORT, count 1,
// value 1..8, unused value bytes zero) and a zero next-IFD offset, with no
// other byte. Such a block carries nothing but the orientation, whoever
// wrote it; Minimal(o) is the form photoscrub writes.
func OrientationOnly(b []byte) (int, bool) {
	if len(b) != 26 {
		return 0, false
	}
	var bo binary.ByteOrder
	switch string(b[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0, false
	}
	if bo.Uint16(b[2:]) != 42 || bo.Uint32(b[4:]) != 8 || bo.Uint16(b[8:]) != 1 ||
		bo.Uint16(b[10:]) != 0x112 || bo.Uint16(b[12:]) != 3 || bo.Uint32(b[14:]) != 1 ||
		bo.Uint16(b[20:]) != 0 || bo.Uint32(b[22:]) != 0 {
		return 0, false
	}
	o := int(bo.Uint16(b[18:]))
	if o < 1 || o > 8 {
		return 0, false
	}
	return o, true
}

// TrimPrefix returns b without a leading "Exif\x00\x00" (or the variant
// "Exif\x00\xff" some writers use); otherwise b unchanged. It does not
// copy.
func TrimPrefix(b []byte) []byte {
	if len(b) >= 6 && bytes.HasPrefix(b, []byte("Exif\x00")) && (b[5] == 0 || b[5] == 0xff) {
		return b[6:]
	}
	return b
}
