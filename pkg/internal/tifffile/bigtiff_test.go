package tifffile

import (
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/tiffifd"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// toBig rewrites a classic TIFF as a BigTIFF with the same kept tags, by
// running the writer in BigTIFF mode over the classic structure.
func toBig(t *testing.T, classic []byte) []byte {
	t.Helper()
	f, err := parse(classic, false)
	if err != nil {
		t.Fatal(err)
	}
	bt := *f.t
	bt.Big = true
	w := newWriter(&bt, classic)
	for _, pg := range f.pages {
		if err := w.page(pg, meta.DefaultKeep); err != nil {
			t.Fatal(err)
		}
	}
	return w.buf
}

func TestBigTIFFRoundTrip(t *testing.T) {
	for _, be := range []bool{false, true} {
		o := testimg.AllTIFF()
		o.BigEndian = be
		o.Tiled = be
		classic := testimg.TIFF(o)
		big := toBig(t, classic)
		tf, err := tiffifd.Parse(big)
		if err != nil || !tf.Big || len(tf.Chain()) != 2 {
			t.Fatalf("BigTIFF output: err %v, big %v", err, tf != nil && tf.Big)
		}
		if err := SameImage(classic, big); err != nil {
			t.Fatalf("SameImage(classic, BigTIFF): %v", err)
		}
		out, err := Strip(big, meta.DefaultKeep)
		if err != nil {
			t.Fatalf("Strip(BigTIFF): %v", err)
		}
		if err := SameImage(classic, out); err != nil {
			t.Fatalf("SameImage after Strip: %v", err)
		}
		of, err := tiffifd.Parse(out)
		if err != nil || !of.Big {
			t.Fatalf("stripped BigTIFF: err %v", err)
		}
		for _, d := range of.Chain() {
			e, _ := d.Find(tagStripOffsets)
			if e2, ok := d.Find(tagTileOffsets); ok {
				e = e2
			}
			if e.Type != tiffifd.Long8 {
				t.Fatalf("offsets written as type %d, want LONG8", e.Type)
			}
		}
	}
}
