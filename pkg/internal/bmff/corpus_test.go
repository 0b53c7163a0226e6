package bmff

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/corpus"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// exiftoolGroups returns the family-1 groups and tag names ExifTool finds
// in file, or nil when exiftool is not installed.
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
		if i := strings.IndexByte(l, ']'); strings.HasPrefix(l, "[") && i > 0 {
			g[l[1:i]] = true
			if f := strings.Fields(l[i+1:]); len(f) > 0 {
				g[f[0]] = true
			}
		}
	}
	return g
}

func leftovers(g map[string]bool) []string {
	var bad []string
	for k := range g {
		if k == "GPS" || k == "IFD1" || k == "ExifIFD" || k == "IFD0" || k == "MakerNotes" ||
			strings.HasPrefix(k, "XMP") || strings.HasPrefix(k, "GPS") {
			bad = append(bad, k)
		}
	}
	return bad
}

func writeTemp(t *testing.T, name string, b []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestExifToolOracle(t *testing.T) {
	if _, err := exec.LookPath("exiftool"); err != nil {
		t.Skip("exiftool not installed")
	}
	in := testimg.HEIF(allOptions())
	before := exiftoolGroups(t, writeTemp(t, "in.heic", in))
	if !before["GPSLatitude"] || !before["GPS"] {
		t.Fatalf("exiftool finds no GPS in the generated file: %v", before)
	}
	out, err := Strip(in, meta.DefaultKeep)
	if err != nil {
		t.Fatal(err)
	}
	if bad := leftovers(exiftoolGroups(t, writeTemp(t, "out.heic", out))); len(bad) > 0 {
		t.Errorf("exiftool still finds %v", bad)
	}
}

// primaryPNG decodes the primary image of data with heif-convert. When the
// file has several top-level images, heif-convert numbers its outputs in
// libheif's order: non-hidden image items that are no thumbnail, auxiliary
// image or derived-image input.
func primaryPNG(t *testing.T, data []byte) (image.Image, error) {
	t.Helper()
	h, err := parse(data)
	if err != nil {
		t.Fatal(err)
	}
	sub := map[uint32]bool{}
	for _, r := range h.refs {
		switch r.typ {
		case "thmb", "auxl":
			sub[r.from] = true
		case "dimg":
			for _, x := range r.to {
				sub[x] = true
			}
		}
	}
	n, idx := 0, 0
	for _, it := range h.items {
		if imageTypes[it.typ] && !it.hidden && !sub[it.id] {
			n++
			if it.id == h.primary {
				idx = n
			}
		}
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.heic")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("heif-convert", in, filepath.Join(dir, "out.png")).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("heif-convert: %v: %s", err, out)
	}
	name := "out.png"
	if n > 1 {
		name = fmt.Sprintf("out-%d.png", idx)
	}
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return png.Decode(f)
}

func samePNG(a, b image.Image) error {
	if a.Bounds() != b.Bounds() {
		return fmt.Errorf("bounds %v vs %v", a.Bounds(), b.Bounds())
	}
	switch x := a.(type) {
	case *image.NRGBA:
		if y, ok := b.(*image.NRGBA); ok && bytes.Equal(x.Pix, y.Pix) {
			return nil
		}
	case *image.RGBA:
		if y, ok := b.(*image.RGBA); ok && bytes.Equal(x.Pix, y.Pix) {
			return nil
		}
	case *image.NRGBA64:
		if y, ok := b.(*image.NRGBA64); ok && bytes.Equal(x.Pix, y.Pix) {
			return nil
		}
	case *image.RGBA64:
		if y, ok := b.(*image.RGBA64); ok && bytes.Equal(x.Pix, y.Pix) {
			return nil
		}
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return fmt.Errorf("pixel %d,%d differs", x, y)
			}
		}
	}
	return nil
}

func TestCorpus(t *testing.T) {
	dir := corpus.Dir(t)
	_, noHeif := exec.LookPath("heif-convert")
	n := 0
	for _, e := range corpus.Manifest(t, dir) {
		p := e.Path()
		if !strings.HasPrefix(p, "real/heic/") && !strings.HasPrefix(p, "malformed/heic/") {
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
				var fe FormatError
				if real || !(errors.As(err, &fe) || errors.Is(err, ErrUnsupported)) {
					t.Fatalf("Strip: %v", err)
				}
				return
			}
			ins2, err := Inspect(out)
			if err != nil || len(ins2.Findings) != 0 {
				t.Fatalf("re-inspect: %v %v", err, ins2.Findings)
			}
			if ins2.Orientation != ins.Orientation || ins2.Width != ins.Width || ins2.Height != ins.Height {
				t.Errorf("geometry changed: %+v -> %+v", ins, ins2)
			}
			if err := SameImage(data, out); err != nil {
				t.Fatalf("SameImage: %v", err)
			}
			if bad := leftovers(exiftoolGroups(t, writeTemp(t, "out.heic", out))); len(bad) > 0 {
				t.Errorf("exiftool still finds %v", bad)
			}
			if noHeif == nil && real && !testing.Short() {
				a, err := primaryPNG(t, data)
				if err != nil {
					t.Logf("original does not decode, no pixel check: %v", err)
					return
				}
				b, err := primaryPNG(t, out)
				if err != nil {
					t.Fatalf("output does not decode: %v", err)
				}
				if err := samePNG(a, b); err != nil {
					t.Errorf("heif-convert pixels: %v", err)
				}
			}
		})
	}
	if n == 0 {
		t.Fatal("no HEIC files in the corpus manifest")
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
