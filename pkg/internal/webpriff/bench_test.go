package webpriff

import (
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// Benchmarks for the per-file work of webpriff (MB/s via SetBytes):
//
//	go test -run XXX -bench . -benchmem ./pkg/internal/webpriff/

// benchWebP returns a 480×640 lossless WebP with EXIF (identity, GPS,
// thumbnail), XMP and ICCP chunks.
func benchWebP(b *testing.B) []byte {
	b.Helper()
	return testimg.WebP(testimg.WebPOptions{Width: 480, Height: 640,
		EXIF: testimg.EXIF(testimg.AllEXIF()), XMP: testimg.XMPPacket(testimg.XMPOptions{}),
		ICC: []byte("benchmark ICC profile stand-in")})
}

// BenchmarkInspect measures Inspect on a 480×640 extended WebP with metadata.
func BenchmarkInspect(b *testing.B) {
	data := benchWebP(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		in, err := Inspect(data)
		if err != nil || len(in.Findings) == 0 {
			b.Fatalf("Inspect: %d findings, %v", len(in.Findings), err)
		}
	}
}

// BenchmarkStrip measures Strip (default keep) on a 480×640 extended WebP with metadata.
func BenchmarkStrip(b *testing.B) {
	data := benchWebP(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		out, err := Strip(data, meta.DefaultKeep)
		if err != nil || len(out) == 0 {
			b.Fatalf("Strip: %d bytes, %v", len(out), err)
		}
	}
}
