package testimg

import (
	"bytes"
	"encoding/binary"
	"image/jpeg"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rwcarlsen/goexif/exif"
	"github.com/rwcarlsen/goexif/tiff"
)

func TestNeedles(t *testing.T) {
	n := DefaultMarkers().Needles()
	for _, want := range []string{
		"PSMK-ARTIST-q7Zx", "PSMK-SERIAL-9KfW", "PSMK-CITY-s3Kd",
		"51.50722", "51.5072", "51.507", "51 30 26", "51,30.43", "51,30.4332", "51/1", "51 deg 30' 25.99",
		"114.07188", "114.0719", "114.071", "114 4 19", "114,4.31", "114/1",
		"1048.25", "104825/100",
	} {
		if !slices.Contains(n, want) {
			t.Errorf("Needles() lacks %q", want)
		}
	}
	if !slices.IsSorted(n) {
		t.Error("Needles() not sorted")
	}
	if len(Markers{}.Needles()) != len(n) {
		t.Error("zero Markers should mean DefaultMarkers")
	}
}

// TestEXIFWithGoexif reads EXIF() with an independent reader (goexif) in
// both byte orders.
func TestEXIFWithGoexif(t *testing.T) {
	m := DefaultMarkers()
	for _, big := range []bool{false, true} {
		o := AllEXIF()
		o.BigEndian = big
		b := EXIF(o)
		if big != bytes.HasPrefix(b, []byte("MM\x00*")) {
			t.Fatalf("big=%v: header % x", big, b[:4])
		}
		x, err := exif.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("big=%v: goexif: %v", big, err)
		}
		lat, lon, err := x.LatLong()
		if err != nil || math.Abs(lat-m.Lat) > 1e-5 || math.Abs(lon-m.Lon) > 1e-5 {
			t.Errorf("big=%v: LatLong %v %v %v", big, lat, lon, err)
		}
		for name, want := range map[exif.FieldName]string{
			exif.Artist: m.Artist, exif.Model: m.Model, exif.ImageUniqueID: m.UniqueID,
			exif.Copyright: m.Copyright, exif.Make: m.Make, exif.Software: m.Software,
		} {
			tag, err := x.Get(name)
			if err != nil || tag.Format() != tiff.StringVal {
				t.Errorf("big=%v: %s: %v", big, name, err)
				continue
			}
			if s, _ := tag.StringVal(); s != want {
				t.Errorf("big=%v: %s = %q, want %q", big, name, s, want)
			}
		}
		th, err := x.JpegThumbnail()
		if err != nil {
			t.Fatalf("thumbnail: %v", err)
		}
		if _, err := jpeg.Decode(bytes.NewReader(th)); err != nil {
			t.Fatalf("thumbnail does not decode: %v", err)
		}
	}
}

func TestPhotoshopIRBThumbHeader(t *testing.T) {
	th := exTinyJPEG(32, 24, 1)
	irb := PhotoshopIRB(nil, th)
	if !bytes.HasPrefix(irb, []byte("8BIM\x04\x0C\x00\x00")) {
		t.Fatalf("IRB % x", irb[:8])
	}
	data := irb[12:]
	be := binary.BigEndian
	if be.Uint32(irb[8:]) != uint32(28+len(th)) || be.Uint32(data[4:]) != 32 || be.Uint32(data[8:]) != 24 || !bytes.Equal(data[28:28+len(th)], th) {
		t.Fatal("0x040C header wrong")
	}
	iim := IPTC(Markers{})
	if !bytes.Contains(iim, append([]byte{0x1C, 2, 90, 0, byte(len(DefaultMarkers().City))}, DefaultMarkers().City...)) {
		t.Fatal("IPTC 2:90 City missing")
	}
}

func TestXMPAttributeForm(t *testing.T) {
	a := string(XMPPacket(XMPOptions{Attributes: true}))
	e := string(XMPPacket(XMPOptions{}))
	if !strings.Contains(a, `exif:GPSLatitude="51,30.4332N"`) || !strings.Contains(e, `<exif:GPSLatitude>51,30.4332N</exif:GPSLatitude>`) {
		t.Fatal("XMP GPS forms wrong")
	}
	if !strings.HasPrefix(e, "<?xpacket begin=") || !strings.HasSuffix(e, `<?xpacket end="w"?>`) {
		t.Fatal("xpacket wrapper missing")
	}
}

// TestExifToolSeesEverything uses ExifTool as an oracle: every hiding place
// Everything() claims to plant must be visible to it.
func TestExifToolSeesEverything(t *testing.T) {
	et, err := exec.LookPath("exiftool")
	if err != nil {
		t.Skip("exiftool not installed")
	}
	p := filepath.Join(t.TempDir(), "every.jpg")
	if err := os.WriteFile(p, mustJPEG(t, Everything()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(et, "-a", "-G1", "-s", "-ee", "-Trailer", "-all", p).CombinedOutput()
	if err != nil {
		t.Fatalf("exiftool: %v\n%s", err, out)
	}
	m := DefaultMarkers()
	lines := strings.Split(string(out), "\n")
	has := func(group, tag, value string) bool {
		for _, l := range lines {
			if strings.HasPrefix(l, "["+group+"]") && strings.Contains(l, " "+tag+" ") && strings.Contains(l, value) {
				return true
			}
		}
		return false
	}
	for _, c := range [][3]string{
		{"GPS", "GPSLatitude", `51 deg 30' 25.99"`},
		{"GPS", "GPSLongitude", `114 deg 4' 18.77"`},
		{"XMP-exif", "GPSLatitude", `51 deg 30' 25.99" N`},
		{"XMP-iptcExt", "LocationCreatedCity", m.City},
		{"XMP-iptcExt", "PersonInImage", m.Person}, // from the extended XMP
		{"XMP-mwg-rs", "RegionName", m.Person},
		{"IPTC", "City", m.City},
		{"IFD1", "ThumbnailImage", "Binary data"},
		{"JFXX", "ThumbnailImage", "Binary data"},
		{"Photoshop", "PhotoshopThumbnail", "Binary data"},
		{"ExifIFD", "SerialNumber", m.Serial},
		{"ExifIFD", "OwnerName", m.Owner},
		{"IFD0", "Artist", m.Artist},
		{"IFD0", "Orientation", "Rotate 90 CW"},
		{"MPImage2", "PreviewImage", "Binary data"},
		{"File", "Comment", m.Comment},
		{"File", "Trailer", "Binary data"},
		{"JSON", "Creator", m.JUMBF},
		{"ICC_Profile", "ProfileDescription", "sRGB IEC61966-2.1"},
		{"Adobe", "ColorTransform", "YCbCr"},
	} {
		if !has(c[0], c[1], c[2]) {
			t.Errorf("ExifTool does not show [%s] %s containing %q", c[0], c[1], c[2])
		}
	}
	for _, w := range []string{"Skipped unknown 15 bytes"} {
		if !strings.Contains(string(out), w) {
			t.Errorf("ExifTool warning %q missing", w)
		}
	}
	if t.Failed() {
		t.Logf("exiftool output:\n%s", out)
	}
}
