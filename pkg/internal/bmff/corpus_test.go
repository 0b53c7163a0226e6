package bmff

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/container/containertest"
	"github.com/photoscrub/photoscrub/pkg/internal/corpus"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// exiftoolOrientation returns the IFD0 Orientation ExifTool reads from b,
// "" when exiftool is not installed or finds none.
func exiftoolOrientation(t *testing.T, b []byte) string {
	t.Helper()
	if _, err := exec.LookPath("exiftool"); err != nil {
		return ""
	}
	p := filepath.Join(t.TempDir(), "o.heic")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command("exiftool", "-n", "-s3", "-IFD0:Orientation", p).Output()
	return strings.TrimSpace(string(out))
}

// knownCorpusFailures are real corpus files that are reported unparsed
// rather than rebuilt, and why.
var knownCorpusFailures = map[string]string{
	// ExifTool's structure test: its "image data" is the text
	// "<dummy image data>", not HEVC NAL units, so the coded data cannot
	// be proven.
	"exiftool__QuickTime.heic": "placeholder coded data",
}

// TestCorpus runs the conformance suite over the HEIC/AVIF files of the
// shared corpus, then the independent residual checker over the rebuilds.
func TestCorpus(t *testing.T) {
	out := t.TempDir()
	n := 0
	heifs := func(e corpus.Entry) bool {
		return strings.Contains(e.Path(), "/heic/") || strings.Contains(e.Path(), "/avif/")
	}
	for e, data := range corpus.Files(t, heifs) {
		n++
		name := filepath.Base(e.Path())
		t.Run(name, func(t *testing.T) {
			s := containertest.Sample{Name: name, Data: data, Dirty: e["has_gps"] == "yes"}
			containertest.Check(t, HEIF, s, decodeOptions(t))
			f, err := Parse(data)
			if e["kind"] != "real" {
				return
			}
			if why, ok := knownCorpusFailures[name]; ok {
				if err == nil {
					t.Errorf("known failure (%s) now parses: remove it from the list", why)
				}
				return
			}
			if err != nil {
				t.Fatalf("real file does not parse: %v", err)
			}
			in := container.Inspect(f, len(data))
			if e["has_gps"] == "yes" && !containertest.HasCategory(in.Findings, meta.Location) {
				t.Errorf("GPS file without a Location finding: %v", in.Findings)
			}
			b, err := f.Rebuild(meta.DefaultKeep)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(out, name), b, 0o600); err != nil {
				t.Fatal(err)
			}
		})
	}
	if n == 0 {
		t.Fatal("no HEIC/AVIF files in the corpus manifest")
	}
	corpus.Residual(t, out, "the rebuilt corpus files")
}

// TestResidualGenerated runs the residual checker over the rebuilds of
// the generated samples (it also confirms that ExifTool finds the planted
// GPS in the originals).
func TestResidualGenerated(t *testing.T) {
	if _, err := exec.LookPath("exiftool"); err != nil {
		t.Skip("exiftool not installed")
	}
	h, a := generated()
	dir := t.TempDir()
	for _, s := range append(h, a...) {
		b, err := Strip(s.Data, meta.DefaultKeep)
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, s.Name+".heic"), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	in := filepath.Join(t.TempDir(), "in.heic")
	if err := os.WriteFile(in, h[1].Data, 0o600); err != nil {
		t.Fatal(err)
	}
	if o, _ := exec.Command("exiftool", "-s3", "-GPSLatitude", in).Output(); len(strings.TrimSpace(string(o))) == 0 {
		t.Errorf("exiftool finds no GPS in the generated %s sample", h[1].Name)
	}
	corpus.Residual(t, dir, "the rebuilt generated samples")
}

// decodeOptions decodes with heif-convert when it is installed (not in
// -short mode): the suite then compares the primary image's pixels.
func decodeOptions(t *testing.T) containertest.Options {
	if _, err := exec.LookPath("heif-convert"); err != nil || testing.Short() {
		return containertest.Options{}
	}
	return containertest.Options{Decode: func(b []byte) (image.Image, error) { return primaryPNG(t, b) }}
}

// primaryPNG decodes the primary image of data with heif-convert. When the
// file has several top-level images, heif-convert numbers its outputs in
// libheif's order: non-hidden image items that are no thumbnail, auxiliary
// image or derived-image input.
func primaryPNG(t *testing.T, data []byte) (image.Image, error) {
	h, err := parse(data)
	if err != nil {
		return nil, err
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
		return nil, err
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
		return nil, err
	}
	defer f.Close()
	return png.Decode(f)
}
