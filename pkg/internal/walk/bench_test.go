package walk

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkWalk is the serial part of a run: the walker's readdir and
// lstat per file (2,000 files in 20 directories, like the ID-card set).
func BenchmarkWalk(b *testing.B) { benchWalk(b, Options{}) }

// BenchmarkWalkDefer is the walk as the pipeline runs it: regular files
// are not stat'ed by the walker (their workers fstat them once opened).
func BenchmarkWalkDefer(b *testing.B) { benchWalk(b, Options{Defer: true}) }

func benchWalk(b *testing.B, o Options) {
	dir := b.TempDir()
	for i := range 2000 {
		p := filepath.Join(dir, fmt.Sprintf("station-%02d", i/100), fmt.Sprintf("officer-%04d.jpg", i))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	roots, err := Open([]string{dir})
	if err != nil {
		b.Fatal(err)
	}
	defer closeAll(roots)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		n := 0
		err := Walk(context.Background(), roots, o, func(c Candidate) error { n++; c.Release(); return nil })
		if err != nil || n != 2000 {
			b.Fatal(n, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*2000), "ns/file")
}
