package webpriff

import "encoding/binary"

// FormatError reports that the input is not a well-formed WebP file. Its
// text never holds a metadata value: only structure names, offsets and
// sizes.
type FormatError string

func (e FormatError) Error() string { return "webpriff: " + string(e) }

const (
	// maxChunks bounds the number of chunks walked (top level and inside
	// all ANMF frames together).
	maxChunks = 1 << 16
	// VP8X flag bits (WebP container spec, "Extended File Format").
	flagICC   = 0x20
	flagAlpha = 0x10
	flagEXIF  = 0x08
	flagXMP   = 0x04
	flagAnim  = 0x02
	// anmfHeader is the size of the ANMF frame header before its sub-chunks.
	anmfHeader = 16
)

// appendChunk appends a chunk with its header and padding.
func appendChunk(dst []byte, id string, payload ...[]byte) []byte {
	n := 0
	for _, p := range payload {
		n += len(p)
	}
	dst = append(dst, id...)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(n))
	for _, p := range payload {
		dst = append(dst, p...)
	}
	if n&1 == 1 {
		dst = append(dst, 0)
	}
	return dst
}

func put24(b []byte, v int) {
	b[0], b[1], b[2] = byte(v), byte(v>>8), byte(v>>16)
}
