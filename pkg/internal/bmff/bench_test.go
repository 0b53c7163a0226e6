package bmff

import (
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// Benchmarks for the per-file work of bmff (MB/s via SetBytes):
//
//	go test -run XXX -bench . -benchmem ./pkg/internal/bmff/

// benchHEIF returns a HEIC with an Exif item (identity, GPS, thumbnail), an
// XMP item, a thumbnail and a depth item, an ICC colr and a user
// description, around ~64 KB of stand-in coded data.
func benchHEIF(b *testing.B) []byte {
	b.Helper()
	coded := make([]byte, 64<<10)
	for i := range coded {
		coded[i] = byte(i * 7)
	}
	return testimg.HEIF(testimg.HEIFOptions{EXIF: testimg.EXIF(testimg.AllEXIF()),
		XMP: testimg.XMPPacket(testimg.XMPOptions{}), Thumbnail: coded[:4096], Depth: coded,
		Description: "bench", ICC: []byte("benchmark ICC profile stand-in"), Rotation: 1})
}

// BenchmarkInspect measures Inspect on a HEIF container with metadata items.
func BenchmarkInspect(b *testing.B) {
	data := benchHEIF(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		in, err := Inspect(data)
		if err != nil || len(in.Findings) == 0 {
			b.Fatalf("Inspect: %d findings, %v", len(in.Findings), err)
		}
	}
}

// BenchmarkStrip measures Strip (default keep) on a HEIF container with metadata items.
func BenchmarkStrip(b *testing.B) {
	data := benchHEIF(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		out, err := Strip(data, meta.DefaultKeep)
		if err != nil || len(out) == 0 {
			b.Fatalf("Strip: %d bytes, %v", len(out), err)
		}
	}
}
