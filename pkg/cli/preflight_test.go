package cli

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestWithFlag(t *testing.T) {
	args := []string{"/tmp/x/photoscrub", "scrub", "--in-place", "--report=r.jsonl", "--jobs", "2", "photos"}
	for _, c := range []struct {
		flag, value string
		want        []string
	}{
		{"report", "r-2.jsonl", []string{"photoscrub", "scrub", "--in-place", "--report=r-2.jsonl", "--jobs", "2", "photos"}},
		{"jobs", "4", []string{"photoscrub", "scrub", "--in-place", "--report=r.jsonl", "--jobs", "4", "photos"}},
		{"resume", "r.jsonl", []string{"photoscrub", "scrub", "--resume", "r.jsonl", "--in-place", "--report=r.jsonl", "--jobs", "2", "photos"}},
	} {
		if got := withFlag(args, "scrub", c.flag, c.value); !slices.Equal(got, c.want) {
			t.Errorf("withFlag %s %s: %q, want %q", c.flag, c.value, got, c.want)
		}
	}
	// a path after -- is never taken for a flag
	got := withFlag([]string{"photoscrub", "scan", "--", "--report"}, "scan", "report", "r.jsonl")
	if want := []string{"photoscrub", "scan", "--report", "r.jsonl", "--", "--report"}; !slices.Equal(got, want) {
		t.Errorf("after --: %q", got)
	}
}

func TestContinueCommand(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, f := range []string{"run.jsonl", "run-2.jsonl", "run.html"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	co := commonOptions{Verb: "scrub", Report: "run.jsonl", HTML: "run.html",
		Args: []string{"./photoscrub", "scrub", "--out", "my clean", "--report", "run.jsonl", "--html", "run.html", "photos"}}
	want := "photoscrub scrub --resume run.jsonl --out 'my clean' --report run-3.jsonl --html run-2.html photos"
	if got := continueCommand(co); got != want {
		t.Errorf("continue: %s\nwant      %s", got, want)
	}
	co.Report, co.HTML = "", ""
	co.Args = []string{"photoscrub", "scan", "photos"}
	if got := continueCommand(co); got != "photoscrub scan photos (add --report FILE to resume instead)" {
		t.Errorf("without a report: %s", got)
	}
}

func TestSuggestFlag(t *testing.T) {
	flags := scrubCommand().Flags
	for bad, want := range map[string]string{"reprot": "--report", "in-plce": "--in-place", "outt": "--out", "dryrun": "--dry-run", "zzzzzzzz": ""} {
		if got := suggestFlag(flags, bad); got != want {
			t.Errorf("suggest %q: %q, want %q", bad, got, want)
		}
	}
}
