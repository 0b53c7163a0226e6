package bmff

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Strip rebuilds the file as ftyp, a new meta box and one new mdat holding
// only the kept items' bytes (see the package documentation for what is
// kept). colr properties carrying an ICC profile are kept only when
// keep.ICC; keep.Orientation needs nothing, since irot/imir are always kept.
// It returns a FormatError for malformed input, an error wrapping
// ErrUnsupported for files it cannot rewrite without guessing, and never a
// partial file. It is safe for concurrent use.
func Strip(data []byte, keep meta.Keep) ([]byte, error) {
	h, err := parse(data)
	if err != nil {
		return nil, err
	}
	if h.hasMoov {
		return nil, unsupported("image sequence (moov)")
	}
	if h.metas != 1 {
		return nil, unsupported("more than one meta box")
	}
	if h.hdlr != "pict" {
		return nil, unsupported("meta handler is not pict")
	}
	p, err := h.plan()
	if err != nil {
		return nil, err
	}
	var kept []*item
	for _, it := range h.items {
		if !p.keep[it.id] {
			continue
		}
		switch {
		case it.prot != 0:
			return nil, unsupported(fmt.Sprintf("item %d is protected", it.id))
		case it.infeVersion < 2:
			return nil, unsupported(fmt.Sprintf("item %d has an infe version below 2", it.id))
		case it.hasLoc && it.dref != 0:
			return nil, unsupported(fmt.Sprintf("item %d data is in another file", it.id))
		case it.hasLoc && it.method > 1:
			return nil, unsupported(fmt.Sprintf("item %d uses construction_method %d", it.id, it.method))
		case it.hasLoc && len(it.ext) > 0 && h.ilocIdx != 0:
			return nil, unsupported("iloc index_size is not 0")
		}
		kept = append(kept, it)
	}
	if err := h.checkShared(p); err != nil {
		return nil, err
	}
	props, assocs, err := h.keptProps(kept, keep)
	if err != nil {
		return nil, err
	}
	out, err := h.layout(kept, props, assocs, p)
	if err != nil {
		return nil, err
	}
	// Self-check: the output must parse and carry the same image.
	if err := SameImage(data, out); err != nil {
		return nil, fmt.Errorf("bmff: rewrite self-check failed: %w", err)
	}
	return out, nil
}

// checkShared refuses files where a kept item's bytes overlap a removed
// item's bytes: copying them would keep removed data.
func (h *heif) checkShared(p plan) error {
	type rng struct {
		a, b   uint64
		method uint8
		kept   bool
	}
	var rs []rng
	for _, it := range h.items {
		if !it.hasLoc || it.dref != 0 || it.method > 1 {
			continue
		}
		for _, e := range it.ext {
			if e.len > 0 {
				rs = append(rs, rng{e.off, e.off + e.len, it.method, p.keep[it.id]})
			}
		}
	}
	slices.SortFunc(rs, func(x, y rng) int {
		if x.method != y.method {
			return int(x.method) - int(y.method)
		}
		if x.a != y.a {
			if x.a < y.a {
				return -1
			}
			return 1
		}
		return 0
	})
	// Sweep: track the furthest end reached by kept and by removed ranges.
	var endKept, endRemoved uint64
	var lastMethod uint8 = 255
	for _, r := range rs {
		if r.method != lastMethod {
			endKept, endRemoved, lastMethod = 0, 0, r.method
		}
		if r.kept {
			if r.a < endRemoved {
				return unsupported("a kept item shares bytes with a removed item")
			}
			endKept = max(endKept, r.b)
		} else {
			if r.a < endKept {
				return unsupported("a kept item shares bytes with a removed item")
			}
			endRemoved = max(endRemoved, r.b)
		}
	}
	return nil
}

// keptProps returns the new ipco list and each kept item's new
// associations (1-based indices into that list).
func (h *heif) keptProps(kept []*item, keep meta.Keep) ([]box, map[uint32][]assoc, error) {
	newIdx := map[int]int{}
	var props []box
	assocs := map[uint32][]assoc{}
	for _, it := range kept {
		for _, a := range it.props {
			pr := h.prop(a.idx)
			ok := keptProps[pr.typ]
			if ok && pr.typ == "colr" && !keep.ICC {
				if pl := pr.payload(h.data); len(pl) >= 4 && (string(pl[:4]) == "prof" || string(pl[:4]) == "rICC") {
					ok = false
				}
			}
			if !ok {
				if a.essential {
					return nil, nil, unsupported(fmt.Sprintf("item %d has an essential %q property", it.id, meta.Sanitize(pr.typ)))
				}
				continue
			}
			n, seen := newIdx[a.idx]
			if !seen {
				props = append(props, pr)
				n = len(props)
				newIdx[a.idx] = n
			}
			assocs[it.id] = append(assocs[it.id], assoc{n, a.essential})
		}
		if len(assocs[it.id]) > 255 {
			return nil, nil, unsupported(fmt.Sprintf("item %d has more than 255 properties", it.id))
		}
	}
	return props, assocs, nil
}

// layout writes ftyp, meta and mdat.
func (h *heif) layout(kept []*item, props []box, assocs map[uint32][]assoc, p plan) ([]byte, error) {
	// New positions: method 0 extents go to the new mdat, method 1 extents
	// to the new idat, in item order.
	newExt := map[uint32][]extent{}
	var mdatLen, idatLen, maxLen uint64
	for _, it := range kept {
		if !it.hasLoc {
			continue
		}
		ne := make([]extent, len(it.ext))
		for i, e := range it.ext {
			if it.method == 0 {
				ne[i] = extent{mdatLen, e.len}
				mdatLen += e.len
			} else {
				ne[i] = extent{idatLen, e.len}
				idatLen += e.len
			}
			maxLen = max(maxLen, e.len)
		}
		newExt[it.id] = ne
	}
	var propLen uint64
	for _, pr := range props {
		propLen += uint64(pr.end - pr.start)
	}
	if propLen+idatLen > 0xF0000000 {
		return nil, unsupported("meta box would exceed 4 GiB")
	}
	ftyp := h.ftyp()
	mdatHdr := uint64(8)
	if mdatLen+8 > 0xFFFFFFFF {
		mdatHdr = 16
	}
	for _, offSize := range []int{4, 8} {
		lenSize := 4
		if maxLen > 0xFFFFFFFF {
			lenSize = 8
		}
		metaLen := uint64(len(h.metaBox(kept, props, assocs, newExt, 0, offSize, lenSize, idatLen, p)))
		base := uint64(len(ftyp)) + metaLen + mdatHdr
		if offSize == 4 && base+mdatLen > 0xFFFFFFFF {
			continue
		}
		total := base + mdatLen
		if mdatLen == 0 {
			total -= mdatHdr
		}
		out := make([]byte, 0, total)
		out = append(out, ftyp...)
		out = append(out, h.metaBox(kept, props, assocs, newExt, base, offSize, lenSize, idatLen, p)...)
		if mdatLen > 0 {
			if mdatHdr == 8 {
				out = binary.BigEndian.AppendUint32(out, uint32(mdatLen+8))
				out = append(out, "mdat"...)
			} else {
				out = binary.BigEndian.AppendUint32(out, 1)
				out = append(out, "mdat"...)
				out = binary.BigEndian.AppendUint64(out, mdatLen+16)
			}
			for _, it := range kept {
				if it.hasLoc && it.method == 0 {
					for _, e := range it.ext {
						out = append(out, h.data[e.off:e.off+e.len]...)
					}
				}
			}
		}
		return out, nil
	}
	return nil, unsupported("output too large")
}

// ftyp returns a new ftyp box with the original brands.
func (h *heif) ftyp() []byte {
	b := make([]byte, 0, 16+4*len(h.compatible))
	b = append(b, h.major...)
	b = append(b, h.minor...)
	for _, c := range h.compatible {
		b = append(b, c...)
	}
	return mkBox("ftyp", b)
}

// mkBox wraps payload in a box header (size < 4 GiB).
func mkBox(typ string, payload []byte) []byte {
	b := make([]byte, 0, 8+len(payload))
	b = binary.BigEndian.AppendUint32(b, uint32(8+len(payload)))
	b = append(b, typ...)
	return append(b, payload...)
}

// mkFull wraps payload in a full box header.
func mkFull(typ string, version uint8, flags uint32, payload []byte) []byte {
	v := binary.BigEndian.AppendUint32(nil, uint32(version)<<24|flags&0xFFFFFF)
	return mkBox(typ, append(v, payload...))
}

func appendN(b []byte, v uint64, n int) []byte {
	for i := n - 1; i >= 0; i-- {
		b = append(b, byte(v>>(8*i)))
	}
	return b
}

// metaBox writes the new meta box. base is the file offset of the new mdat
// payload.
func (h *heif) metaBox(kept []*item, props []box, assocs map[uint32][]assoc, newExt map[uint32][]extent,
	base uint64, offSize, lenSize int, idatLen uint64, p plan) []byte {
	wide := false // any id above 16 bits
	for _, it := range kept {
		wide = wide || it.id > 0xFFFF
	}
	idSize, idVer := 2, uint8(0)
	if wide {
		idSize, idVer = 4, 1
	}
	var body []byte
	body = append(body, mkFull("hdlr", 0, 0, []byte("\x00\x00\x00\x00pict\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))...)
	body = append(body, mkBox("dinf", mkFull("dref", 0, 0, append([]byte{0, 0, 0, 1}, mkFull("url ", 0, 1, nil)...)))...)
	body = append(body, mkFull("pitm", idVer, 0, appendN(nil, uint64(h.primary), idSize))...)
	// iloc: version 1 (construction_method), or 2 for 32-bit ids.
	var il []byte
	ilVer := uint8(1)
	if wide {
		ilVer = 2
	}
	il = append(il, byte(offSize<<4|lenSize), 0)
	var locs []*item
	for _, it := range kept {
		if it.hasLoc {
			locs = append(locs, it)
		}
	}
	il = appendN(il, uint64(len(locs)), idSize)
	for _, it := range locs {
		il = appendN(il, uint64(it.id), idSize)
		il = appendN(il, uint64(it.method), 2)
		il = appendN(il, 0, 2) // data_reference_index
		il = appendN(il, uint64(len(newExt[it.id])), 2)
		for _, e := range newExt[it.id] {
			off := e.off
			if it.method == 0 {
				off += base
			}
			il = appendN(il, off, offSize)
			il = appendN(il, e.len, lenSize)
		}
	}
	body = append(body, mkFull("iloc", ilVer, 0, il)...)
	// iinf with regenerated infe boxes (no names).
	inf := appendN(nil, uint64(len(kept)), 2)
	for _, it := range kept {
		v := uint8(2)
		if it.id > 0xFFFF {
			v = 3
		}
		var e []byte
		e = appendN(e, uint64(it.id), map[uint8]int{2: 2, 3: 4}[v])
		e = append(e, 0, 0)
		e = append(e, it.typ...)
		e = append(e, 0)
		var fl uint32
		if it.hidden {
			fl = 1
		}
		inf = append(inf, mkFull("infe", v, fl, e)...)
	}
	body = append(body, mkFull("iinf", 0, 0, inf)...)
	// iref: entries from kept items, to-lists filtered to kept items.
	var ir []byte
	for _, r := range h.refs {
		if !p.keep[r.from] {
			continue
		}
		var to []uint32
		for _, t := range r.to {
			if p.keep[t] {
				to = append(to, t)
			}
		}
		if len(to) == 0 {
			continue
		}
		e := appendN(nil, uint64(r.from), idSize)
		e = appendN(e, uint64(len(to)), 2)
		for _, t := range to {
			e = appendN(e, uint64(t), idSize)
		}
		ir = append(ir, mkBox(r.typ, e)...)
	}
	if len(ir) > 0 {
		body = append(body, mkFull("iref", idVer, 0, ir)...)
	}
	// iprp: ipco with the kept properties verbatim, ipma renumbered.
	var co []byte
	for _, pr := range props {
		co = append(co, h.data[pr.start:pr.end]...)
	}
	var flags uint32
	if len(props) > 127 {
		flags = 1
	}
	var ma []byte
	n := 0
	for _, it := range kept {
		as := assocs[it.id]
		if len(as) == 0 {
			continue
		}
		n++
		ma = appendN(ma, uint64(it.id), idSize)
		ma = append(ma, byte(len(as)))
		for _, a := range as {
			if flags&1 != 0 {
				x := uint64(a.idx)
				if a.essential {
					x |= 0x8000
				}
				ma = appendN(ma, x, 2)
			} else {
				x := byte(a.idx)
				if a.essential {
					x |= 0x80
				}
				ma = append(ma, x)
			}
		}
	}
	ma = append(binary.BigEndian.AppendUint32(nil, uint32(n)), ma...)
	body = append(body, mkBox("iprp", append(mkBox("ipco", co), mkFull("ipma", idVer, flags, ma)...))...)
	if idatLen > 0 {
		id := make([]byte, 0, idatLen)
		src := h.data[h.idat.body:h.idat.end]
		for _, it := range kept {
			if it.hasLoc && it.method == 1 {
				for _, e := range it.ext {
					id = append(id, src[e.off:e.off+e.len]...)
				}
			}
		}
		body = append(body, mkBox("idat", id)...)
	}
	return mkFull("meta", 0, 0, body)
}
