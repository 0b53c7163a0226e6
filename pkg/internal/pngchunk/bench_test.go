package pngchunk

import (
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/container/containertest"
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
func BenchmarkInspect(b *testing.B) { containertest.BenchInspect(b, benchPNG(b), Inspect) }

// BenchmarkStrip measures Strip (default keep) on a 480×640 PNG with metadata.
func BenchmarkStrip(b *testing.B) { containertest.BenchStrip(b, benchPNG(b), Strip) }
