package exifmeta

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/corpus"
	"github.com/photoscrub/photoscrub/pkg/internal/tiffifd"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/rwcarlsen/goexif/exif"
)

// exifSegments returns the payloads (prefix removed) of every APP1
// "Exif\0\0" segment before the first SOS, by a tiny marker scan.
func exifSegments(data []byte) [][]byte {
	var out [][]byte
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return nil
	}
	p := 2
	for p+4 <= len(data) {
		if data[p] != 0xFF {
			return out
		}
		m := data[p+1]
		switch {
		case m == 0xFF: // fill byte
			p++
			continue
		case m == 0x01 || (m >= 0xD0 && m <= 0xD7):
			p += 2
			continue
		case m == 0xD9 || m == 0xDA:
			return out
		}
		n := int(data[p+2])<<8 | int(data[p+3])
		if n < 2 || p+2+n > len(data) {
			return out
		}
		seg := data[p+4 : p+2+n]
		if m == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00")) {
			out = append(out, TrimPrefix(seg))
		}
		p += 2 + n
	}
	return out
}

// TestCorpusGPS: every real JPEG whose MANIFEST says it carries GPS in EXIF
// yields a Location finding from its Exif APP1s, including the Sony file
// goexif gives up on. "In EXIF" means gps_groups lists EXIF, or ExifTool saw
// a GPS IFD pointer (gps_ifd_pointer=yes: this includes Nikon D5000, whose
// GPS IFD has an empty latitude, and a Gran Turismo screenshot whose GPS
// pointer has no value) other than FLIR's vendor GPSInfo in its own APP1.
func TestCorpusGPS(t *testing.T) {
	checked := 0
	inExif := func(e corpus.Entry) bool {
		return strings.HasPrefix(e.Path(), "real/jpeg/") &&
			(slices.Contains(strings.Split(e["gps_groups"], ";"), "EXIF") ||
				(e["gps_ifd_pointer"] == "yes" && !strings.Contains(e["gps_locations"], "FLIR")))
	}
	for e, data := range corpus.Files(t, inExif) {
		var set meta.Set
		segs := exifSegments(data)
		for _, seg := range segs {
			if _, err := Inspect(seg, "APP1 Exif", &set); err != nil {
				t.Logf("%s: %v", e.Path(), err)
			}
		}
		if !set.Has(meta.Location) {
			t.Errorf("%s: no Location finding in %d Exif segments; findings %v", e.Path(), len(segs), set.List())
		}
		checked++
	}
	t.Logf("%d JPEGs with EXIF GPS checked", checked)
	if checked < 40 {
		t.Errorf("only %d files checked", checked)
	}
}

func TestCorpusSony(t *testing.T) {
	data := corpus.File(t, "real/jpeg/mei__Sony_DSC-HX5V_2.jpg")
	segs := exifSegments(data)
	if len(segs) == 0 {
		t.Fatal("no Exif segment")
	}
	// goexif aborts the whole decode on one zero-length GPS tag...
	x, gerr := exif.Decode(bytes.NewReader(segs[0]))
	gotLat := false
	if x != nil {
		_, _, lerr := x.LatLong()
		gotLat = lerr == nil
	}
	t.Logf("goexif: err=%v latlong=%v", gerr != nil, gotLat)
	// ...but the structure says location.
	var set meta.Set
	if _, err := Inspect(segs[0], "APP1 Exif", &set); err != nil {
		t.Fatal(err)
	}
	var gps *meta.Finding
	for _, f := range set.List() {
		if f.Where == "APP1 Exif/GPS IFD" {
			gps = &f
		}
	}
	if gps == nil || gps.Category != meta.Location || !slices.Contains(gps.Tags, "GPSLatitude") {
		t.Fatalf("findings %v", set.List())
	}
	t.Logf("GPS tags: %v", gps.Tags)
}

// TestCorpusAll runs every Exif APP1 of every JPEG in the corpus (real and
// malformed): no panic, an error always comes with an Unparsed finding, and
// on every block tiffifd accepts goexif returns in time without panicking
// and finds no GPS pointer that tiffifd did not follow.
func TestCorpusAll(t *testing.T) {
	segs, failed, gx := 0, 0, 0
	jpegs := func(e corpus.Entry) bool { return strings.Contains(e.Path(), "/jpeg/") }
	for e, data := range corpus.Files(t, jpegs) {
		for _, seg := range exifSegments(data) {
			segs++
			var set meta.Set
			if _, err := Inspect(seg, "X", &set); err != nil {
				failed++
				t.Logf("%s: %v", e.Path(), err)
				if !set.Has(meta.Unparsed) {
					t.Errorf("%s: error without Unparsed finding", e.Path())
				}
				continue
			}
			tf, _ := tiffifd.Parse(seg)
			v, ok := viaGoexif(seg)
			if !ok {
				t.Errorf("%s: goexif panicked or timed out on a validated block", e.Path())
			}
			if v.gps && !tf.Has(tiffifd.KindGPS) {
				t.Errorf("%s: goexif found a GPS pointer tiffifd did not follow", e.Path())
			}
			gx++
		}
	}
	t.Logf("%d Exif segments, %d failed validation, %d cross-checked with goexif", segs, failed, gx)
}
