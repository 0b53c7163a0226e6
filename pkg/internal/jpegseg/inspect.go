package jpegseg

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
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

// Inspect parses a whole JPEG file and returns its inspection with the
// findings of its byte map (container.Inspect semantics): every segment,
// the bytes between segments, bytes after a scan's last MCU and everything
// after EOI, including JPEG images stored there (MPF secondary images,
// which carry their own Exif). The error is non-nil when the file does not
// parse (the stream cannot be walked, a scan does not decode, or a coding
// process photoscrub does not prove); the Inspection then holds what was
// found and an Unparsed finding.
func Inspect(data []byte) (meta.Inspection, error) {
	f, err := Parse(data)
	if err != nil {
		return f.Inspection(), err
	}
	return container.Inspect(f, len(data)), nil
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
		s, err := Walk(rest)
		if err != nil {
			set.Add(meta.Embedded, where, "JPEG image")
			set.Add(meta.Unparsed, where)
			return
		}
		set.Add(meta.Embedded, where, "JPEG image")
		c := classifier{s: s, prefix: where + " ", set: set}
		c.run()
		if s.Truncated {
			set.Add(meta.Embedded, where, "truncated")
		}
		rest = s.Trailer
	}
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
