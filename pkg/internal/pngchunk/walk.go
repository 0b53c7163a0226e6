package pngchunk

import (
	"encoding/binary"
	"hash/crc32"
	"strconv"
)

// FormatError reports a PNG that cannot be parsed: a bad signature, a
// truncated or oversized chunk, a bad CRC on a critical chunk, a broken
// chunk order, an invalid image header, palette or animation, or image
// data that does not inflate to exactly the size the header dictates. An
// unknown critical chunk is reported as container.ErrUnsupported instead.
// Its text never holds a value (nor a chunk type) read from the file.
type FormatError string

// Error implements error.
func (e FormatError) Error() string { return "pngchunk: " + string(e) }

// signature is the 8-byte PNG file signature.
const signature = "\x89PNG\r\n\x1a\n"

const (
	// maxChunkLen is the largest chunk length the spec allows (2^31-1).
	maxChunkLen = 1<<31 - 1
	// maxChunks caps the number of chunks walked in one file.
	maxChunks = 1 << 20
)

// chunk is one walked chunk; data and raw alias the input.
type chunk struct {
	typ   string
	data  []byte // chunk data
	raw   []byte // length, type, data and CRC
	off   int    // offset of the length field
	crcOK bool
}

// critical reports whether the chunk type is critical (uppercase first
// letter).
func (c chunk) critical() bool { return c.typ[0] >= 'A' && c.typ[0] <= 'Z' }

// file is the result of a walk.
type file struct {
	chunks  []chunk
	trailer []byte // bytes after IEND
	width   int
	height  int
}

// knownCritical lists the critical chunks of the PNG specification.
var knownCritical = map[string]bool{"IHDR": true, "PLTE": true, "IDAT": true, "IEND": true}

// validType reports whether t is four ASCII letters.
func validType(t []byte) bool {
	for _, c := range t {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// walk splits data into chunks. On error it returns the chunks walked so
// far together with a FormatError. Sizes are checked before any slicing;
// nothing is copied.
func walk(data []byte) (*file, error) {
	f := &file{}
	if len(data) < len(signature) || string(data[:len(signature)]) != signature {
		return f, FormatError("not a PNG signature")
	}
	pos := len(signature)
	sawIDAT, sawIEND := false, false
	for !sawIEND {
		if len(f.chunks) >= maxChunks {
			return f, FormatError("too many chunks")
		}
		rest := len(data) - pos
		if rest < 12 {
			if rest == 0 {
				return f, FormatError("missing IEND")
			}
			return f, FormatError("truncated chunk header at offset " + strconv.Itoa(pos))
		}
		n := uint64(binary.BigEndian.Uint32(data[pos:]))
		if n > maxChunkLen {
			return f, FormatError("chunk length exceeds 2^31-1 at offset " + strconv.Itoa(pos))
		}
		if n > uint64(rest-12) {
			return f, FormatError("chunk at offset " + strconv.Itoa(pos) + " runs past the end of the file")
		}
		typb := data[pos+4 : pos+8]
		if !validType(typb) {
			return f, FormatError("invalid chunk type at offset " + strconv.Itoa(pos))
		}
		end := pos + 12 + int(n)
		c := chunk{typ: string(typb), data: data[pos+8 : pos+8+int(n)], raw: data[pos:end], off: pos}
		c.crcOK = crc32.ChecksumIEEE(data[pos+4:pos+8+int(n)]) == binary.BigEndian.Uint32(data[end-4:])
		if len(f.chunks) == 0 && c.typ != "IHDR" {
			return f, FormatError("first chunk is not IHDR")
		}
		if c.critical() {
			if !knownCritical[c.typ] {
				return f, errUnknownCritical
			}
			if !c.crcOK {
				return f, FormatError("bad CRC in a critical chunk")
			}
		}
		switch c.typ {
		case "IHDR":
			if len(f.chunks) != 0 {
				return f, FormatError("duplicate IHDR")
			}
			if n != 13 {
				return f, FormatError("bad IHDR length")
			}
			w, h := binary.BigEndian.Uint32(c.data), binary.BigEndian.Uint32(c.data[4:])
			if w == 0 || h == 0 || w > maxChunkLen || h > maxChunkLen {
				return f, FormatError("bad IHDR dimensions")
			}
			f.width, f.height = int(w), int(h)
		case "IDAT":
			sawIDAT = true
		case "IEND":
			if n != 0 {
				return f, FormatError("IEND with data")
			}
			if !sawIDAT {
				return f, FormatError("no IDAT before IEND")
			}
			sawIEND = true
		}
		f.chunks = append(f.chunks, c)
		pos = end
	}
	f.trailer = data[pos:]
	return f, nil
}

func crcOf(b []byte) uint32 { return crc32.ChecksumIEEE(b) }
