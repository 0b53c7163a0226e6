package testimg

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/jpeg"
)

// JPEGOptions selects the pixels and every metadata hiding place JPEG
// plants. The zero value is a 64×48 baseline JPEG with a JFIF APP0 only.
type JPEGOptions struct {
	// Width and Height are the coded size (SOF0); 0 means 64×48.
	Width, Height int
	// Seed varies the pixel noise; the same seed gives the same bytes.
	Seed int64
	// Quality is the image/jpeg quality (0 means 85).
	Quality int
	// Markers supplies every planted value; zero means DefaultMarkers().
	Markers Markers

	// Orientation (1..8) writes an EXIF Orientation and stores the pixels
	// so that applying it displays Upright(o); 0 writes none.
	Orientation int
	// EXIF writes an Exif APP1 built from EXIFOptions (Orientation, GPS and
	// EmptyLatitudeGPS below are merged into it; its Markers default to
	// Markers above; the Orientation above always replaces its own).
	// GPS, EmptyLatitudeGPS or Orientation alone also produce an Exif APP1.
	EXIF        bool
	EXIFOptions EXIFOptions
	// GPS adds a full GPS IFD; EmptyLatitudeGPS a GPS IFD with zero-length
	// latitude and longitude.
	GPS, EmptyLatitudeGPS bool
	// XMP writes a standard XMP APP1 (XMPPacket); ExtendedXMP adds
	// multi-segment extended XMP APP1s and the HasExtendedXMP GUID.
	XMP, ExtendedXMP bool
	// XMPAttributes writes the XMP simple properties in attribute form.
	XMPAttributes bool
	// XMPBeforeExif puts the XMP APP1 before the Exif APP1.
	XMPBeforeExif bool
	// TwoExif adds a second Exif APP1 (identity and GPS) after the first.
	TwoExif bool
	// IPTC writes an APP13 "Photoshop 3.0" with IPTC-IIM; PhotoshopThumb
	// adds a 0x040C thumbnail resource to it (and implies the APP13).
	IPTC, PhotoshopThumb bool
	// JFXX adds an APP0 JFXX extension holding a JPEG thumbnail.
	JFXX bool
	// Comment adds a COM segment with the Comment marker.
	Comment bool
	// ICC adds an ICC_PROFILE APP2; ICCChunks splits it (0 or 1 = one).
	ICC       bool
	ICCChunks int
	// Adobe adds an APP14 "Adobe" segment (transform 1).
	Adobe bool
	// MPF adds an APP2 "MPF" index and a second complete JPEG after the
	// primary EOI, carrying its own Exif APP1 with GPS.
	MPF bool
	// Trailer appends an aCropalypse-like remnant (scan-like bytes, the
	// Trailer marker and an EOI) after the last image.
	Trailer bool
	// UnknownAPP adds an APP10 with the AppText marker and a JUMBF-like
	// APP11 with the JUMBF marker.
	UnknownAPP bool
	// StrayBytes puts the Stray marker text between the last APPn/COM
	// segment and DQT, outside any segment.
	StrayBytes bool
	// FPXR adds two FlashPix-ready APP2 segments.
	FPXR bool
	// RestartInterval writes a DRI segment and RST markers (one restart
	// interval per MCU row), by coding each 16-row strip separately.
	RestartInterval bool
}

func (o JPEGOptions) size() (int, int) {
	if o.Width <= 0 || o.Height <= 0 {
		return 64, 48
	}
	return o.Width, o.Height
}

// Everything returns options with every hiding place switched on, at
// 320×240 with Orientation 6 (the extended XMP makes the file about 100 KB).
func Everything() JPEGOptions {
	return JPEGOptions{
		Width: 320, Height: 240, Seed: 1, Orientation: 6,
		EXIF: true, EXIFOptions: AllEXIF(), GPS: true,
		XMP: true, ExtendedXMP: true, TwoExif: true,
		IPTC: true, PhotoshopThumb: true, JFXX: true, Comment: true,
		ICC: true, ICCChunks: 2, Adobe: true, MPF: true, Trailer: true,
		UnknownAPP: true, StrayBytes: true, FPXR: true, RestartInterval: true,
	}
}

// IDCard returns the benchmark ID-card photo: 600×800 portrait, about
// 90 KB, with EXIF (identity, maker note, GPS, thumbnail), XMP and IPTC.
func IDCard(seed int64) JPEGOptions {
	e := AllEXIF()
	e.XP = false
	return JPEGOptions{
		Width: 600, Height: 800, Seed: seed, Quality: 86, Orientation: 1,
		EXIF: true, EXIFOptions: e, GPS: true, XMP: true, IPTC: true,
	}
}

// Phone returns a 4032×3024 phone-camera photo (Orientation 6, EXIF with
// GPS and thumbnail, XMP, ICC and an MPF second image).
func Phone(seed int64) JPEGOptions {
	e := AllEXIF()
	e.XP = false
	return JPEGOptions{
		Width: 4032, Height: 3024, Seed: seed, Quality: 80, Orientation: 6,
		EXIF: true, EXIFOptions: e, GPS: true, XMP: true, ICC: true, MPF: true,
	}
}

// JPEG builds the JPEG described by o. Output is deterministic. It fails
// only for impossible options (e.g. a negative size or a segment that
// would exceed 65533 bytes).
func JPEG(o JPEGOptions) ([]byte, error) {
	if o.Width < 0 || o.Height < 0 || o.Width > 1<<14 || o.Height > 1<<14 {
		return nil, errors.New("testimg: bad JPEG size")
	}
	if o.Orientation < 0 || o.Orientation > 8 {
		return nil, errors.New("testimg: bad orientation")
	}
	m := o.Markers.orDefault()
	q := o.Quality
	if q == 0 {
		q = 85
	}
	coded, err := encodeScan(pxCoded(o), q, o.RestartInterval)
	if err != nil {
		return nil, err
	}
	head, err := o.segments(m, nil)
	if err != nil {
		return nil, err
	}
	primary := joinPrimary(head, coded)
	var tail []byte
	if o.MPF {
		second, err := mpfSecond(m, o.Seed)
		if err != nil {
			return nil, err
		}
		mpfAt := 2 + bytes.Index(head, []byte("MPF\x00MM")) + 4 // file offset of the MP header
		size := uint32(len(primary))
		head, err = o.segments(m, &[2][2]uint32{{size, uint32(len(second))}, {0, size - uint32(mpfAt)}})
		if err != nil {
			return nil, err
		}
		primary = joinPrimary(head, coded)
		tail = append(tail, second...)
	}
	if o.Trailer {
		tail = append(tail, trailerBytes(m, o.Seed)...)
	}
	return append(primary, tail...), nil
}

// joinPrimary puts SOI, the metadata segments and the coded image
// (image/jpeg's output without its SOI) together.
func joinPrimary(head, coded []byte) []byte {
	out := make([]byte, 0, 2+len(head)+len(coded))
	out = append(out, 0xFF, jmSOI)
	out = append(out, head...)
	return append(out, coded[2:]...)
}

// segments builds everything between SOI and image/jpeg's DQT. mpf holds
// {sizes, offsets} for the MPF index (nil: placeholder zeros).
func (o JPEGOptions) segments(m Markers, mpf *[2][2]uint32) ([]byte, error) {
	var b []byte
	b = append(b, jfifAPP0()...)
	if o.JFXX {
		b = append(b, jfxxAPP0(exTinyJPEG(24, 18, 5))...)
	}
	var exifSeg, xmpSeg []byte
	if o.EXIF || o.GPS || o.EmptyLatitudeGPS || o.Orientation != 0 {
		e := EXIFOptions{}
		if o.EXIF {
			e = o.EXIFOptions
		}
		if e.Markers == (Markers{}) {
			e.Markers = m
		}
		e.Orientation = o.Orientation
		e.GPS = e.GPS || o.GPS
		e.EmptyLatitudeGPS = e.EmptyLatitudeGPS || o.EmptyLatitudeGPS
		t := EXIF(e)
		if len(t)+6 > jpegMaxPayload {
			return nil, errors.New("testimg: EXIF too large for one APP1")
		}
		exifSeg = exifAPP1(t)
		if o.TwoExif {
			exifSeg = append(exifSeg, exifAPP1(EXIF(EXIFOptions{Markers: m, Identity: true, GPS: true, BigEndian: true}))...)
		}
	}
	if o.XMP || o.ExtendedXMP {
		xo := XMPOptions{Markers: m, Attributes: o.XMPAttributes, Width: o.Width, Height: o.Height}
		var ext []byte
		if o.ExtendedXMP {
			ext = xmpExtendedBody(m, 70000)
			xo.ExtendedGUID = xmpGUID(ext)
		}
		xmpSeg = xmpAPP1(XMPPacket(xo))
		if ext != nil {
			xmpSeg = append(xmpSeg, xmpExtAPP1s(ext)...)
		}
	}
	if o.XMPBeforeExif {
		b = append(append(b, xmpSeg...), exifSeg...)
	} else {
		b = append(append(b, exifSeg...), xmpSeg...)
	}
	if o.ICC {
		b = append(b, iccAPP2s(iccProfile(), o.ICCChunks)...)
	}
	if o.MPF {
		var v [2][2]uint32
		if mpf != nil {
			v = *mpf
		}
		b = append(b, mpfAPP2(v[0], v[1])...)
	}
	if o.FPXR {
		b = append(b, fpxrAPP2s(m)...)
	}
	if o.UnknownAPP {
		b = append(b, appTextAPP10(m)...)
		b = append(b, jumbfAPP11(m)...)
	}
	if o.IPTC || o.PhotoshopThumb {
		var iim, thumb []byte
		if o.IPTC {
			iim = IPTC(m)
		}
		if o.PhotoshopThumb {
			thumb = exTinyJPEG(32, 24, 7)
		}
		b = append(b, photoshopAPP13(PhotoshopIRB(iim, thumb))...)
	}
	if o.Adobe {
		b = append(b, adobeAPP14()...)
	}
	if o.Comment {
		b = append(b, comSegment(m.Comment)...)
	}
	if o.StrayBytes {
		b = append(b, m.Stray...)
	}
	return b, nil
}

// mpfSecond is the MPF secondary image: a complete 160×120 JPEG with its
// own JFIF and Exif APP1 carrying identity and GPS.
func mpfSecond(m Markers, seed int64) ([]byte, error) {
	so := JPEGOptions{Width: 160, Height: 120, Seed: seed + 101, Quality: 75}
	coded, err := encodeScan(pxCoded(so), so.Quality, false)
	if err != nil {
		return nil, err
	}
	head := append(jfifAPP0(), exifAPP1(EXIF(EXIFOptions{Markers: m, Identity: true, GPS: true}))...)
	return joinPrimary(head, coded), nil
}

// trailerBytes is an aCropalypse-like remnant: entropy-coded-looking bytes
// (no 0xFF), the Trailer marker, and an EOI.
func trailerBytes(m Markers, seed int64) []byte {
	out := make([]byte, 0, 600)
	s := uint32(seed) + 12345
	for i := 0; i < 512; i++ {
		s = s*1664525 + 1013904223
		out = append(out, byte(s>>24)&0xFE)
	}
	out = append(out, m.Trailer...)
	return append(out, 0xFF, jmEOI)
}

// encodeScan encodes img with image/jpeg. With restart, it codes each
// 16-row strip separately (the DC predictors restart at zero, exactly as
// after an RST marker), joins the entropy-coded segments with RST0..7 and
// inserts a DRI segment; the tables are identical in every strip.
func encodeScan(img *image.RGBA, quality int, restart bool) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return nil, err
	}
	full := buf.Bytes()
	h := img.Bounds().Dy()
	if !restart || h <= 16 {
		return full, nil
	}
	sos := sosPayloadEnd(full)
	if sos < 0 {
		return nil, errors.New("testimg: no SOS in encoder output")
	}
	w := img.Bounds().Dx()
	mcusPerRow := (w + 15) / 16
	var scan []byte
	for y, i := 0, 0; y < h; y, i = y+16, i+1 {
		strip := img.SubImage(image.Rect(0, y, w, min(y+16, h))).(*image.RGBA)
		var sb bytes.Buffer
		if err := jpeg.Encode(&sb, strip, &jpeg.Options{Quality: quality}); err != nil {
			return nil, err
		}
		s := sb.Bytes()
		p := sosPayloadEnd(s)
		if p < 0 {
			return nil, errors.New("testimg: no SOS in strip")
		}
		if i > 0 {
			scan = append(scan, 0xFF, byte(0xD0+(i-1)%8))
		}
		scan = append(scan, s[p:len(s)-2]...)
	}
	// Header up to SOS, DRI, SOS segment, the joined scan, EOI.
	sosStart := bytes.LastIndex(full[:sos], []byte{0xFF, jmSOS})
	out := append([]byte(nil), full[:sosStart]...)
	out = append(out, jpegSegment(jmDRI, binary.BigEndian.AppendUint16(nil, uint16(mcusPerRow)))...)
	out = append(out, full[sosStart:sos]...)
	out = append(out, scan...)
	return append(out, 0xFF, jmEOI), nil
}

// sosPayloadEnd returns the offset just after the SOS segment of an
// image/jpeg output (where entropy-coded data starts), or -1.
func sosPayloadEnd(b []byte) int {
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xFF {
			return -1
		}
		mk := b[i+1]
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if mk == jmSOS {
			return i + 2 + n
		}
		i += 2 + n
	}
	return -1
}
