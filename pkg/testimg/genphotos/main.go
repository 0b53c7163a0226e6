// Command genphotos writes photoscrub's synthetic sample photos and,
// optionally, benchmark trees. Every planted value is a testimg marker, so
// the files are safe to commit and to grep for leaks.
//
//	go run ./pkg/testimg/genphotos -out testdata/photos
//	go run ./pkg/testimg/genphotos -out /tmp/bench -bench-idcards 200 -bench-phones 5 -seed 7
//	go run ./pkg/testimg/genphotos -out /tmp/bench -bench-pngs 50 -bench-tiny 10000
//
// With -bench-* flags only the benchmark trees are written (under
// OUT/<kind>/...), not the samples.
package main

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand"
	"os"
	"path/filepath"

	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// sample is one bundled sample photo. Other formats add entries to samples.
type sample struct {
	name  string // slash-separated path under -out
	build func() ([]byte, error)
}

func jpegOf(o testimg.JPEGOptions) func() ([]byte, error) {
	return func() ([]byte, error) { return testimg.JPEG(o) }
}

// samples are the files written to testdata/photos. Keep each under 60 KB.
var samples = []sample{
	{"id-card-gps.jpg", jpegOf(testimg.JPEGOptions{Width: 240, Height: 320, Seed: 1, Quality: 85,
		Orientation: 1, EXIF: true, EXIFOptions: testimg.AllEXIF(), GPS: true, XMP: true, IPTC: true})},
	{"xmp-before-exif.jpg", jpegOf(testimg.JPEGOptions{Width: 160, Height: 120, Seed: 2,
		GPS: true, XMP: true, XMPBeforeExif: true})},
	{"mpf-second-image.jpg", jpegOf(testimg.JPEGOptions{Width: 200, Height: 150, Seed: 3,
		EXIF: true, EXIFOptions: testimg.EXIFOptions{Identity: true}, MPF: true})},
	{"trailer-and-comment.jpg", jpegOf(testimg.JPEGOptions{Width: 160, Height: 120, Seed: 4,
		Trailer: true, Comment: true})},
	{"orientation-6-icc.jpg", jpegOf(testimg.JPEGOptions{Width: 160, Height: 120, Seed: 5,
		Orientation: 6, ICC: true})},
	{"clean.jpg", jpegOf(testimg.JPEGOptions{Width: 160, Height: 120, Seed: 6})},
	{"many-places.jpg", jpegOf(func() testimg.JPEGOptions {
		o := testimg.Everything()
		o.Width, o.Height, o.Seed, o.ExtendedXMP = 160, 120, 7, false
		return o
	}())},
	{"station-a/officer-0001.jpg", jpegOf(testimg.JPEGOptions{Width: 240, Height: 320, Seed: 8,
		Orientation: 1, EXIF: true, EXIFOptions: testimg.EXIFOptions{Identity: true, Thumbnail: true},
		GPS: true, XMP: true})},
}

// benchKind is one family of benchmark files, selected by its flag.
// HOOK: other formats (e.g. PNG ID cards) append an entry here; its
// -bench-<flag> option then appears automatically.
type benchKind struct {
	flag, usage string
	// path returns the file's path under OUT for index i (0-based).
	path  func(i int) string
	build func(seed int64) ([]byte, error)
}

var benchKinds = []benchKind{
	{"idcards", "write `N` ID-card JPEGs (600×800, ~90 KB) under OUT/idcards/station-XX/",
		func(i int) string { return fmt.Sprintf("idcards/station-%02d/officer-%04d.jpg", i/100, i) },
		func(seed int64) ([]byte, error) { return testimg.JPEG(testimg.IDCard(seed)) }},
	{"phones", "write `N` phone JPEGs (4032×3024) under OUT/phones/",
		func(i int) string { return fmt.Sprintf("phones/phone-%04d.jpg", i) },
		func(seed int64) ([]byte, error) { return testimg.JPEG(testimg.Phone(seed)) }},
	{"pngs", "write `N` PNGs (480×640, ~500 KB) with eXIf (identity, GPS), iTXt XMP, text and tIME chunks under OUT/pngs/",
		func(i int) string { return fmt.Sprintf("pngs/scan-%04d.png", i) },
		benchPNG},
	{"tiny", "write `N` tiny JPEGs (32×24, GPS and XMP, a few KB, all identical) under OUT/tiny/dir-XXX/ (memory-flatness runs)",
		func(i int) string { return fmt.Sprintf("tiny/dir-%03d/p%06d.jpg", i/1000, i) },
		benchTiny},
}

// benchPNG builds a PNG scan of an ID card: noisy 480×640 pixels (a few
// hundred KB, like a real scan; the pixels vary with the seed) carrying the
// metadata chunks of testimg.PNG (eXIf with identity and GPS, iTXt XMP,
// tEXt, zTXt, compressed iTXt, tIME), spliced in after IHDR.
func benchPNG(seed int64) ([]byte, error) {
	m := testimg.PNG(testimg.PNGOptions{Orientation: 1, EXIF: true, XMP: true, Text: true,
		CompressedText: true, Time: true})
	var extra []byte
	for p := 8; p+12 <= len(m); {
		n := int(binary.BigEndian.Uint32(m[p:]))
		if n > len(m)-p-12 {
			return nil, fmt.Errorf("testimg.PNG output not understood")
		}
		switch string(m[p+4 : p+8]) {
		case "IHDR", "IDAT", "IEND":
		default:
			extra = append(extra, m[p:p+12+n]...)
		}
		p += 12 + n
	}
	const w, h = 480, 640
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewSource(seed))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := uint8(x/3 + y/5 + r.Intn(24))
			img.SetNRGBA(x, y, color.NRGBA{v, v / 2, 255 - v, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	base := b.Bytes()
	ihdrEnd := 8 + 12 + int(binary.BigEndian.Uint32(base[8:]))
	out := append([]byte{}, base[:ihdrEnd]...)
	out = append(out, extra...)
	return append(out, base[ihdrEnd:]...), nil
}

// tinyJPEG is built once: the flatness runs need many files, not many
// different ones.
var tinyJPEG []byte

func benchTiny(int64) ([]byte, error) {
	if tinyJPEG == nil {
		b, err := testimg.JPEG(testimg.JPEGOptions{Width: 32, Height: 24, Seed: 1, GPS: true, XMP: true})
		if err != nil {
			return nil, err
		}
		tinyJPEG = b
	}
	return tinyJPEG, nil
}

func main() {
	out := flag.String("out", "", "output `DIR` (required)")
	seed := flag.Int64("seed", 1, "base `S` for benchmark seeds (file i uses S+i)")
	counts := make([]*int, len(benchKinds))
	for i, k := range benchKinds {
		counts[i] = flag.Int("bench-"+k.flag, 0, k.usage)
	}
	flag.Parse()
	if *out == "" || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*out, *seed, counts); err != nil {
		fmt.Fprintln(os.Stderr, "genphotos:", err)
		os.Exit(1)
	}
}

func run(out string, seed int64, counts []*int) error {
	bench := false
	for i, k := range benchKinds {
		for j := 0; j < *counts[i]; j++ {
			bench = true
			b, err := k.build(seed + int64(j))
			if err != nil {
				return err
			}
			if err := write(out, k.path(j), b); err != nil {
				return err
			}
		}
	}
	if bench {
		return nil
	}
	for _, s := range samples {
		b, err := s.build()
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		if err := write(out, s.name, b); err != nil {
			return err
		}
	}
	return nil
}

func write(root, rel string, b []byte) error {
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, b, 0o644)
}
