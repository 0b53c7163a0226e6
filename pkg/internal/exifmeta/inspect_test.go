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
	tb "github.com/photoscrub/photoscrub/pkg/internal/tiffifd/tiffbuild"
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
	b      *tb.File
	raw    []byte // used when b is nil
	orient int
	err    bool
	want   []meta.Finding
}

func inspectCases() []inspectCase {
	return []inspectCase{
		{name: "minimal", raw: Minimal(6), orient: 6},
		{name: "structural only", orient: 1, b: &tb.File{IFDs: []*tb.IFD{
			{Name: "IFD0", Entries: []tb.Entry{
				tb.Short(0x0112, 1), tb.Rational(0x011A, 72, 1), tb.Rational(0x011B, 72, 1), tb.Short(0x0128, 2),
				tb.Short(0x0213, 1), tb.Ptr(0x8769, "Exif"),
			}},
			{Name: "Exif", Entries: []tb.Entry{
				tb.Undefined(0x9000, []byte("0232")), tb.Short(0xA001, 1), tb.Long(0xA002, 640), tb.Long(0xA003, 480),
				tb.Undefined(0x9101, []byte{1, 2, 3, 0}), tb.Rational(0x829A, 1, 125), tb.Rational(0x829D, 28, 10),
				tb.Short(0x8827, 100), tb.Ptr(0xA005, "Interop"),
			}},
			{Name: "Interop", Entries: []tb.Entry{tb.ASCII(0x0001, "R98"), tb.Undefined(0x0002, []byte("0100"))}},
		}}},
		{name: "identity IFD0", orient: 8, b: &tb.File{IFDs: []*tb.IFD{{Name: "IFD0", Entries: []tb.Entry{
			tb.ASCII(0x010D, s("doc")), tb.ASCII(0x010E, s("desc")), tb.ASCII(0x010F, s("make")),
			tb.ASCII(0x0110, s("model")), tb.Short(0x0112, 8), tb.ASCII(0x0131, s("sw")),
			tb.ASCII(0x0132, "2024:01:01 00:00:00"), tb.ASCII(0x013B, s("artist")),
			tb.ASCII(0x013C, s("host")), tb.ASCII(0x8298, s("copyright")),
			{Tag: 0x9C9D, Type: uint16(tiffifd.Byte), Count: 8, Bytes: []byte("L\x00E\x00A\x00\x00\x00")},
			{Tag: 0x9C9B, Type: uint16(tiffifd.Byte), Count: 8, Bytes: []byte("L\x00E\x00A\x00\x00\x00")},
		}}}},
			want: []meta.Finding{
				f(meta.Identity, "/IFD0", "DocumentName", "Make", "Model", "Software", "Artist", "HostComputer", "Copyright", "XPAuthor"),
				f(meta.Comment, "/IFD0", "ImageDescription", "XPTitle"),
				f(meta.Other, "/IFD0", "DateTime"),
			}},
		{name: "exif IFD", b: &tb.File{IFDs: []*tb.IFD{
			{Name: "IFD0", Entries: []tb.Entry{tb.Ptr(0x8769, "Exif"), tb.Undefined(0xC4A5, []byte(s("printim")))}},
			{Name: "Exif", Entries: []tb.Entry{
				tb.ASCII(0x9003, "2024:01:01 00:00:00"), tb.ASCII(0x9010, "+02:00"), tb.ASCII(0x9011, "+02:00"),
				tb.ASCII(0x9012, "+02:00"), tb.Undefined(0x927C, []byte(s("makernote-blob"))),
				tb.Undefined(0x9286, []byte("ASCII\x00\x00\x00"+s("comment"))), tb.ASCII(0x9290, "12"),
				tb.ASCII(0xA420, s("uid")), tb.ASCII(0xA430, s("owner")), tb.ASCII(0xA431, s("body")),
				tb.ASCII(0xA433, s("lensmake")), tb.ASCII(0xA434, s("lensmodel")), tb.ASCII(0xA435, s("lensserial")),
			}},
		}}, want: []meta.Finding{
			f(meta.Location, "/Exif IFD", "OffsetTime", "OffsetTimeOriginal", "OffsetTimeDigitized"),
			f(meta.Identity, "/Exif IFD", "ImageUniqueID", "CameraOwnerName", "BodySerialNumber", "LensMake", "LensModel", "LensSerialNumber"),
			f(meta.Embedded, "/MakerNote", "MakerNote"),
			f(meta.Comment, "/Exif IFD", "UserComment"),
			f(meta.Other, "/Exif IFD", "DateTimeOriginal", "SubSecTime"),
			f(meta.Other, "/IFD0", "PrintIM"),
		}},
		{name: "GPS full", b: &tb.File{IFDs: []*tb.IFD{
			{Name: "IFD0", Entries: []tb.Entry{tb.Ptr(0x8825, "GPS")}},
			{Name: "GPS", Entries: []tb.Entry{
				{Tag: 0, Type: uint16(tiffifd.Byte), Count: 4, Bytes: []byte{2, 3, 0, 0}},
				tb.ASCII(1, "N"), tb.Rational(2, 48, 1, 51, 1, 2959, 100), tb.ASCII(3, "E"), tb.Rational(4, 2, 1, 21, 1, 0, 1),
				{Tag: 5, Type: uint16(tiffifd.Byte), Count: 1, Bytes: []byte{0}}, tb.Rational(6, 35, 1),
				tb.Rational(7, 12, 1, 0, 1, 0, 1), tb.ASCII(0x12, "WGS-84"),
				tb.Undefined(0x1B, []byte("ASCII\x00\x00\x00GPS")), tb.Undefined(0x1C, []byte("ASCII\x00\x00\x00"+s("place"))),
				tb.ASCII(0x1D, "2024:01:01"), tb.Rational(0x1F, 5, 1),
			}},
		}}, want: []meta.Finding{f(meta.Location, "/GPS IFD",
			"GPSVersionID", "GPSLatitudeRef", "GPSLatitude", "GPSLongitudeRef", "GPSLongitude",
			"GPSAltitudeRef", "GPSAltitude", "GPSTimeStamp", "GPSMapDatum", "GPSProcessingMethod",
			"GPSAreaInformation", "GPSDateStamp", "GPSHPositioningError")}},
		{name: "GPS empty latitude", b: &tb.File{IFDs: []*tb.IFD{
			{Name: "IFD0", Entries: []tb.Entry{tb.Ptr(0x8825, "GPS")}},
			{Name: "GPS", Entries: []tb.Entry{tb.ASCII(1, "N"), tb.Raw(2, tiffifd.Rational, 0, 0), tb.Rational(6, 35, 1), tb.Raw(0x30, tiffifd.ASCII, 0, 0)}},
		}}, want: []meta.Finding{f(meta.Location, "/GPS IFD", "GPSLatitudeRef", "GPSLatitude", "GPSAltitude", "GPSTag0x0030")}},
		{name: "GPS zero denominators", b: &tb.File{IFDs: []*tb.IFD{
			{Name: "IFD0", Entries: []tb.Entry{tb.Ptr(0x8825, "GPS")}},
			{Name: "GPS", Entries: []tb.Entry{tb.Rational(2, 0, 0, 0, 0, 0, 0), tb.Rational(4, 1, 0, 1, 0, 1, 0)}},
		}}, want: []meta.Finding{f(meta.Location, "/GPS IFD", "GPSLatitude", "GPSLongitude")}},
		{name: "GPS IFD empty", b: &tb.File{IFDs: []*tb.IFD{
			{Name: "IFD0", Entries: []tb.Entry{tb.Short(0x0112, 1), tb.Ptr(0x8825, "GPS")}}, {Name: "GPS"},
		}}, orient: 1, want: []meta.Finding{f(meta.Location, "/GPS IFD", "GPSInfo")}},
		{name: "GPS IFD empty, behind an Interop pointer", b: &tb.File{IFDs: []*tb.IFD{
			{Name: "IFD0", Entries: []tb.Entry{tb.Ptr(0x8769, "Exif")}},
			{Name: "Exif", Entries: []tb.Entry{tb.Ptr(0xA005, "Interop")}},
			{Name: "Interop", Entries: []tb.Entry{tb.Ptr(0x8825, "GPS")}}, {Name: "GPS"},
		}}, want: []meta.Finding{f(meta.Location, "/GPS IFD", "GPSInfo"), f(meta.Other, "/Interop IFD", "InteropIFD", "InteropTag0x8825")}},
		{name: "GPS pointer in Exif IFD", b: &tb.File{IFDs: []*tb.IFD{
			{Name: "IFD0", Entries: []tb.Entry{tb.Ptr(0x8769, "Exif")}},
			{Name: "Exif", Entries: []tb.Entry{tb.Ptr(0x8825, "GPS")}},
			{Name: "GPS", Entries: []tb.Entry{tb.ASCII(1, "S")}},
		}}, want: []meta.Finding{f(meta.Location, "/GPS IFD", "GPSLatitudeRef")}},
		{name: "GPS tags misplaced in IFD0", b: &tb.File{IFDs: []*tb.IFD{
			{Name: "IFD0", Entries: []tb.Entry{tb.ASCII(1, "N"), tb.Rational(2, 1, 1, 2, 1, 3, 1)}},
		}}, want: []meta.Finding{f(meta.Location, "/IFD0", "GPSLatitudeRef", "GPSLatitude")}},
		{name: "IFD1 JPEG thumbnail", b: &tb.File{IFDs: []*tb.IFD{
			{Name: "IFD0", Next: "IFD1", Entries: []tb.Entry{tb.Short(0x0112, 3)}},
			{Name: "IFD1", Entries: []tb.Entry{tb.Short(0x0103, 6), tb.Rational(0x011A, 72, 1), tb.Long(0x0201, 8), tb.Long(0x0202, 6)}},
		}}, orient: 3, want: []meta.Finding{f(meta.Embedded, "/IFD1", "Thumbnail")}},
		{name: "IFD1 strip thumbnail", b: &tb.File{IFDs: []*tb.IFD{
			{Name: "IFD0", Next: "IFD1"},
			{Name: "IFD1", Entries: []tb.Entry{tb.Long(0x0100, 2), tb.Long(0x0101, 2), tb.Long(0x0111, 8), tb.Long(0x0117, 12)}},
		}}, want: []meta.Finding{f(meta.Embedded, "/IFD1", "Thumbnail")}},
		{name: "unknown tags", b: &tb.File{IFDs: []*tb.IFD{
			{Name: "IFD0", Entries: []tb.Entry{tb.ASCII(0xC000, s("x")), tb.Ptr(0x8769, "Exif")}},
			{Name: "Exif", Entries: []tb.Entry{tb.Ptr(0xA005, "Interop"), tb.Raw(0xBEEF, tiffifd.Type(77), 3, 0)}},
			{Name: "Interop", Entries: []tb.Entry{tb.ASCII(0x0001, "R98"), tb.ASCII(0x0042, s("y"))}},
		}}, want: []meta.Finding{
			f(meta.Other, "/Exif IFD", "Tag0xBEEF"),
			f(meta.Other, "/IFD0", "Tag0xC000"),
			f(meta.Other, "/Interop IFD", "InteropTag0x0042"),
		}},
		{name: "IPTC and Photoshop in IFD0", b: &tb.File{IFDs: []*tb.IFD{
			{Name: "IFD0", Entries: []tb.Entry{tb.Undefined(0x83BB, []byte(s("iptc"))), tb.Undefined(0x8649, []byte(s("8BIM")))}},
		}}, want: []meta.Finding{f(meta.Unparsed, "/IFD0", "IPTC-NAA", "Photoshop")}},
		// Hostile blocks: Unparsed plus what was read before the failure.
		{name: "cycle IFD0→IFD1→IFD0", err: true, b: &tb.File{IFDs: []*tb.IFD{
			{Name: "IFD0", Next: "IFD1", Entries: []tb.Entry{tb.ASCII(0x010F, s("make")), tb.Short(0x0112, 6)}},
			{Name: "IFD1", Next: "IFD0", Entries: []tb.Entry{tb.Long(0x0201, 8)}},
		}}, orient: 6, want: []meta.Finding{
			f(meta.Identity, "/IFD0", "Make"),
			f(meta.Embedded, "/IFD1", "Thumbnail"),
			f(meta.Unparsed, ""),
		}},
		{name: "GPS pointer past end", err: true, b: &tb.File{IFDs: []*tb.IFD{
			{Name: "IFD0", Entries: []tb.Entry{tb.Raw(0x8825, tiffifd.Long, 1, 0xFFFF0000)}},
		}}, want: []meta.Finding{f(meta.Location, "/GPS IFD", "GPSInfo"), f(meta.Unparsed, "")}},
		{name: "GPS via Exif cycle", err: true, b: &tb.File{IFDs: []*tb.IFD{
			{Name: "IFD0", Entries: []tb.Entry{tb.Ptr(0x8769, "Exif")}},
			{Name: "Exif", Entries: []tb.Entry{tb.Ptr(0x8825, "GPS")}},
			{Name: "GPS", Entries: []tb.Entry{tb.ASCII(1, "N"), tb.Ptr(0xA005, "Exif")}},
		}}, want: []meta.Finding{
			f(meta.Location, "/GPS IFD", "GPSLatitudeRef", "GPSTag0xA005"),
			f(meta.Unparsed, ""),
		}},
		{name: "huge count", err: true, b: &tb.File{IFDs: []*tb.IFD{
			{Name: "IFD0", Entries: []tb.Entry{tb.Raw(0x9286, tiffifd.Long, 0x40000001, 8)}},
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
					c.b.LE = le
					data = c.b.Bytes()
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
					for _, d := range c.b.IFDs {
						switch d.Name {
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
	b := &tb.File{IFDs: []*tb.IFD{{Name: "IFD0", Entries: []tb.Entry{
		{Tag: 0x02BC, Type: uint16(tiffifd.Byte), Count: 20, Bytes: []byte("<x:xmpmeta>" + s("xmp"))[:20]},
	}}}}
	var set meta.Set
	if _, err := Inspect(b.Bytes(), W, &set); err != nil {
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
		e    tb.Entry
		want int
	}{
		{"short 3", tb.Short(0x0112, 3), 3},
		{"short 8", tb.Short(0x0112, 8), 8},
		{"short 0", tb.Short(0x0112, 0), 0},
		{"short 9", tb.Short(0x0112, 9), 0},
		{"long 3", tb.Long(0x0112, 3), 0},
		{"count 0", tb.Raw(0x0112, tiffifd.Short, 0, 0), 0},
		{"absent", tb.Short(0x0128, 2), 0},
	} {
		b := &tb.File{IFDs: []*tb.IFD{{Name: "IFD0", Entries: []tb.Entry{c.e}}}}
		var set meta.Set
		if o, _ := Inspect(b.Bytes(), W, &set); o != c.want {
			t.Errorf("%s: orientation %d, want %d", c.name, o, c.want)
		}
	}
	// Orientation in IFD1 (the thumbnail's) is not the image's.
	b := &tb.File{IFDs: []*tb.IFD{{Name: "IFD0", Next: "IFD1"}, {Name: "IFD1", Entries: []tb.Entry{tb.Short(0x0112, 6)}}}}
	var set meta.Set
	if o, _ := Inspect(b.Bytes(), W, &set); o != 0 {
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
	b := &tb.File{IFDs: []*tb.IFD{
		{Name: "IFD0", Entries: []tb.Entry{tb.Short(0x0112, 5), tb.Ptr(0x8825, "GPS")}},
		{Name: "GPS", Entries: []tb.Entry{tb.ASCII(1, "N")}},
	}}
	v, ok := viaGoexif(b.Bytes())
	if !ok || v.orientation != 5 || !v.gps {
		t.Errorf("goexif view %+v ok=%v", v, ok)
	}
	// goexif aborts on a zero-length tag; we still classify by structure.
	b.IFDs[1].Entries = append(b.IFDs[1].Entries, tb.Raw(2, tiffifd.Rational, 0, 0))
	v, ok = viaGoexif(b.Bytes())
	if !ok || v.gps {
		t.Logf("goexif view %+v ok=%v (expected to miss GPS)", v, ok)
	}
	var set meta.Set
	if _, err := Inspect(b.Bytes(), W, &set); err != nil || !set.Has(meta.Location) {
		t.Errorf("err %v, findings %v", err, set.List())
	}
}
