package icc

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

const planted = "Jane Q. Private"

// checkRebuild checks the rebuild contract on a parsed profile: the
// rebuild parses, reports clean with no finding, is a fixed point, keeps
// every colorimetric element and holds none of the forbidden strings.
func checkRebuild(t testing.TB, p *Profile, forbidden ...string) []byte {
	t.Helper()
	r := p.Rebuild()
	if len(r)%4 != 0 || int(binary.BigEndian.Uint32(r)) != len(r) {
		t.Fatalf("rebuild size field %d, length %d", binary.BigEndian.Uint32(r), len(r))
	}
	q, err := Parse(r)
	if err != nil {
		t.Fatalf("rebuild does not parse: %v", err)
	}
	var s meta.Set
	if !q.Report("APP2", &s) || s.Len() != 0 {
		t.Fatalf("rebuild not clean: %+v", s.List())
	}
	if !bytes.Equal(q.Rebuild(), r) {
		t.Fatal("rebuild is not a fixed point")
	}
	if len(q.kept) != len(p.kept) {
		t.Fatalf("rebuild kept %d colorimetric tags, want %d", len(q.kept), len(p.kept))
	}
	for _, k := range p.kept {
		found := false
		for _, k2 := range q.kept {
			if k2.sig == k.sig {
				found = bytes.Equal(k.elem, k2.elem)
			}
		}
		if !found {
			t.Errorf("colorimetric tag %x changed or lost", k.sig)
		}
	}
	for _, f := range forbidden {
		if bytes.Contains(r, []byte(f)) || bytes.Contains(r, utf16be(f)) {
			t.Errorf("rebuild still holds %q", f)
		}
	}
	return r
}

func utf16be(s string) []byte {
	var b []byte
	for _, c := range s {
		b = binary.BigEndian.AppendUint16(b, uint16(c))
	}
	return b
}

func TestStandardProfiles(t *testing.T) {
	wantClean := map[string]bool{"sRGB v2": false, "Display P3 v4": true, "gray v2": true, "LUT v4": true, "CMYK v2": true}
	for name, mk := range standard {
		t.Run(name, func(t *testing.T) {
			data := mk().bytes()
			p, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			var s meta.Set
			clean := p.Report("APP2", &s)
			if clean != wantClean[name] || clean != (s.Len() == 0) {
				t.Errorf("clean %v, findings %+v", clean, s.List())
			}
			for _, f := range s.List() {
				if f.Category != meta.Other {
					t.Errorf("finding %+v, want only other", f)
				}
			}
			r := checkRebuild(t, p)
			if len(r) > len(data)+64 {
				t.Errorf("rebuild grew from %d to %d bytes", len(data), len(r))
			}
			if _, err := exec.LookPath("transicc"); err == nil {
				dir := t.TempDir()
				if !sameColour(t, name, data, r, filepath.Join(dir, "p")) {
					t.Error("Little CMS cannot use the sample profile")
				}
				_ = os.WriteFile(filepath.Join(dir, "rebuilt.icc"), r, 0o600)
				exiftoolReads(t, dir)
			}
		})
	}
}

func TestRebuildNames(t *testing.T) {
	p, _ := Parse(srgbV2().bytes())
	r := p.Rebuild()
	if !bytes.Contains(r, []byte("sRGB IEC61966-2.1\x00")) || !bytes.Contains(r, []byte(NeutralCopyright)) {
		t.Error("rebuild of a standard sRGB profile lost its standard name or has no neutral copyright")
	}
	if bytes.Contains(r, []byte("Hewlett")) || bytes.Contains(r, []byte("lcms")) || bytes.Contains(r, []byte("HP  ")) {
		t.Error("rebuild keeps copyright or header vendor fields")
	}
	// v4: mluc, and the profile ID is the MD5.
	p, _ = Parse(p3V4().bytes())
	r = p.Rebuild()
	if string(r[132+4:136+4]) == "" || !idOK(r) || bytes.Equal(r[84:100], make([]byte, 16)) {
		t.Error("v4 rebuild has no valid profile ID")
	}
	if !bytes.Contains(r, utf16be("Display P3")) || !bytes.Contains(r, []byte("mluc")) {
		t.Error("v4 rebuild lost its name or is not mluc")
	}
	// an unknown description becomes the neutral one.
	b := p3V4()
	b.tags[0].data = mlucEl("My monitor")
	p, _ = Parse(b.bytes())
	if !bytes.Contains(p.Rebuild(), utf16be(NeutralDescription)) {
		t.Error("unknown description not replaced by the neutral one")
	}
}

// hostile builds profiles that plant a name somewhere; each must be
// reported (not clean), and the name must be absent from the rebuild.
func TestHostile(t *testing.T) {
	set := func(b bprof, sig string, data []byte) bprof {
		for i := range b.tags {
			if b.tags[i].sig == sig {
				b.tags[i].data = data
				return b
			}
		}
		b.tags = append(b.tags, btag{sig: sig, data: data})
		return b
	}
	edit := func(b bprof, f func([]byte) []byte) func() []byte {
		return func() []byte { return f(b.bytes()) }
	}
	tagOff := func(d []byte, sig string) (int, int) {
		n := int(binary.BigEndian.Uint32(d[128:]))
		for i := range n {
			e := d[132+12*i:]
			if string(e[:4]) == sig {
				return int(binary.BigEndian.Uint32(e[4:])), int(binary.BigEndian.Uint32(e[8:]))
			}
		}
		panic("no tag " + sig)
	}
	withSize := func(d []byte) []byte {
		binary.BigEndian.PutUint32(d, uint32(len(d)))
		return d
	}
	cases := []struct {
		name string
		data func() []byte
		cat  meta.Category
	}{
		{"desc v2", set(grayV2(), "desc", descEl(planted)).bytes, meta.Identity},
		{"desc v4", set(p3V4(), "desc", mlucEl(planted)).bytes, meta.Identity},
		{"desc second mluc record", set(p3V4(), "desc", mlucEl("Display P3", planted)).bytes, meta.Identity},
		{"cprt", set(grayV2(), "cprt", textEl("Copyright "+planted)).bytes, meta.Identity},
		{"dmnd", set(grayV2(), "dmnd", descEl(planted)).bytes, meta.Identity},
		{"dmdd", set(grayV2(), "dmdd", textEl(planted)).bytes, meta.Identity},
		{"meta dict", set(grayV2(), "meta", elem("dict", be32(1), be32(16), []byte(planted))).bytes, meta.Identity},
		{"private text tag", set(grayV2(), "zzzz", textEl(planted)).bytes, meta.Identity},
		{"private binary tag", set(grayV2(), "zzzz", elem("zzzz", []byte(planted))).bytes, meta.Other},
		{"text after NUL in cprt", set(grayV2(), "cprt", append(textEl("Public Domain"), planted...)).bytes, meta.Embedded},
		{"desc unicode part", set(grayV2(), "desc", func() []byte {
			b := elem("desc", be32(3), []byte("c2\x00"), be32(0), be32(uint32(len(planted)+1)), utf16be(planted), []byte{0, 0})
			return append(b, make([]byte, 70)...)
		}()).bytes, meta.Identity},
		{"desc scriptcode slack", set(grayV2(), "desc", func() []byte {
			b := elem("desc", be32(3), []byte("c2\x00"), be32(0), be32(0), []byte{0, 0, 0}, []byte(planted))
			return append(b, make([]byte, 67-len(planted))...)
		}()).bytes, meta.Embedded},
		{"extra bytes in kept curve", func() []byte {
			b := grayV2()
			b.tags[3].extra = []byte(planted)
			return b.bytes()
		}, meta.Embedded},
		{"reserved field of XYZ", edit(grayV2(), func(d []byte) []byte {
			o, _ := tagOff(d, "wtpt")
			copy(d[o+4:], "Jane")
			return d
		}), meta.Embedded},
		{"slack between tags", func() []byte {
			b := grayV2()
			b.gap = []byte(planted)
			return b.bytes()
		}, meta.Embedded},
		{"trailing bytes after declared size", func() []byte {
			return append(grayV2().bytes(), planted...)
		}, meta.Embedded},
		{"header reserved bytes", edit(grayV2(), func(d []byte) []byte {
			copy(d[100:], planted)
			return d
		}), meta.Embedded},
		{"profile ID not an MD5", edit(p3V4(), func(d []byte) []byte {
			copy(d[84:], planted)
			return d
		}), meta.Embedded},
		{"illuminant not D50", edit(grayV2(), func(d []byte) []byte {
			copy(d[68:], "Jane Q. Priv")
			return d
		}), meta.Embedded},
		{"overlapping tags", edit(set(grayV2(), "zzzz", elem("zzzz", be32(0))), func(d []byte) []byte {
			// point the private tag into the middle of the desc data.
			o, _ := tagOff(d, "desc")
			n := int(binary.BigEndian.Uint32(d[128:]))
			binary.BigEndian.PutUint32(d[132+12*(n-1)+4:], uint32(o+4))
			return d
		}), meta.Other},
		{"unused tail of lut", func() []byte {
			b := lutV4()
			b.tags[3].extra = append([]byte{0, 0, 0, 0}, planted...)
			return b.bytes()
		}, meta.Embedded},
		{"text in unknown type of desc", set(grayV2(), "desc", elem("utf8", []byte(planted))).bytes, meta.Identity},
		{"wrong type of kept tag", edit(set(grayV2(), "bkpt", textEl(planted)), withSize), meta.Other},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := c.data()
			p, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			var s meta.Set
			if p.Report("APP2", &s) {
				t.Fatal("reported clean")
			}
			if !s.Has(c.cat) {
				t.Errorf("no %s finding in %+v", c.cat, s.List())
			}
			for _, f := range s.List() {
				if strings.Contains(f.Where, "Jane") || strings.Contains(strings.Join(f.Tags, " "), "Jane") {
					t.Errorf("finding echoes the planted value: %+v", f)
				}
				if f.Category == meta.Embedded && !strings.Contains(f.Where, "unaccounted bytes") {
					t.Errorf("embedded finding %+v", f)
				}
			}
			checkRebuild(t, p, planted, "Jane", "Priv")
		})
	}
}

func TestParseErrors(t *testing.T) {
	good := grayV2().bytes()
	mod := func(f func(d []byte) []byte) []byte { return f(bytes.Clone(good)) }
	cases := map[string][]byte{
		"empty":     nil,
		"not ICC":   []byte(strings.Repeat("<x:xmpmeta> "+planted, 20)),
		"truncated": good[:len(good)-8],
		"size field too large": mod(func(d []byte) []byte {
			binary.BigEndian.PutUint32(d, uint32(len(d)+4))
			return d
		}),
		"no signature":     mod(func(d []byte) []byte { copy(d[36:], "xxxx"); return d }),
		"device link":      mod(func(d []byte) []byte { copy(d[12:], "link"); return d }),
		"unknown space":    mod(func(d []byte) []byte { copy(d[16:], "JANE"); return d }),
		"bad PCS":          mod(func(d []byte) []byte { copy(d[20:], "RGB "); return d }),
		"huge tag count":   mod(func(d []byte) []byte { binary.BigEndian.PutUint32(d[128:], 1<<30); return d }),
		"tag beyond end":   mod(func(d []byte) []byte { binary.BigEndian.PutUint32(d[132+4:], uint32(len(d)-4)); return d }),
		"tag in table":     mod(func(d []byte) []byte { binary.BigEndian.PutUint32(d[132+4:], 128); return d }),
		"duplicate tag":    mod(func(d []byte) []byte { copy(d[132+12:], d[132:136]); return d }),
		"no TRC":           mod(func(d []byte) []byte { copy(d[132+12*3:], "zzzz"); return d }),
		"bad TRC type":     mod(func(d []byte) []byte { o := binary.BigEndian.Uint32(d[132+12*3+4:]); copy(d[o:], "XYZ "); return d }),
		"version 1":        mod(func(d []byte) []byte { d[8] = 1; return d }),
		"rendering intent": mod(func(d []byte) []byte { d[67] = 9; return d }),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			p, err := Parse(data)
			var fe FormatError
			if err == nil || p != nil || !errors.As(err, &fe) {
				t.Fatalf("Parse = %v, %v; want a FormatError", p, err)
			}
			if strings.Contains(err.Error(), "Jane") || strings.Contains(err.Error(), "JANE") {
				t.Errorf("error echoes a value: %v", err)
			}
		})
	}
}

func TestReportWhere(t *testing.T) {
	b := grayV2()
	b.tags[0].data = descEl(planted)
	b.gap = []byte("x")
	p, err := Parse(b.bytes())
	if err != nil {
		t.Fatal(err)
	}
	var s meta.Set
	p.Report("PNG iCCP", &s)
	got := s.List()
	if len(got) != 2 || got[0].Where != "PNG iCCP ICC profile" || got[0].Tags[0] != "ICC description" ||
		got[1].Where != "PNG iCCP ICC profile unaccounted bytes" {
		t.Errorf("findings %+v", got)
	}
}

func TestOverlaps(t *testing.T) {
	cases := []struct {
		tags []tagEntry
		want bool
	}{
		{[]tagEntry{{1, 200, 20}, {2, 220, 20}}, false},
		{[]tagEntry{{1, 200, 20}, {2, 200, 20}, {3, 220, 8}}, false}, // shared
		{[]tagEntry{{1, 200, 20}, {2, 210, 20}}, true},
		{[]tagEntry{{1, 200, 40}, {2, 210, 8}}, true},
		{[]tagEntry{{1, 200, 20}, {2, 200, 24}}, true},
	}
	for i, c := range cases {
		if got := overlaps(c.tags); got != c.want {
			t.Errorf("case %d: overlaps %v, want %v", i, got, c.want)
		}
	}
	// A profile whose two tags overlap is reported even when each tag on
	// its own is clean.
	d := grayV2().bytes()
	n := int(binary.BigEndian.Uint32(d[128:]))
	for i := range n {
		e := d[132+12*i:]
		if string(e[:4]) == "cprt" {
			binary.BigEndian.PutUint32(e[8:], binary.BigEndian.Uint32(e[8:])+8) // into wtpt
		}
	}
	p, err := Parse(d)
	if err != nil {
		t.Fatal(err)
	}
	var s meta.Set
	if p.Report("APP2", &s) || len(s.List()) != 1 || s.List()[0].Tags[0] != TagOverlap {
		t.Errorf("findings %+v", s.List())
	}
}

func TestConcurrentUse(t *testing.T) {
	p, err := Parse(srgbV2().bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := bytes.Clone(p.Rebuild())
	done := make(chan []byte)
	for range 8 {
		go func() {
			var s meta.Set
			p.Report("APP2", &s)
			done <- p.Rebuild()
		}()
	}
	for range 8 {
		if got := <-done; !bytes.Equal(got, want) {
			t.Error("Rebuild differs between calls")
		}
	}
}
