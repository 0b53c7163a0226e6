package jpegseg

import (
	"encoding/binary"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Strip parses data and rebuilds it (see Parse and the File's Rebuild):
// SOI, the JFIF fields without thumbnail, an Orientation-only Exif APP1
// when keep.Orientation and the orientation is not 1, the Adobe colour
// transform, the ICC profile as rebuilt by the icc package when keep.ICC,
// the tables each scan uses, the frame and scan headers and the proven
// entropy-coded data with its RSTn markers, EOI. Everything else goes.
func Strip(data []byte, keep meta.Keep) ([]byte, error) {
	f, err := Parse(data)
	if err != nil {
		return nil, err
	}
	return f.Rebuild(keep)
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
// orig (see the File's SameImage): both are parsed and their proven coded
// parts compared.
func SameImage(orig, out []byte) error {
	a, err := Parse(orig)
	if err != nil {
		return err
	}
	b, err := Parse(out)
	if err != nil {
		return err
	}
	return a.SameImage(b)
}

// ICCSegments returns the ICC profile of a JPEG as the payloads of APP2
// ICC_PROFILE segments, in order: the profile as rebuilt by the icc
// package (never the stored bytes), or nil when the stream cannot be
// walked or holds no profile that parses. The re-encoder uses it to carry
// the colour profile over.
func ICCSegments(data []byte) [][]byte {
	s, err := Walk(data)
	if err != nil {
		return nil
	}
	var set meta.Set
	c := classifier{s: s, set: &set}
	c.run()
	return iccChunks(c.icc)
}

// iccChunks splits a profile into APP2 ICC_PROFILE payloads.
func iccChunks(prof []byte) [][]byte {
	const chunk = 65535 - 2 - 14
	n := (len(prof) + chunk - 1) / chunk
	if n == 0 || n > 255 {
		return nil
	}
	out := make([][]byte, n)
	for i := range out {
		b := append(append([]byte{}, idICC...), byte(i+1), byte(n))
		out[i] = append(b, prof[i*chunk:min(len(prof), (i+1)*chunk)]...)
	}
	return out
}
