package tifffile

import (
	"bytes"
	"compress/zlib"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/container/containertest"
	"github.com/photoscrub/photoscrub/pkg/internal/corpus"
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
func BenchmarkInspect(b *testing.B) { containertest.BenchInspect(b, benchTIFF(b), Inspect) }

// BenchmarkStrip measures Strip (default keep) on a two-page 480×640 TIFF with every metadata group.
func BenchmarkStrip(b *testing.B) { containertest.BenchStrip(b, benchTIFF(b), Strip) }

// proofStrip returns one 1024×256 8-bit RGB strip (768 KiB raw) of
// photo-like pixels (smooth gradients plus sensor-like noise, which
// compress about 2:1), compressed with comp.
func proofStrip(b *testing.B, comp int) ([]byte, uint64) {
	b.Helper()
	raw := make([]byte, 1024*256*3)
	seed := uint32(1)
	for i := range raw {
		seed = seed*1664525 + 1013904223
		x, y := (i/3)%1024, i/3/1024
		raw[i] = byte(x/5 + y/3 + (i%3)*40 + int(seed>>29))
	}
	switch comp {
	case compLZW:
		return testimg.TIFFLZW(raw), uint64(len(raw))
	case compPackBits:
		return testimg.PackBits(raw), uint64(len(raw))
	}
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	zw.Write(raw)
	zw.Close()
	return buf.Bytes(), uint64(len(raw))
}

// BenchmarkProveLZW measures the LZW proof (MB/s of coded data).
func BenchmarkProveLZW(b *testing.B) {
	strip, raw := proofStrip(b, compLZW)
	lens := new([lzwTable]uint32)
	b.SetBytes(int64(len(strip)))
	b.ReportAllocs()
	for b.Loop() {
		if n, err := proveLZW(strip, raw, lens); err != nil || n != len(strip) {
			b.Fatalf("proof: %d of %d, %v", n, len(strip), err)
		}
	}
}

// BenchmarkProveDeflate measures the Deflate proof (MB/s of coded data).
func BenchmarkProveDeflate(b *testing.B) {
	strip, raw := proofStrip(b, compDeflate)
	var pr prover
	b.SetBytes(int64(len(strip)))
	b.ReportAllocs()
	for b.Loop() {
		if n, err := pr.deflate(strip, raw); err != nil || n != len(strip) {
			b.Fatalf("proof: %d of %d, %v", n, len(strip), err)
		}
	}
}

// BenchmarkProvePackBits measures the PackBits proof (MB/s of coded data).
func BenchmarkProvePackBits(b *testing.B) {
	strip, raw := proofStrip(b, compPackBits)
	b.SetBytes(int64(len(strip)))
	for b.Loop() {
		if n, err := provePackBits(strip, raw); err != nil || n != len(strip) {
			b.Fatalf("proof: %d of %d, %v", n, len(strip), err)
		}
	}
}

// BenchmarkParse measures Parse (byte map, proofs, findings) on a
// two-page 480×640 uncompressed TIFF with every metadata group.
func BenchmarkParse(b *testing.B) { containertest.BenchParse(b, benchTIFF(b), Parse) }

// BenchmarkProveCCITT measures the CCITT proof on the corpus's Group 4
// fax page (skipped without the corpus).
func BenchmarkProveCCITT(b *testing.B) {
	data := corpus.File(b, "real/tiff/goexif__sample1.tif")
	f, err := parse(data, false)
	if err != nil || len(f.pages[0].chunks) != 1 {
		b.Fatalf("sample: %v", err)
	}
	c := f.pages[0].chunks[0]
	strip := data[c.off : c.off+c.n]
	raw := uint64(216 * 2376)
	b.SetBytes(int64(len(strip)))
	for b.Loop() {
		if n, err := proveCCITT(strip, compG4, 2, 1728, raw); err != nil || n != len(strip) {
			b.Fatalf("proof: %d of %d, %v", n, len(strip), err)
		}
	}
}
