package tifffile

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/photoscrub/photoscrub/pkg/internal/jpegseg"
	"golang.org/x/image/ccitt"
)

// Compression schemes whose coded extent Parse proves (TIFF 6.0 Sections
// 3, 9, 13 and 22, Adobe PageMaker 6.0 TIFF Technical Notes for Deflate).
const (
	compNone     = 1
	compJPEG     = 7
	compLZW      = 5
	compDeflate  = 8
	compDeflate2 = 32946 // the first, private Deflate code
	compPackBits = 32773
	compG3       = 3 // CCITT T.4 (Group 3 fax)
	compG4       = 4 // CCITT T.6 (Group 4 fax)
)

// prover proves the extent of the strips or tiles of one file, reusing
// its decoder state from strip to strip.
type prover struct {
	lens   *[lzwTable]uint32
	br     bytes.Reader
	zr     io.ReadCloser
	tables []byte // JPEGTables of the page being proven, or nil
}

// errNoProof marks a compression whose coded extent cannot be proven.
var errNoProof = errors.New("no proof of the coded extent for this compression")

// prove returns how many leading bytes of the strip or tile data the
// decoder accounts for, decoding to raw bytes under compression comp.
func (pr *prover) prove(g *geom, i uint64, data []byte) (int, error) {
	raw := g.rawSize(i)
	switch comp := g.comp; comp {
	case compNone:
		if uint64(len(data)) < raw {
			return 0, FormatError("uncompressed strip shorter than its geometry")
		}
		return int(raw), nil
	case compLZW:
		if pr.lens == nil {
			pr.lens = new([lzwTable]uint32)
		}
		return proveLZW(data, raw, pr.lens)
	case compDeflate, compDeflate2:
		return pr.deflate(data, raw)
	case compPackBits:
		return provePackBits(data, raw)
	case compG3, compG4:
		if g.t4Options&1 != 0 && comp == compG3 {
			return 0, fmt.Errorf("two-dimensional CCITT T.4: %w", errNoProof)
		}
		w := g.width
		if g.tiled {
			w = g.tw
		}
		return proveCCITT(data, comp, g.fillOrder, w, raw)
	case compJPEG:
		n, err := safeJPEG(data, pr.tables)
		if err != nil || n < 0 || n > len(data) {
			return 0, FormatError("JPEG strip does not decode")
		}
		return n, nil
	}
	return 0, fmt.Errorf("compression %d: %w", g.comp, errNoProof)
}

// provenJPEG is the JPEG proof: the length of the prefix of a JPEG strip
// or tile its decoder accounts for (Huffman decoding to the last MCU of
// every scan, through EOI), given the JPEGTables value or nil.
var provenJPEG = jpegseg.ProvenLength

// maxDeflateRatio bounds how much Deflate can expand (258 bytes per
// 1-bit-ish symbol, about 1032:1): a strip claiming more is refused before
// inflating, so inflation is capped by the input size.
const maxDeflateRatio = 1040

// deflate inflates a zlib stream to its end (Adler-32 checked) and returns
// the stream's length. It must inflate to exactly raw bytes.
func (pr *prover) deflate(data []byte, raw uint64) (int, error) {
	if raw > uint64(len(data))*maxDeflateRatio+1024 {
		return 0, FormatError("Deflate strip too short for its geometry")
	}
	pr.br.Reset(data)
	var err error
	if pr.zr == nil {
		pr.zr, err = zlib.NewReader(&pr.br)
	} else {
		err = pr.zr.(zlib.Resetter).Reset(&pr.br, nil)
	}
	if err != nil {
		return 0, FormatError("Deflate strip has no zlib header")
	}
	n, err := io.Copy(io.Discard, io.LimitReader(pr.zr, int64(raw)+1))
	if err != nil {
		return 0, FormatError("Deflate strip does not inflate")
	}
	if uint64(n) != raw {
		return 0, FormatError("Deflate strip inflates to " + strconv.FormatInt(n, 10) + " bytes, geometry needs " + u64(raw))
	}
	return len(data) - pr.br.Len(), nil
}

// provePackBits decodes PackBits runs (TIFF 6.0 Section 9) until raw bytes
// are produced and returns the bytes read. A run that overshoots raw is an
// error.
func provePackBits(data []byte, raw uint64) (int, error) {
	var out uint64
	i := 0
	for out < raw {
		if i >= len(data) {
			return 0, FormatError("PackBits strip ends early")
		}
		n := int8(data[i])
		i++
		switch {
		case n >= 0:
			c := int(n) + 1
			if c > len(data)-i {
				return 0, FormatError("PackBits literal run past the strip")
			}
			i += c
			out += uint64(c)
		case n != -128:
			if i >= len(data) {
				return 0, FormatError("PackBits repeat run past the strip")
			}
			i++
			out += uint64(1 - int(n))
		}
	}
	if out != raw {
		return 0, FormatError("PackBits run overshoots the strip's size")
	}
	return i, nil
}

func u64(n uint64) string { return strconv.FormatUint(n, 10) }

// safeJPEG runs the JPEG proof, turning a panic in it into an error: a
// hostile strip must never take the process down.
func safeJPEG(data, tables []byte) (n int, err error) {
	defer func() {
		if recover() != nil {
			n, err = 0, FormatError("JPEG proof failed")
		}
	}()
	return provenJPEG(data, tables)
}

// oneByte hands its data out one byte per Read, so that the bytes a
// decoder has taken are exactly those it needed.
type oneByte struct {
	data []byte
	n    int
}

func (r *oneByte) Read(p []byte) (int, error) {
	if r.n >= len(r.data) {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	p[0] = r.data[r.n]
	r.n++
	return 1, nil
}

// maxCCITTRatio bounds how much a CCITT strip may expand: a blank row
// costs a few bits, so fax pages do expand a lot, but the decoding time
// stays capped by the input size.
const maxCCITTRatio = 4096

// proveCCITT decodes a CCITT T.4 (1-D) or T.6 strip of bilevel rows w
// pixels wide with golang.org/x/image/ccitt (the decoder x/image/tiff
// uses) and returns the bytes the decoder took: every row, and the
// end-of-facsimile-block trailer when present. The decoder loads one byte
// when it needs its first bit and may look up to two bytes ahead for an
// absent trailer; those are counted as coded.
func proveCCITT(data []byte, comp, fillOrder, w, raw uint64) (int, error) {
	rowBytes := ceilDiv(w, 8)
	if w == 0 || w > 1<<24 || raw%rowBytes != 0 || raw > uint64(len(data))*maxCCITTRatio+1<<20 {
		return 0, FormatError("CCITT strip too short for its geometry")
	}
	order, sf := ccitt.MSB, ccitt.Group3
	if fillOrder == 2 {
		order = ccitt.LSB
	}
	if comp == compG4 {
		sf = ccitt.Group4
	}
	r := &oneByte{data: data}
	n, err := io.Copy(io.Discard, ccitt.NewReader(r, order, sf, int(w), int(raw/rowBytes), &ccitt.Options{}))
	if err != nil || uint64(n) != raw {
		return 0, FormatError("CCITT strip does not decode to its geometry")
	}
	return r.n + eolTrailer(data[r.n:], fillOrder), nil
}

// maxEOLTrailer caps the EOL codes accepted after a CCITT strip's rows
// (a T.4 return-to-control is six EOLs, 9 bytes).
const maxEOLTrailer = 16

// eolTrailer returns how many leading bytes of tail hold nothing but
// further EOL codes (0000 0000 0001, T.4 4.1.2) and zero fill: encoders
// end a strip with a T.4 return-to-control where T.6 asks for two EOLs.
// The first EOL may have begun in the strip's last proven byte.
func eolTrailer(tail []byte, fillOrder uint64) int {
	tail = tail[:min(len(tail), maxEOLTrailer)]
	good, zeros, need := 0, 0, 4
	for i, b := range tail {
		for k := 0; k < 8; k++ {
			bit := b >> (7 - k) & 1
			if fillOrder == 2 {
				bit = b >> k & 1
			}
			if bit == 0 {
				zeros++
				continue
			}
			if zeros < need {
				return min(good, i) // a byte with a stray bit is not fill
			}
			zeros, need = 0, 11
			good = i + 1 // the rest of this byte must be zero fill
		}
		if zeros >= 8 && good == i {
			good = i + 1 // a byte of zero fill after an EOL
		}
	}
	return good
}
