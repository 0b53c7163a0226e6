package report

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"io"
	"strings"
	"testing"
)

func runReport(t *testing.T, runID, root string, opts Options, files []*File, exit int) []byte {
	t.Helper()
	h := testHeader()
	h.RunID, h.Roots = runID, []string{root}
	var buf bytes.Buffer
	w, err := NewWriter(&buf, h, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if err := w.WriteFile(f); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Close(Summary{ExitCode: exit, End: "2026-03-01T10:05:00Z"}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestMerge(t *testing.T) {
	pub := testKey.Public().(ed25519.PublicKey)
	fs := sampleFiles()
	a := runReport(t, strings.Repeat("a", 32), "/srv/a", Options{SignKey: testKey}, fs[:2], 0)
	b := runReport(t, strings.Repeat("b", 32), "/srv/b", Options{}, fs[2:], 3)
	var out bytes.Buffer
	head, err := Merge(&out, Header{Operator: "DPO", RunID: testRunID}, Options{SignKey: testKey}, nil,
		bytes.NewReader(a), bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	validateReport(t, out.Bytes())
	res, err := Verify(bytes.NewReader(out.Bytes()), pub)
	if err != nil || res.Head != head || res.Records != 7 {
		t.Fatalf("%v %+v", err, res)
	}
	l := splitLines(out.Bytes())
	var h Header
	var f File
	var s Summary
	json.Unmarshal(l[0], &h)
	json.Unmarshal(l[4], &f)
	json.Unmarshal(l[6], &s)
	if h.Command != "merge" || strings.Join(h.Roots, ",") != "/srv/a,/srv/b" || len(h.Merged) != 2 || h.Operator != "DPO" {
		t.Errorf("header %+v", h)
	}
	if f.Path != "broken.jpg" || f.Root != 1 {
		t.Errorf("file %+v", f)
	}
	if s.ExitCode != 3 || s.Files != 5 || s.Status.Failed != 1 {
		t.Errorf("seal %+v", s)
	}

	// Refusals: a tampered input, the same file twice, different options.
	bad := bytes.Replace(b, []byte(`"failed"`), []byte(`"clean"`), 1)
	// Shards share a root: allowed when their files are disjoint, refused
	// when the same file appears in both.
	c := runReport(t, strings.Repeat("c", 32), "/srv/a", Options{}, fs[:1], 0)
	shard := runReport(t, strings.Repeat("e", 32), "/srv/a", Options{}, fs[2:3], 0)
	var so bytes.Buffer
	if _, err := Merge(&so, Header{}, Options{}, nil, bytes.NewReader(a), bytes.NewReader(shard)); err != nil {
		t.Fatalf("disjoint shards of one root: %v", err)
	}
	var sh Header
	json.Unmarshal(splitLines(so.Bytes())[0], &sh)
	if len(sh.Roots) != 1 {
		t.Errorf("merged shard roots %v", sh.Roots)
	}
	h2 := testHeader()
	h2.RunID, h2.Roots, h2.Options.Quality = strings.Repeat("d", 32), []string{"/srv/d"}, 50
	var dbuf bytes.Buffer
	dw, _ := NewWriter(&dbuf, h2, Options{})
	dw.Close(Summary{})
	for name, in := range map[string][][]byte{
		"tampered":      {a, bad},
		"same file":     {a, c},
		"options":       {a, dbuf.Bytes()},
		"same run":      {a, a},
		"wrong key sig": {a},
	} {
		var o bytes.Buffer
		rs := make([]io.Reader, len(in))
		for i := range in {
			rs[i] = bytes.NewReader(in[i])
		}
		var key ed25519.PublicKey
		if name == "wrong key sig" {
			key, _, _ = ed25519.GenerateKey(nil)
		}
		if _, err := Merge(&o, Header{}, Options{}, key, rs...); err == nil || o.Len() != 0 {
			t.Errorf("%s: merged (%v, %d bytes)", name, err, o.Len())
		}
	}
}
