package jpegseg

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/photoscrub/photoscrub/pkg/internal/exifmeta"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// keptCritical reports whether m is a segment needed to decode the image:
// tables, frame and scan headers, restart interval, DNL and the hierarchical
// markers.
func keptCritical(m byte) bool {
	switch m {
	case DQT, DHT, DAC, DRI, DNL, DHP, EXP, SOS:
		return true
	}
	return IsSOF(m)
}

// Strip rebuilds data from an allowlist: SOI, DQT, DHT, DAC, DRI, SOFn, SOS
// with its entropy-coded data (RSTn inside), DNL, DHP, EXP, EOI; APP14 Adobe;
// APP0 JFIF with its thumbnail removed; APP2 ICC_PROFILE chunks when
// keep.ICC. Everything else goes: all APP1, APP13, MPF, FPXR, other APPn,
// COM, stray and fill bytes and everything after EOI. When keep.Orientation
// and the file's Orientation is not 1, a minimal Exif APP1 holding only
// Orientation is written after SOI (and JFIF). The entropy-coded data is
// copied byte for byte.
func Strip(data []byte, keep meta.Keep) ([]byte, error) {
	s, err := Parse(data)
	if err != nil {
		return nil, err
	}
	orientation := 0
	if keep.Orientation {
		orientation = firstOrientation(s)
	}
	out := make([]byte, 0, len(data))
	out = append(out, 0xFF, SOI)
	wroteExif := orientation < 2 || orientation > 8
	emitExif := func() {
		if wroteExif {
			return
		}
		wroteExif = true
		body := append(append([]byte{}, idExif...), 0)
		body = append(body, exifmeta.Minimal(orientation)...)
		out = appendSegment(out, APP1, body)
	}
	for i, g := range s.Segments {
		p := g.Payload
		switch {
		case g.Marker == SOI || g.Marker == EOI:
			continue
		case g.Marker == APP0 && bytes.HasPrefix(p, idJFIF) && len(p) >= 14:
			jfif := append([]byte{}, p[:12]...)
			jfif = append(jfif, 0, 0) // no thumbnail
			out = appendSegment(out, APP0, jfif)
			continue
		case g.Marker == APP2 && keep.ICC && bytes.HasPrefix(p, idICC) && len(p) > len(idICC)+2:
			emitExif()
			out = appendSegment(out, APP2, p)
			continue
		case g.Marker == 0xEE && bytes.HasPrefix(p, idAdobe):
			emitExif()
			out = appendSegment(out, 0xEE, p)
			continue
		case keptCritical(g.Marker):
			emitExif()
			if len(g.Payload)+2 > 0xFFFF {
				return nil, FormatError(fmt.Sprintf("segment %d too long", i))
			}
			out = appendSegment(out, g.Marker, p)
			out = append(out, g.ECS...)
		}
	}
	emitExif()
	out = append(out, 0xFF, EOI)
	return out, nil
}

// firstOrientation returns the orientation of the first Exif APP1 of s
// that has one (the rule Inspect applies).
func firstOrientation(s *Stream) int {
	for _, g := range s.Segments {
		if g.Marker == APP1 && bytes.HasPrefix(g.Payload, idExif) {
			if o := exifmeta.Orientation(exifBody(g.Payload)); o != 0 {
				return o
			}
		}
	}
	return 0
}

// exifBody returns the TIFF block of an Exif APP1 payload.
func exifBody(p []byte) []byte {
	body := p[len(idExif):]
	if len(body) > 0 && (body[0] == 0 || body[0] == 0xFF) {
		body = body[1:]
	}
	return body
}

func appendSegment(out []byte, m byte, payload []byte) []byte {
	out = append(out, 0xFF, m)
	out = binary.BigEndian.AppendUint16(out, uint16(len(payload)+2))
	return append(out, payload...)
}

// SameImage returns nil when out holds exactly the same coded image as
// orig: the same sequence of tables, frame and scan headers, restart
// intervals and entropy-coded bytes, and the same Adobe colour transform.
func SameImage(orig, out []byte) error {
	a, err := Parse(orig)
	if err != nil {
		return err
	}
	b, err := Parse(out)
	if err != nil {
		return err
	}
	ca, cb := codedParts(a), codedParts(b)
	if len(ca) != len(cb) {
		return FormatError(fmt.Sprintf("coded segment count differs: %d vs %d", len(ca), len(cb)))
	}
	for i := range ca {
		if ca[i].Marker != cb[i].Marker || !bytes.Equal(ca[i].Payload, cb[i].Payload) || !bytes.Equal(ca[i].ECS, cb[i].ECS) {
			return FormatError(fmt.Sprintf("coded segment %d (marker 0x%02X) differs", i, ca[i].Marker))
		}
	}
	return nil
}

func codedParts(s *Stream) []Segment {
	var out []Segment
	for _, g := range s.Segments {
		if keptCritical(g.Marker) || (g.Marker == 0xEE && bytes.HasPrefix(g.Payload, idAdobe)) {
			out = append(out, g)
		}
	}
	return out
}

// ICCSegments returns the payloads of the APP2 ICC_PROFILE segments of a
// JPEG, in order (nil when the stream cannot be walked). The re-encoder
// uses it to carry the colour profile over.
func ICCSegments(data []byte) [][]byte {
	s, err := Parse(data)
	if err != nil {
		return nil
	}
	var out [][]byte
	for _, g := range s.Segments {
		if g.Marker == APP2 && bytes.HasPrefix(g.Payload, idICC) {
			out = append(out, g.Payload)
		}
	}
	return out
}
