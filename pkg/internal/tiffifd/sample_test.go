package tiffifd

import tb "github.com/photoscrub/photoscrub/pkg/internal/tiffifd/tiffbuild"

// sample is a realistic EXIF block: IFD0 with identity tags → Exif IFD →
// Interop IFD, GPS IFD, IFD1 thumbnail.
func sample(le bool) *tb.File {
	thumb := []byte{0xFF, 0xD8, 0xFF, 0xD9, 0, 0}
	return &tb.File{LE: le, IFDs: []*tb.IFD{
		{Name: "IFD0", Next: "IFD1", Entries: []tb.Entry{
			tb.ASCII(0x010F, "Canon"),
			tb.ASCII(0x0110, "EOS"),
			tb.Short(TagOrientation, 6),
			tb.Rational(0x011A, 72, 1),
			tb.Ptr(TagExifIFD, "Exif"),
			tb.Ptr(TagGPSIFD, "GPS"),
		}},
		{Name: "Exif", Entries: []tb.Entry{
			tb.Undefined(0x9000, []byte("0232")),
			tb.ASCII(0xA431, "123456789"),
			tb.Ptr(TagInteropIFD, "Interop"),
		}},
		{Name: "Interop", Entries: []tb.Entry{tb.ASCII(0x0001, "R98")}},
		{Name: "GPS", Entries: []tb.Entry{
			tb.ASCII(0x0001, "N"),
			tb.Rational(0x0002, 48, 1, 51, 1, 0, 0),
			tb.ASCII(0x0003, "E"),
			tb.Rational(0x0004, 2, 1, 21, 1, 0, 0),
		}},
		{Name: "IFD1", Entries: []tb.Entry{
			tb.Short(0x0103, 6),
			tb.Long(0x0201, 0),
			tb.Long(0x0202, uint64(len(thumb))),
		}},
	}}
}
