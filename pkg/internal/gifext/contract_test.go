package gifext

import (
	"bytes"
	"compress/lzw"
	"image"
	"image/color"
	"image/gif"
	"slices"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/container/containertest"
	"github.com/photoscrub/photoscrub/pkg/internal/corpus"
	"github.com/photoscrub/photoscrub/pkg/internal/icc"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// opts decodes with the standard library for the pixel comparison, up to
// 4 megapixels.
var opts = containertest.Options{Decode: containertest.LimitedDecode(1<<22, gif.DecodeConfig, gif.Decode)}

var planted = testimg.DefaultMarkers().Owner

// lzwData encodes pixels with compress/lzw (clear code first, end code
// last) as image/gif does, plus tail bytes inside the last sub-block.
func lzwData(lit int, pix []byte, tail string) []byte {
	var b bytes.Buffer
	w := lzw.NewWriter(&b, lzw.LSB, lit)
	w.Write(pix)
	w.Close()
	return append(b.Bytes(), tail...)
}

// gifOf assembles a GIF: header, 4-colour global table, blocks, trailer.
func gifOf(w, h int, blocks ...[]byte) []byte {
	out := []byte("GIF89a")
	out = append(out, byte(w), byte(w>>8), byte(h), byte(h>>8), 0x81, 0, 0)
	out = append(out, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255)
	for _, b := range blocks {
		out = append(out, b...)
	}
	return append(out, 0x3B)
}

// img returns an image block of w×h pixels (pattern) with lzw data and
// any extra sub-blocks (raw) before the terminator.
func img(w, h int, packed byte, lct []byte, data []byte, extra []byte) []byte {
	b := []byte{0x2C, 0, 0, 0, 0, byte(w), byte(w >> 8), byte(h), byte(h >> 8), packed}
	b = append(b, lct...)
	b = append(b, 2)
	sb := testimg.GIFSubBlocks(data)
	return append(append(b, sb[:len(sb)-1]...), append(extra, 0)...)
}

func pattern(n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(i/3) % 4
	}
	return p
}

func gce(extra []byte) []byte {
	return append([]byte{0x21, 0xF9, 4, 4, 10, 0, 0}, append(extra, 0)...)
}

func xmpExt(packet []byte) []byte {
	b := append([]byte{0x21, 0xFF, 11}, xmpAppID...)
	return append(append(b, packet...), testimg.GIFXMPMagicTrailer()...)
}

func xmpWith(body string) []byte {
	return []byte(`<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">` +
		`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" ` + body +
		`/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`)
}

func iccExt(p []byte) []byte { return testimg.GIFAppExtension("ICCRGBG1", "012", p) }

func iccClean() []byte {
	p, err := icc.Parse(testimg.ICCProfileRGB(planted, "Copyright "+planted))
	if err != nil {
		return nil
	}
	return p.Rebuild()
}

func generated() []containertest.Sample {
	g := func(name string, o testimg.GIFOptions, dirty bool) containertest.Sample {
		return containertest.Sample{Name: name, Data: testimg.GIF(o), Dirty: dirty}
	}
	pix := pattern(7 * 5)
	good := lzwData(2, pix, "")
	loop := func(extra []byte) []byte {
		b := testimg.GIFAppExtension("NETSCAPE", "2.0", nil)
		return slices.Concat(b[:len(b)-1], []byte{3, 1, 5, 0}, extra, []byte{0})
	}
	lct := []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	s := []containertest.Sample{
		g("plain", testimg.GIFOptions{}, false),
		g("all", testimg.AllGIF(), true),
		g("frames loop", testimg.GIFOptions{Frames: 3, Loop: true}, false),
		g("xmp", testimg.GIFOptions{XMP: true}, true),
		g("comment", testimg.GIFOptions{Comment: true}, true),
		g("plain text", testimg.GIFOptions{PlainText: true}, true),
		{Name: "built", Data: gifOf(7, 5, gce(nil), img(7, 5, 0, nil, good, nil))},
		{Name: "local table interlaced", Data: gifOf(7, 5, img(7, 5, 0xC1, lct, good, nil))},
		{Name: "GIF87a", Data: append([]byte("GIF87a"), gifOf(7, 5, img(7, 5, 0, nil, good, nil))[6:]...)},
		{Name: "no end code", Data: gifOf(7, 5, img(7, 5, 0, nil, good[:len(good)-1], nil))},
		{Name: "loop", Data: gifOf(7, 5, loop(nil), img(7, 5, 0, nil, good, nil))},
		{Name: "reserved bits", Data: gifOf(7, 5, img(7, 5, 0x18, nil, good, nil))},
		// Hostile: one per class.
		{Name: "bytes after end code", Data: gifOf(7, 5, img(7, 5, 0, nil, lzwData(2, pix, planted), nil)), Dirty: true},
		{Name: "sub-blocks after end code", Data: gifOf(7, 5, img(7, 5, 0, nil, good, testimg.GIFSubBlocks([]byte(planted))[:len(planted)+1])), Dirty: true},
		{Name: "GCE extra sub-blocks", Data: gifOf(7, 5, gce(testimg.GIFSubBlocks([]byte(planted))[:len(planted)+1]), img(7, 5, 0, nil, good, nil)), Dirty: true},
		{Name: "unreferenced GCE", Data: gifOf(7, 5, img(7, 5, 0, nil, good, nil), gce(nil)), Dirty: true},
		{Name: "loop extra data", Data: gifOf(7, 5, loop(testimg.GIFSubBlocks([]byte(planted))[:len(planted)+1]), img(7, 5, 0, nil, good, nil)), Dirty: true},
		{Name: "duplicate loop", Data: gifOf(7, 5, loop(nil), loop(nil), img(7, 5, 0, nil, good, nil)), Dirty: true},
		{Name: "planted app id", Data: gifOf(7, 5, testimg.GIFAppExtension(planted[:8], planted[8:11], []byte("x")), img(7, 5, 0, nil, good, nil)), Dirty: true},
		{Name: "xmp in comment", Data: gifOf(7, 5, slices.Concat([]byte{0x21, 0xFE}, testimg.GIFSubBlocks(
			xmpWith(`xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,30.5N"`))), img(7, 5, 0, nil, good, nil)), Dirty: true},
		{Name: "xmp orientation", Data: gifOf(7, 5, xmpExt(xmpWith(`xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Orientation="6"`)),
			img(7, 5, 0, nil, good, nil)), Dirty: true},
		{Name: "orientation-only xmp", Data: gifOf(7, 5, xmpExt(orientationXMP(5)), img(7, 5, 0, nil, good, nil)), Dirty: true},
		{Name: "icc planted", Data: gifOf(7, 5, iccExt(testimg.ICCProfileRGB(planted, "Copyright "+planted)), img(7, 5, 0, nil, good, nil)), Dirty: true},
		{Name: "icc not a profile", Data: gifOf(7, 5, iccExt([]byte(planted)), img(7, 5, 0, nil, good, nil)), Dirty: true},
		{Name: "bytes after trailer", Data: append(gifOf(7, 5, img(7, 5, 0, nil, good, nil)), planted...), Dirty: true},
		{Name: "too many pixels", Data: gifOf(7, 5, img(7, 5, 0, nil, lzwData(2, pattern(7*6), ""), nil))},
		{Name: "fewer pixels", Data: gifOf(7, 5, img(7, 5, 0, nil, lzwData(2, pattern(7*4), ""), nil))},
		{Name: "code size 9", Data: bytes.Replace(gifOf(7, 5, img(7, 5, 0, nil, good, nil)), []byte{5, 0, 0, 2}, []byte{5, 0, 0, 9}, 1)},
	}
	if c := iccClean(); c != nil {
		s = append(s, containertest.Sample{Name: "icc clean", Data: gifOf(7, 5, iccExt(c), img(7, 5, 0, nil, good, nil))})
	}
	return s
}

func TestContract(t *testing.T) {
	samples := generated()
	containertest.Run(t, Format, samples, opts)
	for _, s := range samples {
		f, err := parse(s.Data)
		if (err != nil) != (s.Name == "too many pixels" || s.Name == "code size 9") {
			t.Errorf("%s: parse error %v", s.Name, err)
		}
		if err != nil {
			continue
		}
		out, err := f.Rebuild(meta.DefaultKeep)
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		if s.Dirty && bytes.Contains(out, []byte(planted)) {
			t.Errorf("%s: planted value survived the rebuild", s.Name)
		}
		containertest.NoLeak(t, container.Inspect(f, len(s.Data)), nil)
		switch s.Name {
		case "xmp orientation":
			// Reported (re-encode applies it), not kept: GIF has no
			// orientation field and XMP is metadata.
			if f.orient != 6 || bytes.Contains(out, []byte("Orientation")) {
				t.Errorf("XMP orientation: reported %d, output keeps XMP %v", f.orient, bytes.Contains(out, []byte("Orientation")))
			}
		case "orientation-only xmp":
			if f.orient != 5 || bytes.Contains(out, []byte("xmpmeta")) {
				t.Errorf("orientation-only XMP: reported %d, kept %v", f.orient, bytes.Contains(out, []byte("xmpmeta")))
			}
		case "icc planted", "icc clean":
			if f.ICC() == nil || !bytes.Contains(out, []byte("ICCRGBG1012")) {
				t.Errorf("%s: ICC profile not kept", s.Name)
			}
		case "xmp in comment":
			if !containertest.HasCategory(container.Inspect(f, len(s.Data)).Findings, meta.Location) {
				t.Errorf("XMP GPS in a comment not reported as location")
			}
		case "fewer pixels":
			if len(f.insp.Warnings) == 0 {
				t.Errorf("no warning for a short frame")
			}
		}
	}
}

// TestContractCorpus runs the suite over any GIF of the corpus (none at
// the time of writing).
func TestContractCorpus(t *testing.T) {
	containertest.RunCorpus(t, Format, opts, corpus.OfFormat("GIF", ".gif"), nil)
}

func FuzzContract(f *testing.F) {
	containertest.Fuzz(f, Format, generated(), opts, 1<<20)
}

// benchGIF is a 600×800 GIF (image/gif, 256-colour photo-like pattern).
func benchGIF(b *testing.B) []byte {
	b.Helper()
	img := image.NewPaletted(image.Rect(0, 0, 600, 800), palette256())
	for y := range 800 {
		for x := range 600 {
			img.Pix[y*600+x] = uint8((x*x/7 + y*y/5 + x*y/11) >> 2)
		}
	}
	var buf bytes.Buffer
	if err := gif.Encode(&buf, img, nil); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func palette256() color.Palette {
	p := make(color.Palette, 256)
	for i := range p {
		p[i] = color.RGBA{uint8(i), uint8(255 - i), uint8(i * 7), 255}
	}
	return p
}

// BenchmarkLZWProof measures the LZW proof alone, MB/s of coded data.
func BenchmarkLZWProof(b *testing.B) {
	data := benchGIF(b)
	w, err := walk(data)
	if err != nil {
		b.Fatal(err)
	}
	var bl block
	for _, x := range w.blocks {
		if x.intro == introImage {
			bl = x
		}
	}
	pos := bl.off + 10
	if data[bl.off+9]&0x80 != 0 {
		pos += 3 << (data[bl.off+9]&7 + 1)
	}
	ss, _ := subs(data, pos+1)
	n := 0
	for _, s := range ss {
		n += s.len
	}
	b.SetBytes(int64(n))
	start := containertest.CPUTime()
	for b.Loop() {
		if _, err := proveLZW(data, ss, int(data[pos]), 600*800); err != nil {
			b.Fatal(err)
		}
	}
	containertest.ReportCPU(b, start, b.N, int64(n))
}

// BenchmarkParseRebuild measures Parse + Rebuild of the same GIF.
func BenchmarkParseRebuild(b *testing.B) {
	containertest.BenchParseRebuild(b, benchGIF(b), Parse)
}

// orientationXMP is an XMP packet holding tiff:Orientation only: even
// this is metadata in a GIF, which has no orientation field to keep it in.
func orientationXMP(o int) []byte {
	return []byte(`<?xpacket begin="` + "\uFEFF" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>` +
		`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
		`<rdf:Description rdf:about="" xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Orientation="` +
		string(rune('0'+o)) + `"/></rdf:RDF></x:xmpmeta><?xpacket end="r"?>`)
}
