package report

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
)

// Merge combines sealed reports of runs over disjoint roots into one new
// sealed report written to out, and returns its head. Every input is
// verified first (its signature too when pub is given); any problem aborts
// the merge before anything is written. The merged header has command
// "merge", the inputs' common options (they must agree, apart from
// "signed"), the concatenated roots (which must be distinct), the run IDs
// of the inputs in "merged", the earliest start, and Operator, Purpose (and
// RunID, Tool when set) from h. File records are copied in input order with
// their root index shifted and re-chained. The seal's exit code is the
// largest of the inputs' and interrupted is true if any input was.
//
// Paths are copied as they are (redacted or not; a redacted path keeps the
// token made with its original root index), so opts.RedactKey must be nil; opts.SignKey signs the new seal. Merge holds the inputs' file
// records in memory.
func Merge(out io.Writer, h Header, opts Options, pub ed25519.PublicKey, inputs ...io.Reader) (head string, err error) {
	if len(inputs) == 0 {
		return "", errors.New("report: merge: no input")
	}
	states := make([]*state, len(inputs))
	for i, in := range inputs {
		st, err := verify(in, pub, true)
		if err == nil && st.res.Problem != "" {
			err = errors.New(st.res.Problem)
		}
		if err != nil {
			return "", fmt.Errorf("report: merge: input %d: %w", i+1, err)
		}
		states[i] = st
	}
	first := states[0].header
	h.Command, h.Options, h.Roots, h.Merged = "merge", first.Options, nil, nil
	h.Options.Signed = false
	h.Start = first.Start
	var exit int
	var interrupted bool
	for i, st := range states {
		o := st.header.Options
		o.Signed = false
		if !equalSettings(o, h.Options) {
			return "", fmt.Errorf("report: merge: input %d was made with different options", i+1)
		}
		// Shards of one store share their roots: the merged header lists
		// each distinct root once and file records are re-indexed.
		for _, r := range st.header.Roots {
			if !slices.Contains(h.Roots, r) {
				h.Roots = append(h.Roots, r)
			}
		}
		if slices.Contains(h.Merged, st.header.RunID) {
			return "", fmt.Errorf("report: merge: input %d repeats run %s", i+1, st.header.RunID)
		}
		h.Merged = append(h.Merged, st.header.RunID)
		if st.header.Start < h.Start { // same UTC format: string order is time order
			h.Start = st.header.Start
		}
		exit = max(exit, st.seal.ExitCode)
		interrupted = interrupted || st.seal.Interrupted
	}
	// Check every record before writing anything: a refused merge writes
	// nothing.
	seen := map[string]int{}
	var records []File
	for i, st := range states {
		for _, line := range st.files {
			var f File
			if err := json.Unmarshal(line, &f); err != nil {
				return "", fmt.Errorf("report: merge: %w", err)
			}
			if f.Root < 0 || f.Root >= len(st.header.Roots) {
				return "", fmt.Errorf("report: merge: input %d: record seq %d has no root", i+1, f.Seq)
			}
			f.Root = slices.Index(h.Roots, st.header.Roots[f.Root])
			key := fmt.Sprintf("%d\x00%s", f.Root, f.Path)
			if j, dup := seen[key]; dup {
				return "", fmt.Errorf("report: merge: inputs %d and %d both record the same file (seq %d): runs must cover disjoint parts", j+1, i+1, f.Seq)
			}
			seen[key] = i
			records = append(records, f)
		}
	}
	w, err := newWriter(out, h, opts, true)
	if err != nil {
		return "", err
	}
	for i := range records {
		if err := w.WriteFile(&records[i]); err != nil {
			return "", err
		}
	}
	return w.Close(Summary{ExitCode: exit, Interrupted: interrupted})
}

func equalSettings(a, b Settings) bool {
	ea, eb := a.Exclude, b.Exclude
	a.Exclude, b.Exclude = nil, nil
	a.Shard, b.Shard = "", ""                   // shards of one run differ here,
	a.Jobs, b.Jobs = 0, 0                       // and in parallelism, which changes no record
	a.scrubFields, b.scrubFields = false, false // and in the form of a scan header
	return reflect.DeepEqual(a, b) && slices.Equal(ea, eb)
}
