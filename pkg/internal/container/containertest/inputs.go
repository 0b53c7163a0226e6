package containertest

import (
	"bytes"
	"errors"
	"image"
	"io"
	"path/filepath"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/corpus"
)

// LimitedDecode returns a Decode for Options that decodes with decode only
// the images config reads as at most maxPixels pixels: a decoder that
// allocates the whole canvas up front would make fuzzing crawl. Larger
// images, and those config rejects, are not compared.
func LimitedDecode(maxPixels int, config func(io.Reader) (image.Config, error), decode func(io.Reader) (image.Image, error)) func([]byte) (image.Image, error) {
	return func(b []byte) (image.Image, error) {
		c, err := config(bytes.NewReader(b))
		if err != nil || c.Width*c.Height > maxPixels {
			return nil, errors.New("not compared")
		}
		return decode(bytes.NewReader(b))
	}
}

// Fuzz seeds f with the samples and runs Check on every fuzzed input of at
// most maxLen bytes (a larger one only slows the fuzzer down).
func Fuzz(f *testing.F, format container.Format, seeds []Sample, o Options, maxLen int) {
	for _, s := range seeds {
		f.Add(s.Data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxLen {
			return
		}
		Check(t, format, Sample{Name: "fuzz", Data: data}, o)
	})
}

// RunCorpus runs Check over the corpus files keep selects (t is skipped
// without the corpus), each in a subtest named by the file's base name,
// and asserts there that a real file (manifest kind "real") parses. Then
// more, when set, runs in the subtest with the parsed File (nil when it
// did not parse).
func RunCorpus(t *testing.T, f container.Format, o Options, keep func(corpus.Entry) bool,
	more func(t *testing.T, e corpus.Entry, data []byte, file container.File)) {
	t.Helper()
	for e, data := range corpus.Files(t, keep) {
		t.Run(filepath.Base(e.Path()), func(t *testing.T) {
			Check(t, f, Sample{Name: e.Path(), Data: data}, o)
			file, err := f.Parse(data)
			if err != nil {
				file = nil
				if e["kind"] == "real" {
					t.Errorf("real file does not parse: %v", err)
				}
			}
			if more != nil {
				more(t, e, data, file)
			}
		})
	}
}
