package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

func TestCreateModeAndExclusive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.jsonl")
	w, err := Create(path, testHeader(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	// The header is on disk before any file record.
	if b, _ := os.ReadFile(path); !bytes.HasPrefix(b, []byte(`{"type":"header"`)) || !bytes.HasSuffix(b, []byte("\n")) {
		t.Errorf("header not written: %q", b)
	}
	if err := w.WriteFile(sampleFiles()[0]); err != nil {
		t.Fatal(err)
	}
	head, err := w.Close(Summary{ExitCode: 3})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	if _, err := Create(path, testHeader(), Options{}); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("second Create: %v", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("existing report changed")
	}
	f, _ := os.Open(path)
	defer f.Close()
	res, err := Verify(f, nil)
	if err != nil || res.Head != head {
		t.Errorf("Verify: %v %+v", err, res)
	}
	// A header the Writer refuses leaves no file behind.
	bad := testHeader()
	bad.Command = "delete"
	p2 := filepath.Join(t.TempDir(), "bad.jsonl")
	if _, err := Create(p2, bad, Options{}); err == nil {
		t.Error("bad command accepted")
	}
	if _, err := os.Stat(p2); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("refused report left a file: %v", err)
	}
}

func TestRedaction(t *testing.T) {
	key := []byte("controller key held by the DPO!!")
	h := testHeader()
	h.Options.OutDir = "/home/jsmith/clean"
	h.Options.Exclude = []string{"jsmith-private/*"}
	var buf, csvBuf bytes.Buffer
	w, err := NewWriter(&buf, h, Options{RedactKey: key, CSV: &csvBuf})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range sampleFiles() {
		if err := w.WriteFile(f); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Close(Summary{}); err != nil {
		t.Fatal(err)
	}
	validateReport(t, buf.Bytes())
	for _, out := range []string{buf.String(), csvBuf.String()} {
		for _, plain := range []string{"jsmith", "/home", "officers", "house", "b.png", "link.jpg", "broken", "c.heic", "/clean", "private"} {
			if strings.Contains(out, plain) {
				t.Errorf("plain path part %q in redacted output", plain)
			}
		}
	}
	want := RedactPath(key, 0, "officers/jsmith-house.jpg")
	if !strings.Contains(buf.String(), `"path":"`+want+`"`) || !strings.Contains(csvBuf.String(), want) {
		t.Errorf("token %s not found", want)
	}
	if want == RedactPath([]byte("another key of sufficient size"), 0, "officers/jsmith-house.jpg") ||
		want == RedactPath(key, 1, "officers/jsmith-house.jpg") {
		t.Error("token does not depend on key and root")
	}
	var hd Header
	json.Unmarshal(splitLines(buf.Bytes())[0], &hd)
	if !hd.Options.RedactPaths || !strings.HasPrefix(hd.Roots[0], "hmac:") || !strings.HasPrefix(hd.Options.OutDir, "hmac:") ||
		!strings.HasPrefix(hd.Options.Exclude[0], "hmac:") {
		t.Errorf("header not redacted: %+v", hd)
	}
	if _, err := NewWriter(&buf, h, Options{RedactKey: []byte("short")}); err == nil {
		t.Error("short redaction key accepted")
	}
}

// TestWriterCleansText: a warning, error or finding name can never break a
// line, smuggle a control character or grow without bound.
func TestWriterCleansText(t *testing.T) {
	evil := "bad\n{\"type\":\"header\"}\r\x1b[31m\u202egpj.exe\x00\xff" + strings.Repeat("x", 1000)
	f := &File{Path: "a\nb.jpg", Format: "jpeg", Status: StatusFailed, Reason: ReasonParse, Error: evil,
		FormatNote: evil, Warnings: []string{evil}, Preserved: []string{evil}, DurationMS: math.Inf(1),
		Findings: []meta.Finding{{Category: meta.Other, Where: evil, Tags: []string{evil}}}}
	data, _ := buildReport(t, Options{}, []*File{f})
	validateReport(t, data)
	if n := bytes.Count(data, []byte("\n")); n != 3 {
		t.Fatalf("%d lines, want 3", n)
	}
	var got File
	if err := json.Unmarshal(splitLines(data)[1], &got); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{got.Error, got.FormatNote, got.Warnings[0], got.Preserved[0], got.Findings[0].Where, got.Findings[0].Tags[0]} {
		if strings.ContainsAny(s, "\n\r\x1b\x00\u202e\ufffd") || len(s) > maxText {
			t.Errorf("not cleaned: %q", s)
		}
		if want := "bad?{\"type\":\"header\"}??[31m?gpj.exe??"; !strings.HasPrefix(s, want) && !strings.HasPrefix(want, s) {
			t.Errorf("cleaned to %q", s)
		}
	}
	if got.DurationMS != 1e12 {
		t.Errorf("duration %v", got.DurationMS)
	}
	if got.Path != "a\nb.jpg" {
		t.Errorf("path %q: a newline in a file name is kept (JSON-escaped)", got.Path)
	}
	if _, err := Verify(bytes.NewReader(data), nil); err != nil {
		t.Error(err)
	}
}

func TestWriterRefuses(t *testing.T) {
	for name, f := range map[string]*File{
		"unknown status":     {Status: "done"},
		"reason missing":     {Status: StatusSkipped},
		"reason on clean":    {Status: StatusClean, Reason: ReasonIO},
		"free-text reason":   {Status: StatusFailed, Reason: "GPS 51.5N"},
		"bad method":         {Status: StatusClean, Method: "magic"},
		"bad verification":   {Status: StatusClean, Verification: "ok"},
		"bad format":         {Status: StatusClean, Format: "JPEG image"},
		"bad hash":           {Status: StatusClean, SHA256Before: "abc"},
		"negative size":      {Status: StatusClean, SizeBefore: -1},
		"root out of range":  {Status: StatusClean, Root: 1},
		"unknown category":   {Status: StatusClean, Findings: []meta.Finding{{Category: "gps"}}},
		"removed bad status": {Status: StatusClean, Removed: []meta.Finding{{Category: ""}}},
	} {
		var buf bytes.Buffer
		w, err := NewWriter(&buf, testHeader(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		n := buf.Len()
		if err := w.WriteFile(f); err == nil {
			t.Errorf("%s: accepted", name)
		}
		if buf.Len() != n {
			t.Errorf("%s: wrote a line", name)
		}
		// The chain is unaffected: the report still seals and verifies.
		w.Close(Summary{})
		if _, err := Verify(&buf, nil); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, edit := range map[string]func(*Header){
		"mode":   func(h *Header) { h.Options.Mode = "" },
		"output": func(h *Header) { h.Options.Output = "tree" },
		"run id": func(h *Header) { h.RunID = "xyz" },
		"start":  func(h *Header) { h.Start = "yesterday" },
	} {
		h := testHeader()
		edit(&h)
		if _, err := NewWriter(&bytes.Buffer{}, h, Options{}); err == nil {
			t.Errorf("header with bad %s accepted", name)
		}
	}
}

type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n--; f.n < 0 {
		return 0, errors.New("no space left on device")
	}
	return len(p), nil
}

func TestWriteErrorIsSticky(t *testing.T) {
	w, err := NewWriter(&failWriter{n: 2}, testHeader(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	fs := sampleFiles()
	if err := w.WriteFile(fs[0]); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteFile(fs[1]); err == nil || !strings.Contains(err.Error(), "no space") {
		t.Fatalf("got %v", err)
	}
	if err := w.WriteFile(fs[2]); err == nil {
		t.Error("write after failure accepted")
	}
	if _, err := w.Close(Summary{}); err == nil {
		t.Error("Close after failure succeeded")
	}
}

func TestDefaults(t *testing.T) {
	h := testHeader()
	h.RunID, h.Tool, h.Start = "", Tool{}, "2026-03-01T11:00:00+01:00"
	var buf bytes.Buffer
	w, err := NewWriter(&buf, h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w2, _ := NewWriter(&bytes.Buffer{}, h, Options{})
	if !hex32.MatchString(w.RunID()) || w.RunID() == w2.RunID() {
		t.Errorf("run IDs %s %s", w.RunID(), w2.RunID())
	}
	w.Close(Summary{End: "2026-03-01T12:00:00+01:00"})
	validateReport(t, buf.Bytes())
	var got Header
	json.Unmarshal(splitLines(buf.Bytes())[0], &got)
	if got.Start != "2026-03-01T10:00:00Z" || got.Tool.Name != "photoscrub" || got.Tool.Version == "" || got.Tool.Revision == "" {
		t.Errorf("header %+v", got)
	}
	if !strings.Contains(buf.String(), `"end":"2026-03-01T11:00:00Z"`) {
		t.Error("end not converted to UTC")
	}
}

func TestCSV(t *testing.T) {
	var buf bytes.Buffer
	c := NewCSV(&buf)
	fs := sampleFiles()
	fs[0].Path = "=HYPERLINK(\"http://x\")"
	fs[1].Path = "+1+2.jpg"
	fs[2].Path = "-2.jpg"
	fs[3].Path = "@SUM(A1).jpg"
	fs[3].Error = "=cmd|' /C calc'!A0"
	fs[4].Path = "\tx.jpg"
	for _, f := range fs {
		if err := c.WriteFile(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 || strings.Join(rows[0], ",") != strings.Join(CSVColumns, ",") {
		t.Fatalf("rows %q", rows)
	}
	for i, r := range rows[1:] {
		if !strings.HasPrefix(r[0], "'") {
			t.Errorf("row %d path %q not neutralised", i, r[0])
		}
	}
	if rows[4][14] != "'=cmd|' /C calc'!A0" {
		t.Errorf("error cell %q", rows[4][14])
	}
	want := []string{"'=HYPERLINK(\"http://x\")", "0", "jpeg", "scrubbed", "", "location;identity", "2",
		"location:APP1 Exif/GPS IFD:GPSLatitude,GPSLongitude;identity:APP1 Exif/IFD0:Artist",
		"5000", "4000", sha1, sha2, "lossless", "passed", ""}
	if strings.Join(rows[1], "|") != strings.Join(want, "|") {
		t.Errorf("row 1\n got %q\nwant %q", rows[1], want)
	}
}
