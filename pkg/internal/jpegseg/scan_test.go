package jpegseg

import (
	"bytes"
	"errors"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

func TestProvenLengthGenerated(t *testing.T) {
	for _, o := range []testimg.JPEGOptions{{}, {Width: 333, Height: 251, RestartInterval: true, Seed: 3}, {Width: 600, Height: 800, Quality: 95}} {
		b := mustJPEG(t, o)
		n, err := ProvenLength(b, nil)
		if err != nil || n != len(b) {
			t.Fatalf("%+v: ProvenLength = %d, %v; want %d", o, n, err, len(b))
		}
	}
}

// TestParseRebuild: a rebuild's scans are the original's proven scans and
// are not decoded again; anything else is proven like any file.
func TestParseRebuild(t *testing.T) {
	orig := testimg.BuildCoded(testimg.CodedJPEG{Width: 97, Height: 67, Progressive: true, Restart: 3, Seed: 11, AfterMCU: []byte("x")})
	f, err := Parse(orig)
	if err != nil {
		t.Fatal(err)
	}
	out, err := f.Rebuild(meta.DefaultKeep)
	if err != nil {
		t.Fatal(err)
	}
	rp := f.(*file)
	got, err := rp.ParseRebuild(out)
	if err != nil || !got.(*file).p.trusted {
		t.Fatalf("rebuild not recognised: %v", err)
	}
	if u, err := container.Coverage(got.Map(), len(out)); err != nil || u != 0 {
		t.Fatalf("trusted parse: %d unaccounted bytes, %v", u, err)
	}
	// Any change to the coded bytes is decoded again (and here fails).
	bad := bytes.Clone(out)
	bad[len(bad)-3] ^= 0x10
	if g, err := rp.ParseRebuild(bad); err == nil && g.(*file).p.trusted {
		t.Fatal("a modified stream was trusted")
	}
	// The original itself (with slack) is not a rebuild: proven again.
	if g, _ := rp.ParseRebuild(orig); g.(*file).p != nil && g.(*file).p.trusted {
		t.Fatal("a stream with slack was trusted")
	}
	// A plain Parse never trusts.
	if g, _ := Parse(out); g.(*file).p.trusted {
		t.Fatal("Parse trusted a stream")
	}
}

func TestScanErrors(t *testing.T) {
	good := testimg.BuildCoded(testimg.CodedJPEG{Width: 64, Height: 48, Restart: 2, Seed: 5})
	s, _ := Walk(good)
	var sos Segment
	for _, g := range s.Segments {
		if g.Marker == SOS {
			sos = g
		}
	}
	start := payloadOff(sos) + len(sos.Payload)
	// Flip the first RST marker's number: out of sequence.
	rst := bytes.Clone(good)
	i := bytes.Index(rst[start:], []byte{0xFF, 0xD0})
	rst[start+i+1] = 0xD5
	// All-ones bits: no Huffman code of these tables is 16 ones.
	ones := bytes.Clone(good)
	for k := start; k < start+8; k++ {
		ones[k] = 0xFE
	}
	for name, b := range map[string][]byte{"rst out of sequence": rst, "bad code": ones} {
		if _, err := Parse(b); err == nil {
			t.Errorf("%s: accepted", name)
		}
		if _, err := ProvenLength(b, nil); err == nil {
			t.Errorf("%s: ProvenLength accepted", name)
		}
	}
	arith := bytes.Replace(good, []byte{0xFF, 0xC0}, []byte{0xFF, 0xC9}, 1)
	if _, err := Parse(arith); !errors.Is(err, container.ErrUnsupported) {
		t.Errorf("arithmetic coding: %v, want ErrUnsupported", err)
	}
}

func TestProvenLengthAbbreviated(t *testing.T) {
	full := testimg.BuildCoded(testimg.CodedJPEG{Width: 64, Height: 48, Seed: 7})
	s, err := Walk(full)
	if err != nil {
		t.Fatal(err)
	}
	tables := []byte{0xFF, SOI}
	abbr := []byte{0xFF, SOI}
	for _, g := range s.Segments[1 : len(s.Segments)-1] {
		b := appendSegment(nil, g.Marker, g.Payload)
		if g.Marker == DQT || g.Marker == DHT {
			tables = append(tables, b...)
			continue
		}
		abbr = append(append(abbr, b...), g.ECS...)
	}
	tables = append(tables, 0xFF, EOI)
	abbr = append(abbr, 0xFF, EOI)
	padded := append(bytes.Clone(abbr), 0, 0, 0)
	if n, err := ProvenLength(padded, tables); err != nil || n != len(abbr) {
		t.Fatalf("abbreviated: %d, %v; want %d", n, err, len(abbr))
	}
	if _, err := ProvenLength(abbr, nil); err == nil {
		t.Fatal("abbreviated stream without tables accepted")
	}
}
