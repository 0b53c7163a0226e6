package reencode

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"

	"golang.org/x/image/tiff"
)

// golang.org/x/image/tiff reads classic TIFF only and no JPEG compression.
// This file reads the first IFD itself: a BigTIFF is handed to x/image/tiff
// as a classic TIFF (same bytes, a new classic header and IFD), and a
// JPEG-compressed TIFF (compression 7) is decoded strip by strip or tile by
// tile with image/jpeg, each stream completed by the JPEGTables.

var errTIFF = errors.New("malformed TIFF structure")

type tiffEntry struct {
	tag, typ uint16
	count    uint64
	val      []byte // the value bytes (inline or at their offset)
}

type tiffIFD struct {
	bo      binary.ByteOrder
	big     bool
	entries map[uint16]tiffEntry
	next    uint64
}

var tiffTypeSize = map[uint16]uint64{1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8}

// tiffHeader returns the byte order, BigTIFF flag and first IFD offset.
func tiffHeader(data []byte) (binary.ByteOrder, bool, uint64, error) {
	if len(data) < 8 {
		return nil, false, 0, errTIFF
	}
	var bo binary.ByteOrder
	switch string(data[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return nil, false, 0, errTIFF
	}
	switch bo.Uint16(data[2:]) {
	case 42:
		return bo, false, uint64(bo.Uint32(data[4:])), nil
	case 43:
		if len(data) < 16 || bo.Uint16(data[4:]) != 8 {
			return nil, false, 0, errTIFF
		}
		return bo, true, bo.Uint64(data[8:]), nil
	}
	return nil, false, 0, errTIFF
}

func readIFD(data []byte, bo binary.ByteOrder, big bool, off uint64) (*tiffIFD, error) {
	ifd := &tiffIFD{bo: bo, big: big, entries: map[uint16]tiffEntry{}}
	n := uint64(len(data))
	var count, esz, vsz uint64 = 0, 12, 4
	if big {
		esz, vsz = 20, 8
		if off+8 > n || off+8 < off {
			return nil, errTIFF
		}
		count = bo.Uint64(data[off:])
		off += 8
	} else {
		if off+2 > n || off+2 < off {
			return nil, errTIFF
		}
		count = uint64(bo.Uint16(data[off:]))
		off += 2
	}
	if count > 4096 || off+count*esz+vsz > n {
		return nil, errTIFF
	}
	for i := uint64(0); i < count; i++ {
		e := data[off+i*esz:]
		ent := tiffEntry{tag: bo.Uint16(e), typ: bo.Uint16(e[2:])}
		var field []byte
		if big {
			ent.count, field = bo.Uint64(e[4:]), e[12:20]
		} else {
			ent.count, field = uint64(bo.Uint32(e[4:])), e[8:12]
		}
		sz, ok := tiffTypeSize[ent.typ]
		if !ok || ent.count > n {
			continue
		}
		total := sz * ent.count
		if total <= vsz {
			ent.val = field[:total]
		} else {
			var at uint64
			if big {
				at = bo.Uint64(field)
			} else {
				at = uint64(bo.Uint32(field))
			}
			if at > n || total > n-at {
				return nil, errTIFF
			}
			ent.val = data[at : at+total]
		}
		ifd.entries[ent.tag] = ent
	}
	end := off + count*esz
	if big {
		ifd.next = bo.Uint64(data[end:])
	} else {
		ifd.next = uint64(bo.Uint32(data[end:]))
	}
	return ifd, nil
}

// ints returns the values of tag as unsigned integers.
func (d *tiffIFD) ints(tag uint16) []uint64 {
	e, ok := d.entries[tag]
	if !ok {
		return nil
	}
	sz := tiffTypeSize[e.typ]
	out := make([]uint64, 0, e.count)
	for i := uint64(0); i < e.count; i++ {
		v := e.val[i*sz:]
		switch e.typ {
		case 1, 6, 7:
			out = append(out, uint64(v[0]))
		case 3, 8:
			out = append(out, uint64(d.bo.Uint16(v)))
		case 4, 9, 13:
			out = append(out, uint64(d.bo.Uint32(v)))
		case 16, 17, 18:
			out = append(out, d.bo.Uint64(v))
		default:
			return nil
		}
	}
	return out
}

func (d *tiffIFD) int(tag uint16, def uint64) uint64 {
	if v := d.ints(tag); len(v) > 0 {
		return v[0]
	}
	return def
}

func firstIFD(data []byte) (*tiffIFD, error) {
	bo, big, off, err := tiffHeader(data)
	if err != nil {
		return nil, err
	}
	return readIFD(data, bo, big, off)
}

func tiffConfig(data []byte) (image.Config, error) {
	ifd, err := firstIFD(data)
	if err != nil {
		return image.Config{}, err
	}
	cfg := image.Config{ColorModel: color.RGBAModel, Width: int(min(ifd.int(256, 0), 1<<30)), Height: int(min(ifd.int(257, 0), 1<<30))}
	if ifd.int(258, 1) == 16 {
		cfg.ColorModel = color.RGBA64Model
	}
	return cfg, nil
}

func tiffDecode(data []byte) (image.Image, error) {
	ifd, err := firstIFD(data)
	if err != nil {
		return nil, err
	}
	switch ifd.int(259, 1) {
	case 7:
		return tiffJPEG(data, ifd)
	case 6:
		return nil, fmt.Errorf("%w: old-style JPEG-in-TIFF (compression 6)", ErrUnsupported)
	}
	if ifd.big {
		data, err = classicTIFF(data, ifd)
		if err != nil {
			return nil, err
		}
	}
	return tiff.Decode(bytes.NewReader(data))
}

// classicTIFF rewrites a BigTIFF (smaller than 4 GiB) as a classic TIFF for
// x/image/tiff: the same bytes, a classic header, and a new first IFD
// appended with the tags a decoder needs, every value as LONG.
func classicTIFF(data []byte, ifd *tiffIFD) ([]byte, error) {
	if uint64(len(data)) >= 1<<32-1<<20 {
		return nil, fmt.Errorf("%w: BigTIFF over 4 GiB", ErrUnsupported)
	}
	tags := []uint16{256, 257, 258, 259, 262, 273, 277, 278, 279, 284, 317, 320, 322, 323, 324, 325, 338, 339}
	type ent struct {
		tag  uint16
		vals []uint64
	}
	var ents []ent
	for _, t := range tags {
		if v := ifd.ints(t); len(v) > 0 {
			ents = append(ents, ent{t, v})
		}
	}
	bo := binary.LittleEndian
	out := make([]byte, len(data), len(data)+len(ents)*12+64+len(data)/64)
	copy(out, data)
	out[0], out[1] = 'I', 'I'
	bo.PutUint16(out[2:], 42)
	if len(out)%2 == 1 {
		out = append(out, 0)
	}
	ifdAt := len(out)
	bo.PutUint32(out[4:], uint32(ifdAt))
	valAt := ifdAt + 2 + 12*len(ents) + 4
	out = bo.AppendUint16(out, uint16(len(ents)))
	var vals []byte
	for _, e := range ents {
		out = bo.AppendUint16(out, e.tag)
		out = bo.AppendUint16(out, 4)
		out = bo.AppendUint32(out, uint32(len(e.vals)))
		if len(e.vals) == 1 {
			out = bo.AppendUint32(out, uint32(e.vals[0]))
			continue
		}
		out = bo.AppendUint32(out, uint32(valAt+len(vals)))
		for _, v := range e.vals {
			if v > 1<<32-1 {
				return nil, errTIFF
			}
			vals = bo.AppendUint32(vals, uint32(v))
		}
	}
	out = bo.AppendUint32(out, 0)
	return append(out, vals...), nil
}

// tiffJPEG decodes a compression-7 TIFF: every strip or tile is a JPEG
// stream (T.81) whose tables may live in the JPEGTables tag.
func tiffJPEG(data []byte, ifd *tiffIFD) (image.Image, error) {
	w, h := int(ifd.int(256, 0)), int(ifd.int(257, 0))
	if w <= 0 || h <= 0 {
		return nil, errTIFF
	}
	if ifd.int(284, 1) != 1 && ifd.int(277, 1) > 1 {
		return nil, fmt.Errorf("%w: planar JPEG-compressed TIFF", ErrUnsupported)
	}
	offs, cnts := ifd.ints(273), ifd.ints(279)
	cw, chh := w, int(min(ifd.int(278, uint64(h)), uint64(h)))
	across := 1
	if t := ifd.ints(324); len(t) > 0 {
		offs, cnts = t, ifd.ints(325)
		cw, chh = int(ifd.int(322, 0)), int(ifd.int(323, 0))
		if cw <= 0 || chh <= 0 {
			return nil, errTIFF
		}
		across = (w + cw - 1) / cw
	}
	if chh <= 0 || len(offs) == 0 || len(offs) != len(cnts) {
		return nil, errTIFF
	}
	var tables []byte
	if e, ok := ifd.entries[347]; ok && len(e.val) >= 4 {
		tables = e.val[:len(e.val)-2] // without its EOI
	}
	gray := ifd.int(277, 1) == 1
	var canvas draw.Image
	if gray {
		canvas = image.NewGray(image.Rect(0, 0, w, h))
	} else {
		canvas = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	var stream []byte
	for i := range offs {
		x0, y0 := (i%across)*cw, (i/across)*chh
		if y0 >= h {
			break
		}
		if offs[i] > uint64(len(data)) || cnts[i] > uint64(len(data))-offs[i] {
			return nil, errTIFF
		}
		seg := data[offs[i] : offs[i]+cnts[i]]
		if len(seg) < 4 || seg[0] != 0xFF || seg[1] != 0xD8 {
			return nil, errTIFF
		}
		stream = append(stream[:0], seg...)
		if tables != nil {
			stream = append(append(stream[:0], tables...), seg[2:]...)
		}
		img, err := jpeg.Decode(bytes.NewReader(stream))
		if err != nil {
			return nil, err
		}
		r := image.Rect(x0, y0, x0+cw, y0+chh).Intersect(canvas.Bounds())
		draw.Draw(canvas, r, img, img.Bounds().Min, draw.Src)
	}
	return canvas, nil
}
