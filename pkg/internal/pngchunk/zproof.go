package pngchunk

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"errors"

	"io"
	"sync"
)

// The inflate proof: a zlib stream spread over chunk data pieces is
// inflated to its end (the Adler-32 check), so that its extent in the file
// is known to the byte, and the decompressed data is checked against the
// raw size the image geometry dictates and against the filter-type byte
// that starts every scanline.

const (
	// maxRaw caps the decompressed size of one image or frame.
	maxRaw = 1 << 32
	// maxRatio bounds raw size against compressed size: deflate cannot
	// expand by more than about 1032:1, so a larger raw size cannot be
	// complete and is refused before inflating anything.
	maxRatio = 1040
	// maxExcess caps the decompressed bytes read past the raw size while
	// looking for the end of the stream.
	maxExcess = 16 << 20
)

// piece is a run of compressed bytes in the file.
type piece struct{ off, len int }

// piecesReader reads a list of pieces of data as one stream. It implements
// io.ByteReader, so the flate decompressor reads exactly the bytes it
// needs and the position after the stream is its exact end.
type piecesReader struct {
	data   []byte
	pieces []piece
	i, pos int // current piece and offset inside it
	read   int // bytes consumed in total
}

func (r *piecesReader) ReadByte() (byte, error) {
	for r.i < len(r.pieces) {
		p := r.pieces[r.i]
		if r.pos < p.len {
			b := r.data[p.off+r.pos]
			r.pos++
			r.read++
			return b, nil
		}
		r.i, r.pos = r.i+1, 0
	}
	return 0, io.EOF
}

func (r *piecesReader) Read(b []byte) (int, error) {
	n := 0
	for n < len(b) && r.i < len(r.pieces) {
		p := r.pieces[r.i]
		if r.pos >= p.len {
			r.i, r.pos = r.i+1, 0
			continue
		}
		k := copy(b[n:], r.data[p.off+r.pos:p.off+p.len])
		r.pos += k
		r.read += k
		n += k
	}
	if n == 0 && len(b) > 0 {
		return 0, io.EOF
	}
	return n, nil
}

// geometry is the scanline layout of one image: for each pass (one, or
// seven with Adam7) the number of rows and the bytes per row including
// the filter-type byte. Empty passes are left out.
type geometry struct {
	rows, rowBytes []uint64
	raw            uint64
}

var adam7 = [7][4]uint64{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}}

// layout computes the geometry of a w×h image with bpp bits per pixel.
func layout(w, h uint64, bpp uint64, interlaced bool) geometry {
	var g geometry
	add := func(pw, ph uint64) {
		if pw == 0 || ph == 0 {
			return
		}
		rb := 1 + (pw*bpp+7)/8
		g.rows = append(g.rows, ph)
		g.rowBytes = append(g.rowBytes, rb)
		g.raw += ph * rb
	}
	if !interlaced {
		add(w, h)
		return g
	}
	for _, p := range adam7 {
		var pw, ph uint64
		if w > p[0] {
			pw = (w - p[0] + p[2] - 1) / p[2]
		}
		if h > p[1] {
			ph = (h - p[1] + p[3] - 1) / p[3]
		}
		add(pw, ph)
	}
	return g
}

// filterCheck walks the decompressed bytes and checks every filter-type
// byte (0..4).
type filterCheck struct {
	g         *geometry
	pass      int
	row, col  uint64
	badFilter bool
}

func (f *filterCheck) write(b []byte) {
	for len(b) > 0 && f.pass < len(f.g.rows) {
		if f.col == 0 && b[0] > 4 {
			f.badFilter = true
		}
		k := min(uint64(len(b)), f.g.rowBytes[f.pass]-f.col)
		f.col += k
		b = b[k:]
		if f.col == f.g.rowBytes[f.pass] {
			f.col = 0
			f.row++
			if f.row == f.g.rows[f.pass] {
				f.row = 0
				f.pass++
			}
		}
	}
}

// proof is the result of inflating one image's zlib stream.
type proof struct {
	// used is the number of compressed bytes up to and including the
	// Adler-32 checksum.
	used int
	// excess reports decompressed bytes past the raw size inside the
	// stream (hidden data).
	excess bool
	// sum is the SHA-256 of the raw (decompressed, raw-size) data.
	sum [32]byte
}

var errBadFilter = FormatError("image data has an invalid filter type")

var bufPool = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

// prove inflates the zlib stream in pieces and checks it against g.
func prove(data []byte, pieces []piece, g geometry) (proof, error) {
	var pr proof
	total := 0
	for _, p := range pieces {
		total += p.len
	}
	if g.raw > maxRaw {
		return pr, errTooLargeImage
	}
	if g.raw > uint64(total)*maxRatio+1024 {
		return pr, FormatError("image data too short for the image size")
	}
	r := &piecesReader{data: data, pieces: pieces}
	zr, err := zlib.NewReader(r)
	if err != nil {
		return pr, FormatError("image data is not a zlib stream")
	}
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	buf := *bp
	h := sha256.New()
	fc := &filterCheck{g: &g}
	var got uint64
	var rerr error
	for got < g.raw {
		n, err := zr.Read(buf[:min(uint64(len(buf)), g.raw-got)])
		fc.write(buf[:n])
		h.Write(buf[:n])
		got += uint64(n)
		if err != nil {
			rerr = err
			break
		}
	}
	if got < g.raw {
		if rerr == io.EOF || errors.Is(rerr, io.ErrUnexpectedEOF) {
			return pr, FormatError("image data ends before the last scanline")
		}
		return pr, FormatError("image data stream is corrupt")
	}
	if fc.badFilter {
		return pr, errBadFilter
	}
	excess := 0
	for {
		n, err := zr.Read(buf)
		excess += n
		if excess > maxExcess {
			return pr, FormatError("image data stream holds too much data")
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return pr, FormatError("image data stream is corrupt")
		}
	}
	pr.used, pr.excess = r.read, excess > 0
	h.Sum(pr.sum[:0])
	return pr, nil
}

// inflateRaw returns the first raw bytes of the stream (used only to
// re-deflate a stream that hid data past its raw size).
func inflateRaw(data []byte, pieces []piece, raw uint64) ([]byte, error) {
	zr, err := zlib.NewReader(&piecesReader{data: data, pieces: pieces})
	if err != nil {
		return nil, err
	}
	out := make([]byte, raw)
	if _, err := io.ReadFull(zr, out); err != nil {
		return nil, err
	}
	return out, nil
}

// deflate compresses p as a zlib stream (best compression, deterministic).
func deflate(p []byte) []byte {
	var b bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&b, zlib.BestCompression)
	zw.Write(p)
	zw.Close()
	return b.Bytes()
}

// inflateAll inflates a whole zlib stream in d up to limit bytes and
// returns the data and the compressed length up to the end of the stream.
func inflateAll(d []byte, limit int) ([]byte, int, error) {
	r := &piecesReader{data: d, pieces: []piece{{0, len(d)}}}
	zr, err := zlib.NewReader(r)
	if err != nil {
		return nil, 0, errMalformed
	}
	out, err := io.ReadAll(io.LimitReader(zr, int64(limit)+1))
	if len(out) > limit {
		return nil, 0, errTooLarge
	}
	if err != nil {
		return nil, 0, errMalformed
	}
	return out, r.read, nil
}
