package jpegseg

import "bytes"

// sameCoding reports whether streams a and b hold the same coding
// segments (DQT, DHT, DRI, SOFn, SOS with its entropy-coded data) in the
// same order, byte for byte.
func sameCoding(a, b *Stream) bool {
	ca, cb := codingSegments(a), codingSegments(b)
	if len(ca) != len(cb) {
		return false
	}
	for i := range ca {
		if ca[i].Marker != cb[i].Marker || !bytes.Equal(ca[i].Payload, cb[i].Payload) || !bytes.Equal(ca[i].ECS, cb[i].ECS) {
			return false
		}
	}
	return true
}

func codingSegments(s *Stream) []Segment {
	var out []Segment
	for _, g := range s.Segments {
		if g.Marker == DQT || g.Marker == DHT || g.Marker == DRI || g.Marker == SOS || IsSOF(g.Marker) {
			out = append(out, g)
		}
	}
	return out
}

// splitScan returns the result of a scan whose data is known to be proven
// whole: its intervals are the bytes between RSTn markers.
func splitScan(data []byte, start, end int) (*scanResult, bool) {
	res := &scanResult{}
	pos := start
	for k := 0; ; k++ {
		mk, code := nextMarker(data[:end], pos)
		if mk < 0 {
			res.coded = append(res.coded, span{pos, end})
			res.slack = append(res.slack, span{end, end})
			return res, true
		}
		if code != byte(0xD0+k%8) || mk+2 > end {
			return nil, false
		}
		res.coded = append(res.coded, span{pos, mk})
		res.slack = append(res.slack, span{mk, mk})
		res.rst = append(res.rst, mk)
		pos = mk + 2
	}
}
