package tiffifd

import (
	"testing"

	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// Benchmarks for Parse (MB/s via SetBytes):
//
//	go test -run XXX -bench . -benchmem ./pkg/internal/tiffifd/

// BenchmarkParseEXIF parses the EXIF block of the benchmark ID card (IFD0,
// Exif, Interop, GPS and IFD1 with a thumbnail).
func BenchmarkParseEXIF(b *testing.B) {
	benchParse(b, testimg.EXIF(testimg.AllEXIF()))
}

// BenchmarkParseTIFF parses a two-page 480×640 TIFF with every metadata
// group (~1.8 MB, mostly pixels: Parse must not touch them).
func BenchmarkParseTIFF(b *testing.B) {
	o := testimg.AllTIFF()
	o.Width, o.Height = 480, 640
	benchParse(b, testimg.TIFF(o))
}

func benchParse(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		t, err := Parse(data)
		if err != nil || t == nil {
			b.Fatalf("Parse: %v", err)
		}
	}
}
