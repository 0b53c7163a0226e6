package webpriff

import (
	"bytes"
	"image"

	"golang.org/x/image/webp"

	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/corpus"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// exiftoolGroups returns the ExifTool family-1 groups found in file, or nil
// when exiftool is not installed.
func exiftoolGroups(t *testing.T, file string) map[string]bool {
	t.Helper()
	if _, err := exec.LookPath("exiftool"); err != nil {
		return nil
	}
	out, err := exec.Command("exiftool", "-a", "-G1", "-s", "-ee", file).Output()
	if err != nil {
		t.Fatalf("exiftool: %v", err)
	}
	g := map[string]bool{}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "[") {
			if i := strings.IndexByte(l, ']'); i > 0 {
				g[l[1:i]] = true
			}
		}
	}
	return g
}

func TestCorpus(t *testing.T) {
	dir := corpus.Dir(t)
	n := 0
	for _, e := range corpus.Manifest(t, dir) {
		p := e.Path()
		if !strings.HasPrefix(p, "real/webp/") && !strings.HasPrefix(p, "malformed/webp/") {
			continue
		}
		n++
		t.Run(filepath.Base(p), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, p))
			if err != nil {
				t.Fatal(err)
			}
			real := e["kind"] == "real"
			ins, err := Inspect(data)
			if real && err != nil {
				t.Fatalf("Inspect: %v", err)
			}
			if e["has_gps"] == "yes" && !hasCat(ins.Findings, meta.Location) {
				t.Errorf("GPS file without a Location finding: %v", ins.Findings)
			}
			out, err := Strip(data, meta.DefaultKeep)
			if err != nil {
				if real {
					t.Fatalf("Strip: %v", err)
				}
				return // malformed: an error is a valid outcome
			}
			ins2, err := Inspect(out)
			if err != nil || len(ins2.Findings) != 0 {
				t.Fatalf("re-inspect: %v %v", err, ins2.Findings)
			}
			if err := SameImage(data, out); err != nil {
				t.Fatalf("SameImage: %v", err)
			}
			if ins.Orientation >= 2 && ins2.Orientation != ins.Orientation {
				t.Errorf("orientation %d became %d", ins.Orientation, ins2.Orientation)
			}
			if img, err := decodeMaybe(data); err == nil {
				img2, err := decodeMaybe(out)
				if err != nil {
					t.Fatalf("output does not decode: %v", err)
				}
				samePixels(t, img, img2)
			}
			f := filepath.Join(t.TempDir(), "out.webp")
			if err := os.WriteFile(f, out, 0o600); err != nil {
				t.Fatal(err)
			}
			for g := range exiftoolGroups(t, f) {
				if g == "GPS" || g == "IFD1" || g == "ExifIFD" || g == "MakerNotes" || strings.HasPrefix(g, "XMP") {
					t.Errorf("exiftool still finds group %s", g)
				}
			}
		})
	}
	if n == 0 {
		t.Fatal("no WebP files in the corpus manifest")
	}
}

func hasCat(fs []meta.Finding, c meta.Category) bool {
	for _, f := range fs {
		if f.Category == c {
			return true
		}
	}
	return false
}

func decodeMaybe(b []byte) (img image.Image, err error) {
	return webp.Decode(bytes.NewReader(b))
}
