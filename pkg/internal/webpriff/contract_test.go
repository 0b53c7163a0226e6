package webpriff

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/webp"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/container/containertest"
	"github.com/photoscrub/photoscrub/pkg/internal/corpus"
	"github.com/photoscrub/photoscrub/pkg/internal/exifmeta"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

var opts = containertest.Options{Decode: decodeStill}

// decodeStill decodes b with x/image/webp, which does not implement
// animation: for a file whose VP8X says it is animated, what x/image
// returns is whatever stray top-level image chunk it finds first, not the
// file's image, so such files are not compared (found by FuzzContract).
func decodeStill(b []byte) (image.Image, error) {
	if len(b) > 20 && string(b[12:16]) == "VP8X" && b[20]&0x02 != 0 {
		return nil, errors.New("animated: not compared")
	}
	return webp.Decode(bytes.NewReader(b))
}

// fuzzOpts decode only small images: a few hostile bytes can declare a
// 16384×16384 picture that the parser proves quickly (zero-bit codes) but
// the decoder takes seconds to draw.
var fuzzOpts = containertest.Options{Decode: func(b []byte) (image.Image, error) {
	c, err := webp.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	if c.Width*c.Height > 1<<16 {
		return nil, errors.New("too large to compare in a fuzz run")
	}
	return decodeStill(b)
}}

func gpsEXIF() []byte {
	return testimg.EXIF(testimg.EXIFOptions{Orientation: 1, GPS: true, Identity: true, Thumbnail: true})
}

func xmpPacket() []byte { return testimg.XMPPacket(testimg.XMPOptions{}) }

// xImageSamples returns the WebP files of golang.org/x/image's testdata
// (real VP8, VP8L and ALPH streams made by libwebp), or nil when the module
// source is not available.
func xImageSamples(t testing.TB) map[string][]byte {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "golang.org/x/image").Output()
	if err != nil {
		return nil
	}
	files, _ := filepath.Glob(filepath.Join(strings.TrimSpace(string(out)), "testdata", "*.webp"))
	m := map[string][]byte{}
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil {
			m[filepath.Base(f)] = b
		}
	}
	return m
}

// chunkOf returns the offset of the payload of the first chunk id at top
// level, and its size.
func chunkOf(b []byte, id string) (int, int) {
	for pos := 12; pos+8 <= len(b); {
		n := int(binary.LittleEndian.Uint32(b[pos+4:]))
		if string(b[pos:pos+4]) == id {
			return pos + 8, n
		}
		pos += 8 + n + n&1
	}
	return -1, 0
}

// grow appends extra to the payload of the first chunk id (fixing sizes).
func grow(b []byte, id string, extra []byte) []byte {
	off, n := chunkOf(b, id)
	if off < 0 {
		return nil
	}
	end := off + n
	var out []byte
	out = append(out, b[:off-4]...)
	out = binary.LittleEndian.AppendUint32(out, uint32(n+len(extra)))
	out = append(out, b[off:end]...)
	out = append(out, extra...)
	if (n+len(extra))&1 == 1 {
		out = append(out, 0)
	}
	rest := end + n&1
	out = append(out, b[min(rest, len(b)):]...)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out
}

const planted = "Jane Roe 48.8584N"

func samples(t testing.TB) []containertest.Sample {
	ex := gpsEXIF()
	s := []containertest.Sample{
		{Name: "plain", Data: testimg.WebP(testimg.WebPOptions{})},
		{Name: "extended", Data: testimg.WebP(testimg.WebPOptions{Extended: true, Width: 7, Height: 5})},
		{Name: "exif", Data: testimg.WebP(testimg.WebPOptions{EXIF: ex}), Dirty: true},
		{Name: "exif-prefix-o6", Data: testimg.WebP(testimg.WebPOptions{EXIF: testimg.EXIF(testimg.EXIFOptions{Orientation: 6, GPS: true}), EXIFPrefix: true}), Dirty: true},
		{Name: "xmp", Data: testimg.WebP(testimg.WebPOptions{XMP: xmpPacket()}), Dirty: true},
		{Name: "icc-not-a-profile", Data: testimg.WebP(testimg.WebPOptions{ICC: []byte(planted)}), Dirty: true},
		{Name: "unknown", Data: testimg.WebP(testimg.WebPOptions{Unknown: []byte(planted)}), Dirty: true},
		{Name: "trailer", Data: testimg.WebP(testimg.WebPOptions{Trailer: []byte(planted)}), Dirty: true},
		{Name: "animated", Data: testimg.WebP(testimg.WebPOptions{Animated: true, Width: 4, Height: 3})},
		{Name: "animated-all-wrong-flags", Data: testimg.WebP(testimg.WebPOptions{Animated: true, Unknown: []byte(planted), XMP: xmpPacket(), EXIF: ex, WrongFlags: true}), Dirty: true},
		{Name: "wrong-flags", Data: testimg.WebP(testimg.WebPOptions{Extended: true, WrongFlags: true}), Dirty: true},
		{Name: "alpha", Data: testimg.WebP(testimg.WebPOptions{ARGB: 0x7f102030, EXIF: ex}), Dirty: true},
	}
	s = append(s, hostile(t, testimg.WebP(testimg.WebPOptions{Width: 9, Height: 4, Extended: true}), "lossless")...)
	s = append(s, lossySamples()...)
	for _, l := range lossySamples()[:6] {
		s = append(s, hostile(t, l.Data, l.Name)...)
		s = append(s, containertest.Sample{Name: l.Name + "-after-modes", Data: afterModes(l.Data, []byte(planted)), Dirty: true})
	}
	for name, b := range xImageSamples(t) {
		s = append(s, containertest.Sample{Name: "x-" + name, Data: b})
		s = append(s, hostile(t, b, "x-"+name)...)
	}
	return s
}

// hostile plants a value in every place a WebP file can hide one.
func hostile(t testing.TB, b []byte, name string) []containertest.Sample {
	var s []containertest.Sample
	add := func(n string, d []byte) {
		if d != nil {
			s = append(s, containertest.Sample{Name: name + "-" + n, Data: d, Dirty: true})
		}
	}
	add("after-vp8-tokens", grow(b, "VP8 ", []byte(planted)))
	add("after-vp8l-end", grow(b, "VP8L", []byte(planted)))
	add("after-alph", grow(b, "ALPH", []byte(planted)))
	add("vp8x-extra", grow(b, "VP8X", []byte(planted)))
	// An odd-sized chunk whose padding byte is not zero.
	if off, n := chunkOf(b, "VP8L"); off >= 0 {
		c := grow(b, "VP8L", []byte{0})
		if n&1 == 0 { // now odd: set the padding byte
			c[off+n+1] = 'J'
			add("padding-byte", c)
		}
	}
	// Past the RIFF size.
	add("past-riff", append(bytes.Clone(b), planted...))
	// An unknown chunk whose FourCC itself is the value.
	u := append(bytes.Clone(b), "JANE"...)
	u = binary.LittleEndian.AppendUint32(u, 2)
	u = append(u, "RO"...)
	binary.LittleEndian.PutUint32(u[4:], uint32(len(u)-8))
	add("fourcc", u)
	return s
}

// lossySamples are generated VP8 files: sizes, 1 to 8 token partitions,
// no alpha, raw alpha, lossless alpha.
func lossySamples() []containertest.Sample {
	var s []containertest.Sample
	for i, sz := range [][2]int{{1, 1}, {17, 9}, {40, 33}, {64, 48}, {130, 20}, {16, 140}} {
		for log2 := 0; log2 < 4; log2++ {
			a := (i+log2)%3 - 1
			s = append(s, containertest.Sample{
				Name: fmt.Sprintf("vp8-%dx%d-p%d-a%d", sz[0], sz[1], 1<<log2, a),
				Data: lossyWebP(sz[0], sz[1], log2, uint64(i*4+log2), a)})
		}
	}
	s = append(s, containertest.Sample{Name: "vp8-animated-alpha", Data: animatedLossy(37, 21)})
	return s
}

// afterModes plants extra bytes after the first (modes) partition of the
// VP8 chunk, growing the frame tag's partition size.
func afterModes(b, extra []byte) []byte {
	off, n := chunkOf(b, "VP8 ")
	p := b[off : off+n]
	tag := int(p[0]) | int(p[1])<<8 | int(p[2])<<16
	size := tag >> 5
	tag += len(extra) << 5
	np := append([]byte{byte(tag), byte(tag >> 8), byte(tag >> 16)}, p[3:10+size]...)
	np = append(np, extra...)
	np = append(np, p[10+size:]...)
	out := append(bytes.Clone(b[:off-8]), "VP8 "...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(np)))
	out = append(out, np...)
	if len(np)&1 == 1 {
		out = append(out, 0)
	}
	out = append(out, b[min(off+n+n&1, len(b)):]...)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out
}

// TestGeneratedClean checks that generated files without metadata are
// inspected clean (the proofs leave no byte unaccounted) and decode.
func TestGeneratedClean(t *testing.T) {
	clean := append(lossySamples(), containertest.Sample{Name: "plain", Data: testimg.WebP(testimg.WebPOptions{})},
		containertest.Sample{Name: "animated", Data: testimg.WebP(testimg.WebPOptions{Animated: true})})
	for _, s := range clean {
		f, err := Parse(s.Data)
		if err != nil {
			t.Errorf("%s: %v", s.Name, err)
			continue
		}
		if in := container.Inspect(f, len(s.Data)); len(in.Findings) != 0 {
			t.Errorf("%s: findings %v", s.Name, in.Findings)
		}
		if _, err := opts.Decode(s.Data); err != nil && !strings.Contains(s.Name, "animated") {
			t.Errorf("%s: x/image does not decode it: %v", s.Name, err)
		}
	}
}

func TestContract(t *testing.T) {
	containertest.Run(t, Format, samples(t), opts)
}

// TestFourCCNotReported checks that a chunk type the code does not know
// never reaches the report.
func TestFourCCNotReported(t *testing.T) {
	for _, s := range samples(t) {
		f, err := Parse(s.Data)
		if err != nil {
			continue
		}
		in := container.Inspect(f, len(s.Data))
		for _, fd := range in.Findings {
			txt := fd.Where + strings.Join(fd.Tags, " ")
			for _, bad := range []string{"JANE", "PSMK", "Jane", "48.85"} {
				if strings.Contains(txt, bad) {
					t.Errorf("%s: finding %q holds bytes from the file", s.Name, txt)
				}
			}
		}
		for _, r := range f.Map() {
			if strings.Contains(r.Part, "JANE") || strings.Contains(r.Part, "PSMK") {
				t.Errorf("%s: range part %q", s.Name, r.Part)
			}
		}
	}
}

// TestHostileRemoved checks that every planted value is gone from the
// rebuild.
func TestHostileRemoved(t *testing.T) {
	for _, s := range samples(t) {
		f, err := Parse(s.Data)
		if err != nil {
			t.Errorf("%s: %v", s.Name, err)
			continue
		}
		out, err := f.Rebuild(meta.DefaultKeep)
		if err != nil {
			t.Errorf("%s: %v", s.Name, err)
			continue
		}
		for _, n := range []string{planted, "JANE", "PSMK", "RO"} {
			if s.Dirty && bytes.Contains(out, []byte(n)) && !bytes.Contains(stillClean(t, s.Data), []byte(n)) {
				t.Errorf("%s: rebuild holds %q", s.Name, n)
			}
		}
	}
}

// stillClean returns the bytes that legitimately remain (the coded data of
// a clean rebuild of the unplanted parts), to avoid false alarms when a
// needle occurs by chance in coded data.
func stillClean(t testing.TB, b []byte) []byte {
	f, err := Parse(b)
	if err != nil {
		return nil
	}
	out, _ := f.Rebuild(meta.Keep{})
	return out
}

func TestOrientationCarriers(t *testing.T) {
	x := []byte(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Orientation="6"/></rdf:RDF></x:xmpmeta>`)
	for name, b := range map[string][]byte{
		"exif":          testimg.WebP(testimg.WebPOptions{Width: 5, Height: 3, EXIF: testimg.EXIF(testimg.EXIFOptions{Orientation: 6, GPS: true})}),
		"exif-extended": testimg.WebP(testimg.WebPOptions{Width: 5, Height: 3, Extended: true, EXIF: exifmeta.Minimal(6)}),
		"xmp":           testimg.WebP(testimg.WebPOptions{Width: 5, Height: 3, XMP: x}),
	} {
		f, err := Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		out, err := f.Rebuild(meta.DefaultKeep)
		if err != nil {
			t.Fatal(err)
		}
		g, err := Parse(out)
		if err != nil {
			t.Fatal(err)
		}
		if in := container.Inspect(g, len(out)); in.Orientation != 6 || len(in.Findings) != 0 || in.Width != 5 {
			t.Errorf("%s: rebuild inspection %+v", name, in)
		}
		out2, _ := f.Rebuild(meta.Keep{})
		if _, n := chunkOf(out2, "EXIF"); n != 0 {
			t.Errorf("%s: EXIF kept without keep.Orientation", name)
		}
	}
}

func TestMalformed(t *testing.T) {
	good := testimg.WebP(testimg.WebPOptions{Width: 3, Height: 2, EXIF: gpsEXIF(), XMP: xmpPacket()})
	riffEnd := 8 + int(binary.LittleEndian.Uint32(good[4:8]))
	for i := 0; i < riffEnd; i++ {
		cut := bytes.Clone(good[:i])
		if i >= 8 {
			binary.LittleEndian.PutUint32(cut[4:8], uint32(riffEnd-8))
		}
		if _, err := Parse(cut); err == nil {
			t.Fatalf("truncated at %d: no error", i)
		}
		if out, err := Strip(cut, meta.DefaultKeep); err == nil || out != nil {
			t.Fatalf("truncated at %d: Strip gave output", i)
		}
	}
	// A lossless stream cut short, a VP8 frame cut short.
	for name, b := range xImageSamples(t) {
		for _, id := range []string{"VP8 ", "VP8L"} {
			off, n := chunkOf(b, id)
			if off < 0 {
				continue
			}
			c := bytes.Clone(b[:off+n/2])
			binary.LittleEndian.PutUint32(c[off-4:], uint32(n/2))
			binary.LittleEndian.PutUint32(c[4:], uint32(len(c)-8))
			if _, err := Parse(c); err == nil {
				t.Errorf("%s: half a %s stream parses", name, id)
			}
		}
	}
}

func TestCorpus(t *testing.T) {
	dir := corpus.Dir(t)
	var s []containertest.Sample
	for _, e := range corpus.Manifest(t, dir) {
		p := e.Path()
		if !strings.HasPrefix(p, "real/webp/") && !strings.HasPrefix(p, "malformed/webp/") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		real := e["kind"] == "real"
		if real {
			f, err := Parse(data)
			if err != nil {
				t.Errorf("%s: %v", p, err)
				continue
			}
			in := container.Inspect(f, len(data))
			if e["has_gps"] == "yes" && !hasCat(in.Findings, meta.Location) {
				t.Errorf("%s: GPS file without a Location finding", p)
			}
		}
		s = append(s, containertest.Sample{Name: filepath.Base(p), Data: data})
	}
	if len(s) == 0 {
		t.Fatal("no WebP files in the corpus manifest")
	}
	containertest.Run(t, Format, s, opts)
}

func FuzzContract(f *testing.F) {
	for _, s := range samples(f) {
		if len(s.Data) < 1<<14 {
			f.Add(s.Data)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<16 {
			return
		}
		containertest.Check(t, Format, containertest.Sample{Name: "fuzz", Data: b}, fuzzOpts)
	})
}

func hasCat(fs []meta.Finding, c meta.Category) bool {
	for _, f := range fs {
		if f.Category == c {
			return true
		}
	}
	return false
}
