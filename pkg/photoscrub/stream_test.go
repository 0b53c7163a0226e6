package photoscrub_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/photoscrub"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// countingWriter counts what Scrub writes (nothing on error).
type countingWriter struct{ n int }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

func TestScrubStream(t *testing.T) {
	ctx := context.Background()
	photo, err := testimg.JPEG(testimg.Everything())
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	res, err := photoscrub.Scrub(ctx, bytes.NewReader(photo), &out, photoscrub.Options{Keep: meta.DefaultKeep})
	if err != nil || res.Status != "scrubbed" || !res.Verified || res.Method != "lossless" || res.ContentType != "image/jpeg" {
		t.Fatalf("%+v %v", res, err)
	}
	if res.SizeIn != int64(len(photo)) || res.SizeOut != int64(out.Len()) || len(res.SHA256In) != 64 || len(res.SHA256Out) != 64 {
		t.Errorf("sizes or hashes: %+v", res)
	}
	for _, n := range testimg.DefaultMarkers().Needles() {
		if bytes.Contains(out.Bytes(), []byte(n)) {
			t.Errorf("output holds %q", n)
		}
	}
	// A clean input comes back byte for byte.
	clean := bytes.Clone(out.Bytes())
	out.Reset()
	res, err = photoscrub.Scrub(ctx, bytes.NewReader(clean), &out, photoscrub.Options{Keep: meta.DefaultKeep})
	if err != nil || res.Status != "clean" || !bytes.Equal(out.Bytes(), clean) || res.SHA256In != res.SHA256Out {
		t.Errorf("clean input: %+v %v", res, err)
	}
	// InspectOnly writes nothing and says would-scrub.
	w := &countingWriter{}
	res, err = photoscrub.Scrub(ctx, bytes.NewReader(photo), w, photoscrub.Options{InspectOnly: true})
	if err != nil || res.Status != "would-scrub" || w.n != 0 || len(res.Findings) == 0 {
		t.Errorf("inspect only: %+v %v, %d bytes written", res, err, w.n)
	}
	// Errors write nothing, and their text holds no value.
	for name, c := range map[string]struct {
		in   []byte
		opts photoscrub.Options
		want error
	}{
		"text":      {[]byte("hello, not a photo"), photoscrub.Options{}, photoscrub.ErrUnsupported},
		"truncated": {photo[:len(photo)/2], photoscrub.Options{}, photoscrub.ErrParse},
		"too large": {photo, photoscrub.Options{MaxBytes: 1000}, photoscrub.ErrTooLarge},
		"pixels":    {photo, photoscrub.Options{Reencode: true, MaxPixels: 10}, photoscrub.ErrLimit},
	} {
		w := &countingWriter{}
		_, err := photoscrub.Scrub(ctx, bytes.NewReader(c.in), w, c.opts)
		if !errors.Is(err, c.want) || w.n != 0 {
			t.Errorf("%s: %v (want %v), %d bytes written", name, err, c.want, w.n)
		}
		for _, n := range testimg.DefaultMarkers().Needles() {
			if err != nil && strings.Contains(err.Error(), n) {
				t.Errorf("%s: error holds %q", name, n)
			}
		}
	}
	// Re-encode with an exact fit.
	out.Reset()
	res, err = photoscrub.Scrub(ctx, bytes.NewReader(photo), &out, photoscrub.Options{Keep: meta.DefaultKeep, Reencode: true, Fit: image.Pt(8, 6)})
	if err != nil || res.Method != "reencode" || res.Status != "scrubbed" {
		t.Fatalf("reencode: %+v %v", res, err)
	}
	if cfg, err := jpeg.DecodeConfig(bytes.NewReader(out.Bytes())); err != nil || cfg.Width != 8 || cfg.Height != 6 {
		t.Errorf("fit 8x6: %+v %v", cfg, err)
	}
}

// TestScrubConvertsFormat: a re-encode into another format is verified with
// the parser of the output's format (it was refused while verification
// re-parsed the output with the input's parser).
func TestScrubConvertsFormat(t *testing.T) {
	// A JPEG input: its parsed file re-parses its own rebuilds without
	// proving them again, which must not be used on a PNG output.
	in, err := testimg.JPEG(testimg.JPEGOptions{Width: 32, Height: 24, GPS: true})
	if err != nil {
		t.Fatal(err)
	}
	res, out, err := photoscrub.ScrubBytes(context.Background(), in, photoscrub.Options{Keep: meta.DefaultKeep, Reencode: true, Format: "png"})
	if err != nil {
		t.Fatalf("jpeg → png: %v", err)
	}
	if res.OutputFormat != "png" || !bytes.HasPrefix(out, []byte("\x89PNG")) {
		t.Fatalf("output format %q", res.OutputFormat)
	}
	got, err := photoscrub.Inspect(out)
	if err != nil || len(got.Findings) != 0 {
		t.Fatalf("converted output: %v %+v", err, got.Findings)
	}
}
