package testimg

import (
	"encoding/binary"
	"math"
	"unicode/utf16"
)

// ICCProfileRGB returns a small but complete ICC v4 RGB display profile
// (matrix/TRC: desc, cprt, wtpt, rXYZ/gXYZ/bXYZ, rTRC/gTRC/bTRC with a
// gamma of 2.2) whose description and copyright texts are desc and cprt,
// so that a planted value can ride in a profile.
func ICCProfileRGB(desc, cprt string) []byte {
	s15 := func(f float64) []byte {
		return binary.BigEndian.AppendUint32(nil, uint32(int32(math.Round(f*65536))))
	}
	xyz := func(x, y, z float64) []byte {
		b := append([]byte("XYZ "), 0, 0, 0, 0)
		return append(append(append(b, s15(x)...), s15(y)...), s15(z)...)
	}
	mluc := func(s string) []byte {
		u := utf16.Encode([]rune(s))
		b := append([]byte("mluc"), 0, 0, 0, 0)
		b = binary.BigEndian.AppendUint32(b, 1)
		b = binary.BigEndian.AppendUint32(b, 12)
		b = append(b, "enUS"...)
		b = binary.BigEndian.AppendUint32(b, uint32(2*len(u)))
		b = binary.BigEndian.AppendUint32(b, 28)
		for _, c := range u {
			b = binary.BigEndian.AppendUint16(b, c)
		}
		return b
	}
	curv := append([]byte("curv"), 0, 0, 0, 0, 0, 0, 0, 1, 2, 0x33, 0, 0)
	tags := []struct {
		sig  string
		data []byte
	}{
		{"desc", mluc(desc)}, {"cprt", mluc(cprt)}, {"wtpt", xyz(0.9642, 1, 0.8249)},
		{"rXYZ", xyz(0.4361, 0.2225, 0.0139)}, {"gXYZ", xyz(0.3851, 0.7169, 0.0971)},
		{"bXYZ", xyz(0.1431, 0.0606, 0.7141)}, {"rTRC", curv}, {"gTRC", curv}, {"bTRC", curv},
	}
	if cprt == "" {
		tags = append(tags[:1], tags[2:]...)
	}
	off := 128 + 4 + 12*len(tags)
	table := binary.BigEndian.AppendUint32(nil, uint32(len(tags)))
	var body []byte
	for _, t := range tags {
		for len(body)%4 != 0 {
			body = append(body, 0)
		}
		table = append(table, t.sig...)
		table = binary.BigEndian.AppendUint32(table, uint32(off+len(body)))
		table = binary.BigEndian.AppendUint32(table, uint32(len(t.data)))
		body = append(body, t.data...)
	}
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	h := make([]byte, 128)
	binary.BigEndian.PutUint32(h, uint32(128+len(table)+len(body)))
	copy(h[8:], []byte{4, 0x30, 0, 0})
	copy(h[12:], "mntrRGB XYZ ")
	copy(h[24:], []byte{0x07, 0xE9, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0})
	copy(h[36:], "acsp")
	copy(h[68:], s15(0.9642))
	copy(h[72:], s15(1))
	copy(h[76:], s15(0.8249))
	return append(append(h, table...), body...)
}
