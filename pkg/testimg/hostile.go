package testimg

import (
	"bytes"
	"encoding/binary"
	"sort"
)

// HostileJPEGs returns named malformed or adversarial JPEGs for parser
// tests and fuzz seeds. Every case that has an Exif APP1 also carries a
// GPS IFD or other metadata, so "reported as clean" is detectable:
//
//   - exif-ifd-self-cycle: IFD0's next-IFD offset points at IFD0.
//   - exif-ifd-2way-cycle: IFD0 → IFD1 → IFD0.
//   - exif-ifd-nway-cycle: IFD0 →ExifIFD→ Exif IFD →InteropIFD→ Interop
//     IFD →GPSInfo→ GPS IFD →ExifIFD→ Exif IFD, and Interop's next → IFD0.
//   - exif-count-overflow-long: a LONG with Count 0x40000001 (×4 wraps).
//   - exif-count-overflow-rational: GPSLatitude RATIONAL, Count 0x20000001.
//   - exif-offset-past-end: Artist ASCII whose offset is 0x7FFFFFF0.
//   - gps-zero-denominator: GPSLatitude/Longitude 51/0 30/0 26/0.
//   - jpeg-65535x65535: SOF0 claims 65535×65535 in a tiny file.
//   - truncated-mid-segment: cut in the middle of the Exif APP1.
//   - truncated-in-scan: cut in the middle of the entropy-coded data.
//   - no-eoi: a complete image whose final EOI is missing.
//   - length-lt-2: an APP1 whose length field is 1.
//   - app-chain-10mb: 160 maximum-size APP9 segments (≈10 MB) before a
//     valid image.
//   - zero-bytes: an empty file.
//   - ff-fill-runs: a valid JPEG with runs of 0xFF fill bytes before every
//     marker after SOI (T.81 B.1.1.2).
func HostileJPEGs() map[string][]byte {
	m := DefaultMarkers()
	out := map[string][]byte{}

	// IFD0 with Artist and a GPS IFD, used by the cycle cases.
	base := func() (*tbBuilder, int) {
		b := newTB(false)
		i0 := b.ifd()
		b.ascii(i0, exTagArtist, m.Artist)
		g := b.ifd()
		b.pointer(i0, exTagGPSIFD, g)
		exAddGPS(b, g, m, false)
		return b, i0
	}
	{
		b, i0 := base()
		b.blocks[i0].next = i0
		out["exif-ifd-self-cycle"] = hostileWithExif(b.build())
	}
	{
		b, i0 := base()
		i1 := b.ifd()
		b.short(i1, exTagCompression, 6)
		b.blocks[i0].next = i1
		b.blocks[i1].next = i0
		out["exif-ifd-2way-cycle"] = hostileWithExif(b.build())
	}
	{
		b := newTB(false)
		i0 := b.ifd()
		b.ascii(i0, exTagArtist, m.Artist)
		ex, in, g := b.ifd(), b.ifd(), b.ifd()
		b.pointer(i0, exTagExifIFD, ex)
		b.ascii(ex, exTagBodySerialNumber, m.Serial)
		b.pointer(ex, exTagInteropIFD, in)
		b.ascii(in, 0x0001, "R98")
		b.pointer(in, exTagGPSIFD, g)
		exAddGPS(b, g, m, false)
		b.pointer(g, exTagExifIFD, ex)
		b.blocks[in].next = i0
		out["exif-ifd-nway-cycle"] = hostileWithExif(b.build())
	}
	{
		b, i0 := base()
		off := uint32(8)
		b.add(i0, tbEntry{tag: 0x0100, typ: tbLong, rawCount: 0x40000001, ref: -1, rawOff: &off})
		out["exif-count-overflow-long"] = hostileWithExif(b.build())
	}
	{
		b := newTB(false)
		i0 := b.ifd()
		g := b.ifd()
		b.pointer(i0, exTagGPSIFD, g)
		b.ascii(g, 0x0001, "N")
		off := uint32(8)
		b.add(g, tbEntry{tag: 0x0002, typ: tbRational, rawCount: 0x20000001, ref: -1, rawOff: &off})
		out["exif-count-overflow-rational"] = hostileWithExif(b.build())
	}
	{
		b, i0 := base()
		off := uint32(0x7FFFFFF0)
		b.add(i0, tbEntry{tag: exTagCopyright, typ: tbASCII, rawCount: 20, ref: -1, rawOff: &off})
		out["exif-offset-past-end"] = hostileWithExif(b.build())
	}
	{
		b := newTB(false)
		i0 := b.ifd()
		g := b.ifd()
		b.pointer(i0, exTagGPSIFD, g)
		b.ascii(g, 0x0001, "N")
		b.rational(g, 0x0002, 51, 0, 30, 0, 26, 0)
		b.ascii(g, 0x0003, "W")
		b.rational(g, 0x0004, 114, 0, 4, 0, 19, 0)
		out["gps-zero-denominator"] = hostileWithExif(b.build())
	}

	good, _ := JPEG(JPEGOptions{Width: 32, Height: 32, Seed: 9, GPS: true, EXIF: true,
		EXIFOptions: EXIFOptions{Identity: true}})
	spans := jpegWalk(good)
	{
		huge := bytes.Clone(good)
		for _, s := range spans {
			if s.Marker == jmSOF0 {
				binary.BigEndian.PutUint16(huge[s.Off+5:], 65535)
				binary.BigEndian.PutUint16(huge[s.Off+7:], 65535)
			}
		}
		out["jpeg-65535x65535"] = huge
	}
	for _, s := range spans {
		switch s.Marker {
		case jmAPP1:
			out["truncated-mid-segment"] = bytes.Clone(good[:(s.Off+s.End)/2])
		case 0: // entropy-coded data
			out["truncated-in-scan"] = bytes.Clone(good[:(s.Off+s.End)/2])
		}
	}
	out["no-eoi"] = bytes.Clone(good[:len(good)-2])
	{
		b := []byte{0xFF, jmSOI, 0xFF, jmAPP1, 0x00, 0x01}
		b = append(b, "Exif\x00\x00"...)
		out["length-lt-2"] = append(b, good[2:]...)
	}
	{
		fill := make([]byte, jpegMaxPayload)
		for i := range fill {
			fill[i] = byte(i % 251)
		}
		seg := jpegSegment(0xE9, fill)
		b := make([]byte, 0, 2+160*len(seg)+len(good))
		b = append(b, 0xFF, jmSOI)
		for i := 0; i < 160; i++ {
			b = append(b, seg...)
		}
		out["app-chain-10mb"] = append(b, good[2:]...)
	}
	out["zero-bytes"] = []byte{}
	{
		var b []byte
		prev := 0
		for _, s := range spans {
			if s.Marker == 0 || s.Off == 0 {
				continue
			}
			b = append(b, good[prev:s.Off]...)
			b = append(b, 0xFF, 0xFF, 0xFF)
			prev = s.Off
		}
		out["ff-fill-runs"] = append(b, good[prev:]...)
	}
	return out
}

// hostileWithExif is a small valid JPEG whose only APP1 is tiff.
func hostileWithExif(tiff []byte) []byte {
	coded, _ := encodeScan(pxPattern(16, 16, 4), 75, false)
	return joinPrimary(append(jfifAPP0(), exifAPP1(tiff)...), coded)
}

// TruncationsOf returns b cut at every segment boundary found by a
// marker walk (start of each segment, start and end of entropy-coded
// data, EOI, and the end of the first image when data follows it), from
// shortest to longest, excluding the empty and the full file. Each result
// is a separate copy.
func TruncationsOf(b []byte) [][]byte {
	cuts := map[int]bool{}
	for _, s := range jpegWalk(b) {
		cuts[s.Off] = true
		cuts[s.End] = true
	}
	var offs []int
	for c := range cuts {
		if c > 0 && c < len(b) {
			offs = append(offs, c)
		}
	}
	sort.Ints(offs)
	out := make([][]byte, 0, len(offs))
	for _, c := range offs {
		out = append(out, bytes.Clone(b[:c]))
	}
	return out
}

// jpegSpan is one part of a JPEG found by jpegWalk: a marker segment
// (Marker is its code; SOI/EOI/RSTn have no length), entropy-coded data
// (Marker 0), bytes outside any segment (Marker 1) or data after EOI
// (Marker 2). End is exclusive.
type jpegSpan struct {
	Marker   byte
	Off, End int
}

// jpegWalk lists the parts of the first image in b, then any data after
// its EOI as one span. It stops at the first malformation. Test support:
// bounded and linear, but not a validating parser.
func jpegWalk(b []byte) []jpegSpan {
	var out []jpegSpan
	if len(b) < 2 || b[0] != 0xFF || b[1] != jmSOI {
		return nil
	}
	out = append(out, jpegSpan{jmSOI, 0, 2})
	i := 2
	for i < len(b) {
		if b[i] != 0xFF {
			j := bytes.IndexByte(b[i:], 0xFF)
			if j < 0 {
				j = len(b) - i
			}
			out = append(out, jpegSpan{1, i, i + j})
			i += j
			continue
		}
		start := i
		for i < len(b) && b[i] == 0xFF {
			i++
		}
		if i >= len(b) {
			return out
		}
		mk := b[i]
		i++
		switch {
		case mk == jmEOI:
			out = append(out, jpegSpan{mk, start, i})
			if i < len(b) {
				out = append(out, jpegSpan{2, i, len(b)})
			}
			return out
		case mk >= 0xD0 && mk <= 0xD7, mk == 0x01:
			out = append(out, jpegSpan{mk, start, i})
			continue
		}
		if i+2 > len(b) {
			return out
		}
		n := int(binary.BigEndian.Uint16(b[i:]))
		if n < 2 || i+n > len(b) {
			out = append(out, jpegSpan{mk, start, len(b)})
			return out
		}
		i += n
		out = append(out, jpegSpan{mk, start, i})
		if mk == jmSOS {
			// Entropy-coded data runs to the next marker other than RSTn
			// or a stuffed 0xFF00.
			j := i
			for j+1 < len(b) && !(b[j] == 0xFF && b[j+1] != 0 && (b[j+1] < 0xD0 || b[j+1] > 0xD7)) {
				j++
			}
			if j+1 >= len(b) {
				j = len(b)
			}
			out = append(out, jpegSpan{0, i, j})
			i = j
		}
	}
	return out
}
