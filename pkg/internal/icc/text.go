package icc

import (
	"encoding/binary"
	"unicode/utf16"
)

// textTypes are element types that hold free text (or data that may be
// text): a tag of one of these types is a finding of category identity
// unless all its text is a known standard profile's text.
var textTypes = map[uint32]bool{
	sig("text"): true, sig("desc"): true, sig("mluc"): true, sig("dict"): true, sig("data"): true,
	sig("utf8"): true, sig("ut16"): true, sig("zut8"): true, sig("zxml"): true, sig("ncl2"): true,
	sig("clrt"): true, sig("pseq"): true, sig("psid"): true, sig("mmod"): true,
}

// tagNames is the fixed vocabulary the report names dropped tags with.
// text marks tags whose content is text by definition.
var tagNames = map[uint32]struct {
	name string
	text bool
}{
	sig("desc"): {"ICC description", true},
	sig("cprt"): {"ICC copyright", true},
	sig("dmnd"): {"ICC device manufacturer description", true},
	sig("dmdd"): {"ICC device model description", true},
	sig("vued"): {"ICC viewing conditions description", true},
	sig("scrd"): {"ICC screening description", true},
	sig("targ"): {"ICC characterization target", true},
	sig("meta"): {"ICC metadata", true},
	sig("dscm"): {"ICC localized description", true},
	sig("pseq"): {"ICC profile sequence", true},
	sig("psid"): {"ICC profile sequence identifier", true},
	sig("ncl2"): {"ICC named colours", true},
	sig("clrt"): {"ICC colorant table", true},
	sig("clot"): {"ICC colorant table", true},
	sig("mmod"): {"ICC make and model", true},
	sig("clro"): {"ICC colorant order", false},
	sig("lumi"): {"ICC luminance", false},
	sig("meas"): {"ICC measurement", false},
	sig("view"): {"ICC viewing conditions", false},
	sig("tech"): {"ICC technology", false},
	sig("calt"): {"ICC calibration date", false},
	sig("ciis"): {"ICC colorimetric intent image state", false},
	sig("rig0"): {"ICC perceptual rendering intent gamut", false},
	sig("rig2"): {"ICC saturation rendering intent gamut", false},
	sig("pre0"): {"ICC preview", false},
	sig("pre1"): {"ICC preview", false},
	sig("pre2"): {"ICC preview", false},
	sig("resp"): {"ICC output response", false},
	sig("scrn"): {"ICC screening", false},
	sig("bfd "): {"ICC under-colour removal and black generation", false},
	sig("devs"): {"ICC device settings", false},
	sig("D2B0"): {"ICC floating-point transform", false},
	sig("D2B1"): {"ICC floating-point transform", false},
	sig("D2B2"): {"ICC floating-point transform", false},
	sig("D2B3"): {"ICC floating-point transform", false},
	sig("B2D0"): {"ICC floating-point transform", false},
	sig("B2D1"): {"ICC floating-point transform", false},
	sig("B2D2"): {"ICC floating-point transform", false},
	sig("B2D3"): {"ICC floating-point transform", false},
	sig("A2B3"): {"ICC floating-point transform", false},
	sig("B2A3"): {"ICC floating-point transform", false},
	sig("vcgt"): {"ICC video card gamma", false},
	sig("ndin"): {"ICC native display information", false},
}

// tagName names a tag that Rebuild drops, from the fixed vocabulary.
func tagName(s uint32) (name string, text bool) {
	if t, ok := tagNames[s]; ok {
		return t.name, t.text
	}
	return tagPrivate, false
}

// tagPrivate names a tag the ICC does not register (a vendor's or anyone's
// private tag); the report adds its size.
const tagPrivate = "ICC private tag"

const (
	maxTextRecords = 64
	maxTextBytes   = 256 // longer text is never a known standard string
)

// parseText decodes a textType, textDescriptionType or
// multiLocalizedUnicodeType element. ok is false when el is none of them,
// is malformed, or holds text too long to be a known standard string.
func parseText(el []byte) (strs []string, sp []span, ok bool) {
	switch binary.BigEndian.Uint32(el) {
	case sig("text"):
		return parseTextType(el)
	case sig("desc"):
		return parseDesc(el)
	case sig("mluc"):
		return parseMluc(el)
	}
	return nil, nil, false
}

func header(sp []span) []span { return append(sp, span{0, 4, false}, span{4, 8, true}) }

func cString(b []byte) (string, int, bool) {
	for i, c := range b {
		if c == 0 {
			return string(b[:i]), i + 1, true
		}
	}
	return "", 0, false
}

// textType: 7-bit ASCII, NUL terminated (ICC.1:2022 10.24).
func parseTextType(el []byte) ([]string, []span, bool) {
	s, n, ok := cString(el[8:])
	if !ok || n > maxTextBytes {
		return nil, nil, false
	}
	return []string{s}, append(header(nil), span{8, 8 + n, false}), true
}

// textDescriptionType (ICC.1:2001-04 6.5.17): ASCII count and string,
// Unicode language code, count (in characters) and UTF-16 string,
// ScriptCode code, count and a fixed 67-byte field. Writers that end the
// element after the ASCII or Unicode part are tolerated.
func parseDesc(el []byte) ([]string, []span, bool) {
	if len(el) < 12 {
		return nil, nil, false
	}
	a := u32(el, 8)
	if a > maxTextBytes || 12+a > len(el) {
		return nil, nil, false
	}
	sp := append(header(nil), span{8, 12, false})
	var strs []string
	if a > 0 {
		s, n, ok := cString(el[12 : 12+a])
		if !ok {
			return nil, nil, false
		}
		strs = append(strs, s)
		sp = append(sp, span{12, 12 + n, false}, span{12 + n, 12 + a, true})
	}
	pos := 12 + a
	if pos == len(el) {
		return strs, sp, true
	}
	if pos+8 > len(el) {
		return nil, nil, false
	}
	u := u32(el, pos+4)
	if u > maxTextBytes/2 || pos+8+2*u > len(el) {
		return nil, nil, false
	}
	sp = append(sp, span{pos, pos + 8 + 2*u, false})
	if u > 0 {
		strs = append(strs, utf16String(el[pos+8:pos+8+2*u]))
	}
	pos += 8 + 2*u
	if pos == len(el) {
		return strs, sp, true
	}
	// The ScriptCode field is 67 bytes; some writers cut it short.
	if pos+3 > len(el) {
		return nil, nil, false
	}
	end := min(pos+70, len(el))
	c := int(el[pos+2])
	if pos+3+c > end {
		return nil, nil, false
	}
	if c > 0 {
		s := el[pos+3 : pos+3+c]
		for len(s) > 0 && s[len(s)-1] == 0 {
			s = s[:len(s)-1]
		}
		if len(s) > 0 {
			strs = append(strs, string(s))
		}
		sp = append(sp, span{pos, pos + 3 + c, false})
	} else {
		sp = append(sp, span{pos, pos + 3, true})
	}
	sp = append(sp, span{pos + 3 + c, end, true})
	return strs, sp, true
}

// multiLocalizedUnicodeType (ICC.1:2022 10.15).
func parseMluc(el []byte) ([]string, []span, bool) {
	if len(el) < 16 {
		return nil, nil, false
	}
	n, rs := u32(el, 8), u32(el, 12)
	if n > maxTextRecords || rs != 12 || 16+12*n > len(el) {
		return nil, nil, false
	}
	sp := append(header(nil), span{8, 16 + 12*n, false})
	strs := make([]string, 0, n)
	for i := range n {
		r := 16 + 12*i
		l, off := u32(el, r+4), u32(el, r+8)
		if l > maxTextBytes || l%2 != 0 || off > len(el) || l > len(el)-off || !langCode(el[r:r+4]) {
			return nil, nil, false
		}
		strs = append(strs, utf16String(el[off:off+l]))
		sp = append(sp, span{off, off + l, false})
	}
	return strs, sp, true
}

func utf16String(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.BigEndian.Uint16(b[2*i:])
	}
	for len(u) > 0 && u[len(u)-1] == 0 {
		u = u[:len(u)-1]
	}
	if len(u) > 0 && u[0] == 0xFEFF { // byte order mark
		u = u[1:]
	}
	return string(utf16.Decode(u))
}

// langCode reports an ISO 639-1 language and ISO 3166-1 country code
// (letters, or zero when absent): anything else is a channel for data.
func langCode(b []byte) bool {
	for _, c := range b {
		if c != 0 && (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') {
			return false
		}
	}
	return true
}
