package tifffile_test

import (
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/tifffile"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

func FuzzTIFF(f *testing.F) {
	for _, o := range variants() {
		f.Add(testimg.TIFF(o))
	}
	f.Add(testimg.TIFF(testimg.TIFFOptions{}))
	for _, b := range hostile(f) {
		f.Add(b)
	}
	ready := classifiersReady()
	f.Fuzz(func(t *testing.T, data []byte) {
		ins, err := tifffile.Inspect(data)
		if err != nil {
			wantFormatOrUnsupported(t, err)
			if len(ins.Findings) == 0 {
				t.Fatal("Inspect error without an Unparsed finding")
			}
		}
		tifffile.IsRaw(data)
		out, err := tifffile.Strip(data, meta.DefaultKeep)
		if err != nil {
			wantFormatOrUnsupported(t, err)
			return
		}
		checkOutput(t, data, out, meta.DefaultKeep)
		if ready {
			ri, err := tifffile.Inspect(out)
			if err != nil || len(ri.Findings) != 0 {
				t.Fatalf("re-inspection of Strip output: err %v, findings %+v", err, ri.Findings)
			}
		}
	})
}
