package exifmeta

import (
	"encoding/binary"
	"testing"
)

func TestOrientationOnly(t *testing.T) {
	le := func(o uint16) []byte {
		b := []byte("II*\x00\x08\x00\x00\x00\x01\x00")
		b = binary.LittleEndian.AppendUint16(b, 0x112)
		b = binary.LittleEndian.AppendUint16(b, 3)
		b = binary.LittleEndian.AppendUint32(b, 1)
		b = binary.LittleEndian.AppendUint16(b, o)
		return append(b, 0, 0, 0, 0, 0, 0)
	}
	for o := 1; o <= 8; o++ {
		if got, ok := OrientationOnly(Minimal(o)); !ok || got != o {
			t.Errorf("Minimal(%d): %d %v", o, got, ok)
		}
		if got, ok := OrientationOnly(le(uint16(o))); !ok || got != o {
			t.Errorf("little-endian %d: %d %v", o, got, ok)
		}
	}
	bad := map[string][]byte{
		"value 0":        le(0),
		"value 9":        le(9),
		"extra byte":     append(le(6), 'x'),
		"next IFD":       func() []byte { b := le(6); b[22] = 8; return b }(),
		"padding used":   func() []byte { b := le(6); b[20] = 'x'; return b }(),
		"other tag":      func() []byte { b := le(6); b[10] = 0x13; return b }(),
		"type LONG":      func() []byte { b := le(6); b[12] = 4; return b }(),
		"two entries":    func() []byte { b := le(6); b[8] = 2; return b }(),
		"bad byte order": func() []byte { b := le(6); b[0] = 'X'; return b }(),
	}
	for name, b := range bad {
		if _, ok := OrientationOnly(b); ok {
			t.Errorf("%s: accepted", name)
		}
	}
}
