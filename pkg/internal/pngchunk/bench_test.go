package pngchunk

import (
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// Benchmarks for the per-file work of pngchunk (MB/s via SetBytes):
//
//	go test -run XXX -bench . -benchmem ./pkg/internal/pngchunk/

// benchPNG returns a 480×640 PNG carrying eXIf (identity, GPS), iTXt XMP,
// tEXt, zTXt, compressed iTXt, tIME and iCCP chunks.
func benchPNG(b *testing.B) []byte {
	b.Helper()
	return testimg.PNG(testimg.PNGOptions{Width: 480, Height: 640, Orientation: 1, EXIF: true,
		XMP: true, Text: true, CompressedText: true, Time: true, ICC: true})
}

// BenchmarkInspect measures Inspect on a 480×640 PNG with metadata.
func BenchmarkInspect(b *testing.B) {
	data := benchPNG(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		in, err := Inspect(data)
		if err != nil || len(in.Findings) == 0 {
			b.Fatalf("Inspect: %d findings, %v", len(in.Findings), err)
		}
	}
}

// BenchmarkStrip measures Strip (default keep) on a 480×640 PNG with metadata.
func BenchmarkStrip(b *testing.B) {
	data := benchPNG(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		out, err := Strip(data, meta.DefaultKeep)
		if err != nil || len(out) == 0 {
			b.Fatalf("Strip: %d bytes, %v", len(out), err)
		}
	}
}
