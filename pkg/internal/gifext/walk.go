package gifext

import (
	"bytes"
	"strconv"
)

// FormatError reports a GIF that cannot be parsed: a bad header, a
// truncated block, an unknown block introducer, a missing trailer, or
// image data whose LZW codes are invalid or hold more pixels than the
// frame. Its text never holds a value read from the file.
type FormatError string

// Error implements error.
func (e FormatError) Error() string { return "gifext: " + string(e) }

// maxBlocks caps the number of blocks walked in one file.
const maxBlocks = 1 << 20

// Block kinds.
const (
	introImage     = 0x2C
	introExtension = 0x21
	introTrailer   = 0x3B

	labelGraphicControl = 0xF9
	labelComment        = 0xFE
	labelPlainText      = 0x01
	labelApplication    = 0xFF
)

// block is one image or extension; slices alias the input.
type block struct {
	off   int // offset of the introducer
	intro byte
	label byte   // extension label
	raw   []byte // the whole block
	// first is the first sub-block's data (GCE fields, application
	// identifier + authentication code); nil when it is the terminator.
	first []byte
	// body is what follows the first sub-block, terminator included (for
	// images: everything after the image descriptor).
	body []byte
	// xmp is the XMP packet of an "XMP DataXMP" extension.
	xmp       []byte
	xmpMagic  bool // the magic trailer was found
	subBlocks int  // number of data sub-blocks after first
}

// appID returns the 11-byte application identifier + code, or "".
func (b block) appID() string {
	if b.intro == introExtension && b.label == labelApplication && len(b.first) == 11 {
		return string(b.first)
	}
	return ""
}

// file is the result of a walk.
type file struct {
	header, lsd, gct []byte
	blocks           []block
	trailer          []byte
	width, height    int
}

// subBlocks walks data sub-blocks starting at pos and returns the offset
// just after the zero-length terminator and the number of data sub-blocks.
func subBlocks(data []byte, pos int) (int, int, error) {
	n := 0
	for {
		if pos >= len(data) {
			return 0, 0, FormatError("truncated data sub-blocks")
		}
		size := int(data[pos])
		pos++
		if size == 0 {
			return pos, n, nil
		}
		if size > len(data)-pos {
			return 0, 0, FormatError("data sub-block runs past the end of the file")
		}
		pos += size
		n++
	}
}

// magicTrailer is the XMP-in-GIF magic trailer: 0x01, 0xFF..0x00, 0x00.
var magicTrailer = func() []byte {
	t := []byte{0x01}
	for i := 255; i >= 0; i-- {
		t = append(t, byte(i))
	}
	return append(t, 0)
}()

const xmpAppID = "XMP DataXMP"

// walk splits data into blocks. On error it returns what was walked so
// far with a FormatError. Every size is checked before slicing.
func walk(data []byte) (*file, error) {
	f := &file{}
	if len(data) < 13 {
		return f, FormatError("too short for a GIF header")
	}
	if h := string(data[:6]); h != "GIF87a" && h != "GIF89a" {
		return f, FormatError("not a GIF signature")
	}
	f.header, f.lsd = data[:6], data[6:13]
	f.width, f.height = int(data[6])|int(data[7])<<8, int(data[8])|int(data[9])<<8
	pos := 13
	if data[10]&0x80 != 0 {
		n := 3 << (data[10]&7 + 1)
		if n > len(data)-pos {
			return f, FormatError("truncated global colour table")
		}
		f.gct = data[pos : pos+n]
		pos += n
	}
	for {
		if len(f.blocks) >= maxBlocks {
			return f, FormatError("too many blocks")
		}
		if pos >= len(data) {
			return f, FormatError("missing trailer")
		}
		start := pos
		var b block
		b.intro = data[pos]
		switch b.intro {
		case introTrailer:
			f.trailer = data[pos+1:]
			return f, nil
		case introImage:
			if len(data)-pos < 11 {
				return f, FormatError("truncated image descriptor at offset " + strconv.Itoa(pos))
			}
			pos += 10
			if packed := data[pos-1]; packed&0x80 != 0 {
				n := 3 << (packed&7 + 1)
				if n > len(data)-pos-1 {
					return f, FormatError("truncated local colour table at offset " + strconv.Itoa(start))
				}
				pos += n
			}
			pos++ // LZW minimum code size
			end, n, err := subBlocks(data, pos)
			if err != nil {
				return f, err
			}
			b.body, b.subBlocks, pos = data[start+10:end], n, end
		case introExtension:
			if len(data)-pos < 3 {
				return f, FormatError("truncated extension at offset " + strconv.Itoa(pos))
			}
			b.label = data[pos+1]
			pos += 2
			if size := int(data[pos]); size > 0 {
				if size > len(data)-pos-1 {
					return f, FormatError("truncated extension at offset " + strconv.Itoa(start))
				}
				b.first = data[pos+1 : pos+1+size]
				pos += 1 + size
			}
			bodyStart := pos
			if b.first == nil {
				pos++ // the terminator itself
			} else {
				end, n, err := subBlocks(data, pos)
				if err != nil {
					return f, err
				}
				pos, b.subBlocks = end, n
				if b.appID() == xmpAppID {
					// The walk over packet bytes ends inside the magic
					// trailer, at its index 256 or 257.
					if pos-bodyStart >= 258 && bytes.Equal(data[pos-258:pos], magicTrailer) {
						b.xmp, b.xmpMagic = data[bodyStart:pos-258], true
					} else if pos-bodyStart >= 257 && pos < len(data) && data[pos] == 0 &&
						bytes.Equal(data[pos-257:pos], magicTrailer[:257]) {
						pos++
						b.xmp, b.xmpMagic = data[bodyStart:pos-258], true
					} else {
						b.xmp = data[bodyStart:pos]
					}
				}
			}
			b.body = data[bodyStart:pos]
		default:
			return f, FormatError("unknown block introducer at offset " + strconv.Itoa(pos))
		}
		b.raw, b.off = data[start:pos], start
		f.blocks = append(f.blocks, b)
	}
}

// gather concatenates the data of the sub-blocks in body (which must have
// been walked already), dropping the size bytes.
func gather(body []byte) []byte {
	out := make([]byte, 0, len(body))
	for i := 0; i < len(body); {
		n := int(body[i])
		if n == 0 || n > len(body)-i-1 {
			break
		}
		out = append(out, body[i+1:i+1+n]...)
		i += 1 + n
	}
	return out
}

// Frames returns the number of images in a GIF, from its structure alone
// (nothing is decompressed), or an error when it cannot be walked.
func Frames(data []byte) (int, error) {
	f, err := walk(data)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, b := range f.blocks {
		if b.intro == introImage {
			n++
		}
	}
	return n, nil
}
