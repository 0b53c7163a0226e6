package bmff

import (
	"encoding/binary"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/icc"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// prop is a validated property of a kept item, re-serialized from its
// parsed fields.
type prop struct {
	typ  string
	out  []byte // the rebuilt box; nil when the rebuild drops it
	same bool   // image-defining: compared by SameImage
	icc  []byte // rebuilt ICC profile of a colr prof/rICC
	rot  int    // irot angle, -1 when not irot
	mir  int    // imir axis, -1 when not imir
	// lengthSize is the NAL length size of an hvcC.
	lengthSize int
	w, h       int // ispe
	aux        string
}

// knownProps are the property types a report may name.
var knownProps = map[string]bool{
	"hvcC": true, "av1C": true, "avcC": true, "vvcC": true, "jpgC": true, "j2kH": true, "lhvC": true,
	"oinf": true, "tols": true, "uncC": true, "cmpd": true, "ispe": true, "colr": true, "irot": true,
	"imir": true, "pixi": true, "clap": true, "pasp": true, "auxC": true, "lsel": true, "a1op": true,
	"a1lx": true, "rloc": true, "clli": true, "mdcv": true, "cclv": true, "amve": true, "udes": true,
	"free": true, "skip": true, "altt": true, "crtt": true, "mdft": true, "iscl": true, "reve": true,
	"hvtC": true, "vvnC": true, "taic": true, "tsyn": true, "cmin": true, "cmex": true, "ilce": true,
	"ienc": true, "iaug": true, "spid": true, "sbpm": true, "snuc": true, "cloc": true, "disi": true,
}

// imageProps are property types that describe image items; when only
// removed items use one, the removed item's finding covers it.
var imageProps = map[string]bool{
	"hvcC": true, "av1C": true, "avcC": true, "vvcC": true, "jpgC": true, "j2kH": true, "lhvC": true,
	"oinf": true, "tols": true, "uncC": true, "cmpd": true, "ispe": true, "colr": true, "irot": true,
	"imir": true, "pixi": true, "clap": true, "pasp": true, "auxC": true, "lsel": true, "a1op": true,
	"a1lx": true, "rloc": true, "clli": true, "mdcv": true, "cclv": true, "amve": true, "hvtC": true,
}

// fixedProps are the simple properties: payload length (given the first
// payload bytes), whether they are full boxes (version 0, flags 0) and
// whether they define the image.
func fixedLen(typ string, p []byte) (n int, full, same, ok bool) {
	switch typ {
	case "ispe":
		return 12, true, true, true
	case "pixi":
		if len(p) < 5 {
			return 5, true, true, true
		}
		return 5 + int(p[4]), true, true, true
	case "irot", "imir", "a1op":
		return 1, false, true, true
	case "clap":
		return 32, false, true, true
	case "pasp", "amve":
		return 8, false, false, true
	case "lsel":
		return 2, false, true, true
	case "a1lx":
		if len(p) > 0 && p[0]&1 != 0 {
			return 13, false, true, true
		}
		return 7, false, true, true
	case "rloc":
		return 12, true, false, true
	case "clli":
		return 4, false, false, true
	case "mdcv":
		return 24, false, false, true
	}
	return 0, false, false, false
}

// keptProp validates property idx of a kept item, claims its bytes and
// returns it re-serialized. A property that is known but invalid is an
// error; trailing bytes are slack; an unknown property returns nil.
func (h *heif) keptProp(idx int) (*prop, error) {
	b := h.prop(idx)
	p := b.payload(h.data)
	pr := &prop{typ: b.typ, rot: -1, mir: -1}
	part := "property"
	if n, full, same, ok := fixedLen(b.typ, p); ok {
		if len(p) < n {
			return nil, fmtErr("property at offset %d too short", b.start)
		}
		if full && binary.BigEndian.Uint32(p) != 0 {
			return nil, fmtErr("property at offset %d has an unknown version", b.start)
		}
		if err := checkFixed(b.typ, p[:n]); err != nil {
			return nil, err
		}
		h.claim(b.start, b.body+n, container.Kept, part)
		h.claim(b.body+n, b.end, container.Slack, "property trailing bytes")
		pr.out, pr.same = mkBox(b.typ, p[:n]), same
		switch b.typ {
		case "irot":
			pr.rot = int(p[0] & 3)
		case "imir":
			pr.mir = int(p[0] & 1)
		case "ispe":
			pr.w, pr.h = int(binary.BigEndian.Uint32(p[4:])), int(binary.BigEndian.Uint32(p[8:]))
		}
		return pr, nil
	}
	switch b.typ {
	case "hvcC":
		return pr, h.hvcC(b, pr)
	case "av1C":
		return pr, h.av1C(b, pr)
	case "colr":
		return pr, h.colr(b, pr)
	case "auxC":
		if len(p) < 5 || binary.BigEndian.Uint32(p) != 0 {
			return nil, fmtErr("auxC at offset %d too short or of an unknown version", b.start)
		}
		c := &cur{b: p, p: 4}
		pr.aux = c.str()
		if !knownAuxURNs[pr.aux] {
			return nil, nil
		}
		h.claim(b.start, b.body+c.p, container.Kept, part)
		h.claim(b.body+c.p, b.end, container.Slack, "auxC subtype")
		pr.out, pr.same = mkBox("auxC", p[:c.p]), true
		if p[c.p-1] != 0 {
			pr.out = append(mkBox("auxC", p[:c.p]), 0)
			binary.BigEndian.PutUint32(pr.out, uint32(len(pr.out)))
		}
		return pr, nil
	case "free", "skip":
		for _, x := range p {
			if x != 0 {
				h.claim(b.start, b.end, container.Slack, "free property")
				return pr, nil
			}
		}
		h.claim(b.start, b.end, container.Kept, "free property")
		return pr, nil
	}
	return nil, nil
}

// checkFixed checks the values of a fixed-size property.
func checkFixed(typ string, p []byte) error {
	u32 := func(i int) uint32 { return binary.BigEndian.Uint32(p[i:]) }
	switch typ {
	case "ispe":
		if u32(4) == 0 || u32(8) == 0 {
			return FormatError("ispe with a zero size")
		}
	case "pixi":
		if p[4] == 0 {
			return FormatError("pixi with no channel")
		}
	case "irot":
		if p[0]&0xFC != 0 {
			return FormatError("irot reserved bits set")
		}
	case "imir":
		if p[0]&0xFE != 0 {
			return FormatError("imir reserved bits set")
		}
	case "clap":
		if u32(4) == 0 || u32(12) == 0 || u32(20) == 0 || u32(28) == 0 {
			return FormatError("clap with a zero denominator")
		}
	case "pasp":
		if u32(0) == 0 || u32(4) == 0 {
			return FormatError("pasp with a zero spacing")
		}
	case "a1lx":
		if p[0]&0xFE != 0 {
			return FormatError("a1lx reserved bits set")
		}
	}
	return nil
}

// hvcC parses an HEVCDecoderConfigurationRecord (ISO/IEC 14496-15
// 8.3.3.1): the 23-byte header (reserved bits rewritten as ones) and the
// NAL unit arrays. Parameter sets are kept; SEI units are metadata; any
// other unit is slack.
func (h *heif) hvcC(b box, pr *prop) error {
	p := b.payload(h.data)
	if len(p) < 23 || p[0] != 1 || p[21]&3 == 2 {
		return fmtErr("hvcC at offset %d too short or invalid", b.start)
	}
	cfg := append([]byte(nil), p[:23]...)
	cfg[13] |= 0xF0
	cfg[15] |= 0xFC
	cfg[16] |= 0xFC
	cfg[17] |= 0xF8
	cfg[18] |= 0xF8
	pr.lengthSize = int(p[21]&3) + 1
	h.claim(b.start, b.body+23, container.Kept, "hvcC header")
	pos, kept := 23, 0
	var arrays []byte
	for a := 0; a < int(p[22]); a++ {
		if len(p)-pos < 3 {
			return fmtErr("hvcC at offset %d truncated", b.start)
		}
		start, at, cnt := pos, int(p[pos]&63), int(binary.BigEndian.Uint16(p[pos+1:]))
		pos += 3
		var nals []byte
		n, arrKind := 0, container.Slack
		for j := 0; j < cnt; j++ {
			if len(p)-pos < 2 {
				return fmtErr("hvcC at offset %d truncated", b.start)
			}
			l := int(binary.BigEndian.Uint16(p[pos:]))
			if len(p)-pos-2 < l {
				return fmtErr("hvcC at offset %d truncated", b.start)
			}
			nal := p[pos+2 : pos+2+l]
			t := hevcNALType(nal)
			k, part := container.Slack, "hvcC non-parameter-set NAL unit"
			switch {
			case t >= nalVPS && t <= nalPPS && at == t:
				k, part = container.Coded, "hvcC parameter set"
				nals = append(nals, p[pos:pos+2+l]...)
				n++
			case t == nalPrefixSEI || t == nalSuffixSEI:
				k, part = container.Meta, "hvcC SEI NAL unit"
				arrKind = container.Meta
				h.set.Add(meta.Other, "HEIF hvcC SEI NAL unit")
			}
			h.claim(b.body+pos, b.body+pos+2+l, k, part)
			pos += 2 + l
		}
		if n == 0 {
			h.claim(b.body+start, b.body+start+3, arrKind, "hvcC array header")
			continue
		}
		h.claim(b.body+start, b.body+start+3, container.Kept, "hvcC array header")
		arrays = append(arrays, p[start]&0x80|byte(at))
		arrays = binary.BigEndian.AppendUint16(arrays, uint16(n))
		arrays = append(arrays, nals...)
		kept++
	}
	h.claim(b.body+pos, b.end, container.Slack, "property trailing bytes")
	cfg[22] = byte(kept)
	pr.out, pr.same = mkBox("hvcC", append(cfg, arrays...)), true
	return nil
}

// av1C parses an AV1CodecConfigurationRecord (AV1-ISOBMFF 2.3.3): 4 bytes
// (reserved bits rewritten as zero) and configOBUs, of which sequence
// headers are kept and metadata OBUs are metadata.
func (h *heif) av1C(b box, pr *prop) error {
	p := b.payload(h.data)
	if len(p) < 4 || p[0] != 0x81 {
		return fmtErr("av1C at offset %d too short or invalid", b.start)
	}
	cfg := append([]byte(nil), p[:4]...)
	cfg[3] &= 0x1F
	if cfg[3]&0x10 == 0 {
		cfg[3] = 0
	}
	h.claim(b.start, b.body+4, container.Kept, "av1C header")
	ps, err := obuPieces(p[4:])
	if err != nil {
		return err
	}
	for _, x := range ps {
		k, part := x.kind, x.part
		typ := int(p[4+x.off]>>3) & 15
		switch {
		case typ == obuSeqHdr:
			cfg = append(cfg, p[4+x.off:4+x.off+x.len]...)
		case k == container.Meta:
			h.set.Add(meta.Other, "HEIF av1C metadata OBU")
		default:
			k, part = container.Slack, "av1C non-sequence-header OBU"
		}
		h.claim(b.body+4+x.off, b.body+4+x.off+x.len, k, part)
	}
	pr.out, pr.same = mkBox("av1C", cfg), true
	return nil
}

// colr parses a colour information property: nclx (exactly 7 bytes,
// reserved bits rewritten as zero) or an ICC profile (prof, rICC) that
// goes through the icc package; a profile that does not parse is dropped
// and reported; a colour type of its own is dropped as metadata.
func (h *heif) colr(b box, pr *prop) error {
	p := b.payload(h.data)
	if len(p) < 4 {
		return fmtErr("colr at offset %d too short", b.start)
	}
	switch string(p[:4]) {
	case "nclx":
		if len(p) < 11 {
			return fmtErr("colr at offset %d too short", b.start)
		}
		h.claim(b.start, b.body+11, container.Kept, "colr nclx")
		h.claim(b.body+11, b.end, container.Slack, "property trailing bytes")
		c := append([]byte(nil), p[:11]...)
		c[10] &= 0x80
		pr.out, pr.same = mkBox("colr", c), true
	case "prof", "rICC":
		const w = "HEIF colr ICC profile"
		prof, err := icc.Parse(p[4:])
		if err != nil {
			h.claim(b.start, b.end, container.Meta, "ICC profile")
			h.set.Add(meta.Unparsed, w)
			return nil
		}
		k := container.Meta
		if prof.Report(w, &h.set) {
			k = container.Kept
		}
		h.claim(b.start, b.end, k, "ICC profile")
		pr.icc = prof.Rebuild()
		pr.out = mkBox("colr", append(append([]byte(nil), p[:4]...), pr.icc...))
	default:
		h.claim(b.start, b.end, container.Meta, "colr of an unknown type")
		h.set.Add(meta.Other, "HEIF colour property of an unknown type", container.SizeTag(len(p)))
	}
	return nil
}
