package bmff

import (
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/container/containertest"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// Benchmarks (MB/s via SetBytes):
//
//	go test -run XXX -bench . -benchmem ./pkg/internal/bmff/

// benchHEIF returns a HEIC whose primary item holds ~1 MB of coded data in
// 256 NAL units (the NAL framing proof walks them all), with an Exif item
// (GPS), an XMP item, a thumbnail and a depth item.
func benchHEIF(b *testing.B) []byte {
	b.Helper()
	var coded []byte
	slice := make([]byte, 4<<10)
	for i := range slice {
		slice[i] = byte(i * 7)
	}
	for i := 0; i < 256; i++ {
		coded = append(coded, testimg.HEVCNAL(1, slice)...)
	}
	f := hevcFile(coded)
	f = withMeta(f, testimg.HEIFItem{ID: 5, Type: "Exif", Hidden: true, Data: exifItemData(testimg.EXIF(testimg.AllEXIF()))})
	f = withMeta(f, testimg.HEIFItem{ID: 6, Type: "mime", Hidden: true, ContentType: "application/rdf+xml", Data: testimg.XMPPacket(testimg.XMPOptions{})})
	return testimg.BuildHEIF(f)
}

// BenchmarkParse measures Parse: boxes, properties, NAL framing proof and
// metadata classification.
func BenchmarkParse(b *testing.B) { containertest.BenchParse(b, benchHEIF(b), Parse) }

// BenchmarkStrip measures Strip (parse, rebuild, re-parse, SameImage).
func BenchmarkStrip(b *testing.B) { containertest.BenchStrip(b, benchHEIF(b), Strip) }
