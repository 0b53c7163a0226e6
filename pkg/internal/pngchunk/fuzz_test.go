package pngchunk

import (
	"bytes"
	"slices"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

func FuzzPNG(f *testing.F) {
	all := testimg.AllPNG()
	all.Orientation = 6
	for _, o := range []testimg.PNGOptions{{}, all, {APNG: true, ICC: true}, {RawEXIF: true, RawIPTC: true},
		{XMP: true, CompressedText: true}, {EXIF: true, EXIFPrefix: true, Orientation: 8}} {
		f.Add(testimg.PNG(o))
	}
	f.Add(withChunk(testimg.PNGChunk("tEXt", []byte("Raw profile type exif\x00\nexif\n 4\n4d4d002a"))))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		insp, ierr := Inspect(data)
		for _, k := range []meta.Keep{meta.DefaultKeep, {}} {
			out, err := Strip(data, k)
			if (err == nil) != (ierr == nil) {
				t.Fatalf("Inspect error %v, Strip error %v", ierr, err)
			}
			if err != nil {
				if out != nil {
					t.Fatal("partial output with an error")
				}
				if len(insp.Findings) == 0 {
					t.Fatal("unwalkable file without findings")
				}
				continue
			}
			fo, err := walk(out)
			if err != nil {
				t.Fatalf("output does not walk: %v", err)
			}
			if len(fo.trailer) != 0 {
				t.Fatal("bytes after IEND")
			}
			for _, c := range fo.chunks {
				if !c.crcOK || !slices.Contains(allowed, c.typ) {
					t.Fatalf("bad output chunk %s (crc %v)", c.typ, c.crcOK)
				}
			}
			again, err := Strip(out, k)
			if err != nil || !bytes.Equal(again, out) {
				t.Fatalf("not idempotent: %v", err)
			}
			if ri, err := Inspect(out); err != nil || len(ri.Findings) != 0 {
				t.Fatalf("re-inspection: %v %v", err, ri.Findings)
			}
			if err := SameImage(data, out); err != nil {
				t.Fatalf("SameImage: %v", err)
			}
		}
	})
}
