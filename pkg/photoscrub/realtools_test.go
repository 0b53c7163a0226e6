package photoscrub_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/photoscrub"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// TestRealToolOutputs runs real writers (each skipped when absent) on a
// rotated JPEG with GPS: the carrier of the orientation differs per tool
// (Exif item without irot in heif-enc's HEIC, "Raw profile type exif" text
// in ImageMagick's PNG, an EXIF chunk in cwebp's WebP). Each output must be
// reported with its location (when the tool carries it over), cleaned,
// keep orientation 6, and re-inspect
// with no finding; ExifTool (when present) must see no GPS in it.
func TestRealToolOutputs(t *testing.T) {
	dir := t.TempDir()
	src, err := testimg.JPEG(testimg.JPEGOptions{Width: 64, Height: 48, GPS: true, Orientation: 6, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "in.jpg")
	if err := os.WriteFile(in, src, 0o644); err != nil {
		t.Fatal(err)
	}
	tools := []struct {
		name, tool, out string
		args            []string
		gps             bool // the tool carries the GPS over
	}{
		{"heif-enc", "heif-enc", "out.heic", []string{"-q", "90", "-o", filepath.Join(dir, "out.heic"), in}, true},
		{"imagemagick png", "convert", "out.png", []string{in, filepath.Join(dir, "out.png")}, true},
		{"cwebp", "cwebp", "out.webp", []string{"-quiet", "-metadata", "all", in, "-o", filepath.Join(dir, "out.webp")}, true},
		{"imagemagick tiff", "convert", "out.tif", []string{in, filepath.Join(dir, "out.tif")}, false},
	}
	for _, tc := range tools {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := exec.LookPath(tc.tool); err != nil {
				t.Skipf("%s not installed", tc.tool)
			}
			if out, err := exec.Command(tc.tool, tc.args...).CombinedOutput(); err != nil {
				t.Skipf("%s failed: %v %s", tc.tool, err, out)
			}
			data, err := os.ReadFile(filepath.Join(dir, tc.out))
			if err != nil {
				t.Fatal(err)
			}
			before, err := photoscrub.Inspect(data)
			if err != nil {
				t.Fatalf("Inspect: %v", err)
			}
			if before.Orientation != 6 {
				t.Errorf("orientation %d read, want 6", before.Orientation)
			}
			hasLoc := false
			for _, f := range before.Findings {
				hasLoc = hasLoc || f.Category == meta.Location
			}
			if tc.gps && !hasLoc {
				t.Errorf("no location finding: %+v", before.Findings)
			}
			clean, err := photoscrub.Clean(data, meta.DefaultKeep)
			if err != nil {
				t.Fatalf("Clean: %v", err)
			}
			after, err := photoscrub.Inspect(clean)
			if err != nil || len(after.Findings) != 0 {
				t.Fatalf("cleaned file: %v %+v", err, after.Findings)
			}
			if after.Orientation != 6 {
				t.Errorf("orientation %d after the scrub, want 6", after.Orientation)
			}
			if _, err := exec.LookPath("exiftool"); err == nil {
				p := filepath.Join(dir, "clean-"+tc.out)
				if err := os.WriteFile(p, clean, 0o644); err != nil {
					t.Fatal(err)
				}
				out, _ := exec.Command("exiftool", "-a", "-G1", "-s", "-gps:all", "-xmp:all", p).CombinedOutput()
				if strings.Contains(string(out), "GPS") {
					t.Errorf("ExifTool still sees GPS:\n%s", out)
				}
			}
		})
	}
}
