package icc

import (
	"encoding/binary"
	"math"
	"unicode/utf16"
)

// A small ICC profile writer for tests: it lays out tags as given, each
// 4-byte aligned, so that hostile variants (slack, shared and overlapping
// data, trailing bytes) can be made by editing the result.

type btag struct {
	sig  string
	data []byte
	// share, when set, points this tag at the data of the named tag.
	share string
	// extra bytes written after data and counted in the tag's size.
	extra []byte
}

type bprof struct {
	major, minor byte
	class, space string
	pcs          string
	tags         []btag
	// gap bytes written before each tag's data (slack).
	gap []byte
}

func be32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

func s15(f float64) []byte { return be32(uint32(int32(math.Round(f * 65536)))) }

func elem(typ string, body ...[]byte) []byte {
	b := append([]byte(typ), 0, 0, 0, 0)
	for _, x := range body {
		b = append(b, x...)
	}
	return b
}

func xyzEl(x, y, z float64) []byte { return elem("XYZ ", s15(x), s15(y), s15(z)) }

func gammaEl(g float64) []byte {
	return elem("curv", be32(1), binary.BigEndian.AppendUint16(nil, uint16(g*256)))
}

func tableEl(n int) []byte {
	b := elem("curv", be32(uint32(n)))
	for i := range n {
		b = binary.BigEndian.AppendUint16(b, uint16(math.Pow(float64(i)/float64(n-1), 2.2)*65535))
	}
	return b
}

func srgbParaEl() []byte {
	return elem("para", []byte{0, 3, 0, 0}, s15(2.4), s15(1/1.055), s15(0.055/1.055), s15(1/12.92), s15(0.04045))
}

func chadEl() []byte {
	m := []float64{1.0479, 0.0229, -0.0502, 0.0296, 0.9904, -0.0171, -0.0092, 0.0151, 0.7519}
	b := elem("sf32")
	for _, v := range m {
		b = append(b, s15(v)...)
	}
	return b
}

func textEl(s string) []byte { return append(elem("text", []byte(s)), 0) }

func descEl(s string) []byte {
	b := elem("desc", be32(uint32(len(s)+1)), []byte(s), []byte{0})
	return append(b, make([]byte, 4+4+2+1+67)...)
}

func mlucEl(strs ...string) []byte {
	b := elem("mluc", be32(uint32(len(strs))), be32(12))
	off := 16 + 12*len(strs)
	var data []byte
	for _, s := range strs {
		u := utf16.Encode([]rune(s))
		b = append(b, "enUS"...)
		b = append(b, be32(uint32(2*len(u)))...)
		b = append(b, be32(uint32(off+len(data)))...)
		for _, c := range u {
			data = binary.BigEndian.AppendUint16(data, c)
		}
	}
	return append(b, data...)
}

// lut16El: a 3-in 3-out lut16Type with a 2-point grid and 2-entry tables.
func lut16El(in, out int) []byte {
	b := elem("mft2", []byte{byte(in), byte(out), 2, 0})
	for i := range 9 {
		if i%4 == 0 {
			b = append(b, s15(1)...)
		} else {
			b = append(b, s15(0)...)
		}
	}
	b = append(b, 0, 2, 0, 2)
	for range in {
		b = append(b, 0, 0, 0xff, 0xff)
	}
	pts := 1 << in
	for i := range pts * out {
		b = binary.BigEndian.AppendUint16(b, uint16(i*977))
	}
	for range out {
		b = append(b, 0, 0, 0xff, 0xff)
	}
	return b
}

// lut8El: a lut8Type with a 2-point grid.
func lut8El(in, out int) []byte {
	b := elem("mft1", []byte{byte(in), byte(out), 2, 0})
	for range 9 {
		b = append(b, s15(1)...)
	}
	for i := range 256 * in {
		b = append(b, byte(i))
	}
	for i := range (1 << in) * out {
		b = append(b, byte(i*31))
	}
	for i := range 256 * out {
		b = append(b, byte(i))
	}
	return b
}

// lutABEl: a lutAToBType (or lutBToAType) 3->3 with B curves, matrix, M
// curves, a 2-point CLUT and A curves.
func lutABEl(atob bool) []byte {
	typ := "mAB "
	if !atob {
		typ = "mBA "
	}
	curves := func() []byte {
		var b []byte
		for i := range 3 {
			b = append(b, gammaEl(1+float64(i)/4)...)
			b = append(b, 0, 0) // pad 14 -> 16
		}
		return b
	}
	var mat []byte
	for i := range 12 {
		mat = append(mat, s15(float64(i%4)/3)...)
	}
	clut := make([]byte, 20)
	clut[0], clut[1], clut[2], clut[16] = 2, 2, 2, 2
	for i := range 8 * 3 {
		clut = binary.BigEndian.AppendUint16(clut, uint16(i*2111))
	}
	hdr := elem(typ, []byte{3, 3, 0, 0})
	offB := 32
	offMat := offB + len(curves())
	offM := offMat + 48
	offClut := offM + len(curves())
	offA := offClut + len(clut)
	for _, o := range []int{offB, offMat, offM, offClut, offA} {
		hdr = append(hdr, be32(uint32(o))...)
	}
	b := append(hdr, curves()...)
	b = append(b, mat...)
	b = append(b, curves()...)
	b = append(b, clut...)
	return append(b, curves()...)
}

func (p bprof) bytes() []byte {
	if p.major == 0 {
		p.major = 2
	}
	if p.class == "" {
		p.class = "mntr"
	}
	if p.space == "" {
		p.space = "RGB "
	}
	if p.pcs == "" {
		p.pcs = "XYZ "
	}
	n := len(p.tags)
	out := make([]byte, 132+12*n)
	type at struct{ off, size int }
	placed := map[string]at{}
	for i, t := range p.tags {
		var a at
		if t.share != "" {
			a = placed[t.share]
		} else {
			for len(out)%4 != 0 {
				out = append(out, 0)
			}
			out = append(out, p.gap...)
			for len(out)%4 != 0 {
				out = append(out, 0)
			}
			a = at{len(out), len(t.data) + len(t.extra)}
			out = append(out, t.data...)
			out = append(out, t.extra...)
			placed[t.sig] = a
		}
		e := out[132+12*i:]
		copy(e, t.sig)
		binary.BigEndian.PutUint32(e[4:], uint32(a.off))
		binary.BigEndian.PutUint32(e[8:], uint32(a.size))
	}
	for len(out)%4 != 0 {
		out = append(out, 0)
	}
	binary.BigEndian.PutUint32(out, uint32(len(out)))
	copy(out[4:], "lcms")
	out[8], out[9] = p.major, p.minor
	copy(out[12:], p.class)
	copy(out[16:], p.space)
	copy(out[20:], p.pcs)
	binary.BigEndian.PutUint16(out[24:], 2009)
	copy(out[36:], "acsp")
	copy(out[40:], "APPL")
	copy(out[48:], "HP  ")
	copy(out[52:], "sRGB")
	copy(out[68:], s15(0.9642))
	copy(out[72:], s15(1))
	copy(out[76:], s15(0.8249))
	copy(out[80:], "HP  ")
	binary.BigEndian.PutUint32(out[128:], uint32(n))
	return out
}

// Standard sample profiles.

func srgbV2() bprof {
	return bprof{major: 2, minor: 0x10, tags: []btag{
		{sig: "cprt", data: textEl("Copyright (c) 1998 Hewlett-Packard Company")},
		{sig: "desc", data: descEl("sRGB IEC61966-2.1")},
		{sig: "wtpt", data: xyzEl(0.9505, 1, 1.089)},
		{sig: "bkpt", data: xyzEl(0, 0, 0)},
		{sig: "rXYZ", data: xyzEl(0.4361, 0.2225, 0.0139)},
		{sig: "gXYZ", data: xyzEl(0.3851, 0.7169, 0.0971)},
		{sig: "bXYZ", data: xyzEl(0.1431, 0.0606, 0.7141)},
		{sig: "dmnd", data: descEl("IEC http://www.iec.ch")},
		{sig: "dmdd", data: descEl("IEC 61966-2.1 Default RGB colour space - sRGB")},
		{sig: "rTRC", data: tableEl(1024)},
		{sig: "gTRC", share: "rTRC"},
		{sig: "bTRC", share: "rTRC"},
	}}
}

func p3V4() bprof {
	return bprof{major: 4, tags: []btag{
		{sig: "desc", data: mlucEl("Display P3")},
		{sig: "cprt", data: mlucEl("Copyright Apple Inc., 2017")},
		{sig: "wtpt", data: xyzEl(0.9642, 1, 0.8249)},
		{sig: "rXYZ", data: xyzEl(0.5151, 0.2412, -0.0011)},
		{sig: "gXYZ", data: xyzEl(0.2920, 0.6922, 0.0419)},
		{sig: "bXYZ", data: xyzEl(0.1571, 0.0666, 0.7841)},
		{sig: "rTRC", data: srgbParaEl()},
		{sig: "chad", data: chadEl()},
		{sig: "bTRC", share: "rTRC"},
		{sig: "gTRC", share: "rTRC"},
		{sig: "cicp", data: elem("cicp", []byte{12, 13, 0, 1})},
	}}
}

func grayV2() bprof {
	return bprof{major: 2, space: "GRAY", tags: []btag{
		{sig: "desc", data: descEl("Dot Gain 20%")},
		{sig: "cprt", data: textEl("Copyright 1999 Adobe Systems Incorporated")},
		{sig: "wtpt", data: xyzEl(0.9642, 1, 0.8249)},
		{sig: "kTRC", data: gammaEl(2.2)},
	}}
}

func lutV4() bprof {
	return bprof{major: 4, minor: 0x20, class: "scnr", tags: []btag{
		{sig: "desc", data: mlucEl("sRGB")},
		{sig: "cprt", data: mlucEl("Public Domain")},
		{sig: "wtpt", data: xyzEl(0.9642, 1, 0.8249)},
		{sig: "A2B0", data: lutABEl(true)},
		{sig: "B2A0", data: lutABEl(false)},
		{sig: "A2B1", data: lut16El(3, 3)},
		{sig: "B2A1", data: lut8El(3, 3)},
	}}
}

func cmykV2() bprof {
	return bprof{major: 2, class: "prtr", space: "CMYK", pcs: "Lab ", tags: []btag{
		{sig: "desc", data: descEl("U.S. Web Coated (SWOP) v2")},
		{sig: "cprt", data: textEl("Copyright 2000 Adobe Systems, Inc.")},
		{sig: "wtpt", data: xyzEl(0.7, 0.7, 0.6)},
		{sig: "A2B0", data: lut16El(4, 3)},
		{sig: "B2A0", data: lut16El(3, 4)},
		{sig: "gamt", data: lut8El(3, 1)},
	}}
}

var standard = map[string]func() bprof{
	"sRGB v2": srgbV2, "Display P3 v4": p3V4, "gray v2": grayV2, "LUT v4": lutV4, "CMYK v2": cmykV2,
}
