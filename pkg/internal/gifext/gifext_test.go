package gifext

import (
	"bytes"
	"errors"
	"image/gif"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/container/containertest"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

func TestInspectPerOption(t *testing.T) {
	xmpOK := xmpReady()
	type exact struct {
		cat        meta.Category
		where, tag string
	}
	cases := []struct {
		name string
		o    testimg.GIFOptions
		want []exact
	}{
		{"plain", testimg.GIFOptions{}, nil},
		{"two frames looping", testimg.GIFOptions{Frames: 2, Loop: true}, nil},
		{"comment", testimg.GIFOptions{Comment: true}, []exact{{meta.Comment, "GIF comment extension", "Comment"}}},
		{"plain text", testimg.GIFOptions{PlainText: true}, []exact{{meta.Comment, "GIF plain text extension", "PlainText"}}},
		{"unknown app", testimg.GIFOptions{UnknownApp: true}, []exact{{meta.Other, "GIF unknown application extension",
			container.SizeTag(16 + len(testimg.DefaultMarkers().AppText))}}},
		{"trailer", testimg.GIFOptions{Trailer: true}, []exact{{meta.Embedded, container.WhereUnaccounted,
			container.SizeTag(len(testimg.DefaultMarkers().Trailer))}}},
		{"XMP", testimg.GIFOptions{XMP: true}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			insp, err := Inspect(testimg.GIF(tc.o))
			if err != nil {
				t.Fatal(err)
			}
			containertest.NoLeak(t, insp, err)
			if insp.Width != 20 || insp.Height != 12 {
				t.Errorf("size %dx%d", insp.Width, insp.Height)
			}
			if tc.o.XMP {
				loc := false
				for _, f := range insp.Findings {
					if f.Where != "GIF XMP application extension" || f.Category == meta.Unparsed && xmpOK {
						t.Errorf("unexpected finding %v", f)
					}
					loc = loc || f.Category == meta.Location
				}
				if len(insp.Findings) == 0 || xmpOK && !loc {
					t.Errorf("XMP GPS not reported: %v", insp.Findings)
				}
				return
			}
			if len(insp.Findings) != len(tc.want) {
				t.Errorf("findings %v, want %v", insp.Findings, tc.want)
			}
			for _, w := range tc.want {
				if !containertest.HasFinding(insp.Findings, w.cat, w.where, w.tag) {
					t.Errorf("missing %v in %v", w, insp.Findings)
				}
			}
		})
	}
}

func TestStrip(t *testing.T) {
	for name, o := range map[string]testimg.GIFOptions{"all": testimg.AllGIF(), "plain": {},
		"one frame": {Comment: true, XMP: true, Trailer: true}} {
		for _, keep := range []meta.Keep{meta.DefaultKeep, {}} {
			in := testimg.GIF(o)
			out, err := Strip(in, keep)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			containertest.CheckStripped(t, stripper, in, out, keep)
			samePixels(t, in, out)
			f, _ := parse(in)
			if has := bytes.Contains(out, []byte("ICCRGBG1012")); has != (f.ICC() != nil && keep.ICC) {
				t.Errorf("%s keep %+v: ICC present %v", name, keep, has)
			}
		}
	}
}

func TestXMPMagicTrailer(t *testing.T) {
	in := testimg.GIF(testimg.GIFOptions{XMP: true})
	f, err := walk(in)
	if err != nil {
		t.Fatal(err)
	}
	packet := testimg.XMPPacket(testimg.XMPOptions{})
	found := false
	for _, b := range f.blocks {
		if b.appID() == xmpAppID {
			found = true
			if !b.xmpMagic || !bytes.Equal(b.xmp, packet) {
				t.Errorf("XMP packet not reassembled (magic %v, %d bytes, want %d)", b.xmpMagic, len(b.xmp), len(packet))
			}
		}
	}
	if !found {
		t.Fatal("no XMP block")
	}
	// Without the magic trailer the packet is still classified and the
	// oddity is reported.
	i := bytes.Index(in, []byte("XMP DataXMP")) + 11
	broken := slices.Concat(in[:i], testimg.GIFSubBlocks(packet), in[i+len(packet)+258:])
	insp, err := Inspect(broken)
	if err != nil || !containertest.HasFinding(insp.Findings, meta.Unparsed, "GIF XMP application extension", "no magic trailer") {
		t.Errorf("%v %v", err, insp.Findings)
	}
}

func TestNonCanonicalExtensions(t *testing.T) {
	base := testimg.GIF(testimg.GIFOptions{})
	head := 13 + 12 // header, LSD, 4-colour global table
	m := testimg.DefaultMarkers()
	loopPlus := testimg.GIFAppExtension("NETSCAPE", "2.0", nil)
	loopPlus = slices.Concat(loopPlus[:len(loopPlus)-1], []byte{3, 1, 5, 0}, testimg.GIFSubBlocks([]byte(m.AppText)))
	gcePlus := slices.Concat([]byte{0x21, 0xF9, 4, 0, 10, 0, 0}, testimg.GIFSubBlocks([]byte(m.AppText)))
	for name, c := range map[string]struct {
		ext   []byte
		where string
	}{
		"loop with extra data": {loopPlus, container.WhereUnaccounted},
		"GCE with extra data":  {gcePlus, container.WhereUnaccounted},
		"GCE size 5":           {[]byte{0x21, 0xF9, 5, 0, 0, 0, 0, 0, 0}, "GIF graphic control extension"},
		"unknown label":        {slices.Concat([]byte{0x21, 0x77}, testimg.GIFSubBlocks([]byte(m.AppText))), "GIF unknown extension"},
		"MGK8BIM":              {testimg.GIFAppExtension("MGK8BIM0", "000", testimg.PhotoshopIRB(testimg.IPTC(m), nil)), "GIF ImageMagick 8BIM profile"},
		"MGKIPTC":              {testimg.GIFAppExtension("MGKIPTC0", "000", testimg.IPTC(m)), "GIF ImageMagick IPTC profile"},
		"short app id":         {slices.Concat([]byte{0x21, 0xFF, 3, 'a', 'b', 'c'}, testimg.GIFSubBlocks([]byte(m.AppText))), "GIF unknown application extension"},
		"bad ICC":              {testimg.GIFAppExtension("ICCRGBG1", "012", []byte(m.AppText)), "GIF ICC profile"},
	} {
		in := slices.Concat(base[:head], c.ext, base[head:])
		insp, err := Inspect(in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		containertest.NoLeak(t, insp, err)
		found := false
		for _, f := range insp.Findings {
			found = found || strings.HasPrefix(f.Where, c.where)
		}
		if !found {
			t.Errorf("%s: no finding at %q: %v", name, c.where, insp.Findings)
		}
		out, err := Strip(in, meta.DefaultKeep)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		containertest.CheckStripped(t, stripper, in, out, meta.DefaultKeep)
		if _, err := gif.DecodeAll(bytes.NewReader(in)); err == nil {
			samePixels(t, in, out)
		} else if _, err := gif.DecodeAll(bytes.NewReader(out)); err != nil {
			t.Errorf("%s: stripped output does not decode: %v", name, err)
		}
	}
}

func TestHostile(t *testing.T) {
	in := testimg.GIF(testimg.AllGIF())
	end := bytes.LastIndexByte(in[:len(in)-len(testimg.DefaultMarkers().Trailer)], 0x3B) + 1
	for n := 0; n < end; n++ {
		insp, err := Inspect(in[:n])
		var fe FormatError
		if !errors.As(err, &fe) || !containertest.HasFinding(insp.Findings, meta.Unparsed, "GIF", "") {
			t.Fatalf("prefix %d: %v", n, err)
		}
		if out, err := Strip(in[:n], meta.DefaultKeep); err == nil || out != nil {
			t.Fatalf("prefix %d: Strip returned output", n)
		}
	}
	plain := testimg.GIF(testimg.GIFOptions{})
	for name, data := range map[string][]byte{
		"bad signature":      append([]byte("GIF88a"), plain[6:]...),
		"unknown introducer": slices.Concat(plain[:25], []byte{0x99}, plain[25:]),
		"huge GCT": func() []byte {
			p := slices.Clone(plain[:14])
			p[10] |= 0x87
			return p
		}(),
	} {
		_, err := Inspect(data)
		var fe FormatError
		if !errors.As(err, &fe) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Sub-block walking is linear: 4 MiB of one-byte sub-blocks.
	many := slices.Concat(plain[:25], []byte{0x21, 0xFE}, bytes.Repeat([]byte{1, 'x'}, 2<<20), []byte{0}, plain[25:])
	if insp, err := Inspect(many); err != nil || !containertest.HasFinding(insp.Findings, meta.Comment, "GIF comment extension", "") {
		t.Errorf("%v", err)
	}
}

func TestSameImageDetectsChanges(t *testing.T) {
	in := testimg.GIF(testimg.GIFOptions{Frames: 2, Loop: true})
	f, _ := walk(in)
	last := f.blocks[len(f.blocks)-1]
	mod := slices.Clone(in)
	mod[len(in)-len(last.raw)+len(last.raw)-3] ^= 1 // last LZW data byte
	if err := SameImage(in, mod); err == nil {
		t.Error("changed LZW data not detected")
	}
	var dropped []byte
	dropped = append(dropped, in[:len(in)-1-len(last.raw)]...)
	dropped = append(dropped, 0x3B)
	if err := SameImage(in, dropped); err == nil {
		t.Error("dropped frame not detected")
	}
	if err := SameImage(in, in); err != nil {
		t.Error(err)
	}
}

func TestExifToolOracle(t *testing.T) {
	bin, err := exec.LookPath("exiftool")
	if err != nil {
		t.Skip("exiftool not installed")
	}
	run := func(data []byte) string {
		p := filepath.Join(t.TempDir(), "x.gif")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "-a", "-G1", "-s", p).Output()
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	in := testimg.GIF(testimg.AllGIF())
	if before := run(in); !strings.Contains(before, "GPSLatitude") || !strings.Contains(before, "Comment") {
		t.Errorf("oracle does not see the planted metadata:\n%s", before)
	}
	out, err := Strip(in, meta.DefaultKeep)
	if err != nil {
		t.Fatal(err)
	}
	after := run(out)
	bad := regexp.MustCompile(`(?i)^\[(XMP-[^\]]*|IPTC|GPS|Photoshop)\]|GPS|Comment|Author|Artist|Creator|Warning`)
	for _, line := range strings.Split(after, "\n") {
		if !strings.HasPrefix(line, "[System]") && !strings.HasPrefix(line, "[ICC") && bad.MatchString(line) {
			t.Errorf("exiftool still reports: %s", line)
		}
	}
	for _, s := range testimg.DefaultMarkers().Strings() {
		if strings.Contains(after, s) {
			t.Errorf("marker %q in exiftool output", s)
		}
	}
}
