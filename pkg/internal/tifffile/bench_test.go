package tifffile

import (
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// Benchmarks for the per-file work of tifffile (MB/s via SetBytes):
//
//	go test -run XXX -bench . -benchmem ./pkg/internal/tifffile/

// benchTIFF returns a two-page 480×640 uncompressed RGB TIFF (~1.8 MB)
// with every metadata group of testimg.AllTIFF.
func benchTIFF(b *testing.B) []byte {
	b.Helper()
	o := testimg.AllTIFF()
	o.Width, o.Height = 480, 640
	return testimg.TIFF(o)
}

// BenchmarkInspect measures Inspect on a two-page 480×640 TIFF with every metadata group.
func BenchmarkInspect(b *testing.B) {
	data := benchTIFF(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		in, err := Inspect(data)
		if err != nil || len(in.Findings) == 0 {
			b.Fatalf("Inspect: %d findings, %v", len(in.Findings), err)
		}
	}
}

// BenchmarkStrip measures Strip (default keep) on a two-page 480×640 TIFF with every metadata group.
func BenchmarkStrip(b *testing.B) {
	data := benchTIFF(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		out, err := Strip(data, meta.DefaultKeep)
		if err != nil || len(out) == 0 {
			b.Fatalf("Strip: %d bytes, %v", len(out), err)
		}
	}
}
