package jpegseg

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
)

// scanInfo is one proven scan with the coding state in effect for it.
type scanInfo struct {
	seg    int // index of the SOS segment
	hdr    *scanHeader
	q      [4]*qtable    // quantization tables of the scan's components, by id
	dc, ac [4]*huffTable // tables the scan decodes with, by id
	ri     int
	res    *scanResult
}

// proof is the result of proving a whole stream: the frame, every scan,
// and which tables and DRI segments a scan uses.
type proof struct {
	f      *frame
	sofSeg int
	scans  []scanInfo
	qtabs  []*qtable
	htabs  []*huffTable
	driUse map[int]bool // DRI segment index → a scan follows under it
	ranOut bool
	// trusted is set when the scans were not decoded because they are the
	// proven scans of the file this one is a rebuild of (see ParseRebuild).
	trusted bool
}

// tableState is the table and restart state while walking a stream.
type tableState struct {
	q      [4]*qtable
	dc, ac [4]*huffTable
	ri     int
	driSeg int
}

// loadTables applies a DQT or DHT segment at payload offset off.
func (p *proof) loadTables(st *tableState, g Segment, off int) error {
	if g.Marker == DQT {
		ts, err := parseDQT(g.Payload, off)
		if err != nil {
			return err
		}
		for _, t := range ts {
			st.q[t.id] = t
		}
		p.qtabs = append(p.qtabs, ts...)
		return nil
	}
	ts, err := parseDHT(g.Payload, off)
	if err != nil {
		return err
	}
	for _, t := range ts {
		if t.class == 0 {
			st.dc[t.id] = t
		} else {
			st.ac[t.id] = t
		}
	}
	p.htabs = append(p.htabs, ts...)
	return nil
}

// payloadOff returns the offset of segment g's payload in data.
func payloadOff(g Segment) int { return g.Offset + g.Fill + 4 }

// prove decodes every scan of s (data is its input) with the tables of
// pre (an abbreviated table-specification stream) loaded first.
func prove(data []byte, s *Stream, pre *tableState) (*proof, error) {
	return proveTrusting(data, s, pre, nil)
}

// trust says that the coding segments of a stream are byte for byte those
// a rebuild of an already proven file writes: its scans are split at their
// RSTn markers instead of being decoded again.
type trust struct {
	ranOut bool // the original's data ran out before a scan's last MCU
}

// proveTrusting is prove, decoding nothing when tr is not nil.
func proveTrusting(data []byte, s *Stream, pre *tableState, tr *trust) (*proof, error) {
	p := &proof{sofSeg: -1, driUse: map[int]bool{}}
	st := tableState{driSeg: -1}
	if pre != nil {
		st = *pre
		st.driSeg = -1
	}
	var masks [][]uint64
	work := 0
	trusted := tr != nil
	for i, g := range s.Segments {
		switch {
		case g.Marker == DQT || g.Marker == DHT:
			if err := p.loadTables(&st, g, payloadOff(g)); err != nil {
				return nil, err
			}
		case g.Marker == DRI:
			if len(g.Payload) != 2 {
				return nil, FormatError("DRI segment of the wrong length")
			}
			st.ri, st.driSeg = int(binary.BigEndian.Uint16(g.Payload)), i
		case IsSOF(g.Marker):
			if p.f != nil {
				return nil, FormatError("second frame header")
			}
			f, err := parseSOF(g.Marker, g.Payload)
			if err != nil {
				return nil, err
			}
			p.f, p.sofSeg = f, i
		case g.Marker == SOS:
			if p.f == nil {
				return nil, FormatError("scan before the frame header")
			}
			if p.f.progressive && masks == nil && !trusted {
				masks = make([][]uint64, len(p.f.comps))
				for j, c := range p.f.comps {
					masks[j] = make([]uint64, c.bw*c.bh)
				}
			}
			sc, err := p.scan(data, g, i, &st, masks, &work, trusted)
			if err != nil {
				return nil, err
			}
			if st.driSeg >= 0 {
				p.driUse[st.driSeg] = true
			}
			p.ranOut = p.ranOut || sc.res.ranOut
			p.scans = append(p.scans, *sc)
		case g.Marker == DNL || g.Marker == DHP || g.Marker == EXP || g.Marker == DAC:
			return nil, fmt.Errorf("%w: JPEG marker 0x%02X (DNL, hierarchical or arithmetic coding)", container.ErrUnsupported, g.Marker)
		}
	}
	if p.f == nil || len(p.scans) == 0 {
		return nil, FormatError("no frame or no scan")
	}
	if trusted {
		p.ranOut, p.trusted = tr.ranOut, true
	}
	return p, nil
}

// scan validates one scan header against the state in effect and proves
// its entropy-coded data.
func (p *proof) scan(data []byte, g Segment, i int, st *tableState, masks [][]uint64, work *int, trusted bool) (*scanInfo, error) {
	h, err := parseSOS(g.Payload, p.f)
	if err != nil {
		return nil, err
	}
	sc := &scanInfo{seg: i, hdr: h, ri: st.ri}
	d := &scanDecoder{f: p.f, h: h, masks: masks, work: work}
	needDC := !p.f.progressive || (h.ss == 0 && h.ah == 0)
	needAC := !p.f.progressive || h.ss > 0
	for j, c := range h.comps {
		q := st.q[p.f.comps[c.ci].tq]
		if q == nil {
			return nil, FormatError("scan component without a quantization table")
		}
		q.used = true
		sc.q[q.id] = q
		if needDC {
			t := st.dc[c.td]
			if t == nil {
				return nil, FormatError("scan without its DC Huffman table")
			}
			t.used, sc.dc[c.td], d.dc[j] = true, t, t
		}
		if needAC {
			t := st.ac[c.ta]
			if t == nil {
				return nil, FormatError("scan without its AC Huffman table")
			}
			t.used, sc.ac[c.ta], d.ac[j] = true, t, t
		}
	}
	start := payloadOff(g) + len(g.Payload)
	if trusted {
		if res, ok := splitScan(data, start, start+len(g.ECS)); ok {
			sc.res = res
			return sc, nil
		}
		if d.f.progressive && masks == nil {
			return nil, FormatError("proof cache inconsistent")
		}
	}
	sc.res, err = d.decodeScan(data, start, start+len(g.ECS), st.ri)
	if err != nil {
		return nil, err
	}
	return sc, nil
}

// ProvenLength proves the JPEG stream at the start of data (SOI ... EOI,
// possibly abbreviated: its DQT and DHT may be omitted and given by tables,
// an abbreviated table-specification stream SOI tables EOI such as a TIFF
// JPEGTables field, or nil). It returns the length of the prefix the proof
// accounts for (through EOI). It fails when the stream does not walk, a
// scan does not decode, the data ends before EOI, or anything in the
// stream is neither coding structure nor proven coded data (metadata
// segments, bytes after a scan's last MCU, fill or stray bytes).
func ProvenLength(data []byte, tables []byte) (int, error) {
	var pre *tableState
	if len(tables) > 0 {
		ts, err := Walk(tables)
		if err != nil {
			return 0, err
		}
		pre = &tableState{}
		tp := &proof{}
		for _, g := range ts.Segments {
			switch g.Marker {
			case SOI, EOI:
			case DQT, DHT:
				if err := tp.loadTables(pre, g, 0); err != nil {
					return 0, err
				}
			default:
				return 0, FormatError("table stream holds a segment other than DQT and DHT")
			}
		}
	}
	s, err := Walk(data)
	if err != nil {
		return 0, err
	}
	if s.Truncated {
		return 0, FormatError("truncated: no EOI marker")
	}
	p, err := prove(data, s, pre)
	if err != nil {
		return 0, err
	}
	if len(s.Strays) > 0 || p.ranOut {
		return 0, FormatError("stream holds bytes the proof does not account for")
	}
	for _, g := range s.Segments {
		switch {
		case g.Fill > 0:
			return 0, FormatError("stream holds fill bytes")
		case g.Marker >= APP0 && g.Marker <= 0xEF:
			if !(g.Marker == APP0 && bytes.HasPrefix(g.Payload, idJFIF) && len(g.Payload) == 14) &&
				!(g.Marker == 0xEE && bytes.HasPrefix(g.Payload, idAdobe) && len(g.Payload) == 12) {
				return 0, FormatError("stream holds an application segment")
			}
		case g.Marker == COM:
			return 0, FormatError("stream holds a comment")
		}
	}
	for _, sc := range p.scans {
		for _, sl := range sc.res.slack {
			if sl.end > sl.off {
				return 0, FormatError("scan data holds bytes after its last MCU")
			}
		}
	}
	return s.End, nil
}
