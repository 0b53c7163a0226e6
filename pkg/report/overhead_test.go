package report

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// overheadFile is a typical scrubbed-file record.
func overheadFile(i int) *File {
	return &File{
		Path: fmt.Sprintf("station-%02d/officer-%06d.jpg", i%40, i), Format: "jpeg", Status: StatusScrubbed,
		Findings: []meta.Finding{
			{Category: meta.Location, Where: "APP1 Exif/GPS IFD", Tags: []string{"GPSLatitude", "GPSLatitudeRef", "GPSLongitude", "GPSLongitudeRef"}},
			{Category: meta.Identity, Where: "APP1 Exif/IFD0", Tags: []string{"Make", "Model", "Software"}},
		},
		Removed:    []meta.Finding{},
		SizeBefore: 91050, SizeAfter: 84211,
		SHA256Before: "9dd4122f7e80236f3c95cc7343d322e48693af766a646f53f24e080694a07e6f",
		SHA256After:  "8ca8f23a7dc82b656f3162a926db3b940678f7d0c7bf44fd4fca7e5aa2f4521e",
		Method:       "lossless", Verification: VerifyPassed, Preserved: []string{"mode", "mtime"}, Warnings: []string{},
		DurationMS: 1.25,
	}
}

const overheadFiles = 100_000

func writeReport(tb testing.TB, w io.Writer, opts Options) {
	h := testHeader()
	rw, err := NewWriter(w, h, opts)
	if err != nil {
		tb.Fatal(err)
	}
	for i := 0; i < overheadFiles; i++ {
		if err := rw.WriteFile(overheadFile(i)); err != nil {
			tb.Fatal(err)
		}
	}
	if _, err := rw.Close(Summary{}); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkReport100k measures writing a 100,000-file report: plain JSON
// Lines of the same records (no chain), the hash-chained report, and the
// chained report with a signed seal.
func BenchmarkReport100k(b *testing.B) {
	b.Run("plain-json", func(b *testing.B) {
		for b.Loop() {
			enc := json.NewEncoder(io.Discard)
			for i := 0; i < overheadFiles; i++ {
				if err := enc.Encode(overheadFile(i)); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("chained", func(b *testing.B) {
		for b.Loop() {
			writeReport(b, io.Discard, Options{})
		}
	})
	b.Run("chained-signed", func(b *testing.B) {
		for b.Loop() {
			writeReport(b, io.Discard, Options{SignKey: testKey})
		}
	})
	b.Run("verify", func(b *testing.B) {
		var buf bytes.Buffer
		writeReport(b, &buf, Options{SignKey: testKey})
		data := buf.Bytes()
		pub := testKey.Public().(ed25519.PublicKey)
		b.ResetTimer()
		for b.Loop() {
			if _, err := Verify(bytes.NewReader(data), pub); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestReportOverheadSize reports how many bytes the chain fields (seq,
// prev) and the seal add to a 100,000-file report; it fails if the chain
// ever costs more than 150 bytes a record.
func TestReportOverheadSize(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	var buf bytes.Buffer
	writeReport(t, &buf, Options{SignKey: testKey})
	chained := buf.Len()
	stripped := regexp.MustCompile(`"seq":\d+,"prev":"[0-9a-f]{64}",`).ReplaceAll(buf.Bytes(), nil)
	per := float64(chained-len(stripped)) / float64(overheadFiles+2)
	t.Logf("100,000-file report: %d bytes chained and signed, %d without seq/prev: +%.1f%% (%.0f bytes a record)",
		chained, len(stripped), 100*float64(chained-len(stripped))/float64(len(stripped)), per)
	if per > 150 {
		t.Errorf("chain costs %.0f bytes a record", per)
	}
}
