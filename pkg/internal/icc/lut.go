package icc

import "encoding/binary"

// lutAB parses a lutAToBType (atob) or lutBToAType element (ICC.1:2022
// 10.12, 10.13) and re-lays it out canonically: header, B curves, matrix,
// M curves, CLUT, A curves, each 4-byte aligned.
func lutAB(el []byte, atob bool) ([]byte, []span, bool) {
	if len(el) < 32 {
		return nil, nil, false
	}
	in, out, ok := lutChannels(el)
	if !ok {
		return nil, nil, false
	}
	sp := []span{{0, 4, false}, {4, 8, true}, {8, 10, false}, {10, 12, true}, {12, 32, false}}
	offB, offMat, offM, offClut, offA := u32(el, 12), u32(el, 16), u32(el, 20), u32(el, 24), u32(el, 28)
	nB, nM, nA, matCh := out, out, in, out
	if !atob {
		nB, nM, nA, matCh = in, in, out, in
	}
	for _, o := range []int{offB, offMat, offM, offClut, offA} {
		if o != 0 && (o < 32 || o >= len(el)) {
			return nil, nil, false
		}
	}
	// The B curves are required by the spec, but real profiles (Apple's
	// HDR ones) omit them, or the M curves before a matrix: tolerated, the
	// parts present are kept with the same meaning.
	if offB|offMat|offM|offClut|offA == 0 || (offMat != 0 || offM != 0) && matCh != 3 || offClut == 0 && in != out {
		return nil, nil, false
	}
	var parts [5][]byte // B, matrix, M, CLUT, A
	var ok2 bool
	if offB != 0 {
		if parts[0], sp, ok2 = curveSet(el, offB, nB, sp); !ok2 {
			return nil, nil, false
		}
	}
	if offMat != 0 {
		if offMat+48 > len(el) {
			return nil, nil, false
		}
		parts[1] = el[offMat : offMat+48]
		sp = append(sp, span{offMat, offMat + 48, false})
	}
	if offM != 0 {
		if parts[2], sp, ok2 = curveSet(el, offM, nM, sp); !ok2 {
			return nil, nil, false
		}
	}
	if offClut != 0 {
		if parts[3], sp, ok2 = clut(el, offClut, in, out, sp); !ok2 {
			return nil, nil, false
		}
	}
	if offA != 0 {
		if parts[4], sp, ok2 = curveSet(el, offA, nA, sp); !ok2 {
			return nil, nil, false
		}
	}
	size := 32
	for _, p := range parts {
		size += align4(len(p))
	}
	buf := make([]byte, 32, size)
	copy(buf, el[:4])
	buf[8], buf[9] = el[8], el[9]
	for i, p := range parts {
		if p == nil {
			continue
		}
		binary.BigEndian.PutUint32(buf[12+4*i:], uint32(len(buf)))
		buf = append(buf, p...)
		buf = append(buf, make([]byte, align4(len(p))-len(p))...)
	}
	return buf, sp, true
}

func align4(n int) int { return (n + 3) &^ 3 }

// curveSet parses n curves starting at off, each 4-byte aligned, and
// returns them re-serialized (each padded to 4 bytes).
func curveSet(el []byte, off, n int, sp []span) ([]byte, []span, bool) {
	var out []byte
	pos := off
	for i := range n {
		if i > 0 {
			pos = align4(pos)
		}
		if pos >= len(el) {
			return nil, nil, false
		}
		l, zs, ok := curveLen(el[pos:])
		if !ok {
			return nil, nil, false
		}
		c, csp, _ := flat(el[pos:], l, zs...)
		sp = appendShifted(sp, csp, pos)
		out = append(out, c...)
		out = append(out, make([]byte, align4(l)-l)...)
		pos += l
	}
	return out, sp, true
}

// clut parses a CLUT of a lutAToBType/lutBToAType at off.
func clut(el []byte, off, in, out int, sp []span) ([]byte, []span, bool) {
	if off+20 > len(el) {
		return nil, nil, false
	}
	prec := int(el[off+16])
	if prec != 1 && prec != 2 {
		return nil, nil, false
	}
	pts, ok := clutPoints(el[off:off+16], in, (len(el)-off-20)/(out*prec))
	if !ok {
		return nil, nil, false
	}
	n := 20 + pts*out*prec
	c, csp, _ := flat(el[off:], n, in, 16, 17, 20)
	return c, appendShifted(sp, csp, off), true
}
