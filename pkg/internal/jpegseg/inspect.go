package jpegseg

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"

	"github.com/photoscrub/photoscrub/pkg/internal/exifmeta"
	"github.com/photoscrub/photoscrub/pkg/internal/irb"
	"github.com/photoscrub/photoscrub/pkg/internal/xmp"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Identifiers of the APPn payloads photoscrub understands.
var (
	idJFIF      = []byte("JFIF\x00")
	idJFXX      = []byte("JFXX\x00")
	idExif      = []byte("Exif\x00")
	idXMP       = []byte("http://ns.adobe.com/xap/1.0/\x00")
	idExtXMP    = []byte("http://ns.adobe.com/xmp/extension/\x00")
	idICC       = []byte("ICC_PROFILE\x00")
	idMPF       = []byte("MPF\x00")
	idFPXR      = []byte("FPXR\x00")
	idPhotoshop = []byte("Photoshop 3.0\x00")
	idAdobe     = []byte("Adobe")
	idFLIR      = []byte("FLIR\x00")
)

// maxTrailerImages bounds how many concatenated images after EOI are
// walked (MPF files hold 2-4; the rest is reported as one trailer).
const maxTrailerImages = 16

// maxExtendedXMP caps the size of a reassembled extended XMP packet.
const maxExtendedXMP = 32 << 20

// Inspect walks a whole JPEG file and classifies every segment, the bytes
// between segments and everything after EOI, including JPEG images stored
// there (MPF secondary images, which carry their own Exif). The error is
// non-nil only when the primary stream cannot be walked; the Inspection then
// holds an Unparsed finding.
func Inspect(data []byte) (meta.Inspection, error) {
	var set meta.Set
	var in meta.Inspection
	s, err := Parse(data)
	if err != nil {
		set.Add(meta.Unparsed, "JPEG stream")
		in.Findings = set.List()
		return in, err
	}
	in.Width, in.Height = s.Dimensions()
	if s.Truncated {
		in.Warnings = append(in.Warnings, "image data truncated: no EOI marker (the rebuilt file ends the scan with one)")
	}
	in.Orientation = classify(s, "", &set)
	inspectTrailer(s.Trailer, &set)
	in.Findings = set.List()
	return in, nil
}

// inspectTrailer classifies what follows EOI: concatenated JPEG images are
// walked and their own metadata reported; anything else is one trailer.
func inspectTrailer(rest []byte, set *meta.Set) {
	for k := 1; len(rest) > 0; k++ {
		if k > maxTrailerImages || !bytes.HasPrefix(rest, []byte{0xFF, SOI, 0xFF}) {
			if len(bytes.Trim(rest, "\x00")) == 0 {
				set.Add(meta.Embedded, "after EOI", "padding")
			} else {
				set.Add(meta.Embedded, "after EOI", "data")
			}
			return
		}
		where := fmt.Sprintf("after EOI image %d", k)
		s, err := Parse(rest)
		if err != nil {
			set.Add(meta.Embedded, where, "JPEG image")
			set.Add(meta.Unparsed, where)
			return
		}
		set.Add(meta.Embedded, where, "JPEG image")
		classify(s, where+" ", set)
		if s.Truncated {
			set.Add(meta.Embedded, where, "truncated")
		}
		rest = s.Trailer
	}
}

// classify adds the findings of every segment of s to set, prefixing each
// Where with prefix, and returns the Orientation of the first Exif block
// that holds one.
func classify(s *Stream, prefix string, set *meta.Set) (orientation int) {
	var ext extXMP
	var irbData []byte // Photoshop IRB may span several APP13 segments
	for _, st := range s.Strays {
		set.Add(meta.Other, prefix+"bytes between segments", fmt.Sprintf("%d bytes", st.Len))
	}
	for _, g := range s.Segments {
		p := g.Payload
		switch {
		case g.Marker == APP0 && bytes.HasPrefix(p, idJFIF):
			if len(p) >= 14 && (p[12] != 0 || p[13] != 0) {
				set.Add(meta.Embedded, prefix+"APP0 JFIF", "JFIFThumbnail")
			}
		case g.Marker == APP0 && bytes.HasPrefix(p, idJFXX):
			set.Add(meta.Embedded, prefix+"APP0 JFXX", "JFXXThumbnail")
		case g.Marker == APP1 && bytes.HasPrefix(p, idExif):
			o, _ := exifmeta.Inspect(exifBody(p), prefix+"APP1 Exif", set)
			if orientation == 0 {
				orientation = o
			}
		case g.Marker == APP1 && bytes.HasPrefix(p, idXMP):
			_ = xmp.Inspect(p[len(idXMP):], prefix+"APP1 XMP", set)
		case g.Marker == APP1 && bytes.HasPrefix(p, idExtXMP):
			ext.add(p[len(idExtXMP):])
		case g.Marker == APP2 && bytes.HasPrefix(p, idICC):
			// Colour profile: kept by policy, not a finding.
		case g.Marker == APP2 && bytes.HasPrefix(p, idMPF):
			set.Add(meta.Embedded, prefix+"APP2 MPF", "MPFIndex")
		case g.Marker == APP2 && bytes.HasPrefix(p, idFPXR):
			set.Add(meta.Embedded, prefix+"APP2 FPXR", "FlashPixPreview")
		case g.Marker == 0xED && bytes.HasPrefix(p, idPhotoshop):
			irbData = append(irbData, p[len(idPhotoshop):]...)
		case g.Marker == APP1 && bytes.HasPrefix(p, idFLIR):
			// FLIR FFF records (thermal cameras) carry GPSInfo, CameraInfo
			// with serial numbers and the raw thermal image: report all
			// three without relying on a vendor parser; the segment goes.
			set.Add(meta.Location, prefix+"APP1 FLIR", "FLIRGPSInfo")
			set.Add(meta.Identity, prefix+"APP1 FLIR", "FLIRCameraInfo")
			set.Add(meta.Embedded, prefix+"APP1 FLIR", "FLIRRawData")
		case g.Marker == 0xEE && bytes.HasPrefix(p, idAdobe):
			// Colour transform flag: needed to decode, kept.
		case g.Marker == 0xEB && len(p) >= 2 && p[0] == 'J' && p[1] == 'P':
			set.Add(meta.Identity, prefix+"APP11 JUMBF", "C2PA/JUMBF")
		case g.Marker >= APP0 && g.Marker <= 0xEF:
			set.Add(meta.Other, fmt.Sprintf("%sAPP%d", prefix, g.Marker-APP0), appID(p))
		case g.Marker == COM:
			set.Add(meta.Comment, prefix+"COM", "Comment")
		}
	}
	ext.finish(prefix, set)
	if irbData != nil {
		_ = irb.InspectIRB(irbData, prefix+"APP13 Photoshop", set)
	}
	return orientation
}

// appID names an unknown APPn payload by its leading identifier string,
// sanitised and short, or "unknown".
func appID(p []byte) string {
	i := bytes.IndexByte(p, 0)
	if i <= 0 || i > 16 {
		return "unknown"
	}
	return "id " + meta.Sanitize(string(p[:i]))
}

// extXMP reassembles extended XMP (XMP Part 3 §1.1.4): each chunk carries a
// 32-byte GUID, the full length and the chunk's offset.
type extXMP struct {
	parts map[string][]extChunk
	total map[string]uint32
	bad   bool
}

type extChunk struct {
	off  uint32
	data []byte
}

func (x *extXMP) add(p []byte) {
	if len(p) < 40 {
		x.bad = true
		return
	}
	if x.parts == nil {
		x.parts = map[string][]extChunk{}
		x.total = map[string]uint32{}
	}
	guid := string(p[:32])
	full := binary.BigEndian.Uint32(p[32:])
	x.total[guid] = full
	x.parts[guid] = append(x.parts[guid], extChunk{binary.BigEndian.Uint32(p[36:]), p[40:]})
}

func (x *extXMP) finish(prefix string, set *meta.Set) {
	where := prefix + "APP1 Extended XMP"
	if x.bad {
		set.Add(meta.Unparsed, where)
	}
	guids := make([]string, 0, len(x.parts))
	for g := range x.parts {
		guids = append(guids, g)
	}
	sort.Strings(guids)
	for _, g := range guids {
		packet, ok := assemble(x.parts[g], x.total[g])
		if !ok {
			set.Add(meta.Unparsed, where)
			continue
		}
		_ = xmp.Inspect(packet, where, set)
	}
}

// assemble joins chunks into one packet of the declared full length; it
// refuses gaps, overlaps, chunks beyond the length and sizes above the cap.
func assemble(chunks []extChunk, full uint32) ([]byte, bool) {
	if full == 0 || full > maxExtendedXMP {
		return nil, false
	}
	sort.SliceStable(chunks, func(i, j int) bool { return chunks[i].off < chunks[j].off })
	var next uint64
	for _, c := range chunks {
		if uint64(c.off) != next {
			return nil, false
		}
		next += uint64(len(c.data))
	}
	if next != uint64(full) {
		return nil, false
	}
	buf := make([]byte, 0, full)
	for _, c := range chunks {
		buf = append(buf, c.data...)
	}
	return buf, true
}
