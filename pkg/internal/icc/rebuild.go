package icc

import (
	"bytes"
	"encoding/binary"
	"unicode/utf16"
)

// The neutral texts Rebuild writes.
const (
	NeutralDescription = "photoscrub profile"
	NeutralCopyright   = "No copyright, use freely"
)

// Rebuild returns the minimal profile a colour-managed viewer needs, built
// from the parsed fields only: the header with the version, class, colour
// space, PCS, rendering intent and PCS illuminant kept, the CMM, platform,
// flags, device manufacturer and model, attributes, creator and date
// zeroed, and the profile ID recomputed (MD5, ICC.1:2022 7.2.18; zero in
// v2, where the field is reserved); the
// kept colorimetric tags in a canonical order, each re-serialized from its
// parsed fields, identical elements shared; a description that is the
// standard profile name when the original's was a known one and
// NeutralDescription otherwise; NeutralCopyright. v2 profiles get
// textDescriptionType and textType, v4 and later multiLocalizedUnicodeType.
// The result is deterministic and Rebuild(Parse(Rebuild(p))) equals
// Rebuild(p). The returned slice must not be modified.
func (p *Profile) Rebuild() []byte {
	p.once.Do(func() { p.rebuilt = p.build() })
	return p.rebuilt
}

func (p *Profile) build() []byte {
	name := p.name
	if name == "" {
		name = NeutralDescription
	}
	type entry struct {
		sig  uint32
		elem []byte
	}
	var es []entry
	if p.version[0] >= 4 {
		es = append(es, entry{sig("desc"), mluc(name)}, entry{sig("cprt"), mluc(NeutralCopyright)})
	} else {
		es = append(es, entry{sig("desc"), textDesc(name)}, entry{sig("cprt"), textType(NeutralCopyright)})
	}
	for _, s := range keptOrder {
		for _, k := range p.kept {
			if k.sig == sig(s) {
				es = append(es, entry{k.sig, k.elem})
			}
		}
	}
	be := binary.BigEndian
	n := len(es)
	out := make([]byte, 132+12*n, 4096)
	type placed struct{ off, size int }
	var done []placed
	for i, e := range es {
		pl := placed{-1, len(e.elem)}
		for _, d := range done {
			if d.size == len(e.elem) && bytes.Equal(out[d.off:d.off+d.size], e.elem) {
				pl.off = d.off
				break
			}
		}
		if pl.off < 0 {
			out = append(out, make([]byte, align4(len(out))-len(out))...)
			pl.off = len(out)
			out = append(out, e.elem...)
			done = append(done, pl)
		}
		t := out[132+12*i:]
		be.PutUint32(t, e.sig)
		be.PutUint32(t[4:], uint32(pl.off))
		be.PutUint32(t[8:], uint32(pl.size))
	}
	out = append(out, make([]byte, align4(len(out))-len(out))...)
	be.PutUint32(out[0:], uint32(len(out)))
	out[8], out[9] = p.version[0], p.version[1]
	be.PutUint32(out[12:], p.class)
	be.PutUint32(out[16:], p.space)
	be.PutUint32(out[20:], p.pcs)
	copy(out[36:], "acsp")
	be.PutUint32(out[64:], p.intent)
	copy(out[68:80], p.illuminant[:])
	be.PutUint32(out[128:], uint32(n))
	if p.version[0] >= 4 { // v2 has no profile ID: the field is reserved
		id := profileID(out)
		copy(out[84:100], id[:])
	}
	return out
}

func textType(s string) []byte {
	b := make([]byte, 8, 8+len(s)+1)
	copy(b, "text")
	b = append(b, s...)
	return append(b, 0)
}

// textDesc writes a textDescriptionType with the ASCII part only (empty
// Unicode and ScriptCode parts).
func textDesc(s string) []byte {
	b := make([]byte, 12, 90+len(s)+1)
	copy(b, "desc")
	binary.BigEndian.PutUint32(b[8:], uint32(len(s)+1))
	b = append(b, s...)
	b = append(b, 0)
	return append(b, make([]byte, 4+4+2+1+67)...)
}

// mluc writes a multiLocalizedUnicodeType with one en-US record.
func mluc(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 28, 28+2*len(u))
	copy(b, "mluc")
	binary.BigEndian.PutUint32(b[8:], 1)
	binary.BigEndian.PutUint32(b[12:], 12)
	copy(b[16:], "enUS")
	binary.BigEndian.PutUint32(b[20:], uint32(2*len(u)))
	binary.BigEndian.PutUint32(b[24:], 28)
	for _, c := range u {
		b = binary.BigEndian.AppendUint16(b, c)
	}
	return b
}
