package jpegtran

import (
	goimage "image"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/container/containertest"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// Benchmarks per stage on one 600×800 4:2:0 ID-card JPEG; each reports
// CPU time per operation (cpu-ns/op) beside wall time, since the machines
// these run on are shared.

func idCard(b *testing.B) []byte {
	in, err := testimg.JPEG(testimg.IDCard(1))
	if err != nil {
		b.Fatal(err)
	}
	return in
}

func BenchmarkIDCard(b *testing.B) { // coefficient path
	in := idCard(b)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	start := containertest.CPUTime()
	for b.Loop() {
		if _, err := Transcode(in, 1); err != nil {
			b.Fatal(err)
		}
	}
	containertest.ReportCPU(b, start, b.N, 0)
}

func BenchmarkDecode(b *testing.B) {
	in := idCard(b)
	b.ReportAllocs()
	start := containertest.CPUTime()
	for b.Loop() {
		if _, err := Decode(in); err != nil {
			b.Fatal(err)
		}
	}
	containertest.ReportCPU(b, start, b.N, 0)
}

func BenchmarkEncodeYCbCr(b *testing.B) {
	src, err := Decode(idCard(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	start := containertest.CPUTime()
	for b.Loop() {
		EncodeYCbCr(src.(*goimage.YCbCr), 92)
	}
	containertest.ReportCPU(b, start, b.N, 0)
}

// BenchmarkPixelPath is the whole pixel path: decode to planes, encode;
// "release" hands the planes back with Release after each encode, as a
// batch run does.
func BenchmarkPixelPath(b *testing.B) {
	in := idCard(b)
	for _, release := range []bool{false, true} {
		name := "fresh"
		if release {
			name = "release"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			start := containertest.CPUTime()
			for b.Loop() {
				src, err := Decode(in)
				if err != nil {
					b.Fatal(err)
				}
				EncodeYCbCr(src.(*goimage.YCbCr), 92)
				if release {
					Release(src)
				}
			}
			containertest.ReportCPU(b, start, b.N, 0)
		})
	}
}
