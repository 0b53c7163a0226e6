package hostile

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"sort"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// hcase is one hostile input: a name for the table, the file name it is
// written under (the extension matters only as a hint) and its bytes.
type hcase struct {
	name, file string
	data       []byte
}

// hostileCases returns every generated hostile input: pkg/testimg's
// hostile JPEGs, the truncations of the everything-JPEG at every segment
// boundary, and the non-JPEG cases built below.
func hostileCases(t testing.TB) []hcase {
	t.Helper()
	var out []hcase
	hj := testimg.HostileJPEGs()
	names := make([]string, 0, len(hj))
	for n := range hj {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		out = append(out, hcase{"jpeg/" + n, "hostile.jpg", hj[n]})
	}
	every, err := testimg.JPEG(testimg.Everything())
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range testimg.TruncationsOf(every) {
		out = append(out, hcase{fmt.Sprintf("jpeg/truncated-at-%d", len(b)), "hostile.jpg", b})
	}
	out = append(out,
		hcase{"png/100000x100000-pixel-bomb", "hostile.png", pngPixelBomb()},
		hcase{"png/ztxt-zlib-bomb-512MiB", "hostile.png", pngZTXtBomb(t)},
		hcase{"heif/nested-boxes-10000", "hostile.heic", bmffNested(10000)},
		hcase{"heif/iloc-exif-offset-past-end", "hostile.heic", heifILOC(t, testimg.HEIFExifID, true)},
		hcase{"heif/iloc-primary-length-huge", "hostile.heic", heifILOC(t, testimg.HEIFPrimaryID, false)},
		hcase{"tiff/ifd-offset-0xFFFFFFFF", "hostile.tif", []byte("II*\x00\xff\xff\xff\xff")},
		hcase{"tiff/2-page-ifd-cycle", "hostile.tif", tiffPageCycle(t)},
		hcase{"tiff/65535x65535-pixel-bomb", "hostile.tif", tiffHugeDims(t)},
		hcase{"webp/riff-size-past-end", "hostile.webp", webpRIFFTooBig()},
		hcase{"gif/endless-sub-blocks-truncated", "hostile.gif", gifEndlessSubBlocks()},
		hcase{"gif/65535x65535-pixel-bomb", "hostile.gif", gifHugeDims(t)},
	)
	return out
}

// pngChunk is one PNG chunk: length, type, data, CRC-32 over type and data.
func pngChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
}

// pngPixelBomb is a complete, well-formed PNG (valid CRCs) that declares
// 100000×100000 RGB pixels (30 GB decoded) with an IDAT of a few bytes and
// a tEXt Author (so that a scrub has something to remove and the re-encode
// path is asked to decode it).
func pngPixelBomb() []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, 100000)
	ihdr = binary.BigEndian.AppendUint32(ihdr, 100000)
	ihdr = append(ihdr, 8, 2, 0, 0, 0)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte{0, 0, 0, 0})
	zw.Close()
	b := []byte("\x89PNG\r\n\x1a\n")
	b = append(b, pngChunk("IHDR", ihdr)...)
	b = append(b, pngChunk("tEXt", []byte("Author\x00"+testimg.DefaultMarkers().Artist))...)
	b = append(b, pngChunk("IDAT", z.Bytes())...)
	return append(b, pngChunk("IEND", nil)...)
}

// pngZTXtBomb is a small valid PNG with GPS in eXIf and a zTXt "Raw
// profile type exif" whose zlib stream inflates to 512 MiB of hex digits.
func pngZTXtBomb(t testing.TB) []byte {
	t.Helper()
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	fmt.Fprintf(zw, "\nexif\n%8d\n", 256<<20)
	line := bytes.Repeat([]byte("0"), 1<<20)
	for range 512 {
		zw.Write(line)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	data := append([]byte("Raw profile type exif\x00\x00"), z.Bytes()...)
	return pngInsertBeforeIDAT(t, testimg.PNG(testimg.PNGOptions{EXIF: true}), pngChunk("zTXt", data))
}

func pngInsertBeforeIDAT(t testing.TB, png, chunk []byte) []byte {
	t.Helper()
	for off := 8; off+8 <= len(png); {
		n := int(binary.BigEndian.Uint32(png[off:]))
		if string(png[off+4:off+8]) == "IDAT" {
			out := append([]byte(nil), png[:off]...)
			out = append(out, chunk...)
			return append(out, png[off:]...)
		}
		off += 12 + n
	}
	t.Fatal("no IDAT in generated PNG")
	return nil
}

// bmffNested is an 'ftyp' heic file followed by depth nested container
// boxes cycling through the types a HEIF/ISO-BMFF walker descends into.
func bmffNested(depth int) []byte {
	types := []string{"meta", "iprp", "ipco", "moov", "trak", "mdia", "minf", "dinf", "udta"}
	ftyp := []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic")
	// Box i (0 = outermost) has a header of 8 bytes, 12 for the full box
	// 'meta'; its size covers every box inside it.
	hdr := func(i int) int {
		if types[i%len(types)] == "meta" {
			return 12
		}
		return 8
	}
	sizes := make([]int, depth+1)
	for i := depth - 1; i >= 0; i-- {
		sizes[i] = hdr(i) + sizes[i+1]
	}
	b := append([]byte(nil), ftyp...)
	for i := range depth {
		b = binary.BigEndian.AppendUint32(b, uint32(sizes[i]))
		b = append(b, types[i%len(types)]...)
		if hdr(i) == 12 {
			b = append(b, 0, 0, 0, 0)
		}
	}
	return b
}

// heifILOC is a HEIF with EXIF (GPS) whose iloc extent for item id is
// moved past the end of the file (offset = file length + 4096), or, when
// past is false, given a length of 0xFFFFFFF0.
func heifILOC(t testing.TB, id uint32, past bool) []byte {
	t.Helper()
	b := testimg.HEIF(testimg.HEIFOptions{EXIF: testimg.EXIF(testimg.AllEXIF())})
	i := bytes.Index(b, []byte("iloc"))
	// testimg writes iloc version 1, offset_size 4, length_size 4, no
	// base offset or index: per item id(2) method(2) dref(2) count(2)
	// offset(4) length(4).
	if i < 4 || b[i+4] != 1 || b[i+8] != 0x44 || b[i+9] != 0 {
		t.Fatal("testimg.HEIF iloc layout changed")
	}
	n := int(binary.BigEndian.Uint16(b[i+10:]))
	for e, k := i+12, 0; k < n; e, k = e+16, k+1 {
		if uint32(binary.BigEndian.Uint16(b[e:])) != id {
			continue
		}
		if past {
			binary.BigEndian.PutUint32(b[e+8:], uint32(len(b)+4096))
		} else {
			binary.BigEndian.PutUint32(b[e+12:], 0xFFFFFFF0)
		}
		return b
	}
	t.Fatalf("no iloc entry for item %d", id)
	return nil
}

// tiffPageCycle is a two-page little-endian TIFF with identity and GPS on
// both pages whose page 2 next-IFD offset points back at page 1.
func tiffPageCycle(t testing.TB) []byte {
	t.Helper()
	b := testimg.TIFF(testimg.TIFFOptions{Pages: 2, Identity: true, GPS: true, Page2Identity: true})
	le := binary.LittleEndian
	ifd0 := le.Uint32(b[4:])
	next := func(off uint32) int { return int(off) + 2 + 12*int(le.Uint16(b[off:])) }
	ifd1 := le.Uint32(b[next(ifd0):])
	if ifd1 == 0 || le.Uint32(b[next(ifd1):]) != 0 {
		t.Fatal("testimg.TIFF did not write two pages")
	}
	le.PutUint32(b[next(ifd1):], ifd0)
	return b
}

// webpRIFFTooBig is an extended WebP with EXIF (GPS) and XMP whose RIFF
// size claims 0x7FFFFFF0 bytes.
func webpRIFFTooBig() []byte {
	b := testimg.WebP(testimg.WebPOptions{Width: 16, Height: 16,
		EXIF: testimg.EXIF(testimg.AllEXIF()), XMP: testimg.XMPPacket(testimg.XMPOptions{})})
	binary.LittleEndian.PutUint32(b[4:], 0x7FFFFFF0)
	return b
}

// gifEndlessSubBlocks is a GIF89a header, screen descriptor and colour
// table followed by a comment extension whose 255-byte sub-blocks run for
// 4 MiB to the end of the file: no block terminator, no image, no trailer.
func gifEndlessSubBlocks() []byte {
	base := testimg.GIF(testimg.GIFOptions{})
	head := 13
	if base[10]&0x80 != 0 {
		head += 3 << (base[10]&7 + 1)
	}
	b := append([]byte(nil), base[:head]...)
	b = append(b, 0x21, 0xFE)
	blk := append([]byte{255}, bytes.Repeat([]byte{'c'}, 255)...)
	for len(b) < 4<<20 {
		b = append(b, blk...)
	}
	return b
}

// tiffHugeDims is a one-page TIFF with identity tags whose ImageWidth and
// ImageLength say 65535×65535 (12 GiB of RGB) over the original 20×10
// strips.
func tiffHugeDims(t testing.TB) []byte {
	t.Helper()
	b := testimg.TIFF(testimg.TIFFOptions{Identity: true})
	le := binary.LittleEndian
	ifd := int(le.Uint32(b[4:]))
	found := 0
	for i := range int(le.Uint16(b[ifd:])) {
		e := ifd + 2 + 12*i
		if tag := le.Uint16(b[e:]); tag == 256 || tag == 257 {
			switch le.Uint16(b[e+2:]) {
			case 3: // SHORT
				le.PutUint16(b[e+8:], 65535)
			case 4: // LONG
				le.PutUint32(b[e+8:], 65535)
			default:
				t.Fatal("testimg.TIFF: unexpected ImageWidth type")
			}
			found++
		}
	}
	if found != 2 {
		t.Fatal("testimg.TIFF: no ImageWidth/ImageLength")
	}
	return b
}

// gifHugeDims is a GIF with a comment whose logical screen and image
// descriptor both say 65535×65535 (4 GiB paletted) over a 20×12 frame's
// LZW data.
func gifHugeDims(t testing.TB) []byte {
	t.Helper()
	b := testimg.GIF(testimg.GIFOptions{Comment: true})
	binary.LittleEndian.PutUint16(b[6:], 65535)
	binary.LittleEndian.PutUint16(b[8:], 65535)
	i := 13
	if b[10]&0x80 != 0 {
		i += 3 << (b[10]&7 + 1)
	}
	for i < len(b) && b[i] == 0x21 { // extensions: label, then sub-blocks
		i += 2
		for i < len(b) && b[i] != 0 {
			i += 1 + int(b[i])
		}
		i++
	}
	if i+9 > len(b) || b[i] != 0x2C {
		t.Fatal("testimg.GIF: no image descriptor")
	}
	binary.LittleEndian.PutUint16(b[i+5:], 65535)
	binary.LittleEndian.PutUint16(b[i+7:], 65535)
	return b
}
