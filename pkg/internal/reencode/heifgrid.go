package reencode

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"runtime"
	"strings"

	"github.com/gen2brain/heic"

	"github.com/photoscrub/photoscrub/pkg/internal/format"
)

// Tile-by-tile decoding of grid HEIF images (ISO/IEC 23008-12 §6.6.2.3).
// A phone's HEIC is a 'grid' derived image whose 'dimg' references name
// N hvc1 tiles (typically 512×512) sharing one hvcC. libheif, given the
// whole file, decodes every tile into one image inside the WebAssembly
// module's linear memory (a Go slice grown by appending): 15 to 33 bytes
// a pixel at peak. Here a few tiles at a time go through libheif, wrapped
// in a minimal HEIF of their own (a grid of one row, see batchFile), and
// their planes are copied into one Go image of the grid's output size:
// the peak is that image plus one batch's module, and the file's context
// is checked between batches. The grid's irot and imir are then applied
// in ipma order, as libheif does, so the result is the same upright
// image, sample for sample (tests compare both on real phone files).
//
// What this route does not reproduce exactly goes to libheif whole, as
// before: clap, alpha auxiliary images, tiles of several configurations
// or other than hvc1, odd output sizes, tiles over 1 MP, one-tile grids,
// unusual box layouts, and any batch libheif refuses.

// heifBatchBytesPerPixel bounds the peak heap of one libheif call per
// pixel of its batch (module memory, the coded input, the decoded row).
// Measured: 29 MB for six 512×512 tiles (18.5 bytes a pixel), 37 MB for
// three 640×896 ones (21.5).
const heifBatchBytesPerPixel = 24

// heifMaxTilePixels bounds a tile's pixels on this route.
const heifMaxTilePixels = 1024 * 1024

// heifGrid is a decodable plan for a grid primary item.
type heifGrid struct {
	doc          *heifDoc
	rows, cols   int
	outW, outH   int
	tileW, tileH int
	tiles        []*heifItem // row-major
	hvcC, ispe   []byte      // shared properties, raw boxes
	colr         []byte      // the grid's (or else the tiles') nclx colr, raw box
	tileNclx     []byte      // the tiles' nclx colr
	orient       []int       // EXIF orientations of irot/imir in ipma order
}

// heifGridProps are the grid properties the tile route knows: they
// describe the image, or (irot, imir) are applied after the mosaic. Any
// other (clap, a transformation this route does not make) sends the file
// to libheif whole.
var heifGridProps = map[string]bool{
	"ispe": true, "colr": true, "pixi": true, "pasp": true, "clli": true, "mdcv": true,
	"irot": true, "imir": true, "cclv": true, "amve": true, "rloc": true,
}

// heifTileProps are tile properties the tile route copies or ignores.
var heifTileProps = map[string]bool{"hvcC": true, "ispe": true, "pixi": true, "colr": true}

// planHEIFGrid returns the tile plan of data's primary item, or
// errHEIFShape when the primary item is not a grid this route decodes
// exactly as libheif would.
func planHEIFGrid(data []byte) (*heifGrid, error) {
	d, err := parseHEIF(data)
	if err != nil {
		return nil, err
	}
	return d.planGrid()
}

// planGrid is planHEIFGrid on a parsed file.
func (d *heifDoc) planGrid() (*heifGrid, error) {
	prim := d.items[d.primary]
	if prim == nil || prim.typ != "grid" {
		return nil, errHEIFShape
	}
	g := &heifGrid{doc: d}
	var tileIDs []uint32
	for _, r := range d.refs {
		switch {
		case r.typ == "dimg" && r.from == d.primary:
			if tileIDs != nil {
				return nil, errHEIFShape
			}
			tileIDs = r.to
		case r.typ == "auxl" && len(r.to) > 0 && refersTo(r.to, d.primary):
			// An auxiliary image of the primary: libheif attaches an
			// alpha plane; depth maps and HDR gain maps it leaves alone.
			aux := d.items[r.from]
			if aux == nil {
				return nil, errHEIFShape
			}
			c, ok := d.prop(aux, "auxC")
			if !ok || heifAlphaAux(c.body) {
				return nil, errHEIFShape
			}
		}
	}
	// The grid payload: version, flags, rows-1, columns-1, output size.
	pay, err := d.itemData(prim, 64)
	if err != nil {
		return nil, err
	}
	r := newRd(pay)
	ver, flags := r.n(1), r.n(1)
	g.rows, g.cols = int(r.n(1))+1, int(r.n(1))+1
	fl := 2 + 2*int(flags&1)
	g.outW, g.outH = int(r.n(fl)), int(r.n(fl))
	// A single tile is cheaper whole (this route decodes it twice).
	if !r.ok || ver != 0 || g.outW <= 0 || g.outH <= 0 || len(tileIDs) != g.rows*g.cols || len(tileIDs) < 2 {
		return nil, errHEIFShape
	}
	for j, k := range prim.props {
		p := d.props[k-1]
		if p.typ == "uuid" && !prim.essential[j] {
			continue // a vendor's description, which libheif ignores
		}
		if !heifGridProps[p.typ] {
			return nil, errHEIFShape // clap, an unknown transformation
		}
		switch p.typ {
		case "irot":
			if len(p.body) < 1 {
				return nil, errHEIFShape
			}
			g.orient = append(g.orient, [4]int{1, 8, 3, 6}[p.body[0]&3])
		case "imir":
			if len(p.body) < 1 {
				return nil, errHEIFShape
			}
			// As libheif (and so today's whole-image decode) reads
			// it: axis 0 flips top to bottom, 1 left to right.
			g.orient = append(g.orient, [2]int{4, 2}[p.body[0]&1])
		case "colr":
			if len(p.body) >= 4 && string(p.body[:4]) == "nclx" {
				g.colr = p.raw
			}
		}
	}
	for _, id := range tileIDs {
		t := d.items[id]
		if t == nil || t.typ != "hvc1" || !t.loc {
			return nil, errHEIFShape
		}
		for _, k := range t.props {
			if !heifTileProps[d.props[k-1].typ] {
				return nil, errHEIFShape
			}
		}
		h, ok1 := d.prop(t, "hvcC")
		s, ok2 := d.prop(t, "ispe")
		if !ok1 || !ok2 || len(s.body) != 12 {
			return nil, errHEIFShape
		}
		// A tile's ICC profile does not change decoded samples. Its nclx
		// must be the same for every tile and the grid's, if the grid
		// has one; the batch's grid carries it.
		var nclx []byte
		for _, k := range t.props {
			if c := d.props[k-1]; c.typ == "colr" && len(c.body) >= 4 && string(c.body[:4]) == "nclx" {
				nclx = c.raw
			}
		}
		switch {
		case g.tiles == nil:
			g.tileNclx = nclx
		case !bytes.Equal(nclx, g.tileNclx):
			return nil, errHEIFShape
		}
		if nclx != nil && g.colr != nil && !bytes.Equal(nclx, g.colr) {
			return nil, errHEIFShape
		}
		if g.tiles == nil {
			g.hvcC, g.ispe = h.raw, s.raw
			g.tileW = int(binary.BigEndian.Uint32(s.body[4:]))
			g.tileH = int(binary.BigEndian.Uint32(s.body[8:]))
		} else if !bytes.Equal(h.raw, g.hvcC) || !bytes.Equal(s.raw, g.ispe) {
			return nil, errHEIFShape
		}
		g.tiles = append(g.tiles, t)
	}
	if g.colr == nil {
		g.colr = g.tileNclx
	}
	// libheif decodes 4:4:4 with matrix_coefficients 0 (identity) as
	// RGB: left to it.
	if len(g.hvcC) > 8+16 && g.hvcC[8+16]&3 == 3 && (g.colr == nil || len(g.colr) < 8+11 || g.colr[8+10] == 0) {
		return nil, errHEIFShape
	}
	tw, th := int64(g.tileW), int64(g.tileH)
	switch {
	case tw < heifMinWidth || th < 2 || tw*th > heifMaxTilePixels || tw%2 != 0 || th%2 != 0:
		return nil, errHEIFShape
	case tw*int64(g.cols) < int64(g.outW) || th*int64(g.rows) < int64(g.outH):
		return nil, errHEIFShape // libheif refuses a grid its tiles do not cover
	case tw*int64(g.cols-1) >= int64(g.outW) || th*int64(g.rows-1) >= int64(g.outH):
		return nil, errHEIFShape // a row or column wholly outside
	case g.outW%2 != 0 || g.outH%2 != 0:
		// libheif's last chroma row or column of an odd-sized grid
		// differs by one from the tile's here and there: left to it.
		return nil, errHEIFShape
	}
	return g, nil
}

func refersTo(ids []uint32, id uint32) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}

// heifAlphaAux reports whether an auxC payload names an alpha plane
// (the HEVC, AVC and MPEG-B CICP alpha URNs libheif knows).
func heifAlphaAux(body []byte) bool {
	if len(body) < 4 {
		return true
	}
	urn, _, _ := bytes.Cut(body[4:], []byte{0})
	s := string(urn)
	return strings.HasSuffix(s, ":alpha") || strings.HasSuffix(s, "auxid:1")
}

// heifBatchPixels bounds the pixels of one libheif call: the tiles of a
// batch and the sacrificial copy of its first (see batchFile).
const heifBatchPixels = 1536 * 1024

// batchPeak is the estimated peak heap of one libheif call of this plan.
func (g *heifGrid) batchPeak() int64 {
	return int64(g.batchSize()+1) * int64(g.tileW*g.tileH) * heifBatchBytesPerPixel
}

// batchSize is the number of tiles one call decodes: as many as fit in
// heifBatchPixels with the sacrificial copy, and at least two, so that the
// copy costs at most a third more decoding.
func (g *heifGrid) batchSize() int {
	return max(2, heifBatchPixels/(g.tileW*g.tileH)-1)
}

// batchFile wraps tiles in a minimal HEIF whose primary item is a grid of
// one row (gridFile). The tiles go through libheif's own grid path, so
// that they come out as its whole-file decode makes them: a tile decoded
// as the primary item gets chroma that differs by one here and there.
//
// The first tile is decoded twice, at the head of the row and again after
// it: github.com/gen2brain/heic v0.4.5 returns planes that alias the
// module's memory and frees that buffer before returning, and the free
// writes allocator pointers over the first 24 luma samples. Those fall
// on the sacrificial copy.
func (g *heifGrid) batchFile(tiles [][]byte) []byte {
	var props [][]byte
	if g.colr != nil {
		props = [][]byte{g.colr}
	}
	return gridFile(gridSpec{hvcC: g.hvcC, tileISPE: g.ispe, tiles: tiles, rows: 1, cols: len(tiles),
		outW: len(tiles) * g.tileW, outH: g.tileH, gridProps: props})
}

// gridSpec describes a grid HEIF for gridFile.
type gridSpec struct {
	hvcC, tileISPE []byte   // shared tile properties (raw boxes)
	tiles          [][]byte // coded tiles, row-major
	rows, cols     int      // 1..256 each
	outW, outH     int
	gridProps      [][]byte // raw property boxes of the grid after its ispe
}

// gridFile writes a HEIF whose primary item (1) is a grid of hvc1 tiles
// (items 2...): ftyp heic; meta with hdlr pict, pitm, iinf, iref dimg,
// iprp (hvcC, tile ispe, grid ispe, the grid's other properties), idat
// (the grid payload) and iloc (version 1, 4-byte fields); one mdat.
func gridFile(s gridSpec) []byte {
	box := mkBox
	be16 := func(b []byte, v int) []byte { return binary.BigEndian.AppendUint16(b, uint16(v)) }
	be32 := func(b []byte, v int) []byte { return binary.BigEndian.AppendUint32(b, uint32(v)) }
	full := []byte{0, 0, 0, 0}
	n := len(s.tiles)
	gridISPE := be32(be32(append([]byte{0, 0, 0, 20}, "ispe\x00\x00\x00\x00"...), s.outW), s.outH)
	props := append([][]byte{s.hvcC, s.tileISPE, gridISPE}, s.gridProps...)
	ipma := be32(append([]byte(nil), full...), n+1)
	ipma = append(ipma, 0, 1, byte(1+len(s.gridProps)), 0x03) // the grid: its ispe, then the rest
	for k := range s.gridProps {
		ipma = append(ipma, byte(0x84+k)) // essential (irot, imir must be)
	}
	infe := box("infe", []byte{2, 0, 0, 0, 0, 1, 0, 0}, []byte("grid\x00"))
	dimg := be16([]byte{0, 1}, n)
	for k := range n {
		infe = append(infe, box("infe", be16([]byte{2, 0, 0, 1}, k+2), []byte{0, 0}, []byte("hvc1\x00"))...) // hidden
		dimg = be16(dimg, k+2)
		ipma = append(be16(ipma, k+2), 2, 0x81, 0x02) // hvcC (essential), ispe
	}
	pay := []byte{0, 0, byte(s.rows - 1), byte(s.cols - 1)}
	if s.outW > 0xffff || s.outH > 0xffff {
		pay[1] = 1
		pay = be32(be32(pay, s.outW), s.outH)
	} else {
		pay = be16(be16(pay, s.outW), s.outH)
	}
	meta := func(off int) []byte {
		iloc := be16([]byte{1, 0, 0, 0, 0x44, 0x00}, n+1)
		iloc = be32(append(iloc, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0), len(pay)) // the grid, in idat
		for k, t := range s.tiles {
			iloc = be32(be32(append(be16(iloc, k+2), 0, 0, 0, 0, 0, 1), off), len(t))
			off += len(t)
		}
		return box("meta", full,
			box("hdlr", full, []byte{0, 0, 0, 0}, []byte("pict"), make([]byte, 13)),
			box("pitm", full, []byte{0, 1}),
			box("iinf", full, be16(nil, n+1), infe),
			box("iref", full, box("dimg", dimg)),
			box("iprp", box("ipco", props...), box("ipma", ipma)),
			box("idat", pay),
			box("iloc", iloc))
	}
	size := 0
	for _, t := range s.tiles {
		size += len(t)
	}
	ftyp := box("ftyp", []byte("heic\x00\x00\x00\x00mif1heic"))
	off := len(ftyp) + len(meta(0)) + 8
	out := make([]byte, 0, off+size)
	out = append(append(out, ftyp...), meta(off)...)
	out = be32(out, 8+size)
	out = append(out, "mdat"...)
	for _, t := range s.tiles {
		out = append(out, t...)
	}
	return out
}

// decode decodes the tiles in batches, copies them into an image of the
// output size and applies irot/imir. It returns errHEIFShape when a batch
// decodes to something the mosaic cannot hold (the caller then decodes
// the whole file), and ctx's error when ctx ends between batches.
func (g *heifGrid) decode(ctx context.Context) (image.Image, error) {
	Precompile(format.HEIF)
	var out image.Image
	n := g.batchSize()
	for k0 := 0; k0 < len(g.tiles); k0 += n {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		batch := g.tiles[k0:min(len(g.tiles), k0+n)]
		coded := make([][]byte, 0, len(batch)+1)
		for _, t := range batch {
			c, err := g.doc.itemData(t, uint64(len(g.doc.file)))
			if err != nil {
				return nil, errHEIFShape // libheif may still make something of it
			}
			if len(coded) == 0 {
				coded = append(coded, c) // the sacrificial copy
			}
			coded = append(coded, c)
		}
		m, err := heic.Decode(bytes.NewReader(g.batchFile(coded)))
		if err != nil {
			return nil, errHEIFShape // libheif whole may still say more
		}
		if m.Bounds() != image.Rect(0, 0, len(coded)*g.tileW, g.tileH) {
			return nil, errHEIFShape
		}
		if out == nil {
			if out = g.canvas(m); out == nil {
				return nil, errHEIFShape
			}
		}
		for j := range batch {
			if !g.place(out, m, k0+j, (j+1)*g.tileW) {
				return nil, errHEIFShape
			}
		}
		// The module's linear memory is garbage now; collect it before
		// it piles up (the pacer alone would let the heap double).
		// The batch's module memory is garbage now: collect it before
		// the next batch grows its own (the pacer alone lets the heap
		// reach twice the live bytes). Measured on a 12 MP photo: peak
		// heap 42 MB with a collection a batch, 95 MB without; no
		// measurable time.
		runtime.GC()
	}
	runtime.GC()
	for _, o := range g.orient {
		out = orientPlanes(out, o)
	}
	return out, nil
}

// canvas allocates the output image in the layout of the first tile.
func (g *heifGrid) canvas(m image.Image) image.Image {
	r := image.Rect(0, 0, g.outW, g.outH)
	switch m := m.(type) {
	case *image.YCbCr:
		switch m.SubsampleRatio {
		case image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio444:
			return image.NewYCbCr(r, m.SubsampleRatio)
		}
	case *image.Gray:
		return image.NewGray(r)
	}
	return nil
}

// tilePix is the slice of module memory a decoded tile aliases.
func tilePix(m image.Image) []byte {
	switch m := m.(type) {
	case *image.YCbCr:
		return m.Y
	case *image.Gray:
		return m.Pix
	}
	return nil
}

// place copies tile k, which starts at column sx of the decoded row m,
// into out, cropped to the output size.
func (g *heifGrid) place(out, m image.Image, k, sx int) bool {
	x0, y0 := k%g.cols*g.tileW, k/g.cols*g.tileH
	w, h := min(g.tileW, g.outW-x0), min(g.tileH, g.outH-y0)
	switch o := out.(type) {
	case *image.YCbCr:
		t, ok := m.(*image.YCbCr)
		if !ok || t.SubsampleRatio != o.SubsampleRatio {
			return false
		}
		copyPlane(o.Y[o.YOffset(x0, y0):], o.YStride, t.Y[t.YOffset(sx, 0):], t.YStride, w, h)
		cx, cy := 1, 1 // chroma subsampling factors
		switch o.SubsampleRatio {
		case image.YCbCrSubsampleRatio420:
			cx, cy = 2, 2
		case image.YCbCrSubsampleRatio422:
			cx = 2
		}
		cw, ch := (w+cx-1)/cx, (h+cy-1)/cy
		at, from := o.COffset(x0, y0), t.COffset(sx, 0)
		copyPlane(o.Cb[at:], o.CStride, t.Cb[from:], t.CStride, cw, ch)
		copyPlane(o.Cr[at:], o.CStride, t.Cr[from:], t.CStride, cw, ch)
	case *image.Gray:
		t, ok := m.(*image.Gray)
		if !ok {
			return false
		}
		copyPlane(o.Pix[o.PixOffset(x0, y0):], o.Stride, t.Pix[t.PixOffset(sx, 0):], t.Stride, w, h)
	}
	return true
}

func copyPlane(dst []byte, ds int, src []byte, ss, w, h int) {
	for y := range h {
		copy(dst[y*ds:y*ds+w], src[y*ss:y*ss+w])
	}
}

// orientPlanes applies EXIF orientation o to a YCbCr or Gray image plane
// by plane, as libheif turns and mirrors decoded planes.
func orientPlanes(m image.Image, o int) image.Image {
	switch m := m.(type) {
	case *image.YCbCr:
		if r, ok := orientYCbCr(m, o); ok {
			return r
		}
	case *image.Gray:
		w, h := m.Rect.Dx(), m.Rect.Dy()
		if o >= 5 {
			w, h = h, w
		}
		r := image.NewGray(image.Rect(0, 0, w, h))
		plane(r.Pix, r.Stride, m.Pix, m.Stride, m.Rect.Dx(), m.Rect.Dy(), o)
		return r
	}
	return orient(m, o)
}

// decodeHEIF decodes a HEIF file's primary image: tile by tile when it is
// a grid planned by planHEIFGrid, else (or when the tile route meets
// something it does not handle) whole, with libheif.
func decodeHEIF(ctx context.Context, data []byte, g *heifGrid) (img image.Image, err error) {
	if g != nil {
		img, err = func() (img image.Image, err error) {
			defer func() {
				if recover() != nil {
					img, err = nil, errHEIFShape
				}
			}()
			return g.decode(ctx)
		}()
		if !errors.Is(err, errHEIFShape) {
			return img, err
		}
	}
	return decode(format.HEIF, data)
}
