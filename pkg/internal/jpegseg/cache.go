package jpegseg

import (
	"hash/maphash"
	"sync"
)

// The proof cache. Verifying a rebuild parses it, and its scans are the
// proven bytes of the original, byte for byte: proving them again would
// double the cost of a scrub. After a successful proof, the key of the
// coding segments a rebuild writes is remembered; a stream whose coding
// segments (DQT, DHT, DRI, SOFn, SOS with its entropy-coded data, in
// order) hash to a remembered key holds exactly data that has been
// decoded to its last MCU with no byte left over, so its scans are split
// at their RSTn markers instead of decoded again. The key is 128 bits of
// two maphash hashes whose seeds are random per process: a file cannot
// be crafted to match a key it does not equal.

const maxCached = 4096

var proofCache = struct {
	sync.Mutex
	m map[cacheKey]bool // key → the data ran out before a scan's last MCU
}{m: map[cacheKey]bool{}}

type cacheKey [2]uint64

var seeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

// codingKey hashes the coding segments of s in order.
func codingKey(s *Stream) cacheKey {
	var k cacheKey
	for i, seed := range seeds {
		var h maphash.Hash
		h.SetSeed(seed)
		writeCoding(&h, s)
		k[i] = h.Sum64()
	}
	return k
}

func writeCoding(h *maphash.Hash, s *Stream) {
	for _, g := range s.Segments {
		if g.Marker == DQT || g.Marker == DHT || g.Marker == DRI || g.Marker == SOS || IsSOF(g.Marker) {
			var hdr [5]byte
			hdr[0] = g.Marker
			n := len(g.Payload)
			hdr[1], hdr[2] = byte(n>>8), byte(n)
			m := len(g.ECS)
			hdr[3], hdr[4] = byte(m>>16), byte(m>>8)
			h.Write(hdr[:])
			h.Write([]byte{byte(m)})
			h.Write(g.Payload)
			h.Write(g.ECS)
		}
	}
}

func cachedProof(k cacheKey) (ranOut, ok bool) {
	proofCache.Lock()
	defer proofCache.Unlock()
	ranOut, ok = proofCache.m[k]
	return
}

func rememberProof(k cacheKey, ranOut bool) {
	proofCache.Lock()
	defer proofCache.Unlock()
	if len(proofCache.m) >= maxCached {
		clear(proofCache.m)
	}
	proofCache.m[k] = ranOut
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
