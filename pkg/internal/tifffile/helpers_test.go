package tifffile_test

import (
	"bytes"
	"errors"
	"image"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/exifmeta"
	"github.com/photoscrub/photoscrub/pkg/internal/icc"
	"github.com/photoscrub/photoscrub/pkg/internal/tifffile"
	"github.com/photoscrub/photoscrub/pkg/internal/tiffifd"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
	xtiff "golang.org/x/image/tiff"
)

// allowed is the set of tags Strip may write (allowlist plus the two
// policy tags and the rewritten offsets).
var allowed = map[uint16]bool{
	254: true, 255: true, 256: true, 257: true, 258: true, 259: true,
	262: true, 263: true, 266: true, 273: true, 274: true, 277: true,
	278: true, 279: true, 280: true, 281: true, 282: true, 283: true,
	284: true, 292: true, 293: true, 296: true, 297: true, 301: true,
	317: true, 318: true, 319: true, 320: true, 321: true, 322: true,
	323: true, 324: true, 325: true, 332: true, 338: true, 339: true,
	340: true, 341: true, 347: true, 529: true, 530: true, 531: true,
	532: true, 34675: true,
}

// checkOutput asserts the properties every Strip output must have:
// parseable, only allowlisted tags on every page, no sub-IFDs, same pages
// and image data as in, idempotent.
func checkOutput(t testing.TB, in, out []byte, keep meta.Keep) {
	t.Helper()
	tf, err := tiffifd.Parse(out)
	if err != nil {
		t.Fatalf("output does not parse: %v", err)
	}
	if len(tf.IFDs) != len(tf.Chain()) {
		t.Fatalf("output has %d IFDs outside the main chain", len(tf.IFDs)-len(tf.Chain()))
	}
	for _, d := range tf.Chain() {
		for _, e := range d.Entries {
			if !allowed[e.Tag] {
				t.Fatalf("%s keeps tag %d", d.Name(), e.Tag)
			}
			if (e.Tag == 274 && !keep.Orientation) || (e.Tag == 34675 && !keep.ICC) {
				t.Fatalf("%s keeps tag %d against the policy", d.Name(), e.Tag)
			}
		}
	}
	if err := tifffile.SameImage(in, out); err != nil {
		t.Fatalf("SameImage: %v", err)
	}
	again, err := tifffile.Strip(out, keep)
	if err != nil {
		t.Fatalf("Strip(Strip(x)): %v", err)
	}
	if !bytes.Equal(again, out) {
		t.Fatalf("Strip is not idempotent")
	}
}

// classifiersReady reports whether exifmeta is the real implementation
// (the placeholder reports every block unparsed).
func classifiersReady() bool {
	var s meta.Set
	_, err := exifmeta.Inspect(exifmeta.Minimal(1), "x", &s)
	return err == nil && s.Len() == 0
}

// iccReady reports whether package icc parses profiles yet (until it
// does, every ICC profile is dropped and reported).
func iccReady() bool {
	_, err := icc.Parse(testimg.TIFFICCProfile())
	return err == nil
}

// wantFormatOrUnsupported fails unless err is a FormatError (ours or the
// walker's) or wraps ErrUnsupported.
func wantFormatOrUnsupported(t testing.TB, err error) {
	t.Helper()
	var fe tifffile.FormatError
	if !errors.As(err, &fe) && !errors.Is(err, tifffile.ErrUnsupported) {
		t.Fatalf("error %v (%T) is neither FormatError nor ErrUnsupported", err, err)
	}
}

// decode decodes the first page with x/image/tiff.
func decode(t testing.TB, b []byte) image.Image {
	t.Helper()
	img, err := xtiff.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("x/image/tiff: %v", err)
	}
	return img
}

// rgbOf returns the 8-bit RGB samples of img.
func rgbOf(img image.Image) []byte {
	r := img.Bounds()
	var out []byte
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			out = append(out, byte(cr>>8), byte(cg>>8), byte(cb>>8))
		}
	}
	return out
}

// leaks returns the marker strings found in b.
func leaks(b []byte, m testimg.Markers) []string {
	var out []string
	for _, s := range m.Strings() {
		if bytes.Contains(b, []byte(s)) {
			out = append(out, s)
		}
	}
	for _, s := range []string{"PSMKNOTE", "xpacket", "8BIM", "acsp"} {
		if bytes.Contains(b, []byte(s)) {
			out = append(out, s)
		}
	}
	return out
}
