package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/photoscrub/photoscrub/pkg/internal/pipeline"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// tally counts results for the exit code and the closing summary.
type tally struct {
	files      int
	status     map[string]int
	categories map[meta.Category]int
	blocking   int // files that leave the run incomplete (exit 3)
	findings   int // files with findings left (scan / dry run)
}

// notBlocking are skip reasons that say nothing about a photo being left
// uncleaned: links are never followed, non-images are not photos, a
// duplicate was processed under its other name, our own files are ours.
var notBlocking = map[string]bool{
	pipeline.ReasonSymlink: true, pipeline.ReasonNotRegular: true, pipeline.ReasonNotImage: true,
	"duplicate": true, pipeline.ReasonStaleTemp: true, "outside-root": true,
}

func (t *tally) add(r *pipeline.Result) {
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
}

// exitCode applies the documented precedence 3 > 1 > 0 (4 and 130 are
// decided by the caller). A scrub that wrote files exits 0 when every file
// is clean now; a scan or dry run exits 1 when anything was found.
func (t *tally) exitCode(writes bool) int {
	switch {
	case t.blocking > 0:
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

func (t *tally) print(w io.Writer, cfg pipeline.Config, co commonOptions, code int, heads []string) {
	verb := "scanned"
	if cfg.Scrub {
		verb = "processed"
	}
	var parts []string
	for _, s := range []string{pipeline.StatusClean, pipeline.StatusScrubbed, pipeline.StatusWouldScrub,
		pipeline.StatusUnsupported, pipeline.StatusSkipped, pipeline.StatusFailed} {
		if n := t.status[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "nothing")
	}
	fmt.Fprintf(w, "photoscrub: %s %d files: %s\n", verb, t.files, strings.Join(parts, ", "))
	var cats []string
	for _, c := range meta.Categories {
		if n := t.categories[c]; n > 0 {
			cats = append(cats, fmt.Sprintf("%s %d", c, n))
		}
	}
	if len(cats) > 0 {
		fmt.Fprintf(w, "photoscrub: files with findings by category: %s\n", strings.Join(cats, ", "))
	}
	if co.Report != "" && len(heads) > 0 {
		fmt.Fprintf(w, "photoscrub: report %s, chain head %s\n", co.Report, heads[0])
	}
	fmt.Fprintf(w, "photoscrub: exit %d: %s\n", code, exitMeaning[code])
}
