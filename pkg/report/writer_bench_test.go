package report

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// idCardRecord is the record of a scrubbed ID-card photo with full
// metadata, as the pipeline produces it.
func idCardRecord() *File {
	return &File{
		Path: "station-07/officer-00042.jpg", Format: "jpeg", Status: StatusScrubbed,
		Findings: []meta.Finding{
			{Category: meta.Location, Where: "APP1 Exif/GPS IFD", Tags: []string{"GPSLatitude", "GPSLongitude", "GPSAltitude", "GPSTimeStamp"}},
			{Category: meta.Identity, Where: "APP1 Exif/IFD0", Tags: []string{"Artist", "Copyright", "Make", "Model", "BodySerialNumber"}},
			{Category: meta.Identity, Where: "APP1 XMP", Tags: []string{"dc:creator", "xmpRights:Owner", "photoshop:City"}},
			{Category: meta.Embedded, Where: "APP1 Exif/IFD1", Tags: []string{"thumbnail"}},
			{Category: meta.Comment, Where: "COM", Tags: []string{"comment"}},
		},
		SizeBefore: 87000, SizeAfter: 61000,
		SHA256Before: "3f0a6c1d7e8b9a2c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4",
		SHA256After:  "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9",
		Method:       "lossless", Verification: VerifyPassed,
		Preserved: []string{"mode", "mtime", "owner"}, DurationMS: 1.234,
	}
}

func benchWriter(b *testing.B, w io.Writer) {
	h := Header{Command: "scrub", Options: Settings{Mode: "lossless", Output: "in-place"}, Roots: []string{"/srv/ids"}}
	rw, err := NewWriter(w, h, Options{})
	if err != nil {
		b.Fatal(err)
	}
	rec := idCardRecord()
	rec.Findings = append(rec.Findings[:0:0], rec.Findings...)
	rec.Removed = rec.Findings
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := rw.WriteFile(rec); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteFile is the CPU cost of one report line (no I/O).
func BenchmarkWriteFile(b *testing.B) { benchWriter(b, io.Discard) }

// BenchmarkWriteFileDisk includes the write(2) per line and the periodic
// fsync, to a file.
func BenchmarkWriteFileDisk(b *testing.B) {
	f, err := os.Create(filepath.Join(b.TempDir(), "r.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	benchWriter(b, f)
}
