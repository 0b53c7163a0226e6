package testimg

import (
	"bytes"
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"image"
	"image/jpeg"
	"strings"
	"testing"
)

func mustJPEG(t testing.TB, o JPEGOptions) []byte {
	t.Helper()
	b, err := JPEG(o)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// segs returns the payloads of every marker segment with code mk.
func segs(b []byte, mk byte) [][]byte {
	var out [][]byte
	for _, s := range jpegWalk(b) {
		if s.Marker == mk && s.End-s.Off >= 4 {
			// skip fill bytes: payload starts after FF..FF mk LL LL
			p := s.Off
			for b[p] == 0xFF {
				p++
			}
			out = append(out, b[p+3:s.End])
		}
	}
	return out
}

func segsWithPrefix(b []byte, mk byte, prefix string) [][]byte {
	var out [][]byte
	for _, p := range segs(b, mk) {
		if bytes.HasPrefix(p, []byte(prefix)) {
			out = append(out, p[len(prefix):])
		}
	}
	return out
}

func spansOf(b []byte, mk byte) []jpegSpan {
	var out []jpegSpan
	for _, s := range jpegWalk(b) {
		if s.Marker == mk {
			out = append(out, s)
		}
	}
	return out
}

// ifd0Tags returns IFD0's tag → (type, count, raw value field).
func ifd0Tags(t testing.TB, tiff []byte) map[uint16][3]uint32 {
	t.Helper()
	var bo binary.ByteOrder = binary.LittleEndian
	if bytes.HasPrefix(tiff, []byte("MM\x00*")) {
		bo = binary.BigEndian
	} else if !bytes.HasPrefix(tiff, []byte("II*\x00")) {
		t.Fatalf("bad TIFF header % x", tiff[:min(8, len(tiff))])
	}
	off := int(bo.Uint32(tiff[4:]))
	n := int(bo.Uint16(tiff[off:]))
	out := map[uint16][3]uint32{}
	for i := 0; i < n; i++ {
		e := tiff[off+2+12*i:]
		out[bo.Uint16(e)] = [3]uint32{uint32(bo.Uint16(e[2:])), bo.Uint32(e[4:]), bo.Uint32(e[8:])}
	}
	return out
}

func TestDeterministic(t *testing.T) {
	a, b := mustJPEG(t, Everything()), mustJPEG(t, Everything())
	if !bytes.Equal(a, b) {
		t.Fatal("Everything() differs between two builds")
	}
	o := Everything()
	o.Seed = 2
	if bytes.Equal(a, mustJPEG(t, o)) {
		t.Fatal("a different seed gave identical bytes")
	}
	if !bytes.Equal(EXIF(AllEXIF()), EXIF(AllEXIF())) || !bytes.Equal(XMPPacket(XMPOptions{}), XMPPacket(XMPOptions{})) {
		t.Fatal("EXIF or XMP not deterministic")
	}
	h1, h2 := HostileJPEGs(), HostileJPEGs()
	for k := range h1 {
		if !bytes.Equal(h1[k], h2[k]) {
			t.Errorf("hostile %s not deterministic", k)
		}
	}
}

func TestEveryOptionPlantsItsSegment(t *testing.T) {
	m := DefaultMarkers()
	base := JPEGOptions{Width: 48, Height: 32, Seed: 3}
	exifTIFFs := func(b []byte) [][]byte { return segsWithPrefix(b, jmAPP1, "Exif\x00\x00") }
	cases := []struct {
		name string
		set  func(*JPEGOptions)
		ok   func(b []byte) bool
	}{
		{"EXIF", func(o *JPEGOptions) { o.EXIF, o.EXIFOptions = true, EXIFOptions{Identity: true} },
			func(b []byte) bool { return len(exifTIFFs(b)) == 1 && bytes.Contains(b, []byte(m.Serial)) }},
		{"GPS", func(o *JPEGOptions) { o.GPS = true }, func(b []byte) bool {
			x := exifTIFFs(b)
			return len(x) == 1 && ifd0Tags(t, x[0])[exTagGPSIFD][1] == 1
		}},
		{"EmptyLatitudeGPS", func(o *JPEGOptions) { o.EmptyLatitudeGPS = true }, func(b []byte) bool {
			x := exifTIFFs(b)
			return len(x) == 1 && ifd0Tags(t, x[0])[exTagGPSIFD][1] == 1 && !bytes.Contains(x[0], []byte(m.GPSProcessing))
		}},
		{"Orientation", func(o *JPEGOptions) { o.Orientation = 7 }, func(b []byte) bool {
			x := exifTIFFs(b)
			return len(x) == 1 && ifd0Tags(t, x[0])[exTagOrientation][2]&0xFFFF == 7
		}},
		{"XMP", func(o *JPEGOptions) { o.XMP = true },
			func(b []byte) bool { return len(segsWithPrefix(b, jmAPP1, xmpStdNS)) == 1 }},
		{"ExtendedXMP", func(o *JPEGOptions) { o.ExtendedXMP = true }, extendedXMPConsistent},
		{"XMPBeforeExif", func(o *JPEGOptions) { o.XMP, o.GPS, o.XMPBeforeExif = true, true, true }, func(b []byte) bool {
			var order []string
			for _, p := range segs(b, jmAPP1) {
				order = append(order, string(p[:4]))
			}
			return strings.Join(order, ",") == "http,Exif"
		}},
		{"TwoExif", func(o *JPEGOptions) { o.GPS, o.TwoExif = true, true },
			func(b []byte) bool { return len(exifTIFFs(b)) == 2 }},
		{"IPTC", func(o *JPEGOptions) { o.IPTC = true }, func(b []byte) bool {
			p := segsWithPrefix(b, jmAPP13, "Photoshop 3.0\x00")
			return len(p) == 1 && bytes.HasPrefix(p[0], []byte("8BIM\x04\x04")) && bytes.Contains(p[0], []byte(m.City))
		}},
		{"PhotoshopThumb", func(o *JPEGOptions) { o.PhotoshopThumb = true }, func(b []byte) bool {
			p := segsWithPrefix(b, jmAPP13, "Photoshop 3.0\x00")
			return len(p) == 1 && bytes.HasPrefix(p[0], []byte("8BIM\x04\x0C")) && bytes.Contains(p[0], []byte{0xFF, 0xD8})
		}},
		{"JFXX", func(o *JPEGOptions) { o.JFXX = true },
			func(b []byte) bool { return len(segsWithPrefix(b, jmAPP0, "JFXX\x00\x10\xFF\xD8")) == 1 }},
		{"Comment", func(o *JPEGOptions) { o.Comment = true },
			func(b []byte) bool { return len(segsWithPrefix(b, jmCOM, m.Comment)) == 1 }},
		{"ICC", func(o *JPEGOptions) { o.ICC, o.ICCChunks = true, 2 }, iccConsistent},
		{"Adobe", func(o *JPEGOptions) { o.Adobe = true },
			func(b []byte) bool { return len(segsWithPrefix(b, jmAPP14, "Adobe")) == 1 }},
		{"MPF", func(o *JPEGOptions) { o.MPF = true }, mpfConsistent},
		{"Trailer", func(o *JPEGOptions) { o.Trailer = true }, func(b []byte) bool {
			s := spansOf(b, 2)
			return len(s) == 1 && bytes.Contains(b[s[0].Off:], []byte(m.Trailer))
		}},
		{"UnknownAPP", func(o *JPEGOptions) { o.UnknownAPP = true }, func(b []byte) bool {
			return len(segs(b, jmAPP10)) == 1 && len(segsWithPrefix(b, jmAPP11, "JP")) == 1
		}},
		{"StrayBytes", func(o *JPEGOptions) { o.StrayBytes = true }, func(b []byte) bool {
			s := spansOf(b, 1)
			return len(s) == 1 && string(b[s[0].Off:s[0].End]) == m.Stray
		}},
		{"FPXR", func(o *JPEGOptions) { o.FPXR = true },
			func(b []byte) bool { return len(segsWithPrefix(b, jmAPP2, "FPXR\x00")) == 2 }},
		{"RestartInterval", func(o *JPEGOptions) { o.RestartInterval = true }, func(b []byte) bool {
			return len(spansOf(b, jmDRI)) == 1 && countRST(b) == 1 // 32 rows: one RST
		}},
	}
	plain := mustJPEG(t, base)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.ok(plain) {
				t.Fatalf("check passes on a JPEG without %s", c.name)
			}
			o := base
			c.set(&o)
			b := mustJPEG(t, o)
			if !c.ok(b) {
				t.Fatalf("%s not planted", c.name)
			}
			if _, err := jpeg.Decode(bytes.NewReader(b)); err != nil {
				t.Fatalf("image/jpeg cannot decode: %v", err)
			}
		})
	}
}

func extendedXMPConsistent(b []byte) bool {
	std := segsWithPrefix(b, jmAPP1, xmpStdNS)
	ext := segsWithPrefix(b, jmAPP1, xmpExtNS)
	if len(std) != 1 || len(ext) < 2 {
		return false
	}
	guid := string(ext[0][:32])
	full := make([]byte, binary.BigEndian.Uint32(ext[0][32:]))
	for _, p := range ext {
		if string(p[:32]) != guid {
			return false
		}
		off := binary.BigEndian.Uint32(p[36:])
		copy(full[off:], p[40:])
	}
	sum := md5.Sum(full)
	return strings.ToUpper(hex.EncodeToString(sum[:])) == guid &&
		bytes.Contains(std[0], []byte(`<xmpNote:HasExtendedXMP>`+guid))
}

func iccConsistent(b []byte) bool {
	p := segsWithPrefix(b, jmAPP2, "ICC_PROFILE\x00")
	if len(p) != 2 {
		return false
	}
	var prof []byte
	for i, c := range p {
		if c[0] != byte(i+1) || c[1] != 2 {
			return false
		}
		prof = append(prof, c[2:]...)
	}
	return len(prof) > 128 && int(binary.BigEndian.Uint32(prof)) == len(prof) && string(prof[36:40]) == "acsp"
}

// mpfConsistent checks the MP entries against the file layout (CIPA
// DC-007 5.2.3.3: offsets are relative to the MP header, i.e. the TIFF
// header after "MPF\0").
func mpfConsistent(b []byte) bool {
	var at int
	for _, s := range spansOf(b, jmAPP2) {
		if bytes.HasPrefix(b[s.Off+4:], []byte("MPF\x00")) {
			at = s.Off + 8
		}
	}
	if at == 0 {
		return false
	}
	hdr := b[at:]
	ents := hdr[8+2+12*3+4:]
	be := binary.BigEndian
	size1, off1 := be.Uint32(ents[4:]), be.Uint32(ents[8:])
	size2, off2 := be.Uint32(ents[16+4:]), be.Uint32(ents[16+8:])
	start2 := at + int(off2)
	if off1 != 0 || int(size1) != len(b)-int(size2) || start2 != int(size1) || start2+int(size2) != len(b) {
		return false
	}
	second := b[start2:]
	if !bytes.HasPrefix(second, []byte{0xFF, 0xD8}) || !bytes.HasSuffix(second, []byte{0xFF, 0xD9}) {
		return false
	}
	x := segsWithPrefix(second, jmAPP1, "Exif\x00\x00")
	if len(x) != 1 {
		return false
	}
	if _, err := jpeg.Decode(bytes.NewReader(second)); err != nil {
		return false
	}
	return len(spansOf(b, 2)) == 1 && ifd0TagsNoT(x[0])
}

func ifd0TagsNoT(tiff []byte) bool {
	return bytes.Contains(tiff, []byte{0x25, 0x88, 4, 0, 1, 0, 0, 0}) // GPSInfo LONG 1 (II)
}

func TestRestartIntervalSamePixels(t *testing.T) {
	o := JPEGOptions{Width: 70, Height: 53, Seed: 5}
	a := mustJPEG(t, o)
	o.RestartInterval = true
	b := mustJPEG(t, o)
	if n := countRST(b); n != 3 {
		t.Fatalf("want 3 RST markers for 4 MCU rows, got %d", n)
	}
	ia, err := jpeg.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	ib, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	ya, yb := ia.(*image.YCbCr), ib.(*image.YCbCr)
	if !bytes.Equal(ya.Y, yb.Y) || !bytes.Equal(ya.Cb, yb.Cb) || !bytes.Equal(ya.Cr, yb.Cr) {
		t.Fatal("restart-coded JPEG decodes to different pixels")
	}
}

func TestIDCardSize(t *testing.T) {
	b := mustJPEG(t, IDCard(1))
	if len(b) < 70_000 || len(b) > 120_000 {
		t.Fatalf("IDCard is %d bytes, want 70–120 KB", len(b))
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
	if err != nil || cfg.Width != 600 || cfg.Height != 800 {
		t.Fatalf("IDCard config %+v, %v", cfg, err)
	}
	t.Logf("IDCard(1): %d bytes", len(b))
}

func TestEverythingPlantsEveryMarker(t *testing.T) {
	b := mustJPEG(t, Everything())
	m := DefaultMarkers()
	for _, s := range m.Strings() {
		if !bytes.Contains(b, []byte(s)) && !bytes.Contains(b, exUTF16LE(s)[:2*len(s)]) {
			t.Errorf("marker %q not planted by Everything()", s)
		}
	}
}

// countRST counts RSTn markers inside the entropy-coded data.
func countRST(b []byte) int {
	n := 0
	for _, s := range spansOf(b, 0) {
		for i := s.Off; i+1 < s.End; i++ {
			if b[i] == 0xFF && b[i+1] >= 0xD0 && b[i+1] <= 0xD7 {
				n++
			}
		}
	}
	return n
}
