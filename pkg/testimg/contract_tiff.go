package testimg

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"image"
	"image/jpeg"
	"sort"
)

// TIFFSpec selects a TIFF built by ContractTIFF: the layouts and
// compressions the container contract's conformance suite runs over, and
// the hostile variants that plant a value where only a byte-level proof
// finds it. The zero value is a one-page 24×12 little-endian uncompressed
// 8-bit RGB TIFF in strips of 5 rows.
type TIFFSpec struct {
	BigTIFF, BigEndian bool
	// Compression: 0 or 1 none, 5 LZW, 7 JPEG (a full JPEG stream per
	// strip or tile, Photometric YCbCr 4:2:0), 8 Deflate, 32773 PackBits.
	Compression int
	Tiled       bool // 16×16 tiles
	Planar      bool // PlanarConfiguration 2
	Gray        bool // one sample per pixel
	Bits16      bool // 16 bits per sample
	Pages       int
	// Width and Height (default 24×12), RowsPerStrip (default 5).
	Width, Height, RowsPerStrip int
	Orientation                 int
	ICC                         bool

	// Hostile variants.
	Gap          []byte // bytes after the header that nothing references
	StripTrailer []byte // bytes after strip 0's coded data, counted in its StripByteCounts
	PadByte      byte   // the word-alignment byte after odd-length strips (0 normally)
	XResASCII    []byte // XResolution written as ASCII holding these bytes
	BitsAsLong   bool   // BitsPerSample written as LONG (convertible)
	IPTC         []byte // tag 33723 (as LONG, like libtiff) holding these bytes
	XMP          []byte // tag 700
}

// TIFFICCProfile is the small ICC profile the TIFF builders embed.
func TIFFICCProfile() []byte { return tfICCProfile() }

// TIFFIIM is IPTC-IIM record 2 with By-line, City and Country markers.
func TIFFIIM(m Markers) []byte { return tfIIM(m.orDefault()) }

// TIFFXMP is an XMP packet with GPS, creator and city markers.
func TIFFXMP(m Markers) []byte { return tfXMPPacket(m.orDefault()) }

// TIFFIRB wraps IPTC-IIM in a Photoshop image resource block (0x0404).
func TIFFIRB(iim []byte) []byte {
	irb := []byte("8BIM\x04\x04\x00\x00")
	irb = binary.BigEndian.AppendUint32(irb, uint32(len(iim)))
	irb = append(irb, iim...)
	if len(irb)%2 == 1 {
		irb = append(irb, 0)
	}
	return irb
}

type ctEntry struct {
	tag, typ uint16
	count    uint64
	val      []byte
}

type ctWriter struct {
	bo  tbOrder
	big bool
	buf []byte
}

func (w *ctWriter) uint(b []byte, v uint64, size int) []byte {
	switch size {
	case 1:
		return append(b, byte(v))
	case 2:
		return w.bo.AppendUint16(b, uint16(v))
	case 4:
		return w.bo.AppendUint32(b, uint32(v))
	}
	return w.bo.AppendUint64(b, v)
}

func (w *ctWriter) ints(tag, typ uint16, vs ...uint64) ctEntry {
	size := map[uint16]int{1: 1, 3: 2, 4: 4, 16: 8}[typ]
	var v []byte
	for _, x := range vs {
		v = w.uint(v, x, size)
	}
	return ctEntry{tag: tag, typ: typ, count: uint64(len(vs)), val: v}
}

// ContractTIFF returns the TIFF s selects. Output is deterministic.
func ContractTIFF(s TIFFSpec) []byte {
	if s.Pages <= 0 {
		s.Pages = 1
	}
	if s.Width <= 0 {
		s.Width = 24
	}
	if s.Height <= 0 {
		s.Height = 12
	}
	if s.RowsPerStrip <= 0 {
		s.RowsPerStrip = 5
	}
	if s.Compression == 0 {
		s.Compression = 1
	}
	w := &ctWriter{bo: binary.LittleEndian, big: s.BigTIFF}
	if s.BigEndian {
		w.bo = binary.BigEndian
	}
	offSz := 4
	if s.BigTIFF {
		offSz = 8
	}
	bo := "II"
	if s.BigEndian {
		bo = "MM"
	}
	w.buf = append(w.buf, bo...)
	if s.BigTIFF {
		w.buf = w.uint(w.buf, 43, 2)
		w.buf = w.uint(w.buf, 8, 2)
		w.buf = w.uint(w.buf, 0, 2)
	} else {
		w.buf = w.uint(w.buf, 42, 2)
	}
	nextAt := len(w.buf)
	w.buf = append(w.buf, make([]byte, offSz)...)
	w.buf = append(w.buf, s.Gap...)
	for p := 0; p < s.Pages; p++ {
		ents := ctPage(w, s, p)
		// Values, then the IFD.
		at := make([]uint64, len(ents))
		for k, e := range ents {
			if len(e.val) > offSz {
				if len(w.buf)%2 == 1 {
					w.buf = append(w.buf, 0)
				}
				at[k] = uint64(len(w.buf))
				w.buf = append(w.buf, e.val...)
			}
		}
		if len(w.buf)%2 == 1 {
			w.buf = append(w.buf, 0)
		}
		start := uint64(len(w.buf))
		if s.BigTIFF {
			w.bo.PutUint64(w.buf[nextAt:], start)
			w.buf = w.uint(w.buf, uint64(len(ents)), 8)
		} else {
			w.bo.PutUint32(w.buf[nextAt:], uint32(start))
			w.buf = w.uint(w.buf, uint64(len(ents)), 2)
		}
		for k, e := range ents {
			w.buf = w.uint(w.buf, uint64(e.tag), 2)
			w.buf = w.uint(w.buf, uint64(e.typ), 2)
			w.buf = w.uint(w.buf, e.count, offSz)
			if len(e.val) > offSz {
				w.buf = w.uint(w.buf, at[k], offSz)
			} else {
				f := make([]byte, offSz)
				copy(f, e.val)
				w.buf = append(w.buf, f...)
			}
		}
		nextAt = len(w.buf)
		w.buf = append(w.buf, make([]byte, offSz)...)
	}
	return w.buf
}

// ContractTIFFPixel is the sample value ContractTIFF stores for page p,
// sample c of the pixel at x, y (runs of equal values, for PackBits and
// LZW to have something to do).
func ContractTIFFPixel(p, x, y, c int) uint16 {
	return uint16((x/3)*37 + y*11 + c*70 + p*5)
}

// ctPage writes page p's image data and returns its entries, sorted.
func ctPage(w *ctWriter, s TIFFSpec, p int) []ctEntry {
	spp := 3
	photometric := uint64(2)
	if s.Gray {
		spp, photometric = 1, 1
	}
	if s.Compression == 7 {
		photometric = 6
	}
	bits := 8
	if s.Bits16 {
		bits = 16
	}
	bps := bits / 8
	cw, ch := s.Width, s.RowsPerStrip // chunk width and height
	if s.Tiled {
		cw, ch = 16, 16
	}
	planes := 1
	if s.Planar {
		planes = spp
	}
	var chunks [][]byte
	for pl := 0; pl < planes; pl++ {
		for cy := 0; cy < s.Height; cy += ch {
			for cx := 0; cx < s.Width; cx += cw {
				rows := ch
				if !s.Tiled {
					rows = min(ch, s.Height-cy)
				}
				var c []byte
				for y := cy; y < cy+rows; y++ {
					for x := cx; x < cx+cw; x++ {
						for k := 0; k < spp; k++ {
							if s.Planar && k != pl {
								continue
							}
							v := uint64(0)
							if x < s.Width && y < s.Height {
								v = uint64(ContractTIFFPixel(p, x, y, k))
							}
							if bps == 1 {
								v &= 0xFF
							}
							c = w.uint(c, v, bps)
						}
					}
				}
				chunks = append(chunks, ctCompress(c, s.Compression, cw, rows, spp*bps))
				if s.Tiled {
					continue
				}
				break
			}
		}
	}
	var offs, counts []uint64
	for i, c := range chunks {
		offs = append(offs, uint64(len(w.buf)))
		w.buf = append(w.buf, c...)
		n := uint64(len(c))
		if i == 0 && p == 0 && len(s.StripTrailer) > 0 {
			w.buf = append(w.buf, s.StripTrailer...)
			n += uint64(len(s.StripTrailer))
		}
		counts = append(counts, n)
		if len(w.buf)%2 == 1 {
			w.buf = append(w.buf, s.PadByte)
		}
	}
	longT := uint16(4)
	if s.BigTIFF {
		longT = 16
	}
	var e []ctEntry
	e = append(e, w.ints(256, 4, uint64(s.Width)), w.ints(257, 4, uint64(s.Height)))
	bv := make([]uint64, spp)
	for i := range bv {
		bv[i] = uint64(bits)
	}
	if s.BitsAsLong {
		e = append(e, w.ints(258, 4, bv...))
	} else {
		e = append(e, w.ints(258, 3, bv...))
	}
	e = append(e, w.ints(259, 3, uint64(s.Compression)), w.ints(262, 3, photometric),
		w.ints(277, 3, uint64(spp)), w.ints(296, 3, 2))
	if len(s.XResASCII) > 0 && p == 0 {
		v := append(append([]byte(nil), s.XResASCII...), 0)
		e = append(e, ctEntry{tag: 282, typ: 2, count: uint64(len(v)), val: v})
	} else {
		e = append(e, ctEntry{tag: 282, typ: 5, count: 1, val: w.uint(w.uint(nil, 72, 4), 1, 4)})
	}
	e = append(e, ctEntry{tag: 283, typ: 5, count: 1, val: w.uint(w.uint(nil, 72, 4), 1, 4)})
	if s.Planar {
		e = append(e, w.ints(284, 3, 2))
	}
	if s.Compression == 7 {
		e = append(e, w.ints(530, 3, 2, 2))
	}
	if s.Tiled {
		e = append(e, w.ints(322, 3, 16), w.ints(323, 3, 16), w.ints(324, longT, offs...), w.ints(325, longT, counts...))
	} else {
		e = append(e, w.ints(273, longT, offs...), w.ints(278, 3, uint64(s.RowsPerStrip)), w.ints(279, longT, counts...))
	}
	if s.Pages > 1 {
		e = append(e, w.ints(297, 3, uint64(p), uint64(s.Pages)))
	}
	if p == 0 {
		if s.Orientation != 0 {
			e = append(e, w.ints(274, 3, uint64(s.Orientation)))
		}
		if len(s.XMP) > 0 {
			e = append(e, ctEntry{tag: 700, typ: 1, count: uint64(len(s.XMP)), val: s.XMP})
		}
		if len(s.IPTC) > 0 {
			v := append([]byte(nil), s.IPTC...)
			for len(v)%4 != 0 {
				v = append(v, 0)
			}
			e = append(e, ctEntry{tag: 33723, typ: 4, count: uint64(len(v) / 4), val: v})
		}
	}
	if s.ICC {
		e = append(e, ctEntry{tag: 34675, typ: 7, count: uint64(len(tfICCProfile())), val: tfICCProfile()})
	}
	sort.Slice(e, func(a, b int) bool { return e[a].tag < e[b].tag })
	return e
}

// ctCompress compresses one strip or tile of w×h pixels of px bytes.
func ctCompress(c []byte, comp, w, h, px int) []byte {
	switch comp {
	case 7:
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		for i := 0; i < w*h; i++ {
			for k := 0; k < 3; k++ {
				img.Pix[4*i+k] = c[px*i+k%px]
			}
			img.Pix[4*i+3] = 255
		}
		var b bytes.Buffer
		jpeg.Encode(&b, img, &jpeg.Options{Quality: 90})
		return b.Bytes()
	case 5:
		return TIFFLZW(c)
	case 8:
		var b bytes.Buffer
		zw := zlib.NewWriter(&b)
		zw.Write(c)
		zw.Close()
		return b.Bytes()
	case 32773:
		return PackBits(c)
	}
	return c
}

// PackBits encodes b with the PackBits scheme (TIFF 6.0 Section 9).
func PackBits(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); {
		j := i + 1
		for j < len(b) && j-i < 128 && b[j] == b[i] {
			j++
		}
		if j-i >= 2 {
			out = append(out, byte(1-(j-i)), b[i])
			i = j
			continue
		}
		j = i + 1
		for j < len(b) && j-i < 128 && (j+1 >= len(b) || b[j] != b[j+1]) {
			j++
		}
		out = append(out, byte(j-i-1))
		out = append(out, b[i:j]...)
		i = j
	}
	return out
}

// TIFFLZW encodes b with TIFF's LZW (TIFF 6.0 Section 13: codes most
// significant bit first, the code width growing one code early), starting
// with a Clear code and ending with EOI.
func TIFFLZW(b []byte) []byte {
	var out []byte
	var acc uint64
	var nacc uint
	put := func(code int, width uint) {
		acc = acc<<width | uint64(code)
		nacc += width
		for nacc >= 8 {
			out = append(out, byte(acc>>(nacc-8)))
			nacc -= 8
		}
	}
	type key struct {
		prefix int
		c      byte
	}
	table := map[key]int{}
	width := uint(9)
	next := 258
	// grow follows libtiff's encoder: a full table is cleared, else the
	// width grows once the next free code no longer fits.
	grow := func() {
		next++
		if next == 4094 {
			put(256, width)
			table = map[key]int{}
			next, width = 258, 9
		} else if next > 1<<width-1 {
			width++
		}
	}
	put(256, width)
	prefix := -1
	for _, c := range b {
		if prefix < 0 {
			prefix = int(c)
			continue
		}
		if code, ok := table[key{prefix, c}]; ok {
			prefix = code
			continue
		}
		put(prefix, width)
		table[key{prefix, c}] = next
		grow()
		prefix = int(c)
	}
	if prefix >= 0 {
		put(prefix, width)
		grow()
	}
	put(257, width)
	if nacc > 0 {
		out = append(out, byte(acc<<(8-nacc)))
	}
	return out
}
