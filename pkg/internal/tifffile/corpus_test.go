package tifffile_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/corpus"
	"github.com/photoscrub/photoscrub/pkg/internal/tifffile"
	"github.com/photoscrub/photoscrub/pkg/meta"
	xtiff "golang.org/x/image/tiff"
)

func TestCorpus(t *testing.T) {
	dir := corpus.Dir(t)
	ready := classifiersReady()
	var stripped, unsupported, failed int
	for _, e := range corpus.Manifest(t, dir) {
		p := e.Path()
		kind := ""
		switch {
		case strings.HasPrefix(p, "real/tiff/"):
			kind = "real"
		case strings.HasPrefix(p, "real/tiff-raw/"):
			kind = "raw"
		case strings.HasPrefix(p, "malformed/tiff/"):
			kind = "malformed"
		default:
			continue
		}
		t.Run(filepath.Base(p), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, p))
			if err != nil {
				t.Fatal(err)
			}
			ins, ierr := tifffile.Inspect(data)
			if ierr != nil {
				wantFormatOrUnsupported(t, ierr)
			}
			if kind != "malformed" && ready && e["has_gps"] == "yes" {
				var loc bool
				for _, f := range ins.Findings {
					loc = loc || f.Category == meta.Location
				}
				if !loc {
					t.Errorf("has_gps=yes but no location finding: %+v", ins.Findings)
				}
			}
			out, err := tifffile.Strip(data, meta.DefaultKeep)
			if kind == "raw" {
				if !tifffile.IsRaw(data) || !errors.Is(err, tifffile.ErrUnsupported) {
					t.Fatalf("raw: IsRaw %v, Strip error %v", tifffile.IsRaw(data), err)
				}
				unsupported++
				return
			}
			if err != nil {
				wantFormatOrUnsupported(t, err)
				if errors.Is(err, tifffile.ErrUnsupported) {
					unsupported++
				} else {
					failed++
				}
				t.Logf("Strip: %v", err)
				if kind == "real" && !errors.Is(err, tifffile.ErrUnsupported) {
					t.Errorf("real file not stripped: %v", err)
				}
				return
			}
			stripped++
			checkOutput(t, data, out, meta.DefaultKeep)
			if ready {
				ri, err := tifffile.Inspect(out)
				if err != nil || len(ri.Findings) != 0 {
					t.Errorf("re-inspection: err %v, findings %+v", err, ri.Findings)
				}
			}
			a, err1 := xtiff.Decode(bytes.NewReader(data))
			b, err2 := xtiff.Decode(bytes.NewReader(out))
			switch {
			case err1 != nil && err2 != nil:
				t.Logf("x/image/tiff cannot decode either: %v", err1)
			case err1 != nil || err2 != nil:
				t.Errorf("decodability changed: before %v, after %v", err1, err2)
			case !samePixels(a, b):
				t.Error("page 0 pixels differ")
			}
		})
	}
	t.Logf("stripped %d, unsupported %d, failed %d", stripped, unsupported, failed)
}
