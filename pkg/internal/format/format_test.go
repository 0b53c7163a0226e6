package format

import (
	"encoding/binary"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// ftyp returns an ftyp box with the given major brand and compatible
// brands, followed by a few bytes of a following box.
func ftyp(major string, compat ...string) []byte {
	b := make([]byte, 8, 64)
	b = append(b, major...)
	b = append(b, 0, 0, 0, 0)
	for _, c := range compat {
		b = append(b, c...)
	}
	binary.BigEndian.PutUint32(b, uint32(len(b)))
	copy(b[4:], "ftyp")
	return append(b, 0, 0, 0, 8, 'f', 'r', 'e', 'e')
}

func TestSniff(t *testing.T) {
	jpg, err := testimg.JPEG(testimg.JPEGOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		head []byte
		want Format
	}{
		{"empty", nil, Empty},
		{"empty slice", []byte{}, Empty},
		{"jpeg generated", jpg, JPEG},
		{"jpeg raw marker", []byte{0xFF, 0xD8, 0xFF, 0xDB, 0, 0}, JPEG},
		{"jpeg SOI only", []byte{0xFF, 0xD8}, Unknown},
		{"png generated", testimg.PNG(testimg.PNGOptions{}), PNG},
		{"png truncated signature", []byte("\x89PNG\r\n"), Unknown},
		{"gif89a generated", testimg.GIF(testimg.GIFOptions{}), GIF},
		{"gif87a", []byte("GIF87a\x01\x00\x01\x00"), GIF},
		{"gif other version", []byte("GIF88a\x01\x00"), Unknown},
		{"webp generated", testimg.WebP(testimg.WebPOptions{}), WebP},
		{"riff wave", []byte("RIFF\x24\x00\x00\x00WAVEfmt "), Unknown},
		{"riff short", []byte("RIFF\x24\x00\x00\x00WEB"), Unknown},
		{"tiff II generated", testimg.TIFF(testimg.TIFFOptions{}), TIFF},
		{"tiff MM generated", testimg.TIFF(testimg.TIFFOptions{BigEndian: true}), TIFF},
		{"bigtiff II", []byte("II+\x00\x08\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00"), TIFF},
		{"bigtiff MM", []byte("MM\x00+\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x10"), TIFF},
		{"orf IIRO", []byte("IIRO\x08\x00\x00\x00"), RAW},
		{"orf IIRS", []byte("IIRS\x08\x00\x00\x00"), RAW},
		{"orf MMOR", []byte("MMOR\x00\x00\x00\x08"), RAW},
		{"rw2", []byte("IIU\x00\x08\x00\x00\x00"), RAW},
		{"raf", []byte("FUJIFILMCCD-RAW 0201FF383501"), RAW},
		{"x3f", []byte("FOVb\x00\x00\x02\x00"), RAW},
		{"crw", []byte("II\x1a\x00\x00\x00HEAPCCDR"), RAW},
		{"heif generated", testimg.HEIF(testimg.HEIFOptions{}), HEIF},
		{"ftyp heic", ftyp("heic", "mif1", "heic"), HEIF},
		{"ftyp heix", ftyp("heix", "mif1"), HEIF},
		{"ftyp mif1 major", ftyp("mif1", "heic"), HEIF},
		{"ftyp mif1 only", ftyp("mif1"), HEIF},
		{"ftyp msf1 sequence", ftyp("msf1", "hevc"), HEIF},
		{"ftyp compatible heic", ftyp("abcd", "isom", "heic"), HEIF},
		{"ftyp avif", ftyp("avif", "mif1", "miaf"), AVIF},
		{"ftyp avis", ftyp("avis", "msf1", "avif"), AVIF},
		{"ftyp mif1 with avif compat", ftyp("mif1", "avif", "miaf"), AVIF},
		{"ftyp crx", ftyp("crx ", "isom"), RAW},
		{"ftyp mp42", ftyp("mp42", "isom", "mp41"), Video},
		{"ftyp qt", ftyp("qt  ", "qt  "), Video},
		{"ftyp isom", ftyp("isom", "iso2", "avc1", "mp41"), Video},
		{"ftyp 3gp", ftyp("3gp4", "3gp4"), Video},
		{"ftyp bad size", append([]byte{0xFF, 0xFF, 0xFF, 0xFF}, ftyp("heic")[4:]...), HEIF},
		{"jxl codestream", []byte{0xFF, 0x0A, 0xFA, 0x1F}, JXL},
		{"jxl container", []byte("\x00\x00\x00\x0cJXL \r\n\x87\n\x00\x00\x00\x14ftypjxl "), JXL},
		{"jp2 container", []byte("\x00\x00\x00\x0cjP  \r\n\x87\n\x00\x00\x00\x14ftypjp2 "), JP2},
		{"j2k codestream", []byte{0xFF, 0x4F, 0xFF, 0x51, 0, 0x2F}, JP2},
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), PDF},
		{"bmp", []byte("BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00"), BMP},
		{"bmp too short", []byte("BM"), Unknown},
		{"psd", []byte("8BPS\x00\x01\x00\x00\x00\x00\x00\x00"), PSD},
		{"ico", []byte{0, 0, 1, 0, 1, 0, 16, 16}, ICO},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), SVG},
		{"svg with BOM and space", []byte("\xef\xbb\xbf\n  <svg width='1'/>"), SVG},
		{"svg xml prolog", []byte(`<?xml version="1.0"?><svg xmlns="x"/>`), SVG},
		{"xml not svg", []byte(`<?xml version="1.0"?><rdf:RDF/>`), Unknown},
		{"html", []byte("<!DOCTYPE html><html>"), Unknown},
		{"text", []byte("hello, world"), Unknown},
		{"zeros", make([]byte, 64), Unknown},
	}
	for _, c := range cases {
		head := c.head[:min(len(c.head), HeadSize)]
		if got := Sniff(head); got != c.want {
			t.Errorf("%s: Sniff = %s, want %s", c.name, got, c.want)
		}
	}
}

// TestSniffDoesNotPanic feeds every prefix of every magic to Sniff.
func TestSniffDoesNotPanic(t *testing.T) {
	for _, m := range [][]byte{ftyp("heic", "mif1"), []byte("RIFF\x00\x00\x00\x00WEBPVP8L"),
		[]byte("\x00\x00\x00\x0cJXL \r\n\x87\n"), []byte("FUJIFILMCCD-RAW 0201"), []byte("II\x1a\x00\x00\x00HEAPCCDR")} {
		for i := 0; i <= len(m); i++ {
			Sniff(m[:i])
		}
	}
}

func TestByExtension(t *testing.T) {
	cases := map[string]Format{
		"a.jpg": JPEG, "A.JPG": JPEG, "x/y.jpeg": JPEG, "b.jpe": JPEG, "c.jfif": JPEG,
		"p.png": PNG, "p.apng": PNG, "g.GIF": GIF, "w.webp": WebP,
		"t.tif": TIFF, "t.TIFF": TIFF, "h.heic": HEIF, "h.HEIF": HEIF, "h.hif": HEIF,
		"a.avif": AVIF, "j.jxl": JXL, "d.dng": RAW, "c.CR2": RAW, "c.cr3": RAW, "n.nef": RAW,
		"s.arw": RAW, "r.raf": RAW, "o.orf": RAW, "r.rw2": RAW, "doc.pdf": PDF, "b.bmp": BMP,
		"p.psd": PSD, "v.mp4": Video, "v.MOV": Video, "j.jp2": JP2, "s.svg": SVG, "i.ico": ICO,
		"noext": Unknown, "x.txt": Unknown, ".jpg": JPEG, "archive.jpg.zip": Unknown,
		"dir.jpg/file": Unknown, "": Unknown,
	}
	for name, want := range cases {
		if got := ByExtension(name); got != want {
			t.Errorf("ByExtension(%q) = %s, want %s", name, got, want)
		}
		if got := LikelyImage(name); got != (want != Unknown) {
			t.Errorf("LikelyImage(%q) = %v", name, got)
		}
	}
}

// TestExtensionMismatch: a .jpg that really is a PNG sniffs as PNG, and the
// extension hint disagrees.
func TestExtensionMismatch(t *testing.T) {
	data := testimg.PNG(testimg.PNGOptions{})
	got := Sniff(data[:HeadSize])
	if got != PNG {
		t.Fatalf("Sniff = %s, want png", got)
	}
	if ext := ByExtension("IMG_0001.jpg"); ext == got {
		t.Errorf("extension hint %s equals the sniffed format: no mismatch seen", ext)
	}
	// And the other way round: a JPEG named .png.
	jpg, _ := testimg.JPEG(testimg.JPEGOptions{})
	if Sniff(jpg) != JPEG || ByExtension("photo.png") != PNG {
		t.Error("JPEG named .png not told apart")
	}
}

// FuzzSniff: Sniff never panics, is deterministic and says Empty exactly
// for empty input.
func FuzzSniff(f *testing.F) {
	f.Add([]byte{})
	f.Add(ftyp("heic", "mif1"))
	f.Add(ftyp("mif1", "avif"))
	f.Add(testimg.PNG(testimg.PNGOptions{}))
	f.Add([]byte("II*\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		got := Sniff(b)
		if (got == Empty) != (len(b) == 0) {
			t.Fatalf("Sniff = %s for %d bytes", got, len(b))
		}
		if Sniff(b) != got {
			t.Fatal("not deterministic")
		}
	})
}
