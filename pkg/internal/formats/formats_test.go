package formats

import (
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// TestRegistry: the supported formats are registered once each, with what
// they can do; everything else sniffs by name and is not registered.
func TestRegistry(t *testing.T) {
	rebuild := map[format.Format]bool{format.JPEG: true, format.PNG: true, format.GIF: true, format.WebP: true,
		format.TIFF: true, format.HEIF: true, format.AVIF: true, format.RAW: false}
	for _, f := range []format.Format{format.Unknown, format.JPEG, format.PNG, format.GIF, format.WebP, format.TIFF,
		format.HEIF, format.AVIF, format.JXL, format.RAW, format.PDF, format.BMP, format.PSD, format.Video,
		format.JP2, format.ICO, format.SVG, format.Empty} {
		c, ok := container.Lookup(f)
		want, supported := rebuild[f]
		if ok != supported {
			t.Errorf("%s registered %v, want %v", f, ok, supported)
			continue
		}
		if ok && (c.Rebuild != want || c.Parse == nil || c.Match == nil) {
			t.Errorf("%s: rebuild %v (want %v), parse set %v, match set %v", f, c.Rebuild, want, c.Parse != nil, c.Match != nil)
		}
	}
	if n := len(container.Formats()); n != len(rebuild) {
		t.Errorf("%d formats registered, want %d", n, len(rebuild))
	}
}

// TestSniffOrder: each sample sniffs as its own format; a DNG (TIFF with a
// DNGVersion tag) is camera raw, matched before TIFF.
func TestSniffOrder(t *testing.T) {
	jpg, err := testimg.JPEG(testimg.JPEGOptions{Width: 16, Height: 16})
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		data []byte
		want format.Format
	}{
		"jpeg": {jpg, format.JPEG},
		"png":  {testimg.PNG(testimg.PNGOptions{}), format.PNG},
		"gif":  {testimg.GIF(testimg.GIFOptions{}), format.GIF},
		"webp": {testimg.WebP(testimg.WebPOptions{}), format.WebP},
		"tiff": {testimg.TIFF(testimg.TIFFOptions{}), format.TIFF},
		"heif": {testimg.HEIF(testimg.HEIFOptions{}), format.HEIF},
		"pdf":  {[]byte("%PDF-1.7\n"), format.PDF},
		"none": {[]byte("hello"), format.Unknown},
		"":     {nil, format.Empty},
	}
	for name, c := range cases {
		if got := container.Sniff(c.data); got != c.want {
			t.Errorf("%s: Sniff = %s, want %s", name, got, c.want)
		}
	}
}
