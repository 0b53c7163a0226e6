package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func seriesHeader() Header {
	return Header{Command: "serve", Options: Settings{Mode: "lossless", Output: "response", Jobs: 2, Keep: Keep{true, true}}}
}

func seriesRecord(i int) *File {
	return &File{Path: "scrub/" + string(rune('a'+i%26)), Format: "jpeg", Status: StatusClean,
		SHA256Before: strings.Repeat("ab", 32), Client: "portal-1"}
}

func TestSeriesRotatesAndVerifies(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "serve.jsonl")
	s, err := OpenSeries(base, seriesHeader(), Options{}, RotateOptions{MaxBytes: 2000})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 40; i++ {
		if err := s.WriteFile(seriesRecord(i)); err != nil {
			t.Fatal(err)
		}
	}
	head, err := s.Close(Summary{})
	if err != nil {
		t.Fatal(err)
	}
	files, err := SeriesFiles(base)
	if err != nil || len(files) < 3 {
		t.Fatalf("files %v, %v", files, err)
	}
	res, err := VerifySeries(files, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Head != head {
		t.Errorf("series head %s, Close said %s", res.Head, head)
	}
	var n int64
	for _, f := range res.Files {
		n += f.Records - 2
	}
	if n != 40 {
		t.Errorf("%d file records in the series, want 40", n)
	}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
			if err := ValidateLine(line); err != nil {
				t.Fatalf("%s: %v\n%s", f, err, line)
			}
		}
	}

	// A missing middle file breaks the series; so does a swap.
	if _, err := VerifySeries([]string{files[0], files[2]}, nil); err == nil {
		t.Error("series with a file missing verified")
	}
	if _, err := VerifySeries([]string{files[1], files[0]}, nil); err == nil {
		t.Error("series out of order verified")
	}
	// Each file still verifies alone with the plain verifier.
	for _, p := range files {
		f, _ := os.Open(p)
		if _, err := Verify(f, nil); err != nil {
			t.Errorf("%s: %v", p, err)
		}
		f.Close()
	}
}

func TestSeriesRestartLinks(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "watch.jsonl")
	h := seriesHeader()
	h.Command, h.Options.Output = "watch", "out-dir"
	s, err := OpenSeries(base, h, Options{}, RotateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s.WriteFileSync(seriesRecord(1))
	// Simulate a kill: the file is never sealed.
	s.mu.Lock()
	s.w.file.Close()
	s.mu.Unlock()

	s2, err := OpenSeries(base, h, Options{}, RotateOptions{Every: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	s2.WriteFile(seriesRecord(2))
	if _, err := s2.Close(Summary{}); err != nil {
		t.Fatal(err)
	}
	files, _ := SeriesFiles(base)
	if len(files) != 2 {
		t.Fatalf("files %v", files)
	}
	res, err := VerifySeries(files, nil)
	if err == nil || res.BadFile != 0 || !strings.Contains(res.Problem, "not sealed") {
		t.Fatalf("want the unsealed first file named, got %v %+v", err, res)
	}
	// The second file links to the last intact line of the first.
	if res2, err := VerifySeries(files[1:], nil); err != nil {
		t.Fatal(err, res2)
	}
	link, _ := prevReport(files[1])
	f, _ := os.Open(files[0])
	vr, _ := Verify(f, nil)
	f.Close()
	if link != vr.Head || link == "" {
		t.Errorf("prev_report %q, head of the killed file %q", link, vr.Head)
	}
}

func TestSeriesTimeRotation(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "t.jsonl")
	s, err := OpenSeries(base, seriesHeader(), Options{}, RotateOptions{Every: 40 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	s.WriteFile(seriesRecord(0))
	time.Sleep(150 * time.Millisecond)
	s.WriteFile(seriesRecord(1))
	if _, err := s.Close(Summary{}); err != nil {
		t.Fatal(err)
	}
	files, _ := SeriesFiles(base)
	if len(files) != 2 {
		t.Fatalf("want 2 files (one sealed by the clock), got %v", files)
	}
	if _, err := VerifySeries(files, nil); err != nil {
		t.Fatal(err)
	}
}
