package containertest

import (
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// The per-file benchmarks every format runs (MB/s of input via SetBytes).

// BenchInspect measures inspect on data, reporting allocations; it fails
// when inspect errs or finds nothing (benchmark inputs carry metadata).
func BenchInspect(b *testing.B, data []byte, inspect func([]byte) (meta.Inspection, error)) {
	b.Helper()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		in, err := inspect(data)
		if err != nil || len(in.Findings) == 0 {
			b.Fatalf("Inspect: %d findings, %v", len(in.Findings), err)
		}
	}
}

// BenchStrip measures strip on data with meta.DefaultKeep, reporting
// allocations; it fails on an error or an empty output.
func BenchStrip(b *testing.B, data []byte, strip func([]byte, meta.Keep) ([]byte, error)) {
	b.Helper()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		out, err := strip(data, meta.DefaultKeep)
		if err != nil || len(out) == 0 {
			b.Fatalf("Strip: %d bytes, %v", len(out), err)
		}
	}
}

// BenchParse measures parse on data, reporting allocations.
func BenchParse(b *testing.B, data []byte, parse func([]byte) (container.File, error)) {
	b.Helper()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchParseRebuild measures parse followed by a rebuild with
// meta.DefaultKeep, reporting CPU time beside wall time (ReportCPU).
func BenchParseRebuild(b *testing.B, data []byte, parse func([]byte) (container.File, error)) {
	b.Helper()
	b.SetBytes(int64(len(data)))
	start := CPUTime()
	for b.Loop() {
		f, err := parse(data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.Rebuild(meta.DefaultKeep); err != nil {
			b.Fatal(err)
		}
	}
	ReportCPU(b, start, b.N, int64(len(data)))
}
