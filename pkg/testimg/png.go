package testimg

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
)

// PNGOptions selects what PNG plants around a real, decodable image.
// Every value comes from Markers (zero value: DefaultMarkers()).
type PNGOptions struct {
	// Markers supplies every value; the zero value means DefaultMarkers().
	Markers Markers
	// Width and Height of the image (default 24×16).
	Width, Height int
	// EXIF writes an eXIf chunk with identity tags and a GPS IFD.
	EXIF bool
	// EXIFPrefix writes the eXIf data behind a stray "Exif\0\0" prefix.
	EXIFPrefix bool
	// Orientation (1..8) is written into the eXIf chunk when non-zero; with
	// EXIF unset the eXIf holds Orientation only.
	Orientation int
	// XMP writes an uncompressed iTXt "XML:com.adobe.xmp" with XMPPacket.
	XMP bool
	// Text writes tEXt "Author" (Artist marker) and tEXt "Comment".
	Text bool
	// CompressedText writes zTXt "Copyright" and a compressed iTXt
	// "Description".
	CompressedText bool
	// CustomText writes a tEXt whose keyword is itself a marker (Owner).
	CustomText bool
	// RawEXIF, RawIPTC, RawXMP and Raw8BIM write ImageMagick zTXt
	// "Raw profile type exif|iptc|xmp|8bim" hex profiles (EXIF with GPS,
	// raw IIM, XMPPacket, Photoshop IRB holding IIM).
	RawEXIF, RawIPTC, RawXMP, Raw8BIM bool
	// IMGPS writes ImageMagick tEXt properties exif:GPSLatitude,
	// exif:GPSLongitude and exif:Artist.
	IMGPS bool
	// Time writes a tIME chunk.
	Time bool
	// Private writes a private ancillary chunk "prVt" holding AppText.
	Private bool
	// C2PA writes a caBX chunk holding the JUMBF marker.
	C2PA bool
	// Trailer appends the Trailer marker after IEND.
	Trailer bool
	// ICC writes an iCCP chunk whose profile name is the Owner marker.
	ICC bool
	// APNG makes a two-frame animated PNG (acTL, fcTL, fdAT).
	APNG bool
}

// AllPNG returns PNGOptions with every metadata kind switched on.
func AllPNG() PNGOptions {
	return PNGOptions{EXIF: true, XMP: true, Text: true, CompressedText: true,
		CustomText: true, RawEXIF: true, RawIPTC: true, RawXMP: true, Raw8BIM: true,
		IMGPS: true, Time: true, Private: true, C2PA: true, Trailer: true, ICC: true}
}

// PNGChunk returns one PNG chunk (length, type, data, CRC-32).
func PNGChunk(typ string, data []byte) []byte {
	return pnChunk(nil, typ, data)
}

// PNGRawProfile returns ImageMagick's hex text for a "Raw profile type"
// chunk: "\n<name>\n<length>\n<hex, 72 digits a line>\n".
func PNGRawProfile(name string, payload []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "\n%s\n%8d\n", name, len(payload))
	h := hex.EncodeToString(payload)
	for len(h) > 72 {
		b.WriteString(h[:72])
		b.WriteByte('\n')
		h = h[72:]
	}
	b.WriteString(h)
	b.WriteByte('\n')
	return b.Bytes()
}

// PNG returns a PNG image (encoded by image/png) with the chunks selected by
// o spliced in: iCCP, eXIf, text and private chunks before the first IDAT,
// tIME and some text after it, and the trailer after IEND.
func PNG(o PNGOptions) []byte {
	m := o.Markers.orDefault()
	w, h := o.Width, o.Height
	if w <= 0 || h <= 0 {
		w, h = 24, 16
	}
	base := pnEncode(w, h, 0)
	ihdr, idats, ok := pnSplit(base)
	if !ok {
		panic("testimg: image/png output not understood")
	}
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, ihdr...)
	if o.ICC {
		out = pnChunk(out, "iCCP", append(append([]byte(m.Owner), 0, 0), pnZlib(pnICCProfile())...))
	}
	if o.EXIF || o.Orientation != 0 {
		ex := EXIF(EXIFOptions{Markers: m, Orientation: o.Orientation, Identity: o.EXIF, GPS: o.EXIF})
		if o.EXIFPrefix {
			ex = append([]byte("Exif\x00\x00"), ex...)
		}
		out = pnChunk(out, "eXIf", ex)
	}
	if o.XMP {
		out = pnChunk(out, "iTXt", pnITXt("XML:com.adobe.xmp", XMPPacket(XMPOptions{Markers: m}), false))
	}
	if o.CompressedText {
		out = pnChunk(out, "zTXt", pnZTXt("Copyright", []byte(m.Copyright)))
		out = pnChunk(out, "iTXt", pnITXt("Description", []byte(m.Description), true))
	}
	if o.RawEXIF {
		ex := append([]byte("Exif\x00\x00"), EXIF(EXIFOptions{Markers: m, GPS: true})...)
		out = pnChunk(out, "zTXt", pnZTXt("Raw profile type exif", PNGRawProfile("exif", ex)))
	}
	if o.RawIPTC {
		out = pnChunk(out, "zTXt", pnZTXt("Raw profile type iptc", PNGRawProfile("iptc", IPTC(m))))
	}
	if o.RawXMP {
		out = pnChunk(out, "zTXt", pnZTXt("Raw profile type xmp", PNGRawProfile("xmp", XMPPacket(XMPOptions{Markers: m}))))
	}
	if o.Raw8BIM {
		out = pnChunk(out, "zTXt", pnZTXt("Raw profile type 8bim", PNGRawProfile("8bim", PhotoshopIRB(IPTC(m), nil))))
	}
	if o.IMGPS {
		out = pnChunk(out, "tEXt", pnTEXt("exif:GPSLatitude", pnDMS(m.Lat)))
		out = pnChunk(out, "tEXt", pnTEXt("exif:GPSLongitude", pnDMS(m.Lon)))
		out = pnChunk(out, "tEXt", pnTEXt("exif:Artist", m.Artist))
	}
	if o.Private {
		out = pnChunk(out, "prVt", []byte(m.AppText))
	}
	if o.C2PA {
		out = pnChunk(out, "caBX", append([]byte("\x00\x00\x00\x20jumbjumd"), m.JUMBF...))
	}
	if o.APNG {
		out = pnChunk(out, "acTL", []byte{0, 0, 0, 2, 0, 0, 0, 0})
		out = pnChunk(out, "fcTL", pnFCTL(0, w, h))
	}
	for _, c := range idats {
		out = append(out, c...)
	}
	if o.APNG {
		out = pnChunk(out, "fcTL", pnFCTL(1, w, h))
		_, idats2, _ := pnSplit(pnEncode(w, h, 1))
		seq := uint32(2)
		for _, c := range idats2 {
			d := binary.BigEndian.AppendUint32(nil, seq)
			out = pnChunk(out, "fdAT", append(d, c[8:len(c)-4]...))
			seq++
		}
	}
	if o.Text {
		out = pnChunk(out, "tEXt", pnTEXt("Author", m.Artist))
		out = pnChunk(out, "tEXt", pnTEXt("Comment", m.Comment))
	}
	if o.CustomText {
		out = pnChunk(out, "tEXt", pnTEXt(m.Owner, m.Comment))
	}
	if o.Time {
		out = pnChunk(out, "tIME", []byte{0x07, 0xE1, 3, 9, 14, 27, 53})
	}
	out = pnChunk(out, "IEND", nil)
	if o.Trailer {
		out = append(out, m.Trailer...)
	}
	return out
}

// pnEncode encodes a deterministic RGBA pattern with image/png.
func pnEncode(w, h, seed int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x*9 + seed*40), uint8(y * 13), uint8((x + y + seed) * 7), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// pnSplit returns the IHDR chunk and the IDAT chunks (raw) of a simple PNG.
func pnSplit(p []byte) (ihdr []byte, idats [][]byte, ok bool) {
	pos := 8
	for pos+12 <= len(p) {
		n := int(binary.BigEndian.Uint32(p[pos:]))
		if pos+12+n > len(p) {
			return nil, nil, false
		}
		c := p[pos : pos+12+n]
		switch string(c[4:8]) {
		case "IHDR":
			ihdr = c
		case "IDAT":
			idats = append(idats, c)
		}
		pos += 12 + n
	}
	return ihdr, idats, ihdr != nil && len(idats) > 0
}

// pnChunk appends a chunk with a correct CRC.
func pnChunk(dst []byte, typ string, data []byte) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(data)))
	start := len(dst)
	dst = append(dst, typ...)
	dst = append(dst, data...)
	return binary.BigEndian.AppendUint32(dst, crc32.ChecksumIEEE(dst[start:]))
}

func pnZlib(p []byte) []byte {
	var b bytes.Buffer
	zw := zlib.NewWriter(&b)
	zw.Write(p)
	zw.Close()
	return b.Bytes()
}

func pnTEXt(kw, text string) []byte {
	return append(append([]byte(kw), 0), text...)
}

func pnZTXt(kw string, text []byte) []byte {
	return append(append([]byte(kw), 0, 0), pnZlib(text)...)
}

func pnITXt(kw string, text []byte, compress bool) []byte {
	d := append([]byte(kw), 0)
	if compress {
		return append(append(d, 1, 0, 0, 0), pnZlib(text)...)
	}
	return append(append(d, 0, 0, 0, 0), text...)
}

// pnDMS renders a coordinate as ImageMagick's "d/1, m/1, s/100" property.
func pnDMS(v float64) string {
	d, mi, s := mkDMS(v)
	return fmt.Sprintf("%d/1, %d/1, %d/100", d, mi, int(s*100+0.5))
}

// pnFCTL builds an APNG frame control chunk for a full-size frame.
func pnFCTL(seq uint32, w, h int) []byte {
	d := binary.BigEndian.AppendUint32(nil, seq)
	d = binary.BigEndian.AppendUint32(d, uint32(w))
	d = binary.BigEndian.AppendUint32(d, uint32(h))
	d = append(d, 0, 0, 0, 0, 0, 0, 0, 0) // x, y offsets
	d = append(d, 0, 1, 0, 10, 0, 0)      // delay 1/10 s, dispose none, blend source
	return d
}

// pnICCProfile returns a small complete ICC v4 RGB profile with standard
// texts (a scrubber keeps it, rebuilt); PNG and GIF samples embed it.
func pnICCProfile() []byte {
	return ICCProfileRGB("sRGB IEC61966-2.1", "No copyright, use freely")
}
