package pngchunk

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/container/containertest"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// exact is a finding this package classifies itself.
type exact struct {
	cat   meta.Category
	where string
	tags  []string
}

func TestInspectPerOption(t *testing.T) {
	exifOK, xmpOK, irbOK := exifReady(), xmpReady(), irbReady()
	t.Logf("classifiers ready: exif %v, xmp %v, irb %v", exifOK, xmpOK, irbOK)
	cases := []struct {
		name string
		o    testimg.PNGOptions
		want []exact
		// delegated: where prefix -> whether a Location finding must exist
		// (when the classifier is real).
		delegated map[string]bool
	}{
		{"plain", testimg.PNGOptions{}, nil, nil},
		{"eXIf", testimg.PNGOptions{EXIF: true}, nil, map[string]bool{"PNG eXIf": exifOK}},
		{"eXIf prefix", testimg.PNGOptions{EXIF: true, EXIFPrefix: true}, nil, map[string]bool{"PNG eXIf": exifOK}},
		{"XMP", testimg.PNGOptions{XMP: true}, nil, map[string]bool{"PNG iTXt XML:com.adobe.xmp": xmpOK}},
		{"text", testimg.PNGOptions{Text: true}, []exact{
			{meta.Identity, "PNG tEXt", []string{"Author"}},
			{meta.Comment, "PNG tEXt", []string{"Comment"}}}, nil},
		{"compressed text", testimg.PNGOptions{CompressedText: true}, []exact{
			{meta.Identity, "PNG zTXt", []string{"Copyright"}},
			{meta.Comment, "PNG iTXt", []string{"Description"}}}, nil},
		{"custom keyword", testimg.PNGOptions{CustomText: true}, []exact{
			{meta.Other, "PNG tEXt", []string{"custom keyword"}}}, nil},
		{"raw exif", testimg.PNGOptions{RawEXIF: true}, nil, map[string]bool{"PNG zTXt Raw profile type exif": exifOK}},
		{"raw iptc", testimg.PNGOptions{RawIPTC: true}, nil, map[string]bool{"PNG zTXt Raw profile type iptc": irbOK}},
		{"raw xmp", testimg.PNGOptions{RawXMP: true}, nil, map[string]bool{"PNG zTXt Raw profile type xmp": xmpOK}},
		{"raw 8bim", testimg.PNGOptions{Raw8BIM: true}, nil, map[string]bool{"PNG zTXt Raw profile type 8bim": irbOK}},
		{"IM properties", testimg.PNGOptions{IMGPS: true}, []exact{
			{meta.Location, "PNG tEXt", []string{"exif:GPSLatitude", "exif:GPSLongitude"}},
			{meta.Identity, "PNG tEXt", []string{"exif:Artist"}}}, nil},
		{"tIME", testimg.PNGOptions{Time: true}, []exact{{meta.Other, "PNG tIME", []string{"modification time"}}}, nil},
		{"private", testimg.PNGOptions{Private: true}, []exact{{meta.Other, "PNG unknown ancillary chunk",
			[]string{container.SizeTag(len(testimg.DefaultMarkers().AppText))}}}, nil},
		{"C2PA", testimg.PNGOptions{C2PA: true}, []exact{{meta.Identity, "PNG caBX", []string{"C2PA"}}}, nil},
		{"trailer", testimg.PNGOptions{Trailer: true}, []exact{{meta.Embedded, container.WhereUnaccounted,
			[]string{container.SizeTag(len(testimg.DefaultMarkers().Trailer))}}}, nil},
		{"ICC", testimg.PNGOptions{ICC: true}, nil, map[string]bool{"PNG iCCP": false}},
		{"APNG", testimg.PNGOptions{APNG: true}, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			insp, err := Inspect(testimg.PNG(tc.o))
			if err != nil {
				t.Fatal(err)
			}
			noLeak(t, insp, err)
			if insp.Width != 24 || insp.Height != 16 {
				t.Errorf("size %dx%d", insp.Width, insp.Height)
			}
			matched := make([]bool, len(insp.Findings))
			for _, w := range tc.want {
				found := false
				for i, f := range insp.Findings {
					if f.Category == w.cat && f.Where == w.where {
						found, matched[i] = true, true
						if !slices.Equal(f.Tags, w.tags) {
							t.Errorf("%s %s: tags %v, want %v", w.cat, w.where, f.Tags, w.tags)
						}
					}
				}
				if !found {
					t.Errorf("missing %s finding at %q; got %v", w.cat, w.where, insp.Findings)
				}
			}
			for prefix, wantLoc := range tc.delegated {
				any, loc := false, false
				for i, f := range insp.Findings {
					if strings.HasPrefix(f.Where, prefix) {
						any, matched[i] = true, true
						loc = loc || f.Category == meta.Location
					}
				}
				if !any || (wantLoc && !loc) {
					t.Errorf("%s: finding %v, location %v (want location %v); got %v", prefix, any, loc, wantLoc, insp.Findings)
				}
			}
			for i, f := range insp.Findings {
				if !matched[i] {
					t.Errorf("unexpected finding %v", f)
				}
			}
		})
	}
}

func TestStrip(t *testing.T) {
	all := testimg.AllPNG()
	anim := testimg.AllPNG()
	anim.APNG = true
	for name, o := range map[string]testimg.PNGOptions{"all": all, "apng": anim, "plain": {}} {
		for _, keep := range []meta.Keep{meta.DefaultKeep, {}} {
			in := testimg.PNG(o)
			out, err := Strip(in, keep)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			containertest.CheckStripped(t, stripper, in, out, keep)
			samePixels(t, in, out)
			hasICC := bytes.Contains(out, []byte("iCCP"))
			if hasICC != (keep.ICC && ICCChunk(in) != nil) {
				t.Errorf("%s keep %+v: iCCP present %v", name, keep, hasICC)
			}
			if o.APNG && !bytes.Contains(out, []byte("fdAT")) {
				t.Errorf("APNG frames lost")
			}
		}
	}
}

func TestOrientation(t *testing.T) {
	if !exifOrientationReady() || !exifReady() {
		t.Skip("exifmeta is still a placeholder")
	}
	for o := 1; o <= 8; o++ {
		in := testimg.PNG(testimg.PNGOptions{EXIF: true, Orientation: o})
		insp, err := Inspect(in)
		if err != nil || insp.Orientation != o {
			t.Fatalf("orientation %d: got %d (%v)", o, insp.Orientation, err)
		}
		out, err := Strip(in, meta.DefaultKeep)
		if err != nil {
			t.Fatal(err)
		}
		containertest.CheckStripped(t, stripper, in, out, meta.DefaultKeep)
		got, _ := Inspect(out)
		want := o
		if o == 1 {
			want = 0 // Orientation 1 is the default: no eXIf is written
		}
		if got.Orientation != want {
			t.Errorf("orientation %d: stripped file has %d", o, got.Orientation)
		}
		out2, _ := Strip(in, meta.Keep{ICC: true})
		if bytes.Contains(out2, []byte("eXIf")) {
			t.Errorf("eXIf kept without keep.Orientation")
		}
	}
}

func TestBadCRC(t *testing.T) {
	in := testimg.PNG(testimg.PNGOptions{Text: true})
	offs := chunkOffsets(t, in)
	f, _ := walk(in)
	for i, c := range f.chunks {
		bad := slices.Clone(in)
		bad[offs[i]+len(c.raw)-1] ^= 0xFF
		insp, err := Inspect(bad)
		out, serr := Strip(bad, meta.DefaultKeep)
		if c.critical() {
			var fe FormatError
			if !errors.As(err, &fe) || serr == nil || out != nil {
				t.Errorf("%s with bad CRC: inspect %v, strip %v", c.typ, err, serr)
			}
			continue
		}
		if err != nil || serr != nil {
			t.Fatalf("%s: %v %v", c.typ, err, serr)
		}
		if !containertest.HasFinding(insp.Findings, meta.Unparsed, "PNG "+c.typ, "bad CRC") {
			t.Errorf("%s: no bad-CRC finding: %v", c.typ, insp.Findings)
		}
		containertest.CheckStripped(t, stripper, bad, out, meta.DefaultKeep)
	}
}

func TestICCNameNotKept(t *testing.T) {
	if !iccReady() {
		t.Skip("icc is still a placeholder")
	}
	in := withChunk(testimg.PNGChunk("iCCP", slices.Concat([]byte(testimg.DefaultMarkers().Owner+"\x00\x00"), deflate(iccSample()))))
	if !bytes.Contains(in, []byte(testimg.DefaultMarkers().Owner)) {
		t.Fatal("generator did not plant the profile name")
	}
	out, err := Strip(in, meta.DefaultKeep)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte(testimg.DefaultMarkers().Owner)) || !bytes.Contains(out, []byte("iCCP"+iccName)) {
		t.Error("iCCP profile name was not replaced")
	}
}

func TestSameImageDetectsChanges(t *testing.T) {
	in := testimg.PNG(testimg.PNGOptions{APNG: true})
	f, _ := walk(in)
	for _, c := range f.chunks {
		if c.typ == "IEND" {
			continue
		}
		mod := slices.Clone(in)
		mod[c.off+8] ^= 1 // first data byte
		// Re-seal the CRC so the change is a content change, not damage.
		mod = slices.Concat(mod[:c.off], appendChunk(nil, c.typ, mod[c.off+8:c.off+8+len(c.data)]), mod[c.off+len(c.raw):])
		if err := SameImage(in, mod); err == nil {
			t.Errorf("SameImage missed a change in %s", c.typ)
		}
	}
	if err := SameImage(in, in); err != nil {
		t.Error(err)
	}
}

func TestSniffedPayloads(t *testing.T) {
	m := testimg.DefaultMarkers()
	ex := testimg.EXIF(testimg.EXIFOptions{GPS: true})
	xp := testimg.XMPPacket(testimg.XMPOptions{})
	cases := []struct {
		name  string
		chunk []byte
		where string // a Location finding must start with this
	}{
		{"Pillow tEXt exif", testimg.PNGChunk("tEXt", slices.Concat([]byte("exif\x00Exif\x00\x00"), ex)), "PNG tEXt exif"},
		{"XMP under a custom keyword", testimg.PNGChunk("tEXt", slices.Concat([]byte(m.Owner+"\x00"), xp)), "PNG tEXt custom keyword"},
		{"compressed hex exif under a custom keyword", testimg.PNGChunk("zTXt",
			slices.Concat([]byte("profile\x00\x00"), deflate(testimg.PNGRawProfile("exif", ex)))), "PNG zTXt custom keyword"},
	}
	for _, tc := range cases {
		insp, err := Inspect(withChunk(tc.chunk))
		if err != nil {
			t.Fatal(err)
		}
		noLeak(t, insp, err)
		loc := false
		for _, f := range insp.Findings {
			loc = loc || f.Category == meta.Location && strings.HasPrefix(f.Where, tc.where)
		}
		if !loc && exifReady() && xmpReady() {
			t.Errorf("%s: no location finding under %q: %v", tc.name, tc.where, insp.Findings)
		}
	}
	insp, _ := Inspect(withChunk(testimg.PNGChunk("tEXt", []byte("Make\x00"+m.Make))))
	if !containertest.HasFinding(insp.Findings, meta.Identity, "PNG tEXt", "Make") {
		t.Errorf("Make keyword: %v", insp.Findings)
	}
}
