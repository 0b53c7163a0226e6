package webpriff

import (
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/container/containertest"
)

// Benchmarks of the proofs (MB/s of coded data via SetBytes):
//
//	go test -run XXX -bench . -benchmem ./pkg/internal/webpriff/

func benchPayload(b *testing.B, name, id string) []byte {
	data := xImageSamples(b)[name]
	off, n := chunkOf(data, id)
	if off < 0 {
		b.Skip("golang.org/x/image testdata not available")
	}
	return data[off : off+n]
}

// BenchmarkVP8Proof decodes every token of a 600×400 lossy frame.
func BenchmarkVP8Proof(b *testing.B) {
	p := benchPayload(b, "blue-purple-pink-large.normal-filter.lossy.webp", "VP8 ")
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		if _, err := parseVP8(p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVP8LProof decodes a 600×400 lossless stream to its last pixel.
func BenchmarkVP8LProof(b *testing.B) {
	p := benchPayload(b, "blue-purple-pink-large.lossless.webp", "VP8L")
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		if _, err := parseVP8L(p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseRebuild parses and rebuilds a lossy file.
func BenchmarkParseRebuild(b *testing.B) {
	data := xImageSamples(b)["yellow_rose.lossy-with-alpha.webp"]
	if data == nil {
		b.Skip("golang.org/x/image testdata not available")
	}
	containertest.BenchParseRebuild(b, data, Parse)
}
