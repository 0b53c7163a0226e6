package webpriff

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// FormatError reports that the input is not a well-formed WebP container.
// Its text never holds a metadata value: only chunk names, offsets and sizes.
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

// chunk is one RIFF chunk: its FourCC and payload (without padding).
type chunk struct {
	id      string
	off     int // offset of the chunk header in the file
	payload []byte
}

// file is a walked WebP file.
type file struct {
	chunks   []chunk
	riffEnd  int // end of the RIFF payload (8 + RIFF size)
	trailing int // bytes after riffEnd
}

// parse walks the RIFF header and the top-level chunks of data.
func parse(data []byte) (*file, error) {
	if len(data) < 12 {
		return nil, FormatError("file shorter than the RIFF header")
	}
	if string(data[0:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return nil, FormatError("not a RIFF WEBP file")
	}
	size := uint64(binary.LittleEndian.Uint32(data[4:8]))
	if size < 4 {
		return nil, FormatError("RIFF size smaller than the form type")
	}
	if 8+size > uint64(len(data)) {
		return nil, FormatError(fmt.Sprintf("RIFF size %d exceeds the file (%d bytes)", size, len(data)))
	}
	f := &file{riffEnd: int(8 + size)}
	f.trailing = len(data) - f.riffEnd
	n := 0
	var err error
	f.chunks, err = walkChunks(data[:f.riffEnd], 12, &n)
	if err != nil {
		return f, err
	}
	if len(f.chunks) == 0 {
		return f, FormatError("no chunks")
	}
	return f, nil
}

// walkChunks reads chunks from data[pos:]; n counts chunks across calls.
func walkChunks(data []byte, pos int, n *int) ([]chunk, error) {
	var out []chunk
	for pos < len(data) {
		if len(data)-pos < 8 {
			return out, FormatError(fmt.Sprintf("truncated chunk header at offset %d", pos))
		}
		*n++
		if *n > maxChunks {
			return out, FormatError("too many chunks")
		}
		id := string(data[pos : pos+4])
		size := uint64(binary.LittleEndian.Uint32(data[pos+4 : pos+8]))
		rest := uint64(len(data) - pos - 8)
		if size > rest {
			return out, FormatError(fmt.Sprintf("chunk at offset %d declares %d bytes, %d remain", pos, size, rest))
		}
		out = append(out, chunk{id: id, off: pos, payload: data[pos+8 : pos+8+int(size)]})
		next := uint64(pos) + 8 + size + size&1
		if next > uint64(len(data)) { // missing final pad byte: tolerated
			next = uint64(len(data))
		}
		pos = int(next)
	}
	return out, nil
}

// frameChunks returns the sub-chunks of an ANMF payload.
func frameChunks(p []byte, n *int) ([]chunk, error) {
	if len(p) < anmfHeader {
		return nil, FormatError("ANMF chunk shorter than its frame header")
	}
	return walkChunks(p, anmfHeader, n)
}

// dims returns the canvas or frame size from a VP8X, VP8 or VP8L payload,
// and for VP8L whether the header says alpha is used.
func dims(c chunk) (w, h int, alpha, ok bool) {
	p := c.payload
	switch c.id {
	case "VP8X":
		if len(p) < 10 {
			return 0, 0, false, false
		}
		w = 1 + int(uint32(p[4])|uint32(p[5])<<8|uint32(p[6])<<16)
		h = 1 + int(uint32(p[7])|uint32(p[8])<<8|uint32(p[9])<<16)
		return w, h, p[0]&flagAlpha != 0, true
	case "VP8 ":
		// RFC 6386 9.1: 3-byte frame tag (bit 0 clear on key frames), start
		// code 9d 01 2a, then 14-bit width and height with 2-bit scales.
		if len(p) < 10 || p[0]&1 != 0 || !bytes.Equal(p[3:6], []byte{0x9d, 0x01, 0x2a}) {
			return 0, 0, false, false
		}
		w = int(binary.LittleEndian.Uint16(p[6:8]) & 0x3fff)
		h = int(binary.LittleEndian.Uint16(p[8:10]) & 0x3fff)
		return w, h, false, w > 0 && h > 0
	case "VP8L":
		// Lossless spec 3: signature 0x2f, 14 bits width-1, 14 bits
		// height-1, 1 bit alpha_is_used, 3 bits version (0).
		if len(p) < 5 || p[0] != 0x2f {
			return 0, 0, false, false
		}
		v := binary.LittleEndian.Uint32(p[1:5])
		if v>>29 != 0 {
			return 0, 0, false, false
		}
		return 1 + int(v&0x3fff), 1 + int(v>>14&0x3fff), v>>28&1 == 1, true
	}
	return 0, 0, false, false
}

// imageChunk reports whether id is one of the chunks a decoder turns into
// pixels (or frame structure) and that Strip keeps verbatim.
func imageChunk(id string) bool {
	switch id {
	case "VP8 ", "VP8L", "ALPH", "ANIM":
		return true
	}
	return false
}

// frameSubChunk reports whether id may be kept inside an ANMF frame.
func frameSubChunk(id string) bool {
	return id == "VP8 " || id == "VP8L" || id == "ALPH"
}

// appendChunk appends a chunk with its header and padding.
func appendChunk(dst []byte, id string, payload []byte) []byte {
	dst = append(dst, id...)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(payload)))
	dst = append(dst, payload...)
	if len(payload)&1 == 1 {
		dst = append(dst, 0)
	}
	return dst
}
