package reencode

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gen2brain/avif"
	"github.com/gen2brain/webp"

	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// pattern is a w×h image with a distinct top-left quadrant, so that a turn
// or a mirror shows.
func pattern(w, h int, alpha bool) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{uint8(40 + x*150/w), uint8(60 + y*150/h), 120, 255}
			if x < w/3 && y < h/3 {
				c = color.NRGBA{240, 220, 30, 255}
			}
			if alpha && x > w/2 {
				c.A = 128
			}
			m.SetNRGBA(x, y, c)
		}
	}
	return m
}

func decodeAny(t testing.TB, f format.Format, data []byte) image.Image {
	t.Helper()
	img, err := decode(f, data)
	if err != nil {
		t.Fatalf("decode %s output: %v", f, err)
	}
	return img
}

// independent decodes out with an outside tool when it is installed and
// returns the size it reports (zero when the tool is absent).
func independent(t *testing.T, f format.Format, out []byte) image.Point {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "in."+string(f))
	os.WriteFile(in, out, 0o644)
	back := filepath.Join(dir, "back.png")
	var cmd *exec.Cmd
	switch f {
	case format.WebP:
		if _, err := exec.LookPath("dwebp"); err != nil {
			return image.Point{}
		}
		cmd = exec.Command("dwebp", "-quiet", in, "-o", back)
	case format.HEIF, format.AVIF:
		if _, err := exec.LookPath("heif-convert"); err != nil {
			return image.Point{}
		}
		cmd = exec.Command("heif-convert", in, back)
	default:
		if _, err := os.Stat("/usr/bin/convert"); err != nil {
			return image.Point{}
		}
		cmd = exec.Command("/usr/bin/convert", in+"[0]", back)
	}
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s does not decode the %s output: %v\n%s", cmd.Args[0], f, err, b)
	}
	pf, err := os.ReadFile(back)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(pf))
	if err != nil {
		t.Fatal(err)
	}
	return image.Pt(cfg.Width, cfg.Height)
}

func TestWebPAndAVIFInputs(t *testing.T) {
	src := pattern(64, 48, false)
	var lossy, lossless, av bytes.Buffer
	if err := webp.Encode(&lossy, src, webp.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	if err := webp.Encode(&lossless, src, webp.Options{Lossless: true}); err != nil {
		t.Fatal(err)
	}
	if err := avif.Encode(&av, src, avif.Options{Quality: 90, Speed: 10}); err != nil {
		t.Fatal(err)
	}
	icc := jpegICCProfile(mustJPEG(t, testimg.Everything()))
	for name, c := range map[string]struct {
		f      format.Format
		data   []byte
		target format.Format
		tol    float64
		icc    bool // ICC kept
	}{
		"webp lossy": {format.WebP, lossy.Bytes(), "", 6, true},
		// A lossless WebP keeps its pixels exactly, as WebP or PNG.
		"webp lossless":        {format.WebP, lossless.Bytes(), "", 0, true},
		"webp lossless to png": {format.WebP, lossless.Bytes(), format.PNG, 0, true},
		"webp to jpeg":         {format.WebP, lossy.Bytes(), format.JPEG, 8, true},
		"avif":                 {format.AVIF, av.Bytes(), "", 8, true},
		"avif to png":          {format.AVIF, av.Bytes(), format.PNG, 6, true},
		"jpeg to webp":         {format.JPEG, mustJPEG(t, testimg.JPEGOptions{Width: 64, Height: 48}), format.WebP, -1, true},
		"jpeg to avif":         {format.JPEG, mustJPEG(t, testimg.JPEGOptions{Width: 64, Height: 48}), format.AVIF, -1, true},
		"png alpha to jpeg":    {format.PNG, pngOf(pattern(64, 48, true)), format.JPEG, -1, true},
	} {
		t.Run(name, func(t *testing.T) {
			res := reencode(t, c.f, c.data, Options{Format: c.target, ICC: icc})
			want := c.target
			if want == "" {
				want = c.f
			}
			if res.Format != want || format.Sniff(res.Data) != want {
				t.Fatalf("output %s (sniffs %s), want %s", res.Format, format.Sniff(res.Data), want)
			}
			checkClean(t, want, res.Data)
			if res.ICCKept != c.icc {
				t.Errorf("ICCKept %v, want %v", res.ICCKept, c.icc)
			}
			got := decodeAny(t, want, res.Data)
			if got.Bounds().Size() != image.Pt(64, 48) {
				t.Fatalf("size %v", got.Bounds().Size())
			}
			if c.tol >= 0 {
				if d := meanAbsDiff(got, src); d > c.tol {
					t.Errorf("pixels differ: mean abs diff %.2f > %.2f", d, c.tol)
				}
			}
			if sz := independent(t, want, res.Data); sz != (image.Point{}) && sz != image.Pt(64, 48) {
				t.Errorf("independent decoder: size %v", sz)
			}
		})
	}
}

// TestWebPLosslessAlphaExact: a lossless WebP with alpha re-encodes with
// the same colour and alpha in every visible pixel.
func TestWebPLosslessAlphaExact(t *testing.T) {
	src := pattern(64, 48, true)
	var in bytes.Buffer
	if err := webp.Encode(&in, src, webp.Options{Lossless: true}); err != nil {
		t.Fatal(err)
	}
	for _, target := range []format.Format{"", format.PNG} {
		res := reencode(t, format.WebP, in.Bytes(), Options{Format: target})
		want := target
		if want == "" {
			want = format.WebP
		}
		got := decodeAny(t, want, res.Data)
		diff := 0
		for y := 0; y < 48; y++ {
			for x := 0; x < 64; x++ {
				a := color.NRGBAModel.Convert(src.At(x, y)).(color.NRGBA)
				b := color.NRGBAModel.Convert(got.At(x, y)).(color.NRGBA)
				if a.A != b.A || a.A > 0 && a != b {
					diff++
				}
			}
		}
		if diff > 0 {
			t.Errorf("%s: %d of %d pixels differ", want, diff, 64*48)
		}
	}
}

// TestWebPLossyPlanes: a lossy WebP of a size that is not whole
// macroblocks, with and without alpha, re-encodes as WebP with its pixels
// in place (the decoder's planes are padded; libwebp is handed exact ones).
func TestWebPLossyPlanes(t *testing.T) {
	for _, alpha := range []bool{false, true} {
		src := pattern(61, 37, alpha)
		var in bytes.Buffer
		if err := webp.Encode(&in, src, webp.Options{Quality: 90}); err != nil {
			t.Fatal(err)
		}
		res := reencode(t, format.WebP, in.Bytes(), Options{})
		got := decodeAny(t, format.WebP, res.Data)
		if got.Bounds().Size() != image.Pt(61, 37) {
			t.Fatalf("alpha %v: size %v", alpha, got.Bounds().Size())
		}
		if d := meanAbsDiff(got, src); d > 8 {
			t.Errorf("alpha %v: mean abs diff %.2f > 8", alpha, d)
		}
		if alpha {
			var worst int
			for y := 0; y < 37; y++ {
				for x := 0; x < 61; x++ {
					_, _, _, a1 := got.At(x, y).RGBA()
					_, _, _, a2 := src.At(x, y).RGBA()
					worst = max(worst, int(a1>>8)-int(a2>>8), int(a2>>8)-int(a1>>8))
				}
			}
			if worst > 0 {
				t.Errorf("alpha off by up to %d", worst)
			}
		}
	}
}

func pngOf(m image.Image) []byte {
	var b bytes.Buffer
	png.Encode(&b, m)
	return b.Bytes()
}

func TestHEIC(t *testing.T) {
	in, err := os.ReadFile("testdata/corner.heic")
	if err != nil {
		t.Fatal(err)
	}
	ref, _ := png.Decode(bytes.NewReader(must(os.ReadFile("testdata/corner.png"))))
	if _, err := Reencode(context.Background(), format.HEIF, in, Options{}); !errors.Is(err, ErrNoEncoder) {
		t.Fatalf("HEIF without --format: err %v, want ErrNoEncoder", err)
	}
	for _, target := range []format.Format{format.JPEG, format.PNG, format.WebP} {
		res := reencode(t, format.HEIF, in, Options{Format: target})
		checkClean(t, target, res.Data)
		got := decodeAny(t, target, res.Data)
		if d := meanAbsDiff(got, ref); d < 0 || d > 10 {
			t.Errorf("%s: pixels differ from the source: %.2f", target, d)
		}
		if sz := independent(t, target, res.Data); sz != (image.Point{}) && sz != image.Pt(160, 96) {
			t.Errorf("%s: independent decoder size %v", target, sz)
		}
	}
	// Orientation from Exif (no irot) is applied.
	res := reencode(t, format.HEIF, in, Options{Format: format.PNG, Orientation: 6})
	got := decodeAny(t, format.PNG, res.Data)
	if d := meanAbsDiff(got, testimg.Oriented(ref, 6)); d < 0 || d > 10 {
		t.Errorf("orientation 6: %.2f", d)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestFit(t *testing.T) {
	in := mustJPEG(t, testimg.JPEGOptions{Width: 120, Height: 160})
	for _, o := range []int{1, 6} {
		res := reencode(t, format.JPEG, in, Options{Fit: image.Pt(50, 50), Orientation: o})
		img, err := jpeg.Decode(bytes.NewReader(res.Data))
		if err != nil {
			t.Fatal(err)
		}
		if img.Bounds().Size() != image.Pt(50, 50) {
			t.Errorf("orientation %d: fit 50x50 gives %v", o, img.Bounds().Size())
		}
	}
	res := reencode(t, format.JPEG, in, Options{Fit: image.Pt(300, 200), Format: format.PNG})
	img, _ := png.Decode(bytes.NewReader(res.Data))
	if img.Bounds().Size() != image.Pt(300, 200) {
		t.Errorf("fit 300x200 (upscale) gives %v", img.Bounds().Size())
	}
}

// TestOrientYCbCr: turning the planes gives, sample for sample, the
// turned image, for every ratio the fast path takes.
func TestOrientYCbCr(t *testing.T) {
	for _, ratio := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio440} {
		m := image.NewYCbCr(image.Rect(0, 0, 20, 12), ratio)
		for i := range m.Y {
			m.Y[i] = uint8(i * 7)
		}
		for i := range m.Cb {
			m.Cb[i], m.Cr[i] = uint8(i*13), uint8(255-i*5)
		}
		for o := 1; o <= 8; o++ {
			got, ok := orientYCbCr(m, o)
			if !ok {
				t.Fatalf("ratio %v: refused", ratio)
			}
			want := orient(m, o)
			if got.Bounds().Size() != want.Bounds().Size() {
				t.Fatalf("ratio %v orientation %d: size %v, want %v", ratio, o, got.Bounds().Size(), want.Bounds().Size())
			}
			if d := meanAbsDiff(got, want); d != 0 {
				t.Errorf("ratio %v orientation %d: differs by %.3f", ratio, o, d)
			}
		}
	}
	if _, ok := orientYCbCr(image.NewYCbCr(image.Rect(0, 0, 8, 8), image.YCbCrSubsampleRatio411), 6); ok {
		t.Error("4:1:1 turned: want refusal")
	}
}

func TestTIFFVariants(t *testing.T) {
	plain := testimg.ContractTIFF(testimg.TIFFSpec{Width: 40, Height: 30})
	ref := decodeAny(t, format.TIFF, plain)
	for name, s := range map[string]testimg.TIFFSpec{
		"jpeg strips":   {Compression: 7},
		"jpeg tiles":    {Compression: 7, Tiled: true},
		"bigtiff":       {BigTIFF: true},
		"bigtiff lzw":   {BigTIFF: true, Compression: 5, BigEndian: true},
		"bigtiff jpeg":  {BigTIFF: true, Compression: 7},
		"gray jpeg":     {Compression: 7, Gray: true},
		"three pages":   {Pages: 3},
		"bigtiff pages": {BigTIFF: true, Pages: 2, Tiled: true},
	} {
		t.Run(name, func(t *testing.T) {
			s.Width, s.Height = 40, 30
			in := testimg.ContractTIFF(s)
			res := reencode(t, format.TIFF, in, Options{})
			checkClean(t, format.TIFF, res.Data)
			pages, err := tiffChain(res.Data)
			if err != nil {
				t.Fatal(err)
			}
			if want := max(1, s.Pages); len(pages) != want {
				t.Errorf("%d pages, want %d", len(pages), want)
			}
			got := decodeAny(t, format.TIFF, res.Data)
			tol := 0.0
			if s.Compression == 7 {
				// Sharp-edged runs through JPEG 4:2:0 at quality 90
				// (ImageMagick's decode of the input differs as much).
				tol = 25
			}
			if !s.Gray {
				if d := meanAbsDiff(got, ref); d < 0 || d > tol {
					t.Errorf("pixels differ from the plain TIFF: %.2f", d)
				}
			}
			if sz := independent(t, format.TIFF, res.Data); sz != (image.Point{}) && sz != image.Pt(40, 30) {
				t.Errorf("independent decoder size %v", sz)
			}
			if s.Pages > 1 {
				if _, err := Reencode(context.Background(), format.TIFF, in, Options{Format: format.JPEG}); !errors.Is(err, ErrUnsupported) {
					t.Errorf("multi-page to JPEG: err %v, want ErrUnsupported", err)
				}
			}
		})
	}
}

func TestCoefficientPath(t *testing.T) {
	in := mustJPEG(t, testimg.IDCard(4)) // 600×800, 4:2:0: 800 rows are whole MCUs, 600 columns are not
	icc := jpegICCProfile(mustJPEG(t, testimg.Everything()))
	src, _ := jpeg.Decode(bytes.NewReader(in))
	for o, path := range map[int]string{1: "coefficients", 6: "coefficients", 4: "coefficients", 3: "ycbcr", 8: "ycbcr"} {
		res := reencode(t, format.JPEG, in, Options{Coefficients: true, Orientation: o, ICC: icc})
		if res.Path != path {
			t.Errorf("orientation %d: path %s, want %s (warnings %q)", o, res.Path, path, res.Warnings)
		}
		if path == "ycbcr" && len(res.Warnings) == 0 {
			t.Errorf("orientation %d: fallback without a warning", o)
		}
		checkClean(t, format.JPEG, res.Data)
		if !res.ICCKept || !bytes.Equal(jpegICCProfile(res.Data), icc) {
			t.Errorf("orientation %d: ICC not kept", o)
		}
		got, err := jpeg.Decode(bytes.NewReader(res.Data))
		if err != nil {
			t.Fatal(err)
		}
		if d := meanAbsDiff(got, testimg.Oriented(src, o)); d < 0 || d > 2 {
			t.Errorf("orientation %d: mean abs diff %.2f", o, d)
		}
	}
	// --fit resizes: the pixel path.
	if res := reencode(t, format.JPEG, in, Options{Coefficients: true, Fit: image.Pt(300, 400)}); res.Path != "rgba" {
		t.Errorf("fit: path %s", res.Path)
	}
}
