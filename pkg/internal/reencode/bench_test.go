package reencode

import (
	"context"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// BenchmarkIDCard re-encodes one 600×800 ID-card JPEG (the pixel path:
// YCbCr planes end to end).
func BenchmarkIDCard(b *testing.B) {
	in, err := testimg.JPEG(testimg.IDCard(1))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := Reencode(context.Background(), format.JPEG, in, Options{Quality: 92}); err != nil {
			b.Fatal(err)
		}
	}
}
