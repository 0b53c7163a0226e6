package reencode

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/photoscrub/photoscrub/pkg/internal/corpus"
	"github.com/photoscrub/photoscrub/pkg/internal/format"
)

// heicClobbered is how many leading luma samples gen2brain/heic's free
// overwrites.
const heicClobbered = 24

// planeDiff compares the samples of two decoded images: how many differ,
// by how much at most, and where the first is ("" when none). It returns
// n = -1 when their sizes or layouts differ.
func planeDiff(a, b image.Image) (n, maxAbs int, first string) {
	if a.Bounds().Size() != b.Bounds().Size() {
		return -1, 0, "size " + a.Bounds().Size().String() + " vs " + b.Bounds().Size().String()
	}
	w, h := a.Bounds().Dx(), a.Bounds().Dy()
	cmp := func(name string, p []byte, ps, po int, q []byte, qs, qo, w, h int) {
		for y := range h {
			x0 := 0
			if name == "Y" && y == 0 && w > heicClobbered {
				// libheif's whole-image decode through gen2brain/heic has
				// its first luma samples overwritten (see batchFile).
				x0 = heicClobbered
			}
			for x := x0; x < w; x++ {
				d := int(p[po+y*ps+x]) - int(q[qo+y*qs+x])
				if d == 0 {
					continue
				}
				if n == 0 {
					first = name + " row " + itoa(y) + " column " + itoa(x)
				}
				n, maxAbs = n+1, max(maxAbs, d, -d)
			}
		}
	}
	switch a := a.(type) {
	case *image.YCbCr:
		b, ok := b.(*image.YCbCr)
		if !ok || a.SubsampleRatio != b.SubsampleRatio {
			return -1, 0, "layout"
		}
		cw, ch := (a.COffset(a.Rect.Max.X-1, a.Rect.Min.Y)-a.COffset(a.Rect.Min.X, a.Rect.Min.Y))+1, 1
		if h > 1 {
			ch = (a.COffset(a.Rect.Min.X, a.Rect.Max.Y-1)-a.COffset(a.Rect.Min.X, a.Rect.Min.Y))/a.CStride + 1
		}
		ay, by := a.YOffset(a.Rect.Min.X, a.Rect.Min.Y), b.YOffset(b.Rect.Min.X, b.Rect.Min.Y)
		ac, bc := a.COffset(a.Rect.Min.X, a.Rect.Min.Y), b.COffset(b.Rect.Min.X, b.Rect.Min.Y)
		cmp("Y", a.Y, a.YStride, ay, b.Y, b.YStride, by, w, h)
		cmp("Cb", a.Cb, a.CStride, ac, b.Cb, b.CStride, bc, cw, ch)
		cmp("Cr", a.Cr, a.CStride, ac, b.Cr, b.CStride, bc, cw, ch)
	case *image.Gray:
		b, ok := b.(*image.Gray)
		if !ok {
			return -1, 0, "layout"
		}
		cmp("Y", a.Pix, a.Stride, 0, b.Pix, b.Stride, 0, w, h)
	default:
		return -1, 0, "type"
	}
	return n, maxAbs, first
}

// samePlanes reports where two decoded images differ ("" when their
// samples are identical).
func samePlanes(a, b image.Image) string {
	if n, _, where := planeDiff(a, b); n != 0 {
		return where
	}
	return ""
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestHEIFGridCorpus: on real phone HEICs (skipped when the corpus is
// absent) the tile decoder's planes equal libheif's whole-image decode.
func TestHEIFGridCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpus.Dir(t), "real", "heic", "*"))
	if len(files) == 0 {
		t.Skip("corpus has no HEIC files")
	}
	grids := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		g, err := planHEIFGrid(data)
		if err != nil {
			t.Logf("%s: whole-image decode (%v)", filepath.Base(f), err)
			continue
		}
		t.Logf("%s: grid %d×%d of %d×%d tiles, output %d×%d, orient %v", filepath.Base(f), g.cols, g.rows, g.tileW, g.tileH, g.outW, g.outH, g.orient)
		if g.outW*g.outH > 12_500_000 && !testing.Verbose() { // -v compares the larger ones too
			continue
		}
		tiled, err := g.decode(context.Background())
		if errors.Is(err, ErrDecode) {
			if _, werr := decode(format.HEIF, data); werr == nil {
				t.Errorf("%s: tiles do not decode (%v), the whole image does", filepath.Base(f), err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		whole, err := decode(format.HEIF, data)
		if err != nil {
			t.Errorf("%s: tiles decode, the whole image does not: %v", filepath.Base(f), err)
			continue
		}
		// Identical, but for libde265's odd one-off sample: two of
		// 16 million in the Nokia HDR file differ by one, and both
		// decodes are deterministic (a read of memory the two routes
		// leave in different states, it seems).
		n, d, where := planeDiff(tiled, whole)
		if n != 0 {
			t.Logf("%s: %d sample(s) differ by up to %d, first at %s", filepath.Base(f), n, d, where)
		}
		if n < 0 || d > 1 || n > g.outW*g.outH/1_000_000 {
			t.Errorf("%s: tile decode differs from the whole-image decode: %d samples by up to %d, first at %s", filepath.Base(f), n, d, where)
		}
		grids++
	}
	if grids == 0 {
		t.Error("no corpus grid compared")
	}
}

// BenchmarkHEIFDecode decodes a 12 MP phone HEIC (corpus; skipped when
// absent) tile by tile and whole.
func BenchmarkHEIFDecode(b *testing.B) {
	data := corpus.File(b, "real/heic/mei__IMG_1034.heic")
	Precompile(format.HEIF)
	b.Run("tiles", func(b *testing.B) {
		for b.Loop() {
			g, err := planHEIFGrid(data)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := g.decode(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("whole", func(b *testing.B) {
		for b.Loop() {
			if _, err := codecDecode(format.HEIF, data); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// encodedTiles encodes four 128×128 quadrants of a pattern with heif-enc
// (skipped when absent) and returns their coded data, the shared hvcC
// and ispe and the tiles' nclx colr (raw boxes).
func encodedTiles(t *testing.T) (tiles [][]byte, hvcC, ispe, colr []byte) {
	t.Helper()
	src := pattern(256, 256, false)
	var quads []image.Image
	for k := range 4 {
		quads = append(quads, src.SubImage(image.Rect(k%2*128, k/2*128, k%2*128+128, k/2*128+128)))
	}
	return heifEncTiles(t, quads, "90")
}

// heifEncTiles encodes each picture as one image of a HEIC with heif-enc
// at quality q (skipped when heif-enc is absent, or when it gives the
// images different configurations) and returns, in order, their coded
// data, the shared hvcC and ispe and the nclx colr (raw boxes).
func heifEncTiles(t *testing.T, pics []image.Image, q string) (tiles [][]byte, hvcC, ispe, colr []byte) {
	t.Helper()
	if _, err := exec.LookPath("heif-enc"); err != nil {
		t.Skip("heif-enc not installed")
	}
	dir := t.TempDir()
	var args []string
	for k, m := range pics {
		f := filepath.Join(dir, "t"+itoa(k)+".png")
		if err := os.WriteFile(f, pngOf(m), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, f)
	}
	out := filepath.Join(dir, "tiles.heic")
	if b, err := exec.Command("heif-enc", append([]string{"-q", q, "-o", out}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("heif-enc: %v\n%s", err, b)
	}
	d, err := parseHEIF(must(os.ReadFile(out)))
	if err != nil {
		t.Fatal(err)
	}
	var ids []uint32
	for id, it := range d.items {
		if it.typ == "hvc1" {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	if len(ids) != len(pics) {
		t.Fatalf("heif-enc wrote %d images for %d pictures", len(ids), len(pics))
	}
	for _, id := range ids {
		it := d.items[id]
		h, _ := d.prop(it, "hvcC")
		s, _ := d.prop(it, "ispe")
		if c, ok := d.prop(it, "colr"); ok {
			colr = c.raw
		}
		if hvcC != nil && !bytes.Equal(h.raw, hvcC) {
			t.Skip("heif-enc gave the tiles different configurations")
		}
		hvcC, ispe = h.raw, s.raw
		tiles = append(tiles, must(d.itemData(it, 1<<24)))
	}
	return tiles, hvcC, ispe, colr
}

// TestHEIFGridGenerated assembles 2×2 tiles from heif-enc into grids
// whose output crops the last row and column, with and without irot and
// imir, and checks that the tile decoder gives libheif's whole-image
// samples and the upright size, and that the system's heif-convert sees
// the same picture.
func TestHEIFGridGenerated(t *testing.T) {
	tiles, hvcC, ispe, colr := encodedTiles(t)
	irot := func(a byte) []byte { return mkBox("irot", []byte{a}) }
	imir := func(a byte) []byte { return mkBox("imir", []byte{a}) }
	for name, c := range map[string]struct {
		props [][]byte
		size  image.Point
	}{
		"plain":          {nil, image.Pt(200, 180)},
		"irot 90":        {[][]byte{irot(1)}, image.Pt(180, 200)},
		"irot 180":       {[][]byte{irot(2)}, image.Pt(200, 180)},
		"irot 270 imir":  {[][]byte{irot(3), imir(0)}, image.Pt(180, 200)},
		"imir 1 irot 90": {[][]byte{imir(1), irot(1)}, image.Pt(180, 200)},
		"imir 0":         {[][]byte{imir(0)}, image.Pt(200, 180)},
		"imir 1":         {[][]byte{imir(1)}, image.Pt(200, 180)},
	} {
		t.Run(name, func(t *testing.T) {
			props := c.props
			if colr != nil {
				props = append([][]byte{colr}, props...)
			}
			file := gridFile(gridSpec{hvcC: hvcC, tileISPE: ispe, tiles: tiles, rows: 2, cols: 2, outW: 200, outH: 180, gridProps: props})
			g, err := planHEIFGrid(file)
			if err != nil {
				t.Fatalf("not planned: %v", err)
			}
			got, err := g.decode(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got.Bounds().Size() != c.size {
				t.Fatalf("size %v, want %v", got.Bounds().Size(), c.size)
			}
			whole, err := decode(format.HEIF, file)
			if err != nil {
				t.Fatal(err)
			}
			if d := samePlanes(got, whole); d != "" {
				t.Errorf("differs from the whole-image decode: %s", d)
			}
			// Through Reencode: the Exif orientation is not applied on top
			// of irot/imir.
			o := 0
			if len(c.props) > 0 {
				o = 6
			}
			res := reencode(t, format.HEIF, file, Options{Format: format.PNG, Orientation: o})
			back := decodeAny(t, format.PNG, res.Data)
			if d := meanAbsDiff(back, got); d < 0 || d > 2 {
				t.Errorf("Reencode output differs from the tile decode: %.2f", d)
			}
			if _, err := exec.LookPath("heif-convert"); err != nil {
				return
			}
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "g.heic"), file, 0o644)
			if b, err := exec.Command("heif-convert", filepath.Join(dir, "g.heic"), filepath.Join(dir, "g.png")).CombinedOutput(); err != nil {
				t.Fatalf("heif-convert: %v\n%s", err, b)
			}
			ref, err := png.Decode(bytes.NewReader(must(os.ReadFile(filepath.Join(dir, "g.png")))))
			if err != nil {
				t.Fatal(err)
			}
			if d := meanAbsDiff(got, ref); d < 0 || d > 3 {
				t.Errorf("heif-convert sees another picture: mean abs diff %.2f", d)
			}
		})
	}
}

// TestHEIFGridCancel: a cancelled context stops the tile decoder between
// batches; a file timeout ends a large decode early.
func TestHEIFGridCancel(t *testing.T) {
	tiles, hvcC, ispe, colr := encodedTiles(t)
	var props [][]byte
	if colr != nil {
		props = [][]byte{colr}
	}
	file := gridFile(gridSpec{hvcC: hvcC, tileISPE: ispe, tiles: tiles, rows: 2, cols: 2, outW: 256, outH: 256, gridProps: props})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Reencode(ctx, format.HEIF, file, Options{Format: format.JPEG}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err %v", err)
	}
	p, ok := corpus.Path("real/heic/mei__IMG_1034.heic")
	if !ok {
		return
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	Precompile(format.HEIF)
	ctx, cancel = context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = Reencode(ctx, format.HEIF, data, Options{Format: format.JPEG})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("timeout: err %v", err)
	}
	t.Logf("12 MP grid stopped %v after its 300 ms deadline", time.Since(start)-300*time.Millisecond)
}

// TestHEIFGridHostile: truncated and corrupted grid files are planned or
// refused without a panic, and a refused one still goes to libheif.
func TestHEIFGridHostile(t *testing.T) {
	tiles, hvcC, ispe, _ := encodedTiles(t)
	file := gridFile(gridSpec{hvcC: hvcC, tileISPE: ispe, tiles: tiles, rows: 2, cols: 2, outW: 256, outH: 256})
	if _, err := planHEIFGrid(file); err != nil {
		t.Fatal(err)
	}
	metaEnd := bytes.Index(file, []byte("mdat")) - 4
	for n := 0; n < metaEnd; n++ {
		planHEIFGrid(file[:n])
		for _, v := range []byte{0, 1, 0x7f, 0x80, 0xff} {
			c := bytes.Clone(file[:metaEnd+8])
			c[n] = v
			if g, err := planHEIFGrid(c); err == nil {
				// Tiles out of the file: a decode error, no panic.
				if _, err := g.decode(context.Background()); err == nil {
					t.Errorf("byte %d = %#x: truncated tiles decode", n, v)
				}
			}
		}
	}
}

// FuzzHEIFBoxes: the item parser, the grid planner and the colr
// insertion take any bytes without a panic.
func FuzzHEIFBoxes(f *testing.F) {
	hvcC := mkBox("hvcC", make([]byte, 23))
	ispe := mkBox("ispe", []byte{0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0})
	f.Add(gridFile(gridSpec{hvcC: hvcC, tileISPE: ispe, tiles: [][]byte{{1}, {2}, {3}, {4}}, rows: 2, cols: 2, outW: 500, outH: 400,
		gridProps: [][]byte{mkBox("irot", []byte{1}), mkBox("imir", []byte{0})}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		if g, err := planHEIFGrid(data); err == nil {
			g.batchFile([][]byte{{0}, {1}})
			g.batchPeak()
		}
		withAVIFICC(data, []byte("profile"))
	})
}
