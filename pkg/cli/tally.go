package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/photoscrub/photoscrub/pkg/internal/pipeline"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/report"
)

// maxResidualShown bounds the files named at the end of a run.
const maxResidualShown = 20

// tally counts results for the exit code and the closing summary.
type tally struct {
	command    string // header command: scan or scrub
	dryRun     bool
	roots      rootView
	files      int
	status     map[string]int
	categories map[meta.Category]int
	blocking   int // files that leave the run incomplete (exit 3)
	findings   int // files with findings left (scan / dry run)
	residual   int // files still holding location or identity data
	found      int // of which found by a scan or dry run (would-scrub)
	named      []string
}

// notBlocking are skip reasons that say nothing about a photo being left
// uncleaned: links are never followed, non-images are not photos, a
// duplicate was processed under its other name, our own files are ours.
var notBlocking = map[string]bool{
	pipeline.ReasonSymlink: true, pipeline.ReasonNotRegular: true, pipeline.ReasonNotImage: true,
	"duplicate": true, pipeline.ReasonStaleTemp: true, "outside-root": true,
}

func (t *tally) add(r *pipeline.Result, rec *report.File) {
	if t.status == nil {
		t.status = map[string]int{}
		t.categories = map[meta.Category]int{}
	}
	t.files++
	t.status[r.Status]++
	seen := map[meta.Category]bool{}
	for _, f := range r.Findings {
		if !seen[f.Category] {
			seen[f.Category] = true
			t.categories[f.Category]++
		}
	}
	switch r.Status {
	case pipeline.StatusFailed, pipeline.StatusUnsupported:
		t.blocking++
	case pipeline.StatusSkipped:
		if !notBlocking[r.Reason] {
			t.blocking++
		}
	case pipeline.StatusWouldScrub:
		t.findings++
		if seen[meta.Unparsed] {
			t.blocking++
		}
	}
	if report.IsResidual(rec) {
		t.residual++
		if rec.Status == report.StatusWouldScrub {
			t.found++
		}
		if len(t.named) < maxResidualShown {
			t.named = append(t.named, t.residualLine(r, rec))
		}
	}
}

// residualLine names one file still holding data: path, what it holds,
// why, and what to do. Our own wording only.
func (t *tally) residualLine(r *pipeline.Result, rec *report.File) string {
	var cats []string
	for _, c := range report.Remaining(rec) {
		if c == meta.Location || c == meta.Identity {
			cats = append(cats, string(c))
		}
	}
	path := t.roots.path(r.Root, r.Path)
	if rec.Status == report.StatusWouldScrub {
		return fmt.Sprintf("%s: %s", path, strings.Join(cats, ", ")) // what to do follows the list
	}
	why := rec.Error
	if why == "" || rec.Status == report.StatusUnsupported {
		why = report.Why(rec)
	}
	cmd := t.command
	if t.dryRun {
		cmd = "dry-run"
	}
	return fmt.Sprintf("%s: %s; %s; %s", path, strings.Join(cats, ", "), why, report.Advice(rec, cmd))
}

// exitCode applies the documented precedence 3 > 1 > 0 (4 and 130 are
// decided by the caller). A scrub that wrote files exits 0 when every file
// is clean now; a scan or dry run exits 1 when anything was found. A file
// left holding location or identity data after a scrub is never 0.
func (t *tally) exitCode(writes bool) int {
	switch {
	case t.blocking > 0, writes && t.residual > 0:
		return ExitPartial
	case !writes && t.findings > 0:
		return ExitFindings
	}
	return ExitOK
}

var exitMeaning = map[int]string{
	ExitOK:          "nothing left to report",
	ExitFindings:    "metadata found",
	ExitPartial:     "some files failed, could not be fully parsed or verified, or are unsupported",
	ExitFatal:       "the run stopped early",
	ExitInterrupted: "interrupted",
}

// summaryInfo is what the closing summary needs besides the tally.
type summaryInfo struct {
	cfg     pipeline.Config
	co      commonOptions
	code    int
	heads   []string
	resumed int64  // files a --resume run skipped as already done
	more    string // problem lines held back
	cause   string // why the run stopped, printed last before the exit line
}

func (t *tally) print(w io.Writer, s summaryInfo) {
	verb := "scanned"
	if s.cfg.Scrub {
		verb = "processed"
	}
	var parts []string
	for _, st := range []string{pipeline.StatusClean, pipeline.StatusScrubbed, pipeline.StatusWouldScrub,
		pipeline.StatusUnsupported, pipeline.StatusSkipped, pipeline.StatusFailed} {
		if n := t.status[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, st))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "nothing")
	}
	fmt.Fprintf(w, "photoscrub: %s %d files: %s\n", verb, t.files, strings.Join(parts, ", "))
	if s.resumed > 0 {
		fmt.Fprintf(w, "photoscrub: resumed from %s: %d files already done, skipped\n", s.co.Resume, s.resumed)
	}
	var cats []string
	for _, c := range meta.Categories {
		if n := t.categories[c]; n > 0 {
			cats = append(cats, fmt.Sprintf("%s %d", c, n))
		}
	}
	if len(cats) > 0 {
		what := "files with findings by category"
		if s.cfg.Scrub && !s.cfg.DryRun {
			what = "files with findings by category (removed or remaining)"
		}
		fmt.Fprintf(w, "photoscrub: %s: %s\n", what, strings.Join(cats, ", "))
	}
	if s.more != "" {
		fmt.Fprintf(w, "photoscrub: %s\n", s.more)
	}
	t.printResidual(w, s)
	if s.co.Report != "" && len(s.heads) > 0 && s.heads[0] != "" {
		fmt.Fprintf(w, "photoscrub: report %s, chain head %s\n", s.co.Report, s.heads[0])
	}
	if s.cause != "" {
		fmt.Fprintf(w, "photoscrub: %s\n", s.cause)
	}
	fmt.Fprintf(w, "photoscrub: exit %d: %s\n", s.code, exitMeaning[s.code])
}

// printResidual names the files that still hold location or identity
// data, or says in one line that none does.
func (t *tally) printResidual(w io.Writer, s summaryInfo) {
	still := "still hold"
	if !s.cfg.Scrub {
		still = "hold"
	}
	if t.residual == 0 {
		if t.files > 0 {
			fmt.Fprintln(w, "photoscrub: no file holds location or identity data after this run")
		}
		return
	}
	noun := "files"
	if t.residual == 1 {
		noun, still = "file", strings.Replace(still, "hold", "holds", 1)
	}
	fmt.Fprintf(w, "photoscrub: %d %s %s location or identity data:\n", t.residual, noun, still)
	for _, l := range t.named {
		fmt.Fprintf(w, "photoscrub:   %s\n", l)
	}
	if more := t.residual - len(t.named); more > 0 {
		if s.co.Report != "" {
			fmt.Fprintf(w, "photoscrub:   and %d more, see the report %s\n", more, s.co.Report)
		} else {
			fmt.Fprintf(w, "photoscrub:   and %d more; run with --report FILE to list them all\n", more)
		}
	}
	switch {
	case t.found == 0:
	case s.cfg.DryRun:
		fmt.Fprintln(w, "photoscrub:   dry run, nothing was written: run the same command without --dry-run to clean them")
	case !s.cfg.Scrub:
		fmt.Fprintf(w, "photoscrub:   to clean them: photoscrub scrub --out DIR %s (or --in-place)\n", command(s.co.Paths))
	}
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
