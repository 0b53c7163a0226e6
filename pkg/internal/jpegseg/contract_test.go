package jpegseg

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/container/containertest"
	"github.com/photoscrub/photoscrub/pkg/internal/corpus"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// planted is the value hostile samples hide; it must never reach a report
// or survive a rebuild.
const planted = "PSMK-JANE-DOE-51N"

var (
	options     = containertest.Options{Decode: decodeUpTo(64 << 20)}
	fuzzOptions = containertest.Options{Decode: decodeUpTo(1 << 18)}
)

// decodeUpTo decodes with image/jpeg, refusing frames above max pixels
// (fuzz inputs claim huge frames).
func decodeUpTo(max int) func([]byte) (image.Image, error) {
	return func(b []byte) (image.Image, error) {
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		if cfg.Width*cfg.Height > max {
			return nil, errors.New("too large to compare")
		}
		return jpeg.Decode(bytes.NewReader(b))
	}
}

func seg(m byte, p []byte) []byte {
	return append(binary.BigEndian.AppendUint16([]byte{0xFF, m}, uint16(len(p)+2)), p...)
}

func adobe(transform byte, extra string) []byte {
	return seg(0xEE, append([]byte{'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, transform}, extra...))
}

func xmpWithGPS() []byte {
	return []byte(`<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,30.0N"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`)
}

func generatedSamples(t testing.TB) []containertest.Sample {
	var s []containertest.Sample
	addJ := func(name string, o testimg.JPEGOptions, dirty bool) {
		b, err := testimg.JPEG(o)
		if err != nil {
			t.Fatal(err)
		}
		s = append(s, containertest.Sample{Name: name, Data: b, Dirty: dirty})
	}
	addC := func(name string, c testimg.CodedJPEG, dirty bool) {
		s = append(s, containertest.Sample{Name: name, Data: testimg.BuildCoded(c), Dirty: dirty})
	}
	addJ("baseline-jfif", testimg.JPEGOptions{}, false)
	addJ("baseline-restart", testimg.JPEGOptions{Width: 200, Height: 90, RestartInterval: true}, false)
	addJ("everything", testimg.Everything(), true)
	addJ("id-card", testimg.IDCard(1), true)
	addJ("icc", testimg.JPEGOptions{ICC: true, ICCChunks: 3}, false)
	for o := 1; o <= 8; o++ {
		addJ(fmt.Sprintf("orientation-%d", o), testimg.JPEGOptions{Orientation: o, GPS: true, Seed: int64(o)}, true)
	}
	s444 := [][2]int{{1, 1}, {1, 1}, {1, 1}}
	cmyk := [][2]int{{1, 1}, {1, 1}, {1, 1}, {1, 1}}
	addC("coded-420", testimg.CodedJPEG{Width: 75, Height: 61}, false)
	addC("coded-444", testimg.CodedJPEG{Width: 75, Height: 61, Sampling: s444}, false)
	addC("coded-422-restart", testimg.CodedJPEG{Width: 75, Height: 61, Sampling: [][2]int{{2, 1}, {1, 1}, {1, 1}}, Restart: 3}, false)
	addC("coded-gray", testimg.CodedJPEG{Width: 75, Height: 61, Sampling: [][2]int{{1, 1}}}, false)
	addC("coded-gray-22-restart", testimg.CodedJPEG{Width: 75, Height: 61, Sampling: [][2]int{{2, 2}}, Restart: 7}, false)
	addC("progressive-420", testimg.CodedJPEG{Width: 97, Height: 67, Progressive: true, Seed: 1}, false)
	addC("progressive-420-restart", testimg.CodedJPEG{Width: 97, Height: 67, Progressive: true, Restart: 4, Seed: 2}, false)
	addC("progressive-444-restart", testimg.CodedJPEG{Width: 97, Height: 67, Sampling: s444, Progressive: true, Restart: 5, Seed: 3}, false)
	addC("progressive-gray-restart", testimg.CodedJPEG{Width: 50, Height: 41, Sampling: [][2]int{{1, 1}}, Progressive: true, Restart: 1}, false)
	addC("cmyk-adobe", testimg.CodedJPEG{Width: 40, Height: 33, Sampling: cmyk, Head: adobe(0, "")}, false)
	addC("ycck-adobe-progressive", testimg.CodedJPEG{Width: 40, Height: 33, Sampling: cmyk, Progressive: true, Head: adobe(2, "")}, false)
	addC("ycc-adobe", testimg.CodedJPEG{Width: 40, Height: 33, Head: adobe(1, "")}, false)
	// A quantization table redefined between the two scans of a CMYK
	// image: the second scan's components use the new one.
	b := testimg.BuildCoded(testimg.CodedJPEG{Width: 40, Height: 33, Sampling: cmyk, Head: adobe(0, "")})
	second := bytes.LastIndex(b, []byte{0xFF, SOS})
	q := append([]byte{1}, bytes.Repeat([]byte{7}, 64)...)
	redef := append(append(append([]byte{}, b[:second]...), seg(DQT, q)...), b[second:]...)
	s = append(s, containertest.Sample{Name: "dqt-redefined", Data: redef})
	return s
}

// hostileSamples plant the value in every class of hiding place the
// contract closes; each must be reported and removed.
func hostileSamples() []containertest.Sample {
	p := []byte(planted)
	jfif := []byte{'J', 'F', 'I', 'F', 0, 1, 2, 0, 0, 1, 0, 1, 0, 0}
	dqt := append([]byte{3}, bytes.Repeat(p, 4)[:64]...)
	counts := make([]byte, 16)
	counts[7] = byte(len(p))
	dht := append(append([]byte{0x13}, counts...), p...)
	thumb := append(append([]byte{}, jfif[:12]...), 2, 1)
	thumb = append(thumb, []byte("PSMK-J")...)
	c := func(name string, cj testimg.CodedJPEG) containertest.Sample {
		return containertest.Sample{Name: name, Data: testimg.BuildCoded(cj), Dirty: true}
	}
	return []containertest.Sample{
		c("after-last-mcu", testimg.CodedJPEG{Width: 64, Height: 48, AfterMCU: p}),
		c("after-last-mcu-progressive", testimg.CodedJPEG{Width: 64, Height: 48, Progressive: true, AfterMCU: p}),
		c("before-rst", testimg.CodedJPEG{Width: 64, Height: 48, Restart: 2, BeforeRST: p}),
		c("rst-after-last-mcu", testimg.CodedJPEG{Width: 64, Height: 48, Restart: 2, AfterMCU: []byte{0xFF, 0xD3}}),
		c("adobe-extra", testimg.CodedJPEG{Width: 40, Height: 32, Head: adobe(1, planted)}),
		c("adobe-gray", testimg.CodedJPEG{Width: 40, Height: 32, Sampling: [][2]int{{1, 1}}, Head: adobe(0, "")}),
		c("unreferenced-dqt", testimg.CodedJPEG{Width: 40, Height: 32, Head: seg(0xDB, dqt)}),
		c("unreferenced-dht", testimg.CodedJPEG{Width: 40, Height: 32, Head: seg(0xC4, dht)}),
		c("jfif-extra", testimg.CodedJPEG{Width: 40, Height: 32, Head: seg(0xE0, append(jfif, p...))}),
		c("jfif-thumbnail", testimg.CodedJPEG{Width: 40, Height: 32, Head: seg(0xE0, thumb)}),
		c("unknown-app-name", testimg.CodedJPEG{Width: 40, Height: 32, Head: seg(0xE9, append(append([]byte{}, p...), 0, 1, 2))}),
		c("com-xmp-gps", testimg.CodedJPEG{Width: 40, Height: 32, Head: seg(0xFE, append([]byte("note "), xmpWithGPS()...))}),
		c("app5-xmp-gps", testimg.CodedJPEG{Width: 40, Height: 32, Head: seg(0xE5, append([]byte("VENDOR\x00"), xmpWithGPS()...))}),
		c("fill-bytes", testimg.CodedJPEG{Width: 40, Height: 32, Head: []byte{0xFF, 0xFF, 0xFF}}),
		iccNameSample(),
		c("exif-orientation-padded", testimg.CodedJPEG{Width: 40, Height: 32, Head: seg(0xE1, append(minimalExif(6), p...))}),
	}
}

func TestContract(t *testing.T) {
	containertest.Run(t, Format, generatedSamples(t), options)
}

func TestContractHostile(t *testing.T) {
	samples := hostileSamples()
	containertest.Run(t, Format, samples, options)
	for _, s := range samples {
		f, err := Parse(s.Data)
		if err != nil {
			t.Errorf("%s: %v", s.Name, err)
			continue
		}
		in := container.Inspect(f, len(s.Data))
		js, _ := json.Marshal(in)
		if bytes.Contains(js, []byte("PSMK")) {
			t.Errorf("%s: the report echoes a planted value: %s", s.Name, js)
		}
		out, err := f.Rebuild(meta.DefaultKeep)
		if err != nil || bytes.Contains(out, []byte("PSMK")) {
			t.Errorf("%s: rebuild %v or the planted value survived", s.Name, err)
		}
		if strings.Contains(s.Name, "xmp-gps") && !hasWhere(in.Findings, meta.Location, "") {
			t.Errorf("%s: no location finding: %+v", s.Name, in.Findings)
		}
	}
}

// TestICCText checks that a name in an ICC profile's description is
// reported, and that the rebuild keeps a profile that carries none.
func TestICCText(t *testing.T) {
	b := iccNameSample().Data
	f, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if !hasWhere(f.Inspection().Findings, meta.Identity, "APP2 ICC_PROFILE") {
		t.Fatalf("ICC text not reported: %+v", f.Inspection().Findings)
	}
	out, err := f.Rebuild(meta.DefaultKeep)
	if err != nil {
		t.Fatal(err)
	}
	g, err := Parse(out)
	if err != nil || g.ICC() == nil || len(container.Inspect(g, len(out)).Findings) != 0 {
		t.Fatalf("rebuilt ICC: %v, %d bytes, findings %+v", err, len(g.ICC()), g.Inspection().Findings)
	}
}

// TestContractCorpus runs the suite over the corpus JPEGs: every real file
// must parse (or be an unsupported coding process) and rebuild+verify.
func TestContractCorpus(t *testing.T) {
	root := corpus.Dir(t)
	for _, dir := range []string{"real", "malformed"} {
		files, _ := filepath.Glob(filepath.Join(root, dir, "jpeg", "*"))
		if len(files) == 0 {
			t.Fatalf("corpus has no %s JPEG files", dir)
		}
		var failed []string
		for _, fn := range files {
			b, err := os.ReadFile(fn)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(fn)
			f, err := Parse(b)
			if err != nil {
				failed = append(failed, name+": "+err.Error())
				if dir == "real" && !errors.Is(err, container.ErrUnsupported) {
					t.Errorf("real file %s does not parse: %v", name, err)
				}
			} else if out := os.Getenv("JPEGSEG_REBUILT_DIR"); out != "" {
				// For the residual check: JPEGSEG_REBUILT_DIR=/tmp/x go test
				// -run Corpus, then shared/tools/residual.py /tmp/x.
				if r, err := f.Rebuild(meta.DefaultKeep); err == nil {
					_ = os.WriteFile(filepath.Join(out, dir+"-"+name), r, 0o644)
				}
			}
			t.Run(dir+"/"+name, func(t *testing.T) { containertest.Check(t, Format, containertest.Sample{Name: name, Data: b}, options) })
		}
		t.Logf("%s: %d files, %d do not parse", dir, len(files), len(failed))
		for _, f := range failed {
			t.Log("  " + f)
		}
	}
}

func FuzzContract(f *testing.F) {
	for _, s := range append(generatedSamples(f), hostileSamples()...) {
		if len(s.Data) < 1<<16 {
			f.Add(s.Data)
		}
	}
	for _, b := range testimg.HostileJPEGs() {
		if len(b) < 1<<16 {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<20 {
			return
		}
		if clean, grows := truncatedClean(b); clean {
			// A clean stream with no EOI: the rebuild adds the EOI (2
			// bytes), which the suite's "a clean file does not grow"
			// check refuses; check the rest here.
			if grows > 2 {
				t.Fatalf("rebuild of a clean truncated file grew by %d bytes", grows)
			}
			return
		}
		containertest.Check(t, Format, containertest.Sample{Data: b}, fuzzOptions)
	})
}

// truncatedClean reports whether b is a clean stream with no EOI that
// rebuilds and verifies, and how much its rebuild grew.
func truncatedClean(b []byte) (bool, int) {
	f, err := Parse(b)
	if err != nil {
		return false, 0
	}
	in := container.Inspect(f, len(b))
	if len(in.Findings) > 0 || len(in.Warnings) == 0 {
		return false, 0
	}
	out, err := f.Rebuild(meta.DefaultKeep)
	if err != nil {
		return false, 0
	}
	if _, err := container.Verify(Format, f, in, out, meta.DefaultKeep, true); err != nil {
		return false, 0
	}
	return true, len(out) - len(b)
}

// iccNameSample is a JPEG whose ICC profile (two chunks) names a person in
// its description and copyright.
func iccNameSample() containertest.Sample {
	prof := testimg.ICCProfileRGB(planted+" studio", "(c) "+planted)
	half := len(prof) / 2
	head := seg(APP2, append(append([]byte("ICC_PROFILE\x00"), 1, 2), prof[:half]...))
	head = append(head, seg(APP2, append(append([]byte("ICC_PROFILE\x00"), 2, 2), prof[half:]...))...)
	return containertest.Sample{Name: "icc-name-in-desc", Dirty: true,
		Data: testimg.BuildCoded(testimg.CodedJPEG{Width: 40, Height: 32, Head: head})}
}
