package xmp

import (
	"bytes"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// Benchmarks for Inspect (MB/s via SetBytes):
//
//	go test -run XXX -bench . -benchmem ./pkg/internal/xmp/

// BenchmarkInspect classifies the XMP packet of the benchmark ID card (GPS,
// location, creator, serials, history, a face region).
func BenchmarkInspect(b *testing.B) {
	benchInspect(b, testimg.XMPPacket(testimg.XMPOptions{}))
}

// BenchmarkInspectPadded classifies the same packet with the 2 KB of
// whitespace padding editors usually leave.
func BenchmarkInspectPadded(b *testing.B) {
	benchInspect(b, testimg.XMPPacket(testimg.XMPOptions{Padding: 2048}))
}

func benchInspect(b *testing.B, packet []byte) {
	b.SetBytes(int64(len(packet)))
	b.ReportAllocs()
	for b.Loop() {
		var set meta.Set
		if err := Inspect(packet, "APP1 XMP", &set); err != nil || len(set.List()) == 0 {
			b.Fatalf("Inspect: %d findings, %v", len(set.List()), err)
		}
	}
}

// BenchmarkInspect5K classifies the same packet padded to 5 KB, the size of
// a typical camera or editor packet.
func BenchmarkInspect5K(b *testing.B) {
	p := testimg.XMPPacket(testimg.XMPOptions{})
	benchInspect(b, testimg.XMPPacket(testimg.XMPOptions{Padding: 5120 - len(p)}))
}

// BenchmarkIsPacket sniffs a 64 KB comment that holds no packet (the worst
// case: every marker is searched for over the whole text).
func BenchmarkIsPacket(b *testing.B) {
	text := bytes.Repeat([]byte("a comment that is not XMP, "), 64<<10/27)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if IsPacket(text) {
			b.Fatal("IsPacket")
		}
	}
}
