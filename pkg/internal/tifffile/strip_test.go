package tifffile_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/container/containertest"
	"github.com/photoscrub/photoscrub/pkg/internal/tifffile"
	"github.com/photoscrub/photoscrub/pkg/internal/tiffifd"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// variants are the layouts every metadata test runs over.
func variants() map[string]testimg.TIFFOptions {
	v := map[string]testimg.TIFFOptions{}
	base := testimg.AllTIFF()
	v["le-strips"] = base
	b := base
	b.BigEndian = true
	v["be-strips"] = b
	b = base
	b.Tiled = true
	v["le-tiles"] = b
	b = base
	b.Deflate = true
	v["le-deflate"] = b
	b = base
	b.Tiled, b.Deflate, b.BigEndian, b.Pages = true, true, true, 3
	b.Width, b.Height = 37, 19
	v["be-tiles-deflate-3p"] = b
	return v
}

func TestStripRemovesEverythingButImage(t *testing.T) {
	m := testimg.DefaultMarkers()
	for name, o := range variants() {
		t.Run(name, func(t *testing.T) {
			in := testimg.TIFF(o)
			if l := leaks(in, m); len(l) == 0 {
				t.Fatal("builder planted no markers")
			}
			for _, keep := range []meta.Keep{meta.DefaultKeep, {}} {
				out, err := tifffile.Strip(in, keep)
				if err != nil {
					t.Fatalf("Strip: %v", err)
				}
				if l := leaks(out, m); len(l) > 0 && !(keep.ICC && len(l) == 1 && l[0] == "acsp") {
					t.Fatalf("keep %+v: output still holds %q", keep, l)
				}
				checkOutput(t, in, out, keep)
				// Pixels: page 0 through x/image/tiff, every page through
				// SameImage (checked above) and, uncompressed, the raw strips.
				got := decode(t, out)
				if !containertest.SamePixels(decode(t, in), got) {
					t.Fatal("page 0 pixels differ after Strip")
				}
				if !bytes.Equal(rgbOf(got), testimg.TIFFPixels(o, 0)) {
					t.Fatal("page 0 pixels differ from the builder's")
				}
				tf, _ := tiffifd.Parse(out)
				if n := len(tf.Chain()); n != o.Pages {
					t.Fatalf("output has %d pages, want %d", n, o.Pages)
				}
				d0 := tf.Chain()[0]
				_, hasO := d0.Find(274)
				_, hasICC := d0.Find(34675)
				if hasO != keep.Orientation || hasICC != (keep.ICC && iccReady()) {
					t.Fatalf("keep %+v: Orientation kept %v, ICC kept %v", keep, hasO, hasICC)
				}
			}
		})
	}
}

func TestStripOtherPagesPixels(t *testing.T) {
	o := testimg.AllTIFF()
	o.Pages = 3
	out, err := tifffile.Strip(testimg.TIFF(o), meta.DefaultKeep)
	if err != nil {
		t.Fatal(err)
	}
	tf, err := tiffifd.Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	for p, d := range tf.Chain() {
		off, _ := d.Find(273)
		cnt, _ := d.Find(279)
		var px []byte
		for i := 0; uint64(i) < off.Count; i++ {
			a, _ := tf.Uint(off, i)
			n, _ := tf.Uint(cnt, i)
			px = append(px, out[a:a+n]...)
		}
		if !bytes.Equal(px, testimg.TIFFPixels(o, p)) {
			t.Fatalf("page %d strips differ from the builder's pixels", p)
		}
	}
}

func TestInspectFindings(t *testing.T) {
	in := testimg.TIFF(testimg.AllTIFF())
	ins, err := tifffile.Inspect(in)
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	if ins.Width != 20 || ins.Height != 10 {
		t.Fatalf("size %dx%d, want 20x10", ins.Width, ins.Height)
	}
	got := map[string]meta.Finding{}
	for _, f := range ins.Findings {
		got[string(f.Category)+"|"+f.Where] = f
		t.Logf("%s %q %v", f.Category, f.Where, f.Tags)
	}
	geo, ok := got["location|TIFF IFD0 GeoTIFF"]
	if !ok || len(geo.Tags) != 5 {
		t.Fatalf("GeoTIFF finding %+v, want 5 tags", geo)
	}
	if _, ok := got["embedded|TIFF IFD0 SubIFD"]; !ok {
		t.Fatal("no SubIFD finding")
	}
	wheres := map[string]bool{}
	for _, f := range ins.Findings {
		wheres[f.Where] = true
		if i := strings.IndexByte(f.Where, '/'); i > 0 {
			wheres[f.Where[:i]] = true
		}
	}
	for _, w := range []string{"TIFF IFD0 XMP", "TIFF IFD0 IPTC", "TIFF IFD0 Photoshop IRB"} {
		if !wheres[w] {
			t.Errorf("no finding under %q", w)
		}
	}
	if !classifiersReady() {
		t.Skip("exifmeta is still a placeholder: per-page EXIF findings not checked")
	}
	if ins.Orientation != 6 {
		t.Errorf("Orientation %d, want 6", ins.Orientation)
	}
	var page1Identity, page1GPS bool
	for _, f := range ins.Findings {
		if len(f.Where) >= 9 && f.Where[:9] == "TIFF IFD1" {
			switch f.Category {
			case meta.Identity:
				page1Identity = true
			case meta.Location:
				page1GPS = true
			}
		}
	}
	if !page1Identity || !page1GPS {
		t.Errorf("page 2 identity %v, GPS %v: both must be reported", page1Identity, page1GPS)
	}
}

func TestStripThenInspectIsClean(t *testing.T) {
	if !classifiersReady() {
		t.Skip("exifmeta is still a placeholder")
	}
	for name, o := range variants() {
		out, err := tifffile.Strip(testimg.TIFF(o), meta.DefaultKeep)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ins, err := tifffile.Inspect(out)
		if err != nil || len(ins.Findings) != 0 {
			t.Errorf("%s: re-inspection: err %v, findings %+v", name, err, ins.Findings)
		}
		if ins.Orientation != 6 {
			t.Errorf("%s: Orientation %d after Strip, want 6", name, ins.Orientation)
		}
	}
}
