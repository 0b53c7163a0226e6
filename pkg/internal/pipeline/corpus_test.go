package pipeline

import (
	"bytes"
	"context"
	"image"
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/corpus"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// TestCorpus runs scan and scrub --out over every real photo of the shared
// corpus: each file the manifest marks has_gps=yes must get a location
// finding; after the scrub the independent yardstick (shared/tools/
// residual.py: ExifTool plus raw container checks) must find nothing in any
// output, decoded pixels must equal the original's, and no original may
// change.
func TestCorpus(t *testing.T) {
	real := corpus.Real(t)
	rows := corpus.Manifest(t, filepath.Dir(real))
	before := snapshotTree(t, real)

	scan := map[string]*Result{}
	collectInto := func(m map[string]*Result) func(*Result) error {
		return func(r *Result) error { m[r.Path] = r; return nil }
	}
	if _, err := Run(context.Background(), Config{Roots: []string{real}, Keep: meta.DefaultKeep, Sink: collectInto(scan)}); err != nil {
		t.Fatal(err)
	}
	for _, e := range rows {
		if e["kind"] != "real" || e["has_gps"] != "yes" {
			continue
		}
		rel := strings.TrimPrefix(e.Path(), "real/")
		r := scan[rel]
		if r == nil {
			t.Errorf("%s: not scanned", rel)
			continue
		}
		if r.Status == StatusUnsupported {
			continue // counted below; raw formats are reported, not rewritten
		}
		if !r.HasCategory(meta.Location) {
			t.Errorf("%s: has_gps=yes but no location finding (status %s, findings %+v)", rel, r.Status, r.Findings)
		}
	}

	out := filepath.Join(t.TempDir(), "out")
	scrub := map[string]*Result{}
	if _, err := Run(context.Background(), Config{Roots: []string{real}, Scrub: true, OutDir: out, Keep: meta.DefaultKeep, Sink: collectInto(scrub)}); err != nil {
		t.Fatal(err)
	}
	counts := map[string]map[string]int{}
	for rel, r := range scrub {
		kind := strings.SplitN(rel, "/", 2)[0]
		if counts[kind] == nil {
			counts[kind] = map[string]int{}
		}
		counts[kind][r.Status]++
		if r.Status != StatusScrubbed && r.Status != StatusClean {
			continue
		}
		orig, _ := os.ReadFile(filepath.Join(real, rel))
		cleaned, err := os.ReadFile(filepath.Join(out, rel))
		if err != nil {
			t.Errorf("%s: no output: %v", rel, err)
			continue
		}
		if r.Format == "heif" || r.Format == "avif" {
			// Compared with libheif's heif-convert in pkg/internal/bmff:
			// the WebAssembly decoder image.Decode may have registered
			// (re-encode imports it) gives a few different pixels for
			// byte-identical coded data in a differently laid out file.
			continue
		}
		if err := samePixels(orig, cleaned); err != "" {
			t.Errorf("%s: %s", rel, err)
		}
	}
	t.Logf("corpus scrub statuses per folder: %v", counts)
	if after := snapshotTree(t, real); !reflect.DeepEqual(before, after) {
		t.Fatal("an original in the corpus changed")
	}
	corpus.Residual(t, out, "scrubbed outputs")
}

// samePixels decodes both with the Go decoders registered here and
// compares them; formats Go cannot decode are compared elsewhere (format
// packages use heif-convert / ImageMagick). It returns "" when equal or
// undecidable.
func samePixels(a, b []byte) string {
	ia, fa, err := image.Decode(bytes.NewReader(a))
	if err != nil {
		return ""
	}
	ib, fb, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return "original decodes but output does not (" + fa + ")"
	}
	if fa != fb || ia.Bounds() != ib.Bounds() {
		return "format or size changed"
	}
	r := ia.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if ia.At(x, y) != ib.At(x, y) {
				return "decoded pixels differ"
			}
		}
	}
	return ""
}
