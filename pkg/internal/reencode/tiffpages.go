package reencode

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"image"
	"image/draw"
)

// tiffPage is one page of a TIFF's main IFD chain.
type tiffPage struct {
	ifd         *tiffIFD
	orientation int
	reduced     bool // NewSubfileType bit 0: a reduced-resolution copy
}

// tiffChain lists the pages of the main IFD chain.
func tiffChain(data []byte) ([]tiffPage, error) {
	bo, big, off, err := tiffHeader(data)
	if err != nil {
		return nil, err
	}
	var pages []tiffPage
	seen := map[uint64]bool{}
	for off != 0 && !seen[off] && len(pages) < 10000 {
		seen[off] = true
		ifd, err := readIFD(data, bo, big, off)
		if err != nil {
			if len(pages) > 0 {
				break
			}
			return nil, err
		}
		pages = append(pages, tiffPage{ifd: ifd, orientation: int(ifd.int(274, 1)), reduced: ifd.int(254, 0)&1 == 1})
		off = ifd.next
	}
	return pages, nil
}

// tiffPixels is the pixel count of every page.
func tiffPixels(pages []tiffPage) int64 {
	var n int64
	for _, p := range pages {
		n += int64(min(p.ifd.int(256, 0), 1<<30)) * int64(min(p.ifd.int(257, 0), 1<<30))
	}
	return n
}

// decodePage decodes one page.
func decodePage(data []byte, p tiffPage, first bool) (img image.Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: decoder panic", ErrDecode)
		}
	}()
	if first {
		return decode("tiff", data)
	}
	switch p.ifd.int(259, 1) {
	case 7:
		return tiffJPEG(data, p.ifd)
	case 6:
		return nil, fmt.Errorf("%w: old-style JPEG-in-TIFF (compression 6)", ErrUnsupported)
	}
	classic, err := classicTIFF(data, p.ifd)
	if err != nil {
		return nil, err
	}
	return decode("tiff", classic)
}

// encodeTIFFPages writes pages as one TIFF: 8-bit RGB(A) or gray,
// Deflate with the horizontal predictor, strips of about 64 KiB, the ICC
// profile (tag 34675) on every page when given.
func encodeTIFFPages(pages []image.Image, icc []byte) []byte {
	bo := binary.LittleEndian
	out := []byte("II*\x00\x00\x00\x00\x00")
	next := 4 // where the offset of the next IFD goes
	for _, img := range pages {
		b := img.Bounds()
		w, h := b.Dx(), b.Dy()
		var spp int
		var pix []byte
		var stride int
		switch m := img.(type) {
		case *image.Gray:
			spp, pix, stride = 1, m.Pix, m.Stride
			if b.Min != (image.Point{}) {
				g := image.NewGray(image.Rect(0, 0, w, h))
				draw.Draw(g, g.Bounds(), m, b.Min, draw.Src)
				pix, stride = g.Pix, g.Stride
			}
		default:
			n := image.NewNRGBA(image.Rect(0, 0, w, h))
			draw.Draw(n, n.Bounds(), img, b.Min, draw.Src)
			spp, pix, stride = 4, n.Pix, n.Stride
			if opaque(n) {
				// Drop alpha.
				spp = 3
				rgb := make([]byte, 0, w*h*3)
				for i := 0; i < len(n.Pix); i += 4 {
					rgb = append(rgb, n.Pix[i], n.Pix[i+1], n.Pix[i+2])
				}
				pix, stride = rgb, w*3
			}
		}
		rowBytes := w * spp
		rps := max(1, min(h, 65536/max(1, rowBytes)))
		var offs, cnts []uint32
		row := make([]byte, rowBytes)
		for y0 := 0; y0 < h; y0 += rps {
			var z bytes.Buffer
			zw, _ := zlib.NewWriterLevel(&z, zlib.DefaultCompression)
			for y := y0; y < min(h, y0+rps); y++ {
				src := pix[y*stride : y*stride+rowBytes]
				copy(row[:spp], src[:spp])
				for i := spp; i < rowBytes; i++ {
					row[i] = src[i] - src[i-spp] // predictor 2
				}
				zw.Write(row)
			}
			zw.Close()
			if len(out)%2 == 1 {
				out = append(out, 0)
			}
			offs = append(offs, uint32(len(out)))
			cnts = append(cnts, uint32(z.Len()))
			out = append(out, z.Bytes()...)
		}
		type ent struct {
			tag, typ uint16
			vals     []uint32
			raw      []byte
		}
		bits := make([]uint32, spp)
		for i := range bits {
			bits[i] = 8
		}
		photometric := uint32(2)
		if spp == 1 {
			photometric = 1
		}
		ents := []ent{{254, 4, []uint32{0}, nil}, {256, 4, []uint32{uint32(w)}, nil}, {257, 4, []uint32{uint32(h)}, nil},
			{258, 3, bits, nil}, {259, 3, []uint32{8}, nil}, {262, 3, []uint32{photometric}, nil},
			{273, 4, offs, nil}, {277, 3, []uint32{uint32(spp)}, nil}, {278, 4, []uint32{uint32(rps)}, nil},
			{279, 4, cnts, nil}, {284, 3, []uint32{1}, nil}, {317, 3, []uint32{2}, nil}}
		if spp == 4 {
			ents = append(ents, ent{338, 3, []uint32{2}, nil})
		}
		if len(icc) > 0 {
			ents = append(ents, ent{34675, 7, nil, icc})
		}
		// Values that do not fit in the entry, then the IFD.
		at := make([]uint32, len(ents))
		for k, e := range ents {
			raw := e.raw
			if raw == nil {
				for _, v := range e.vals {
					if e.typ == 3 {
						raw = bo.AppendUint16(raw, uint16(v))
					} else {
						raw = bo.AppendUint32(raw, v)
					}
				}
				ents[k].raw = raw
			}
			if len(raw) > 4 {
				if len(out)%2 == 1 {
					out = append(out, 0)
				}
				at[k] = uint32(len(out))
				out = append(out, raw...)
			}
		}
		if len(out)%2 == 1 {
			out = append(out, 0)
		}
		bo.PutUint32(out[next:], uint32(len(out)))
		out = bo.AppendUint16(out, uint16(len(ents)))
		for k, e := range ents {
			out = bo.AppendUint16(out, e.tag)
			out = bo.AppendUint16(out, e.typ)
			count := len(e.vals)
			if e.typ == 7 {
				count = len(e.raw)
			}
			out = bo.AppendUint32(out, uint32(count))
			if len(e.raw) > 4 {
				out = bo.AppendUint32(out, at[k])
			} else {
				f := make([]byte, 4)
				copy(f, e.raw)
				out = append(out, f...)
			}
		}
		next = len(out)
		out = append(out, 0, 0, 0, 0)
	}
	return out
}
