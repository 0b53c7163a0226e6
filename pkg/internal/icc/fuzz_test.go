package icc

import (
	"bytes"
	"math/rand"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// checkAny is what must hold for any input: Parse does not panic; when it
// succeeds, Report says clean exactly when it records nothing, and the
// rebuild parses, is clean and is a fixed point.
func checkAny(t testing.TB, data []byte) {
	p, err := Parse(data)
	if err != nil {
		if p != nil {
			t.Fatal("profile with error")
		}
		return
	}
	var s meta.Set
	if clean := p.Report("APP2", &s); clean != (s.Len() == 0) {
		t.Fatalf("clean %v with %d findings", clean, s.Len())
	}
	r := p.Rebuild()
	q, err := Parse(r)
	if err != nil {
		t.Fatalf("rebuild does not parse: %v", err)
	}
	var s2 meta.Set
	if !q.Report("APP2", &s2) {
		t.Fatalf("rebuild not clean: %+v", s2.List())
	}
	if !bytes.Equal(q.Rebuild(), r) {
		t.Fatal("rebuild not a fixed point")
	}
}

func seeds() [][]byte {
	var out [][]byte
	for _, name := range []string{"sRGB v2", "Display P3 v4", "gray v2", "LUT v4", "CMYK v2"} {
		out = append(out, standard[name]().bytes())
	}
	b := grayV2()
	b.tags[0].data = descEl(planted)
	b.gap = []byte(planted)
	return append(out, b.bytes(), append(p3V4().bytes(), planted...), []byte("not a profile"))
}

// FuzzParse: see checkAny.
func FuzzParse(f *testing.F) {
	for _, s := range seeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkAny(t, data) })
}

// TestMutations runs checkAny over seeded random byte mutations of the
// sample profiles (a cheap, deterministic stand-in for a fuzz run).
func TestMutations(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	ss := seeds()
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for range n {
		d := bytes.Clone(ss[r.Intn(len(ss))])
		for k := r.Intn(8) + 1; k > 0; k-- {
			d[r.Intn(len(d))] = byte(r.Intn(256))
		}
		checkAny(t, d)
	}
}

// BenchmarkProfile: Parse + Report + Rebuild of a typical sRGB profile
// (v2, 1024-entry curves, device descriptions: about 3 KB).
func BenchmarkProfile(b *testing.B) {
	data := srgbV2().bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := Parse(data)
		if err != nil {
			b.Fatal(err)
		}
		var s meta.Set
		p.Report("APP2", &s)
		_ = p.Rebuild()
	}
}

// BenchmarkParse: Parse + Report of a stored profile that is clean (what
// inspection pays for every image with a profile).
func BenchmarkParse(b *testing.B) {
	data := p3V4().bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := Parse(data)
		if err != nil {
			b.Fatal(err)
		}
		var s meta.Set
		p.Report("APP2", &s)
	}
}
