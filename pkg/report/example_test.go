package report_test

import (
	"bytes"
	"fmt"

	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/report"
)

func ExampleVerify() {
	var buf bytes.Buffer
	h := report.Header{
		RunID: "00112233445566778899aabbccddeeff", Tool: report.Tool{Name: "photoscrub", Version: "v1.0.0", Revision: "abc"},
		Command: "scan", Start: "2026-03-01T10:00:00Z", Roots: []string{"photos"},
		Options: report.Settings{Mode: "lossless", Output: "report-only"},
	}
	w, _ := report.NewWriter(&buf, h, report.Options{})
	w.WriteFile(&report.File{Path: "id-card.jpg", Format: "jpeg", Status: report.StatusWouldScrub,
		Findings: []meta.Finding{{Category: meta.Location, Where: "APP1 Exif/GPS IFD", Tags: []string{"GPSLatitude"}}}})
	w.WriteFile(&report.File{Path: "logo.png", Format: "png", Status: report.StatusClean})
	head, _ := w.Close(report.Summary{ExitCode: 1, End: "2026-03-01T10:00:01Z"})
	good := buf.Bytes()

	res, err := report.Verify(bytes.NewReader(good), nil)
	fmt.Println(err == nil, res.Head == head)

	// Someone turns the finding into a clean file.
	edited := bytes.Replace(good, []byte(`"would-scrub"`), []byte(`"clean"`), 1)
	res, err = report.Verify(bytes.NewReader(edited), nil)
	fmt.Println(res.FirstBad)
	fmt.Println(err)
	// Output:
	// true true
	// 1
	// report: record seq 1 was altered: record seq 2's prev does not match it
}
