package report

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

const testRunID = "0123456789abcdef0123456789abcdef"

// testKey is a fixed Ed25519 key so reports are reproducible.
var testKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))

func testHeader() Header {
	return Header{
		RunID:   testRunID,
		Tool:    Tool{Name: "photoscrub", Version: "v1.0.0", Revision: "abc123"},
		Command: "scrub",
		Options: Settings{Mode: "lossless", Output: "in-place", InPlace: true, Quality: 92, Jobs: 4,
			Exclude: []string{"*.tmp"}, Keep: Keep{Orientation: true, ICC: true}, Hardlinks: "refuse",
			FileTimeoutSeconds: 30, MaxFileSize: 256 << 20, MaxPixels: 100e6, MaxDimension: 20000},
		Start:    "2026-03-01T10:00:00.5Z",
		Operator: "DPO team",
		Purpose:  "ID card photo clean-up",
		Roots:    []string{"/home/jsmith/photos"},
	}
}

const sha1 = "1111111111111111111111111111111111111111111111111111111111111111"
const sha2 = "2222222222222222222222222222222222222222222222222222222222222222"

func sampleFiles() []*File {
	gps := meta.Finding{Category: meta.Location, Where: "APP1 Exif/GPS IFD", Tags: []string{"GPSLatitude", "GPSLongitude"}}
	art := meta.Finding{Category: meta.Identity, Where: "APP1 Exif/IFD0", Tags: []string{"Artist"}}
	return []*File{
		{Path: "officers/jsmith-house.jpg", Format: "jpeg", Status: StatusScrubbed,
			Findings: []meta.Finding{gps, art}, Removed: []meta.Finding{gps, art},
			SizeBefore: 5000, SizeAfter: 4000, SHA256Before: sha1, SHA256After: sha2,
			Method: "lossless", Verification: VerifyPassed, Preserved: []string{"mode", "mtime"}, DurationMS: 12.5},
		{Path: "b.png", Format: "png", Status: StatusClean, SizeBefore: 10, SizeAfter: 10,
			SHA256Before: sha1, SHA256After: sha1, DurationMS: 1},
		{Path: "link.jpg", Format: "unknown", Status: StatusSkipped, Reason: ReasonSymlink},
		{Path: "broken.jpg", Format: "jpeg", FormatNote: "extension .png but content is jpeg", Status: StatusFailed,
			Reason: ReasonParse, Error: "jpeg: segment length past end of file", SHA256Before: sha1,
			Findings: []meta.Finding{{Category: meta.Unparsed, Where: "APP1", Tags: []string{}}}},
		{Path: "c.heic", Format: "heif", Status: StatusUnsupported, Reason: ReasonUnsupportedFormat,
			Findings: []meta.Finding{gps}},
	}
}

// buildReport writes a report of files with opts and returns it and its head.
func buildReport(t testing.TB, opts Options, files []*File) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, testHeader(), opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if err := w.WriteFile(f); err != nil {
			t.Fatal(err)
		}
	}
	head, err := w.Close(Summary{ExitCode: 0, End: "2026-03-01T10:05:00Z"})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), head
}

// splitLines splits a report into lines without newlines.
func splitLines(data []byte) [][]byte {
	l := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	for i := range l {
		l[i] = bytes.Clone(l[i])
	}
	return l
}

func joinLines(l [][]byte) []byte {
	if len(l) == 0 {
		return nil
	}
	return append(bytes.Join(l, []byte("\n")), '\n')
}

func sha256Sum(s string) [32]byte { return sha256.Sum256([]byte(s)) }
