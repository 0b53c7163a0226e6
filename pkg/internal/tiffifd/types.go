package tiffifd

import (
	"encoding/binary"
	"strconv"
)

// FormatError reports malformed TIFF structure. Its text holds only fixed
// wording, offsets and sizes, never a value read from the data.
type FormatError string

// Error implements error.
func (e FormatError) Error() string { return "tiffifd: " + string(e) }

// Limits enforced by Parse. Real EXIF blocks use fewer than 10 IFDs of a few
// hundred entries nested at most three deep (IFD0 → Exif IFD → Interop IFD).
const (
	// MaxIFDs caps the number of IFDs read in one Parse, across the main
	// chain and all sub-IFDs.
	MaxIFDs = 64
	// MaxEntries caps the entry count of one IFD.
	MaxEntries = 4096
	// MaxDepth caps pointer nesting: the main chain is depth 0, the Exif
	// IFD depth 1, its Interop IFD depth 2.
	MaxDepth = 8
)

// Type is a TIFF field type (TIFF 6.0 §2 "Types"; BigTIFF adds 16–18,
// Exif 3.0 adds 129).
type Type uint16

// The field types Parse knows the size of. Any other type is "unknown":
// its entry is recorded with Size 0 and counted in TIFF.UnknownTypes.
const (
	Byte      Type = 1   // uint8
	ASCII     Type = 2   // NUL-terminated 7-bit text
	Short     Type = 3   // uint16
	Long      Type = 4   // uint32
	Rational  Type = 5   // two uint32: numerator, denominator
	SByte     Type = 6   // int8
	Undefined Type = 7   // opaque bytes
	SShort    Type = 8   // int16
	SLong     Type = 9   // int32
	SRational Type = 10  // two int32
	Float     Type = 11  // IEEE float32
	Double    Type = 12  // IEEE float64
	IFDType   Type = 13  // uint32 offset of an IFD (TIFF TN1)
	Long8     Type = 16  // uint64 (BigTIFF)
	SLong8    Type = 17  // int64 (BigTIFF)
	IFD8      Type = 18  // uint64 offset of an IFD (BigTIFF)
	UTF8      Type = 129 // UTF-8 text (Exif 3.0)
)

// Size returns the size in bytes of one value of type t, or 0 when t is not
// a known type.
func (t Type) Size() int {
	switch t {
	case Byte, ASCII, SByte, Undefined, UTF8:
		return 1
	case Short, SShort:
		return 2
	case Long, SLong, Float, IFDType:
		return 4
	case Rational, SRational, Double, Long8, SLong8, IFD8:
		return 8
	}
	return 0
}

// The pointer tags Parse follows, in any IFD, and Orientation.
const (
	TagSubIFDs     uint16 = 0x014A // SubIFDs: one offset per child IFD
	TagExifIFD     uint16 = 0x8769 // ExifIFDPointer
	TagGPSIFD      uint16 = 0x8825 // GPSInfoIFDPointer
	TagInteropIFD  uint16 = 0xA005 // InteroperabilityIFDPointer
	TagOrientation uint16 = 0x0112 // Orientation (IFD0, SHORT 1..8)
)

// Kind says how an IFD was reached.
type Kind uint8

// IFD kinds.
const (
	KindIFD0    Kind = iota // first IFD of the main chain (the primary image)
	KindIFD1                // second IFD of the main chain (EXIF thumbnail)
	KindIFDN                // third or later IFD of the main chain (further pages)
	KindExif                // reached through ExifIFDPointer 0x8769
	KindGPS                 // reached through GPSInfoIFDPointer 0x8825
	KindInterop             // reached through InteroperabilityIFDPointer 0xA005
	KindSubIFD              // reached through SubIFDs 0x014A (or a SubIFD's next pointer)
)

// Entry is one 12-byte (BigTIFF: 20-byte) IFD entry as declared. Offsets are
// absolute positions in the data given to Parse.
type Entry struct {
	Tag   uint16 // tag number
	Type  Type   // field type as declared (possibly unknown)
	Count uint64 // number of values as declared
	// At is the position of the entry itself (its tag field).
	At int
	// ValueAt is the position of the value bytes: the entry's own value
	// field (At+8, BigTIFF At+12) when Inline, else the offset it holds.
	ValueAt uint64
	// Size is Count × Type.Size(), or 0 for an unknown type.
	Size uint64
	// Inline reports that the value fits in the entry's value field
	// (4 bytes, BigTIFF 8) and is stored there.
	Inline bool
	// Bad reports that the value does not lie within the data; Parse then
	// returns an error. The value accessors refuse Bad entries.
	Bad bool
}

// IFD is one image file directory.
type IFD struct {
	// Kind says how the IFD was reached. MakerNotes are opaque blobs,
	// never parsed, so there is no MakerNote kind.
	Kind Kind
	// Index is the position in the main chain for IFD0/IFD1/IFDN (0, 1,
	// 2, ...), the ordinal among all SubIFDs for KindSubIFD, else 0.
	Index int
	// Offset is the position of the IFD's entry-count field.
	Offset int
	// Entries in file order.
	Entries []Entry
	// Next is the raw next-IFD offset (0 means none). Parse follows it for
	// the main chain and SubIFDs only; for Exif, GPS and Interop IFDs it is
	// recorded but not followed (cameras leave garbage there).
	Next uint64
	// NextAt is the position of the next-IFD offset field.
	NextAt int
	// Parent is the index in TIFF.IFDs of the IFD whose entry (tag
	// ParentTag) points here, or -1 for the main chain.
	Parent    int
	ParentTag uint16
	// Depth is the pointer nesting depth (main chain 0).
	Depth int
}

// Name returns the conventional name of the IFD: "IFD0", "IFD1", "IFD2",
// "Exif IFD", "GPS IFD", "Interop IFD" or "SubIFD0", "SubIFD1", ...
func (d *IFD) Name() string {
	switch d.Kind {
	case KindIFD0, KindIFD1, KindIFDN:
		return "IFD" + strconv.Itoa(d.Index)
	case KindExif:
		return "Exif IFD"
	case KindGPS:
		return "GPS IFD"
	case KindInterop:
		return "Interop IFD"
	}
	return "SubIFD" + strconv.Itoa(d.Index)
}

// Find returns the first entry with the given tag.
func (d *IFD) Find(tag uint16) (Entry, bool) {
	for _, e := range d.Entries {
		if e.Tag == tag {
			return e, true
		}
	}
	return Entry{}, false
}

// TIFF is the structure Parse read. It keeps a reference to the data (not a
// copy) for the value accessors; do not modify the data while using it.
type TIFF struct {
	// Order is the byte order from the header ("II" little, "MM" big).
	Order binary.ByteOrder
	// Big reports a BigTIFF (magic 43: 8-byte offsets and counts, 20-byte
	// entries, 8-byte inline values).
	Big bool
	// IFDs lists every IFD read: the main chain first, in chain order, then
	// sub-IFDs in the order their pointers were met.
	IFDs []IFD
	// UnknownTypes counts entries whose field type is unknown. They are
	// not an error, but a rewriter cannot know their size.
	UnknownTypes int

	data []byte
}

// Chain returns the main chain (IFD0, IFD1, ...) as a prefix of t.IFDs.
func (t *TIFF) Chain() []IFD {
	n := 0
	for n < len(t.IFDs) && t.IFDs[n].Parent == -1 {
		n++
	}
	return t.IFDs[:n]
}

// Has reports whether an IFD of kind k was read.
func (t *TIFF) Has(k Kind) bool {
	for i := range t.IFDs {
		if t.IFDs[i].Kind == k {
			return true
		}
	}
	return false
}

// Value returns the value bytes of e as a sub-slice of the data (no copy).
// It fails for unknown types and values outside the data.
func (t *TIFF) Value(e Entry) ([]byte, error) {
	if e.Type.Size() == 0 {
		return nil, FormatError("unknown field type " + strconv.Itoa(int(e.Type)))
	}
	n := uint64(len(t.data))
	if e.Bad || e.ValueAt > n || e.Size > n-e.ValueAt {
		return nil, FormatError("value out of range at " + strconv.Itoa(e.At))
	}
	end := e.ValueAt + e.Size
	return t.data[e.ValueAt:end:end], nil
}

// Uint returns the i-th value of an unsigned integer entry (BYTE, SHORT,
// LONG, IFD, LONG8, IFD8).
func (t *TIFF) Uint(e Entry, i int) (uint64, error) {
	switch e.Type {
	case Byte, Short, Long, IFDType, Long8, IFD8:
	default:
		return 0, FormatError("not an unsigned integer type")
	}
	v, err := t.Value(e)
	if err != nil {
		return 0, err
	}
	sz := e.Type.Size()
	if i < 0 || uint64(i) >= e.Count {
		return 0, FormatError("value index out of range")
	}
	p := v[i*sz:]
	switch sz {
	case 1:
		return uint64(p[0]), nil
	case 2:
		return uint64(t.Order.Uint16(p)), nil
	case 4:
		return uint64(t.Order.Uint32(p)), nil
	}
	return t.Order.Uint64(p), nil
}

// Rational returns the i-th numerator and denominator of a RATIONAL or
// SRATIONAL entry as raw 32-bit words (convert with int32 for SRATIONAL).
// A zero denominator is returned as is: dividing is the caller's business.
func (t *TIFF) Rational(e Entry, i int) (num, den uint32, err error) {
	if e.Type != Rational && e.Type != SRational {
		return 0, 0, FormatError("not a rational type")
	}
	v, err := t.Value(e)
	if err != nil {
		return 0, 0, err
	}
	if i < 0 || uint64(i) >= e.Count {
		return 0, 0, FormatError("value index out of range")
	}
	p := v[i*8:]
	return t.Order.Uint32(p), t.Order.Uint32(p[4:]), nil
}
