package webpriff

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/exifmeta"
	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/internal/icc"
	"github.com/photoscrub/photoscrub/pkg/internal/xmp"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Format is WebP in the container registry.
var Format = container.Format{
	Name:        format.WebP,
	Match:       func(d []byte) bool { return format.Sniff(d[:min(len(d), format.HeadSize)]) == format.WebP },
	Extensions:  []string{".webp"},
	Parse:       Parse,
	Rebuild:     true,
	Unsupported: func(err error) bool { return errors.Is(err, container.ErrUnsupported) },
}

// Where names of the findings (a fixed vocabulary).
const (
	whereEXIF    = "WebP EXIF"
	whereXMP     = "WebP XMP"
	whereICC     = "WebP ICC profile"
	whereUnknown = "unknown RIFF chunk"
	whereFrame   = "unknown RIFF chunk in an animation frame"
	whereRIFF    = "WebP container"
)

// maxPad is the longest run of zero bytes after a stream's last needed
// byte that is accepted as its encoder's flush: libwebp's boolean encoder
// leaves one or two after a VP8 partition (libvpx up to four), and its
// lossless writer two after some ALPH streams.
const maxPad = 4

// picture is one coded image: a VP8 or VP8L bitstream and, for VP8, an
// optional ALPH chunk.
type picture struct {
	vp8      *vp8Frame
	vp8l     []byte // proven VP8L stream (its last byte's unused bits zeroed)
	pad      int    // zero bytes kept after the VP8L stream
	w, h     int
	alphaBit bool // VP8L alpha_is_used
	alph     *alphData
}

// alphData is a proven ALPH chunk.
type alphData struct {
	hdr  byte
	data []byte // proven data (raw: exactly w*h bytes; lossless: proven stream)
	pad  int    // zero bytes kept after a lossless stream
}

// frame is one ANMF frame.
type frame struct {
	hdr [anmfHeader]byte // re-serialized header (reserved bits zero)
	pic picture
}

// File is a parsed WebP file (a container.File).
type File struct {
	n      int
	ranges []container.Range
	in     meta.Inspection
	set    meta.Set

	ext      bool
	flags    byte // VP8X flags as kept: alpha and animation
	canvasW  int
	canvasH  int
	icc      []byte
	anim     []byte // 6 bytes
	still    *picture
	frames   []frame
	orient   int
	chunkCnt int
	seenICC  bool
	// xmpOrient is the first tiff:Orientation found in XMP.
	xmpOrient int
	seen      byte // VP8X flags of the chunks present
	rawFlags  byte
	// vp8xFlags is the offset of the VP8X flags byte.
	vp8xFlags int
}

// Parse parses a whole WebP file once. On error the returned File (when
// not nil) holds the findings made before the failure and an Unparsed
// finding; it is never rebuilt.
func Parse(data []byte) (container.File, error) {
	f := &File{n: len(data)}
	err := f.parse(data)
	if f.orient == 0 {
		f.orient = f.xmpOrient // EXIF first, then XMP tiff:Orientation
	}
	if err != nil {
		f.set.Add(meta.Unparsed, whereRIFF)
	}
	f.in.Findings = f.set.List()
	if f.orient != 0 {
		f.in.Orientation = f.orient
	}
	if err != nil {
		return f, err
	}
	return f, nil
}

func (f *File) add(off, n int, k container.Kind, part string) {
	if n > 0 {
		f.ranges = append(f.ranges, container.Range{Off: off, Len: n, Kind: k, Part: part})
	}
}

// chunkAt reads the chunk header at pos of data (which ends at the
// enclosing RIFF or ANMF end) and returns the payload bounds.
func (f *File) chunkAt(data []byte, pos int) (id string, start, end int, err error) {
	if len(data)-pos < 8 {
		return "", 0, 0, FormatError(fmt.Sprintf("truncated chunk header at offset %d", pos))
	}
	f.chunkCnt++
	if f.chunkCnt > maxChunks {
		return "", 0, 0, FormatError("too many chunks")
	}
	size := uint64(binary.LittleEndian.Uint32(data[pos+4 : pos+8]))
	if size > uint64(len(data)-pos-8) {
		return "", 0, 0, FormatError(fmt.Sprintf("chunk at offset %d exceeds its container", pos))
	}
	return string(data[pos : pos+4]), pos + 8, pos + 8 + int(size), nil
}

// pad classifies the padding byte after a chunk payload ending at end and
// returns the offset of the next chunk.
func (f *File) pad(data []byte, start, end int) int {
	if (end-start)&1 == 0 || end >= len(data) {
		return end
	}
	k := container.Kept
	if data[end] != 0 {
		k = container.Slack
	}
	f.add(end, 1, k, "RIFF padding byte")
	return end + 1
}

func (f *File) parse(data []byte) error {
	if len(data) < 12 || string(data[0:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return FormatError("not a RIFF WEBP file")
	}
	size := uint64(binary.LittleEndian.Uint32(data[4:8]))
	if size < 4 || 8+size > uint64(len(data)) {
		return FormatError("RIFF size inconsistent with the file")
	}
	end := int(8 + size)
	f.add(0, 12, container.Kept, "RIFF header")
	f.add(end, len(data)-end, container.Slack, "data after the RIFF end")
	body := data[:end]
	type pending struct {
		start, end int
	}
	var alph *pending // an ALPH chunk waiting for its VP8 chunk
	first := true
	for pos := 12; pos < end; first = false {
		id, s, e, err := f.chunkAt(body, pos)
		if err != nil {
			return err
		}
		p := body[s:e]
		hdr := func(k container.Kind) { f.add(pos, 8, k, "RIFF chunk header") }
		switch {
		case id == "VP8X" && first:
			if len(p) < 10 {
				return FormatError("VP8X chunk shorter than 10 bytes")
			}
			f.ext = true
			hdr(container.Kept)
			f.vp8xFlags = pos + 8
			f.rawFlags = p[0]
			f.kept(pos+9, 3, p[1]|p[2]|p[3] == 0, "VP8X reserved bytes")
			f.add(pos+12, 6, container.Kept, "VP8X canvas size")
			f.add(pos+18, len(p)-10, container.Slack, "bytes past the VP8X fields")
			f.flags = p[0] & flagAlpha
			f.canvasW = 1 + int(get24(p[4:]))
			f.canvasH = 1 + int(get24(p[7:]))
		case (id == "VP8 " || id == "VP8L") && f.still == nil && f.anim == nil && (first || f.ext):
			pic, err := f.picture(id, body, s, e, alph != nil)
			if err != nil {
				return err
			}
			hdr(container.Kept)
			if alph != nil {
				if pic.vp8 != nil {
					pic.alph, err = f.alph(body, alph.start, alph.end, pic.w, pic.h)
					if err != nil {
						return err
					}
				} else {
					f.add(alph.start-8, alph.end-alph.start+8, container.Slack, "ALPH chunk of a lossless image")
				}
				alph = nil
			}
			f.still = &pic
		case id == "ALPH" && f.ext && alph == nil && f.still == nil && f.anim == nil:
			alph = &pending{s, e} // classified with its image
		case id == "ICCP" && f.ext && !f.seenICC:
			f.seenICC = true
			f.iccChunk(pos, p)
		case id == "ANIM" && f.rawFlags&flagAnim != 0 && f.anim == nil && f.still == nil && alph == nil:
			if len(p) < 6 {
				return FormatError("ANIM chunk shorter than 6 bytes")
			}
			hdr(container.Kept)
			f.add(s, 6, container.Kept, "ANIM parameters")
			f.add(s+6, len(p)-6, container.Slack, "bytes past the ANIM fields")
			f.anim = p[:6]
		case id == "ANMF" && f.anim != nil:
			hdr(container.Kept)
			if err := f.frame(body, s, e); err != nil {
				return err
			}
		default:
			switch id {
			case "EXIF":
				f.seen |= flagEXIF
			case "XMP ":
				f.seen |= flagXMP
			}
			f.metaChunk(id, pos, p, whereUnknown)
		}
		pos = f.pad(body, s, e)
	}
	if alph != nil {
		f.add(alph.start-8, alph.end-alph.start+8, container.Slack, "ALPH chunk without an image")
	}
	if f.seenICC {
		f.seen |= flagICC
	}
	if f.anim != nil {
		f.seen |= flagAnim
		f.flags |= flagAnim
	}
	if f.ext {
		// Flags are re-serialized from what is kept; flags that do not
		// describe the chunks present are unaccounted bits.
		ok := f.rawFlags&0xc1 == 0 && f.rawFlags&(flagICC|flagEXIF|flagXMP|flagAnim) == f.seen
		f.kept(f.vp8xFlags, 1, ok, "VP8X flags")
	}
	switch {
	case f.anim != nil:
		if len(f.frames) == 0 {
			return FormatError("ANIM chunk without ANMF frames")
		}
	case f.still == nil:
		return FormatError("no VP8 or VP8L image chunk")
	case f.ext && (f.canvasW != f.still.w || f.canvasH != f.still.h):
		return FormatError("VP8X canvas size differs from the image size")
	}
	if f.still != nil {
		f.in.Width, f.in.Height = f.still.w, f.still.h
	} else {
		f.in.Width, f.in.Height = f.canvasW, f.canvasH
	}
	return nil
}

// kept adds a Kept range when ok, else a Slack one.
func (f *File) kept(off, n int, ok bool, part string) {
	if ok {
		f.add(off, n, container.Kept, part)
	} else {
		f.add(off, n, container.Slack, part)
	}
}

func get24(b []byte) uint32 { return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 }

// metaChunk classifies a chunk that is metadata or unknown (or misplaced).
func (f *File) metaChunk(id string, pos int, p []byte, where string) {
	if id == "EXIF" && where == whereUnknown && f.orient == 0 && f.ext {
		if o, only := exifmeta.OrientationOnly(p); only {
			// The minimal form a rebuild writes: kept, not a finding.
			f.orient = o
			f.add(pos, 8+len(p), container.Kept, "Orientation-only EXIF chunk")
			return
		}
	}
	f.add(pos, 8+len(p), container.Meta, "RIFF metadata chunk")
	switch id {
	case "EXIF":
		n := f.set.Len()
		o, _ := exifmeta.Inspect(exifmeta.TrimPrefix(p), whereEXIF, &f.set)
		if f.set.Len() == n { // an EXIF block with nothing in it is still a part
			f.set.Add(meta.Other, whereEXIF, "EXIF")
		}
		if f.orient == 0 && o >= 1 && o <= 8 {
			f.orient = o
		}
	case "XMP ":
		_ = xmp.Inspect(p, whereXMP, &f.set)
		if o := xmp.Orientation(p); f.xmpOrient == 0 {
			f.xmpOrient = o
		}
	default:
		if xmp.InspectCarrier(p, where, &f.set) {
			if o := xmp.Orientation(p); f.xmpOrient == 0 {
				f.xmpOrient = o
			}
			return
		}
		if name, ok := knownChunk(id); ok {
			f.set.Add(meta.Other, "misplaced RIFF chunk", name)
		} else {
			f.set.Add(meta.Other, where, container.SizeTag(len(p)))
		}
	}
}

// knownChunk returns the name of a chunk type the WebP specification
// defines (the report may name those; it never echoes other FourCCs).
func knownChunk(id string) (string, bool) {
	switch id {
	case "VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "ICCP", "EXIF", "XMP ":
		return id + " chunk", true
	}
	return "", false
}

// iccChunk classifies the ICCP chunk at pos.
func (f *File) iccChunk(pos int, p []byte) {
	prof, err := icc.Parse(p)
	if err != nil {
		f.add(pos, 8+len(p), container.Meta, "ICCP chunk")
		f.set.Add(meta.Unparsed, whereICC, "ICC profile")
		return
	}
	var ps meta.Set
	clean := prof.Report("WebP", &ps)
	f.set.AddAll(ps.List())
	f.icc = prof.Rebuild()
	k := container.Kept
	if !clean {
		k = container.Meta
		if ps.Len() == 0 {
			f.set.Add(meta.Other, whereICC, "ICC profile")
		}
	}
	f.add(pos, 8+len(p), k, "ICCP chunk")
}

// picture proves the VP8 or VP8L chunk payload body[s:e].
func (f *File) picture(id string, body []byte, s, e int, withAlpha bool) (picture, error) {
	p := body[s:e]
	var pic picture
	if id == "VP8L" {
		st, err := parseVP8L(p)
		if err != nil {
			return pic, err
		}
		pic.w, pic.h, pic.alphaBit = st.w, st.h, st.alpha
		pic.vp8l = p[:st.end]
		last := st.end - 1
		if st.dirtyPad {
			b := append([]byte(nil), pic.vp8l...)
			b[last] &= byte(1)<<(uint(st.bits)%8) - 1
			pic.vp8l = b
			f.add(s, last, container.Coded, "VP8L bitstream")
			f.add(s+last, 1, container.Slack, "VP8L bitstream last byte")
		} else {
			f.add(s, st.end, container.Coded, "VP8L bitstream")
		}
		pic.pad = f.tail(s+st.end, p[st.end:], "VP8L")
		return pic, nil
	}
	fr, err := parseVP8(p)
	if err != nil {
		return pic, err
	}
	pic.vp8, pic.w, pic.h = fr, fr.w, fr.h
	f.add(s, 10, container.Kept, "VP8 frame header")
	f.add(s+fr.table, 3*(len(fr.offs)-2), container.Kept, "VP8 partition sizes")
	for i, part := range fr.parts {
		o, n := s+fr.offs[i], len(part)
		f.add(o, n, container.Coded, "VP8 partition")
		fr.pad[i] = f.tail(o+n, p[fr.offs[i]+n:fr.offs[i]+fr.lens[i]], "VP8 partition")
	}
	if last := len(fr.parts) - 1; len(fr.parts[last])+fr.pad[last] == 0 {
		// An unused last token partition (more partitions than macroblock
		// rows) is rebuilt as one zero byte: libwebp refuses an empty one.
		fr.pad[last] = 1
	}
	return pic, nil
}

// tail classifies the bytes after a proven stream (at off): up to maxPad
// zero bytes are the encoder's flush padding, kept (rebuilt as zeros);
// anything else is slack. It returns the number of padding bytes kept.
func (f *File) tail(off int, t []byte, what string) int {
	if len(t) <= maxPad && allZero(t) {
		f.add(off, len(t), container.Kept, what+" flush padding")
		return len(t)
	}
	f.add(off, len(t), container.Slack, "bytes past the end of a "+what+" stream")
	return 0
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
