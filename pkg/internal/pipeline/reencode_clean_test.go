package pipeline

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// TestReencodeRegeneratesCleanFiles: --mode reencode is a safety net for
// what the detector cannot see, so a file inspected clean is re-encoded
// too, never copied byte for byte.
func TestReencodeRegeneratesCleanFiles(t *testing.T) {
	in, out := t.TempDir(), filepath.Join(t.TempDir(), "clean")
	clean, err := testimg.JPEG(testimg.JPEGOptions{Width: 48, Height: 32, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(in, "c.jpg"), clean, 0o644); err != nil {
		t.Fatal(err)
	}
	var got []*Result
	cfg := Config{Roots: []string{in}, Scrub: true, Reencode: true, OutDir: out, Keep: meta.DefaultKeep, Jobs: 1,
		Sink: func(r *Result) error { got = append(got, r); return nil }}
	if _, err := Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("%d results", len(got))
	}
	r := got[0]
	if len(r.Findings) != 0 {
		t.Fatalf("test input is not clean: %+v", r.Findings)
	}
	if r.Method != "reencode" || r.Verification != "passed" {
		t.Errorf("method %q verification %q, want reencode/passed", r.Method, r.Verification)
	}
	b, err := os.ReadFile(filepath.Join(out, "c.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(b, clean) {
		t.Error("clean file copied byte for byte in re-encode mode")
	}
}
