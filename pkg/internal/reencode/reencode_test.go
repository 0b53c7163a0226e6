package reencode

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"testing"

	"golang.org/x/image/tiff"

	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/internal/scrub"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// mustJPEG builds a test JPEG or fails t.
func mustJPEG(t testing.TB, o testimg.JPEGOptions) []byte {
	t.Helper()
	b, err := testimg.JPEG(o)
	if err != nil {
		t.Fatalf("testimg.JPEG: %v", err)
	}
	return b
}

// jpegSegment is one marker segment before the first SOS.
type jpegSegment struct {
	marker  byte
	payload []byte
}

// jpegHeaderSegments lists the segments of a JPEG up to SOS, failing t on a
// malformed header.
func jpegHeaderSegments(t testing.TB, data []byte) []jpegSegment {
	t.Helper()
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		t.Fatalf("output is not a JPEG (starts % x)", data[:min(4, len(data))])
	}
	var segs []jpegSegment
	for i := 2; ; {
		if i+4 > len(data) || data[i] != 0xFF {
			t.Fatalf("malformed JPEG header at offset %d", i)
		}
		m := data[i+1]
		l := int(binary.BigEndian.Uint16(data[i+2:]))
		if l < 2 || i+2+l > len(data) {
			t.Fatalf("bad segment length %d at offset %d", l, i)
		}
		segs = append(segs, jpegSegment{m, data[i+4 : i+2+l]})
		if m == 0xDA {
			return segs
		}
		i += 2 + l
	}
}

// checkJPEGAllowlist fails t when out has an APPn other than JFIF APP0 and
// ICC_PROFILE APP2, or a COM, and returns the reassembled ICC profile.
func checkJPEGAllowlist(t testing.TB, out []byte) []byte {
	t.Helper()
	var icc []byte
	for _, s := range jpegHeaderSegments(t, out) {
		switch {
		case s.marker == 0xE0 && bytes.HasPrefix(s.payload, []byte("JFIF\x00")):
		case s.marker == 0xE2 && bytes.HasPrefix(s.payload, []byte("ICC_PROFILE\x00")):
			icc = append(icc, s.payload[14:]...)
		case s.marker >= 0xE0 && s.marker <= 0xEF, s.marker == 0xFE:
			t.Errorf("output keeps marker FF%02X (%d bytes)", s.marker, len(s.payload))
		}
	}
	return icc
}

// jpegICCProfile returns the reassembled ICC profile of a source JPEG (nil
// if none), resynchronising on stray bytes between segments.
func jpegICCProfile(data []byte) []byte {
	var icc []byte
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF || data[i+1] == 0xFF || data[i+1] == 0 {
			i++
			continue
		}
		m := data[i+1]
		if m == 0xDA {
			break
		}
		l := int(binary.BigEndian.Uint16(data[i+2:]))
		if l < 2 || i+2+l > len(data) {
			break
		}
		if p := data[i+4 : i+2+l]; m == 0xE2 && bytes.HasPrefix(p, []byte("ICC_PROFILE\x00")) {
			icc = append(icc, p[14:]...)
		}
		i += 2 + l
	}
	return icc
}

// meanAbsDiff returns the mean absolute difference of the 8-bit RGB
// samples of a and b, or -1 when their sizes differ.
func meanAbsDiff(a, b image.Image) float64 {
	ab, bb := a.Bounds(), b.Bounds()
	if ab.Dx() != bb.Dx() || ab.Dy() != bb.Dy() {
		return -1
	}
	var sum, n float64
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			r1, g1, b1, _ := a.At(ab.Min.X+x, ab.Min.Y+y).RGBA()
			r2, g2, b2, _ := b.At(bb.Min.X+x, bb.Min.Y+y).RGBA()
			for _, d := range [3]int{int(r1>>8) - int(r2>>8), int(g1>>8) - int(g2>>8), int(b1>>8) - int(b2>>8)} {
				if d < 0 {
					d = -d
				}
				sum += float64(d)
				n++
			}
		}
	}
	return sum / n
}

// checkClean fails t when scrub.Inspect finds anything in out or when a
// planted marker string survives in it.
func checkClean(t testing.TB, f format.Format, out []byte) {
	t.Helper()
	in, err := scrub.Inspect(f, out)
	if err != nil {
		t.Errorf("scrub.Inspect(output): %v", err)
	}
	if len(in.Findings) != 0 {
		t.Errorf("output has %d finding(s): %+v", len(in.Findings), in.Findings)
	}
	for _, s := range testimg.DefaultMarkers().Strings() {
		if bytes.Contains(out, []byte(s)) {
			t.Errorf("output contains planted value %q", s)
		}
	}
}

func reencode(t testing.TB, f format.Format, data []byte, o Options) Result {
	t.Helper()
	res, err := Reencode(context.Background(), f, data, o)
	if err != nil {
		t.Fatalf("Reencode(%s): %v", f, err)
	}
	return res
}

func TestJPEGEverythingAllowlistAndICC(t *testing.T) {
	in := mustJPEG(t, testimg.Everything())
	srcICC := jpegICCProfile(in)
	if len(srcICC) == 0 {
		t.Fatal("test input has no ICC profile")
	}
	res := reencode(t, format.JPEG, in, Options{Orientation: 6, Quality: 90, ICC: srcICC})
	icc := checkJPEGAllowlist(t, res.Data)
	if !bytes.Equal(icc, srcICC) {
		t.Errorf("ICC profile not byte-identical: got %d bytes, want %d", len(icc), len(srcICC))
	}
	if _, err := jpeg.Decode(bytes.NewReader(res.Data)); err != nil {
		t.Fatalf("output does not decode: %v", err)
	}
	// Nothing after the EOI: no MPF second image, no trailer.
	if !bytes.HasSuffix(res.Data, []byte{0xFF, 0xD9}) {
		t.Error("output does not end with EOI")
	}
	if n := bytes.Count(res.Data, []byte{0xFF, 0xD8, 0xFF}); n != 1 {
		t.Errorf("output holds %d SOI+marker sequences, want 1", n)
	}
	checkClean(t, format.JPEG, res.Data)
	t.Logf("Everything(): %d bytes in, %d bytes out, ICC %d bytes", len(in), len(res.Data), len(icc))
}

func TestJPEGWithoutICCHasNone(t *testing.T) {
	in := mustJPEG(t, testimg.JPEGOptions{EXIF: true, EXIFOptions: testimg.AllEXIF(), GPS: true, XMP: true, Comment: true})
	res := reencode(t, format.JPEG, in, Options{})
	if icc := checkJPEGAllowlist(t, res.Data); icc != nil {
		t.Errorf("output invented an ICC profile of %d bytes", len(icc))
	}
	checkClean(t, format.JPEG, res.Data)
}

func TestJPEGOrientations(t *testing.T) {
	for o := 1; o <= 8; o++ {
		opts := testimg.JPEGOptions{Width: 96, Height: 64, Seed: int64(o), Orientation: o, Quality: 95}
		in := mustJPEG(t, opts)
		want := testimg.Upright(opts)
		res := reencode(t, format.JPEG, in, Options{Orientation: o, Quality: 95})
		img, err := jpeg.Decode(bytes.NewReader(res.Data))
		if err != nil {
			t.Fatalf("o=%d: output does not decode: %v", o, err)
		}
		d := meanAbsDiff(img, want)
		if d < 0 || d >= 8 {
			t.Errorf("o=%d: output %v vs upright %v: mean abs diff %.2f (want < 8)", o, img.Bounds().Size(), want.Bounds().Size(), d)
		}
		// Every other orientation of the same size must be clearly wrong.
		worst := 1e9
		for w := 1; w <= 8; w++ {
			if w == o {
				continue
			}
			bad := reencode(t, format.JPEG, in, Options{Orientation: w, Quality: 95})
			bimg, err := jpeg.Decode(bytes.NewReader(bad.Data))
			if err != nil {
				t.Fatal(err)
			}
			if dw := meanAbsDiff(bimg, want); dw >= 0 && dw < worst {
				worst = dw
			}
		}
		if worst < 20 {
			t.Errorf("o=%d: a wrong orientation is only %.2f away from upright; the test cannot tell", o, worst)
		}
		checkJPEGAllowlist(t, res.Data)
		checkClean(t, format.JPEG, res.Data)
		t.Logf("o=%d: diff right %.2f, closest wrong %.2f", o, d, worst)
	}
}

func TestJPEGMaxDimension(t *testing.T) {
	cases := []struct {
		w, h, orient, max int
		ww, wh            int
	}{
		{320, 240, 1, 100, 100, 75},
		{320, 240, 6, 100, 75, 100},
		{240, 320, 1, 160, 120, 160},
		{320, 240, 1, 1000, 320, 240}, // never upscaled
		{320, 240, 1, 320, 320, 240},
	}
	for _, c := range cases {
		in := mustJPEG(t, testimg.JPEGOptions{Width: c.w, Height: c.h, Orientation: c.orient})
		res := reencode(t, format.JPEG, in, Options{MaxDimension: c.max, Orientation: c.orient})
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(res.Data))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Width != c.ww || cfg.Height != c.wh {
			t.Errorf("%d×%d o=%d max %d: got %d×%d, want %d×%d", c.w, c.h, c.orient, c.max, cfg.Width, cfg.Height, c.ww, c.wh)
		}
	}
}

func TestJPEGQualityChangesSize(t *testing.T) {
	in := mustJPEG(t, testimg.JPEGOptions{Width: 320, Height: 240, Quality: 98})
	lo := reencode(t, format.JPEG, in, Options{Quality: 30})
	hi := reencode(t, format.JPEG, in, Options{Quality: 95})
	def := reencode(t, format.JPEG, in, Options{}) // 92
	t.Logf("q30 %d bytes, q92 %d bytes, q95 %d bytes", len(lo.Data), len(def.Data), len(hi.Data))
	if len(lo.Data)*3/2 > len(hi.Data) {
		t.Errorf("quality 30 gives %d bytes, quality 95 %d: want at least 1.5× apart", len(lo.Data), len(hi.Data))
	}
	if !(len(lo.Data) < len(def.Data) && len(def.Data) < len(hi.Data)) {
		t.Errorf("default quality size %d not between q30 %d and q95 %d", len(def.Data), len(lo.Data), len(hi.Data))
	}
}

// pngICCP returns the decompressed profile of the first iCCP chunk (and
// the raw profile name), or nil.
func pngICCP(t testing.TB, data []byte) (name string, profile []byte) {
	t.Helper()
	for i := 8; i+12 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[i:]))
		if n > len(data)-i-12 {
			t.Fatalf("bad PNG chunk length at %d", i)
		}
		if string(data[i+4:i+8]) == "iCCP" {
			d := data[i+8 : i+8+n]
			z := bytes.IndexByte(d, 0)
			if z < 0 || z+2 > len(d) {
				t.Fatal("bad iCCP")
			}
			r, err := zlib.NewReader(bytes.NewReader(d[z+2:]))
			if err != nil {
				t.Fatal(err)
			}
			p, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			return string(d[:z]), p
		}
		i += 12 + n
	}
	return "", nil
}

func pngChunkTypes(data []byte) []string {
	var ts []string
	for i := 8; i+12 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[i:]))
		if n > len(data)-i-12 {
			return append(ts, "<bad>")
		}
		ts = append(ts, string(data[i+4:i+8]))
		i += 12 + n
	}
	return ts
}

func TestPNG(t *testing.T) {
	in := testimg.PNG(testimg.AllPNG())
	src, err := png.Decode(bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	_, srcICC := pngICCP(t, in)
	if srcICC == nil {
		t.Fatal("test input has no iCCP")
	}
	res := reencode(t, format.PNG, in, Options{ICC: srcICC})
	img, err := png.Decode(bytes.NewReader(res.Data))
	if err != nil {
		t.Fatalf("output does not decode: %v", err)
	}
	if img.Bounds().Size() != src.Bounds().Size() {
		t.Fatalf("size %v, want %v", img.Bounds().Size(), src.Bounds().Size())
	}
	b := src.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c1 := color.NRGBAModel.Convert(src.At(x, y))
			c2 := color.NRGBAModel.Convert(img.At(x-b.Min.X+img.Bounds().Min.X, y-b.Min.Y+img.Bounds().Min.Y))
			if c1 != c2 {
				t.Fatalf("pixel (%d,%d) = %v, want %v", x, y, c2, c1)
			}
		}
	}
	_, icc := pngICCP(t, res.Data)
	if !bytes.Equal(icc, srcICC) {
		t.Errorf("iCCP profile not identical: %d bytes, want %d", len(icc), len(srcICC))
	}
	for _, ty := range pngChunkTypes(res.Data) {
		switch ty {
		case "IHDR", "PLTE", "tRNS", "IDAT", "IEND", "iCCP":
		default:
			t.Errorf("output keeps chunk %q", ty)
		}
	}
	in2, err := scrub.Inspect(format.PNG, res.Data)
	if err != nil || len(in2.Findings) != 0 {
		t.Errorf("re-inspection: err %v, findings %+v", err, in2.Findings)
	}
	t.Logf("chunks out: %v", pngChunkTypes(res.Data))
}

// TestPNGICCNameNotCopied: the iCCP profile name is free text (testimg puts
// the Owner marker there); the lossless path renames it, the re-encode path
// must not copy it either.
func TestPNGICCNameNotCopied(t *testing.T) {
	in := testimg.PNG(testimg.PNGOptions{ICC: true})
	res := reencode(t, format.PNG, in, Options{})
	name, _ := pngICCP(t, res.Data)
	if owner := testimg.DefaultMarkers().Owner; name == owner || bytes.Contains(res.Data, []byte(owner)) {
		t.Errorf("re-encoded PNG keeps the iCCP profile name (%d bytes)", len(name))
	}
	checkClean(t, format.PNG, res.Data)
}

func TestPNG16BitWarns(t *testing.T) {
	img := image.NewNRGBA64(image.Rect(0, 0, 8, 6))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if buf.Bytes()[24] != 16 {
		t.Fatalf("test input bit depth %d, want 16", buf.Bytes()[24])
	}
	res := reencode(t, format.PNG, buf.Bytes(), Options{})
	if len(res.Warnings) != 1 || !bytes.Contains([]byte(res.Warnings[0]), []byte("16-bit")) {
		t.Errorf("warnings %q, want one about 16-bit samples", res.Warnings)
	}
	if _, err := png.Decode(bytes.NewReader(res.Data)); err != nil {
		t.Error(err)
	}
	// An 8-bit PNG has no warning.
	res8 := reencode(t, format.PNG, testimg.PNG(testimg.PNGOptions{}), Options{})
	if len(res8.Warnings) != 0 {
		t.Errorf("8-bit PNG warnings %q", res8.Warnings)
	}
}

func TestGIF(t *testing.T) {
	// An animated GIF is refused: image/gif would keep the first frame only.
	if _, err := Reencode(context.Background(), format.GIF, testimg.GIF(testimg.AllGIF()), Options{}); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("animated GIF: err %v, want ErrUnsupported", err)
	}
	o := testimg.AllGIF()
	o.Frames, o.Loop = 1, false
	in := testimg.GIF(o)
	res := reencode(t, format.GIF, in, Options{})
	if !bytes.HasPrefix(res.Data, []byte("GIF8")) {
		t.Fatalf("output is not a GIF: % x", res.Data[:6])
	}
	g, err := gif.Decode(bytes.NewReader(res.Data))
	if err != nil {
		t.Fatal(err)
	}
	src, _ := gif.Decode(bytes.NewReader(in))
	if g.Bounds().Size() != src.Bounds().Size() {
		t.Errorf("size %v, want %v", g.Bounds().Size(), src.Bounds().Size())
	}
	if d := meanAbsDiff(g, src); d < 0 || d > 8 {
		t.Errorf("GIF pixels differ: mean abs diff %.2f", d)
	}
	checkClean(t, format.GIF, res.Data)
	all, err := gif.DecodeAll(bytes.NewReader(res.Data))
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Image) != 1 {
		t.Errorf("re-encoded GIF has %d frames", len(all.Image))
	}
}

func TestTIFF(t *testing.T) {
	in := testimg.TIFF(testimg.AllTIFF())
	src, err := tiff.Decode(bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	res := reencode(t, format.TIFF, in, Options{})
	if format.Sniff(res.Data) != format.TIFF {
		t.Fatalf("output sniffs as %s", format.Sniff(res.Data))
	}
	img, err := tiff.Decode(bytes.NewReader(res.Data))
	if err != nil {
		t.Fatal(err)
	}
	if d := meanAbsDiff(img, src); d != 0 {
		t.Errorf("TIFF pixels differ: mean abs diff %.2f", d)
	}
	checkClean(t, format.TIFF, res.Data)
	// With orientation 6 the page is turned.
	res6 := reencode(t, format.TIFF, in, Options{Orientation: 6})
	img6, err := tiff.Decode(bytes.NewReader(res6.Data))
	if err != nil {
		t.Fatal(err)
	}
	if img6.Bounds().Dx() != src.Bounds().Dy() || img6.Bounds().Dy() != src.Bounds().Dx() {
		t.Errorf("orientation 6: %v, want %v turned", img6.Bounds().Size(), src.Bounds().Size())
	}
	if d := meanAbsDiff(img6, testimg.Oriented(src, 6)); d != 0 {
		t.Errorf("orientation 6 pixels differ from testimg.Oriented: %.2f", d)
	}
}

func TestUnsupported(t *testing.T) {
	for name, c := range map[string]struct {
		f    format.Format
		data []byte
		want error
	}{
		"animated webp": {format.WebP, testimg.WebP(testimg.WebPOptions{Animated: true}), ErrUnsupported},
		"heif":          {format.HEIF, testimg.HEIF(testimg.HEIFOptions{}), ErrNoEncoder},
		"raw":           {format.RAW, testimg.TIFF(testimg.TIFFOptions{}), ErrUnsupported},
	} {
		_, err := Reencode(context.Background(), c.f, c.data, Options{})
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err %v, want %v", name, err, c.want)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	good := mustJPEG(t, testimg.JPEGOptions{})
	for name, data := range map[string][]byte{
		"empty":      nil,
		"truncated":  good[:len(good)/2],
		"png as jpg": testimg.PNG(testimg.PNGOptions{}),
	} {
		_, err := Reencode(context.Background(), format.JPEG, data, Options{})
		if !errors.Is(err, ErrDecode) {
			t.Errorf("%s: err %v, want ErrDecode", name, err)
		}
	}
}
