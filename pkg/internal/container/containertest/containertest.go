// Package containertest is the conformance suite of the container contract
// (pkg/internal/container), run by every format package against its
// samples and fuzz seeds, as testing/fstest.TestFS is for file systems.
//
// For every sample it checks: the byte map's ranges lie inside the input
// and do not overlap; every Meta range is matched by a finding; Parse
// fails exactly when the File cannot be rebuilt; a rebuilt file re-parses
// with no finding and no unaccounted byte, carries the same coded image
// data, keeps the orientation and ICC profile, is a fixed point of a second
// rebuild, and (when the format has a decoder) decodes to the same pixels.
//
// It also holds what every format's tests repeat around the suite: the
// fuzz target (Fuzz), the run over the shared corpus (RunCorpus), a
// size-limited decoder for the pixel comparison (LimitedDecode), the
// checks of the Inspect/Strip/SameImage API (CheckStripped, NoLeak,
// HasFinding, HasCategory) and the per-file benchmarks (BenchInspect,
// BenchStrip, BenchParse, BenchParseRebuild).
package containertest

import (
	"bytes"
	"errors"
	"image"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Sample is one input of the suite.
type Sample struct {
	Name string
	Data []byte
	// Dirty, when set, asserts that the sample must be reported with at
	// least one finding (a planted trace): the suite fails if it is
	// inspected clean.
	Dirty bool
}

// Options tune the suite for one format.
type Options struct {
	// Decode, when set, decodes a file to pixels so that a rebuild's
	// pixels can be compared with the original's. Samples the decoder
	// rejects are not compared.
	Decode func([]byte) (image.Image, error)
}

// Run runs the suite over samples.
func Run(t *testing.T, f container.Format, samples []Sample, o Options) {
	t.Helper()
	for _, s := range samples {
		t.Run(s.Name, func(t *testing.T) { Check(t, f, s, o) })
	}
}

// Check runs the suite over one sample; it is also what a fuzz target
// calls on every input (it never fails merely because an input is
// malformed).
func Check(t testing.TB, f container.Format, s Sample, o Options) {
	t.Helper()
	data := s.Data
	orig := bytes.Clone(data)
	file, err := f.Parse(data)
	if !bytes.Equal(orig, data) {
		t.Fatalf("Parse modified its input")
	}
	if err != nil {
		if s.Dirty && file != nil {
			in := file.Inspection()
			if len(in.Findings) == 0 {
				t.Fatalf("Parse failed (%v) but the partial inspection has no finding", err)
			}
		}
		return
	}
	if file == nil {
		t.Fatalf("Parse returned neither a File nor an error")
	}
	m := file.Map()
	if _, err := container.Coverage(m, len(data)); err != nil {
		t.Fatalf("byte map: %v", err)
	}
	in := container.Inspect(file, len(data))
	hasMeta := false
	for _, r := range m {
		if r.Kind == container.Meta && r.Len > 0 {
			hasMeta = true
		}
		if r.Kind < container.Coded || r.Kind > container.Slack {
			t.Fatalf("range %q has no kind", r.Part)
		}
	}
	if hasMeta && len(in.Findings) == 0 {
		t.Fatalf("byte map has metadata ranges but the inspection has no finding")
	}
	if s.Dirty && len(in.Findings) == 0 {
		t.Fatalf("planted trace not found: inspected clean")
	}
	if !f.Rebuild {
		return
	}
	out, err := file.Rebuild(meta.DefaultKeep)
	if err != nil {
		if f.Unsupported != nil && f.Unsupported(err) || errors.Is(err, container.ErrUnsupported) {
			return
		}
		t.Fatalf("Parse succeeded but Rebuild failed: %v", err)
	}
	got, err := container.Verify(f, file, in, out, meta.DefaultKeep, true)
	if err != nil {
		t.Fatalf("rebuild does not verify: %v", err)
	}
	for _, r := range got.Map() {
		if r.Kind == container.Slack || r.Kind == container.Meta {
			t.Fatalf("rebuild still has a %s range %q", r.Kind, r.Part)
		}
	}
	// A clean file never grows, but for the end marker a rebuild adds to a
	// stream that was cut short (warned in the inspection).
	if len(in.Findings) == 0 && len(out) > len(data)+truncationAllowance(in) {
		t.Fatalf("rebuild of a clean file grew from %d to %d bytes", len(data), len(out))
	}
	again, err := got.Rebuild(meta.DefaultKeep)
	if err != nil {
		t.Fatalf("rebuild of the rebuild failed: %v", err)
	}
	if !bytes.Equal(again, out) {
		t.Fatalf("rebuild is not a fixed point (%d bytes, then %d)", len(out), len(again))
	}
	if o.Decode != nil {
		a, errA := o.Decode(data)
		if errA != nil {
			return
		}
		b, errB := o.Decode(out)
		if errB != nil {
			t.Fatalf("original decodes, rebuild does not: %v", errB)
		}
		if !SamePixels(a, b) {
			t.Fatalf("decoded pixels differ")
		}
	}
}

// SamePixels reports whether a and b have the same bounds and the same
// colour (RGBA64) at every pixel.
func SamePixels(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				return false
			}
		}
	}
	return true
}

// truncationAllowance is how much a rebuild may add to a clean file: the
// few bytes of an end marker when the inspection warns the data ended
// early (a JPEG without EOI gets one).
func truncationAllowance(in meta.Inspection) int {
	for _, w := range in.Warnings {
		if strings.Contains(w, "truncated") {
			return 2
		}
	}
	return 0
}
