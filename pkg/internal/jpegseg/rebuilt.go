package jpegseg

// isCoding reports whether marker m starts a coding segment: a table,
// a restart interval, a frame or a scan header.
func isCoding(m byte) bool {
	return m == DQT || m == DHT || m == DRI || m == SOS || IsSOF(m)
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
