package xmp

import (
	"bytes"
	"encoding/binary"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// toUTF8 returns the packet as UTF-8: a UTF-8 BOM is dropped, UTF-16 or
// UTF-32 (recognised by BOM or by the encoding of the leading '<', as XMP
// Part 3 describes) is transcoded, and text that is not valid UTF-8 is read
// as Latin-1. Trailing NUL and whitespace padding
// is trimmed.
func toUTF8(p []byte) ([]byte, error) {
	var out []byte
	var err error
	switch {
	case bytes.HasPrefix(p, []byte{0xEF, 0xBB, 0xBF}):
		out = p[3:]
	case bytes.HasPrefix(p, []byte{0, 0, 0xFE, 0xFF}):
		out, err = fromUTF32(p[4:], binary.BigEndian)
	case bytes.HasPrefix(p, []byte{0xFF, 0xFE, 0, 0}):
		out, err = fromUTF32(p[4:], binary.LittleEndian)
	case bytes.HasPrefix(p, []byte{0xFE, 0xFF}):
		out, err = fromUTF16(p[2:], binary.BigEndian)
	case bytes.HasPrefix(p, []byte{0xFF, 0xFE}):
		out, err = fromUTF16(p[2:], binary.LittleEndian)
	case bytes.HasPrefix(p, []byte{0, 0, 0, '<'}):
		out, err = fromUTF32(p, binary.BigEndian)
	case bytes.HasPrefix(p, []byte{'<', 0, 0, 0}):
		out, err = fromUTF32(p, binary.LittleEndian)
	case bytes.HasPrefix(p, []byte{0, '<'}):
		out, err = fromUTF16(p, binary.BigEndian)
	case bytes.HasPrefix(p, []byte{'<', 0}):
		out, err = fromUTF16(p, binary.LittleEndian)
	default:
		out = p
		if !utf8.Valid(p) {
			// Writers that ignore XMP's UTF-8 rule store Latin-1 text
			// (e.g. an accented place name): widen it byte by byte so the
			// names around it can still be classified.
			out = make([]byte, 0, len(p)+len(p)/8)
			for _, c := range p {
				out = utf8.AppendRune(out, rune(c))
			}
		}
	}
	if err != nil {
		return nil, err
	}
	return bytes.TrimRight(out, "\x00 \t\r\n"), nil
}

func fromUTF16(p []byte, bo binary.ByteOrder) ([]byte, error) {
	// Trailing NUL padding may leave an odd byte; anything else is broken.
	if len(p)%2 != 0 {
		if p[len(p)-1] != 0 {
			return nil, FormatError("UTF-16 packet has odd length")
		}
		p = p[:len(p)-1]
	}
	out := make([]byte, 0, len(p)/2*3/2+4)
	for i := 0; i+1 < len(p); i += 2 {
		u := rune(bo.Uint16(p[i:]))
		if utf16.IsSurrogate(u) {
			if i+3 < len(p) {
				if r := utf16.DecodeRune(u, rune(bo.Uint16(p[i+2:]))); r != utf8.RuneError {
					out = utf8.AppendRune(out, r)
					i += 2
					continue
				}
			}
			return nil, FormatError("UTF-16 packet has an unpaired surrogate")
		}
		out = utf8.AppendRune(out, u)
	}
	return out, nil
}

func fromUTF32(p []byte, bo binary.ByteOrder) ([]byte, error) {
	if len(p)%4 != 0 {
		return nil, FormatError("UTF-32 packet length is not a multiple of 4")
	}
	out := make([]byte, 0, len(p)/4+4)
	for i := 0; i+3 < len(p); i += 4 {
		r := rune(bo.Uint32(p[i:]))
		if !utf8.ValidRune(r) {
			return nil, FormatError("UTF-32 packet has an invalid code point")
		}
		out = utf8.AppendRune(out, r)
	}
	return out, nil
}

// charsetReader handles the encoding named by an <?xml?> declaration. The
// text is UTF-8 by now (toUTF8 ran first), so Unicode labels pass through;
// Latin-1 family labels are widened byte by byte; others are refused.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-16", "utf-16le", "utf-16be", "utf-32", "utf-32le", "utf-32be",
		"ucs-2", "ucs-4", "unicode", "us-ascii", "ascii":
		return r, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "windows-1252", "cp1252":
		return &latin1Reader{r: r}, nil
	}
	return nil, FormatError("unsupported character encoding")
}

// latin1Reader maps each byte to the code point of the same value.
type latin1Reader struct {
	r       io.Reader
	buf     []byte
	pending []byte
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	if len(l.pending) > 0 {
		n := copy(p, l.pending)
		l.pending = l.pending[n:]
		return n, nil
	}
	n := max(len(p)/2, 1)
	if cap(l.buf) < n {
		l.buf = make([]byte, n)
	}
	m, err := l.r.Read(l.buf[:n])
	out := latin1ToUTF8(l.buf[:m])
	k := copy(p, out)
	l.pending = out[k:]
	return k, err
}

// latin1ToUTF8 maps each byte of p to the code point of the same value.
func latin1ToUTF8(p []byte) []byte {
	out := make([]byte, 0, len(p)+len(p)/4)
	for _, c := range p {
		out = utf8.AppendRune(out, rune(c))
	}
	return out
}
