package jpegseg

import (
	"github.com/photoscrub/photoscrub/pkg/internal/container/containertest"
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
	defer reportCPU(b)()
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
	defer reportCPU(b)()
	for b.Loop() {
		out, err := Strip(data, meta.DefaultKeep)
		if err != nil || len(out) == 0 {
			b.Fatalf("Strip: %d bytes, %v", len(out), err)
		}
	}
}

// BenchmarkScanProof measures the Huffman-decoding proof of every scan
// (Walk + prove) in MB/s of entropy-coded data.
func BenchmarkScanProof(b *testing.B) {
	gen := func(o testimg.JPEGOptions) []byte {
		data, err := testimg.JPEG(o)
		if err != nil {
			b.Fatal(err)
		}
		return data
	}
	cases := []struct {
		name string
		data func() []byte
	}{
		{"baseline-600x800", func() []byte { return gen(testimg.JPEGOptions{Width: 600, Height: 800, Quality: 86, Seed: 1}) }},
		{"baseline-4032x3024", func() []byte { return gen(testimg.JPEGOptions{Width: 4032, Height: 3024, Quality: 80, Seed: 1}) }},
		{"progressive-1600x1200", func() []byte {
			return testimg.BuildCoded(testimg.CodedJPEG{Width: 1600, Height: 1200, Progressive: true, Seed: 1})
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			data := c.data()
			s, err := Walk(data)
			if err != nil {
				b.Fatal(err)
			}
			coded := 0
			for _, g := range s.Segments {
				coded += len(g.ECS)
			}
			b.SetBytes(int64(coded))
			b.ReportAllocs()
			// The machine may be shared: report MB/s of CPU time too.
			start := containertest.CPUTime()
			n := 0
			for b.Loop() {
				s, err := Walk(data)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := prove(data, s, nil); err != nil {
					b.Fatal(err)
				}
				n++
			}
			containertest.ReportCPU(b, start, n, int64(coded))
		})
	}
}

// reportCPU reports CPU time per operation (the machine may be shared,
// so wall time per op is noisy); defer the result before the loop.
func reportCPU(b *testing.B) func() {
	start := containertest.CPUTime()
	return func() { containertest.ReportCPU(b, start, b.N, 0) }
}
