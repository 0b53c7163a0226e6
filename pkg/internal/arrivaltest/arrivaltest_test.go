package arrivaltest

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/report"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// recorder counts the failures a helper reports instead of failing.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestNoPlanted(t *testing.T) {
	needle := testimg.DefaultMarkers().Needles()[0]
	r := &recorder{TB: t}
	NoPlanted(r, "output", []byte("clean"), []byte("x"+needle+"y"))
	if len(r.errs) != 1 {
		t.Fatalf("%d failures, want 1: %q", len(r.errs), r.errs)
	}
	r.errs = nil
	NoPlanted(r, "output", []byte("clean"))
	if len(r.errs) != 0 {
		t.Errorf("clean output failed: %q", r.errs)
	}
}

func TestLogBufferAndSealSeries(t *testing.T) {
	var log LogBuffer
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				fmt.Fprintf(&log, "line\n")
			}
		}()
	}
	wg.Wait()
	if n := len(log.Bytes()); n != 8*100*5 {
		t.Errorf("%d bytes logged, want %d", n, 8*100*5)
	}

	// A series rotated by size: every record read back, once.
	base := filepath.Join(t.TempDir(), "w.jsonl")
	hdr := report.Header{Command: "watch", Options: report.Settings{Mode: "lossless", Output: "out-dir", OutDir: "clean"}}
	s, err := report.OpenSeries(base, hdr, report.Options{}, report.RotateOptions{MaxBytes: 1 << 10})
	if err != nil {
		t.Fatal(err)
	}
	const n = 20
	for i := 0; i < n; i++ {
		if err := s.WriteFile(&report.File{Path: fmt.Sprintf("p%02d.jpg", i), Format: "jpeg", Status: report.StatusScrubbed}); err != nil {
			t.Fatal(err)
		}
	}
	res, contents := SealSeries(t, s, base)
	if len(res.Files) < 2 || len(contents) != len(res.Files) {
		t.Fatalf("%d results and %d files, want as many and at least 2", len(res.Files), len(contents))
	}
	var records int64
	for i, b := range contents {
		if got := len(Lines(b)); int64(got) != res.Files[i].Records {
			t.Errorf("file %d: %d lines, %d records", i, got, res.Files[i].Records)
		}
		records += res.Files[i].Records - 2 // header and seal
	}
	if records != n {
		t.Errorf("%d file records, want %d", records, n)
	}
}
