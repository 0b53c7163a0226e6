package jpegtran

import (
	"bytes"
	goimage "image"
	"image/jpeg"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// FuzzDecode: Decode never panics; what it decodes has image/jpeg's
// size, and re-encodes to a JPEG image/jpeg reads at that size.
func FuzzDecode(f *testing.F) {
	for _, o := range []testimg.JPEGOptions{{Width: 24, Height: 16, RestartInterval: true}, {Width: 17, Height: 9}, testimg.Everything()} {
		b, _ := testimg.JPEG(o)
		f.Add(b)
	}
	var g bytes.Buffer
	jpeg.Encode(&g, goimage.NewGray(goimage.Rect(0, 0, 9, 11)), nil)
	f.Add(g.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		if hugeFrame(b) {
			return
		}
		img, err := Decode(b)
		if err != nil {
			return
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
		if err != nil {
			return // image/jpeg is stricter about some headers
		}
		if sz := img.Bounds().Size(); sz != goimage.Pt(cfg.Width, cfg.Height) {
			t.Fatalf("size %v, image/jpeg %dx%d", sz, cfg.Width, cfg.Height)
		}
		if sz := img.Bounds().Size(); sz.X*sz.Y > 1<<20 {
			return
		}
		var out []byte
		switch m := img.(type) {
		case *goimage.YCbCr:
			out = EncodeYCbCr(m, 75)
		case *goimage.Gray:
			out = EncodeGray(m, 75)
		default:
			t.Fatalf("Decode returned %T", img)
		}
		back, err := jpeg.Decode(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("re-encoded output does not decode: %v", err)
		}
		if back.Bounds().Size() != img.Bounds().Size() {
			t.Fatalf("re-encoded size %v, want %v", back.Bounds().Size(), img.Bounds().Size())
		}
	})
}

// FuzzEncode: any planes, size and quality encode to a JPEG image/jpeg
// reads at the same size and, at quality 100, close to the input.
func FuzzEncode(f *testing.F) {
	f.Add(uint8(17), uint8(9), uint8(100), []byte{0, 255, 7, 128})
	f.Add(uint8(1), uint8(1), uint8(1), []byte{255})
	f.Add(uint8(40), uint8(33), uint8(92), []byte("a repeating pattern of sample values"))
	f.Fuzz(func(t *testing.T, w, h, q uint8, px []byte) {
		if w == 0 || h == 0 || len(px) == 0 {
			return
		}
		m := goimage.NewYCbCr(goimage.Rect(0, 0, int(w), int(h)), goimage.YCbCrSubsampleRatio420)
		for i := range m.Y {
			m.Y[i] = px[i%len(px)]
		}
		for i := range m.Cb {
			m.Cb[i], m.Cr[i] = px[(3*i)%len(px)], px[(5*i+1)%len(px)]
		}
		quality := 1 + int(q)%100
		for _, out := range [][]byte{EncodeYCbCr(m, quality), EncodeGray(&goimage.Gray{Pix: m.Y, Stride: m.YStride, Rect: m.Rect}, quality)} {
			img, err := jpeg.Decode(bytes.NewReader(out))
			if err != nil {
				t.Fatalf("output does not decode: %v", err)
			}
			if img.Bounds().Size() != m.Rect.Size() {
				t.Fatalf("size %v, want %v", img.Bounds().Size(), m.Rect.Size())
			}
			if g, ok := img.(*goimage.Gray); ok && quality == 100 {
				for y := 0; y < int(h); y++ {
					for x := 0; x < int(w); x++ {
						if d := int(g.Pix[y*g.Stride+x]) - int(m.Y[y*m.YStride+x]); d < -8 || d > 8 {
							t.Fatalf("q100 sample %d,%d: %d, want %d", x, y, g.Pix[y*g.Stride+x], m.Y[y*m.YStride+x])
						}
					}
				}
			}
		}
	})
}
