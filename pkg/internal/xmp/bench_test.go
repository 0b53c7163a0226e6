package xmp

import (
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
