package cli

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/photoscrub/photoscrub/pkg/report"
)

func TestParseRotate(t *testing.T) {
	for in, want := range map[string]report.RotateOptions{
		"24h": {Every: 24 * time.Hour}, "90m": {Every: 90 * time.Minute}, "0": {}, "": {},
		"100MB": {MaxBytes: 100e6}, "64MiB": {MaxBytes: 64 << 20}, "3KB": {MaxBytes: 3000}, "5k": {MaxBytes: 5000}, "1000B": {MaxBytes: 1000},
	} {
		got, err := parseRotate(in)
		if err != nil || got != want {
			t.Errorf("parseRotate(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"-1h", "MB", "1.5MB", "tomorrow", "-5MB"} {
		if _, err := parseRotate(bad); err == nil {
			t.Errorf("parseRotate(%q) accepted", bad)
		}
	}
}

func TestRunVerifySeries(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "s.jsonl")
	s, err := report.OpenSeries(base, report.Header{Command: "serve", Options: report.Settings{Mode: "lossless", Output: "response"}},
		report.Options{}, report.RotateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s.WriteFile(&report.File{Path: "scrub/1", Format: "jpeg", Status: report.StatusClean})
	s.Rotate()
	s.WriteFile(&report.File{Path: "scrub/2", Format: "jpeg", Status: report.StatusClean})
	if _, err := s.Close(report.Summary{}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	app := &ucli.App{Writer: &out}
	c := ucli.NewContext(app, flag.NewFlagSet("x", flag.ContinueOnError), nil)
	if !isSeriesName(base) {
		t.Fatal("series name not recognised")
	}
	if err := runVerifySeries(c, []string{base}, ""); err != nil {
		t.Fatal(err, out.String())
	}
	if !strings.Contains(out.String(), "series: verified: series of 2 files") {
		t.Errorf("output %q", out.String())
	}
	files, _ := report.SeriesFiles(base)
	os.Remove(files[0])
	// Swapping in order fails; a lone later file verifies as a series of one.
	out.Reset()
	if err := runVerifySeries(c, []string{files[1], files[1]}, ""); err == nil {
		t.Error("a file following itself verified")
	}
}
