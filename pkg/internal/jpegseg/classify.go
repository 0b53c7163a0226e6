package jpegseg

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/exifmeta"
	"github.com/photoscrub/photoscrub/pkg/internal/icc"
	"github.com/photoscrub/photoscrub/pkg/internal/irb"
	"github.com/photoscrub/photoscrub/pkg/internal/xmp"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// jfifFields are the parsed fields of a JFIF APP0 (ISO/IEC 10918-5).
type jfifFields struct {
	major, minor, units byte
	xd, yd              uint16
}

func (j *jfifFields) payload() []byte {
	b := append([]byte{}, idJFIF...)
	b = append(b, j.major, j.minor, j.units)
	b = binary.BigEndian.AppendUint16(b, j.xd)
	b = binary.BigEndian.AppendUint16(b, j.yd)
	return append(b, 0, 0)
}

// adobePayload is the APP14 Adobe segment rebuilt from its transform (the
// only field decoders use; version 100, flags zero).
func adobePayload(transform byte) []byte {
	return append(append([]byte{}, idAdobe...), 0, 100, 0, 0, 0, 0, transform)
}

// classifier classifies the non-coding segments of one stream: findings
// go into set (Where prefixed with prefix), byte ranges into ranges.
type classifier struct {
	s      *Stream
	prefix string
	set    *meta.Set
	nf     int // frame components (0: not known)

	ranges      []container.Range
	orientation int
	// xmpPackets are the standard XMP packets, read for a tiff:Orientation
	// (the first one holding one) only when no Exif block has one.
	xmpPackets [][]byte
	jfif       *jfifFields
	adobe      int // transform + 1 of the kept APP14 (0: none)
	icc        []byte
	err        error
}

func (c *classifier) add(off, n int, k container.Kind, part string) {
	if n > 0 {
		c.ranges = append(c.ranges, container.Range{Off: off, Len: n, Kind: k, Part: part})
	}
}

// seg adds the ranges of a whole segment: its fill bytes (slack) and the
// marker, length and payload as kind k.
func (c *classifier) seg(g Segment, k container.Kind, part string) {
	c.add(g.Offset, g.Fill, container.Slack, "fill bytes")
	n := 2
	if g.Payload != nil || (g.Marker != SOI && g.Marker != EOI && !(g.Marker >= 0xD0 && g.Marker <= 0xD7)) {
		n = 4 + len(g.Payload)
	}
	c.add(g.Offset+g.Fill, n, k, part)
}

// metaSeg classifies segment g as metadata with the findings fn adds; a
// segment fn reports nothing for is named by its kind and size.
func (c *classifier) metaSeg(g Segment, where string, fn func(set *meta.Set)) {
	var local meta.Set
	if fn != nil {
		fn(&local)
	}
	if local.Len() == 0 {
		local.Add(meta.Other, c.prefix+where, container.SizeTag(len(g.Payload)))
	}
	c.set.AddAll(local.List())
	c.seg(g, container.Meta, where)
}

// iccChunk is one APP2 ICC_PROFILE segment.
type iccChunk struct {
	g          Segment
	seq, count byte
}

// run classifies every segment that is not a coding structure (those are
// mapped by the proof) and the strays between segments.
func (c *classifier) run() {
	var ext extXMP
	var irbData []byte
	var irbSegs []Segment
	var iccs []iccChunk
	lastAdobe := -1
	exifSeen := false
	for _, st := range c.s.Strays {
		c.add(st.Offset, st.Len, container.Slack, "bytes between segments")
	}
	for i, g := range c.s.Segments {
		p := g.Payload
		pf := c.prefix
		switch {
		case g.Marker < APP0 && g.Marker != COM || g.Marker > 0xEF && g.Marker != COM:
			// Coding structures: mapped by the proof.
		case g.Marker == APP0 && bytes.HasPrefix(p, idJFIF) && len(p) >= 14 && c.jfif == nil:
			c.jfifSeg(g)
		case g.Marker == APP0 && bytes.HasPrefix(p, idJFXX):
			c.metaSeg(g, "APP0 JFXX", func(s *meta.Set) { s.Add(meta.Embedded, pf+"APP0 JFXX", "JFXXThumbnail") })
		case g.Marker == APP1 && bytes.HasPrefix(p, idExif):
			body := exifBody(p)
			o := exifmeta.Orientation(body)
			if c.orientation == 0 {
				c.orientation = o
			}
			if !exifSeen && orientationOnlyExif(p) {
				c.seg(g, container.Kept, "APP1 Exif orientation")
			} else {
				c.metaSeg(g, "APP1 Exif", func(s *meta.Set) { _, _ = exifmeta.Inspect(body, pf+"APP1 Exif", s) })
			}
			exifSeen = true
		case g.Marker == APP1 && bytes.HasPrefix(p, idXMP):
			c.xmpPackets = append(c.xmpPackets, p[len(idXMP):])
			c.metaSeg(g, "APP1 XMP", func(s *meta.Set) { _ = xmp.Inspect(p[len(idXMP):], pf+"APP1 XMP", s) })
		case g.Marker == APP1 && bytes.HasPrefix(p, idExtXMP):
			ext.add(p[len(idExtXMP):])
			c.seg(g, container.Meta, "APP1 Extended XMP")
		case g.Marker == APP2 && bytes.HasPrefix(p, idICC) && len(p) >= len(idICC)+2:
			iccs = append(iccs, iccChunk{g, p[len(idICC)], p[len(idICC)+1]})
		case g.Marker == APP2 && bytes.HasPrefix(p, idMPF):
			c.metaSeg(g, "APP2 MPF", func(s *meta.Set) { s.Add(meta.Embedded, pf+"APP2 MPF", "MPFIndex") })
		case g.Marker == APP2 && bytes.HasPrefix(p, idFPXR):
			c.metaSeg(g, "APP2 FPXR", func(s *meta.Set) { s.Add(meta.Embedded, pf+"APP2 FPXR", "FlashPixPreview") })
		case g.Marker == 0xED && bytes.HasPrefix(p, idPhotoshop):
			irbData = append(irbData, p[len(idPhotoshop):]...)
			irbSegs = append(irbSegs, g)
		case g.Marker == APP1 && bytes.HasPrefix(p, idFLIR):
			// FLIR FFF records (thermal cameras) carry GPSInfo, CameraInfo
			// with serial numbers and the raw thermal image.
			c.metaSeg(g, "APP1 FLIR", func(s *meta.Set) {
				s.Add(meta.Location, pf+"APP1 FLIR", "FLIRGPSInfo")
				s.Add(meta.Identity, pf+"APP1 FLIR", "FLIRCameraInfo")
				s.Add(meta.Embedded, pf+"APP1 FLIR", "FLIRRawData")
			})
		case g.Marker == 0xEE && bytes.HasPrefix(p, idAdobe) && len(p) >= 12:
			if p[11] > 2 {
				c.err = FormatError("Adobe colour transform out of range")
			}
			if lastAdobe >= 0 {
				c.seg(c.s.Segments[lastAdobe], container.Slack, "APP14 Adobe")
			}
			lastAdobe = i
		case g.Marker == 0xEB && len(p) >= 2 && p[0] == 'J' && p[1] == 'P':
			c.metaSeg(g, "APP11 JUMBF", func(s *meta.Set) { s.Add(meta.Identity, pf+"APP11 JUMBF", "C2PA/JUMBF") })
		case g.Marker == COM:
			c.metaSeg(g, "COM", func(s *meta.Set) {
				if !xmp.InspectCarrier(p, pf+"COM XMP packet", s) {
					s.Add(meta.Comment, pf+"COM", "Comment")
				}
			})
		default: // any other APPn
			n := int(g.Marker - APP0)
			c.metaSeg(g, fmt.Sprintf("unknown APP%d segment", n), func(s *meta.Set) {
				if !xmp.InspectCarrier(p, fmt.Sprintf("%sAPP%d XMP packet", pf, n), s) {
					s.Add(meta.Other, fmt.Sprintf("%sunknown APP%d segment", pf, n), container.SizeTag(len(p)))
				}
			})
		}
	}
	for _, x := range c.xmpPackets {
		if c.orientation != 0 {
			break
		}
		c.orientation = xmp.Orientation(x)
	}
	ext.finish(c.prefix, c.set)
	if irbData != nil {
		var local meta.Set
		_ = irb.InspectIRB(irbData, c.prefix+"APP13 Photoshop", &local)
		if local.Len() == 0 {
			local.Add(meta.Other, c.prefix+"APP13 Photoshop", container.SizeTag(len(irbData)))
		}
		c.set.AddAll(local.List())
		for _, g := range irbSegs {
			c.seg(g, container.Meta, "APP13 Photoshop")
		}
	}
	if lastAdobe >= 0 {
		g := c.s.Segments[lastAdobe]
		if c.nf == 3 || c.nf == 4 {
			c.adobe = int(g.Payload[11]) + 1
			c.add(g.Offset, g.Fill, container.Slack, "fill bytes")
			c.add(g.Offset+g.Fill, 4+12, container.Kept, "APP14 Adobe")
			c.add(g.Offset+g.Fill+16, len(g.Payload)-12, container.Slack, "bytes after the APP14 Adobe fields")
		} else {
			c.seg(g, container.Slack, "APP14 Adobe")
		}
	}
	c.iccProfile(iccs)
}

// orientationOnlyExif reports whether p, an Exif APP1 payload, holds an
// Orientation-only block (in either byte order): nothing but the
// orientation, so it is kept (and rebuilt as minimalExif).
func orientationOnlyExif(p []byte) bool {
	if len(p) != len(idExif)+1+26 || p[len(idExif)] != 0 {
		return false
	}
	_, ok := exifmeta.OrientationOnly(p[len(idExif)+1:])
	return ok
}

// minimalExif is the Exif APP1 payload a rebuild writes for orientation o.
func minimalExif(o int) []byte {
	return append(append(append([]byte{}, idExif...), 0), exifmeta.Minimal(o)...)
}

// jfifSeg classifies the first JFIF APP0: its 14 bytes of fields are kept
// (rebuilt from the parsed values), its thumbnail is an embedded finding,
// anything after it is slack.
func (c *classifier) jfifSeg(g Segment) {
	p := g.Payload
	j := &jfifFields{major: p[5], minor: p[6], units: p[7],
		xd: binary.BigEndian.Uint16(p[8:]), yd: binary.BigEndian.Uint16(p[10:])}
	if j.major != 1 || j.minor > 2 {
		j.major, j.minor = 1, 1
	}
	if j.units > 2 {
		j.units = 0
	}
	j.xd, j.yd = max(j.xd, 1), max(j.yd, 1)
	c.jfif = j
	off := g.Offset + g.Fill
	c.add(g.Offset, g.Fill, container.Slack, "fill bytes")
	c.add(off, 4+14, container.Kept, "APP0 JFIF")
	thumb := min(3*int(p[12])*int(p[13]), len(p)-14)
	if thumb > 0 {
		c.set.Add(meta.Embedded, c.prefix+"APP0 JFIF", "JFIFThumbnail")
		c.add(off+4+14, thumb, container.Meta, "APP0 JFIF thumbnail")
	}
	c.add(off+4+14+thumb, len(p)-14-thumb, container.Slack, "bytes after the APP0 JFIF fields")
}

// iccProfile reassembles the ICC_PROFILE chunks (ICC.1 Annex B.4: sequence
// numbers 1..count, each once, one count) and has the icc package judge
// the profile.
func (c *classifier) iccProfile(chunks []iccChunk) {
	if len(chunks) == 0 {
		return
	}
	where := c.prefix + "APP2 ICC_PROFILE"
	n := len(chunks)
	parts := make([][]byte, n)
	ok := n <= 255
	for _, ch := range chunks {
		if !ok || int(ch.count) != n || ch.seq < 1 || int(ch.seq) > n || parts[ch.seq-1] != nil {
			ok = false
			break
		}
		parts[ch.seq-1] = ch.g.Payload[len(idICC)+2:]
	}
	kind := container.Meta
	var local meta.Set
	if ok {
		prof, err := icc.Parse(bytes.Join(parts, nil))
		if err != nil {
			ok = false
		} else {
			if prof.Report(where, &local) {
				kind = container.Kept
			}
			c.icc = prof.Rebuild()
		}
	}
	if !ok {
		local.Add(meta.Unparsed, where, "ICC profile")
	}
	if kind == container.Meta && local.Len() == 0 {
		local.Add(meta.Other, where, "ICC profile")
	}
	c.set.AddAll(local.List())
	for _, ch := range chunks {
		c.seg(ch.g, kind, "APP2 ICC_PROFILE")
	}
}
