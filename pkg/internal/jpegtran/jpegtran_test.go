package jpegtran

import (
	"bytes"
	"errors"
	"fmt"
	goimage "image"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/testimg"
)

func decodeJPEG(t *testing.T, b []byte) goimage.Image {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return img
}

// samePixels: the same coefficients and tables decode to the same pixels.
func samePixels(t *testing.T, a, b goimage.Image) {
	t.Helper()
	if a.Bounds() != b.Bounds() {
		t.Fatalf("bounds %v, want %v", b.Bounds(), a.Bounds())
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				t.Fatalf("pixel %d,%d: %v, want %v", x, y, b.At(x, y), a.At(x, y))
			}
		}
	}
}

// onlyStructure checks the output holds SOI, DQT, SOF, DHT, SOS and EOI only.
func onlyStructure(t *testing.T, b []byte) {
	t.Helper()
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xFF {
			t.Fatalf("no marker at %d", i)
		}
		mk := b[i+1]
		switch mk {
		case 0xDB, 0xC0, 0xC1, 0xC4:
		case 0xDA:
			return
		default:
			t.Fatalf("unexpected marker %02X", mk)
		}
		i += 2 + (int(b[i+2])<<8 | int(b[i+3]))
	}
	t.Fatal("no SOS")
}

func TestTranscodeSamePixels(t *testing.T) {
	cases := map[string][]byte{}
	for name, o := range map[string]testimg.JPEGOptions{
		"idcard":     testimg.IDCard(3),
		"everything": testimg.Everything(),
		"restart":    {Width: 70, Height: 45, RestartInterval: true},
		"small":      {Width: 17, Height: 9},
	} {
		b, err := testimg.JPEG(o)
		if err != nil {
			t.Fatal(err)
		}
		cases[name] = b
	}
	// Gray and 4:4:4 and 4:2:2 from Go and, when installed, cjpeg.
	var g bytes.Buffer
	gray := goimage.NewGray(goimage.Rect(0, 0, 33, 21))
	for i := range gray.Pix {
		gray.Pix[i] = uint8(i * 7)
	}
	jpeg.Encode(&g, gray, nil)
	cases["gray"] = g.Bytes()
	if _, err := exec.LookPath("cjpeg"); err == nil {
		dir := t.TempDir()
		src := filepath.Join(dir, "src.ppm")
		img := decodeJPEG(t, cases["idcard"])
		var ppm bytes.Buffer
		r := img.Bounds()
		ppm.WriteString("P6\n600 800\n255\n")
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				cr, cg, cb, _ := img.At(x, y).RGBA()
				ppm.Write([]byte{byte(cr >> 8), byte(cg >> 8), byte(cb >> 8)})
			}
		}
		os.WriteFile(src, ppm.Bytes(), 0o644)
		for name, args := range map[string][]string{
			"cjpeg 444":      {"-sample", "1x1", "-quality", "90"},
			"cjpeg 422":      {"-sample", "2x1", "-quality", "80"},
			"cjpeg restarts": {"-restart", "3", "-quality", "75"},
			"cjpeg 12 q":     {"-quality", "100"},
		} {
			out, err := exec.Command("cjpeg", append(args, src)...).Output()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			cases[name] = out
		}
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := Transcode(in, 1)
			if err != nil {
				t.Fatal(err)
			}
			onlyStructure(t, out)
			samePixels(t, decodeJPEG(t, in), decodeJPEG(t, out))
			t.Logf("%d -> %d bytes", len(in), len(out))
		})
	}
}

func TestRefused(t *testing.T) {
	var p bytes.Buffer
	if _, err := exec.LookPath("cjpeg"); err == nil {
		cmd := exec.Command("cjpeg", "-progressive")
		cmd.Stdin = bytes.NewReader([]byte("P5\n8 8\n255\n" + string(make([]byte, 64))))
		cmd.Stdout = &p
		if cmd.Run() == nil {
			if _, err := Transcode(p.Bytes(), 1); !errors.Is(err, ErrUnsupported) {
				t.Errorf("progressive: %v, want ErrUnsupported", err)
			}
		}
	}
	good, _ := testimg.JPEG(testimg.JPEGOptions{Width: 16, Height: 16})
	for _, b := range testimg.TruncationsOf(good) {
		Transcode(b, 1) // no panic
	}
}

func FuzzTranscode(f *testing.F) {
	good, _ := testimg.JPEG(testimg.JPEGOptions{Width: 24, Height: 16, RestartInterval: true})
	f.Add(good, byte(1))
	f.Fuzz(func(t *testing.T, b []byte, o byte) {
		if hugeFrame(b) {
			return
		}
		Decode(b) // no panic
		out, err := Transcode(b, int(o%9))
		if err != nil {
			return
		}
		if _, err := jpeg.Decode(bytes.NewReader(out)); err != nil {
			if _, err2 := jpeg.Decode(bytes.NewReader(b)); err2 == nil {
				t.Fatalf("input decodes, output does not: %v", err)
			}
		}
	})
}

func TestOrientations(t *testing.T) {
	for _, size := range []goimage.Point{{64, 48}, {600, 800}} {
		in, err := testimg.JPEG(testimg.JPEGOptions{Width: size.X, Height: size.Y, Seed: 9})
		if err != nil {
			t.Fatal(err)
		}
		src := decodeJPEG(t, in)
		for o := 1; o <= 8; o++ {
			out, err := Transcode(in, o)
			if errors.Is(err, ErrUnsupported) {
				revX := o == 2 || o == 3 || o == 7 || o == 8
				if size.X%16 == 0 || !revX {
					t.Errorf("%v orientation %d refused: %v", size, o, err)
				}
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			got := decodeJPEG(t, out)
			want := testimg.Oriented(src, o)
			if got.Bounds().Size() != want.Bounds().Size() {
				t.Fatalf("%v orientation %d: size %v, want %v", size, o, got.Bounds().Size(), want.Bounds().Size())
			}
			var sum, worst int
			r := want.Bounds()
			for y := 0; y < r.Dy(); y++ {
				for x := 0; x < r.Dx(); x++ {
					a, _, _, _ := got.At(x, y).RGBA()
					b, _, _, _ := want.At(r.Min.X+x, r.Min.Y+y).RGBA()
					d := int(a>>8) - int(b>>8)
					if d < 0 {
						d = -d
					}
					sum += d
					worst = max(worst, d)
				}
			}
			if mean := float64(sum) / float64(r.Dx()*r.Dy()); mean > 0.5 || worst > 8 {
				t.Errorf("%v orientation %d: mean diff %.3f, worst %d", size, o, mean, worst)
			}
		}
	}
}

func TestEncodeYCbCr(t *testing.T) {
	in, _ := testimg.JPEG(testimg.IDCard(5))
	src := decodeJPEG(t, in).(*goimage.YCbCr)
	var ref bytes.Buffer
	jpeg.Encode(&ref, src, &jpeg.Options{Quality: 92})
	refImg := decodeJPEG(t, ref.Bytes())
	for _, c := range []struct {
		name string
		img  *goimage.YCbCr
	}{
		{"420", src},
		{"444", to444(src)},
		{"odd crop", src.SubImage(goimage.Rect(3, 5, 200, 301)).(*goimage.YCbCr)},
	} {
		out := EncodeYCbCr(c.img, 92)
		onlyStructure(t, out)
		got := decodeJPEG(t, out)
		if got.Bounds().Size() != c.img.Bounds().Size() {
			t.Fatalf("%s: size %v", c.name, got.Bounds().Size())
		}
		d := meanDiff(got, c.img)
		if d > 2.5 {
			t.Errorf("%s: mean abs diff %.2f", c.name, d)
		}
		t.Logf("%s: %d bytes (image/jpeg %d), mean diff %.2f (image/jpeg %.2f)", c.name, len(out), ref.Len(), d, meanDiff(refImg, src))
	}
}

func TestEncodeGray(t *testing.T) {
	for _, r := range []goimage.Rectangle{goimage.Rect(0, 0, 1, 1), goimage.Rect(0, 0, 37, 19), goimage.Rect(3, 2, 40, 30)} {
		g := goimage.NewGray(r)
		for i := range g.Pix {
			g.Pix[i] = uint8(i * 3)
		}
		out := EncodeGray(g, 90)
		onlyStructure(t, out)
		got := decodeJPEG(t, out)
		if got.Bounds().Size() != r.Size() {
			t.Fatalf("%v: size %v", r, got.Bounds().Size())
		}
		if d := meanDiff(got, g); d > 3 {
			t.Errorf("%v: mean diff %.2f", r, d)
		}
	}
}

func to444(m *goimage.YCbCr) *goimage.YCbCr {
	r := m.Bounds()
	o := goimage.NewYCbCr(r, goimage.YCbCrSubsampleRatio444)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := m.YCbCrAt(x, y)
			o.Y[o.YOffset(x, y)], o.Cb[o.COffset(x, y)], o.Cr[o.COffset(x, y)] = c.Y, c.Cb, c.Cr
		}
	}
	return o
}

func meanDiff(a, b goimage.Image) float64 {
	ra, rb := a.Bounds(), b.Bounds()
	var sum, n float64
	for y := 0; y < ra.Dy(); y++ {
		for x := 0; x < ra.Dx(); x++ {
			r1, g1, b1, _ := a.At(ra.Min.X+x, ra.Min.Y+y).RGBA()
			r2, g2, b2, _ := b.At(rb.Min.X+x, rb.Min.Y+y).RGBA()
			for _, d := range []int{int(r1>>8) - int(r2>>8), int(g1>>8) - int(g2>>8), int(b1>>8) - int(b2>>8)} {
				sum += float64(max(d, -d))
				n++
			}
		}
	}
	return sum / n
}

// TestDecodeEqualsImageJPEG: Decode's planes are image/jpeg's within the
// rounding of two different inverse DCTs: no sample more than 2 apart,
// and almost all equal.
func TestDecodeEqualsImageJPEG(t *testing.T) {
	cases := map[string][]byte{}
	for name, o := range map[string]testimg.JPEGOptions{
		"idcard": testimg.IDCard(7), "everything": testimg.Everything(),
		"restart": {Width: 70, Height: 45, RestartInterval: true}, "small": {Width: 17, Height: 9},
	} {
		cases[name], _ = testimg.JPEG(o)
	}
	var g bytes.Buffer
	gray := goimage.NewGray(goimage.Rect(0, 0, 33, 21))
	for i := range gray.Pix {
		gray.Pix[i] = uint8(i * 7)
	}
	jpeg.Encode(&g, gray, nil)
	cases["gray"] = g.Bytes()
	src := decodeJPEG(t, cases["idcard"]).(*goimage.YCbCr)
	for _, q := range []int{50, 75, 92, 100} {
		var b bytes.Buffer
		jpeg.Encode(&b, src, &jpeg.Options{Quality: q})
		cases[fmt.Sprintf("q%d", q)] = b.Bytes()
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := Decode(in)
			if err != nil {
				t.Fatal(err)
			}
			want := decodeJPEG(t, in)
			if got.Bounds() != want.Bounds() {
				t.Fatalf("bounds %v, want %v", got.Bounds(), want.Bounds())
			}
			var hist [256]int
			var n int
			cmp := func(a, b []byte, stride int, r goimage.Rectangle, strideB int) {
				for y := 0; y < r.Dy(); y++ {
					for x := 0; x < r.Dx(); x++ {
						d := int(a[y*stride+x]) - int(b[y*strideB+x])
						hist[min(max(d, -d), 255)]++
						n++
					}
				}
			}
			switch w := want.(type) {
			case *goimage.Gray:
				gg := got.(*goimage.Gray)
				cmp(gg.Pix, w.Pix, gg.Stride, w.Rect, w.Stride)
			case *goimage.YCbCr:
				gy := got.(*goimage.YCbCr)
				if gy.SubsampleRatio != w.SubsampleRatio {
					t.Fatalf("ratio %v, want %v", gy.SubsampleRatio, w.SubsampleRatio)
				}
				cmp(gy.Y, w.Y, gy.YStride, w.Rect, w.YStride)
				cr := goimage.Rect(0, 0, len(w.Cb)/w.CStride, 0)
				cr.Max.X, cr.Max.Y = (w.COffset(w.Rect.Max.X-1, 0))+1, w.COffset(0, w.Rect.Max.Y-1)/w.CStride+1
				cmp(gy.Cb, w.Cb, gy.CStride, cr, w.CStride)
				cmp(gy.Cr, w.Cr, gy.CStride, cr, w.CStride)
			default:
				t.Fatalf("image/jpeg gave %T", want)
			}
			for d := 3; d < 256; d++ {
				if hist[d] > 0 {
					t.Fatalf("%d samples differ by %d", hist[d], d)
				}
			}
			if float64(hist[0]) < 0.95*float64(n) {
				t.Errorf("only %d of %d samples equal", hist[0], n)
			}
			t.Logf("%d samples: %d equal, %d ±1, %d ±2", n, hist[0], hist[1], hist[2])
		})
	}
}

// hugeFrame says whether b declares a frame over 4 megapixels: a few
// hundred bytes can declare 67 MP of blocks that then take seconds to
// decode and check, which the fuzzers would report as hangs.
func hugeFrame(b []byte) bool {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
	return err == nil && cfg.Width*cfg.Height > 1<<22
}
