// Package icc parses, inspects and re-serializes ICC colour profiles as
// they are embedded in images: ICC.1:2022 (v4.4, ISO 15076-1) and
// ICC.1:2001-04 (v2): the 128-byte profile header, the tag table and the
// tagged element data, bounded.
//
// Parse validates the header (size, 'acsp', version 2 to 4, class, colour
// space, PCS, rendering intent) and the tag table (at most MaxTags entries,
// each inside the profile, no duplicates), decodes the colorimetric tags by
// type with their exact sizes (XYZType, curveType, parametricCurveType,
// s15Fixed16ArrayType, chromaticityType, cicpType, lut8Type, lut16Type,
// lutAToBType, lutBToAType) and the text tags (textType,
// textDescriptionType, multiLocalizedUnicodeType), and accounts for every
// byte of the profile: the header (reserved fields only when zero, the
// profile ID only when zero or the profile's MD5, the PCS illuminant only
// when D50), the tag table, the exact extent of each validated element
// (its reserved fields only when zero), the whole extent of each tag that
// is a finding, and runs of zero bytes (alignment padding). Every other
// byte, inside or between elements or after the declared size, is
// unaccounted. Report turns that into findings; Rebuild writes a minimal
// profile from the parsed fields only.
//
// Kept (colorimetric) tags: wtpt bkpt chad chrm rXYZ gXYZ bXYZ rTRC gTRC
// bTRC kTRC A2B0-2 B2A0-2 gamt cicp, plus a neutral desc and cprt. Every
// other tag is dropped by Rebuild and reported by Report (the v4.3
// floating-point D2Bx/B2Dx transforms included: the A2Bx/B2Ax a v4 profile
// must also carry define its colour for every CMM).
package icc

import (
	"bytes"
	"crypto/md5"
	"encoding/binary"
	"slices"
	"sync"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// FormatError reports that the data is not a well-formed ICC profile (or a
// kind of profile photoscrub cannot keep). Its text never holds a value
// read from the profile.
type FormatError string

func (e FormatError) Error() string { return "icc: " + string(e) }

const (
	headerLen = 128
	// MaxTags bounds the tag count of a profile Parse accepts.
	MaxTags = 1024
	// MaxSize bounds the profile size Parse accepts (the largest JPEG can
	// carry 255 APP2 chunks of 64 KiB; real profiles are far smaller).
	MaxSize = 64 << 20
)

func sig(s string) uint32 { return binary.BigEndian.Uint32([]byte(s)) }

// Profile is a parsed, validated ICC profile. It is immutable and safe for
// concurrent use.
type Profile struct {
	version     [2]byte // major, minor/bugfix
	class       uint32
	space       uint32
	pcs         uint32
	intent      uint32
	illuminant  [12]byte
	kept        []keptTag // validated colorimetric elements, canonical bytes
	name        string    // known standard description, "" when none
	findings    []finding
	unaccounted int
	overlap     bool

	once    sync.Once
	rebuilt []byte
}

// keptTag is a colorimetric tag re-serialized from its parsed fields.
type keptTag struct {
	sig       uint32
	kind      keptKind
	off, size int // where it was in the parsed profile
	elem      []byte
}

type finding struct {
	cat meta.Category
	tag string
}

// span is a run [off, end) of profile bytes a parsed structure accounts
// for. zero spans are reserved fields: accounted only when all zero.
type span struct {
	off, end int
	zero     bool
}

type tagEntry struct {
	sig       uint32
	off, size int
}

// colour spaces and classes Parse accepts.
var (
	classes = []string{"scnr", "mntr", "prtr", "spac"}
	spaces  = []string{"XYZ ", "Lab ", "Luv ", "YCbr", "Yxy ", "RGB ", "GRAY", "HSV ", "HLS ", "CMYK", "CMY ",
		"2CLR", "3CLR", "4CLR", "5CLR", "6CLR", "7CLR", "8CLR", "9CLR", "ACLR", "BCLR", "CCLR", "DCLR", "ECLR", "FCLR"}
	d50 = [3]int32{0xF6D6, 0x10000, 0xD32D}
)

func oneOf(v uint32, list []string) bool {
	for _, s := range list {
		if sig(s) == v {
			return true
		}
	}
	return false
}

// Parse parses and validates an ICC profile. data may be longer than the
// profile's declared size: the extra bytes are reported as unaccounted and
// dropped by Rebuild. Parse never allocates in proportion to a declared size
// before checking it against len(data); its allocations and work are
// linear in len(data) (at most a small constant times it: each distinct
// kept element is copied once). It fails with a FormatError when data is not an
// ICC profile, is truncated, is of a class that is not embedded in images
// (device link, abstract, named colour) or lacks the tags a colour-managed
// viewer needs for its colour space.
func Parse(data []byte) (*Profile, error) {
	if len(data) < headerLen+4 {
		return nil, FormatError("profile shorter than its header")
	}
	be := binary.BigEndian
	size := int(be.Uint32(data[0:]))
	if uint32(size) > MaxSize || size > len(data) {
		return nil, FormatError("profile size exceeds the data")
	}
	if size < headerLen+4 {
		return nil, FormatError("profile size smaller than its header")
	}
	if be.Uint32(data[36:]) != sig("acsp") {
		return nil, FormatError("missing profile file signature")
	}
	p := &Profile{}
	p.version = [2]byte{data[8], data[9]}
	if p.version[0] < 2 || p.version[0] > 4 {
		return nil, FormatError("unsupported profile version")
	}
	p.class = be.Uint32(data[12:])
	p.space = be.Uint32(data[16:])
	p.pcs = be.Uint32(data[20:])
	if !oneOf(p.class, classes) {
		return nil, FormatError("unsupported profile class")
	}
	if !oneOf(p.space, spaces) {
		return nil, FormatError("unknown colour space")
	}
	if p.pcs != sig("XYZ ") && p.pcs != sig("Lab ") {
		return nil, FormatError("unknown profile connection space")
	}
	p.intent = be.Uint32(data[64:])
	if p.intent > 3 {
		return nil, FormatError("unknown rendering intent")
	}
	copy(p.illuminant[:], data[68:80])
	prof := data[:size]

	spans := make([]span, 0, 16+4*min(int(binary.BigEndian.Uint32(prof[128:])), MaxTags))
	// Header: fields up to the profile ID; the version's reserved bytes
	// and the header's reserved tail must be zero.
	spans = append(spans, span{0, 10, false}, span{10, 12, true}, span{12, 68, false}, span{100, 128, true})
	if illuminantOK(data[68:80]) {
		spans = append(spans, span{68, 80, false})
	} else {
		p.illuminant = d50Bytes()
	}
	spans = append(spans, span{80, 84, false})
	if idOK(prof) {
		spans = append(spans, span{84, 100, false})
	}

	n := int(be.Uint32(prof[128:]))
	if n > MaxTags || n > (size-headerLen-4)/12 {
		return nil, FormatError("tag count exceeds the profile")
	}
	spans = append(spans, span{128, 132 + 12*n, false})
	tags := make([]tagEntry, 0, n)
	for i := range n {
		e := prof[132+12*i:]
		t := tagEntry{sig: be.Uint32(e), off: int(be.Uint32(e[4:])), size: int(be.Uint32(e[8:]))}
		if uint64(t.off)+uint64(t.size) > uint64(size) || t.off < 132+12*n && t.size > 0 {
			return nil, FormatError("tag data outside the profile")
		}
		if t.size < 8 {
			return nil, FormatError("tag data too short")
		}
		for _, u := range tags {
			if u.sig == t.sig {
				return nil, FormatError("duplicate tag")
			}
		}
		tags = append(tags, t)
	}
	p.overlap = overlaps(tags)

	for _, t := range tags {
		spans = p.tag(prof, t, spans)
	}
	if err := p.complete(); err != nil {
		return nil, err
	}
	p.unaccounted = gaps(prof, spans) + trailing(data[size:])
	if p.unaccounted == 0 && !p.overlap && knownProfile(prof) {
		p.findings = nil
	}
	return p, nil
}

// tag classifies one tag: kept (validated, re-serialized), known standard
// text (accounted exactly, no finding) or a finding (whole extent).
func (p *Profile) tag(prof []byte, t tagEntry, spans []span) []span {
	el := prof[t.off : t.off+t.size]
	if kt, ok := keptSigs[t.sig]; ok {
		for _, k := range p.kept { // shared data (e.g. one TRC for r, g, b)
			if k.kind == kt && k.off == t.off && k.size == t.size {
				p.kept = append(p.kept, keptTag{t.sig, kt, t.off, t.size, k.elem})
				return spans
			}
		}
		if elem, sp, ok := parseKept(kt, el); ok {
			p.kept = append(p.kept, keptTag{t.sig, kt, t.off, t.size, elem})
			return appendShifted(spans, sp, t.off)
		}
		p.findings = append(p.findings, finding{meta.Other, "ICC invalid colorimetric tag"})
		return append(spans, span{t.off, t.off + t.size, false})
	}
	name, isText := tagName(t.sig)
	if name == tagPrivate {
		name += ", " + container.SizeTag(t.size)
	}
	typ := binary.BigEndian.Uint32(el)
	if textTypes[typ] {
		isText = true
	}
	if isText {
		if strs, sp, ok := parseText(el); ok && allKnown(strs) {
			switch t.sig {
			case sig("desc"):
				p.name = standardName(strs)
				return appendShifted(spans, sp, t.off)
			case sig("cprt"):
				return appendShifted(spans, sp, t.off)
			}
			p.findings = append(p.findings, finding{meta.Other, name})
			return appendShifted(spans, sp, t.off)
		}
		p.findings = append(p.findings, finding{meta.Identity, name})
	} else {
		p.findings = append(p.findings, finding{meta.Other, name})
	}
	return append(spans, span{t.off, t.off + t.size, false})
}

func appendShifted(spans, sp []span, off int) []span {
	for _, s := range sp {
		spans = append(spans, span{s.off + off, s.end + off, s.zero})
	}
	return spans
}

// complete checks that the kept tags give a usable transform for the
// profile's colour space.
func (p *Profile) complete() error {
	has := func(s string) bool {
		return slices.ContainsFunc(p.kept, func(k keptTag) bool { return k.sig == sig(s) })
	}
	if has("A2B0") || has("B2A0") && p.class == sig("prtr") {
		return nil
	}
	switch p.space {
	case sig("RGB "):
		if has("rXYZ") && has("gXYZ") && has("bXYZ") && has("rTRC") && has("gTRC") && has("bTRC") {
			return nil
		}
	case sig("GRAY"):
		if has("kTRC") {
			return nil
		}
	}
	return FormatError("profile lacks a colour transform for its colour space")
}

// overlaps reports two tags whose data overlap without being the same
// (shared data must have the same offset and size).
func overlaps(tags []tagEntry) bool {
	s := slices.Clone(tags)
	slices.SortFunc(s, func(a, b tagEntry) int {
		if a.off != b.off {
			return a.off - b.off
		}
		return a.size - b.size
	})
	end := 0
	for i, t := range s {
		if i > 0 && t.off == s[i-1].off && t.size == s[i-1].size {
			continue
		}
		if t.off < end {
			return true
		}
		end = max(end, t.off+t.size)
	}
	return false
}

// gaps returns the number of profile bytes no span accounts for, less
// padding: runs of zero bytes. Alignment needs at most 3, but real
// writers also leave longer zero runs (e.g. after a textDescriptionType
// whose fixed ScriptCode field they cut short); zeros carry no text.
func gaps(prof []byte, spans []span) int {
	slices.SortFunc(spans, func(a, b span) int { return a.off - b.off })
	un, pos := 0, 0
	gap := func(a, b int) {
		if b <= a {
			return
		}
		if allZero(prof[a:b]) {
			return
		}
		un += b - a
	}
	for _, s := range spans {
		if s.zero && !allZero(prof[s.off:s.end]) {
			continue // a reserved field that holds data: left unaccounted
		}
		gap(pos, s.off)
		pos = max(pos, s.end)
	}
	gap(pos, len(prof))
	return un
}

func trailing(b []byte) int {
	if allZero(b) {
		return 0
	}
	return len(b)
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// illuminantOK reports a PCS illuminant within about 0.004 of D50 (real
// profiles round it differently); anything else is not a D50 value and
// its bytes are unaccounted.
func illuminantOK(b []byte) bool {
	for i := range 3 {
		v := int32(binary.BigEndian.Uint32(b[4*i:]))
		if d := v - d50[i]; d < -256 || d > 256 {
			return false
		}
	}
	return true
}

func d50Bytes() (b [12]byte) {
	for i, v := range d50 {
		binary.BigEndian.PutUint32(b[4*i:], uint32(v))
	}
	return b
}

// idOK reports a profile ID that is zero or the MD5 of the profile with
// the flags, rendering intent and ID fields zeroed (ICC.1:2022 7.2.18).
func idOK(prof []byte) bool {
	id := prof[84:100]
	if allZero(id) {
		return true
	}
	sum := profileID(prof)
	return bytes.Equal(id, sum[:])
}

func profileID(prof []byte) [16]byte {
	h := md5.New()
	var z [16]byte
	h.Write(prof[:44])
	h.Write(z[:4])
	h.Write(prof[48:64])
	h.Write(z[:4])
	h.Write(prof[68:84])
	h.Write(z[:16])
	h.Write(prof[100:])
	var out [16]byte
	h.Sum(out[:0])
	return out
}
