package pngchunk

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"slices"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/container/containertest"
	"github.com/photoscrub/photoscrub/pkg/internal/corpus"
	"github.com/photoscrub/photoscrub/pkg/internal/exifmeta"
	"github.com/photoscrub/photoscrub/pkg/internal/icc"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// opts decodes with the standard library for the pixel comparison, up to
// 4 megapixels.
var opts = containertest.Options{Decode: containertest.LimitedDecode(1<<22, png.DecodeConfig, png.Decode)}

// planted is the value hostile samples hide.
var planted = testimg.DefaultMarkers().Owner

// ihdrBytes builds IHDR data.
func ihdrBytes(w, h int, depth, ct, interlace byte) []byte {
	d := binary.BigEndian.AppendUint32(nil, uint32(w))
	d = binary.BigEndian.AppendUint32(d, uint32(h))
	return append(d, depth, ct, 0, 0, interlace)
}

// rawImage returns filter-0 scanlines for a w×h image of bpp bits per
// pixel, interlaced with Adam7 when asked, filled with a pattern.
func rawImage(w, h int, bpp uint64, interlace bool) []byte {
	g := layout(uint64(w), uint64(h), bpp, interlace)
	out := make([]byte, 0, g.raw)
	for p := range g.rows {
		for r := uint64(0); r < g.rows[p]; r++ {
			out = append(out, 0)
			for i := uint64(1); i < g.rowBytes[p]; i++ {
				out = append(out, byte(i*7+r*3+uint64(p)))
			}
		}
	}
	return out
}

// buildPNG assembles a PNG: IHDR, chunks before IDAT, one IDAT holding
// idat, chunks after, IEND, tail.
func buildPNG(ihdr []byte, before [][]byte, idat []byte, after [][]byte, tail string) []byte {
	out := []byte(signature)
	out = append(out, testimg.PNGChunk("IHDR", ihdr)...)
	for _, c := range before {
		out = append(out, c...)
	}
	out = append(out, testimg.PNGChunk("IDAT", idat)...)
	for _, c := range after {
		out = append(out, c...)
	}
	return append(append(out, testimg.PNGChunk("IEND", nil)...), tail...)
}

// rgb returns a small 8-bit RGB PNG with the given extra chunks.
func rgb(before [][]byte, idatTail string, after [][]byte, tail string) []byte {
	return buildPNG(ihdrBytes(7, 5, 8, 2, 0), before, append(deflate(rawImage(7, 5, 24, false)), idatTail...), after, tail)
}

func paletted() []byte {
	pal := color.Palette{color.NRGBA{0, 0, 0, 255}, color.NRGBA{255, 0, 0, 128}, color.NRGBA{0, 255, 0, 0}}
	img := image.NewPaletted(image.Rect(0, 0, 9, 7), pal)
	for i := range img.Pix {
		img.Pix[i] = uint8(i % 3)
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

func gray16() []byte {
	img := image.NewGray16(image.Rect(0, 0, 11, 3))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 37)
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

func xmpWith(body string) []byte {
	return []byte(`<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">` +
		`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" ` + body +
		`/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`)
}

func generated() []containertest.Sample {
	all := testimg.AllPNG()
	all.Orientation = 6
	anim := testimg.AllPNG()
	anim.APNG = true
	g := func(name string, o testimg.PNGOptions, dirty bool) containertest.Sample {
		return containertest.Sample{Name: name, Data: testimg.PNG(o), Dirty: dirty}
	}
	c := testimg.PNGChunk
	exif6 := slices.Concat([]byte("Exif\x00\x00"), testimg.EXIF(testimg.EXIFOptions{Orientation: 6, GPS: true}))
	return []containertest.Sample{
		g("plain", testimg.PNGOptions{}, false),
		g("all", all, true),
		g("apng", testimg.PNGOptions{APNG: true}, false),
		g("apng all", anim, true),
		g("orientation only", testimg.PNGOptions{Orientation: 8}, false),
		g("eXIf prefix", testimg.PNGOptions{EXIF: true, EXIFPrefix: true, Orientation: 3}, true),
		{Name: "interlaced", Data: buildPNG(ihdrBytes(13, 11, 8, 6, 1), nil, deflate(rawImage(13, 11, 32, true)), nil, "")},
		{Name: "interlaced 1-bit gray", Data: buildPNG(ihdrBytes(9, 9, 1, 0, 1), nil, deflate(rawImage(9, 9, 1, true)), nil, "")},
		{Name: "paletted", Data: paletted()},
		{Name: "gray16", Data: gray16()},
		{Name: "kept chunks", Data: rgb([][]byte{c("gAMA", []byte{0, 0, 0xB1, 0x8F}), c("sRGB", []byte{0}),
			c("cHRM", make([]byte, 32)), c("sBIT", []byte{5, 6, 5}), c("bKGD", make([]byte, 6)),
			c("tRNS", make([]byte, 6)), c("pHYs", []byte{0, 0, 0x0B, 0x13, 0, 0, 0x0B, 0x13, 1})}, "", nil, "")},
		// Hostile: one per class.
		{Name: "slack after zlib end", Data: rgb(nil, planted, nil, ""), Dirty: true},
		{Name: "hidden data past raw size", Data: buildPNG(ihdrBytes(7, 5, 8, 2, 0), nil,
			deflate(append(rawImage(7, 5, 24, false), planted...)), nil, ""), Dirty: true},
		{Name: "gAMA with extra bytes", Data: rgb([][]byte{c("gAMA", append([]byte{0, 0, 0xB1, 0x8F}, planted...))}, "", nil, ""), Dirty: true},
		{Name: "tRNS wrong size", Data: rgb([][]byte{c("tRNS", []byte(planted))}, "", nil, ""), Dirty: true},
		{Name: "sRGB out of range", Data: rgb([][]byte{c("sRGB", []byte{9})}, "", nil, ""), Dirty: true},
		{Name: "duplicate pHYs", Data: rgb([][]byte{c("pHYs", make([]byte, 9)), c("pHYs", make([]byte, 9))}, "", nil, ""), Dirty: true},
		{Name: "pHYs after IDAT", Data: rgb(nil, "", [][]byte{c("pHYs", make([]byte, 9))}, ""), Dirty: true},
		{Name: "sBIT on palette wrong", Data: rgb([][]byte{c("sBIT", []byte{9, 9, 9})}, "", nil, ""), Dirty: true},
		{Name: "unknown ancillary", Data: rgb([][]byte{c("prVt", []byte(planted))}, "", nil, ""), Dirty: true},
		{Name: "bytes after IEND", Data: rgb(nil, "", nil, planted), Dirty: true},
		{Name: "iCCP slack", Data: rgb([][]byte{c("iCCP", slices.Concat([]byte("ICC profile\x00\x00"), deflate(iccSample()), []byte(planted)))}, "", nil, ""), Dirty: true},
		{Name: "iCCP empty name", Data: rgb([][]byte{c("iCCP", slices.Concat([]byte("\x00\x00"), deflate(iccSample())))}, "", nil, ""), Dirty: true},
		{Name: "iCCP clean", Data: rgb([][]byte{c("iCCP", slices.Concat([]byte("ICC profile\x00\x00"), deflate(iccClean())))}, "", nil, "")},
		{Name: "iCCP planted text", Data: rgb([][]byte{c("iCCP", slices.Concat([]byte("ICC profile\x00\x00"), deflate(iccSample())))}, "", nil, ""), Dirty: true},
		{Name: "iCCP not a profile", Data: rgb([][]byte{c("iCCP", slices.Concat([]byte("ICC profile\x00\x00"), deflate([]byte(planted))))}, "", nil, ""), Dirty: true},
		{Name: "raw profile exif orientation", Data: rgb([][]byte{c("zTXt", slices.Concat([]byte("Raw profile type exif\x00\x00"),
			deflate(testimg.PNGRawProfile("exif", exif6))))}, "", nil, ""), Dirty: true},
		{Name: "xmp orientation", Data: rgb([][]byte{c("iTXt", slices.Concat([]byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00"),
			xmpWith(`xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Orientation="3"`)))}, "", nil, ""), Dirty: true},
		{Name: "xmp in comment", Data: rgb(nil, "", [][]byte{c("tEXt", slices.Concat([]byte("Comment\x00"),
			xmpWith(`xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,30.5N"`)))}, ""), Dirty: true},
		{Name: "bad filter byte", Data: buildPNG(ihdrBytes(7, 5, 8, 2, 0), nil, deflate(append([]byte{9}, rawImage(7, 5, 24, false)[1:]...)), nil, "")},
		{Name: "short image data", Data: buildPNG(ihdrBytes(7, 5, 8, 2, 0), nil, deflate(rawImage(7, 4, 24, false)), nil, "")},
		{Name: "apng slack in fdAT", Data: apngSlack(), Dirty: true},
		{Name: "apng bad sequence", Data: apngEdit(func(d []byte) { d[3] = 7 })},
		{Name: "apng frame outside canvas", Data: apngEdit(func(d []byte) { d[15] = 1 })},
	}
}

// apngSlack plants bytes after the zlib stream of the second frame.
func apngSlack() []byte {
	p := testimg.PNG(testimg.PNGOptions{APNG: true})
	f, _ := walk(p)
	for _, c := range slices.Backward(f.chunks) {
		if c.typ == "fdAT" {
			return slices.Concat(p[:c.off], testimg.PNGChunk("fdAT", append(slices.Clone(c.data), planted...)), p[c.off+len(c.raw):])
		}
	}
	panic("no fdAT")
}

// apngEdit changes the last fcTL's data (re-sealing its CRC).
func apngEdit(edit func([]byte)) []byte {
	p := testimg.PNG(testimg.PNGOptions{APNG: true})
	f, _ := walk(p)
	for _, c := range slices.Backward(f.chunks) {
		if c.typ == "fcTL" {
			d := slices.Clone(c.data)
			edit(d)
			return slices.Concat(p[:c.off], testimg.PNGChunk("fcTL", d), p[c.off+len(c.raw):])
		}
	}
	panic("no fcTL")
}

// iccSample is a valid RGB profile carrying planted text.
func iccSample() []byte { return testimg.ICCProfileRGB(planted, "Copyright "+planted) }

// iccClean is the icc package's rebuild of iccSample (clean).
func iccClean() []byte {
	p, err := icc.Parse(iccSample())
	if err != nil {
		return iccSample()
	}
	return p.Rebuild()
}

func TestContract(t *testing.T) {
	samples := generated()
	containertest.Run(t, Format, samples, opts)
	for _, s := range samples {
		f, err := Parse(s.Data)
		if err != nil {
			continue
		}
		out, err := f.Rebuild(meta.DefaultKeep)
		if err != nil {
			continue
		}
		if s.Dirty && bytes.Contains(out, []byte(planted)) {
			t.Errorf("%s: planted value survived the rebuild", s.Name)
		}
		in := container.Inspect(f, len(s.Data))
		noLeak(t, in, nil)
		if s.Name == "xmp in comment" && !containertest.HasCategory(in.Findings, meta.Location) {
			t.Errorf("XMP GPS in a comment not reported as location")
		}
	}
}

// TestOrientationCarriers: every carrier's orientation becomes an
// Orientation-only eXIf.
func TestOrientationCarriers(t *testing.T) {
	want := map[string]int{"raw profile exif orientation": 6, "xmp orientation": 3, "all": 6, "eXIf prefix": 3, "orientation only": 8}
	for _, s := range generated() {
		o, ok := want[s.Name]
		if !ok {
			continue
		}
		f, err := Parse(s.Data)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := f.Rebuild(meta.DefaultKeep)
		if !bytes.Contains(out, append([]byte("eXIf"), exifmeta.Minimal(o)...)) {
			t.Errorf("%s: orientation %d not kept as eXIf", s.Name, o)
		}
	}
}

// TestICCKept: a valid profile survives (rebuilt) from every iCCP variant
// that parses; the empty name of exiv2 is tolerated.
func TestICCKept(t *testing.T) {
	if _, err := icc.Parse(iccSample()); err != nil {
		t.Skip("icc is still a placeholder")
	}
	for _, s := range generated() {
		if !strings.HasPrefix(s.Name, "iCCP") || s.Name == "iCCP not a profile" {
			continue
		}
		f, err := Parse(s.Data)
		if err != nil || f.ICC() == nil {
			t.Fatalf("%s: %v, profile kept %v", s.Name, err, err == nil && f.ICC() != nil)
		}
		out, _ := f.Rebuild(meta.DefaultKeep)
		if !bytes.Contains(out, []byte("iCCP"+iccName+"\x00\x00")) {
			t.Errorf("%s: no iCCP in the rebuild", s.Name)
		}
		if s.Name == "iCCP clean" && !bytes.Equal(out, s.Data) {
			t.Errorf("clean iCCP file not rebuilt identically")
		}
	}
}

func TestContractExpectations(t *testing.T) {
	for _, s := range generated() {
		_, err := Parse(s.Data)
		bad := s.Name == "bad filter byte" || s.Name == "short image data" || strings.HasPrefix(s.Name, "apng bad") ||
			s.Name == "apng frame outside canvas"
		if (err != nil) != bad {
			t.Errorf("%s: parse error %v", s.Name, err)
		}
	}
}

// TestContractCorpus runs the suite over the corpus PNGs: every real file
// parses, rebuilds and verifies; GPS is reported as location.
func TestContractCorpus(t *testing.T) {
	exifOK, xmpOK := exifReady(), xmpReady()
	containertest.RunCorpus(t, Format, opts, corpus.OfFormat("PNG", ".png"), func(t *testing.T, e corpus.Entry, data []byte, f container.File) {
		if f == nil || e["has_gps"] != "yes" {
			return
		}
		in := container.Inspect(f, len(data))
		groups := e["gps_groups"]
		needs := (!strings.Contains(groups, "EXIF") || exifOK) && (!strings.Contains(groups, "XMP") || xmpOK)
		if !containertest.HasCategory(in.Findings, meta.Location) && needs {
			t.Errorf("GPS (%s) not reported: %v", groups, in.Findings)
		}
	})
}

func FuzzContract(f *testing.F) {
	containertest.Fuzz(f, Format, generated(), opts, 1<<20)
}

// benchImage is a 600×800 RGB photo-like PNG (image/png encoder).
func benchImage() []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 600, 800))
	r := uint32(1)
	for y := range 800 {
		for x := range 600 {
			r ^= r << 13
			r ^= r >> 17
			r ^= r << 5
			n := uint8(r & 15) // sensor-like noise on smooth gradients
			img.SetNRGBA(x, y, color.NRGBA{uint8(x/3) + n, uint8(y/4) + n, uint8((x+y)/6) + n, 255})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// BenchmarkInflateProof measures the IDAT proof (inflate to the zlib end,
// filter bytes, SHA-256 of the raw data), MB/s of decompressed data.
func BenchmarkInflateProof(b *testing.B) {
	data := benchImage()
	f, err := parse(data)
	if err != nil {
		b.Fatal(err)
	}
	s := f.streams[0]
	g := f.hdr.geometry(s.w, s.h)
	b.SetBytes(int64(g.raw))
	b.ReportMetric(float64(s.pr.used), "zlib-bytes")
	start := containertest.CPUTime()
	for b.Loop() {
		if _, err := prove(data, s.pieces, g); err != nil {
			b.Fatal(err)
		}
	}
	containertest.ReportCPU(b, start, b.N, int64(g.raw))
}

// BenchmarkParseRebuild measures Parse + Rebuild of the same image.
func BenchmarkParseRebuild(b *testing.B) {
	containertest.BenchParseRebuild(b, benchImage(), Parse)
}
