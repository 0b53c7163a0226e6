package pngchunk

import (
	"encoding/binary"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// fctl is a parsed APNG frame control chunk (without its sequence
// number, which a rebuild renumbers).
type fctl struct {
	w, h, x, y     uint32
	delayN, delayD uint16
	dispose, blend byte
}

func parseFCTL(d []byte, hdr ihdr) (fctl, bool) {
	if len(d) != 26 {
		return fctl{}, false
	}
	u := func(i int) uint32 { return binary.BigEndian.Uint32(d[i:]) }
	f := fctl{w: u(4), h: u(8), x: u(12), y: u(16),
		delayN: binary.BigEndian.Uint16(d[20:]), delayD: binary.BigEndian.Uint16(d[22:]),
		dispose: d[24], blend: d[25]}
	if f.w == 0 || f.h == 0 || f.dispose > 2 || f.blend > 1 {
		return f, false
	}
	if uint64(f.x)+uint64(f.w) > uint64(hdr.width) || uint64(f.y)+uint64(f.h) > uint64(hdr.height) {
		return f, false
	}
	return f, true
}

func (f fctl) bytes(seq uint32) []byte {
	d := binary.BigEndian.AppendUint32(nil, seq)
	for _, v := range []uint32{f.w, f.h, f.x, f.y} {
		d = binary.BigEndian.AppendUint32(d, v)
	}
	d = binary.BigEndian.AppendUint16(d, f.delayN)
	d = binary.BigEndian.AppendUint16(d, f.delayD)
	return append(d, f.dispose, f.blend)
}

// apngState checks the APNG chunk sequence while the chunks are walked:
// sequence numbers 0, 1, 2... over fcTL and fdAT, one fcTL per frame,
// frame data (IDAT for a first fcTL placed before IDAT, else fdAT)
// following each fcTL, frames inside the canvas.
type apngState struct {
	frames  uint32 // from acTL
	seq     uint32
	cur     *stream // frame receiving fdAT
	fcTLs   uint32
	errText string
}

func (a *apngState) fail(s string) {
	if a.errText == "" {
		a.errText = s
	}
}

func (a *apngState) next(d []byte) {
	if len(d) < 4 || binary.BigEndian.Uint32(d) != a.seq {
		a.fail("APNG sequence numbers out of order")
	}
	a.seq++
}

// animChunk handles acTL, fcTL and fdAT chunks with sound CRCs.
func (b *builder) animChunk(c chunk) error {
	f := b.f
	a := &b.apng
	switch c.typ {
	case "acTL":
		switch {
		case f.actl != nil:
			b.metaChunk(c, "PNG acTL", meta.Other, "duplicate chunk")
		case b.seenIDAT || len(c.data) != 8 || !f.hdr.validKept("acTL", c.data, 0):
			b.metaChunk(c, "PNG acTL", meta.Other, "invalid animation control chunk")
		default:
			f.actl = c.data
			a.frames = binary.BigEndian.Uint32(c.data)
			b.keepChunk(c, "PNG acTL chunk")
		}
		return nil
	}
	if f.actl == nil {
		b.metaChunk(c, "PNG "+c.typ, meta.Other, "animation chunk without acTL")
		return nil
	}
	a.next(c.data)
	switch c.typ {
	case "fcTL":
		fc, ok := parseFCTL(c.data, f.hdr)
		if !ok {
			a.fail("invalid APNG frame control")
		}
		a.fcTLs++
		if a.cur != nil && len(a.cur.pieces) == 0 {
			a.fail("APNG frame without data")
		}
		s := &stream{fc: &fc, w: fc.w, h: fc.h}
		if !b.seenIDAT {
			if a.fcTLs > 1 {
				a.fail("APNG frame before the image data")
			}
		} else {
			f.streams = append(f.streams, s)
		}
		a.cur = s
		b.keepChunk(c, "PNG fcTL chunk")
	case "fdAT":
		if a.cur == nil || !b.seenIDAT || len(c.data) < 4 {
			a.fail("APNG frame data out of place")
			b.keepChunk(c, "PNG fdAT chunk")
			return nil
		}
		a.cur.pieces = append(a.cur.pieces, piece{c.off + 12, len(c.data) - 4})
		b.add(c.off, 12, container.Kept, "PNG fdAT chunk header")
		b.add(c.off+len(c.raw)-4, 4, container.Kept, "PNG chunk CRC")
	}
	return nil
}

// finishAPNG checks the animation as a whole.
func (b *builder) finishAPNG() error {
	f := b.f
	a := &b.apng
	if f.actl == nil {
		return nil
	}
	if a.fcTLs != a.frames {
		a.fail("APNG frame count differs from acTL")
	}
	for _, s := range f.streams[1:] {
		if len(s.pieces) == 0 {
			a.fail("APNG frame without data")
		}
	}
	if a.errText != "" {
		return FormatError("invalid APNG: " + a.errText)
	}
	return nil
}
