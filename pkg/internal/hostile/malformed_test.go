package hostile

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/corpus"
)

// TestMalformedCorpus runs scan, scrub --out and scrub --mode reencode
// --out over the shared corpus's malformed/ tree (crash PoCs and fuzzer
// findings from exiv2, libheif, Pillow, metadata-extractor, goexif, exifr
// and exif-py), in place: the corpus is never copied.
func TestMalformedCorpus(t *testing.T) {
	dir := filepath.Join(corpus.Dir(t), "malformed")
	files := pathsUnder(t, dir)
	if len(files) == 0 {
		t.Skip("corpus: malformed/ is empty")
	}
	sort.Strings(files)
	hashes := func() map[string][32]byte {
		m := map[string][32]byte{}
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f)))
			if err != nil {
				t.Fatal(err)
			}
			m[f] = sha256.Sum256(b)
		}
		return m
	}
	before := hashes()
	work := t.TempDir()
	runs := []struct {
		name string
		args []string
		ok   int
		// allowed outcomes of a file
		allowed map[string]bool
	}{
		{"scan", []string{"scan"}, 1, map[string]bool{"would-scrub": true, "clean": true, "failed": true, "unsupported": true}},
		{"scrub", []string{"scrub", "--out", filepath.Join(work, "out")}, 0, map[string]bool{"scrubbed": true, "clean": true, "failed": true, "unsupported": true}},
		{"reencode", []string{"scrub", "--mode", "reencode", "--out", filepath.Join(work, "out2")}, 0, map[string]bool{"scrubbed": true, "clean": true, "failed": true, "unsupported": true}},
	}
	outcome := map[string][]string{} // file → outcome per run
	var summary strings.Builder
	fmt.Fprintf(&summary, "| run | exit | time s | peak RSS MiB | outcomes |\n| --- | ---: | ---: | ---: | --- |\n")
	for _, rn := range runs {
		rep := filepath.Join(work, rn.name+".jsonl")
		args := append(append(rn.args[:1:1], "--report", rep), rn.args[1:]...)
		r := photoscrub(t, append(args, dir)...)
		recs := checkRun(t, r, rep, files, rn.ok)
		if len(rn.args) > 1 {
			checkOutput(t, rn.args[len(rn.args)-1], recs, work)
		}
		count := map[string]int{}
		for _, f := range files {
			rec := recs[f]
			if !rn.allowed[rec.Status] {
				t.Errorf("%s: %s is %s", rn.name, f, rec.outcome())
			}
			count[rec.outcome()]++
			outcome[f] = append(outcome[f], rec.outcome())
		}
		var parts []string
		for o, n := range count {
			parts = append(parts, fmt.Sprintf("%d %s", n, o))
		}
		sort.Strings(parts)
		label := strings.Join(rn.args[:len(rn.args)-1], " ")
		if len(rn.args) == 1 {
			label = rn.args[0]
		}
		fmt.Fprintf(&summary, "| %s | %d | %.2f | %d | %s |\n", label, r.code, r.wall.Seconds(), r.rssKiB>>10, strings.Join(parts, ", "))
	}
	after := hashes()
	for _, f := range files {
		if before[f] != after[f] {
			t.Errorf("the corpus file %s changed", f)
		}
	}
	// By format directory: how many files ended in each outcome of the
	// lossless scrub.
	byDir := map[string]map[string]int{}
	for _, f := range files {
		d := path.Dir(f)
		if byDir[d] == nil {
			byDir[d] = map[string]int{}
		}
		byDir[d][outcome[f][1]]++
	}
	var dirs []string
	for d := range byDir {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	summary.WriteString("\n| malformed/ | files | scrub --out outcomes |\n| --- | ---: | --- |\n")
	for _, d := range dirs {
		var parts []string
		n := 0
		for o, c := range byDir[d] {
			parts = append(parts, fmt.Sprintf("%d %s", c, o))
			n += c
		}
		sort.Strings(parts)
		fmt.Fprintf(&summary, "| %s | %d | %s |\n", d, n, strings.Join(parts, ", "))
	}
	var perFile strings.Builder
	for _, f := range files {
		fmt.Fprintf(&perFile, "%-90s %s\n", f, strings.Join(outcome[f], " | "))
	}
	t.Logf("malformed corpus, %d files (scan | scrub | reencode):\n%s", len(files), perFile.String())
	t.Logf("malformed corpus summary:\n%s", summary.String())
	if p := os.Getenv("HOSTILE_MALFORMED_TABLE"); p != "" {
		if err := os.WriteFile(p, []byte(summary.String()), 0o644); err != nil {
			t.Error(err)
		}
	}
}
