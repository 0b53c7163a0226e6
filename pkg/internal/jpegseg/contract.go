package jpegseg

import (
	"bytes"
	"encoding/binary"
	"errors"
	"sync"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Format is the JPEG container format (ITU-T T.81 Huffman-coded baseline,
// extended sequential and progressive frames; JFIF; Exif).
var Format = container.Format{
	Name:       format.JPEG,
	Match:      func(b []byte) bool { return len(b) >= 3 && b[0] == 0xFF && b[1] == SOI && b[2] == 0xFF },
	Extensions: []string{".jpg", ".jpeg", ".jpe", ".jfif"},
	Parse:      Parse,
	Rebuild:    true,
	Unsupported: func(err error) bool {
		return errors.Is(err, container.ErrUnsupported)
	},
}

// file is a parsed JPEG: the walked stream, the proof of every scan, the
// classification of every other segment and the byte map.
type file struct {
	st     *Stream
	p      *proof
	c      classifier
	in     meta.Inspection
	ranges []container.Range
	err    error

	// coding is what Rebuild writes after the APPn segments (tables,
	// frame, scans, EOI), made once: Rebuild and ParseRebuild share it.
	codingOnce sync.Once
	coding     []byte
}

// codingBytes returns the coding part of a rebuild (see appendCoding).
func (f *file) codingBytes() []byte {
	f.codingOnce.Do(func() { f.coding = f.appendCoding(nil) })
	return f.coding
}

// Parse parses a whole JPEG file once: it walks the marker segments,
// proves every scan by Huffman decoding (see ProvenLength), validates the
// coding structures and classifies every other byte. On error the returned
// File holds the findings made so far and an Unparsed finding, and cannot
// be rebuilt; an error wrapping container.ErrUnsupported means a coding
// process photoscrub does not prove (arithmetic, lossless, hierarchical,
// DNL). The File is safe for concurrent use.
func Parse(data []byte) (container.File, error) { return parse(data, nil) }

// ParseRebuild parses out, a rebuild of f (see container.Reparser): when
// its coding segments (tables, frame and scan headers, scan data, in
// order) are byte for byte those f's Rebuild writes, its scans are the
// proven scans of f and are not decoded again; otherwise out is parsed and
// proven like any file.
func (f *file) ParseRebuild(out []byte) (container.File, error) {
	if f.err != nil || f.p == nil {
		return Parse(out)
	}
	s, err := Walk(out)
	if err != nil {
		return Parse(out)
	}
	// The rebuild's coding part starts at its first coding segment and
	// runs to the end: it must be byte for byte f's.
	start := -1
	for _, g := range s.Segments {
		if isCoding(g.Marker) {
			start = g.Offset
			break
		}
	}
	if start < 0 || !bytes.Equal(out[start:], f.codingBytes()) {
		return Parse(out)
	}
	return parse(out, &trust{ranOut: f.p.ranOut})
}

func parse(data []byte, tr *trust) (container.File, error) {
	f := &file{}
	var set meta.Set
	s, err := Walk(data)
	if err != nil {
		set.Add(meta.Unparsed, "JPEG stream")
		f.in.Findings, f.err = set.List(), err
		return f, err
	}
	f.st = s
	f.in.Width, f.in.Height = s.Dimensions()
	if s.Truncated {
		f.in.Warnings = append(f.in.Warnings, "image data truncated: no EOI marker (the rebuilt file ends the scan with one)")
	}
	p, perr := proveTrusting(data, s, nil, tr)
	f.c = classifier{s: s, set: &set}
	if p != nil {
		f.p = p
		f.c.nf = len(p.f.comps)
	}
	f.c.run()
	if perr == nil {
		perr = f.c.err
	}
	inspectTrailer(s.Trailer, &set)
	f.in.Orientation = f.c.orientation
	if perr != nil {
		set.Add(meta.Unparsed, "JPEG image data")
		f.in.Findings, f.err = set.List(), perr
		return f, perr
	}
	f.in.Findings = set.List()
	f.ranges = append(f.c.ranges, f.codingRanges()...)
	if s.Trailer != nil {
		f.ranges = append(f.ranges, container.Range{Off: s.End, Len: len(s.Trailer), Kind: container.Meta, Part: "after EOI"})
	}
	return f, nil
}

// codingRanges maps SOI, EOI, the frame and scan headers, the tables and
// DRI segments (kept when a scan uses them), and each scan's data: the
// proven coded bytes and restart markers, and the slack after each
// interval's last MCU.
func (f *file) codingRanges() []container.Range {
	c := &classifier{}
	s, p := f.st, f.p
	for i, g := range s.Segments {
		off := payloadOff(g)
		switch {
		case g.Marker == SOI:
			c.seg(g, container.Kept, "SOI marker")
		case g.Marker == EOI:
			c.seg(g, container.Kept, "EOI marker")
		case i == p.sofSeg:
			c.seg(g, container.Kept, "frame header")
		case IsSOF(g.Marker):
			c.seg(g, container.Slack, "frame header")
		case g.Marker == DRI:
			k := container.Slack
			if p.driUse[i] {
				k = container.Kept
			}
			c.seg(g, k, "DRI segment")
		case g.Marker == DQT || g.Marker == DHT:
			used := false
			for _, t := range p.qtabs {
				if t.off >= off && t.off < off+len(g.Payload) {
					used = used || t.used
					c.add(t.off, len(t.raw), kindOf(t.used), "quantization table")
				}
			}
			for _, t := range p.htabs {
				if t.off >= off && t.off < off+len(g.Payload) {
					used = used || t.used
					c.add(t.off, len(t.raw), kindOf(t.used), "Huffman table")
				}
			}
			c.add(g.Offset, g.Fill, container.Slack, "fill bytes")
			c.add(g.Offset+g.Fill, 4, kindOf(used), "table segment header")
		case g.Marker == SOS:
			c.add(g.Offset, g.Fill, container.Slack, "fill bytes")
			c.add(g.Offset+g.Fill, 4+len(g.Payload), container.Kept, "scan header")
		}
	}
	for _, sc := range p.scans {
		for _, x := range sc.res.coded {
			c.add(x.off, x.end-x.off, container.Coded, "scan data")
		}
		for _, r := range sc.res.rst {
			c.add(r, 2, container.Coded, "restart marker")
		}
		for _, x := range sc.res.slack {
			c.add(x.off, x.end-x.off, container.Slack, "bytes after the last MCU")
		}
	}
	return c.ranges
}

func kindOf(used bool) container.Kind {
	if used {
		return container.Kept
	}
	return container.Slack
}

func (f *file) Inspection() meta.Inspection { return f.in }

func (f *file) Map() []container.Range { return f.ranges }

func (f *file) ICC() []byte { return f.c.icc }

// Rebuild writes the file anew: SOI; the JFIF fields (no thumbnail); an
// Orientation-only Exif APP1 when keep.Orientation and the orientation is
// not 1; the Adobe transform; the ICC profile rebuilt by the icc package
// (keep.ICC); then, for each scan in order, the quantization and Huffman
// tables and restart interval it needs that differ from what the output
// already defines, the frame header before the first scan, the scan header
// and the proven coded bytes of each restart interval joined by RSTn
// markers; EOI. Slack and metadata are dropped.
func (f *file) Rebuild(keep meta.Keep) ([]byte, error) {
	if f.err != nil {
		return nil, f.err
	}
	out := make([]byte, 0, len(f.st.Segments)*8+f.codedLen()+1024)
	out = append(out, 0xFF, SOI)
	if f.c.jfif != nil {
		out = appendSegment(out, APP0, f.c.jfif.payload())
	}
	if o := f.in.Orientation; keep.Orientation && o >= 2 && o <= 8 {
		out = appendSegment(out, APP1, minimalExif(o))
	}
	if f.c.adobe > 0 {
		out = appendSegment(out, 0xEE, adobePayload(byte(f.c.adobe-1)))
	}
	if keep.ICC && len(f.c.icc) > 0 {
		chunks := iccChunks(f.c.icc)
		if chunks == nil {
			return nil, FormatError("ICC profile too large for APP2 chunks")
		}
		for _, b := range chunks {
			out = appendSegment(out, APP2, b)
		}
	}
	return append(out, f.codingBytes()...), nil
}

func (f *file) codedLen() int {
	n := 0
	for _, sc := range f.p.scans {
		for _, x := range sc.res.coded {
			n += x.end - x.off + 2
		}
	}
	return n
}

// appendCoding appends the frame and its scans (see Rebuild).
func (f *file) appendCoding(out []byte) []byte {
	p := f.p
	data := f.st.data()
	var q [4][]byte
	var dc, ac [4][]byte
	ri := 0
	// Tables every component needs at its first scan go before the frame
	// header, up to the first redefinition.
	var pre []byte
	seen := map[int]bool{}
pre:
	for _, sc := range p.scans {
		for _, c := range sc.hdr.comps {
			if seen[c.ci] {
				continue
			}
			seen[c.ci] = true
			t := sc.q[p.f.comps[c.ci].tq]
			switch {
			case q[t.id] == nil:
				q[t.id] = t.raw
				pre = append(pre, t.raw...)
			case !bytes.Equal(q[t.id], t.raw):
				break pre
			}
		}
	}
	if len(pre) > 0 {
		out = appendSegment(out, DQT, pre)
	}
	out = appendSegment(out, p.f.marker, p.f.header())
	for _, sc := range p.scans {
		var qs, hs []byte
		for id, t := range sc.q {
			if t != nil && !bytes.Equal(q[id], t.raw) {
				q[id] = t.raw
				qs = append(qs, t.raw...)
			}
		}
		for _, set := range []struct {
			cur  *[4][]byte
			tabs [4]*huffTable
		}{{&dc, sc.dc}, {&ac, sc.ac}} {
			for id, t := range set.tabs {
				if t != nil && !bytes.Equal(set.cur[id], t.raw) {
					set.cur[id] = t.raw
					hs = append(hs, t.raw...)
				}
			}
		}
		if len(qs) > 0 {
			out = appendSegment(out, DQT, qs)
		}
		if len(hs) > 0 {
			out = appendSegment(out, DHT, hs)
		}
		if sc.ri != ri {
			ri = sc.ri
			out = appendSegment(out, DRI, binary.BigEndian.AppendUint16(nil, uint16(ri)))
		}
		out = appendSegment(out, SOS, sc.hdr.header(p.f))
		for k, x := range sc.res.coded {
			if k > 0 {
				out = append(out, 0xFF, byte(0xD0+(k-1)%8))
			}
			out = append(out, data[x.off:x.end]...)
		}
	}
	return append(out, 0xFF, EOI)
}

// SameImage reports whether out, a parsed rebuild, carries the same coded
// image: the same frame header, JFIF presence and Adobe transform, and per
// scan the same scan header, restart interval, tables in effect and proven
// coded bytes of every interval.
func (f *file) SameImage(out container.File) error {
	o, ok := out.(*file)
	if !ok || o.p == nil || f.p == nil {
		return FormatError("not a parsed JPEG")
	}
	a, b := f.p, o.p
	if !bytes.Equal(a.f.header(), b.f.header()) || a.f.marker != b.f.marker {
		return FormatError("frame header differs")
	}
	if (f.c.jfif == nil) != (o.c.jfif == nil) || f.c.adobe != o.c.adobe {
		return FormatError("colour transform differs")
	}
	if len(a.scans) != len(b.scans) {
		return FormatError("scan count differs")
	}
	da, db := f.st.data(), o.st.data()
	for i := range a.scans {
		x, y := &a.scans[i], &b.scans[i]
		if !bytes.Equal(x.hdr.header(a.f), y.hdr.header(b.f)) || x.ri != y.ri || len(x.res.coded) != len(y.res.coded) {
			return FormatError("scan header differs")
		}
		for id := range 4 {
			if !sameRaw(x.q[id], y.q[id]) || !sameRaw(x.dc[id], y.dc[id]) || !sameRaw(x.ac[id], y.ac[id]) {
				return FormatError("scan tables differ")
			}
		}
		for k := range x.res.coded {
			u, v := x.res.coded[k], y.res.coded[k]
			if !bytes.Equal(da[u.off:u.end], db[v.off:v.end]) {
				return FormatError("scan data differs")
			}
		}
	}
	return nil
}

// sameRaw compares two tables (either kind) by their serialized form.
func sameRaw[T interface{ rawBytes() []byte }](a, b T) bool {
	return bytes.Equal(a.rawBytes(), b.rawBytes())
}

func (t *qtable) rawBytes() []byte {
	if t == nil {
		return nil
	}
	return t.raw
}

func (t *huffTable) rawBytes() []byte {
	if t == nil {
		return nil
	}
	return t.raw
}
