package tifffile_test

import (
	"bytes"
	"errors"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/container/containertest"
	"github.com/photoscrub/photoscrub/pkg/internal/corpus"
	"github.com/photoscrub/photoscrub/pkg/internal/tifffile"
	"github.com/photoscrub/photoscrub/pkg/internal/tiffifd"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
	xtiff "golang.org/x/image/tiff"
)

var suiteOptions = containertest.Options{Decode: func(b []byte) (image.Image, error) {
	return xtiff.Decode(bytes.NewReader(b))
}}

// cleanSpecs are layouts and compressions that must inspect clean and
// rebuild to themselves.
func cleanSpecs() map[string]testimg.TIFFSpec {
	return map[string]testimg.TIFFSpec{
		"none":              {},
		"none-be":           {BigEndian: true},
		"lzw":               {Compression: 5},
		"lzw-big-image":     {Compression: 5, Width: 300, Height: 200, RowsPerStrip: 64},
		"deflate":           {Compression: 8},
		"packbits":          {Compression: 32773},
		"tiles-none":        {Tiled: true, Width: 40, Height: 20},
		"tiles-lzw":         {Tiled: true, Compression: 5, Width: 40, Height: 20},
		"tiles-deflate-be":  {Tiled: true, Compression: 8, BigEndian: true, Width: 33, Height: 17},
		"planar":            {Planar: true},
		"planar-packbits":   {Planar: true, Compression: 32773},
		"gray16":            {Gray: true, Bits16: true},
		"multi-page":        {Pages: 3, Compression: 5},
		"odd-strips-padded": {Width: 5, Height: 3, RowsPerStrip: 1, Gray: true},
		"orientation":       {Orientation: 6},
		"jpeg":              {Compression: 7, Width: 32, Height: 16, RowsPerStrip: 16},
		"jpeg-tiles":        {Compression: 7, Tiled: true, Width: 32, Height: 32},
		"bigtiff":           {BigTIFF: true},
		"bigtiff-deflate":   {BigTIFF: true, Compression: 8, BigEndian: true, Pages: 2},
		"bigtiff-tiles-lzw": {BigTIFF: true, Compression: 5, Tiled: true, Width: 20, Height: 40},
	}
}

// hostileSpecs each plant a value where only a byte-level proof finds it.
func hostileSpecs() map[string]testimg.TIFFSpec {
	m := testimg.DefaultMarkers()
	name := []byte(m.Artist)
	return map[string]testimg.TIFFSpec{
		"name in unreferenced gap":           {Gap: name},
		"name after LZW EOI":                 {Compression: 5, StripTrailer: name},
		"name after zlib end":                {Compression: 8, StripTrailer: name},
		"name after PackBits runs":           {Compression: 32773, StripTrailer: name},
		"name after JPEG EOI":                {Compression: 7, Width: 32, Height: 16, RowsPerStrip: 16, StripTrailer: name},
		"name in inflated StripByteCounts":   {StripTrailer: name},
		"byte in alignment padding":          {Width: 5, Height: 3, RowsPerStrip: 1, Gray: true, PadByte: 'N'},
		"XResolution as ASCII":               {XResASCII: name},
		"BitsPerSample as LONG":              {BitsAsLong: true},
		"IPTC City in 33723":                 {IPTC: testimg.TIFFIIM(m)},
		"Photoshop IPTC in 33723":            {IPTC: testimg.TIFFIRB(testimg.TIFFIIM(m))},
		"APP13-style IPTC in 33723":          {IPTC: append([]byte("Photoshop 3.0\x00"), testimg.TIFFIRB(testimg.TIFFIIM(m))...)},
		"GPS in XMP":                         {XMP: testimg.TIFFXMP(m)},
		"orientation only in XMP":            {XMP: []byte(xmpOrientation)},
		"name in BigTIFF gap":                {BigTIFF: true, Gap: name},
		"ICC profile (dropped until parsed)": {ICC: true},
	}
}

func samples() []containertest.Sample {
	var out []containertest.Sample
	for name, s := range cleanSpecs() {
		out = append(out, containertest.Sample{Name: name, Data: testimg.ContractTIFF(s)})
	}
	for name, s := range hostileSpecs() {
		dirty := !(name == "ICC profile (dropped until parsed)" && iccReady())
		out = append(out, containertest.Sample{Name: name, Data: testimg.ContractTIFF(s), Dirty: dirty})
	}
	for name, o := range variants() {
		out = append(out, containertest.Sample{Name: "testimg " + name, Data: testimg.TIFF(o), Dirty: true})
	}
	out = append(out, containertest.Sample{Name: "testimg plain", Data: testimg.TIFF(testimg.TIFFOptions{})})
	return out
}

func TestContract(t *testing.T) {
	containertest.Run(t, tifffile.Format, samples(), suiteOptions)
}

// TestContractClean checks that the clean layouts inspect clean and that
// their rebuild keeps them byte for byte where the layout is the writer's.
func TestContractClean(t *testing.T) {
	for name, s := range cleanSpecs() {
		data := testimg.ContractTIFF(s)
		in, err := tifffile.Inspect(data)
		if err != nil || len(in.Findings) != 0 {
			t.Errorf("%s: err %v, findings %+v", name, err, in.Findings)
		}
	}
}

// TestContractHostile checks where each planted value is reported and
// that it does not survive the rebuild.
func TestContractHostile(t *testing.T) {
	m := testimg.DefaultMarkers()
	want := map[string]meta.Category{
		"name in unreferenced gap":         meta.Embedded,
		"name after LZW EOI":               meta.Embedded,
		"name after zlib end":              meta.Embedded,
		"name after PackBits runs":         meta.Embedded,
		"name after JPEG EOI":              meta.Embedded,
		"name in inflated StripByteCounts": meta.Embedded,
		"byte in alignment padding":        meta.Embedded,
		"XResolution as ASCII":             meta.Other,
		"BitsPerSample as LONG":            meta.Other,
		"IPTC City in 33723":               meta.Location,
		"Photoshop IPTC in 33723":          meta.Location,
		"APP13-style IPTC in 33723":        meta.Location,
		"GPS in XMP":                       meta.Location,
		"name in BigTIFF gap":              meta.Embedded,
	}
	for name, s := range hostileSpecs() {
		c, ok := want[name]
		if !ok {
			continue
		}
		data := testimg.ContractTIFF(s)
		in, err := tifffile.Inspect(data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		found := false
		for _, f := range in.Findings {
			found = found || f.Category == c
			for _, s := range append([]string{f.Where}, f.Tags...) {
				if strings.Contains(s, "PSMK") {
					t.Errorf("%s: report echoes a planted value in %q", name, s)
				}
			}
		}
		if !found {
			t.Errorf("%s: no %s finding in %+v", name, c, in.Findings)
		}
		out, err := tifffile.Strip(data, meta.DefaultKeep)
		if err != nil {
			t.Errorf("%s: rebuild: %v", name, err)
			continue
		}
		if l := leaks(out, m); len(l) > 0 {
			t.Errorf("%s: output holds %q", name, l)
		}
		if name == "byte in alignment padding" && bytes.Contains(out, []byte{'N'}) && bytes.Count(out, []byte{'N'}) >= bytes.Count(data, []byte{'N'}) {
			t.Errorf("%s: padding byte kept", name)
		}
	}
}

// TestContractCorpus runs the suite over the corpus TIFFs (raw ones
// through RawFormat: inspected only).
func TestContractCorpus(t *testing.T) {
	var tiffs, raws []containertest.Sample
	for e, data := range corpus.Files(t, corpus.Under("real/tiff/", "malformed/tiff/", "real/tiff-raw/")) {
		p := e.Path()
		s := containertest.Sample{Name: filepath.Base(p), Data: data, Dirty: e["has_gps"] == "yes"}
		switch {
		case strings.HasPrefix(p, "real/tiff/"), strings.HasPrefix(p, "malformed/tiff/"):
			tiffs = append(tiffs, s)
		case strings.HasPrefix(p, "real/tiff-raw/"):
			raws = append(raws, s)
		}
	}
	containertest.Run(t, tifffile.Format, tiffs, suiteOptions)
	for _, s := range append(append([]containertest.Sample(nil), tiffs...), raws...) {
		in, _ := tifffile.Inspect(s.Data)
		if s.Dirty && !containertest.HasCategory(in.Findings, meta.Location) {
			t.Errorf("%s: has_gps=yes but no location finding: %+v", s.Name, in.Findings)
		}
	}
	for _, s := range raws {
		if !tifffile.IsRaw(s.Data) || !tifffile.RawFormat.Match(s.Data) {
			t.Errorf("%s: not recognised as camera raw", s.Name)
		}
		if _, err := tifffile.Strip(s.Data, meta.DefaultKeep); !errors.Is(err, tifffile.ErrUnsupported) {
			t.Errorf("%s: Strip of a raw file: %v", s.Name, err)
		}
	}
	containertest.Run(t, tifffile.RawFormat, raws, containertest.Options{})
	var rebuilt, unsupported, failed int
	for _, s := range tiffs {
		f, err := tifffile.Format.Parse(s.Data)
		switch {
		case err == nil:
			rebuilt++
			if dir := os.Getenv("TIFFFILE_CORPUS_OUT"); dir != "" {
				out, err := f.Rebuild(meta.DefaultKeep)
				if err == nil {
					_ = os.WriteFile(filepath.Join(dir, s.Name), out, 0o644)
				}
			}
			if in := container.Inspect(f, len(s.Data)); len(in.Findings) == 0 {
				t.Logf("%s: clean", s.Name)
			}
		case tifffile.Format.Unsupported(err):
			unsupported++
			t.Logf("%s: unsupported: %v", s.Name, err)
		default:
			failed++
			t.Logf("%s: %v", s.Name, err)
		}
	}
	t.Logf("corpus TIFF: %d rebuilt, %d unsupported, %d failed", rebuilt, unsupported, failed)
}

func FuzzContract(f *testing.F) {
	for _, s := range samples() {
		f.Add(s.Data)
	}
	for _, b := range hostile(f) {
		f.Add(b)
	}
	// The corpus's fax page seeds the CCITT proof (when present).
	if p, ok := corpus.Path("real/tiff/goexif__sample1.tif"); ok {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		containertest.Check(t, tifffile.Format, containertest.Sample{Name: "fuzz", Data: data}, suiteOptions)
		containertest.Check(t, tifffile.RawFormat, containertest.Sample{Name: "fuzz", Data: data}, containertest.Options{})
	})
}

const xmpOrientation = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
	`<rdf:Description rdf:about="" xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Orientation="6"/></rdf:RDF></x:xmpmeta>`

// TestOrientationFromXMP checks that a page whose only orientation is XMP
// tiff:Orientation keeps it as the Orientation tag.
func TestOrientationFromXMP(t *testing.T) {
	data := testimg.ContractTIFF(testimg.TIFFSpec{XMP: []byte(xmpOrientation)})
	f, err := tifffile.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if o := f.Inspection().Orientation; o != 6 {
		t.Fatalf("orientation %d, want 6", o)
	}
	out, err := f.Rebuild(meta.DefaultKeep)
	if err != nil {
		t.Fatal(err)
	}
	g, err := tifffile.Parse(out)
	if err != nil || g.Inspection().Orientation != 6 || bytes.Contains(out, []byte("xmpmeta")) {
		t.Fatalf("rebuild: err %v, orientation %d", err, g.Inspection().Orientation)
	}
}

// TestWrongCount checks the schema's count rule: a kept tag that only
// affects display is dropped and reported, one needed to decode fails
// the file as malformed.
func TestWrongCount(t *testing.T) {
	patch := func(tag uint16, count uint32) []byte {
		b := testimg.ContractTIFF(testimg.TIFFSpec{})
		tf, _ := tiffifd.Parse(b)
		e, ok := tf.Chain()[0].Find(tag)
		if !ok {
			t.Fatalf("no tag %d", tag)
		}
		tf.Order.PutUint32(b[e.At+4:], count)
		return b
	}
	b := patch(296, 2) // ResolutionUnit SHORT×2: still inline
	f, err := tifffile.Parse(b)
	if err != nil {
		t.Fatalf("ResolutionUnit with count 2: %v", err)
	}
	in := container.Inspect(f, len(b))
	if len(in.Findings) == 0 || in.Findings[0].Where != "TIFF IFD0 malformed tag" {
		t.Fatalf("findings %+v", in.Findings)
	}
	out, _ := f.Rebuild(meta.DefaultKeep)
	if g, _ := tiffifd.Parse(out); g == nil || func() bool { _, ok := g.Chain()[0].Find(296); return ok }() {
		t.Fatal("malformed ResolutionUnit kept")
	}
	containertest.Check(t, tifffile.Format, containertest.Sample{Name: "count", Data: b, Dirty: true}, suiteOptions)
	b = patch(258, 2) // BitsPerSample×2 with three samples
	if _, err := tifffile.Parse(b); err == nil || tifffile.Format.Unsupported(err) {
		t.Fatalf("BitsPerSample with count 2: %v", err)
	}
}
