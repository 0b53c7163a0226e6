package bmff

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/photoscrub/photoscrub/pkg/internal/exifmeta"
	"github.com/photoscrub/photoscrub/pkg/internal/xmp"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// Planted markers that must not survive Strip.
const (
	mkThumb = "THUMB-MARKER-q1Zr"
	mkDepth = "DEPTH-MARKER-q2Ys"
	mkUUID  = "UUID-MARKER-q3Xt"
	mkC2PA  = "C2PA-MARKER-q4Wu"
	mkUdes  = "UDES-MARKER-q5Vv"
	mkName  = "PSMK-ITEMNAME"
	mkHdlr  = "PSMK-HDLRNAME"
)

func gpsEXIF() []byte {
	return testimg.EXIF(testimg.EXIFOptions{Orientation: 1, GPS: true, Identity: true, Thumbnail: true})
}

func allOptions() testimg.HEIFOptions {
	return testimg.HEIFOptions{EXIF: gpsEXIF(), XMP: testimg.XMPPacket(testimg.XMPOptions{}),
		Thumbnail: []byte(mkThumb), Depth: []byte(mkDepth), Alpha: []byte("coded-alpha-plane"),
		UUID: []byte(mkUUID), C2PA: []byte(mkC2PA), Description: mkUdes, ICC: []byte("icc-profile"),
		Rotation: 1}
}

func needles() []string {
	return append(testimg.DefaultMarkers().Needles(), mkThumb, mkDepth, mkUUID, mkC2PA, mkUdes, mkName, mkHdlr)
}

func findingKeys(fs []meta.Finding) []string {
	var w []string
	for _, f := range fs {
		w = append(w, string(f.Category)+"|"+f.Where+"|"+strings.Join(f.Tags, ","))
	}
	return w
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

func TestStripGenerated(t *testing.T) {
	variants := map[string]testimg.HEIFOptions{"all": allOptions()}
	g := allOptions()
	g.Grid, g.GridInIdat = true, true
	variants["grid-idat"] = g
	g = allOptions()
	g.Grid, g.MdatFirst, g.LargeIDs = true, true, true
	variants["grid-mdat-first-large-ids"] = g
	for name, o := range variants {
		for _, keep := range []meta.Keep{meta.DefaultKeep, {}} {
			in := testimg.HEIF(o)
			out, err := Strip(in, keep)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			ins, err := Inspect(out)
			if err != nil || len(ins.Findings) != 0 {
				t.Errorf("%s: re-inspect: %v %v", name, err, ins.Findings)
			}
			for _, n := range needles() {
				if bytes.Contains(out, []byte(n)) {
					t.Errorf("%s: output holds %q", name, n)
				}
			}
			if err := SameImage(in, out); err != nil {
				t.Errorf("%s: SameImage: %v", name, err)
			}
			if again, err := Strip(out, keep); err != nil || !bytes.Equal(again, out) {
				t.Errorf("%s: not idempotent: %v", name, err)
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
			if got := bytes.Contains(out, []byte("icc-profile")); got != keep.ICC {
				t.Errorf("%s: ICC kept=%v with keep.ICC=%v", name, got, keep.ICC)
			}
			if ins.Orientation != 8 {
				t.Errorf("%s: orientation %d after strip, want 8 (irot kept)", name, ins.Orientation)
			}
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
	for name, b := range map[string][]byte{"construction-method-2": m2, "shared-extent": shared, "moov": moov} {
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
	// 10,000 nested container boxes, each declaring the rest of the file.
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
	for name, b := range map[string][]byte{"nested": nest, "huge": huge, "largesize": large, "meta-size": badMeta, "empty": nil} {
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

func FuzzBMFF(f *testing.F) {
	f.Add(testimg.HEIF(testimg.HEIFOptions{}))
	f.Add(testimg.HEIF(allOptions()))
	g := allOptions()
	g.Grid, g.GridInIdat, g.LargeIDs = true, true, true
	f.Add(testimg.HEIF(g))
	f.Add(testimg.HEIF(testimg.HEIFOptions{Grid: true, MdatFirst: true, Thumbnail: []byte("t")}))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<16 {
			return
		}
		ins, ierr := Inspect(b)
		if ierr != nil && !slices.ContainsFunc(ins.Findings, func(f meta.Finding) bool { return f.Category == meta.Unparsed }) {
			t.Fatal("error without an Unparsed finding")
		}
		out, err := Strip(b, meta.DefaultKeep)
		if err != nil {
			if out != nil {
				t.Fatal("partial output")
			}
			return
		}
		ins2, err := Inspect(out)
		if err != nil || len(ins2.Findings) != 0 {
			t.Fatalf("re-inspect: %v %v", err, ins2.Findings)
		}
		if again, err := Strip(out, meta.DefaultKeep); err != nil || !bytes.Equal(again, out) {
			t.Fatalf("not idempotent: %v", err)
		}
		if err := SameImage(b, out); err != nil {
			t.Fatal(err)
		}
		h, _ := parse(out)
		for _, bx := range h.top {
			if bx.typ != "ftyp" && bx.typ != "meta" && bx.typ != "mdat" {
				t.Fatalf("top-level box %q survived", bx.typ)
			}
		}
		for _, pr := range h.props {
			if !keptProps[pr.typ] {
				t.Fatalf("property %q survived", pr.typ)
			}
		}
	})
}
