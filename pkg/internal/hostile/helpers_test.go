package hostile

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/photoscrub/photoscrub/pkg/testimg"
)

const (
	// deadline bounds one photoscrub run; a hang fails the test.
	deadline = 20 * time.Second
	// maxRSSKiB bounds the child's peak resident set size. Measured peaks
	// (docs/robustness.md) are 11-13 MiB for ordinary runs, 24 MiB for the
	// 10 MB APP chain and 35 MiB for the zlib bomb, of which about 4 MiB is
	// the measuring wrapper. 128 MiB is about 4× the worst, room for GC
	// timing on a busier machine, yet an order of magnitude below what any
	// bomb here asks for if honoured (512 MiB inflated text, 4-30 GB of
	// pixels).
	maxRSSKiB = 128 << 10
)

// record is the part of a report file record the tests look at.
type record struct {
	Type         string `json:"type"`
	Path         string `json:"path"`
	Status       string `json:"status"`
	Reason       string `json:"reason"`
	Verification string `json:"verification"`
	Error        string `json:"error"`
	Findings     []struct {
		Category string `json:"category"`
	} `json:"findings"`
}

func (r record) unparsed() bool {
	for _, f := range r.Findings {
		if f.Category == "unparsed" {
			return true
		}
	}
	return false
}

// blocking reports whether r makes the run exit 3 (pkg/cli's rule).
func (r record) blocking() bool {
	switch r.Status {
	case "failed", "unsupported":
		return true
	case "would-scrub":
		return r.unparsed()
	case "skipped":
		switch r.Reason {
		case "symlink", "not-regular", "not-image", "duplicate", "stale-temp":
			return false
		}
		return true
	}
	return false
}

func (r record) outcome() string {
	if r.Reason != "" {
		return r.Status + "/" + r.Reason
	}
	if r.Status == "would-scrub" && r.unparsed() {
		return "would-scrub+unparsed"
	}
	return r.Status
}

var durationField = regexp.MustCompile(`"duration_ms":[0-9.eE+-]+`)

// readReport returns the report's file records by path and its raw text
// with the timing fields removed (a duration could render like a planted
// coordinate).
func readReport(t testing.TB, path string) (map[string]record, []byte) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("report: %v", err)
	}
	lines := bytes.Split(bytes.TrimRight(raw, "\n"), []byte("\n"))
	recs := map[string]record{}
	for i, l := range lines {
		var r record
		if err := json.Unmarshal(l, &struct {
			Type *string `json:"type"`
		}{&r.Type}); err != nil {
			t.Fatalf("report line %d: %v", i+1, err)
		}
		if r.Type == "file" {
			if err := json.Unmarshal(l, &r); err != nil {
				t.Fatalf("report line %d: %v", i+1, err)
			}
			recs[r.Path] = r
		}
		if i == len(lines)-1 && r.Type != "summary" {
			t.Errorf("report %s is not sealed (last line is %q)", filepath.Base(path), r.Type)
		}
	}
	return recs, durationField.ReplaceAll(raw, nil)
}

var needles = testimg.DefaultMarkers().Needles()

// noNeedle fails when any planted value occurs in b.
func noNeedle(t testing.TB, what string, b []byte, list []string) {
	t.Helper()
	for _, n := range list {
		if bytes.Contains(b, []byte(n)) {
			t.Errorf("%s contains the planted value %q", what, n)
		}
	}
}

// checkRun asserts what every run must satisfy and returns the report's
// records: finished in time, no crash, bounded memory, a sealed report
// covering want (the files in the input), an exit code that matches the
// records, and no planted value in its output. ok is the exit code when
// nothing blocks (1 for a scan with findings, 0 for a scrub).
func checkRun(t testing.TB, r result, report string, want []string, ok int) map[string]record {
	t.Helper()
	cmdline := "photoscrub " + strings.Join(r.args, " ")
	switch {
	case r.timedOut:
		t.Fatalf("%s: HANG: not finished within %s (killed)", cmdline, deadline)
	case r.signal != "":
		t.Fatalf("%s: CRASH: killed by %s\n%s", cmdline, r.signal, tail(r.stderr))
	case bytes.Contains(r.stderr, []byte("panic:")) || bytes.Contains(r.stderr, []byte("fatal error:")):
		t.Fatalf("%s: CRASH (exit %d)\n%s", cmdline, r.code, tail(r.stderr))
	case r.code != 0 && r.code != 1 && r.code != 3:
		t.Fatalf("%s: exit %d, want 0, 1 or 3\n%s", cmdline, r.code, tail(r.stderr))
	}
	if r.rssKiB > maxRSSKiB {
		t.Errorf("%s: peak RSS %d MiB > %d MiB", cmdline, r.rssKiB>>10, maxRSSKiB>>10)
	}
	recs, raw := readReport(t, report)
	blocking := false
	for _, p := range want {
		rec, found := recs[p]
		if !found {
			t.Errorf("%s: report has no record for %s: the run did not go on", cmdline, p)
			continue
		}
		if rec.Reason == "panic" || rec.Reason == "timeout" {
			t.Errorf("%s: %s: %s (a parser crashed or hung inside the run)", cmdline, p, rec.outcome())
		}
		blocking = blocking || rec.blocking()
	}
	if len(recs) != len(want) {
		t.Errorf("%s: report has %d file records, want %d", cmdline, len(recs), len(want))
	}
	exp := ok
	if blocking {
		exp = 3
	}
	if r.code != exp {
		t.Errorf("%s: exit %d, want %d from the report's records", cmdline, r.code, exp)
	}
	noNeedle(t, cmdline+" stderr", r.stderr, needles)
	noNeedle(t, cmdline+" stdout", r.stdout, needles)
	noNeedle(t, cmdline+" report", raw, needles)
	return recs
}

func tail(b []byte) string {
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

func sum(t testing.TB, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// checkOutput asserts that a scrub's output tree (one input root, so the
// output mirrors it) holds exactly the scrubbed or clean files of recs,
// none with a planted marker string, and that it re-scans clean (exit 0).
func checkOutput(t testing.TB, out string, recs map[string]record, work string) {
	t.Helper()
	written := map[string]bool{}
	files := pathsUnder(t, out)
	for _, p := range files {
		written[p] = true
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		noNeedle(t, "output "+p, b, testimg.DefaultMarkers().Strings())
	}
	for p, rec := range recs {
		done := rec.Status == "scrubbed" || rec.Status == "clean"
		if rec.Status == "scrubbed" && rec.Verification != "passed" {
			t.Errorf("%s scrubbed with verification %q", p, rec.Verification)
		}
		if done != written[p] {
			t.Errorf("%s is %s but its output exists=%v", p, rec.outcome(), written[p])
		}
		delete(written, p)
	}
	for p := range written {
		t.Errorf("output %s has no record", p)
	}
	rep := filepath.Join(work, "rescan-"+filepath.Base(out)+".jsonl")
	r := photoscrub(t, "scan", "--report", rep, out)
	for p, rec := range checkRun(t, r, rep, files, 0) {
		if rec.Status != "clean" {
			t.Errorf("re-scan of the output: %s is %s, want clean", p, rec.outcome())
		}
	}
}

// pathsUnder lists the regular files under dir as the report names them
// for a scan of dir.
func pathsUnder(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return err
	})
	return out
}
