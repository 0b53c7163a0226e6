package webpriff

import (
	"bytes"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// kindAt returns the kinds of the map ranges that cover [off, off+n).
func kindAt(f *File, off, n int) map[container.Kind]bool {
	m := map[container.Kind]bool{}
	for _, r := range f.ranges {
		if r.Off < off+n && off < r.End() {
			m[r.Kind] = true
		}
	}
	return m
}

// TestHostileClasses checks, per hiding place, that the planted bytes are
// mapped as slack or metadata (never coded or kept), reported, and gone
// from the rebuild.
func TestHostileClasses(t *testing.T) {
	lossless := testimg.WebP(testimg.WebPOptions{Width: 9, Height: 4, Extended: true})
	lossy := lossyWebP(40, 33, 2, 3, -1)
	rawAlpha := lossyWebP(17, 9, 1, 4, 0)
	llAlpha := lossyWebP(17, 9, 0, 5, 1)
	cases := map[string][]byte{
		"after-vp8-tokens":      grow(lossy, "VP8 ", []byte(planted)),
		"after-vp8-modes":       afterModes(lossy, []byte(planted)),
		"after-vp8l-end":        grow(lossless, "VP8L", []byte(planted)),
		"after-raw-alpha":       grow(rawAlpha, "ALPH", []byte(planted)),
		"after-lossless-alpha":  grow(llAlpha, "ALPH", []byte(planted)),
		"vp8x-extra":            grow(lossless, "VP8X", []byte(planted)),
		"past-riff":             append(bytes.Clone(lossy), planted...),
		"fourcc":                hostile(t, lossless, "")[len(hostile(t, lossless, ""))-1].Data,
		"unknown-xmp-gps":       testimg.WebP(testimg.WebPOptions{Unknown: testimg.XMPPacket(testimg.XMPOptions{})}),
		"frame-unknown-xmp-gps": testimg.WebP(testimg.WebPOptions{Animated: true, Unknown: testimg.XMPPacket(testimg.XMPOptions{})}),
		"anim-extra":            grow(testimg.WebP(testimg.WebPOptions{Animated: true}), "ANIM", []byte(planted)),
		"lossy-padding-nonzero": padPlant(lossy),
		"vp8l-padding-nonzero":  padPlant(lossless),
		"vp8l-last-byte-bits":   lastBits(lossless, "VP8L", 0),
		"alph-last-byte-bits":   lastBits(llAlpha, "ALPH", 1),
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			if b == nil {
				t.Fatal("sample not built")
			}
			pf, err := Parse(b)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			f := pf.(*File)
			in := container.Inspect(f, len(b))
			if len(in.Findings) == 0 {
				t.Fatal("inspected clean")
			}
			if strings.Contains(name, "xmp-gps") && !hasCat(in.Findings, meta.Location) {
				t.Errorf("XMP in an unknown chunk: no location finding: %v", in.Findings)
			}
			if i := bytes.Index(b, []byte(planted)); i >= 0 {
				k := kindAt(f, i, len(planted))
				if k[container.Coded] || k[container.Kept] {
					t.Errorf("planted bytes mapped as %v", k)
				}
			}
			out, err := f.Rebuild(meta.DefaultKeep)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range []string{planted, "JANE", "PSMK"} {
				if bytes.Contains(out, []byte(n)) {
					t.Errorf("rebuild holds %q", n)
				}
			}
			if _, err := container.Verify(Format, f, in, out, meta.DefaultKeep, true); err != nil {
				t.Error(err)
			}
		})
	}
}

// padPlant makes the first odd-sized chunk's padding byte non-zero (adding
// one byte to the image chunk if needed to make it odd).
func padPlant(b []byte) []byte {
	for _, id := range []string{"VP8 ", "VP8L"} {
		off, n := chunkOf(b, id)
		if off < 0 {
			continue
		}
		c := b
		if n&1 == 0 {
			c = grow(b, id, []byte{0})
			n++
		}
		c = bytes.Clone(c)
		c[off+n] = 'J'
		return c
	}
	return nil
}

// TestVP8XFlags checks that flags that do not describe the chunks present
// are unaccounted, and that the rebuild writes them from what it keeps.
func TestVP8XFlags(t *testing.T) {
	b := testimg.WebP(testimg.WebPOptions{Extended: true, WrongFlags: true})
	f, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if in := container.Inspect(f, len(b)); len(in.Findings) != 1 || in.Findings[0].Where != container.WhereUnaccounted {
		t.Errorf("findings %v", in.Findings)
	}
	out, _ := f.Rebuild(meta.DefaultKeep)
	off, _ := chunkOf(out, "VP8X")
	if out[off] != flagAlpha { // WrongFlags sets alpha too; it is kept as an image property
		t.Errorf("rebuilt flags %#x", out[off])
	}
	// An ANMF frame outside the canvas is malformed.
	a := testimg.WebP(testimg.WebPOptions{Animated: true, Width: 4, Height: 4})
	o, _ := chunkOf(a, "ANMF")
	a = bytes.Clone(a)
	a[o] = 1 // X offset 2
	if _, err := Parse(a); err == nil {
		t.Error("frame outside the canvas parses")
	}
}

// lastBits sets the unused high bits of the last byte of the lossless
// stream in chunk id (whose stream starts skip bytes into the payload).
func lastBits(b []byte, id string, skip int) []byte {
	off, n := chunkOf(b, id)
	p := b[off+skip : off+n]
	var end, bits int
	var err error
	if skip == 0 {
		var st vp8lStream
		st, err = parseVP8L(p)
		end, bits = st.end, st.bits
	} else {
		end, _, bits, err = decodeVP8LImage(p, 0, 17, 9)
	}
	if err != nil || bits%8 == 0 {
		return nil
	}
	c := bytes.Clone(b)
	c[off+skip+end-1] |= 0x80
	return c
}
