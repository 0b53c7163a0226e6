package tifffile_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/tifffile"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// forbidden matches ExifTool -G1 -s lines that must not survive Strip, on
// any IFD or group.
var forbidden = regexp.MustCompile(`(?m)^\[(ExifIFD|GPS|InteropIFD|SubIFD\d*|XMP[-\w]*|IPTC\d*|Photoshop|GeoTiff|MakerNotes)\]|` +
	`\s(Artist|Make|Model|Software|HostComputer|ModifyDate|ImageDescription|Copyright|DocumentName|PageName|XP\w+|OwnerName|GeoTiff\w*|ModelTiePoint|PixelScale|GPS\w+|SubIFD\w*|IPTC\w*|XMP\w*|ApplicationNotes)\s+:`)

func TestExifToolOracle(t *testing.T) {
	exiftool, err := exec.LookPath("exiftool")
	if err != nil {
		t.Skip("exiftool not installed")
	}
	m := testimg.DefaultMarkers()
	dir := t.TempDir()
	for name, o := range variants() {
		in := testimg.TIFF(o)
		for _, keep := range []meta.Keep{meta.DefaultKeep, {}} {
			out, err := tifffile.Strip(in, keep)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			p := filepath.Join(dir, name+".tif")
			if err := os.WriteFile(p, out, 0o600); err != nil {
				t.Fatal(err)
			}
			b, err := exec.Command(exiftool, "-a", "-G1", "-s", "-u", p).CombinedOutput()
			if err != nil {
				t.Fatalf("%s: exiftool: %v", name, err)
			}
			txt := string(b)
			if loc := forbidden.FindString(txt); loc != "" {
				t.Errorf("%s keep %+v: exiftool still shows %q", name, keep, strings.TrimSpace(loc))
			}
			for _, s := range m.Strings() {
				if strings.Contains(txt, s) {
					t.Errorf("%s: exiftool shows marker %q", name, s)
				}
			}
			if strings.Contains(txt, "Warning") || strings.Contains(txt, "Error") {
				t.Errorf("%s: exiftool complains:\n%s", name, txt)
			}
			if want := keep.ICC && iccReady(); strings.Contains(txt, "[ICC") != want {
				t.Errorf("%s keep %+v: ICC shown %v", name, keep, !want)
			}
			if want := keep.Orientation; strings.Contains(txt, "Orientation") != want {
				t.Errorf("%s keep %+v: Orientation shown %v", name, keep, !want)
			}
			if o.Pages > 1 && !strings.Contains(txt, "[IFD"+string(rune('0'+o.Pages-1))+"]") &&
				!strings.Contains(txt, "[SubIFD") {
				t.Logf("%s: exiftool output:\n%s", name, txt)
			}
		}
	}
}

var zeroAE = regexp.MustCompile(`^0(\D|$)`)

// TestImageMagickAllPages compares every page before and after Strip with
// ImageMagick (x/image/tiff decodes only the first page).
func TestImageMagickAllPages(t *testing.T) {
	const compare = "/usr/bin/compare"
	if _, err := os.Stat(compare); err != nil {
		t.Skip("ImageMagick compare not installed")
	}
	dir := t.TempDir()
	for name, o := range variants() {
		in := testimg.TIFF(o)
		out, err := tifffile.Strip(in, meta.DefaultKeep)
		if err != nil {
			t.Fatal(err)
		}
		pi, po := filepath.Join(dir, name+"-in.tif"), filepath.Join(dir, name+"-out.tif")
		os.WriteFile(pi, in, 0o600)
		os.WriteFile(po, out, 0o600)
		for p := 0; p < o.Pages; p++ {
			page := "[" + string(rune('0'+p)) + "]"
			b, err := exec.Command(compare, "-metric", "AE", pi+page, po+page, "null:").CombinedOutput()
			// AE (differing pixels) comes first; libtiff warnings about
			// the input's unknown tags may follow.
			if err != nil || !zeroAE.Match(b) {
				t.Errorf("%s page %d: compare: %v, %.40q", name, p, err, b)
			}
		}
	}
}
