package tifffile

import "github.com/photoscrub/photoscrub/pkg/internal/tiffifd"

// rawCompression lists compression codes used only by raw camera data
// (ExifTool's TIFF Compression table): Nikon NEF, Pentax PEF, Sony ARW,
// Epson/Samsung/Panasonic/Kodak packed raw, Sony ARW2, Kodak DCR.
var rawCompression = map[uint64]bool{
	262: true, 32767: true, 32769: true, 32770: true, 32867: true,
	34316: true, 34713: true, 65000: true, 65535: true,
}

// Raw photometric interpretations: CFA (TIFF/EP, DNG) and LinearRaw (DNG).
const (
	photometricCFA       = 32803
	photometricLinearRaw = 34892
)

// IsRaw reports whether data is a raw camera file built on TIFF: DNG
// (DNGVersion tag), Canon CR2 ("CR" after the header), Olympus ORF and
// Panasonic RW2 (their own magic numbers), or any file whose main IFDs or
// SubIFDs hold colour-filter-array or linear raw data (NEF, ARW, PEF, ...)
// or use a raw-only compression. Strip refuses such files; Inspect still
// reports their metadata. IsRaw never panics and reads at most the IFDs
// tiffifd walks.
func IsRaw(data []byte) bool {
	if len(data) < 8 {
		return false
	}
	switch string(data[:4]) {
	case "IIRO", "IIRS", "MMOR", "IIU\x00":
		return true
	}
	if len(data) >= 10 && string(data[:4]) == "II*\x00" && string(data[8:10]) == "CR" {
		return true
	}
	t, _ := tiffifd.Parse(data)
	if t == nil {
		return false
	}
	for i := range t.IFDs {
		d := &t.IFDs[i]
		if d.Parent != -1 && d.Kind != tiffifd.KindSubIFD {
			continue
		}
		if _, ok := d.Find(tagDNGVersion); ok {
			return true
		}
		if p, ok := firstUint(t, d, tagPhotometric); ok && (p == photometricCFA || p == photometricLinearRaw) {
			return true
		}
		if c, ok := firstUint(t, d, tagCompression); ok && rawCompression[c] {
			return true
		}
	}
	return false
}
