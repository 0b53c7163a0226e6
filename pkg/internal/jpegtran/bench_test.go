package jpegtran

import (
	"testing"

	"github.com/photoscrub/photoscrub/pkg/testimg"
)

func BenchmarkIDCard(b *testing.B) {
	in, err := testimg.JPEG(testimg.IDCard(1))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := Transcode(in, 1); err != nil {
			b.Fatal(err)
		}
	}
}
