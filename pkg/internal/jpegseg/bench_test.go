package jpegseg

import (
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// Benchmarks for the per-file work of jpegseg (MB/s via SetBytes):
//
//	go test -run XXX -bench . -benchmem ./pkg/internal/jpegseg/

// benchJPEG returns the benchmark ID card: 600×800, ~90 KB, EXIF with GPS,
// identity, maker note and thumbnail, XMP and IPTC.
func benchJPEG(b *testing.B) []byte {
	b.Helper()
	data, err := testimg.JPEG(testimg.IDCard(1))
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkInspect measures Inspect on the ~90 KB ID-card JPEG.
func BenchmarkInspect(b *testing.B) {
	data := benchJPEG(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		in, err := Inspect(data)
		if err != nil || len(in.Findings) == 0 {
			b.Fatalf("Inspect: %d findings, %v", len(in.Findings), err)
		}
	}
}

// BenchmarkStrip measures Strip (default keep) on the ~90 KB ID-card JPEG.
func BenchmarkStrip(b *testing.B) {
	data := benchJPEG(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		out, err := Strip(data, meta.DefaultKeep)
		if err != nil || len(out) == 0 {
			b.Fatalf("Strip: %d bytes, %v", len(out), err)
		}
	}
}
