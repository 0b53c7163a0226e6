package scrub

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// fakeICC returns a small complete ICC profile with standard texts.
func fakeICC() []byte {
	return testimg.ICCProfileRGB("Display P3", "Copyright Apple Inc., 2017")
}

type sample struct {
	name   string
	f      format.Format
	data   []byte
	orient int // the orientation the file declares (0: none)
	// intrinsic: the orientation is part of the coded image (HEIF irot/imir
	// properties, which take precedence over EXIF) and is always kept.
	intrinsic bool
}

// samples returns generated files of every rewritable format with every
// hiding place their generator offers, plus plain ones.
func samples(t testing.TB) []sample {
	t.Helper()
	jpg := func(o testimg.JPEGOptions) []byte {
		b, err := testimg.JPEG(o)
		if err != nil {
			t.Fatalf("testimg.JPEG: %v", err)
		}
		return b
	}
	exif6 := testimg.AllEXIF()
	exif6.Orientation = 6
	xmp := testimg.XMPPacket(testimg.XMPOptions{})
	m := testimg.DefaultMarkers()
	png6 := testimg.AllPNG()
	png6.Orientation = 6
	apng := testimg.AllPNG()
	apng.APNG = true
	tiled := testimg.AllTIFF()
	tiled.Tiled, tiled.Deflate, tiled.BigEndian = true, true, true
	s := []sample{
		{"jpeg everything", format.JPEG, jpg(testimg.Everything()), 6, false},
		{"jpeg idcard", format.JPEG, jpg(testimg.IDCard(1)), 1, false},
		{"jpeg plain", format.JPEG, jpg(testimg.JPEGOptions{}), 0, false},
		{"jpeg xmp first attrs", format.JPEG, jpg(testimg.JPEGOptions{XMP: true, XMPAttributes: true, XMPBeforeExif: true, GPS: true, Orientation: 3}), 3, false},
		{"png all o6", format.PNG, testimg.PNG(png6), 6, false},
		{"apng all", format.PNG, testimg.PNG(apng), 0, false},
		{"png plain", format.PNG, testimg.PNG(testimg.PNGOptions{}), 0, false},
		{"gif all", format.GIF, testimg.GIF(testimg.AllGIF()), 0, false},
		{"gif plain", format.GIF, testimg.GIF(testimg.GIFOptions{}), 0, false},
		{"webp all", format.WebP, testimg.WebP(testimg.WebPOptions{Width: 8, Height: 6, EXIF: testimg.EXIF(exif6),
			XMP: xmp, ICC: fakeICC(), Unknown: []byte(m.AppText), Trailer: []byte(m.Trailer)}), 6, false},
		{"webp animated prefix", format.WebP, testimg.WebP(testimg.WebPOptions{EXIF: testimg.EXIF(exif6), EXIFPrefix: true,
			XMP: xmp, Unknown: []byte(m.AppText), Animated: true, WrongFlags: true}), 6, false},
		{"webp plain", format.WebP, testimg.WebP(testimg.WebPOptions{}), 0, false},
		{"tiff all", format.TIFF, testimg.TIFF(testimg.AllTIFF()), 6, false},
		{"tiff all tiled deflate MM", format.TIFF, testimg.TIFF(tiled), 6, false},
		{"tiff plain", format.TIFF, testimg.TIFF(testimg.TIFFOptions{}), 0, false},
		{"heif all", format.HEIF, testimg.HEIF(testimg.HEIFOptions{EXIF: testimg.EXIF(exif6), XMP: xmp,
			Thumbnail: []byte("thumbnail-bytes"), Depth: []byte("depth-bytes"), Alpha: []byte("alpha-bytes"),
			UUID: []byte(m.AppText), C2PA: []byte(m.JUMBF), Description: m.Description, ICC: fakeICC(),
			Rotation: 1, Grid: true, GridInIdat: true}), 8, true}, // irot 90° anticlockwise; EXIF 6 is ignored
		{"heif large ids mdat first", format.HEIF, testimg.HEIF(testimg.HEIFOptions{EXIF: testimg.EXIF(testimg.AllEXIF()),
			XMP: xmp, Thumbnail: []byte("t"), LargeIDs: true, MdatFirst: true}), 1, true}, // EXIF orientation 1
		{"heif plain", format.HEIF, testimg.HEIF(testimg.HEIFOptions{}), 0, true},
		{"heif irot 3", format.HEIF, testimg.HEIF(testimg.HEIFOptions{Rotation: 3, EXIF: testimg.EXIF(exif6)}), 6, true},
	}
	for o := 1; o <= 8; o++ {
		s = append(s, sample{fmt.Sprintf("jpeg o%d", o), format.JPEG,
			jpg(testimg.JPEGOptions{Orientation: o, GPS: true, Seed: int64(o)}), o, false})
	}
	return s
}

// iccSig is the byte string that marks an embedded ICC profile.
var iccSig = map[format.Format]string{format.JPEG: "ICC_PROFILE\x00", format.PNG: "iCCP",
	format.WebP: "ICCP", format.HEIF: "colrprof"}

// needles returns the planted strings found in b.
func needles(b []byte) []string {
	var out []string
	for _, s := range testimg.DefaultMarkers().Strings() {
		if bytes.Contains(b, []byte(s)) {
			out = append(out, s)
		}
	}
	return out
}

func TestLosslessEveryFormat(t *testing.T) {
	for _, s := range samples(t) {
		t.Run(s.name, func(t *testing.T) {
			if got := Sniff(s.data); got != s.f {
				t.Fatalf("Sniff = %s, want %s", got, s.f)
			}
			in, err := Inspect(s.f, s.data)
			if err != nil {
				t.Fatalf("Inspect: %v", err)
			}
			plain := len(in.Findings) == 0
			if in.Orientation != s.orient {
				t.Errorf("Inspect orientation %d, want %d", in.Orientation, s.orient)
			}
			for _, keep := range []meta.Keep{meta.DefaultKeep, {}, {ICC: true}, {Orientation: true}} {
				out, err := lossless(s.f, s.data, in, keep)
				if err != nil {
					t.Fatalf("lossless(keep %+v): %v", keep, err)
				}
				got, err := Inspect(s.f, out)
				if err != nil {
					t.Fatalf("re-Inspect: %v", err)
				}
				if len(got.Findings) != 0 {
					t.Errorf("keep %+v: output has findings %+v", keep, got.Findings)
				}
				if n := needles(out); len(n) != 0 {
					t.Errorf("keep %+v: output still holds planted values %q", keep, n)
				}
				wantO := norm(s.orient)
				if !keep.Orientation && !s.intrinsic {
					wantO = 1
				}
				if norm(got.Orientation) != wantO {
					t.Errorf("keep %+v: output orientation %d, want %d", keep, got.Orientation, wantO)
				}
				if sig := iccSig[s.f]; sig != "" && bytes.Contains(s.data, []byte(sig)) {
					if has := bytes.Contains(out, []byte(sig)); has != keep.ICC {
						t.Errorf("keep %+v: output has ICC %v", keep, has)
					}
				}
				if err := verify(s.f, s.data, out, in, keep, true); err != nil {
					t.Errorf("keep %+v: verify(own output): %v", keep, err)
				}
				// Idempotent: stripping the output again changes nothing.
				again, err := lossless(s.f, out, got, keep)
				if err != nil {
					t.Fatalf("second Lossless: %v", err)
				}
				if !bytes.Equal(again, out) {
					t.Errorf("keep %+v: strip not idempotent (%d → %d bytes)", keep, len(out), len(again))
				}
				if keep == meta.DefaultKeep {
					t.Logf("%d findings, %d → %d bytes", len(in.Findings), len(s.data), len(out))
				}
			}
			if !plain && len(in.Findings) == 0 {
				t.Error("no findings on a file with metadata")
			}
		})
	}
}

// TestInputsHaveFindings guards the test inputs: the rich ones must be
// found dirty, or the zero-findings checks above prove nothing.
func TestInputsHaveFindings(t *testing.T) {
	for _, s := range samples(t) {
		in, _ := Inspect(s.f, s.data)
		rich := len(needles(s.data)) > 0
		if rich && len(in.Findings) == 0 {
			t.Errorf("%s: planted values present but no finding", s.name)
		}
		if rich {
			cats := map[meta.Category]bool{}
			for _, f := range in.Findings {
				cats[f.Category] = true
			}
			t.Logf("%s: %d findings, categories %v", s.name, len(in.Findings), cats)
		}
	}
}

func jpegOf(t *testing.T, o testimg.JPEGOptions) []byte {
	t.Helper()
	b, err := testimg.JPEG(o)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVerifyRejectsRemainingFinding(t *testing.T) {
	data := jpegOf(t, testimg.JPEGOptions{GPS: true, Orientation: 6})
	in, _ := Inspect(format.JPEG, data)
	if err := verify(format.JPEG, data, data, in, meta.DefaultKeep, true); !errors.Is(err, ErrVerify) {
		t.Errorf("verify(unstripped) = %v, want ErrVerify", err)
	} else if bytes.Contains([]byte(err.Error()), []byte("51")) {
		t.Errorf("error mentions a value: %v", err)
	}
	// Same for PNG: a stripped output with a tEXt spliced back in.
	p := testimg.PNG(testimg.PNGOptions{Text: true})
	pin, _ := Inspect(format.PNG, p)
	out, err := lossless(format.PNG, p, pin, meta.DefaultKeep)
	if err != nil {
		t.Fatal(err)
	}
	iend := len(out) - 12
	bad := append(append(append([]byte{}, out[:iend]...), testimg.PNGChunk("tEXt", []byte("Author\x00x"))...), out[iend:]...)
	if err := verify(format.PNG, p, bad, pin, meta.DefaultKeep, false); !errors.Is(err, ErrVerify) {
		t.Errorf("verify(PNG with tEXt) = %v, want ErrVerify", err)
	}
}

// scanStart returns the offset of the first entropy-coded byte of a JPEG.
func scanStart(t *testing.T, b []byte) int {
	t.Helper()
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xFF {
			t.Fatalf("no marker at %d", i)
		}
		l := int(binary.BigEndian.Uint16(b[i+2:]))
		if b[i+1] == 0xDA {
			return i + 2 + l
		}
		i += 2 + l
	}
	t.Fatal("no SOS")
	return 0
}

func TestVerifyRejectsChangedScan(t *testing.T) {
	data := jpegOf(t, testimg.JPEGOptions{GPS: true, Width: 128, Height: 96})
	in, _ := Inspect(format.JPEG, data)
	out, err := lossless(format.JPEG, data, in, meta.DefaultKeep)
	if err != nil {
		t.Fatal(err)
	}
	i := scanStart(t, out) + 100
	for out[i] == 0xFF || out[i] == 0xFE || out[i-1] == 0xFF { // keep the byte stuffing valid
		i++
	}
	bad := append([]byte{}, out...)
	bad[i] ^= 0x01
	if err := verify(format.JPEG, data, bad, in, meta.DefaultKeep, true); !errors.Is(err, ErrVerify) {
		t.Errorf("verify(flipped scan byte at %d) = %v, want ErrVerify", i, err)
	}
	// A re-encode does not promise the same coded data: lossless=false.
	if err := verify(format.JPEG, data, bad, in, meta.DefaultKeep, false); err != nil {
		t.Errorf("verify(lossless=false) = %v, want nil", err)
	}
	// A changed quantisation table is a changed image too.
	dqt := bytes.Index(out, []byte{0xFF, 0xDB})
	bad = append([]byte{}, out...)
	bad[dqt+10]++
	if err := verify(format.JPEG, data, bad, in, meta.DefaultKeep, true); !errors.Is(err, ErrVerify) {
		t.Errorf("verify(changed DQT) = %v, want ErrVerify", err)
	}
}

func TestVerifyRejectsLostOrientation(t *testing.T) {
	for _, s := range samples(t) {
		if s.orient < 2 || s.intrinsic {
			continue
		}
		in, _ := Inspect(s.f, s.data)
		noO, err := lossless(s.f, s.data, in, meta.Keep{ICC: true})
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if err := verify(s.f, s.data, noO, in, meta.DefaultKeep, true); !errors.Is(err, ErrVerify) {
			t.Errorf("%s: verify(orientation dropped, keep orientation) = %v, want ErrVerify", s.name, err)
		}
		if err := verify(s.f, s.data, noO, in, meta.Keep{ICC: true}, true); err != nil {
			t.Errorf("%s: verify(orientation dropped, keep none) = %v", s.name, err)
		}
	}
}

func TestVerifyRejectsUnparseableOutput(t *testing.T) {
	data := jpegOf(t, testimg.JPEGOptions{GPS: true})
	in, _ := Inspect(format.JPEG, data)
	out, err := lossless(format.JPEG, data, in, meta.DefaultKeep)
	if err != nil {
		t.Fatal(err)
	}
	if err := verify(format.JPEG, data, out[:len(out)/2], in, meta.DefaultKeep, true); !errors.Is(err, ErrVerify) {
		t.Errorf("verify(truncated) = %v, want ErrVerify", err)
	}
}

// dngTIFF returns a 1×1 grey TIFF whose IFD0 carries DNGVersion.
func dngTIFF(withDNG bool) []byte {
	type ent struct {
		tag, typ uint16
		n, v     uint32
	}
	ents := []ent{
		{256, 3, 1, 1}, {257, 3, 1, 1}, {258, 3, 1, 8}, {259, 3, 1, 1}, {262, 3, 1, 1},
		{273, 4, 1, 0}, {277, 3, 1, 1}, {278, 3, 1, 1}, {279, 4, 1, 1},
	}
	if withDNG {
		ents = append(ents, ent{50706, 1, 4, 0x00000401}) // 1.4.0.0
	}
	b := []byte("II*\x00\x08\x00\x00\x00")
	b = binary.LittleEndian.AppendUint16(b, uint16(len(ents)))
	dataOff := uint32(8 + 2 + 12*len(ents) + 4)
	for _, e := range ents {
		if e.tag == 273 {
			e.v = dataOff
		}
		b = binary.LittleEndian.AppendUint16(b, e.tag)
		b = binary.LittleEndian.AppendUint16(b, e.typ)
		b = binary.LittleEndian.AppendUint32(b, e.n)
		b = binary.LittleEndian.AppendUint32(b, e.v)
	}
	b = append(b, 0, 0, 0, 0)
	return append(b, 0x80)
}

func TestRawIsInspectedNotRewritten(t *testing.T) {
	plain, dng := dngTIFF(false), dngTIFF(true)
	if got := Sniff(plain); got != format.TIFF {
		t.Fatalf("plain TIFF sniffs as %s", got)
	}
	if got := Sniff(dng); got != format.RAW {
		t.Fatalf("DNG sniffs as %s, want raw", got)
	}
	if !Supported(format.RAW) || Rewritable(format.RAW) {
		t.Errorf("raw: Supported %v Rewritable %v, want true false", Supported(format.RAW), Rewritable(format.RAW))
	}
	if _, err := Inspect(format.RAW, dng); err != nil {
		t.Errorf("Inspect(DNG): %v", err)
	}
	if _, err := lossless(format.RAW, dng, meta.Inspection{}, meta.DefaultKeep); !errors.Is(err, ErrUnsupported) {
		t.Errorf("lossless(raw) = %v, want ErrUnsupported", err)
	}
	for _, f := range []format.Format{format.JPEG, format.PNG, format.GIF, format.WebP, format.TIFF, format.HEIF, format.AVIF} {
		if !Supported(f) || !Rewritable(f) {
			t.Errorf("%s: Supported %v Rewritable %v", f, Supported(f), Rewritable(f))
		}
	}
	for _, f := range []format.Format{format.PDF, format.JXL, format.Video, format.Unknown, format.Empty, format.BMP} {
		if Supported(f) || Rewritable(f) {
			t.Errorf("%s: Supported %v Rewritable %v", f, Supported(f), Rewritable(f))
		}
		if _, err := Inspect(f, []byte("%PDF-1.4")); !errors.Is(err, ErrUnsupported) {
			t.Errorf("Inspect(%s) = %v, want ErrUnsupported", f, err)
		}
		if _, err := lossless(f, nil, meta.Inspection{}, meta.DefaultKeep); !errors.Is(err, ErrUnsupported) {
			t.Errorf("lossless(%s) = %v, want ErrUnsupported", f, err)
		}
		if err := verify(f, nil, nil, meta.Inspection{}, meta.DefaultKeep, true); !errors.Is(err, ErrUnsupported) {
			t.Errorf("verify(%s) = %v, want ErrUnsupported", f, err)
		}
	}
	if Sniff(nil) != format.Empty {
		t.Error("Sniff(nil) not empty")
	}
}

func TestErrorsCarryNoValues(t *testing.T) {
	for _, s := range samples(t) {
		in, _ := Inspect(s.f, s.data)
		for _, keep := range []meta.Keep{meta.DefaultKeep, {}} {
			// Verify the unstripped file: the error names the first finding.
			err := verify(s.f, s.data, s.data, in, keep, true)
			if err == nil {
				continue
			}
			if n := needles([]byte(err.Error())); len(n) != 0 {
				t.Errorf("%s: error carries values %q", s.name, n)
			}
		}
		for _, f := range in.Findings {
			for _, x := range append([]string{f.Where}, f.Tags...) {
				if n := needles([]byte(x)); len(n) != 0 {
					t.Errorf("%s: finding carries values %q", s.name, n)
				}
			}
		}
	}
}

// lossless parses data and rebuilds it: the pre-registry helper the tests
// above were written against.
func lossless(f format.Format, data []byte, _ meta.Inspection, keep meta.Keep) ([]byte, error) {
	p, err := Parse(f, data)
	if err != nil {
		return nil, err
	}
	return p.Lossless(keep)
}

// verify parses orig and verifies out against it.
func verify(f format.Format, orig, out []byte, _ meta.Inspection, keep meta.Keep, lossless bool) error {
	p, err := Parse(f, orig)
	if err != nil {
		return err
	}
	return p.Verify(out, keep, lossless)
}

// norm maps "no orientation" and invalid values to 1 (the default).
func norm(o int) int {
	if o < 1 || o > 8 {
		return 1
	}
	return o
}
