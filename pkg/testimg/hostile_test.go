package testimg

import (
	"bytes"
	"encoding/binary"
	"image/jpeg"
	"testing"
)

func TestHostileJPEGs(t *testing.T) {
	h := HostileJPEGs()
	for _, name := range []string{
		"exif-ifd-self-cycle", "exif-ifd-2way-cycle", "exif-ifd-nway-cycle",
		"exif-count-overflow-long", "exif-count-overflow-rational", "exif-offset-past-end",
		"gps-zero-denominator", "jpeg-65535x65535", "truncated-mid-segment", "truncated-in-scan",
		"no-eoi", "length-lt-2", "app-chain-10mb", "zero-bytes", "ff-fill-runs",
	} {
		if _, ok := h[name]; !ok {
			t.Errorf("missing hostile case %s", name)
		}
	}
	if len(h) != 15 {
		t.Errorf("%d hostile cases, want 15", len(h))
	}
	exifOf := func(b []byte) []byte {
		x := segsWithPrefix(b, jmAPP1, "Exif\x00\x00")
		if len(x) != 1 {
			t.Fatalf("want one Exif APP1, got %d", len(x))
		}
		return x[0]
	}
	le := binary.LittleEndian
	// self cycle: IFD0's next pointer is IFD0's own offset.
	x := exifOf(h["exif-ifd-self-cycle"])
	o0 := le.Uint32(x[4:])
	n := uint32(le.Uint16(x[o0:]))
	if le.Uint32(x[o0+2+12*n:]) != o0 {
		t.Error("self cycle not planted")
	}
	// count overflow: 0x40000001 LONGs, which wraps to 4 bytes in uint32.
	if tags := ifd0Tags(t, exifOf(h["exif-count-overflow-long"])); tags[0x0100] != [3]uint32{tbLong, 0x40000001, 8} {
		t.Errorf("count overflow entry %v", tags[0x0100])
	}
	if tags := ifd0Tags(t, exifOf(h["exif-offset-past-end"])); tags[exTagCopyright][2] != 0x7FFFFFF0 {
		t.Error("offset past end not planted")
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(h["jpeg-65535x65535"]))
	if err != nil || cfg.Width != 65535 || cfg.Height != 65535 || len(h["jpeg-65535x65535"]) > 4096 {
		t.Errorf("65535 case: %+v %v", cfg, err)
	}
	if len(h["app-chain-10mb"]) < 10<<20 {
		t.Errorf("app chain only %d bytes", len(h["app-chain-10mb"]))
	}
	if len(h["zero-bytes"]) != 0 || bytes.HasSuffix(h["no-eoi"], []byte{0xFF, 0xD9}) {
		t.Error("zero-bytes or no-eoi wrong")
	}
	if _, err := jpeg.Decode(bytes.NewReader(h["ff-fill-runs"])); err != nil {
		t.Errorf("ff-fill-runs must stay valid: %v", err)
	}
	if !bytes.Contains(h["ff-fill-runs"], []byte{0xFF, 0xFF, 0xFF, 0xFF, 0xE1}) {
		t.Error("no fill run before APP1")
	}
	for _, name := range []string{"truncated-mid-segment", "truncated-in-scan"} {
		if _, err := jpeg.Decode(bytes.NewReader(h[name])); err == nil {
			t.Errorf("%s decodes", name)
		}
	}
}

func TestTruncationsOf(t *testing.T) {
	b := mustJPEG(t, JPEGOptions{Width: 32, Height: 32, GPS: true, XMP: true, Comment: true, Trailer: true})
	cuts := TruncationsOf(b)
	// SOI, APP0, APP1, APP1, COM, DQT, SOF0, DHT, SOS, scan, EOI, trailer:
	// 11 boundaries strictly inside the file.
	if len(cuts) != 11 {
		t.Fatalf("%d truncations, want 11", len(cuts))
	}
	for i, c := range cuts {
		if !bytes.HasPrefix(b, c) || len(c) == 0 || len(c) >= len(b) || (i > 0 && len(c) <= len(cuts[i-1])) {
			t.Fatalf("cut %d (len %d) is not a strictly growing prefix", i, len(c))
		}
	}
	cuts[0][0] = 0 // copies, not aliases
	if b[0] != 0xFF {
		t.Fatal("TruncationsOf aliases its input")
	}
}

// FuzzTruncationsOf checks that the marker walk behind TruncationsOf never
// panics and only returns strictly growing proper prefixes.
func FuzzTruncationsOf(f *testing.F) {
	for _, b := range HostileJPEGs() {
		if len(b) < 1<<16 {
			f.Add(b)
		}
	}
	b, _ := JPEG(Everything())
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		prev := 0
		for _, c := range TruncationsOf(b) {
			if len(c) <= prev || len(c) >= len(b) || !bytes.HasPrefix(b, c) {
				t.Fatalf("bad cut of length %d", len(c))
			}
			prev = len(c)
		}
	})
}
