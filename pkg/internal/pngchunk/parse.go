package pngchunk

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/exifmeta"
	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/internal/icc"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Format is the PNG (and APNG) container format.
var Format = container.Format{
	Name:       format.PNG,
	Match:      func(b []byte) bool { return bytes.HasPrefix(b, []byte(signature)) },
	Extensions: []string{".png", ".apng"},
	Parse:      Parse,
	Rebuild:    true,
	Unsupported: func(err error) bool {
		return errors.Is(err, container.ErrUnsupported)
	},
}

var (
	errUnknownCritical = fmt.Errorf("pngchunk: %w: unknown critical chunk", container.ErrUnsupported)
	errTooLargeImage   = fmt.Errorf("pngchunk: %w: image data larger than 4 GiB", container.ErrUnsupported)
)

// stream is one zlib stream of image data: the IDAT image or an APNG
// frame's fdAT data.
type stream struct {
	fc     *fctl // nil for an IDAT image that is not an animation frame
	w, h   uint32
	pieces []piece // compressed data per chunk (fdAT: after the sequence number)
	pr     proof
}

// pngFile is a parsed PNG. It aliases the input and is immutable.
type pngFile struct {
	data    []byte
	hdr     ihdr
	plte    []byte
	kept    map[string][]byte // validated fields of kept ancillary chunks
	actl    []byte
	streams []*stream
	orient  int
	icc     []byte // re-serialized profile, nil when none is kept
	iccZ    []byte // its zlib stream
	m       []container.Range
	insp    meta.Inspection
}

// Parse parses a whole PNG file once: chunk framing and CRCs, the image
// header, the kept chunks against their schema, every image data stream
// inflated to its end, and the metadata chunks classified.
// On error the File still holds what was parsed (parse never returns a
// nil file), so its inspection reports what was found.
func Parse(data []byte) (container.File, error) { return parse(data) }

// builder accumulates a parse.
type builder struct {
	f                           *pngFile
	set                         meta.Set
	z                           inflater
	orient                      [4]int // by carrier rank: eXIf, Exif in text, XMP, text property
	seenIDAT, idatDone, sawPLTE bool
	apng                        apngState
	haveICC                     bool
	exifKept                    bool
}

func (b *builder) add(off, n int, k container.Kind, part string) {
	if n > 0 {
		b.f.m = append(b.f.m, container.Range{Off: off, Len: n, Kind: k, Part: part})
	}
}

// keepChunk maps a whole chunk as kept.
func (b *builder) keepChunk(c chunk, part string) { b.add(c.off, len(c.raw), container.Kept, part) }

// metaChunk maps a chunk as metadata and makes sure a finding covers it.
func (b *builder) metaChunk(c chunk, where string, cat meta.Category, tag string) {
	b.add(c.off, len(c.raw), container.Meta, where)
	if tag != "" {
		b.set.Add(cat, where, tag)
	}
}

func parse(data []byte) (*pngFile, error) {
	f := &pngFile{data: data, kept: map[string][]byte{}}
	w, err := walk(data)
	b := &builder{f: f}
	if err == nil {
		err = b.run(w)
	} else {
		for _, c := range w.chunks {
			if !knownCritical[c.typ] && !isKeptType(c.typ) && c.typ != "acTL" && c.typ != "fcTL" && c.typ != "fdAT" {
				b.classify(c)
			}
		}
	}
	if err != nil {
		b.set.Add(meta.Unparsed, "PNG", "unwalkable container")
		f.insp.Findings = b.set.List()
		f.insp.Width, f.insp.Height = w.width, w.height
		return f, err
	}
	f.insp.Width, f.insp.Height = int(f.hdr.width), int(f.hdr.height)
	for _, o := range b.orient {
		if o >= 1 && o <= 8 {
			f.orient = o
			break
		}
	}
	f.insp.Orientation = f.orient
	f.insp.Findings = b.set.List()
	return f, nil
}

// run walks the chunks of a walked file.
func (b *builder) run(w *file) error {
	f := b.f
	b.add(0, len(signature), container.Kept, "PNG signature")
	hdr, err := parseIHDR(w.chunks[0].data)
	if err != nil {
		return err
	}
	f.hdr = hdr
	for _, c := range w.chunks {
		if err := b.chunk(c); err != nil {
			return err
		}
	}
	if err := b.finishAPNG(); err != nil {
		return err
	}
	if f.hdr.color == 3 && f.plte == nil {
		return FormatError("palette image without PLTE")
	}
	var total uint64
	for _, s := range f.streams {
		total += f.hdr.geometry(s.w, s.h).raw
	}
	if total > maxRaw {
		return errTooLargeImage
	}
	for _, s := range f.streams {
		if err := b.proveStream(s); err != nil {
			return err
		}
	}
	b.add(len(f.data)-len(w.trailer), len(w.trailer), container.Slack, "bytes after IEND")
	if len(w.trailer) > 0 {
		f.insp.Warnings = append(f.insp.Warnings, container.SizeTag(len(w.trailer))+" after IEND")
	}
	return nil
}

// chunk classifies one chunk of a sound walk.
func (b *builder) chunk(c chunk) error {
	f := b.f
	if b.seenIDAT && c.typ != "IDAT" {
		b.idatDone = true
	}
	switch c.typ {
	case "IHDR", "IEND":
		b.keepChunk(c, "PNG "+c.typ+" chunk")
		return nil
	case "PLTE":
		if b.sawPLTE || b.seenIDAT || len(c.data)%3 != 0 || !f.hdr.validPLTE(len(c.data)/3) {
			return FormatError("bad PLTE")
		}
		b.sawPLTE = true
		f.plte = c.data
		b.keepChunk(c, "PNG PLTE chunk")
		return nil
	case "IDAT":
		if b.idatDone {
			return FormatError("IDAT chunks not consecutive")
		}
		if !b.seenIDAT {
			b.seenIDAT = true
			s := &stream{w: f.hdr.width, h: f.hdr.height}
			if b.apng.cur != nil && b.apng.fcTLs == 1 && len(f.streams) == 0 {
				s.fc = b.apng.cur.fc
				if s.fc.w != f.hdr.width || s.fc.h != f.hdr.height || s.fc.x != 0 || s.fc.y != 0 {
					return FormatError("invalid APNG: first frame is not the whole image")
				}
				b.apng.cur = nil
			}
			f.streams = append(f.streams, s)
		}
		s := f.streams[0]
		s.pieces = append(s.pieces, piece{c.off + 8, len(c.data)})
		b.add(c.off, 8, container.Kept, "PNG IDAT chunk header")
		b.add(c.off+len(c.raw)-4, 4, container.Kept, "PNG chunk CRC")
		return nil
	}
	if !c.crcOK {
		b.classify(c)
		return nil
	}
	switch c.typ {
	case "acTL", "fcTL", "fdAT":
		return b.animChunk(c)
	case "iCCP":
		b.iccp(c)
		return nil
	case "eXIf":
		o, only := exifmeta.OrientationOnly(c.data)
		if only && !b.exifKept {
			b.exifKept = true
			b.offer(0, o)
			b.keepChunk(c, "PNG eXIf chunk (Orientation only)")
			return nil
		}
	}
	if f.hdr.keptSize(c.typ, len(f.plte)/3) != -1 || isKeptType(c.typ) {
		b.keptAncillary(c)
		return nil
	}
	b.classify(c)
	return nil
}

var keptTypes = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range append(append([]string{}, keptBeforePLTE...), keptAfterPLTE...) {
		m[k] = true
	}
	return m
}()

func isKeptType(t string) bool { return keptTypes[t] }

// keptAncillary validates a chunk of a kept type: right place, first of
// its type, exact size (extra bytes are slack), values in range.
func (b *builder) keptAncillary(c chunk) {
	f := b.f
	where := "PNG " + c.typ
	size := f.hdr.keptSize(c.typ, len(f.plte)/3)
	before := false
	for _, k := range keptBeforePLTE {
		before = before || k == c.typ
	}
	switch {
	case size < 0:
		b.metaChunk(c, where, meta.Other, "chunk not allowed for this colour type")
	case b.seenIDAT || before && b.sawPLTE || (c.typ == "tRNS" || c.typ == "bKGD") && f.hdr.color == 3 && !b.sawPLTE:
		b.metaChunk(c, where, meta.Other, "misplaced chunk")
	case f.kept[c.typ] != nil:
		b.metaChunk(c, where, meta.Other, "duplicate chunk")
	case len(c.data) < size && !(c.typ == "tRNS" && f.hdr.color == 3 && len(c.data) > 0):
		b.metaChunk(c, where, meta.Other, "chunk too short")
	default:
		n := min(len(c.data), size)
		if !f.hdr.validKept(c.typ, c.data[:n], len(f.plte)/3) {
			b.metaChunk(c, where, meta.Other, "value out of range")
			return
		}
		f.kept[c.typ] = c.data[:n]
		if n == len(c.data) {
			b.keepChunk(c, where+" chunk")
			return
		}
		b.add(c.off, 8+n, container.Kept, where+" chunk")
		b.add(c.off+8+n, len(c.data)-n, container.Slack, "bytes past the chunk's fields")
		b.add(c.off+len(c.raw)-4, 4, container.Kept, "PNG chunk CRC")
	}
}

// iccp parses an iCCP chunk: profile name, compression method, the zlib
// stream inflated to its end, the profile through the icc package.
func (b *builder) iccp(c chunk) {
	f := b.f
	where := "PNG iCCP"
	i := bytes.IndexByte(c.data, 0)
	switch {
	case b.haveICC:
		b.metaChunk(c, where, meta.Other, "duplicate chunk")
		return
	case b.seenIDAT || b.sawPLTE:
		b.metaChunk(c, where, meta.Other, "misplaced chunk")
		return
	case i < 0 || i > 79 || i+1 >= len(c.data) || c.data[i+1] != 0 || !latin1Name(c.data[:i]):
		b.metaChunk(c, where, meta.Unparsed, "malformed")
		return
	}
	b.haveICC = true
	prof, used, err := inflateAll(c.data[i+2:], maxICC)
	if err != nil {
		b.metaChunk(c, where, meta.Unparsed, "bad compressed profile")
		return
	}
	p, err := icc.Parse(prof)
	if err != nil {
		b.metaChunk(c, where, meta.Unparsed, "ICC profile")
		return
	}
	var ps meta.Set
	clean := p.Report(where, &ps)
	b.set.AddAll(ps.List())
	named := string(c.data[:i]) == iccName
	if !named {
		b.set.Add(meta.Other, where, "profile name")
	}
	f.icc = p.Rebuild()
	if bytes.Equal(prof, f.icc) {
		f.iccZ = c.data[i+2 : i+2+used]
	} else {
		f.iccZ = deflate(f.icc)
	}
	end := c.off + 8 + i + 2 + used
	k := container.Kept
	if !clean || !named {
		k = container.Meta
		if ps.Len() == 0 && named {
			b.set.Add(meta.Other, where, "ICC profile")
		}
	}
	b.add(c.off, end-c.off, k, "PNG iCCP chunk")
	b.add(end, c.off+len(c.raw)-4-end, container.Slack, "bytes past the iCCP stream")
	b.add(c.off+len(c.raw)-4, 4, k, "PNG chunk CRC")
}

// maxICC caps an inflated ICC profile.
const maxICC = 16 << 20

// latin1Name accepts a PNG keyword (printable Latin-1); an empty name
// (written by exiv2) is tolerated.
func latin1Name(n []byte) bool {
	for _, c := range n {
		if c < 32 || c > 126 && c < 161 {
			return false
		}
	}
	return true
}

// offer records an orientation found in a carrier of the given rank.
func (b *builder) offer(rank, o int) {
	if b == nil {
		return
	}
	if o >= 1 && o <= 8 && b.orient[rank] == 0 {
		b.orient[rank] = o
	}
}

// classify maps a metadata chunk as Meta and records its findings.
func (b *builder) classify(c chunk) {
	where := "PNG " + c.typ
	if !knownType[c.typ] {
		where = "PNG unknown ancillary chunk"
	}
	var local meta.Set
	classifyChunk(c, &b.z, &local, b)
	b.add(c.off, len(c.raw), container.Meta, where)
	if local.Len() == 0 {
		tag := container.SizeTag(len(c.data))
		if c.typ == "eXIf" {
			tag = "EXIF block" // e.g. an Orientation-only block not in our minimal form
		}
		local.Add(meta.Other, where, tag)
	}
	b.set.AddAll(local.List())
}

// proveStream inflates one stream and maps its data.
func (b *builder) proveStream(s *stream) error {
	g := b.f.hdr.geometry(s.w, s.h)
	pr, err := prove(b.f.data, s.pieces, g)
	if err != nil {
		return err
	}
	s.pr = pr
	left := pr.used
	for _, p := range s.pieces {
		if pr.excess {
			b.add(p.off, p.len, container.Slack, "image data hiding bytes past the image size")
			continue
		}
		k := min(left, p.len)
		b.add(p.off, k, container.Coded, "zlib image data")
		b.add(p.off+k, p.len-k, container.Slack, "bytes past the end of the zlib stream")
		left -= k
	}
	return nil
}
