package gifext

import (
	"bytes"
	"errors"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/internal/icc"
	"github.com/photoscrub/photoscrub/pkg/internal/irb"
	"github.com/photoscrub/photoscrub/pkg/internal/xmp"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Format is the GIF (87a, 89a) container format.
var Format = container.Format{
	Name: format.GIF,
	Match: func(b []byte) bool {
		return bytes.HasPrefix(b, []byte("GIF87a")) || bytes.HasPrefix(b, []byte("GIF89a"))
	},
	Extensions: []string{".gif"},
	Parse:      Parse,
	Rebuild:    true,
	// GIF has no orientation field: an XMP orientation is reported (and
	// applied by re-encode) but a lossless rebuild has nowhere standard to
	// keep it.
	NoOrientation: true,
	Unsupported: func(err error) bool {
		return errors.Is(err, container.ErrUnsupported)
	},
}

// frame is one image: its graphic control fields (when a GCE applies to
// it), descriptor fields, local colour table and proven LZW data.
type frame struct {
	gce      []byte // the 4 GCE fields, nil when none
	desc     [9]byte
	lct      []byte
	litWidth byte
	lzw      [][]byte // proven data per sub-block (the last one cut)
}

// gifFile is a parsed GIF. It aliases the input and is immutable.
type gifFile struct {
	data   []byte
	lsd    []byte
	gct    []byte
	loop   int // -1: no loop extension kept
	frames []frame
	orient int
	icc    []byte
	m      []container.Range
	insp   meta.Inspection
}

// Parse parses a whole GIF once: header, screen descriptor, colour tables,
// every block, each image's LZW data decoded to its end code, the kept
// extensions validated and the others classified.
// On error the File still holds what was parsed (parse never returns a
// nil file), so its inspection reports what was found.
func Parse(data []byte) (container.File, error) { return parse(data) }

type builder struct {
	f      *gifFile
	set    meta.Set
	orient [2]int // by rank: XMP extension, XMP in a comment
	icc    bool
	xmpOK  bool
}

func (b *builder) add(off, n int, k container.Kind, part string) {
	if n > 0 {
		b.f.m = append(b.f.m, container.Range{Off: off, Len: n, Kind: k, Part: part})
	}
}

func (b *builder) offer(rank, o int) {
	if o >= 1 && o <= 8 && b.orient[rank] == 0 {
		b.orient[rank] = o
	}
}

func parse(data []byte) (*gifFile, error) {
	f := &gifFile{data: data, loop: -1}
	w, err := walk(data)
	b := &builder{f: f}
	f.insp.Width, f.insp.Height = w.width, w.height
	for i, bl := range w.blocks {
		if e := b.block(w, i, bl); e != nil && err == nil {
			err = e
		}
	}
	if err != nil {
		b.set.Add(meta.Unparsed, "GIF", "unwalkable container")
		f.insp.Findings = b.set.List()
		return f, err
	}
	f.lsd, f.gct = w.lsd, w.gct
	b.add(0, 6, container.Kept, "GIF header")
	b.add(6, 7, container.Kept, "GIF logical screen descriptor")
	b.add(13, len(w.gct), container.Kept, "GIF global colour table")
	tpos := len(data) - len(w.trailer) - 1
	b.add(tpos, 1, container.Kept, "GIF trailer")
	b.add(tpos+1, len(w.trailer), container.Slack, "bytes after the GIF trailer")
	if len(w.trailer) > 0 {
		f.insp.Warnings = append(f.insp.Warnings, container.SizeTag(len(w.trailer))+" after the GIF trailer")
	}
	for _, o := range b.orient {
		if o != 0 {
			f.orient = o
			break
		}
	}
	f.insp.Orientation = f.orient
	f.insp.Findings = b.set.List()
	return f, nil
}

// subs lists the data sub-blocks starting at pos (already walked) and
// returns them with the offset of the terminator.
func subs(data []byte, pos int) ([]span, int) {
	var out []span
	for pos < len(data) && data[pos] != 0 {
		n := int(data[pos])
		out = append(out, span{pos + 1, n})
		pos += 1 + n
	}
	return out, pos
}

// block classifies one walked block; i is its index in w.blocks.
func (b *builder) block(w *file, i int, bl block) error {
	switch {
	case bl.intro == introImage:
		return b.image(w, i, bl)
	case bl.label == labelGraphicControl:
		b.gce(w, i, bl)
	case bl.label == labelApplication:
		b.app(bl)
	case bl.label == labelComment:
		b.metaBlock(bl, "GIF comment extension", meta.Comment, "Comment")
		text := append(append([]byte(nil), bl.first...), gather(bl.body)...)
		if xmp.IsPacket(text) {
			b.xmp(text, "GIF comment extension XMP", 1)
		}
	case bl.label == labelPlainText:
		b.metaBlock(bl, "GIF plain text extension", meta.Comment, "PlainText")
	default:
		b.metaBlock(bl, "GIF unknown extension", meta.Other, container.SizeTag(len(bl.raw)))
	}
	return nil
}

func (b *builder) metaBlock(bl block, where string, c meta.Category, tag string) {
	b.add(bl.off, len(bl.raw), container.Meta, where)
	b.set.Add(c, where, tag)
}

// keepWithSlack maps a block whose first n bytes are kept, whose
// following sub-blocks are slack and whose terminator is kept.
func (b *builder) keepWithSlack(bl block, n int, part string) {
	b.add(bl.off, n, container.Kept, part)
	b.add(bl.off+n, len(bl.raw)-n-1, container.Slack, "extra data sub-blocks")
	b.add(bl.off+len(bl.raw)-1, 1, container.Kept, "GIF block terminator")
}

// gce keeps a graphic control extension of exactly 4 bytes that applies
// to an image (the next graphic block is an image, not a plain text
// extension nor another GCE).
func (b *builder) gce(w *file, i int, bl block) {
	const where = "GIF graphic control extension"
	if len(bl.first) != 4 {
		b.metaBlock(bl, where, meta.Other, "malformed graphic control extension")
		return
	}
	for _, n := range w.blocks[i+1:] {
		if n.intro == introImage {
			b.keepWithSlack(bl, 7, where)
			return
		}
		if n.label == labelGraphicControl || n.label == labelPlainText {
			break
		}
	}
	b.metaBlock(bl, where, meta.Other, "unreferenced graphic control extension")
}

// image proves one image's LZW data and records the frame.
func (b *builder) image(w *file, i int, bl block) error {
	d := b.f.data
	fr := frame{}
	copy(fr.desc[:], d[bl.off+1:bl.off+10])
	fr.desc[8] &^= 0x18 // reserved bits
	pos := bl.off + 10
	if d[bl.off+9]&0x80 != 0 {
		n := 3 << (d[bl.off+9]&7 + 1)
		fr.lct = d[pos : pos+n]
		pos += n
	}
	fr.litWidth = d[pos]
	fr.gce = lastGCE(w, i)
	ss, term := subs(d, pos+1)
	wpx := uint64(fr.desc[4]) | uint64(fr.desc[5])<<8
	hpx := uint64(fr.desc[6]) | uint64(fr.desc[7])<<8
	p, err := proveLZW(d, ss, int(fr.litWidth), wpx*hpx)
	if err != nil {
		return err
	}
	if p.pixels < wpx*hpx {
		b.f.insp.Warnings = append(b.f.insp.Warnings, "a frame has fewer pixels than its size")
	}
	b.add(bl.off, pos+1-bl.off, container.Kept, "GIF image descriptor and colour table")
	for k, s := range ss {
		switch {
		case k < p.subs-1:
			b.add(s.off-1, 1, container.Kept, "GIF sub-block size")
			b.add(s.off, s.len, container.Coded, "LZW image data")
			fr.lzw = append(fr.lzw, d[s.off:s.off+s.len])
		case k == p.subs-1:
			b.add(s.off-1, 1, container.Kept, "GIF sub-block size")
			b.add(s.off, p.last, container.Coded, "LZW image data")
			b.add(s.off+p.last, s.len-p.last, container.Slack, "bytes after the LZW end code")
			fr.lzw = append(fr.lzw, d[s.off:s.off+p.last])
		default:
			b.add(s.off-1, s.len+1, container.Slack, "sub-blocks after the LZW end code")
		}
	}
	b.add(term, 1, container.Kept, "GIF block terminator")
	b.f.frames = append(b.f.frames, fr)
	return nil
}

// lastGCE returns the fields of the GCE that applies to image i: the
// nearest preceding GCE with only non-graphic blocks in between.
func lastGCE(w *file, i int) []byte {
	for j := i - 1; j >= 0; j-- {
		n := w.blocks[j]
		if n.intro == introImage || n.label == labelPlainText {
			return nil
		}
		if n.label == labelGraphicControl {
			if len(n.first) != 4 {
				return nil
			}
			g := append([]byte(nil), n.first...)
			g[0] &^= 0xE0
			return g
		}
	}
	return nil
}

// app classifies an application extension.
func (b *builder) app(bl block) {
	id := bl.appID()
	switch id {
	case "NETSCAPE2.0", "ANIMEXTS1.0":
		body := bl.body
		if b.f.loop < 0 && len(body) >= 5 && body[0] == 3 && body[1] == 1 {
			b.f.loop = int(body[2]) | int(body[3])<<8
			b.keepWithSlack(bl, 3+11+4, "GIF loop extension")
			return
		}
		b.metaBlock(bl, "GIF loop extension", meta.Other, "malformed or duplicate loop extension")
	case "ICCRGBG1012":
		b.iccExt(bl)
	case xmpAppID:
		b.add(bl.off, len(bl.raw), container.Meta, "GIF XMP application extension")
		if !bl.xmpMagic {
			b.set.Add(meta.Unparsed, "GIF XMP application extension", "no magic trailer")
		}
		b.xmp(bl.xmp, "GIF XMP application extension", 0)
	case "MGK8BIM0000":
		b.metaBlock(bl, "GIF ImageMagick 8BIM profile", meta.Other, "Photoshop IRB")
		_ = irb.InspectIRB(gather(bl.body), "GIF ImageMagick 8BIM profile", &b.set)
	case "MGKIPTC0000":
		b.metaBlock(bl, "GIF ImageMagick IPTC profile", meta.Other, "IPTC")
		_ = irb.InspectIIM(gather(bl.body), "GIF ImageMagick IPTC profile", &b.set)
	default:
		b.metaBlock(bl, "GIF unknown application extension", meta.Other, container.SizeTag(len(bl.raw)))
	}
}

// xmp classifies an XMP packet and offers its orientation.
func (b *builder) xmp(p []byte, where string, rank int) {
	_ = xmp.Inspect(p, where, &b.set)
	b.offer(rank, xmp.Orientation(p))
}

// iccExt parses an ICC profile extension through the icc package.
func (b *builder) iccExt(bl block) {
	const where = "GIF ICC profile"
	if b.icc {
		b.metaBlock(bl, where, meta.Other, "duplicate profile")
		return
	}
	p, err := icc.Parse(gather(bl.body))
	if err != nil {
		b.metaBlock(bl, where, meta.Unparsed, "ICC profile")
		return
	}
	b.icc = true
	var ps meta.Set
	clean := p.Report(where, &ps)
	b.set.AddAll(ps.List())
	b.f.icc = p.Rebuild()
	k := container.Kept
	if !clean {
		k = container.Meta
		if ps.Len() == 0 {
			b.set.Add(meta.Other, where, "ICC profile")
		}
	}
	b.add(bl.off, len(bl.raw), k, where)
}
