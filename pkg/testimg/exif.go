package testimg

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"strings"
	"unicode/utf16"
)

// EXIFOptions selects what EXIF builds. The zero value gives an EXIF block
// with an empty IFD0 (plus Orientation when set).
type EXIFOptions struct {
	// Markers supplies every value; the zero value means DefaultMarkers().
	Markers Markers
	// BigEndian writes "MM\x00*" instead of "II*\x00".
	BigEndian bool
	// Orientation writes IFD0 Orientation (1..8) when non-zero.
	Orientation int
	// Identity writes the IFD0 text tags (ImageDescription, Make, Model,
	// Software, DateTime, Artist, HostComputer, Copyright) and the Exif IFD
	// (DateTimeOriginal, OffsetTime*, UserComment, CameraOwnerName,
	// BodySerialNumber, LensSerialNumber, ImageUniqueID).
	Identity bool
	// XP writes the Windows XPAuthor and XPComment tags (UTF-16LE BYTEs).
	XP bool
	// MakerNote writes an Exif IFD MakerNote blob holding the MakerNote and
	// Serial markers.
	MakerNote bool
	// Interop writes an Interoperability IFD under the Exif IFD.
	Interop bool
	// GPS writes a full GPS IFD (version, lat/lon/alt with refs, time and
	// date stamps, image direction, processing method, area information).
	GPS bool
	// EmptyLatitudeGPS writes a GPS IFD whose GPSLatitude and GPSLongitude
	// have zero-length values while refs, altitude, time and date are real
	// (as some cameras do). Ignored when GPS is set.
	EmptyLatitudeGPS bool
	// Thumbnail writes IFD1 with a small real JPEG thumbnail
	// (JPEGInterchangeFormat / JPEGInterchangeFormatLength).
	Thumbnail bool
}

// AllEXIF returns EXIFOptions with every group switched on (Identity, XP,
// MakerNote, Interop, GPS, Thumbnail) and Orientation 1.
func AllEXIF() EXIFOptions {
	return EXIFOptions{Orientation: 1, Identity: true, XP: true, MakerNote: true,
		Interop: true, GPS: true, Thumbnail: true}
}

// EXIF tag numbers used by the builders (Exif 3.0 / TIFF 6.0).
const (
	exTagImageDescription = 0x010E
	exTagMake             = 0x010F
	exTagModel            = 0x0110
	exTagOrientation      = 0x0112
	exTagXResolution      = 0x011A
	exTagYResolution      = 0x011B
	exTagResolutionUnit   = 0x0128
	exTagSoftware         = 0x0131
	exTagDateTime         = 0x0132
	exTagArtist           = 0x013B
	exTagHostComputer     = 0x013C
	exTagCompression      = 0x0103
	exTagJPEGIF           = 0x0201
	exTagJPEGIFLength     = 0x0202
	exTagCopyright        = 0x8298
	exTagExifIFD          = 0x8769
	exTagGPSIFD           = 0x8825
	exTagXPComment        = 0x9C9C
	exTagXPAuthor         = 0x9C9D
	exTagExifVersion      = 0x9000
	exTagDTOriginal       = 0x9003
	exTagDTDigitized      = 0x9004
	exTagOffsetTime       = 0x9010
	exTagOffsetTimeOrig   = 0x9011
	exTagOffsetTimeDig    = 0x9012
	exTagMakerNote        = 0x927C
	exTagUserComment      = 0x9286
	exTagInteropIFD       = 0xA005
	exTagImageUniqueID    = 0xA420
	exTagCameraOwnerName  = 0xA430
	exTagBodySerialNumber = 0xA431
	exTagLensSerialNumber = 0xA435
)

// EXIF returns a TIFF-structured EXIF block (starting "II*\x00" or
// "MM\x00*", without the "Exif\x00\x00" prefix) as selected by o.
// Output is deterministic.
func EXIF(o EXIFOptions) []byte {
	return exifBuilder(o).build()
}

// exifBuilder lays out IFD0, Exif IFD, Interop IFD, GPS IFD, IFD1 and the
// thumbnail in that order; hostile builders patch the result.
func exifBuilder(o EXIFOptions) *tbBuilder {
	m := o.Markers.orDefault()
	b := newTB(o.BigEndian)
	ifd0 := b.ifd()
	if o.Orientation != 0 {
		b.short(ifd0, exTagOrientation, uint16(o.Orientation))
	}
	if o.Identity {
		b.ascii(ifd0, exTagImageDescription, m.Description)
		b.ascii(ifd0, exTagMake, m.Make)
		b.ascii(ifd0, exTagModel, m.Model)
		b.rational(ifd0, exTagXResolution, 72, 1)
		b.rational(ifd0, exTagYResolution, 72, 1)
		b.short(ifd0, exTagResolutionUnit, 2)
		b.ascii(ifd0, exTagSoftware, m.Software)
		b.ascii(ifd0, exTagDateTime, m.DateTime)
		b.ascii(ifd0, exTagArtist, m.Artist)
		b.ascii(ifd0, exTagHostComputer, m.HostComputer)
		b.ascii(ifd0, exTagCopyright, m.Copyright)
	}
	if o.XP {
		b.bytes(ifd0, exTagXPAuthor, exUTF16LE(m.XPAuthor))
		b.bytes(ifd0, exTagXPComment, exUTF16LE(m.XPComment))
	}
	if o.Identity || o.MakerNote || o.Interop {
		ex := b.ifd()
		b.pointer(ifd0, exTagExifIFD, ex)
		b.undef(ex, exTagExifVersion, []byte("0232"))
		if o.Identity {
			b.ascii(ex, exTagDTOriginal, m.DateTime)
			b.ascii(ex, exTagDTDigitized, m.DateTime)
			b.ascii(ex, exTagOffsetTime, m.Offset)
			b.ascii(ex, exTagOffsetTimeOrig, m.Offset)
			b.ascii(ex, exTagOffsetTimeDig, m.Offset)
			b.undef(ex, exTagUserComment, append([]byte("ASCII\x00\x00\x00"), m.UserComment...))
			b.ascii(ex, exTagImageUniqueID, m.UniqueID)
			b.ascii(ex, exTagCameraOwnerName, m.Owner)
			b.ascii(ex, exTagBodySerialNumber, m.Serial)
			b.ascii(ex, exTagLensSerialNumber, m.LensSerial)
		}
		if o.MakerNote {
			b.undef(ex, exTagMakerNote, exMakerNote(m))
		}
		if o.Interop {
			in := b.ifd()
			b.pointer(ex, exTagInteropIFD, in)
			b.ascii(in, 0x0001, "R98")
			b.undef(in, 0x0002, []byte("0100"))
		}
	}
	if o.GPS || o.EmptyLatitudeGPS {
		g := b.ifd()
		b.pointer(ifd0, exTagGPSIFD, g)
		exAddGPS(b, g, m, !o.GPS)
	}
	if o.Thumbnail {
		t := exifThumb()
		i1 := b.ifd()
		b.blocks[ifd0].next = i1
		blob := b.blob(t)
		b.short(i1, exTagCompression, 6)
		b.rational(i1, exTagXResolution, 72, 1)
		b.rational(i1, exTagYResolution, 72, 1)
		b.short(i1, exTagResolutionUnit, 2)
		b.pointer(i1, exTagJPEGIF, blob)
		b.long(i1, exTagJPEGIFLength, uint32(len(t)))
	}
	return b
}

// exAddGPS fills GPS IFD g. With empty, latitude and longitude are
// zero-length RATIONAL entries.
func exAddGPS(b *tbBuilder, g int, m Markers, empty bool) {
	b.bytes(g, 0x0000, []byte{2, 3, 0, 0})
	latRef, lonRef := "N", "E"
	if m.Lat < 0 {
		latRef = "S"
	}
	if m.Lon < 0 {
		lonRef = "W"
	}
	b.ascii(g, 0x0001, latRef)
	b.ascii(g, 0x0003, lonRef)
	if empty {
		b.add(g, tbEntry{tag: 0x0002, typ: tbRational, ref: -1})
		b.add(g, tbEntry{tag: 0x0004, typ: tbRational, ref: -1})
	} else {
		b.rational(g, 0x0002, exGPSRationals(m.Lat)...)
		b.rational(g, 0x0004, exGPSRationals(m.Lon)...)
	}
	var altRef byte
	if m.Alt < 0 {
		altRef = 1
	}
	b.bytes(g, 0x0005, []byte{altRef})
	b.rational(g, 0x0006, uint32(math.Round(math.Abs(m.Alt)*100)), 100)
	h, mi, s := exifClock(m.DateTime)
	b.rational(g, 0x0007, h, 1, mi, 1, s, 1)
	if !empty {
		b.ascii(g, 0x0010, "T")
		b.rational(g, 0x0011, 12345, 100)
		b.undef(g, 0x001B, append([]byte("ASCII\x00\x00\x00"), m.GPSProcessing...))
		b.undef(g, 0x001C, append([]byte("ASCII\x00\x00\x00"), m.GPSArea...))
	}
	date := m.DateTime
	if len(date) >= 10 {
		date = date[:10]
	}
	b.ascii(g, 0x001D, date)
}

// exGPSRationals encodes |v| as degrees/1, minutes/1, seconds*1000/1000.
func exGPSRationals(v float64) []uint32 {
	d, mi, s := mkDMS(v)
	return []uint32{uint32(d), 1, uint32(mi), 1, uint32(math.Round(s * 1000)), 1000}
}

// exifClock parses the "hh:mm:ss" part of an EXIF date-time.
func exifClock(dt string) (h, m, s uint32) {
	if i := strings.IndexByte(dt, ' '); i >= 0 {
		dt = dt[i+1:]
	}
	var v [3]uint32
	k := 0
	for _, c := range dt {
		switch {
		case c >= '0' && c <= '9' && k < 3:
			v[k] = v[k]*10 + uint32(c-'0')
		case c == ':':
			k++
		}
	}
	return v[0], v[1], v[2]
}

// exMakerNote is an opaque vendor-style maker note holding markers.
func exMakerNote(m Markers) []byte {
	var b bytes.Buffer
	b.WriteString("PSMKNOTE\x00\x01")
	b.WriteString(m.MakerNote)
	b.WriteByte(0)
	b.WriteString(m.Serial)
	b.WriteByte(0)
	for i := 0; i < 32; i++ {
		b.WriteByte(byte(i * 7))
	}
	return b.Bytes()
}

func exUTF16LE(s string) []byte {
	u := utf16.Encode([]rune(s))
	out := make([]byte, 0, 2*len(u)+2)
	for _, c := range u {
		out = append(out, byte(c), byte(c>>8))
	}
	return append(out, 0, 0)
}

// exifThumb returns a deterministic 40×30 baseline JPEG used as the EXIF
// IFD1 thumbnail and other embedded previews. It carries no metadata.
func exifThumb() []byte {
	return exTinyJPEG(40, 30, 3)
}

// exTinyJPEG encodes a small deterministic gradient (seed shifts the hues).
func exTinyJPEG(w, h int, seed int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetRGBA(x, y, color.RGBA{uint8(x*255/w + seed*40), uint8(y*255/h + seed*20), uint8(128 + seed*30), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 70}); err != nil {
		panic("testimg: thumbnail encode: " + err.Error()) // cannot happen for an in-memory RGBA
	}
	return buf.Bytes()
}
