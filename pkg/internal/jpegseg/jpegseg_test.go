package jpegseg

import (
	"bytes"
	"image/jpeg"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

func mustJPEG(t testing.TB, o testimg.JPEGOptions) []byte {
	t.Helper()
	b, err := testimg.JPEG(o)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func hasWhere(fs []meta.Finding, c meta.Category, where string) bool {
	for _, f := range fs {
		if f.Category == c && strings.HasPrefix(f.Where, where) {
			return true
		}
	}
	return false
}

func TestInspectFindsEveryHidingPlace(t *testing.T) {
	in, err := Inspect(mustJPEG(t, testimg.Everything()))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		c     meta.Category
		where string
	}{
		{meta.Location, "APP1 Exif/GPS IFD"},
		{meta.Location, "APP1 XMP"},
		{meta.Location, "APP13 Photoshop"},
		{meta.Embedded, "APP0 JFXX"},
		{meta.Embedded, "APP2 MPF"},
		{meta.Embedded, "APP2 FPXR"},
		{meta.Embedded, "after EOI image 1"},
		{meta.Location, "after EOI image 1 APP1 Exif/GPS IFD"},
		{meta.Embedded, "after EOI"},
		{meta.Comment, "COM"},
		{meta.Other, "unknown APP10 segment"},
		{meta.Identity, "APP11 JUMBF"},
		{meta.Embedded, "unaccounted bytes"},
	}
	for _, w := range want {
		if !hasWhere(in.Findings, w.c, w.where) {
			t.Errorf("no %s finding at %q; got %+v", w.c, w.where, in.Findings)
		}
	}
	if in.Orientation != 6 {
		t.Errorf("orientation = %d, want 6", in.Orientation)
	}
	if in.Width != 320 || in.Height != 240 {
		t.Errorf("size = %dx%d, want 320x240", in.Width, in.Height)
	}
}

func TestXMPBeforeExifAndTwoExif(t *testing.T) {
	// goexif reads only the first APP1: the walker must see both.
	b := mustJPEG(t, testimg.JPEGOptions{GPS: true, XMP: true, XMPBeforeExif: true, TwoExif: true})
	in, err := Inspect(b)
	if err != nil {
		t.Fatal(err)
	}
	if !hasWhere(in.Findings, meta.Location, "APP1 Exif") || !hasWhere(in.Findings, meta.Location, "APP1 XMP") {
		t.Fatalf("findings %+v", in.Findings)
	}
}

func TestStripEverything(t *testing.T) {
	orig := mustJPEG(t, testimg.Everything())
	out, err := Strip(orig, meta.DefaultKeep)
	if err != nil {
		t.Fatal(err)
	}
	in, err := Inspect(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Findings) != 0 {
		t.Fatalf("stripped output still has findings: %+v", in.Findings)
	}
	if in.Orientation != 6 {
		t.Errorf("orientation after strip = %d, want 6", in.Orientation)
	}
	if err := SameImage(orig, out); err != nil {
		t.Fatal(err)
	}
	s, _ := Walk(out)
	var icc, adobe int
	for _, g := range s.Segments {
		switch {
		case g.Marker == APP2 && bytes.HasPrefix(g.Payload, idICC):
			icc++
		case g.Marker == 0xEE:
			adobe++
		case g.Marker == APP1, g.Marker == 0xED, g.Marker == COM, g.Marker > APP2 && g.Marker <= 0xEF && g.Marker != 0xEE:
			if !(g.Marker == APP1 && bytes.HasPrefix(g.Payload, idExif)) {
				t.Errorf("segment 0x%02X survived", g.Marker)
			}
		}
	}
	if icc < 1 || adobe != 1 {
		t.Errorf("icc chunks %d (want ≥ 1), adobe %d (want 1)", icc, adobe)
	}
	if s.Trailer != nil || len(s.Strays) != 0 {
		t.Error("trailer or stray bytes survived")
	}
	for _, m := range testimg.DefaultMarkers().Strings() {
		if bytes.Contains(out, []byte(m)) {
			t.Errorf("marker %q survived in the output", m)
		}
	}
	// Idempotent.
	again, err := Strip(out, meta.DefaultKeep)
	if err != nil || !bytes.Equal(again, out) {
		t.Errorf("strip is not idempotent (err %v)", err)
	}
	// Keep nothing: no APP1, no ICC.
	bare, err := Strip(orig, meta.Keep{})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(bare, idExif) || bytes.Contains(bare, idICC) {
		t.Error("keep none still wrote Exif or ICC")
	}
}

func TestOrientationsKeepPixels(t *testing.T) {
	for o := 1; o <= 8; o++ {
		orig := mustJPEG(t, testimg.JPEGOptions{Width: 48, Height: 32, Orientation: o, GPS: true, Seed: int64(o)})
		out, err := Strip(orig, meta.DefaultKeep)
		if err != nil {
			t.Fatal(err)
		}
		in, err := Inspect(out)
		if err != nil || len(in.Findings) != 0 {
			t.Fatalf("orientation %d: err %v findings %+v", o, err, in.Findings)
		}
		want := o
		if in.Orientation != want && !(o == 1 && in.Orientation == 0) {
			t.Errorf("orientation %d became %d", o, in.Orientation)
		}
		a, err1 := jpeg.Decode(bytes.NewReader(orig))
		b, err2 := jpeg.Decode(bytes.NewReader(out))
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		ra, rb := testimg.Oriented(a, o), testimg.Oriented(b, in.Orientation)
		if !bytes.Equal(ra.Pix, rb.Pix) || ra.Rect != rb.Rect {
			t.Errorf("orientation %d: displayed pixels differ", o)
		}
	}
}

func TestHostile(t *testing.T) {
	for name, b := range testimg.HostileJPEGs() {
		t.Run(name, func(t *testing.T) {
			in, err := Inspect(b)
			if err != nil && !hasWhere(in.Findings, meta.Unparsed, "") {
				t.Errorf("error without unparsed finding: %v", err)
			}
			if out, err := Strip(b, meta.DefaultKeep); err == nil {
				if in2, err := Inspect(out); err != nil || len(in2.Findings) != 0 {
					t.Errorf("strip output not clean: %v %+v", err, in2.Findings)
				}
			}
		})
	}
}

func TestTruncations(t *testing.T) {
	full := mustJPEG(t, testimg.Everything())
	cuts := testimg.TruncationsOf(full)
	if len(cuts) < 10 {
		t.Fatalf("only %d truncations", len(cuts))
	}
	for _, b := range cuts {
		s, err := Walk(b)
		// A cut inside the trailer still leaves a complete primary image.
		if err == nil && s.End > len(b) {
			t.Fatalf("end %d beyond %d", s.End, len(b))
		}
		if err != nil {
			if _, ok := err.(FormatError); !ok {
				t.Fatalf("error of type %T", err)
			}
		}
	}
}

func TestMalformedSegments(t *testing.T) {
	base := mustJPEG(t, testimg.JPEGOptions{})
	cases := map[string][]byte{
		"length below 2":  append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x01}, base[2:]...),
		"length past end": {0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 0x00},
		"second soi":      append([]byte{0xFF, 0xD8, 0xFF, 0xD8}, base[2:]...),
		"reserved marker": append([]byte{0xFF, 0xD8, 0xFF, 0xF3, 0x00, 0x02}, base[2:]...),
		"empty":           {},
	}
	for name, b := range cases {
		if _, err := Walk(b); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestTruncatedScanIsRebuilt(t *testing.T) {
	full := mustJPEG(t, testimg.JPEGOptions{Width: 64, Height: 64, GPS: true, Seed: 9})
	s, _ := Walk(full)
	sos := s.Segments[len(s.Segments)-2]
	for _, cut := range []int{len(full) - 2, len(full) - 40, sos.Offset + 20 + len(sos.Payload)} {
		b := full[:cut]
		in, err := Inspect(b)
		if err != nil || len(in.Warnings) == 0 || !hasWhere(in.Findings, meta.Location, "APP1 Exif") {
			t.Fatalf("cut %d: err %v warnings %v findings %+v", cut, err, in.Warnings, in.Findings)
		}
		out, err := Strip(b, meta.DefaultKeep)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasSuffix(out, []byte{0xFF, EOI}) || bytes.Contains(out, []byte("PSMK")) {
			t.Fatalf("cut %d: output does not end with EOI or keeps a marker", cut)
		}
		if err := SameImage(b, out); err != nil {
			t.Fatal(err)
		}
		if in2, err := Inspect(out); err != nil || len(in2.Findings) != 0 || len(in2.Warnings) != 0 {
			t.Fatalf("cut %d: rebuilt file: %v %+v %v", cut, err, in2.Findings, in2.Warnings)
		}
	}
	// A cut before the first scan is still a failure: metadata segments
	// must be whole.
	if _, err := Walk(full[:sos.Offset+3]); err == nil {
		t.Fatal("a cut inside the SOS header was accepted")
	}
}
