package tiffifd

import (
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/corpus"
)

// TestCorpusTIFF walks every TIFF-structured file of the corpus: real ones
// must parse cleanly and show a GPS IFD exactly when ExifTool saw a GPS
// pointer; malformed ones must merely not panic.
func TestCorpusTIFF(t *testing.T) {
	real, bad := 0, 0
	tiffs := func(e corpus.Entry) bool { return strings.Contains(e.Path(), "/tiff") }
	for e, data := range corpus.Files(t, tiffs) {
		p := e.Path()
		tf, err := Parse(data)
		if strings.HasPrefix(p, "malformed/") {
			bad++
			t.Logf("%s: %v", p, err)
			continue
		}
		real++
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if got, want := tf.Has(KindGPS), e["gps_ifd_pointer"] == "yes"; got != want {
			t.Errorf("%s: GPS IFD %v, ExifTool %v", p, got, want)
		}
		t.Logf("%s: %d IFDs (%d in chain), big=%v", p, len(tf.IFDs), len(tf.Chain()), tf.Big)
	}
	t.Logf("%d real and %d malformed TIFF files", real, bad)
}
