package jpegtran

import (
	"bytes"
	goimage "image"
	"image/jpeg"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// psnr is the peak signal-to-noise ratio of b against a over every
// sample of their Y, Cb and Cr planes as image/jpeg lays them out (b's
// origin is 0,0; a may be a sub-image).
func psnr(t *testing.T, a goimage.Image, b goimage.Image) float64 {
	t.Helper()
	ra := a.Bounds()
	if ra.Size() != b.Bounds().Size() {
		t.Fatalf("size %v, want %v", b.Bounds().Size(), ra.Size())
	}
	var se, n float64
	add := func(x, y uint8) {
		d := float64(x) - float64(y)
		se += d * d
		n++
	}
	for y := 0; y < ra.Dy(); y++ {
		for x := 0; x < ra.Dx(); x++ {
			switch a := a.(type) {
			case *goimage.Gray:
				add(a.GrayAt(ra.Min.X+x, ra.Min.Y+y).Y, b.(*goimage.Gray).GrayAt(x, y).Y)
			case *goimage.YCbCr:
				p, q := a.YCbCrAt(ra.Min.X+x, ra.Min.Y+y), b.(*goimage.YCbCr).YCbCrAt(x, y)
				add(p.Y, q.Y)
				add(p.Cb, q.Cb)
				add(p.Cr, q.Cr)
			}
		}
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255*n/se)
}

// TestPSNR: at quality 92 (and 50, 75) the pixel encoder is as faithful
// as image/jpeg's encoder, whose accurate integer DCT the previous
// encoder used: PSNR against the source planes no more than 0.1 dB
// below image/jpeg's on the same planes and tables.
func TestPSNR(t *testing.T) {
	idcard, _ := testimg.JPEG(testimg.IDCard(5))
	src := decodeJPEG(t, idcard).(*goimage.YCbCr)
	every, _ := testimg.JPEG(testimg.Everything())
	gray := goimage.NewGray(goimage.Rect(0, 0, 101, 67))
	for i := range gray.Pix {
		gray.Pix[i] = uint8(i*i/7 + i/3)
	}
	cases := map[string]goimage.Image{
		"idcard":     src,
		"everything": decodeJPEG(t, every),
		"444":        to444(src.SubImage(goimage.Rect(0, 0, 160, 96)).(*goimage.YCbCr)),
		"gray":       gray,
	}
	for name, img := range cases {
		for _, q := range []int{50, 75, 92} {
			var out []byte
			switch m := img.(type) {
			case *goimage.Gray:
				out = EncodeGray(m, q)
			case *goimage.YCbCr:
				out = EncodeYCbCr(m, q)
			}
			var ref bytes.Buffer
			if err := jpeg.Encode(&ref, img, &jpeg.Options{Quality: q}); err != nil {
				t.Fatal(err)
			}
			ours, theirs := psnr(t, img, decodeJPEG(t, out)), psnr(t, img, decodeJPEG(t, ref.Bytes()))
			if ours < theirs-0.1 {
				t.Errorf("%s q%d: PSNR %.3f dB, image/jpeg %.3f dB", name, q, ours, theirs)
			}
			t.Logf("%s q%d: PSNR %.3f dB (image/jpeg %.3f), %d bytes (image/jpeg %d)", name, q, ours, theirs, len(out), ref.Len())
		}
	}
}

// TestSpecTables: the Annex K tables written here are the ones cjpeg
// writes when it does not optimise (an independent copy of the spec).
func TestSpecTables(t *testing.T) {
	for i, tab := range [][]byte{specDCVals, specACLumaVals, specACChromaVals} {
		seen := map[byte]bool{}
		for _, v := range tab {
			if seen[v] || (i > 0 && v&15 > 10) || (i == 0 && v > 11) {
				t.Fatalf("table %d: symbol %#x repeated or out of range", i, v)
			}
			seen[v] = true
		}
		if i > 0 && len(tab) != 162 {
			t.Fatalf("table %d: %d symbols", i, len(tab))
		}
	}
	if _, err := exec.LookPath("cjpeg"); err != nil {
		t.Skip("cjpeg not installed")
	}
	cmd := exec.Command("cjpeg", "-quality", "92")
	cmd.Stdin = bytes.NewReader([]byte("P6\n16 16\n255\n" + string(bytes.Repeat([]byte{200, 100, 50}, 256))))
	ref, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	ours := EncodeYCbCr(goimage.NewYCbCr(goimage.Rect(0, 0, 16, 16), goimage.YCbCrSubsampleRatio420), 92)
	dht := func(b []byte) (all []byte) {
		for i := 2; i+4 <= len(b) && b[i] == 0xFF && b[i+1] != 0xDA; {
			n := int(b[i+2])<<8 | int(b[i+3])
			if b[i+1] == 0xC4 {
				all = append(all, b[i+4:i+2+n]...)
			}
			i += 2 + n
		}
		return all
	}
	// cjpeg writes the four tables in separate DHT segments in the
	// order DC0, AC0, DC1, AC1; ours writes them in one segment, same order.
	if got, want := dht(ours), dht(ref); !bytes.Equal(got, want) {
		t.Errorf("DHT differs from cjpeg's:\n got %x\nwant %x", got, want)
	}
}

// TestDjpegReadsOutput: djpeg decodes what the pixel encoder writes.
func TestDjpegReadsOutput(t *testing.T) {
	if _, err := exec.LookPath("djpeg"); err != nil {
		t.Skip("djpeg not installed")
	}
	in, _ := testimg.JPEG(testimg.IDCard(2))
	src, err := Decode(in)
	if err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string][]byte{
		"420":  EncodeYCbCr(src.(*goimage.YCbCr), 92),
		"crop": EncodeYCbCr(src.(*goimage.YCbCr).SubImage(goimage.Rect(1, 3, 250, 99)).(*goimage.YCbCr), 30),
		"gray": EncodeGray(goimage.NewGray(goimage.Rect(0, 0, 9, 13)), 100),
	} {
		cmd := exec.Command("djpeg", "-pnm")
		cmd.Stdin = bytes.NewReader(out)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil || stderr.Len() > 0 {
			t.Errorf("%s: djpeg: %v %s", name, err, stderr.String())
		}
	}
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// TestMemory12MP: a 4032×3024 encode allocates its output buffer only
// (no coefficient or symbol store), and a decode its planes only.
func TestMemory12MP(t *testing.T) {
	if testing.Short() {
		t.Skip("12 MP")
	}
	const w, h = 4032, 3024
	src := goimage.NewYCbCr(goimage.Rect(0, 0, w, h), goimage.YCbCrSubsampleRatio420)
	for i := range src.Y {
		src.Y[i] = uint8(i%w/16 + i/w/16)
	}
	for i := range src.Cb {
		src.Cb[i], src.Cr[i] = uint8(i%97), uint8(i%113)
	}
	var out []byte
	enc := allocated(func() { out = EncodeYCbCr(src, 92) })
	var img goimage.Image
	dec := allocated(func() { img, _ = Decode(out) })
	if img == nil {
		t.Fatal("output does not decode")
	}
	planes := uint64(w*h) * 3 / 2
	t.Logf("12 MP: encode allocated %d bytes for a %d-byte output; decode %d bytes for %d bytes of planes", enc, len(out), dec, planes)
	if enc > 3*uint64(len(out))+uint64(w*h)/2 {
		t.Errorf("encode allocated %d bytes", enc)
	}
	if dec > planes+planes/8+1<<20 {
		t.Errorf("decode allocated %d bytes", dec)
	}
}

// TestCorpusRoundTrip re-encodes the corpus's baseline JPEGs (when the
// corpus is there): each output decodes, and its PSNR against the planes
// is within 0.1 dB of image/jpeg's at quality 92.
func TestCorpusRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("../../../../shared/corpus/real/jpeg/*.jpg")
	if len(files) == 0 {
		t.Skip("no corpus")
	}
	n := 0
	for _, f := range files {
		in, err := os.ReadFile(f)
		if err != nil || len(in) > 3<<20 {
			continue
		}
		img, err := Decode(in)
		if err != nil {
			continue
		}
		y, ok := img.(*goimage.YCbCr)
		if !ok || y.Bounds().Dx()*y.Bounds().Dy() > 2e6 {
			continue
		}
		out := EncodeYCbCr(y, 92)
		var ref bytes.Buffer
		jpeg.Encode(&ref, y, &jpeg.Options{Quality: 92})
		ours, theirs := psnr(t, y, decodeJPEG(t, out)), psnr(t, y, decodeJPEG(t, ref.Bytes()))
		if ours < theirs-0.1 {
			t.Errorf("%s: PSNR %.3f dB, image/jpeg %.3f dB", filepath.Base(f), ours, theirs)
		}
		if n++; n == 8 {
			break
		}
	}
	t.Logf("%d corpus photos", n)
}

// TestReleaseReuse: planes handed back with Release are reused by the
// next Decode of the same size, and what that Decode returns is, byte for
// byte over the whole buffer (padding included), what a fresh buffer
// gives: a recycled buffer's old bytes never survive, also when scans
// code one component each (cjpeg -scans), which leaves padding blocks
// uncoded.
func TestReleaseReuse(t *testing.T) {
	cases := map[string][]byte{}
	cases["interleaved"], _ = testimg.JPEG(testimg.JPEGOptions{Width: 70, Height: 45, Seed: 4})
	if _, err := exec.LookPath("cjpeg"); err == nil {
		dir := t.TempDir()
		scans := filepath.Join(dir, "scans")
		os.WriteFile(scans, []byte("0;\n1;\n2;\n"), 0o644)
		var ppm bytes.Buffer
		ppm.WriteString("P6\n70 45\n255\n")
		for i := 0; i < 70*45; i++ {
			ppm.Write([]byte{byte(i), byte(i / 3), byte(i * 7)})
		}
		cmd := exec.Command("cjpeg", "-scans", scans, "-quality", "90")
		cmd.Stdin = &ppm
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		cases["one scan per component"] = out
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			runtime.GC()
			runtime.GC() // empties the pool
			fresh, err := Decode(in)
			if err != nil {
				t.Fatal(err)
			}
			f := fresh.(*goimage.YCbCr)
			full := f.Y[:cap(f.Y)]
			// A stale buffer in Decode's layout, full of 0xAB.
			stale := bytes.Repeat([]byte{0xAB}, len(full))
			ny, nc := len(f.Y), len(f.Cb)
			Release(&goimage.YCbCr{Y: stale[:ny], Cb: stale[ny : ny+nc], Cr: stale[ny+nc : ny+2*nc], Rect: f.Rect})
			again, err := Decode(in)
			if err != nil {
				t.Fatal(err)
			}
			a := again.(*goimage.YCbCr)
			if &a.Y[0] != &stale[0] {
				t.Skip("the pool did not hand the buffer back (a GC ran)")
			}
			if got := a.Y[:cap(a.Y)]; !bytes.Equal(got, full) {
				for i := range got {
					if got[i] != full[i] {
						t.Fatalf("byte %d of %d: %#x, fresh decode %#x", i, len(got), got[i], full[i])
					}
				}
			}
		})
	}
	// Not Decode's layout: ignored.
	Release(goimage.NewYCbCr(goimage.Rect(0, 0, 16, 16), goimage.YCbCrSubsampleRatio420))
	if b, recycled := planeBuffer(16*16 + 2*8*8); recycled && cap(b) == 16*16+2*8*8 {
		t.Error("a foreign image's planes went into the pool")
	}
}
