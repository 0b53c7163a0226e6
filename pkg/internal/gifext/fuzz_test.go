package gifext

import (
	"bytes"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

func FuzzGIF(f *testing.F) {
	for _, o := range []testimg.GIFOptions{{}, testimg.AllGIF(), {XMP: true}, {Frames: 3, Loop: true, Comment: true}} {
		f.Add(testimg.GIF(o))
	}
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
				if out != nil || len(insp.Findings) == 0 {
					t.Fatal("partial output or no finding for an unwalkable file")
				}
				continue
			}
			fo, err := walk(out)
			if err != nil {
				t.Fatalf("output does not walk: %v", err)
			}
			if len(fo.trailer) != 0 {
				t.Fatal("bytes after the trailer")
			}
			for _, b := range fo.blocks {
				if b.intro == introImage || b.label == labelGraphicControl && b.subBlocks == 0 {
					continue
				}
				switch b.appID() {
				case "NETSCAPE2.0", "ANIMEXTS1.0":
					if _, ok := loopCount(b); ok {
						continue
					}
				case "ICCRGBG1012":
					if k.ICC {
						continue
					}
				}
				t.Fatalf("extension 0x%02X survived", b.label)
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
