package bmff

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/container/containertest"
	"github.com/photoscrub/photoscrub/pkg/internal/exifmeta"
	"github.com/photoscrub/photoscrub/pkg/internal/xmp"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

func findingKeys(fs []meta.Finding) []string {
	var w []string
	for _, f := range fs {
		w = append(w, string(f.Category)+"|"+f.Where+"|"+strings.Join(f.Tags, ","))
	}
	return w
}

func TestContract(t *testing.T) {
	h, a := generated()
	containertest.Run(t, HEIF, h, containertest.Options{})
	containertest.Run(t, AVIF, a, containertest.Options{})
}

func TestMatch(t *testing.T) {
	h, a := generated()
	if !HEIF.Match(h[0].Data) || AVIF.Match(h[0].Data) {
		t.Error("HEIC not matched as HEIF only")
	}
	if !AVIF.Match(a[0].Data) || HEIF.Match(a[0].Data) {
		t.Error("AVIF not matched as AVIF only")
	}
}

// TestHostile checks every generated sample: no planted marker in the
// report, none in the rebuild, and the class-specific expectations.
func TestHostile(t *testing.T) {
	h, a := generated()
	want := map[string]meta.Category{
		"compressed-xmp-gps": meta.Location, "generic-xml-gps": meta.Location, "exif-orientation-6": meta.Location,
		"all": meta.Location, "uncovered-mdat-bytes": meta.Embedded, "unknown-property-name": meta.Other,
	}
	orient := map[string]int{"exif-orientation-6": 6, "xmp-orientation-8": 8, "all": 8, "grid-idat-rot3": 6,
		"all-grid-idat": 8, "all-grid-mdat-first-large-ids": 8, "mdat-first-large-ids-rot2": 3}
	for _, s := range append(h, a...) {
		t.Run(s.Name, func(t *testing.T) {
			f, err := Parse(s.Data)
			if err != nil {
				t.Fatal(err)
			}
			in := container.Inspect(f, len(s.Data))
			report := strings.Join(findingKeys(in.Findings), "\n")
			for _, r := range f.Map() {
				report += "\n" + r.Part
			}
			for _, m := range markers() {
				if strings.Contains(report, m) {
					t.Errorf("report holds planted %q", m)
				}
			}
			if c, ok := want[s.Name]; ok && !slices.ContainsFunc(in.Findings, func(x meta.Finding) bool { return x.Category == c }) {
				t.Errorf("no %s finding: %v", c, in.Findings)
			}
			out, err := f.Rebuild(meta.DefaultKeep)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range markers() {
				if bytes.Contains(out, []byte(m)) {
					t.Errorf("rebuild holds planted %q", m)
				}
			}
			g, err := Parse(out)
			if err != nil {
				t.Fatal(err)
			}
			if o := g.Inspection().Orientation; o != orient[s.Name] && !(o <= 1 && orient[s.Name] <= 1) {
				t.Errorf("orientation %d after rebuild, want %d", o, orient[s.Name])
			}
			if in.Orientation != g.Inspection().Orientation && (in.Orientation > 1 || g.Inspection().Orientation > 1) {
				t.Errorf("orientation %d before, %d after", in.Orientation, g.Inspection().Orientation)
			}
		})
	}
}

// TestOrientationExif checks the orientation-only Exif item: written for
// Exif orientation 6 without irot, recognised as kept (no finding), not
// written when keep.Orientation is off or irot/imir carry the transform.
func TestOrientationExif(t *testing.T) {
	src := testimg.BuildHEIF(withMeta(hevcFile(slice("slice")),
		testimg.HEIFItem{ID: 5, Type: "Exif", Hidden: true, Data: exifItemData(testimg.EXIF(testimg.EXIFOptions{Orientation: 6, GPS: true}))}))
	out, err := Strip(src, meta.DefaultKeep)
	if err != nil {
		t.Fatal(err)
	}
	in, err := Inspect(out)
	if err != nil || len(in.Findings) != 0 || in.Orientation != 6 {
		t.Fatalf("rebuild: %v %v orientation %d", err, in.Findings, in.Orientation)
	}
	if !bytes.Contains(out, exifItem(6)) {
		t.Error("no orientation-only Exif item")
	}
	// ExifTool reads it.
	if o := exiftoolOrientation(t, out); o != "" && o != "6" {
		t.Errorf("exiftool reads orientation %s", o)
	}
	none, err := Strip(src, meta.Keep{})
	if err != nil || bytes.Contains(none, []byte("Exif")) {
		t.Errorf("keep.Orientation off: %v, Exif kept=%v", err, bytes.Contains(none, []byte("Exif")))
	}
	// irot wins over Exif (MIAF: Exif orientation is informative only).
	rot := testimg.HEIF(testimg.HEIFOptions{Rotation: 3, EXIF: testimg.EXIF(testimg.EXIFOptions{Orientation: 6})})
	ri, _ := Inspect(rot)
	ro, err := Strip(rot, meta.DefaultKeep)
	if err != nil || ri.Orientation != 6 || bytes.Contains(ro, []byte("Exif")) {
		t.Errorf("irot 3: orientation %d, %v, Exif written=%v", ri.Orientation, err, bytes.Contains(ro, []byte("Exif")))
	}
}

// imir follows HEIF Amd 2 as libheif, libavif and iPhones read it: axis 0
// exchanges top and bottom (EXIF 4), axis 1 left and right (EXIF 2);
// after irot 1 (90° anticlockwise) a left-right mirror is EXIF 7.
func TestMirrorOrientation(t *testing.T) {
	for _, c := range []struct {
		o    testimg.HEIFOptions
		want int
	}{
		{testimg.HEIFOptions{Mirror: 1}, 4},
		{testimg.HEIFOptions{Mirror: 2}, 2},
		{testimg.HEIFOptions{Rotation: 1, Mirror: 2}, 7},
		{testimg.HEIFOptions{Rotation: 1, Mirror: 1}, 5},
	} {
		in, err := Inspect(testimg.HEIF(c.o))
		if err != nil || in.Orientation != c.want {
			t.Errorf("%+v: orientation %d (%v), want %d", c.o, in.Orientation, err, c.want)
		}
	}
}

func TestInspectGenerated(t *testing.T) {
	o := allOptions()
	var want meta.Set
	exifmeta.Inspect(o.EXIF, "HEIF item 10 Exif", &want)
	_ = xmp.Inspect(o.XMP, "HEIF item 11 XMP", &want)
	want.Add(meta.Embedded, "HEIF item 12 thumbnail", "hvc1")
	want.Add(meta.Embedded, "HEIF item 13 auxiliary image", "urn:mpeg:hevc:2015:auxid:2")
	want.Add(meta.Other, "HEIF uuid box")
	want.Add(meta.Identity, "HEIF uuid box", "C2PA")
	want.Add(meta.Comment, "HEIF item 1 property", "udes")
	want.Add(meta.Unparsed, "HEIF colr ICC profile")
	want.Add(meta.Other, "HEIF handler name", "13 bytes")
	for _, id := range []string{"1", "10", "11", "12", "13", "14"} {
		want.Add(meta.Other, "HEIF item "+id+" name", "13 bytes")
	}
	for _, v := range []struct {
		name string
		o    testimg.HEIFOptions
		want []meta.Finding
		w, h int
		or   int
	}{
		{"plain", testimg.HEIFOptions{}, nil, 64, 48, 0},
		{"all", o, want.List(), 64, 48, 8},
		{"grid-idat-rot3", testimg.HEIFOptions{Grid: true, GridInIdat: true, Rotation: 3}, nil, 128, 48, 6},
		{"mdat-first-large-ids", testimg.HEIFOptions{MdatFirst: true, LargeIDs: true, Rotation: 2}, nil, 64, 48, 3},
	} {
		t.Run(v.name, func(t *testing.T) {
			ins, err := Inspect(testimg.HEIF(v.o))
			if err != nil {
				t.Fatal(err)
			}
			var ws meta.Set
			ws.AddAll(v.want)
			if got, w := findingKeys(ins.Findings), findingKeys(ws.List()); !slices.Equal(got, w) {
				t.Errorf("findings\n got %q\nwant %q", got, w)
			}
			if ins.Width != v.w || ins.Height != v.h || ins.Orientation != v.or {
				t.Errorf("got %dx%d orientation %d, want %dx%d %d", ins.Width, ins.Height, ins.Orientation, v.w, v.h, v.or)
			}
		})
	}
}

func TestStripKeepsItems(t *testing.T) {
	variants := map[string]testimg.HEIFOptions{"all": allOptions()}
	g := allOptions()
	g.Grid, g.GridInIdat = true, true
	variants["grid-idat"] = g
	g = allOptions()
	g.Grid, g.MdatFirst, g.LargeIDs = true, true, true
	variants["grid-mdat-first-large-ids"] = g
	for name, o := range variants {
		out, err := Strip(testimg.HEIF(o), meta.DefaultKeep)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		h, err := parse(out)
		if err != nil {
			t.Fatal(err)
		}
		var ids []uint32
		for _, it := range h.items {
			ids = append(ids, it.id&0xFFFF)
		}
		wantIDs := []uint32{testimg.HEIFPrimaryID, testimg.HEIFAlphaID}
		if o.Grid {
			wantIDs = []uint32{testimg.HEIFPrimaryID, testimg.HEIFTile1ID, testimg.HEIFTile2ID, testimg.HEIFAlphaID}
		}
		if !slices.Equal(ids, wantIDs) {
			t.Errorf("%s: kept items %v, want %v", name, ids, wantIDs)
		}
	}
}

func TestSameImageDetectsChange(t *testing.T) {
	in := testimg.HEIF(testimg.HEIFOptions{Grid: true})
	out, err := Strip(in, meta.DefaultKeep)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(out, []byte("coded-tile-two!"))
	bad := bytes.Clone(out)
	bad[i] ^= 1
	if err := SameImage(in, bad); err == nil {
		t.Error("changed tile data not detected")
	}
	// Dropping an SEI unit is no change.
	sei := testimg.BuildHEIF(hevcFile(append(testimg.HEVCNAL(39, []byte(mkSEI)), slice("slice")...)))
	out, err = Strip(sei, meta.DefaultKeep)
	if err != nil || SameImage(sei, out) != nil || SameImage(sei, testimg.BuildHEIF(hevcFile(slice("slice")))) != nil {
		t.Errorf("SEI drop: %v", err)
	}
	if SameImage(sei, testimg.BuildHEIF(hevcFile(slice("slicf")))) == nil {
		t.Error("changed slice not detected")
	}
}

// patchIloc finds the 8 bytes id, method, dref, count=1 of an iloc v1
// entry with 16-bit ids and returns their offset.
func patchIloc(t *testing.T, b []byte, id, method uint16) int {
	t.Helper()
	pat := binary.BigEndian.AppendUint16(nil, id)
	pat = binary.BigEndian.AppendUint16(pat, method)
	pat = append(pat, 0, 0, 0, 1)
	i := bytes.Index(b, pat)
	if i < 0 {
		t.Fatalf("iloc entry for item %d not found", id)
	}
	return i
}

func TestUnsupported(t *testing.T) {
	m2 := testimg.HEIF(testimg.HEIFOptions{Grid: true, GridInIdat: true})
	m2[patchIloc(t, m2, 1, 1)+3] = 2
	shared := testimg.HEIF(testimg.HEIFOptions{Thumbnail: []byte("thumb")})
	p, q := patchIloc(t, shared, 1, 0), patchIloc(t, shared, testimg.HEIFThumbID, 0)
	copy(shared[q+8:q+16], shared[p+8:p+16])
	moov := append(testimg.HEIF(testimg.HEIFOptions{}), 0, 0, 0, 8, 'm', 'o', 'o', 'v')
	ess := testimg.BuildHEIF(hevcFile(slice("slice"), testimg.HEIFBox("Jan3", []byte(mkUnknown))))
	ess[bytes.Index(ess, []byte("ipma"))+12+3+2] |= 0x80
	for name, b := range map[string][]byte{"construction-method-2": m2, "shared-extent": shared, "moov": moov, "essential-unknown": ess} {
		f, err := Parse(b)
		if !errors.Is(err, ErrUnsupported) || !errors.Is(err, container.ErrUnsupported) || f == nil {
			t.Errorf("%s: Parse got %v, want ErrUnsupported", name, err)
		}
		out, err := Strip(b, meta.DefaultKeep)
		if !errors.Is(err, ErrUnsupported) || out != nil {
			t.Errorf("%s: got %v, want ErrUnsupported", name, err)
		}
		if _, err := Inspect(b); err != nil {
			t.Errorf("%s: Inspect: %v", name, err)
		}
	}
}

func TestMalformed(t *testing.T) {
	good := testimg.HEIF(allOptions())
	ftyp := good[:binary.BigEndian.Uint32(good)]
	const depth = 10000
	nest := bytes.Clone(ftyp)
	for i := 0; i < depth; i++ {
		typ := []string{"moov", "trak", "mdia", "minf"}[i%4]
		nest = binary.BigEndian.AppendUint32(nest, uint32(8*(depth-i)))
		nest = append(nest, typ...)
	}
	huge := append(bytes.Clone(ftyp), 0xFF, 0xFF, 0xFF, 0xFF, 'm', 'd', 'a', 't')
	large := append(bytes.Clone(ftyp), 0, 0, 0, 1, 'm', 'e', 't', 'a', 0x80, 0, 0, 0, 0, 0, 0, 0)
	metaAt := bytes.Index(good, []byte("meta")) - 4
	badMeta := bytes.Clone(good)
	binary.BigEndian.PutUint32(badMeta[metaAt:], 0x7FFFFFFF)
	nalPast := testimg.BuildHEIF(hevcFile(append(slice("slice"), 0, 0, 1, 0, 2, 1)))
	for name, b := range map[string][]byte{"nested": nest, "huge": huge, "largesize": large, "meta-size": badMeta,
		"empty": nil, "nal-past-extent": nalPast} {
		start := time.Now()
		_, err := Inspect(b)
		var fe FormatError
		if !errors.As(err, &fe) {
			t.Errorf("%s: Inspect err %v, want FormatError", name, err)
		}
		if _, err := Strip(b, meta.DefaultKeep); !errors.As(err, &fe) {
			t.Errorf("%s: Strip err %v, want FormatError", name, err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: took %v", name, d)
		}
	}
	// Truncation anywhere before the end of mdat is an error (the trailing
	// uuid boxes may go); never a panic or a partial output.
	h, _ := parse(good)
	need := 0
	for _, b := range h.top {
		if b.typ != "uuid" {
			need = b.end
		}
	}
	for i := 0; i < len(good); i++ {
		_, ierr := Inspect(good[:i])
		out, serr := Strip(good[:i], meta.DefaultKeep)
		if i < need && (ierr == nil || serr == nil || out != nil) {
			t.Fatalf("truncated at %d of %d: Inspect %v, Strip %v", i, need, ierr, serr)
		}
	}
}

func FuzzContract(f *testing.F) {
	h, a := generated()
	for _, s := range append(h, a...) {
		f.Add(s.Data)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<16 {
			return
		}
		containertest.Check(t, HEIF, containertest.Sample{Name: "fuzz", Data: b}, containertest.Options{})
		ins, ierr := Inspect(b)
		if ierr != nil && !containertest.HasCategory(ins.Findings, meta.Unparsed) {
			t.Fatal("error without an Unparsed finding")
		}
	})
}
