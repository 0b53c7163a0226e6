package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// writeTree writes n generated photos (every 5th one clean) plus a text
// file into dir.
func writeTree(t testing.TB, dir string, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		o := testimg.JPEGOptions{Width: 32, Height: 24, Seed: int64(i), GPS: i%5 != 0, XMP: i%3 == 0, Comment: i%4 == 0, Orientation: i%8 + 1}
		b, err := testimg.JPEG(o)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, fmt.Sprintf("d%02d", i%7), fmt.Sprintf("p%04d.jpg", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "readme.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// stable is a Result without the fields that vary between runs.
type stable struct {
	Root                   int
	Path, Format, Status   string
	Reason                 string
	Findings               []meta.Finding
	SizeAfter              int64
	SHA256Before, SHA256Af string
}

func collect(t *testing.T, cfg Config) []stable {
	t.Helper()
	var got []stable
	cfg.Sink = func(r *Result) error {
		got = append(got, stable{r.Root, r.Path, r.Format, r.Status, r.Reason, r.Findings, r.SizeAfter, r.SHA256Before, r.SHA256After})
		return nil
	}
	if _, err := Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestReportIdenticalForAnyJobs(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, 120)
	base := Config{Roots: []string{dir}, Scrub: true, DryRun: true, Keep: meta.DefaultKeep}
	var first []stable
	for _, jobs := range []int{1, 2, 8} {
		cfg := base
		cfg.Jobs = jobs
		got := collect(t, cfg)
		if len(got) != 121 {
			t.Fatalf("jobs %d: %d results, want 121", jobs, len(got))
		}
		if first == nil {
			first = got
			continue
		}
		if !reflect.DeepEqual(first, got) {
			a, _ := json.Marshal(first[:3])
			b, _ := json.Marshal(got[:3])
			t.Fatalf("jobs %d: results differ from jobs 1\n%s\n%s", jobs, a, b)
		}
	}
	// Walk order: lexical.
	for i := 1; i < len(first); i++ {
		if first[i-1].Path >= first[i].Path {
			t.Fatalf("not in walk order: %s before %s", first[i-1].Path, first[i].Path)
		}
	}
}

func TestScrubOutMirrorsAndVerifies(t *testing.T) {
	in, out := t.TempDir(), filepath.Join(t.TempDir(), "clean")
	writeTree(t, in, 30)
	before := snapshotTree(t, in)
	got := collect(t, Config{Roots: []string{in}, Scrub: true, OutDir: out, Keep: meta.DefaultKeep, Jobs: 4})
	for _, r := range got {
		switch r.Path {
		case "readme.txt":
			if r.Status != StatusSkipped {
				t.Errorf("readme.txt: %s", r.Status)
			}
			continue
		}
		if r.Status != StatusScrubbed && r.Status != StatusClean {
			t.Errorf("%s: status %s (%s)", r.Path, r.Status, r.Reason)
		}
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(r.Path)))
		if err != nil {
			t.Fatalf("%s: output missing: %v", r.Path, err)
		}
		for _, n := range testimg.DefaultMarkers().Strings() {
			if bytes.Contains(b, []byte(n)) {
				t.Errorf("%s: output holds %q", r.Path, n)
			}
		}
	}
	if after := snapshotTree(t, in); !reflect.DeepEqual(before, after) {
		t.Fatal("an original changed")
	}
}

func TestPanicAndTimeoutBecomeFailedResults(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, 6)
	testHookFile = func(rel string) {
		switch rel {
		case "d01/p0001.jpg":
			panic("boom")
		case "d02/p0002.jpg":
			time.Sleep(2 * time.Second)
		}
	}
	defer func() { testHookFile = nil }()
	byPath := map[string]*Result{}
	cfg := Config{Roots: []string{dir}, Jobs: 2, Keep: meta.DefaultKeep, FileTimeout: 300 * time.Millisecond,
		Sink: func(r *Result) error { byPath[r.Path] = r; return nil }}
	if _, err := Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if len(byPath) != 7 {
		t.Fatalf("%d results", len(byPath))
	}
	if r := byPath["d01/p0001.jpg"]; r.Status != StatusFailed || r.Reason != ReasonPanic {
		t.Errorf("panicking file: %s %s", r.Status, r.Reason)
	}
	if r := byPath["d02/p0002.jpg"]; r.Status != StatusFailed || r.Reason != ReasonTimeout {
		t.Errorf("slow file: %s %s", r.Status, r.Reason)
	}
	if r := byPath["d03/p0003.jpg"]; r.Status != StatusWouldScrub {
		t.Errorf("other file: %s %s", r.Status, r.Reason)
	}
}

func TestSinkErrorIsFatal(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, 20)
	n := 0
	_, err := Run(context.Background(), Config{Roots: []string{dir}, Jobs: 3, Sink: func(*Result) error {
		n++
		if n == 5 {
			return fmt.Errorf("disk full")
		}
		return nil
	}})
	if err == nil || n != 5 {
		t.Fatalf("err %v after %d records", err, n)
	}
}

func TestInterruptStopsRun(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, 50)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	sum, err := Run(ctx, Config{Roots: []string{dir}, Jobs: 2, Sink: func(*Result) error {
		n++
		if n == 10 {
			cancel()
		}
		return nil
	}})
	if err == nil || !sum.Interrupted {
		t.Fatalf("err %v, interrupted %v", err, sum.Interrupted)
	}
	if n >= 51 {
		t.Fatalf("all %d files processed after the interrupt", n)
	}
}

func snapshotTree(t testing.TB, dir string) map[string]string {
	m := map[string]string{}
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			b, _ := os.ReadFile(p)
			m[p] = fmt.Sprintf("%x|%v|%v", b, fi.ModTime(), fi.Mode())
		}
		return nil
	})
	return m
}
