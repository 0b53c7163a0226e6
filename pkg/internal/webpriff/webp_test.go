package webpriff

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"slices"
	"strings"
	"testing"

	"golang.org/x/image/webp"

	"github.com/photoscrub/photoscrub/pkg/internal/exifmeta"
	"github.com/photoscrub/photoscrub/pkg/internal/xmp"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

func gpsEXIF() []byte {
	return testimg.EXIF(testimg.EXIFOptions{Orientation: 1, GPS: true, Identity: true, Thumbnail: true})
}

func xmpPacket() []byte { return testimg.XMPPacket(testimg.XMPOptions{}) }

// want returns the findings exifmeta/xmp give for a payload directly, so
// the assertions hold for the classifiers as they are today.
func want(where string, fn func(*meta.Set)) []meta.Finding {
	var s meta.Set
	fn(&s)
	return s.List()
}

func wheres(fs []meta.Finding) []string {
	var w []string
	for _, f := range fs {
		w = append(w, string(f.Category)+"|"+f.Where+"|"+strings.Join(f.Tags, ","))
	}
	return w
}

func TestInspectFindings(t *testing.T) {
	ex, xp := gpsEXIF(), xmpPacket()
	exF := want("WebP EXIF", func(s *meta.Set) { exifmeta.Inspect(ex, "WebP EXIF", s) })
	xpF := want("WebP XMP", func(s *meta.Set) { xmp.Inspect(xp, "WebP XMP", s) })
	tests := []struct {
		name string
		o    testimg.WebPOptions
		want []meta.Finding
	}{
		{"plain", testimg.WebPOptions{}, nil},
		{"extended-icc", testimg.WebPOptions{Extended: true, ICC: []byte("icc-profile")}, nil},
		{"exif", testimg.WebPOptions{EXIF: ex}, exF},
		{"exif-prefixed", testimg.WebPOptions{EXIF: ex, EXIFPrefix: true}, exF},
		{"xmp", testimg.WebPOptions{XMP: xp}, xpF},
		{"unknown", testimg.WebPOptions{Unknown: []byte("PSMK-APPTEXT-c3Gu")},
			[]meta.Finding{{Category: meta.Other, Where: "WebP unknown chunk", Tags: []string{"PSMK"}}}},
		{"trailer", testimg.WebPOptions{Trailer: []byte("PSMK-TRAILER-b9Sy")},
			[]meta.Finding{{Category: meta.Embedded, Where: "WebP data after RIFF end", Tags: []string{}}}},
		{"animated-unknown", testimg.WebPOptions{Animated: true, Unknown: []byte("x")},
			[]meta.Finding{{Category: meta.Other, Where: "WebP ANMF unknown chunk", Tags: []string{"PSMK"}},
				{Category: meta.Other, Where: "WebP unknown chunk", Tags: []string{"PSMK"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ins, err := Inspect(testimg.WebP(tc.o))
			if err != nil {
				t.Fatal(err)
			}
			var ws meta.Set
			ws.AddAll(tc.want)
			if got, w := wheres(ins.Findings), wheres(ws.List()); !slices.Equal(got, w) {
				t.Errorf("findings\n got %q\nwant %q", got, w)
			}
			if ins.Width != 2 || ins.Height != 2 {
				t.Errorf("size %dx%d, want 2x2", ins.Width, ins.Height)
			}
		})
	}
}

// allOptions is a file with every kind of metadata planted.
func allOptions() testimg.WebPOptions {
	return testimg.WebPOptions{Width: 3, Height: 2, EXIF: gpsEXIF(), EXIFPrefix: true, XMP: xmpPacket(),
		ICC: []byte("icc-profile-bytes"), Unknown: []byte("PSMK-APPTEXT-c3Gu"),
		Trailer: []byte("PSMK-TRAILER-b9Sy"), WrongFlags: true}
}

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := webp.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("x/image/webp decode: %v", err)
	}
	return img
}

func samePixels(t *testing.T, a, b image.Image) {
	t.Helper()
	if a.Bounds() != b.Bounds() {
		t.Fatalf("bounds %v vs %v", a.Bounds(), b.Bounds())
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				t.Fatalf("pixel %d,%d differs", x, y)
			}
		}
	}
}

func TestStrip(t *testing.T) {
	for _, keep := range []meta.Keep{meta.DefaultKeep, {}} {
		for name, o := range map[string]testimg.WebPOptions{
			"all": allOptions(), "animated": {Animated: true, Unknown: []byte("PSMK-APPTEXT-c3Gu"), XMP: xmpPacket()},
			"simple-exif-no-vp8x": {}, "alpha": {ARGB: 0x7f102030, EXIF: gpsEXIF()},
		} {
			in := testimg.WebP(o)
			out, err := Strip(in, keep)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			ins, err := Inspect(out)
			if err != nil || len(ins.Findings) != 0 {
				t.Errorf("%s: re-inspect: %v %v", name, err, ins.Findings)
			}
			for _, n := range testimg.DefaultMarkers().Needles() {
				if bytes.Contains(out, []byte(n)) {
					t.Errorf("%s: output holds marker %q", name, n)
				}
			}
			if err := SameImage(in, out); err != nil {
				t.Errorf("%s: SameImage: %v", name, err)
			}
			if !o.Animated { // x/image/webp does not decode animations
				samePixels(t, decode(t, in), decode(t, out))
			}
			again, err := Strip(out, keep)
			if err != nil || !bytes.Equal(again, out) {
				t.Errorf("%s: strip not idempotent (%v)", name, err)
			}
			if f, _ := parse(out); f != nil {
				for _, c := range f.chunks {
					if c.id == "VP8X" {
						hasICC := bytes.Contains(out, []byte("ICCP"))
						if (c.payload[0]&flagICC != 0) != hasICC || c.payload[0]&(flagXMP|0xc1) != 0 {
							t.Errorf("%s: VP8X flags %#x (ICCP present %v)", name, c.payload[0], hasICC)
						}
					}
					if c.id == "ICCP" && !keep.ICC {
						t.Errorf("%s: ICCP kept although keep.ICC is false", name)
					}
				}
			}
		}
	}
}

func TestStripOrientation(t *testing.T) {
	if o, _ := exifmeta.Inspect(exifmeta.Minimal(6), "x", &meta.Set{}); o != 6 {
		t.Skip("exifmeta does not read Orientation yet")
	}
	for _, ext := range []bool{false, true} {
		in := testimg.WebP(testimg.WebPOptions{Width: 5, Height: 3, Extended: ext,
			EXIF: testimg.EXIF(testimg.EXIFOptions{Orientation: 6, GPS: true})})
		out, err := Strip(in, meta.DefaultKeep)
		if err != nil {
			t.Fatal(err)
		}
		ins, err := Inspect(out)
		if err != nil || ins.Orientation != 6 || len(ins.Findings) != 0 || ins.Width != 5 || ins.Height != 3 {
			t.Errorf("extended=%v: %+v %v", ext, ins, err)
		}
		samePixels(t, decode(t, in), decode(t, out))
		out2, _ := Strip(in, meta.Keep{})
		if bytes.Contains(out2, []byte("EXIF")) {
			t.Errorf("extended=%v: EXIF kept without keep.Orientation", ext)
		}
	}
}

func TestMalformed(t *testing.T) {
	good := testimg.WebP(allOptions())
	riffEnd := 8 + int(binary.LittleEndian.Uint32(good[4:8]))
	bigRIFF := bytes.Clone(good)
	binary.LittleEndian.PutUint32(bigRIFF[4:8], uint32(len(good)))
	hugeChunk := bytes.Clone(good[:riffEnd])
	binary.LittleEndian.PutUint32(hugeChunk[16:20], 0xFFFFFFF0)
	noImage := []byte("RIFF\x0c\x00\x00\x00WEBPPSMK\x00\x00\x00\x00")
	for name, b := range map[string][]byte{"riff-too-big": bigRIFF, "huge-chunk": hugeChunk,
		"no-image": noImage, "short": good[:11], "empty": nil} {
		_, err := Inspect(b)
		var fe FormatError
		if !errors.As(err, &fe) {
			t.Errorf("%s: Inspect err %v, want FormatError", name, err)
		}
		if _, err := Strip(b, meta.DefaultKeep); !errors.As(err, &fe) {
			t.Errorf("%s: Strip err %v, want FormatError", name, err)
		}
	}
	// Every truncation inside the RIFF body is an error; never a panic.
	for i := 0; i < riffEnd; i++ {
		cut := bytes.Clone(good[:i])
		if i >= 8 {
			binary.LittleEndian.PutUint32(cut[4:8], uint32(riffEnd-8))
		}
		if _, err := Inspect(cut); err == nil {
			t.Fatalf("truncated at %d: no error", i)
		}
		if out, err := Strip(cut, meta.DefaultKeep); err == nil || out != nil {
			t.Fatalf("truncated at %d: Strip gave output", i)
		}
	}
}

func TestErrorsHoldNoValues(t *testing.T) {
	b := testimg.WebP(allOptions())
	b[len(b)-40] ^= 0xff // damage something near the end
	for i := 12; i+4 <= len(b); i += 7 {
		c := bytes.Clone(b)
		binary.LittleEndian.PutUint32(c[i:], 0x7fffffff)
		_, err := Inspect(c)
		for _, n := range testimg.DefaultMarkers().Needles() {
			if err != nil && strings.Contains(err.Error(), n) {
				t.Fatalf("error holds marker %q", n)
			}
		}
	}
}

func FuzzWebP(f *testing.F) {
	f.Add(testimg.WebP(testimg.WebPOptions{}))
	f.Add(testimg.WebP(allOptions()))
	f.Add(testimg.WebP(testimg.WebPOptions{Animated: true, Unknown: []byte("u"), EXIF: gpsEXIF()}))
	f.Add(testimg.WebP(testimg.WebPOptions{EXIF: exifmeta.Minimal(6)}))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<16 {
			return
		}
		ins, ierr := Inspect(b)
		if ierr != nil && !slices.ContainsFunc(ins.Findings, func(f meta.Finding) bool { return f.Category == meta.Unparsed }) {
			t.Fatal("error without an Unparsed finding")
		}
		out, err := Strip(b, meta.DefaultKeep)
		if err != nil {
			if out != nil {
				t.Fatal("partial output")
			}
			return
		}
		ins2, err := Inspect(out)
		if err != nil {
			t.Fatalf("stripped output does not parse: %v", err)
		}
		if len(ins2.Findings) != 0 {
			t.Fatalf("findings after strip: %+v", ins2.Findings)
		}
		again, err := Strip(out, meta.DefaultKeep)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("not idempotent: %v", err)
		}
		if err := SameImage(b, out); err != nil {
			t.Fatalf("SameImage: %v", err)
		}
		fo, _ := parse(out)
		for _, c := range fo.chunks {
			switch c.id {
			case "VP8X", "ICCP", "ANIM", "ANMF", "ALPH", "VP8 ", "VP8L", "EXIF":
			default:
				t.Fatalf("chunk %q survived", c.id)
			}
		}
	})
}
