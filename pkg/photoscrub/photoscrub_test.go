package photoscrub_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/photoscrub"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// fakeICC returns a small complete ICC profile with standard texts.
func fakeICC() []byte {
	return testimg.ICCProfileRGB("Display P3", "Copyright Apple Inc., 2017")
}

type sample struct {
	name, ext string
	format    string
	data      []byte
	// orient is the EXIF orientation the output must keep (0: not checked).
	orient int
}

// samples builds one file per case: the JPEG hiding-place collections,
// every orientation, and every other format with all its options on.
func samples(t testing.TB) []sample {
	t.Helper()
	jpg := func(o testimg.JPEGOptions) []byte {
		b, err := testimg.JPEG(o)
		if err != nil {
			t.Fatalf("testimg.JPEG: %v", err)
		}
		return b
	}
	m := testimg.DefaultMarkers()
	exif6 := testimg.AllEXIF()
	exif6.Orientation = 6
	xmp := testimg.XMPPacket(testimg.XMPOptions{})
	png6 := testimg.AllPNG()
	png6.Orientation = 6
	s := []sample{
		{"everything", "jpg", "jpeg", jpg(testimg.Everything()), 6},
		{"idcard", "jpg", "jpeg", jpg(testimg.IDCard(7)), 1},
		{"png-all", "png", "png", testimg.PNG(png6), 6},
		{"gif-all", "gif", "gif", testimg.GIF(testimg.AllGIF()), 0},
		{"webp-all", "webp", "webp", testimg.WebP(testimg.WebPOptions{Width: 8, Height: 6, EXIF: testimg.EXIF(exif6),
			XMP: xmp, ICC: fakeICC(), Unknown: []byte(m.AppText), Trailer: []byte(m.Trailer)}), 6},
		{"tiff-all", "tif", "tiff", testimg.TIFF(testimg.AllTIFF()), 6},
		{"heif-all", "heic", "heif", testimg.HEIF(testimg.HEIFOptions{EXIF: testimg.EXIF(exif6), XMP: xmp,
			Thumbnail: []byte("thumbnail-bytes"), Depth: []byte("depth-bytes"), Alpha: []byte("alpha-bytes"),
			UUID: []byte(m.AppText), C2PA: []byte(m.JUMBF), Description: m.Description, ICC: fakeICC(),
			Grid: true}), 0},
	}
	for o := 1; o <= 8; o++ {
		s = append(s, sample{fmt.Sprintf("orient%d", o), "jpg", "jpeg",
			jpg(testimg.JPEGOptions{Orientation: o, EXIF: true, EXIFOptions: testimg.AllEXIF(), GPS: true, XMP: true, Seed: int64(o)}), o})
	}
	return s
}

func planted(b []byte) []string {
	var out []string
	for _, s := range testimg.DefaultMarkers().Strings() {
		if bytes.Contains(b, []byte(s)) {
			out = append(out, s)
		}
	}
	return out
}

func TestInspectAndCleanEveryFormat(t *testing.T) {
	for _, s := range samples(t) {
		in, err := photoscrub.Inspect(s.data)
		if err != nil {
			t.Errorf("%s: Inspect: %v", s.name, err)
			continue
		}
		if in.Format != s.format {
			t.Errorf("%s: format %q, want %q", s.name, in.Format, s.format)
		}
		cats := map[meta.Category]bool{}
		for _, f := range in.Findings {
			cats[f.Category] = true
		}
		if !cats[meta.Location] || !cats[meta.Identity] {
			t.Errorf("%s: categories %v, want location and identity", s.name, cats)
		}
		if s.orient != 0 && in.Orientation != s.orient {
			t.Errorf("%s: orientation %d, want %d", s.name, in.Orientation, s.orient)
		}
		out, err := photoscrub.Clean(s.data, meta.DefaultKeep)
		if err != nil {
			t.Errorf("%s: Clean: %v", s.name, err)
			continue
		}
		after, err := photoscrub.Inspect(out)
		if err != nil || len(after.Findings) != 0 {
			t.Errorf("%s: cleaned output: err %v, findings %+v", s.name, err, after.Findings)
		}
		if s.orient != 0 && after.Orientation != s.orient && !(s.orient == 1 && after.Orientation == 0) {
			t.Errorf("%s: cleaned orientation %d, want %d", s.name, after.Orientation, s.orient)
		}
		if p := planted(out); len(p) != 0 {
			t.Errorf("%s: cleaned output still holds %q", s.name, p)
		}
		// Clean of a clean file returns it unchanged.
		again, err := photoscrub.Clean(out, meta.DefaultKeep)
		if err != nil || !bytes.Equal(again, out) {
			t.Errorf("%s: Clean(clean) changed the file or failed: %v", s.name, err)
		}
		t.Logf("%s: %d findings, %d → %d bytes", s.name, len(in.Findings), len(s.data), len(out))
	}
}

func TestUnsupportedAndMalformed(t *testing.T) {
	for name, data := range map[string][]byte{
		"pdf":   []byte("%PDF-1.7\n"),
		"empty": nil,
		"text":  []byte("just some text"),
	} {
		in, err := photoscrub.Inspect(data)
		if !errors.Is(err, photoscrub.ErrUnsupported) {
			t.Errorf("%s: Inspect err %v, want ErrUnsupported", name, err)
		}
		if in.Format == "" {
			t.Errorf("%s: no format name", name)
		}
		if _, err := photoscrub.Clean(data, meta.DefaultKeep); !errors.Is(err, photoscrub.ErrUnsupported) {
			t.Errorf("%s: Clean err %v, want ErrUnsupported", name, err)
		}
	}
	jpg, _ := testimg.JPEG(testimg.JPEGOptions{GPS: true})
	cut := jpg[:len(jpg)/2]
	out, err := photoscrub.Clean(cut, meta.DefaultKeep)
	if err == nil || out != nil {
		t.Errorf("Clean(truncated JPEG) = %d bytes, %v; want an error and no output", len(out), err)
	}
	in, err := photoscrub.Inspect(cut)
	if err == nil {
		t.Error("Inspect(truncated JPEG): no error")
	}
	hasUnparsed := false
	for _, f := range in.Findings {
		hasUnparsed = hasUnparsed || f.Category == meta.Unparsed
	}
	if !hasUnparsed {
		t.Errorf("Inspect(truncated JPEG): no unparsed finding in %+v", in.Findings)
	}
}

// forbidden matches ExifTool group or tag names that must not survive.
var forbidden = regexp.MustCompile(`GPS|XMP|IPTC|MakerNote|Thumbnail|Preview|MPImage|MPF|Serial|Owner|Artist|Creator|Comment|Copyright|Make|Model|Software|DateTimeOriginal|Photoshop|Description|UserComment|JUMBF|C2PA|Trailer`)

// orientationNames are ExifTool's print conversions of Orientation.
var orientationNames = map[string]int{
	"Horizontal (normal)": 1, "Mirror horizontal": 2, "Rotate 180": 3, "Mirror vertical": 4,
	"Mirror horizontal and rotate 270 CW": 5, "Rotate 90 CW": 6,
	"Mirror horizontal and rotate 90 CW": 7, "Rotate 270 CW": 8,
}

// allowedTag reports whether ExifTool key "Group:Tag" may be in a cleaned
// file although forbidden matches it.
func allowedTag(key string) bool {
	group, _, _ := strings.Cut(key, ":")
	return strings.HasPrefix(group, "ICC") // the kept colour profile
}

// TestExifToolOracle cleans every sample and asks ExifTool, an
// independent reader, what is left.
func TestExifToolOracle(t *testing.T) {
	exiftool, err := exec.LookPath("exiftool")
	if err != nil {
		t.Skip("exiftool not installed")
	}
	dir := t.TempDir()
	var files []string
	want := map[string]sample{}
	for _, s := range samples(t) {
		out, err := photoscrub.Clean(s.data, meta.DefaultKeep)
		if err != nil {
			t.Fatalf("%s: Clean: %v", s.name, err)
		}
		p := filepath.Join(dir, s.name+"."+s.ext)
		if err := os.WriteFile(p, out, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
		want[p] = s
	}
	// Control: ExifTool does see the metadata in the originals, so an empty
	// answer below means "clean", not "ExifTool read nothing".
	ctl := filepath.Join(dir, "control.jpg")
	if err := os.WriteFile(ctl, want[files[0]].data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exiftool, append([]string{"-a", "-G1", "-s", "-ee", "-j"}, append(files, ctl)...)...)
	raw, err := cmd.Output()
	if err != nil && len(raw) == 0 {
		t.Fatalf("exiftool: %v", err)
	}
	var rows []map[string]any
	if err := json.Unmarshal(raw, &rows); err != nil {
		t.Fatalf("exiftool JSON: %v", err)
	}
	if len(rows) != len(files)+1 {
		t.Fatalf("exiftool returned %d rows for %d files", len(rows), len(files)+1)
	}
	for _, row := range rows {
		src, _ := row["SourceFile"].(string)
		var bad []string
		for k := range row {
			if k != "SourceFile" && forbidden.MatchString(k) && !allowedTag(k) {
				bad = append(bad, k)
			}
		}
		sort.Strings(bad)
		if src == ctl {
			if len(bad) < 20 {
				t.Errorf("control: ExifTool found only %d forbidden tags in the original: %v", len(bad), bad)
			}
			t.Logf("control: ExifTool sees %d forbidden tags in the original Everything() JPEG", len(bad))
			continue
		}
		s, ok := want[src]
		if !ok {
			t.Errorf("unexpected SourceFile %q", src)
			continue
		}
		if len(bad) != 0 {
			t.Errorf("%s: ExifTool still finds %v", s.name, bad)
		}
		if w, ok := row["ExifTool:Warning"]; ok {
			t.Logf("%s: ExifTool warning: %v", s.name, w)
		}
		if s.orient != 0 && s.format != "heif" {
			got := 1 // absent means normal
			if v, ok := row["IFD0:Orientation"]; ok {
				got = orientationNames[fmt.Sprint(v)]
			}
			if got != s.orient {
				t.Errorf("%s: ExifTool reads orientation %v (%d), want %d", s.name, row["IFD0:Orientation"], got, s.orient)
			}
		}
		var ifd0 []string
		for k := range row {
			if strings.HasPrefix(k, "IFD0:") || strings.HasPrefix(k, "ExifIFD:") || strings.HasPrefix(k, "IFD1:") {
				ifd0 = append(ifd0, k)
			}
		}
		sort.Strings(ifd0)
		t.Logf("%s: %d tags; EXIF tags kept: %v", s.name, len(row)-1, ifd0)
	}
}

// TestExifToolOracleNoValues searches ExifTool's full dump of the cleaned
// files for the planted values, whatever tag ExifTool files them under.
func TestExifToolOracleNoValues(t *testing.T) {
	exiftool, err := exec.LookPath("exiftool")
	if err != nil {
		t.Skip("exiftool not installed")
	}
	dir := t.TempDir()
	var files []string
	for _, s := range samples(t) {
		out, err := photoscrub.Clean(s.data, meta.DefaultKeep)
		if err != nil {
			t.Fatalf("%s: Clean: %v", s.name, err)
		}
		p := filepath.Join(dir, s.name+"."+s.ext)
		if err := os.WriteFile(p, out, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	raw, _ := exec.Command(exiftool, append([]string{"-a", "-G1", "-s", "-ee", "-b", "-j"}, files...)...).Output()
	if len(raw) == 0 {
		t.Fatal("no exiftool output")
	}
	for _, n := range testimg.DefaultMarkers().Needles() {
		if len(n) >= 6 && bytes.Contains(raw, []byte(n)) {
			t.Errorf("ExifTool dump of cleaned files contains %q", n)
		}
	}
}

// TestCleanHonoursKeepWithoutFindings: a file whose only extras are what
// keep says to drop (an ICC profile, an orientation) must still lose them.
func TestCleanHonoursKeepWithoutFindings(t *testing.T) {
	jpg, err := testimg.JPEG(testimg.JPEGOptions{ICC: true, Orientation: 6})
	if err != nil {
		t.Fatal(err)
	}
	if in, _ := photoscrub.Inspect(jpg); len(in.Findings) != 0 {
		t.Fatalf("test input has findings %+v", in.Findings)
	}
	out, err := photoscrub.Clean(jpg, meta.Keep{})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte("ICC_PROFILE")) {
		t.Error("Clean(keep none) kept the ICC profile")
	}
	if in, _ := photoscrub.Inspect(out); in.Orientation > 1 {
		t.Errorf("Clean(keep none) kept orientation %d", in.Orientation)
	}
}

// TestCleanICCProfileName: a PNG iCCP profile name is free text (testimg
// plants the Owner marker there). The lossless strip renames it, but it is
// no finding, so a PNG with nothing else is returned as is.
func TestCleanICCProfileName(t *testing.T) {
	png := testimg.PNG(testimg.PNGOptions{ICC: true})
	out, err := photoscrub.Clean(png, meta.DefaultKeep)
	if err != nil {
		t.Fatal(err)
	}
	if p := planted(out); len(p) != 0 {
		t.Errorf("cleaned PNG still holds %d planted value(s)", len(p))
	}
}
