package bmff

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/binary"
	"io"
	"strconv"
	"strings"

	"github.com/photoscrub/photoscrub/pkg/internal/exifmeta"
	"github.com/photoscrub/photoscrub/pkg/internal/xmp"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// c2paUUID is the usertype of the C2PA manifest box in ISO-BMFF files
// (C2PA 2.x, "Embedding manifests into BMFF-based assets").
var c2paUUID = []byte{0xd8, 0xfe, 0xc3, 0xd6, 0x1b, 0x0e, 0x48, 0x3c, 0x92, 0x97, 0x58, 0x28, 0x87, 0x7e, 0xc4, 0x81}

// maxInflate bounds the inflated size of a compressed metadata item.
const maxInflate = 16 << 20

// exifItem returns the data of the orientation-only Exif item a rebuild
// writes for orientation o: the 4-byte exif_tiff_header_offset (6), the
// "Exif\0\0" prefix common readers expect, then exifmeta.Minimal(o).
func exifItem(o int) []byte {
	return append([]byte{0, 0, 0, 6, 'E', 'x', 'i', 'f', 0, 0}, exifmeta.Minimal(o)...)
}

// minimalExif reports whether d is an orientation-only Exif item (ours,
// or the same block with offset 0 and no prefix) and its orientation.
func minimalExif(d []byte) (int, bool) {
	for o := 1; o <= 8; o++ {
		if bytes.Equal(d, exifItem(o)) || len(d) == 30 && binary.BigEndian.Uint32(d) == 0 && bytes.Equal(d[4:], exifmeta.Minimal(o)) {
			return o, true
		}
	}
	return 0, false
}

// inspectRemoved adds the findings of an item the rebuild removes and
// returns the orientation it carries (Exif, XMP); kept reports an
// orientation-only Exif item, which is no finding.
func (f *file) inspectRemoved(it *item, r string) (orient int, kept bool) {
	h := f.h
	n := h.set.Len()
	orient, kept = f.classifyRemoved(it, r)
	if !kept && h.set.Len() == n {
		h.set.Add(meta.Other, where(it.id, r))
	}
	return orient, kept
}

func (f *file) classifyRemoved(it *item, r string) (orient int, kept bool) {
	h := f.h
	set := &h.set
	w := where(it.id, r)
	switch r {
	case rExif:
		d, err := h.itemData(it)
		if err != nil || len(d) < 4 {
			set.Add(meta.Unparsed, w)
			return 0, false
		}
		if o, ok := minimalExif(d); ok && h.refersTo(it.id, "cdsc", h.primary) && it.prot == 0 {
			return o, true
		}
		off := uint64(binary.BigEndian.Uint32(d))
		if off > uint64(len(d)-4) {
			set.Add(meta.Unparsed, w)
			return 0, false
		}
		o, _ := exifmeta.Inspect(exifmeta.TrimPrefix(d[4+off:]), w, set)
		return o, false
	case rXMP, rMime:
		d, err := h.itemData(it)
		if err == nil {
			d, err = decode(d, it.encoding)
		}
		if err != nil {
			set.Add(meta.Unparsed, w)
			return 0, false
		}
		if r == rXMP || xmp.IsPacket(d) {
			_ = xmp.Inspect(d, where(it.id, rXMP), set)
			return xmp.Orientation(d), false
		}
		set.Add(meta.Other, w)
	case rThumb, rImage:
		set.Add(meta.Embedded, w, itemTypeName(it.typ))
	case rAux:
		t := h.auxType(it)
		if !knownAuxURNs[t] {
			t = "unknown auxiliary type"
		}
		set.Add(meta.Embedded, w, t)
	default:
		set.Add(meta.Other, w, itemTypeName(it.typ))
	}
	return 0, false
}

func itemTypeName(t string) string {
	if knownItemTypes[t] {
		return t
	}
	return "unknown item type"
}

// decode undoes an item's content_encoding: none, or "deflate" (zlib or
// raw deflate), inflated to at most maxInflate bytes.
func decode(d []byte, enc string) ([]byte, error) {
	switch enc {
	case "":
		return d, nil
	case "deflate":
	default:
		return nil, FormatError("unknown content encoding")
	}
	var r io.Reader
	if len(d) >= 2 && d[0]&0x0F == 8 && (uint16(d[0])<<8|uint16(d[1]))%31 == 0 {
		z, err := zlib.NewReader(bytes.NewReader(d))
		if err != nil {
			return nil, FormatError("bad zlib stream")
		}
		r = z
	} else {
		r = flate.NewReader(bytes.NewReader(d))
	}
	out, err := io.ReadAll(io.LimitReader(r, maxInflate+1))
	if err != nil || len(out) > maxInflate {
		return nil, FormatError("compressed item does not inflate within bounds")
	}
	return out, nil
}

const nsTIFF = "http://ns.adobe.com/tiff/1.0/"

func orientValue(s string) int {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || v < 1 || v > 8 {
		return 0
	}
	return v
}

// EXIF orientations as where (1, 0) and (0, 1) of the stored image go on
// display, with y pointing down: index = orientation-1.
var orientVecs = [8][4]int{
	{1, 0, 0, 1}, {-1, 0, 0, 1}, {-1, 0, 0, -1}, {1, 0, 0, -1},
	{0, 1, 1, 0}, {0, 1, -1, 0}, {0, -1, -1, 0}, {0, -1, 1, 0},
}

// transformOrientation composes the irot and imir properties of it, in
// association order (HEIF applies transformative properties in that
// order), and returns the equivalent EXIF orientation; ok is false when
// it has neither.
func (f *file) transformOrientation(it *item) (int, bool) {
	m := [4]int{1, 0, 0, 1} // columns: image of x axis, image of y axis
	found := false
	for _, a := range it.props {
		pr := f.props[a.idx]
		if pr == nil {
			continue
		}
		var t [4]int
		switch {
		case pr.rot >= 0:
			// angle*90 degrees anti-clockwise on screen (y down).
			t = [4][4]int{{1, 0, 0, 1}, {0, -1, 1, 0}, {-1, 0, 0, -1}, {0, 1, -1, 0}}[pr.rot]
		case pr.mir == 0:
			// HEIF Amd 2 (the mode reading that libheif, libavif and
			// iPhones use): 0 exchanges top and bottom.
			t = [4]int{1, 0, 0, -1}
		case pr.mir == 1: // 1 exchanges left and right
			t = [4]int{-1, 0, 0, 1}
		default:
			continue
		}
		found = true
		// m = t × m (t applied after m); matrices stored as [a b; c d] = {a, c, b, d}.
		m = [4]int{t[0]*m[0] + t[2]*m[1], t[1]*m[0] + t[3]*m[1], t[0]*m[2] + t[2]*m[3], t[1]*m[2] + t[3]*m[3]}
	}
	if !found {
		return 0, false
	}
	for i, v := range orientVecs {
		if v == m {
			return i + 1, true
		}
	}
	return 0, true
}
