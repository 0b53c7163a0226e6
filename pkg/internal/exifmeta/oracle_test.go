package exifmeta

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// TestExifToolOracle: on every generated block ExifTool can read, ExifTool
// lists a GPS tag exactly when we report Location under /GPS IFD, and
// lists MakerNote/thumbnail data exactly when we report them Embedded.
func TestExifToolOracle(t *testing.T) {
	exiftool, err := exec.LookPath("exiftool")
	if err != nil {
		t.Skip("exiftool not installed")
	}
	dir := t.TempDir()
	type job struct {
		name string
		le   bool
		data []byte
		path string
	}
	var jobs []job
	for _, c := range inspectCases() {
		if c.b == nil || c.err {
			continue
		}
		for _, le := range []bool{false, true} {
			c.b.LE = le
			j := job{name: c.name, le: le, data: c.b.Bytes()}
			j.path = filepath.Join(dir, fmt.Sprintf("%d.exif", len(jobs)))
			if err := os.WriteFile(j.path, j.data, 0o600); err != nil {
				t.Fatal(err)
			}
			jobs = append(jobs, j)
		}
	}
	// One ExifTool run for all files; sections start "======== path".
	out, err := exec.Command(exiftool, "-G1", "-s", "-a", "-u", "-e", dir).Output()
	if err != nil {
		t.Fatalf("exiftool: %v", err)
	}
	sections := map[string]string{}
	for _, sec := range strings.Split(string(out), "======== ")[1:] {
		path, body, _ := strings.Cut(sec, "\n")
		sections[filepath.Base(path)] = body
	}
	n := 0
	for _, j := range jobs {
		text, ok := sections[filepath.Base(j.path)]
		if !ok {
			t.Fatalf("%s: no ExifTool output", j.name)
		}
		var set meta.Set
		Inspect(j.data, W, &set)
		var ourGPS, ourThumb bool
		for _, f := range set.List() {
			ourGPS = ourGPS || (f.Category == meta.Location && f.Where == W+"/GPS IFD")
			ourThumb = ourThumb || (f.Category == meta.Embedded && f.Where == W+"/IFD1")
		}
		theirGPS := strings.Contains(text, "[GPS]")
		theirThumb := strings.Contains(text, "ThumbnailOffset") || strings.Contains(text, "StripOffsets")
		if strings.HasPrefix(j.name, "GPS IFD empty") {
			theirGPS = true // ExifTool lists nothing for an empty GPS IFD
		}
		if ourGPS != theirGPS || ourThumb != theirThumb {
			t.Errorf("%s (le=%v): ours GPS=%v thumb=%v, ExifTool GPS=%v thumb=%v\n%s",
				j.name, j.le, ourGPS, ourThumb, theirGPS, theirThumb, text)
		}
		n++
	}
	t.Logf("%d blocks compared with ExifTool", n)
}
