package exifmeta

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/tiffifd"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

const W = "APP1 Exif"

// secret marks every text value the builders write; it must never show up
// in a finding or an error.
const secret = "LEAKME"

func f(c meta.Category, where string, tags ...string) meta.Finding {
	if tags == nil {
		tags = []string{}
	}
	slices.Sort(tags)
	return meta.Finding{Category: c, Where: W + where, Tags: tags}
}

func s(v string) string { return secret + v }

var thumb = []byte{0xFF, 0xD8, 0xFF, 0xD9, 0, 0}

type inspectCase struct {
	name   string
	b      *tbuild
	raw    []byte // used when b is nil
	orient int
	err    bool
	want   []meta.Finding
}

func inspectCases() []inspectCase {
	return []inspectCase{
		{name: "minimal", raw: Minimal(6), orient: 6},
		{name: "structural only", orient: 1, b: &tbuild{ifds: []*tifd{
			{name: "IFD0", ents: []tent{
				eShort(0x0112, 1), eRat(0x011A, 72, 1), eRat(0x011B, 72, 1), eShort(0x0128, 2),
				eShort(0x0213, 1), ePtr(0x8769, "Exif"),
			}},
			{name: "Exif", ents: []tent{
				eUndef(0x9000, []byte("0232")), eShort(0xA001, 1), eLong(0xA002, 640), eLong(0xA003, 480),
				eUndef(0x9101, []byte{1, 2, 3, 0}), eRat(0x829A, 1, 125), eRat(0x829D, 28, 10),
				eShort(0x8827, 100), ePtr(0xA005, "Interop"),
			}},
			{name: "Interop", ents: []tent{eASCII(0x0001, "R98"), eUndef(0x0002, []byte("0100"))}},
		}}},
		{name: "identity IFD0", orient: 8, b: &tbuild{ifds: []*tifd{{name: "IFD0", ents: []tent{
			eASCII(0x010D, s("doc")), eASCII(0x010E, s("desc")), eASCII(0x010F, s("make")),
			eASCII(0x0110, s("model")), eShort(0x0112, 8), eASCII(0x0131, s("sw")),
			eASCII(0x0132, "2024:01:01 00:00:00"), eASCII(0x013B, s("artist")),
			eASCII(0x013C, s("host")), eASCII(0x8298, s("copyright")),
			{tag: 0x9C9D, typ: tiffifd.Byte, count: 8, bytes: []byte("L\x00E\x00A\x00\x00\x00")},
			{tag: 0x9C9B, typ: tiffifd.Byte, count: 8, bytes: []byte("L\x00E\x00A\x00\x00\x00")},
		}}}},
			want: []meta.Finding{
				f(meta.Identity, "/IFD0", "DocumentName", "Make", "Model", "Software", "Artist", "HostComputer", "Copyright", "XPAuthor"),
				f(meta.Comment, "/IFD0", "ImageDescription", "XPTitle"),
				f(meta.Other, "/IFD0", "DateTime"),
			}},
		{name: "exif IFD", b: &tbuild{ifds: []*tifd{
			{name: "IFD0", ents: []tent{ePtr(0x8769, "Exif"), eUndef(0xC4A5, []byte(s("printim")))}},
			{name: "Exif", ents: []tent{
				eASCII(0x9003, "2024:01:01 00:00:00"), eASCII(0x9010, "+02:00"), eASCII(0x9011, "+02:00"),
				eASCII(0x9012, "+02:00"), eUndef(0x927C, []byte(s("makernote-blob"))),
				eUndef(0x9286, []byte("ASCII\x00\x00\x00"+s("comment"))), eASCII(0x9290, "12"),
				eASCII(0xA420, s("uid")), eASCII(0xA430, s("owner")), eASCII(0xA431, s("body")),
				eASCII(0xA433, s("lensmake")), eASCII(0xA434, s("lensmodel")), eASCII(0xA435, s("lensserial")),
			}},
		}}, want: []meta.Finding{
			f(meta.Location, "/Exif IFD", "OffsetTime", "OffsetTimeOriginal", "OffsetTimeDigitized"),
			f(meta.Identity, "/Exif IFD", "ImageUniqueID", "CameraOwnerName", "BodySerialNumber", "LensMake", "LensModel", "LensSerialNumber"),
			f(meta.Embedded, "/MakerNote", "MakerNote"),
			f(meta.Comment, "/Exif IFD", "UserComment"),
			f(meta.Other, "/Exif IFD", "DateTimeOriginal", "SubSecTime"),
			f(meta.Other, "/IFD0", "PrintIM"),
		}},
		{name: "GPS full", b: &tbuild{ifds: []*tifd{
			{name: "IFD0", ents: []tent{ePtr(0x8825, "GPS")}},
			{name: "GPS", ents: []tent{
				{tag: 0, typ: tiffifd.Byte, count: 4, bytes: []byte{2, 3, 0, 0}},
				eASCII(1, "N"), eRat(2, 48, 1, 51, 1, 2959, 100), eASCII(3, "E"), eRat(4, 2, 1, 21, 1, 0, 1),
				{tag: 5, typ: tiffifd.Byte, count: 1, bytes: []byte{0}}, eRat(6, 35, 1),
				eRat(7, 12, 1, 0, 1, 0, 1), eASCII(0x12, "WGS-84"),
				eUndef(0x1B, []byte("ASCII\x00\x00\x00GPS")), eUndef(0x1C, []byte("ASCII\x00\x00\x00"+s("place"))),
				eASCII(0x1D, "2024:01:01"), eRat(0x1F, 5, 1),
			}},
		}}, want: []meta.Finding{f(meta.Location, "/GPS IFD",
			"GPSVersionID", "GPSLatitudeRef", "GPSLatitude", "GPSLongitudeRef", "GPSLongitude",
			"GPSAltitudeRef", "GPSAltitude", "GPSTimeStamp", "GPSMapDatum", "GPSProcessingMethod",
			"GPSAreaInformation", "GPSDateStamp", "GPSHPositioningError")}},
		{name: "GPS empty latitude", b: &tbuild{ifds: []*tifd{
			{name: "IFD0", ents: []tent{ePtr(0x8825, "GPS")}},
			{name: "GPS", ents: []tent{eASCII(1, "N"), eRaw(2, tiffifd.Rational, 0, 0), eRat(6, 35, 1), eRaw(0x30, tiffifd.ASCII, 0, 0)}},
		}}, want: []meta.Finding{f(meta.Location, "/GPS IFD", "GPSLatitudeRef", "GPSLatitude", "GPSAltitude", "GPSTag0x0030")}},
		{name: "GPS zero denominators", b: &tbuild{ifds: []*tifd{
			{name: "IFD0", ents: []tent{ePtr(0x8825, "GPS")}},
			{name: "GPS", ents: []tent{eRat(2, 0, 0, 0, 0, 0, 0), eRat(4, 1, 0, 1, 0, 1, 0)}},
		}}, want: []meta.Finding{f(meta.Location, "/GPS IFD", "GPSLatitude", "GPSLongitude")}},
		{name: "GPS IFD empty", b: &tbuild{ifds: []*tifd{
			{name: "IFD0", ents: []tent{eShort(0x0112, 1), ePtr(0x8825, "GPS")}}, {name: "GPS"},
		}}, orient: 1, want: []meta.Finding{f(meta.Location, "/GPS IFD", "GPSInfo")}},
		{name: "GPS pointer in Exif IFD", b: &tbuild{ifds: []*tifd{
			{name: "IFD0", ents: []tent{ePtr(0x8769, "Exif")}},
			{name: "Exif", ents: []tent{ePtr(0x8825, "GPS")}},
			{name: "GPS", ents: []tent{eASCII(1, "S")}},
		}}, want: []meta.Finding{f(meta.Location, "/GPS IFD", "GPSLatitudeRef")}},
		{name: "GPS tags misplaced in IFD0", b: &tbuild{ifds: []*tifd{
			{name: "IFD0", ents: []tent{eASCII(1, "N"), eRat(2, 1, 1, 2, 1, 3, 1)}},
		}}, want: []meta.Finding{f(meta.Location, "/IFD0", "GPSLatitudeRef", "GPSLatitude")}},
		{name: "IFD1 JPEG thumbnail", b: &tbuild{ifds: []*tifd{
			{name: "IFD0", next: "IFD1", ents: []tent{eShort(0x0112, 3)}},
			{name: "IFD1", ents: []tent{eShort(0x0103, 6), eRat(0x011A, 72, 1), eLong(0x0201, 8), eLong(0x0202, 6)}},
		}}, orient: 3, want: []meta.Finding{f(meta.Embedded, "/IFD1", "Thumbnail")}},
		{name: "IFD1 strip thumbnail", b: &tbuild{ifds: []*tifd{
			{name: "IFD0", next: "IFD1"},
			{name: "IFD1", ents: []tent{eLong(0x0100, 2), eLong(0x0101, 2), eLong(0x0111, 8), eLong(0x0117, 12)}},
		}}, want: []meta.Finding{f(meta.Embedded, "/IFD1", "Thumbnail")}},
		{name: "unknown tags", b: &tbuild{ifds: []*tifd{
			{name: "IFD0", ents: []tent{eASCII(0xC000, s("x")), ePtr(0x8769, "Exif")}},
			{name: "Exif", ents: []tent{ePtr(0xA005, "Interop"), eRaw(0xBEEF, tiffifd.Type(77), 3, 0)}},
			{name: "Interop", ents: []tent{eASCII(0x0001, "R98"), eASCII(0x0042, s("y"))}},
		}}, want: []meta.Finding{
			f(meta.Other, "/Exif IFD", "Tag0xBEEF"),
			f(meta.Other, "/IFD0", "Tag0xC000"),
			f(meta.Other, "/Interop IFD", "InteropTag0x0042"),
		}},
		{name: "IPTC and Photoshop in IFD0", b: &tbuild{ifds: []*tifd{
			{name: "IFD0", ents: []tent{eUndef(0x83BB, []byte(s("iptc"))), eUndef(0x8649, []byte(s("8BIM")))}},
		}}, want: []meta.Finding{f(meta.Unparsed, "/IFD0", "IPTC-NAA", "Photoshop")}},
		// Hostile blocks: Unparsed plus what was read before the failure.
		{name: "cycle IFD0→IFD1→IFD0", err: true, b: &tbuild{ifds: []*tifd{
			{name: "IFD0", next: "IFD1", ents: []tent{eASCII(0x010F, s("make")), eShort(0x0112, 6)}},
			{name: "IFD1", next: "IFD0", ents: []tent{eLong(0x0201, 8)}},
		}}, orient: 6, want: []meta.Finding{
			f(meta.Identity, "/IFD0", "Make"),
			f(meta.Embedded, "/IFD1", "Thumbnail"),
			f(meta.Unparsed, ""),
		}},
		{name: "GPS pointer past end", err: true, b: &tbuild{ifds: []*tifd{
			{name: "IFD0", ents: []tent{eRaw(0x8825, tiffifd.Long, 1, 0xFFFF0000)}},
		}}, want: []meta.Finding{f(meta.Location, "/GPS IFD", "GPSInfo"), f(meta.Unparsed, "")}},
		{name: "GPS via Exif cycle", err: true, b: &tbuild{ifds: []*tifd{
			{name: "IFD0", ents: []tent{ePtr(0x8769, "Exif")}},
			{name: "Exif", ents: []tent{ePtr(0x8825, "GPS")}},
			{name: "GPS", ents: []tent{eASCII(1, "N"), ePtr(0xA005, "Exif")}},
		}}, want: []meta.Finding{
			f(meta.Location, "/GPS IFD", "GPSLatitudeRef", "GPSTag0xA005"),
			f(meta.Unparsed, ""),
		}},
		{name: "huge count", err: true, b: &tbuild{ifds: []*tifd{
			{name: "IFD0", ents: []tent{eRaw(0x9286, tiffifd.Long, 0x40000001, 8)}},
		}}, want: []meta.Finding{f(meta.Comment, "/IFD0", "UserComment"), f(meta.Unparsed, "")}},
		{name: "not TIFF", err: true, raw: []byte(s("garbage")), want: []meta.Finding{f(meta.Unparsed, "")}},
		{name: "empty", err: true, raw: nil, want: []meta.Finding{f(meta.Unparsed, "")}},
	}
}

func TestInspect(t *testing.T) {
	for _, c := range inspectCases() {
		for _, le := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/le=%v", c.name, le), func(t *testing.T) {
				data := c.raw
				if c.b != nil {
					c.b.le = le
					data = c.b.bytes()
				}
				var set meta.Set
				o, err := Inspect(data, W, &set)
				if (err != nil) != c.err {
					t.Fatalf("err = %v, want error %v", err, c.err)
				}
				var fe FormatError
				if err != nil && !errors.As(err, &fe) {
					t.Errorf("error %T is not a FormatError", err)
				}
				if o != c.orient {
					t.Errorf("orientation %d, want %d", o, c.orient)
				}
				got := set.List()
				// Every Exif or Interop IFD is reported by presence (an
				// embedded EXIF block is then never orientation-only).
				var ws meta.Set
				ws.AddAll(c.want)
				if c.b != nil {
					for _, d := range c.b.ifds {
						switch d.name {
						case "Exif":
							ws.Add(meta.Other, W+"/Exif IFD", "ExifIFD")
						case "Interop":
							ws.Add(meta.Other, W+"/Interop IFD", "InteropIFD")
						}
					}
				}
				want := ws.List()
				sortFindings(want)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("findings\n got %v\nwant %v", got, want)
				}
				js, _ := json.Marshal(got)
				if strings.Contains(string(js), secret) || (err != nil && strings.Contains(err.Error(), secret)) {
					t.Errorf("a value leaked: %s / %v", js, err)
				}
			})
		}
	}
}

// sortFindings orders want like meta.Set.List.
func sortFindings(fs []meta.Finding) {
	var set meta.Set
	set.AddAll(fs)
	copy(fs, set.List())
}

func TestInspectEmbeddedXMP(t *testing.T) {
	b := &tbuild{ifds: []*tifd{{name: "IFD0", ents: []tent{
		{tag: 0x02BC, typ: tiffifd.Byte, count: 20, bytes: []byte("<x:xmpmeta>" + s("xmp"))[:20]},
	}}}}
	var set meta.Set
	if _, err := Inspect(b.bytes(), W, &set); err != nil {
		t.Fatal(err)
	}
	// Whatever package xmp decides, the packet is reported under /XMP.
	fs := set.List()
	if len(fs) == 0 || fs[0].Where != W+"/XMP" {
		t.Errorf("findings %v", fs)
	}
}

func TestOrientation(t *testing.T) {
	for _, c := range []struct {
		name string
		e    tent
		want int
	}{
		{"short 3", eShort(0x0112, 3), 3},
		{"short 8", eShort(0x0112, 8), 8},
		{"short 0", eShort(0x0112, 0), 0},
		{"short 9", eShort(0x0112, 9), 0},
		{"long 3", eLong(0x0112, 3), 0},
		{"count 0", eRaw(0x0112, tiffifd.Short, 0, 0), 0},
		{"absent", eShort(0x0128, 2), 0},
	} {
		b := &tbuild{ifds: []*tifd{{name: "IFD0", ents: []tent{c.e}}}}
		var set meta.Set
		if o, _ := Inspect(b.bytes(), W, &set); o != c.want {
			t.Errorf("%s: orientation %d, want %d", c.name, o, c.want)
		}
	}
	// Orientation in IFD1 (the thumbnail's) is not the image's.
	b := &tbuild{ifds: []*tifd{{name: "IFD0", next: "IFD1"}, {name: "IFD1", ents: []tent{eShort(0x0112, 6)}}}}
	var set meta.Set
	if o, _ := Inspect(b.bytes(), W, &set); o != 0 {
		t.Errorf("IFD1 orientation taken: %d", o)
	}
}

func TestMinimal(t *testing.T) {
	for o := 0; o <= 9; o++ {
		data := Minimal(o)
		var set meta.Set
		got, err := Inspect(data, W, &set)
		want := o
		if o < 1 || o > 8 {
			want = 1
		}
		if err != nil || got != want || set.Len() != 0 {
			t.Errorf("Minimal(%d): orientation %d, err %v, findings %v", o, got, err, set.List())
		}
		tf, err := tiffifd.Parse(data)
		if err != nil || len(tf.IFDs) != 1 || len(tf.IFDs[0].Entries) != 1 {
			t.Errorf("Minimal(%d) is not a one-entry IFD0: %v", o, err)
		}
	}
}

func TestTrimPrefix(t *testing.T) {
	for in, want := range map[string]string{
		"Exif\x00\x00MM": "MM",
		"Exif\x00\xffII": "II",
		"Exif\x00\x01II": "Exif\x00\x01II",
		"MM\x00*":        "MM\x00*",
		"Exif\x00":       "Exif\x00",
		"":               "",
	} {
		if got := string(TrimPrefix([]byte(in))); got != want {
			t.Errorf("TrimPrefix(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGoexifCrossCheck(t *testing.T) {
	b := &tbuild{ifds: []*tifd{
		{name: "IFD0", ents: []tent{eShort(0x0112, 5), ePtr(0x8825, "GPS")}},
		{name: "GPS", ents: []tent{eASCII(1, "N")}},
	}}
	v, ok := viaGoexif(b.bytes())
	if !ok || v.orientation != 5 || !v.gps {
		t.Errorf("goexif view %+v ok=%v", v, ok)
	}
	// goexif aborts on a zero-length tag; we still classify by structure.
	b.ifds[1].ents = append(b.ifds[1].ents, eRaw(2, tiffifd.Rational, 0, 0))
	v, ok = viaGoexif(b.bytes())
	if !ok || v.gps {
		t.Logf("goexif view %+v ok=%v (expected to miss GPS)", v, ok)
	}
	var set meta.Set
	if _, err := Inspect(b.bytes(), W, &set); err != nil || !set.Has(meta.Location) {
		t.Errorf("err %v, findings %v", err, set.List())
	}
}
