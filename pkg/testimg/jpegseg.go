package testimg

import (
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"strings"
)

// JPEG marker codes (ITU-T T.81 table B.1).
const (
	jmSOI   = 0xD8
	jmEOI   = 0xD9
	jmSOS   = 0xDA
	jmDQT   = 0xDB
	jmDRI   = 0xDD
	jmSOF0  = 0xC0
	jmAPP0  = 0xE0
	jmAPP1  = 0xE1
	jmAPP2  = 0xE2
	jmAPP10 = 0xEA
	jmAPP11 = 0xEB
	jmAPP13 = 0xED
	jmAPP14 = 0xEE
	jmCOM   = 0xFE
)

// jpegMaxPayload is the largest segment payload (length field 0xFFFF
// counts itself).
const jpegMaxPayload = 0xFFFF - 2

// jpegSegment returns marker + length + payload. It panics if payload is
// too long, which is a bug in the caller.
func jpegSegment(marker byte, payload []byte) []byte {
	if len(payload) > jpegMaxPayload {
		panic("testimg: JPEG segment payload too long")
	}
	b := make([]byte, 0, 4+len(payload))
	b = append(b, 0xFF, marker)
	b = binary.BigEndian.AppendUint16(b, uint16(len(payload)+2))
	return append(b, payload...)
}

// jfifAPP0 is a JFIF 1.02 APP0 with 72 dpi density and no thumbnail.
func jfifAPP0() []byte {
	return jpegSegment(jmAPP0, []byte{'J', 'F', 'I', 'F', 0, 1, 2, 1, 0, 72, 0, 72, 0, 0})
}

// jfxxAPP0 is a JFXX extension APP0 carrying a JPEG-coded thumbnail
// (extension code 0x10).
func jfxxAPP0(thumb []byte) []byte {
	return jpegSegment(jmAPP0, append([]byte("JFXX\x00\x10"), thumb...))
}

// exifAPP1 wraps a TIFF-structured EXIF block.
func exifAPP1(tiff []byte) []byte {
	return jpegSegment(jmAPP1, append([]byte("Exif\x00\x00"), tiff...))
}

const (
	xmpStdNS = "http://ns.adobe.com/xap/1.0/\x00"
	xmpExtNS = "http://ns.adobe.com/xmp/extension/\x00"
)

// xmpAPP1 wraps a standard XMP packet.
func xmpAPP1(packet []byte) []byte {
	return jpegSegment(jmAPP1, append([]byte(xmpStdNS), packet...))
}

// xmpGUID is the extended-XMP GUID: the MD5 of the extended
// serialization as 32 upper-case hex digits (XMP Part 3 §1.1.3.1).
func xmpGUID(ext []byte) string {
	s := md5.Sum(ext)
	return strings.ToUpper(hex.EncodeToString(s[:]))
}

// xmpExtAPP1s splits ext into extended-XMP APP1 segments: namespace,
// GUID, full length and offset (both big-endian uint32), then a chunk.
func xmpExtAPP1s(ext []byte) []byte {
	guid := xmpGUID(ext)
	hdr := len(xmpExtNS) + 32 + 8
	chunk := jpegMaxPayload - hdr
	var out []byte
	for off := 0; off < len(ext); off += chunk {
		end := min(off+chunk, len(ext))
		p := make([]byte, 0, hdr+end-off)
		p = append(p, xmpExtNS...)
		p = append(p, guid...)
		p = binary.BigEndian.AppendUint32(p, uint32(len(ext)))
		p = binary.BigEndian.AppendUint32(p, uint32(off))
		p = append(p, ext[off:end]...)
		out = append(out, jpegSegment(jmAPP1, p)...)
	}
	return out
}

// iccAPP2s splits profile into ICC_PROFILE APP2 chunks (ICC.1 B.4).
func iccAPP2s(profile []byte, chunks int) []byte {
	chunks = max(1, chunks)
	per := (len(profile) + chunks - 1) / chunks
	var out []byte
	for i := 0; i < chunks; i++ {
		lo, hi := min(i*per, len(profile)), min((i+1)*per, len(profile))
		p := append([]byte("ICC_PROFILE\x00"), byte(i+1), byte(chunks))
		out = append(out, jpegSegment(jmAPP2, append(p, profile[lo:hi]...))...)
	}
	return out
}

// iccProfile returns a small, structurally valid ICC v2 RGB display
// profile (header, tag table, desc/cprt/wtpt/rXYZ/gXYZ/bXYZ/rTRC/gTRC/bTRC).
// It contains no marker strings: a scrubber may keep it.
func iccProfile() []byte {
	be := binary.BigEndian
	xyz := func(x, y, z float64) []byte {
		b := []byte("XYZ \x00\x00\x00\x00")
		for _, v := range []float64{x, y, z} {
			b = be.AppendUint32(b, uint32(int32(v*65536+0.5)))
		}
		return b
	}
	desc := func(s string) []byte {
		b := []byte("desc\x00\x00\x00\x00")
		b = be.AppendUint32(b, uint32(len(s)+1))
		b = append(b, s...)
		b = append(b, 0)
		return append(b, make([]byte, 4+4+2+1+67)...) // empty Unicode and ScriptCode parts
	}
	curv := []byte("curv\x00\x00\x00\x00\x00\x00\x00\x01\x02\x33") // gamma 2.2 (u8Fixed8)
	tags := []struct {
		sig  string
		data []byte
	}{
		{"desc", desc("sRGB IEC61966-2.1")},
		{"cprt", append([]byte("text\x00\x00\x00\x00"), "No copyright, use freely\x00"...)},
		{"wtpt", xyz(0.9642, 1.0, 0.8249)},
		{"rXYZ", xyz(0.4361, 0.2225, 0.0139)},
		{"gXYZ", xyz(0.3851, 0.7169, 0.0971)},
		{"bXYZ", xyz(0.1431, 0.0606, 0.7141)},
		{"rTRC", curv}, {"gTRC", curv}, {"bTRC", curv},
	}
	tableEnd := 128 + 4 + 12*len(tags)
	var body []byte
	var table []byte
	table = be.AppendUint32(table, uint32(len(tags)))
	for _, t := range tags {
		for len(body)%4 != 0 {
			body = append(body, 0)
		}
		table = append(table, t.sig...)
		table = be.AppendUint32(table, uint32(tableEnd+len(body)))
		table = be.AppendUint32(table, uint32(len(t.data)))
		body = append(body, t.data...)
	}
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	size := tableEnd + len(body)
	h := make([]byte, 128)
	be.PutUint32(h[0:], uint32(size))
	be.PutUint32(h[8:], 0x02100000) // version 2.1
	copy(h[12:], "mntrRGB XYZ ")
	be.PutUint16(h[24:], 2017) // creation date: 2017-01-01 00:00:00
	be.PutUint16(h[26:], 1)
	be.PutUint16(h[28:], 1)
	copy(h[36:], "acsp")
	be.PutUint32(h[64:], 0) // perceptual
	copy(h[68:], xyz(0.9642, 1.0, 0.8249)[8:])
	out := append(h, table...)
	return append(out, body...)
}

// adobeAPP14 is the Adobe DCT marker: version 100, no flags, transform 1
// (YCbCr), matching image/jpeg's 3-component output.
func adobeAPP14() []byte {
	return jpegSegment(jmAPP14, []byte{'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 1})
}

// fpxrAPP2s returns two FlashPix-ready APP2 segments: a contents list with
// one stream entry and that stream's data carrying the FPXR marker.
func fpxrAPP2s(m Markers) []byte {
	data := []byte(m.FPXR)
	cl := []byte("FPXR\x00\x00\x01\x00\x01") // version 0, type 1 (contents list), 1 entry
	cl = binary.BigEndian.AppendUint32(cl, uint32(len(data)))
	cl = append(cl, 0xFF)
	cl = append(cl, exUTF16LE("/Data Object Store 000001/Audio Info")...)
	sd := []byte("FPXR\x00\x00\x02\x00\x00") // type 2 (stream data), index 0
	sd = binary.BigEndian.AppendUint32(sd, 0)
	sd = append(sd, data...)
	return append(jpegSegment(jmAPP2, cl), jpegSegment(jmAPP2, sd)...)
}

// appTextAPP10 is an unknown vendor APP10 carrying marker text.
func appTextAPP10(m Markers) []byte {
	return jpegSegment(jmAPP10, append([]byte("PSMKAPP\x00"), m.AppText...))
}

// jumbfAPP11 is a JUMBF-like APP11 ("JP", instance 1, sequence 1, then a
// jumb superbox with a c2pa description box and a json content box).
func jumbfAPP11(m Markers) []byte {
	be := binary.BigEndian
	label := "c2pa\x00"
	jumd := be.AppendUint32(nil, uint32(8+16+1+len(label)))
	jumd = append(jumd, "jumd"...)
	jumd = append(jumd, 0x63, 0x32, 0x70, 0x61, 0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71)
	jumd = append(jumd, 0x03)
	jumd = append(jumd, label...)
	js := `{"creator":"` + m.JUMBF + `"}`
	jsn := be.AppendUint32(nil, uint32(8+len(js)))
	jsn = append(jsn, "json"...)
	jsn = append(jsn, js...)
	jumb := be.AppendUint32(nil, uint32(8+len(jumd)+len(jsn)))
	jumb = append(jumb, "jumb"...)
	jumb = append(append(jumb, jumd...), jsn...)
	p := []byte{'J', 'P', 0, 1, 0, 0, 0, 1}
	return jpegSegment(jmAPP11, append(p, jumb...))
}

// photoshopAPP13 wraps IRB data in an APP13 "Photoshop 3.0" segment.
func photoshopAPP13(irb []byte) []byte {
	return jpegSegment(jmAPP13, append([]byte("Photoshop 3.0\x00"), irb...))
}

// comSegment is a COM segment.
func comSegment(text string) []byte {
	return jpegSegment(jmCOM, []byte(text))
}

// mpfAPP2 builds the MPF APP2 (CIPA DC-007): "MPF\0", a big-endian TIFF
// header and an MP Index IFD with MPFVersion, NumberOfImages and two MP
// entries. sizes[i] and offs[i] are image sizes and offsets relative to
// the TIFF header (0 for the primary). The length does not depend on the
// values, so callers build it twice to patch offsets.
func mpfAPP2(sizes, offs [2]uint32) []byte {
	be := binary.BigEndian
	p := []byte("MPF\x00MM\x00\x2A\x00\x00\x00\x08")
	const nEntries = 3
	entryOff := uint32(8 + 2 + 12*nEntries + 4)
	p = be.AppendUint16(p, nEntries)
	p = append(p, 0xB0, 0x00, 0, 7, 0, 0, 0, 4, '0', '1', '0', '0') // MPFVersion
	p = append(p, 0xB0, 0x01, 0, 4, 0, 0, 0, 1, 0, 0, 0, 2)         // NumberOfImages
	p = append(p, 0xB0, 0x02, 0, 7, 0, 0, 0, 32)                    // MPEntry
	p = be.AppendUint32(p, entryOff)
	p = be.AppendUint32(p, 0)                  // no next IFD
	attrs := [2]uint32{0x20030000, 0x00010001} // representative baseline primary; large thumbnail
	for i := 0; i < 2; i++ {
		p = be.AppendUint32(p, attrs[i])
		p = be.AppendUint32(p, sizes[i])
		p = be.AppendUint32(p, offs[i])
		p = be.AppendUint32(p, 0) // dependent images
	}
	return jpegSegment(jmAPP2, p)
}
