package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// Benchmarks of the whole per-file path (walk, read, hash, sniff, inspect,
// strip or re-encode, verify, commit) over a temp tree of ID-card JPEGs
// (600×800, ~90 KB, EXIF with GPS, maker note and thumbnail, XMP, IPTC).
// They report files/s and MB/s, at --jobs 1 and at all cores:
//
//	go test -run XXX -bench Pipeline -benchtime 5x ./pkg/internal/pipeline/
//	go test -run XXX -bench PipelineScrubLossless -benchtime 10x -cpuprofile cpu.out ./pkg/internal/pipeline/
//
// PHOTOSCRUB_BENCH_FILES sets the number of files (default 40, so that
// `-benchtime 1x` stays quick in CI).

var (
	benchOnce  sync.Once
	benchFiles [][]byte
	benchErr   error
)

// benchIDCards returns the generated ID cards, built once per process.
func benchIDCards(b *testing.B) [][]byte {
	b.Helper()
	benchOnce.Do(func() {
		n := 40
		if s := os.Getenv("PHOTOSCRUB_BENCH_FILES"); s != "" {
			if v, err := strconv.Atoi(s); err == nil && v > 0 {
				n = v
			}
		}
		for i := 0; i < n; i++ {
			d, err := testimg.JPEG(testimg.IDCard(int64(1 + i)))
			if err != nil {
				benchErr = err
				return
			}
			benchFiles = append(benchFiles, d)
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchFiles
}

// benchWriteTree (re)writes the ID cards under dir, 100 a station directory
// like genphotos -bench-idcards, and returns their total size.
func benchWriteTree(b *testing.B, dir string, files [][]byte) int64 {
	b.Helper()
	var total int64
	for i, d := range files {
		p := filepath.Join(dir, fmt.Sprintf("station-%02d", i/100), fmt.Sprintf("officer-%04d.jpg", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, d, 0o644); err != nil {
			b.Fatal(err)
		}
		total += int64(len(d))
	}
	return total
}

// benchPipeline runs cfg over a fresh tree once per iteration (the tree is
// rewritten with the timer stopped) and checks every file got want.
func benchPipeline(b *testing.B, cfg Config, want string) {
	files := benchIDCards(b)
	for _, jobs := range []int{1, runtime.NumCPU()} {
		b.Run("jobs="+strconv.Itoa(jobs), func(b *testing.B) {
			dir := b.TempDir()
			size := benchWriteTree(b, dir, files)
			c := cfg
			c.Roots, c.Jobs, c.Keep = []string{dir}, jobs, meta.DefaultKeep
			var got int
			c.Sink = func(r *Result) error {
				if r.Status == want {
					got++
				} else {
					b.Errorf("%s: %s %s %s", r.Path, r.Status, r.Reason, r.Error)
				}
				return nil
			}
			b.SetBytes(size)
			b.ReportAllocs()
			b.ResetTimer()
			n := 0
			for i := 0; i < b.N; i++ {
				if i > 0 && c.Scrub && c.InPlace {
					b.StopTimer()
					benchWriteTree(b, dir, files)
					b.StartTimer()
				}
				got = 0
				if _, err := Run(context.Background(), c); err != nil {
					b.Fatal(err)
				}
				if got != len(files) {
					b.Fatalf("%d of %d files %s", got, len(files), want)
				}
				n += got
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "files/s")
		})
	}
}

// BenchmarkPipelineScanIDCards is `photoscrub scan`: read, hash, inspect.
func BenchmarkPipelineScanIDCards(b *testing.B) {
	benchPipeline(b, Config{}, StatusWouldScrub)
}

// BenchmarkPipelineScrubLossless is `photoscrub scrub --in-place`: inspect,
// rebuild the container, verify, hash and commit atomically.
func BenchmarkPipelineScrubLossless(b *testing.B) {
	benchPipeline(b, Config{Scrub: true, InPlace: true}, StatusScrubbed)
}

// BenchmarkPipelineScrubReencode is `photoscrub scrub --mode reencode
// --in-place`: decode, encode at quality 92, verify and commit.
func BenchmarkPipelineScrubReencode(b *testing.B) {
	benchPipeline(b, Config{Scrub: true, InPlace: true, Reencode: true, Quality: 92}, StatusScrubbed)
}
