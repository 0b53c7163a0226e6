// Package arrivaltest holds test helpers shared by the tests of serve and
// watch, the two commands that scrub photos as they arrive and write a
// rotated report series (docs/serve.md, docs/report.md): a log sink safe for
// concurrent writes, the check of a sealed series against the report
// schema and its hash chain, and the search for planted values
// (testimg.DefaultMarkers) in whatever the code under test wrote.
//
// Only _test.go files import it.
package arrivaltest

import (
	"bytes"
	"os"
	"sync"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/report"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// LogBuffer is a log sink safe for concurrent writes.
type LogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *LogBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// Bytes returns a copy of what was written so far.
func (s *LogBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.b.Bytes())
}

// SealSeries closes s, verifies the files of the series named base as one
// chain and checks every line against the report schema. It returns the
// verification result and the bytes of each file, in order.
func SealSeries(t testing.TB, s *report.Series, base string) (report.SeriesResult, [][]byte) {
	t.Helper()
	if _, err := s.Close(report.Summary{}); err != nil {
		t.Fatal(err)
	}
	paths, _ := report.SeriesFiles(base)
	res, err := report.VerifySeries(paths, nil)
	if err != nil {
		t.Fatal(err)
	}
	contents := make([][]byte, 0, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		contents = append(contents, b)
		for _, line := range Lines(b) {
			if err := report.ValidateLine(line); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
		}
	}
	return res, contents
}

// Lines splits a report file into its lines.
func Lines(b []byte) [][]byte {
	return bytes.Split(bytes.TrimSpace(b), []byte("\n"))
}

// NoPlanted fails t for each planted value that one of outputs holds;
// what names the outputs in the message, with the index of the one found.
func NoPlanted(t testing.TB, what string, outputs ...[]byte) {
	t.Helper()
	for _, needle := range testimg.DefaultMarkers().Needles() {
		for i, b := range outputs {
			if bytes.Contains(b, []byte(needle)) {
				t.Errorf("planted value %q leaked (%s %d)", needle, what, i)
			}
		}
	}
}
