package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestSamplesMatchTestdata regenerates the samples and compares them with
// testdata/photos, so the committed files never drift from the generator,
// and checks the size budget (each < 60 KB, total < 400 KB).
func TestSamplesMatchTestdata(t *testing.T) {
	dir := t.TempDir()
	if err := run(dir, 1, make0(len(benchKinds))); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, s := range samples {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(s.name)))
		if err != nil {
			t.Fatal(err)
		}
		total += len(got)
		if len(got) >= 60<<10 {
			t.Errorf("%s is %d bytes, want < 60 KB", s.name, len(got))
		}
		want, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "photos", filepath.FromSlash(s.name)))
		if err != nil {
			t.Errorf("testdata/photos lacks %s (run: go run ./pkg/testimg/genphotos -out testdata/photos): %v", s.name, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("testdata/photos/%s differs from the generator's output; regenerate it", s.name)
		}
	}
	if total >= 400<<10 {
		t.Errorf("samples total %d bytes, want < 400 KB", total)
	}
}

func TestBenchTree(t *testing.T) {
	dir := t.TempDir()
	counts := make0(len(benchKinds))
	*counts[0] = 3 // idcards
	if err := run(dir, 7, counts); err != nil {
		t.Fatal(err)
	}
	var files []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	want := []string{"idcards/station-00/officer-0000.jpg", "idcards/station-00/officer-0001.jpg", "idcards/station-00/officer-0002.jpg"}
	if len(files) != len(want) {
		t.Fatalf("bench tree %v, want %v (no samples)", files, want)
	}
	for i := range want {
		if files[i] != want[i] {
			t.Fatalf("bench tree %v, want %v", files, want)
		}
	}
	a, _ := os.ReadFile(filepath.Join(dir, want[0]))
	b, _ := os.ReadFile(filepath.Join(dir, want[1]))
	if bytes.Equal(a, b) || len(a) < 70_000 {
		t.Fatalf("bench files should differ by seed and be ID-card sized (%d bytes)", len(a))
	}
}

func make0(n int) []*int {
	out := make([]*int, n)
	for i := range out {
		out[i] = new(int)
	}
	return out
}
