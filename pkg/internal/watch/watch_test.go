package watch

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/photoscrub/photoscrub/pkg/internal/arrivaltest"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/photoscrub"
	"github.com/photoscrub/photoscrub/pkg/report"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

type env struct {
	t                     *testing.T
	drop, out, quar, base string
	series                *report.Series
	log                   *arrivaltest.LogBuffer
	cancel                context.CancelFunc
	done                  chan error
}

func start(t *testing.T, keepOriginals bool, prepare func(drop string)) *env {
	t.Helper()
	dir := t.TempDir()
	e := &env{t: t, drop: filepath.Join(dir, "drop"), out: filepath.Join(dir, "clean"), quar: filepath.Join(dir, "quarantine"),
		base: filepath.Join(dir, "watch.jsonl"), log: &arrivaltest.LogBuffer{}, done: make(chan error, 1)}
	os.MkdirAll(e.drop, 0o755)
	if prepare != nil {
		prepare(e.drop)
	}
	var err error
	e.series, err = report.OpenSeries(e.base, report.Header{Command: "watch", Roots: []string{e.drop},
		Options: report.Settings{Mode: "lossless", Output: "out-dir", OutDir: e.out, Jobs: 2, Keep: report.Keep{Orientation: true, ICC: true}}},
		report.Options{}, report.RotateOptions{MaxBytes: 256 << 10})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e.cancel = cancel
	go func() {
		e.done <- Run(ctx, Config{Drop: e.drop, Out: e.out, Quarantine: e.quar, KeepOriginals: keepOriginals,
			Settle: 150 * time.Millisecond, Rescan: 2 * time.Second, Jobs: 2,
			Options: photoscrub.Options{Keep: meta.DefaultKeep}, Report: e.series,
			Logger: slog.New(slog.NewJSONHandler(e.log, nil))})
	}()
	return e
}

// waitEmpty waits until the drop folder holds no file but temp names.
func (e *env) waitEmpty(d time.Duration) {
	e.t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if len(files(e.drop, false)) == 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	e.t.Fatalf("drop folder not empty after %s: %d files left", d, len(files(e.drop, false)))
}

func (e *env) stop() []*report.File {
	e.t.Helper()
	e.cancel()
	if err := <-e.done; err != nil {
		e.t.Fatal(err)
	}
	_, all := arrivaltest.SealSeries(e.t, e.series, e.base)
	var recs []*report.File
	for _, b := range all {
		for _, line := range arrivaltest.Lines(b) {
			if bytes.Contains(line, []byte(`"type":"file"`)) {
				var f report.File
				if err := jsonUnmarshal(line, &f); err != nil {
					e.t.Fatal(err)
				}
				recs = append(recs, &f)
			}
		}
	}
	arrivaltest.NoPlanted(e.t, "report file or log", append(all, e.log.Bytes())...)
	for _, p := range files(e.out, true) {
		b, _ := os.ReadFile(filepath.Join(e.out, p))
		arrivaltest.NoPlanted(e.t, "clean copy "+p, b)
	}
	return recs
}

// files lists regular files under dir (relative, slash-separated); temp
// names too when all.
func files(dir string, all bool) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if !all && IsTemp(d.Name()) {
			return nil
		}
		r, _ := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(r))
		return nil
	})
	return out
}

var photos [][]byte

func photo(t *testing.T, i int) []byte {
	if photos == nil {
		for s := 0; s < 16; s++ {
			o := testimg.Everything()
			o.Seed = int64(s + 1)
			b, err := testimg.JPEG(o)
			if err != nil {
				t.Fatal(err)
			}
			photos = append(photos, b)
		}
	}
	return photos[i%len(photos)]
}

func TestWatchBurstTrickleAndExisting(t *testing.T) {
	burst := 2000
	if testing.Short() {
		burst = 200
	}
	e := start(t, false, func(drop string) {
		// Files present at start, and a stale temp name.
		os.MkdirAll(filepath.Join(drop, "old"), 0o755)
		for i := 0; i < 10; i++ {
			os.WriteFile(filepath.Join(drop, "old", fmt.Sprintf("p%d.jpg", i)), photo(t, i), 0o644)
		}
	})
	time.Sleep(100 * time.Millisecond)
	// A burst into new sub-directories, written at once.
	for i := 0; i < burst; i++ {
		d := filepath.Join(e.drop, fmt.Sprintf("b%02d", i%20))
		os.MkdirAll(d, 0o755)
		os.WriteFile(filepath.Join(d, fmt.Sprintf("img%04d.jpg", i)), photo(t, i), 0o644)
	}
	// 200 trickled in as partial writes: half under a .part name renamed at
	// the end (pauses longer than the settle time), half written in pieces
	// in place (pauses shorter than it).
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < 200; i += 4 {
				b := photo(t, i)
				final := filepath.Join(e.drop, "trickle", fmt.Sprintf("t%03d.jpg", i))
				os.MkdirAll(filepath.Dir(final), 0o755)
				name, pause := final, 30*time.Millisecond
				if i%2 == 0 {
					name, pause = final+".part", 200*time.Millisecond
				}
				f, err := os.Create(name)
				if err != nil {
					t.Error(err)
					return
				}
				third := len(b) / 3
				f.Write(b[:third])
				time.Sleep(pause)
				f.Write(b[third : 2*third])
				time.Sleep(pause)
				f.Write(b[2*third:])
				f.Close()
				if name != final {
					os.Rename(name, final)
				}
			}
		}(w)
	}
	wg.Wait()
	e.waitEmpty(120 * time.Second)
	time.Sleep(400 * time.Millisecond) // no late duplicate
	recs := e.stop()
	want := 10 + burst + 200
	if len(recs) != want {
		t.Errorf("%d records, want %d (each file exactly once)", len(recs), want)
	}
	seen := map[string]int{}
	for _, r := range recs {
		seen[r.Path]++
		if r.Status != report.StatusScrubbed {
			t.Errorf("%s: %s %s %s", r.Path, r.Status, r.Reason, r.Error)
		}
	}
	for p, n := range seen {
		if n != 1 {
			t.Errorf("%s recorded %d times", p, n)
		}
	}
	outs := files(e.out, true)
	if len(outs) != want {
		t.Errorf("%d files in the output, want %d", len(outs), want)
	}
	for _, p := range outs {
		if strings.Contains(p, ".photoscrub-") || strings.Contains(p, ".part") {
			t.Errorf("temp file %s in the output", p)
		}
		b, _ := os.ReadFile(filepath.Join(e.out, p))
		if in, err := photoscrub.Inspect(b); err != nil || len(in.Findings) > 0 {
			t.Errorf("%s not clean: %v", p, err)
		}
	}
	if q := files(e.quar, true); len(q) != 0 {
		t.Errorf("quarantine holds %v", q)
	}
}

func TestWatchQuarantine(t *testing.T) {
	good := photo(t, 0)
	e := start(t, true, func(drop string) {
		os.WriteFile(filepath.Join(drop, "trunc.jpg"), good[:len(good)/2], 0o644)
		os.WriteFile(filepath.Join(drop, "notes.txt"), []byte("not a photo"), 0o644)
		os.WriteFile(filepath.Join(drop, "good.jpg"), good, 0o644)
		os.WriteFile(filepath.Join(drop, ".hidden.jpg"), good, 0o644)
		os.WriteFile(filepath.Join(drop, "up.jpg.filepart"), good, 0o644)
	})
	deadline := time.Now().Add(20 * time.Second)
	for len(files(e.drop, false)) > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	recs := e.stop()
	if got := files(e.out, true); len(got) != 1 || got[0] != "good.jpg" {
		t.Errorf("output %v, want only good.jpg", got)
	}
	q := strings.Join(files(e.quar, true), " ")
	for _, want := range []string{"trunc.jpg", "notes.txt", "good.jpg"} {
		if !strings.Contains(q, want) {
			t.Errorf("quarantine %q lacks %s", q, want)
		}
	}
	if fi, err := os.Stat(e.quar); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("quarantine mode %v", fi.Mode())
	}
	if left := files(e.drop, true); len(left) != 2 {
		t.Errorf("drop folder: %v, want the two temp names left alone", left)
	}
	byPath := map[string]*report.File{}
	for _, r := range recs {
		byPath[r.Path] = r
	}
	if r := byPath["trunc.jpg"]; r == nil || r.Status != report.StatusFailed || r.Reason != report.ReasonParse {
		t.Errorf("trunc.jpg: %+v", r)
	}
	if r := byPath["notes.txt"]; r == nil || r.Status != report.StatusSkipped || r.Reason != report.ReasonNotImage {
		t.Errorf("notes.txt: %+v", r)
	}
	if r := byPath["good.jpg"]; r == nil || r.Status != report.StatusScrubbed {
		t.Errorf("good.jpg: %+v", r)
	}
	if len(recs) != 3 {
		t.Errorf("%d records, want 3", len(recs))
	}
}

func TestIsTemp(t *testing.T) {
	for name, want := range map[string]bool{"a.jpg": false, "a.jpg.part": true, "a.filepart": true, ".~lock.a.jpg#": true,
		".a.jpg": true, "a.JPG.PART": true, "~$a.jpg": true, "a.partial.jpg": false} {
		if IsTemp(name) != want {
			t.Errorf("IsTemp(%q) = %v", name, !want)
		}
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
