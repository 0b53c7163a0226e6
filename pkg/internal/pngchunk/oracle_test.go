package pngchunk

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// forbidden matches ExifTool lines (-a -G1 -s) that reveal metadata a
// stripped file must not carry.
var forbidden = regexp.MustCompile(`(?i)^\[(XMP-[^\]]*|IPTC|GPS|Photoshop|IFD0|ExifIFD|C2PA|JUMBF)\]|GPS|Author|Comment|Artist|Copyright|Creator|Description|Serial|Owner|ModifyDate|Warning`)

func exiftool(t *testing.T, data []byte) string {
	t.Helper()
	bin, err := exec.LookPath("exiftool")
	if err != nil {
		t.Skip("exiftool not installed")
	}
	p := filepath.Join(t.TempDir(), "x.png")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-a", "-G1", "-s", p).Output()
	if err != nil {
		t.Fatalf("exiftool: %v", err)
	}
	return string(out)
}

func TestExifToolOracle(t *testing.T) {
	o := testimg.AllPNG()
	o.Orientation = 6
	in := testimg.PNG(o)
	before := exiftool(t, in)
	for _, want := range []string{"GPSLatitude", "Author", "Comment", "[XMP-"} {
		if !strings.Contains(before, want) {
			t.Errorf("oracle does not see %q in the generated input", want)
		}
	}
	out, err := Strip(in, meta.DefaultKeep)
	if err != nil {
		t.Fatal(err)
	}
	after := exiftool(t, out)
	t.Logf("exiftool on the stripped file:\n%s", after)
	for _, line := range strings.Split(after, "\n") {
		if strings.HasPrefix(line, "[System]") || strings.HasPrefix(line, "[ICC") || strings.HasPrefix(line, "[IFD0]          Orientation ") {
			continue
		}
		if forbidden.MatchString(line) {
			t.Errorf("exiftool still reports: %s", line)
		}
	}
	for _, s := range testimg.DefaultMarkers().Strings() {
		if strings.Contains(after, s) {
			t.Errorf("exiftool output holds marker %q", s)
		}
	}
}
