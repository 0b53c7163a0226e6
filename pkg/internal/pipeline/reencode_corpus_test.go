package pipeline

import (
	"bytes"
	"context"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/photoscrub/photoscrub/pkg/internal/corpus"
	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/internal/scrub"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// TestCorpusReencode runs scrub --mode reencode --out over every real photo
// of the shared corpus (skipped when absent): every file the format
// registry rewrites gets an output, re-encoded or a stated lossless
// fallback; residual.py finds nothing in the outputs; every re-encoded
// photo is upright (its size is the oriented size of the input); and an
// independent decoder (ImageMagick identify, heif-convert, dwebp) reads
// every output.
func TestCorpusReencode(t *testing.T) {
	real := corpus.Real(t)
	out := filepath.Join(t.TempDir(), "out")
	results := map[string]*Result{}
	cfg := Config{Roots: []string{real}, Scrub: true, OutDir: out, Reencode: true, Quality: 92,
		MaxPixels: 100_000_000, Keep: meta.DefaultKeep, FileTimeout: 5 * time.Minute, Jobs: 2,
		Sink: func(r *Result) error { results[r.Path] = r; return nil }}
	if _, err := Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for rel, r := range results {
		f := format.Format(r.Format)
		counts[r.Format+" "+r.Status+" "+r.Method]++
		if !scrub.Rewritable(f) {
			continue // inspected only (camera raw...), reported as such
		}
		if r.Status != StatusScrubbed && r.Status != StatusClean {
			if r.Reason == ReasonParse || r.Reason == ReasonFormat && strings.Contains(r.Error, "cannot be fully parsed") {
				continue // the container itself does not parse: lossless refuses it too
			}
			t.Errorf("%s (%s): %s %s: %s", rel, f, r.Status, r.Reason, r.Error)
			continue
		}
		if r.Method == "lossless" && !hasPrefixIn(r.Warnings, "re-encode fallback:") {
			t.Errorf("%s: lossless output without a stated fallback: %q", rel, r.Warnings)
		}
		cleaned, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(r.Output)))
		if err != nil {
			t.Errorf("%s: no output: %v", rel, err)
			continue
		}
		orig, _ := os.ReadFile(filepath.Join(real, rel))
		if r.Method == "reencode" {
			if err := upright(f, orig, cleaned); err != "" {
				t.Errorf("%s: %s", rel, err)
			}
		}
		if err := independentDecode(t, f, cleaned); err != "" {
			t.Errorf("%s: %s", rel, err)
		}
	}
	t.Logf("corpus re-encode (format status method): %v", counts)

	// HEIC and HEIF converted to JPEG: decoded by libheif in WebAssembly.
	// Refusals must be stated: narrow images (the decoder's chroma bug),
	// images over the pixel limit (30 MP here, to keep CI memory sane: the
	// 50 MP Sony HEIF alone peaks at 1.7 GB), containers that do not parse.
	heicOut := filepath.Join(t.TempDir(), "heic")
	heic := map[string]*Result{}
	hcfg := cfg
	hcfg.Roots, hcfg.OutDir, hcfg.Format, hcfg.MaxPixels = []string{filepath.Join(real, "heic")}, heicOut, format.JPEG, 30_000_000
	hcfg.Sink = func(r *Result) error { heic[r.Path] = r; return nil }
	if _, err := Run(context.Background(), hcfg); err != nil {
		t.Fatal(err)
	}
	hcounts := map[string]int{}
	for rel, r := range heic {
		hcounts[r.Status+" "+r.Reason]++
		switch {
		case r.Status == StatusScrubbed:
			cleaned, err := os.ReadFile(filepath.Join(heicOut, filepath.FromSlash(r.Output)))
			if err != nil || format.Sniff(cleaned) != format.JPEG {
				t.Errorf("heic/%s: no JPEG output (%v)", rel, err)
				continue
			}
			if err := independentDecode(t, format.JPEG, cleaned); err != "" {
				t.Errorf("heic/%s: %s", rel, err)
			}
		case r.Reason == ReasonTooLarge, r.Reason == ReasonParse,
			r.Status == StatusUnsupported && strings.Contains(r.Error, "narrower than"):
		default:
			t.Errorf("heic/%s: %s %s: %s", rel, r.Status, r.Reason, r.Error)
		}
	}
	t.Logf("corpus HEIC --format jpeg (status reason): %v", hcounts)
	corpus.Residual(t, out, "re-encoded outputs")
}

func hasPrefixIn(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

// upright checks that a re-encoded output has the input's size turned by
// its orientation (formats Go decodes the header of).
func upright(f format.Format, orig, cleaned []byte) string {
	a, _, err := image.DecodeConfig(bytes.NewReader(orig))
	if err != nil {
		return ""
	}
	b, _, err := image.DecodeConfig(bytes.NewReader(cleaned))
	if err != nil {
		return "output header does not decode"
	}
	in, _ := scrub.Inspect(f, orig)
	w, h := a.Width, a.Height
	if in.Orientation >= 5 && in.Orientation <= 8 {
		w, h = h, w
	}
	if b.Width != w || b.Height != h {
		return "not upright: output " + strconv.Itoa(b.Width) + "x" + strconv.Itoa(b.Height) + ", want " + strconv.Itoa(w) + "x" + strconv.Itoa(h)
	}
	return ""
}

// independentDecode decodes data with an outside decoder when one is
// installed ("" when it decodes or no decoder is there).
func independentDecode(t *testing.T, f format.Format, data []byte) string {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.WriteFile(in, data, 0o644)
	back := filepath.Join(dir, "back.png")
	var cmd *exec.Cmd
	switch f {
	case format.WebP:
		cmd = exec.Command("dwebp", "-quiet", in, "-o", back)
		if bytes.Contains(data[:min(len(data), 64)], []byte("ANIM")) {
			// dwebp decodes no animation: ImageMagick reads every frame.
			cmd, back = exec.Command("identify", in), ""
		}
	case format.HEIF, format.AVIF:
		os.Rename(in, in+".heic")
		cmd = exec.Command("heif-convert", in+".heic", back)
	default:
		cmd = exec.Command("identify", in+"[0]")
		back = ""
	}
	if _, err := exec.LookPath(cmd.Args[0]); err != nil {
		return ""
	}
	if b, err := cmd.CombinedOutput(); err != nil {
		return cmd.Args[0] + " does not decode the output: " + strings.TrimSpace(string(b))
	}
	if back != "" {
		if _, err := os.Stat(back); err != nil {
			return cmd.Args[0] + " wrote no image"
		}
	}
	return ""
}
