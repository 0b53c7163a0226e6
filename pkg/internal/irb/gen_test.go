package irb

import (
	"encoding/binary"
	"fmt"
)

// Test generator: resource blocks and IIM datasets built byte by byte, with
// a unique marker ("PSMARKER0001", ...) in every value and resource name.

const markerPrefix = "PSMARKER"

var markerN int

func v() string {
	markerN++
	return fmt.Sprintf("%s%04d", markerPrefix, markerN)
}

// res encodes one resource block: signature, ID, Pascal name padded to
// even length, size, data padded to even length.
func res(sig string, id uint16, name string, data []byte) []byte {
	b := []byte(sig)
	b = binary.BigEndian.AppendUint16(b, id)
	b = append(b, byte(len(name)))
	b = append(b, name...)
	if (1+len(name))%2 != 0 {
		b = append(b, 0)
	}
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	b = append(b, data...)
	if len(data)%2 != 0 {
		b = append(b, 0)
	}
	return b
}

// ds encodes one IIM dataset with a standard 2-byte length.
func ds(rec, num byte, data []byte) []byte {
	b := []byte{0x1C, rec, num}
	b = binary.BigEndian.AppendUint16(b, uint16(len(data)))
	return append(b, data...)
}

// dsExt encodes one IIM dataset with an extended length of k bytes.
func dsExt(rec, num byte, data []byte, k int) []byte {
	b := []byte{0x1C, rec, num}
	b = binary.BigEndian.AppendUint16(b, 0x8000|uint16(k))
	l := make([]byte, 8)
	binary.BigEndian.PutUint64(l, uint64(len(data)))
	b = append(b, l[8-k:]...)
	return append(b, data...)
}

func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// sampleIIM is a typical IPTC record: envelope charset, version, place,
// creator, caption, keywords, date.
func sampleIIM() []byte {
	return cat(
		ds(1, 90, []byte("\x1b%G")),
		ds(2, 0, []byte{0, 4}),
		ds(2, 90, []byte(v())), ds(2, 95, []byte(v())), ds(2, 101, []byte(v())),
		ds(2, 80, []byte(v())), ds(2, 116, []byte(v())),
		ds(2, 120, []byte(v())), ds(2, 25, []byte(v())), ds(2, 25, []byte(v())),
		ds(2, 55, []byte("20240101")),
	)
}

// sampleXMP is an XMP packet with a GPS property and a creator.
func sampleXMP() []byte {
	return []byte(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
		`<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" exif:GPSLatitude="` + v() +
		`"><dc:creator><rdf:Seq><rdf:li>` + v() + `</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>`)
}

// sampleEXIF is a big-endian TIFF structure whose IFD0 holds only a GPS
// IFD pointer, and a GPS IFD with GPSLatitudeRef "N".
func sampleEXIF() []byte {
	b := []byte{'M', 'M', 0, 42, 0, 0, 0, 8}
	b = append(b, 0, 1, 0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0) // IFD0 at 8
	b = append(b, 0, 1, 0, 1, 0, 2, 0, 0, 0, 2, 'N', 0, 0, 0, 0, 0, 0, 0)      // GPS IFD at 26
	return b
}

// sampleIRB is a typical APP13 payload (after "Photoshop 3.0\0").
func sampleIRB() []byte {
	return cat(
		res("8BIM", 0x0404, "", sampleIIM()),
		res("8BIM", 0x03ED, v(), make([]byte, 16)),
		res("8BIM", 0x040C, v()+"x", append([]byte(v()), 0xFF, 0xD8, 0xFF, 0xD9)),
		res("8BIM", 0x0424, "", sampleXMP()),
		res("8BIM", 0x040B, "", []byte("http://"+v())),
		res("8BIM", 0x0425, "", make([]byte, 16)),
		res("PHUT", 0x7777, v(), []byte(v()+"!")),
	)
}
