package gifext

import (
	"bytes"
	"image/gif"
	"os"
	"path/filepath"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/corpus"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// TestCorpus runs every GIF of the shared corpus (none at the time of
// writing; the test skips then) through Inspect and Strip.
func TestCorpus(t *testing.T) {
	dir := corpus.Dir(t)
	n := 0
	for _, e := range corpus.Manifest(t, dir) {
		if e["format"] != "GIF" {
			continue
		}
		n++
		t.Run(filepath.Base(e.Path()), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, e.Path()))
			if err != nil {
				t.Fatal(err)
			}
			insp, ierr := Inspect(data)
			out, serr := Strip(data, meta.DefaultKeep)
			if (ierr == nil) != (serr == nil) {
				t.Fatalf("Inspect error %v but Strip error %v", ierr, serr)
			}
			if e["has_gps"] == "yes" && !hasCategory(insp, meta.Location) {
				t.Errorf("GPS not reported: %v", insp.Findings)
			}
			if serr != nil {
				return
			}
			if ri, err := Inspect(out); err != nil || len(ri.Findings) != 0 {
				t.Errorf("re-inspection: %v %v", err, ri.Findings)
			}
			if err := SameImage(data, out); err != nil {
				t.Error(err)
			}
			if _, err := gif.DecodeAll(bytes.NewReader(data)); err == nil {
				samePixels(t, data, out)
			}
		})
	}
	if n == 0 {
		t.Skip("no GIF files in the corpus")
	}
}

func hasCategory(insp meta.Inspection, c meta.Category) bool {
	for _, f := range insp.Findings {
		if f.Category == c {
			return true
		}
	}
	return false
}
