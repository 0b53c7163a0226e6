package hostile

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// bin is the photoscrub binary built by TestMain (or given as HOSTILE_BIN).
var bin string

func TestMain(m *testing.M) {
	if os.Getenv(wrapEnv) != "" {
		os.Exit(wrapMain())
	}
	dir, err := os.MkdirTemp("", "photoscrub-hostile-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := func() int {
		defer os.RemoveAll(dir)
		if b := os.Getenv("HOSTILE_BIN"); b != "" {
			// A prebuilt binary, e.g. while another package is mid-edit.
			bin = b
			return m.Run()
		}
		root, err := moduleRoot()
		if err != nil {
			fmt.Fprintln(os.Stderr, "hostile:", err)
			return 1
		}
		bin = filepath.Join(dir, "photoscrub")
		cmd := exec.Command("go", "build", "-o", bin, "./cmd/photoscrub")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "hostile: building photoscrub: %v\n%s", err, out)
			return 1
		}
		return m.Run()
	}()
	os.Exit(code)
}

func moduleRoot() (string, error) {
	d, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("no go.mod above the working directory")
		}
		d = filepath.Dir(d)
	}
}

// row is one line of the results table.
type row struct {
	name        string
	size        int
	runs        [3]string // scan, scrub, scrub --mode reencode: "exit outcome"
	wall, rsses [3]string // seconds, MiB
}

// TestHostile runs scan, scrub --out and scrub --mode reencode --out on a
// directory holding one hostile file and one normal photo with metadata,
// for every case of hostileCases (and once with the normal photo alone as
// the baseline).
func TestHostile(t *testing.T) {
	normal, err := testimg.JPEG(testimg.IDCard(1))
	if err != nil {
		t.Fatal(err)
	}
	gen := time.Now()
	cases := append([]hcase{{name: "baseline/normal-photo-only"}}, hostileCases(t)...)
	t.Logf("generated %d hostile inputs in %s", len(cases)-1, time.Since(gen).Round(time.Millisecond))
	var rows []row
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rw := hostileCase(t, c, normal)
			rw.name, rw.size = c.name, len(c.data)
			rows = append(rows, rw)
		})
	}
	table := renderTable(rows)
	t.Logf("hostile inputs: exit code and outcome of the hostile file, wall time, peak RSS\n%s", table)
	if p := os.Getenv("HOSTILE_TABLE"); p != "" {
		if err := os.WriteFile(p, []byte(table), 0o644); err != nil {
			t.Error(err)
		}
	}
}

func hostileCase(t *testing.T, c hcase, normal []byte) row {
	work := t.TempDir()
	in := filepath.Join(work, "in")
	if err := os.Mkdir(in, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"normal.jpg": normal}
	if c.file != "" {
		files[c.file] = c.data
	}
	want := make([]string, 0, len(files))
	before := map[string][32]byte{}
	for name, b := range files {
		p := filepath.Join(in, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		want = append(want, name)
		before[name] = sum(t, p)
	}
	var rw row
	runs := []struct {
		args    []string
		ok      int
		normal  string
		outDir  string
		reports string
	}{
		{[]string{"scan"}, 1, "would-scrub", "", "scan.jsonl"},
		{[]string{"scrub", "--out", filepath.Join(work, "out")}, 0, "scrubbed", filepath.Join(work, "out"), "scrub.jsonl"},
		{[]string{"scrub", "--mode", "reencode", "--out", filepath.Join(work, "out2")}, 0, "scrubbed", filepath.Join(work, "out2"), "reencode.jsonl"},
	}
	for i, rn := range runs {
		rep := filepath.Join(work, rn.reports)
		args := append(append(rn.args[:1:1], "--report", rep), rn.args[1:]...)
		r := photoscrub(t, append(args, in)...)
		recs := checkRun(t, r, rep, want, rn.ok)
		if got := recs["normal.jpg"].outcome(); got != rn.normal {
			t.Errorf("photoscrub %s: the normal photo is %s, want %s", rn.args[0], got, rn.normal)
		}
		if rn.outDir != "" {
			checkOutput(t, rn.outDir, recs, work)
		}
		out := "-"
		if c.file != "" {
			out = recs[c.file].outcome()
		}
		rw.runs[i] = fmt.Sprintf("%d %s", r.code, out)
		rw.wall[i] = fmt.Sprintf("%.2f", r.wall.Seconds())
		rw.rsses[i] = fmt.Sprintf("%d", r.rssKiB>>10)
		t.Logf("%-8s exit %d  %-28s %6.2fs %4d MiB", strings.TrimSuffix(rn.reports, ".jsonl"), r.code, out, r.wall.Seconds(), r.rssKiB>>10)
	}
	for name := range files {
		if sum(t, filepath.Join(in, name)) != before[name] {
			t.Errorf("the original %s changed", name)
		}
	}
	return rw
}

func renderTable(rows []row) string {
	var b strings.Builder
	b.WriteString("| case | bytes | scan | scrub | scrub --mode reencode | time s (scan/scrub/re) | peak RSS MiB (scan/scrub/re) |\n")
	b.WriteString("| --- | ---: | --- | --- | --- | --- | --- |\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s | %s |\n", r.name, r.size, r.runs[0], r.runs[1], r.runs[2],
			strings.Join(r.wall[:], " / "), strings.Join(r.rsses[:], " / "))
	}
	return b.String()
}
