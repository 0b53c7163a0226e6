package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestSummarize(t *testing.T) {
	data, head := buildReport(t, Options{SignKey: testKey}, sampleFiles())
	tot, err := Summarize(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := tot.WriteText(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"run " + testRunID + ": photoscrub scrub 2026-03-01T10:00:00.5Z (v1.0.0, revision abc123)",
		"files: 5",
		"clean 1, scrubbed 1, would-scrub 0, unsupported 1, skipped 1, failed 1",
		"location 2, identity 1, embedded 0, comment 0, other 0, unparsed 1",
		"exit code 0 (clean: no metadata left)",
		"verified: 7 records, sealed, signature present, not checked, head " + head,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("missing %q in\n%s", want, out.String())
		}
	}
	// An altered record is not counted.
	edited := bytes.Replace(data, []byte(`"status":"scrubbed"`), []byte(`"status":"clean"`), 1)
	tot, err = Summarize(bytes.NewReader(edited))
	if err != nil || tot.Files != 0 || tot.Verify.FirstBad != 1 || tot.Verify.Records != 1 {
		t.Fatalf("edited: %v %+v", err, tot)
	}
	// A truncated report is summarised as far as it goes, and says so.
	l := splitLines(data)
	tot, err = Summarize(bytes.NewReader(joinLines(l[:3])))
	if err != nil || tot.Files != 2 || tot.ExitCode != -1 {
		t.Fatalf("%v %+v", err, tot)
	}
	out.Reset()
	tot.WriteText(&out)
	if !strings.Contains(out.String(), "NOT VERIFIED: not sealed: interrupted after seq 2") {
		t.Errorf("truncated summary:\n%s", out.String())
	}
}
