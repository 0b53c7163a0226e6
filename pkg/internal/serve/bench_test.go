package serve

import (
	"bytes"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/photoscrub"
	"github.com/photoscrub/photoscrub/pkg/report"
)

// benchPhoto is an ID-card JPEG from bench/serve when PHOTOSCRUB_BENCH_JPEG
// names one, else the generated everything photo.
func benchPhoto(b *testing.B) []byte {
	if p := os.Getenv("PHOTOSCRUB_BENCH_JPEG"); p != "" {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		return data
	}
	return dirtyJPEG(b)
}

// BenchmarkHandler is one upload through the whole handler (report record,
// metrics, JSON log) without the network; BenchmarkClean is the library
// call alone, for the overhead.
func BenchmarkHandler(b *testing.B) {
	photo := benchPhoto(b)
	ser, err := report.OpenSeries(filepath.Join(b.TempDir(), "b.jsonl"), report.Header{Command: "serve",
		Options: report.Settings{Mode: "lossless", Output: "response"}}, report.Options{}, report.RotateOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer ser.Close(report.Summary{})
	s := New(Config{Jobs: 2, Keep: meta.DefaultKeep, Report: ser, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	h := s.Handler()
	b.SetBytes(int64(len(photo)))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("POST", "/v1/scrub", bytes.NewReader(photo))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != 200 {
				b.Fatal(w.Code)
			}
		}
	})
}

func BenchmarkClean(b *testing.B) {
	photo := benchPhoto(b)
	b.SetBytes(int64(len(photo)))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := photoscrub.Clean(photo, meta.DefaultKeep); err != nil {
				b.Fatal(err)
			}
		}
	})
}
