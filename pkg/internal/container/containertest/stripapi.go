package containertest

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// Stripper is a format's Inspect/Strip/SameImage API, which
// CheckStripped exercises.
type Stripper struct {
	Inspect   func([]byte) (meta.Inspection, error)
	Strip     func([]byte, meta.Keep) ([]byte, error)
	SameImage func(orig, out []byte) error
	// Structure, when set, asserts the format's own rules on a stripped
	// output (which parts may remain); it runs first.
	Structure func(t testing.TB, out []byte, keep meta.Keep)
}

// CheckStripped asserts what every Strip output must have: the format's
// Structure rules, a re-inspection with no finding, a second Strip that
// changes nothing, the same image as in, and no planted marker value
// (testimg.DefaultMarkers) left in it.
func CheckStripped(t testing.TB, s Stripper, in, out []byte, keep meta.Keep) {
	t.Helper()
	if s.Structure != nil {
		s.Structure(t, out, keep)
	}
	insp, err := s.Inspect(out)
	if err != nil || len(insp.Findings) != 0 {
		t.Errorf("re-inspection of stripped output: err %v, findings %v", err, insp.Findings)
	}
	if again, err := s.Strip(out, keep); err != nil || !bytes.Equal(again, out) {
		t.Errorf("strip is not idempotent (err %v)", err)
	}
	if err := s.SameImage(in, out); err != nil {
		t.Errorf("SameImage: %v", err)
	}
	for _, m := range testimg.DefaultMarkers().Strings() {
		if bytes.Contains(out, []byte(m)) {
			t.Errorf("marker %q survived the strip", m)
		}
	}
}

// NoLeak fails t when a planted marker value (testimg.DefaultMarkers), or
// one of extra, appears in the inspection's findings (places and tags),
// its warnings or err: a report never echoes a metadata value.
func NoLeak(t testing.TB, insp meta.Inspection, err error, extra ...string) {
	t.Helper()
	var b strings.Builder
	for _, f := range insp.Findings {
		b.WriteString(f.Where + "|" + strings.Join(f.Tags, "|") + "\n")
	}
	b.WriteString(strings.Join(insp.Warnings, "\n"))
	if err != nil {
		b.WriteString(err.Error())
	}
	s := b.String()
	for _, n := range append(testimg.DefaultMarkers().Strings(), extra...) {
		if strings.Contains(s, n) {
			t.Errorf("value %q leaked into findings/warnings/errors", n)
		}
	}
}

// HasFinding reports whether fs holds a finding of category c at where
// with tag among its tags (any tags when tag is "").
func HasFinding(fs []meta.Finding, c meta.Category, where, tag string) bool {
	return slices.ContainsFunc(fs, func(f meta.Finding) bool {
		return f.Category == c && f.Where == where && (tag == "" || slices.Contains(f.Tags, tag))
	})
}

// HasCategory reports whether fs holds a finding of category c.
func HasCategory(fs []meta.Finding, c meta.Category) bool {
	return slices.ContainsFunc(fs, func(f meta.Finding) bool { return f.Category == c })
}
