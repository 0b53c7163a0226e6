// Package jpegseg is photoscrub's JPEG container: a bounded marker-segment
// walker, a scan proof and a rebuild from parsed fields, implementing the
// container contract (pkg/internal/container).
//
// Specifications: ITU-T T.81 | ISO/IEC 10918-1 (markers, Annex B; Huffman
// decoding of sequential scans, Annex F.2.2, and of progressive scans with
// spectral selection and successive approximation, Annex G.2; restart
// intervals), JFIF ISO/IEC 10918-5, the Adobe APP14 DCT marker (Adobe
// Technical Note 5116), Exif APP1 per CIPA DC-008, MPF per CIPA DC-007,
// ICC.1 Annex B.4 profile embedding, Adobe XMP Part 3 for standard and
// extended XMP.
//
// Parse walks every segment in order (APPn in any order and count, COM, the
// entropy-coded data of every scan with byte stuffing and RSTn, fill bytes,
// bytes between segments, everything after EOI) and proves each scan by
// Huffman decoding every block, without dequantisation or IDCT: the proof
// yields how many bytes of each restart interval the decoder consumes, so
// bytes after a scan's last MCU are slack. Segments are sub-slices of the
// input; nothing is allocated in proportion to a declared length.
package jpegseg

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// FormatError reports that the input is not a well-formed JPEG stream.
type FormatError string

func (e FormatError) Error() string { return "jpeg: " + string(e) }

// Marker codes used by the walker (T.81 Table B.1).
const (
	SOI  = 0xD8
	EOI  = 0xD9
	SOS  = 0xDA
	DQT  = 0xDB
	DNL  = 0xDC
	DRI  = 0xDD
	DHP  = 0xDE
	EXP  = 0xDF
	DHT  = 0xC4
	DAC  = 0xCC
	APP0 = 0xE0
	APP1 = 0xE1
	APP2 = 0xE2
	APP3 = 0xE3
	COM  = 0xFE
	TEM  = 0x01
)

// maxSegments caps the number of segments one stream may hold: a 64 MiB
// stream of minimal 4-byte segments would hold 16M, far beyond any photo.
const maxSegments = 1 << 16

// Segment is one marker segment. For SOS, ECS holds the entropy-coded data
// that follows the header up to the next non-RST marker (RST markers and
// stuffed bytes included, verbatim).
type Segment struct {
	Marker  byte
	Offset  int    // offset of the first 0xFF: fill bytes, then the marker
	Fill    int    // fill bytes (0xFF) before the marker's own 0xFF
	Payload []byte // bytes after the length field (nil for standalone markers)
	ECS     []byte // SOS only
}

// Stray is a run of bytes between segments that belongs to no segment.
type Stray struct{ Offset, Len int }

// Stream is a parsed JPEG stream: the segments from SOI to EOI, stray byte
// runs, and whatever follows the EOI.
type Stream struct {
	Segments []Segment
	Strays   []Stray
	// Trailer is everything after the EOI marker (nil when nothing follows).
	Trailer []byte
	// End is the offset just past EOI.
	End int
	src []byte // the walked input
	// Truncated is set when the data ends inside or right after the
	// entropy-coded data of a scan, with no EOI: every segment before it
	// was read whole, so the file can still be inspected and rebuilt (with
	// an EOI added); decoders show such files the same way.
	Truncated bool
}

// Walk walks data, which must start with SOI, up to and including the first
// EOI that closes the image. It fails on a truncated stream, a length field
// below 2 or beyond the data, a second SOI, or a marker reserved for
// extensions photoscrub cannot rebuild safely (JPGn, RES): fail closed.
func Walk(data []byte) (*Stream, error) {
	n := len(data)
	if n < 4 || data[0] != 0xFF || data[1] != SOI {
		return nil, FormatError("missing SOI marker")
	}
	s := &Stream{Segments: []Segment{{Marker: SOI, Offset: 0}}, src: data}
	pos := 2
	inScan := false // the last segment read was a scan
	for {
		if len(s.Segments) > maxSegments {
			return nil, FormatError("too many segments")
		}
		if pos >= n {
			if inScan {
				// Trailing 0xFF bytes are the start of a marker that was
				// cut off, not coded data.
				last := &s.Segments[len(s.Segments)-1]
				for len(last.ECS) > 0 && last.ECS[len(last.ECS)-1] == 0xFF {
					last.ECS = last.ECS[:len(last.ECS)-1]
				}
				s.Truncated, s.End = true, n
				return s, nil
			}
			return nil, FormatError("truncated: no EOI marker")
		}
		if data[pos] != 0xFF {
			// Bytes between segments: skip to the next plausible marker.
			start := pos
			for pos < n && !(data[pos] == 0xFF && pos+1 < n && data[pos+1] != 0) {
				pos++
			}
			s.Strays = append(s.Strays, Stray{start, pos - start})
			continue
		}
		// Fill bytes: any number of 0xFF before the marker code.
		at := pos
		for pos < n && data[pos] == 0xFF {
			pos++
		}
		if pos >= n {
			return nil, FormatError("truncated: no EOI marker")
		}
		m := data[pos]
		fill := pos - at - 1
		pos++
		switch {
		case m == EOI:
			s.Segments = append(s.Segments, Segment{Marker: EOI, Offset: at, Fill: fill})
			s.End = pos
			if pos < n {
				s.Trailer = data[pos:]
			}
			return s, nil
		case m == SOI:
			return nil, FormatError(fmt.Sprintf("unexpected SOI at offset %d", at))
		case m == 0x00:
			s.Strays = append(s.Strays, Stray{at, pos - at})
			continue
		case m == TEM || (m >= 0xD0 && m <= 0xD7):
			// Standalone marker outside a scan: harmless, not kept.
			s.Strays = append(s.Strays, Stray{at, pos - at})
			continue
		case (m >= 0x02 && m <= 0xBF) || (m >= 0xF0 && m <= 0xFD) || m == 0xC8:
			return nil, FormatError(fmt.Sprintf("reserved marker 0x%02X at offset %d", m, at))
		}
		if pos+2 > n {
			return nil, FormatError("truncated segment length")
		}
		l := int(binary.BigEndian.Uint16(data[pos:]))
		if l < 2 {
			return nil, FormatError(fmt.Sprintf("segment length %d below 2 at offset %d", l, at))
		}
		if pos+l > n {
			return nil, FormatError(fmt.Sprintf("segment at offset %d runs past the end", at))
		}
		seg := Segment{Marker: m, Offset: at, Fill: fill, Payload: data[pos+2 : pos+l]}
		pos += l
		inScan = m == SOS
		if m == SOS {
			end := scanECS(data, pos)
			seg.ECS = data[pos:end]
			pos = end
		}
		s.Segments = append(s.Segments, seg)
	}
}

// scanECS returns the offset of the marker that ends the entropy-coded
// segment starting at pos, or len(data) when the data ends first.
func scanECS(data []byte, pos int) int {
	n := len(data)
	for i := pos; i < n; {
		// Jump to the next 0xFF with memchr speed: coded data is most of a
		// photo's bytes.
		k := bytes.IndexByte(data[i:], 0xFF)
		if k < 0 {
			break
		}
		i += k
		j := i + 1
		for j < n && data[j] == 0xFF {
			j++
		}
		if j >= n {
			break
		}
		b := data[j]
		if b == 0x00 || (b >= 0xD0 && b <= 0xD7) {
			i = j + 1
			continue
		}
		return i
	}
	return n
}

// IsSOF reports whether m is a start-of-frame marker (SOF0..SOF15 less DHT,
// JPG and DAC).
func IsSOF(m byte) bool {
	return m >= 0xC0 && m <= 0xCF && m != DHT && m != 0xC8 && m != DAC
}

// Dimensions returns the frame size from the first SOF segment.
func (s *Stream) Dimensions() (w, h int) {
	for _, g := range s.Segments {
		if IsSOF(g.Marker) && len(g.Payload) >= 5 {
			return int(binary.BigEndian.Uint16(g.Payload[3:])), int(binary.BigEndian.Uint16(g.Payload[1:]))
		}
	}
	return 0, 0
}

// data returns the walked input.
func (s *Stream) data() []byte { return s.src }
