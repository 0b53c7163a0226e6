package pngchunk

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/corpus"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

func TestCorpus(t *testing.T) {
	dir := corpus.Dir(t)
	exifOK, xmpOK := exifReady(), xmpReady()
	n := 0
	for _, e := range corpus.Manifest(t, dir) {
		if e["format"] != "PNG" {
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
			if e["kind"] == "real" && ierr != nil {
				t.Errorf("real file rejected: %v", ierr)
			}
			if e["has_gps"] == "yes" {
				loc := false
				for _, f := range insp.Findings {
					loc = loc || f.Category == meta.Location
				}
				groups := e["gps_groups"]
				needs := (!strings.Contains(groups, "EXIF") || exifOK) && (!strings.Contains(groups, "XMP") || xmpOK)
				if !loc && needs {
					t.Errorf("GPS (%s) not reported: %v", groups, insp.Findings)
				} else if !loc {
					t.Logf("GPS (%s) not reported while a classifier is a placeholder", groups)
				}
			}
			if serr != nil {
				return
			}
			checkStrippedCorpus(t, data, out)
		})
	}
	if n == 0 {
		t.Fatal("no PNG rows in the manifest")
	}
}

// checkStrippedCorpus is checkStripped without the generator's markers,
// plus a pixel comparison when the original decodes.
func checkStrippedCorpus(t *testing.T, in, out []byte) {
	t.Helper()
	insp, err := Inspect(out)
	if err != nil || len(insp.Findings) != 0 {
		t.Errorf("re-inspection: %v %v", err, insp.Findings)
	}
	if again, err := Strip(out, meta.DefaultKeep); err != nil || !bytes.Equal(again, out) {
		t.Errorf("not idempotent: %v", err)
	}
	if err := SameImage(in, out); err != nil {
		t.Error(err)
	}
	if _, err := png.Decode(bytes.NewReader(in)); err == nil {
		samePixels(t, in, out)
	}
}
