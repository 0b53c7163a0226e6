// Package corpus locates the shared photo corpus (../shared/corpus beside the
// module root, present for developers and CI, never shipped) for tests, and
// reads its MANIFEST.tsv. Tests that use it skip cleanly when it is absent.
package corpus

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Dir returns the corpus directory, or skips t when there is none. The
// PHOTOSCRUB_CORPUS environment variable overrides the search.
func Dir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("PHOTOSCRUB_CORPUS"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Skip("corpus: no working directory")
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			c := filepath.Join(d, "..", "shared", "corpus")
			if _, err := os.Stat(filepath.Join(c, "MANIFEST.tsv")); err == nil {
				return c
			}
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	t.Skip("corpus: ../shared/corpus not present")
	return ""
}

// Entry is one row of MANIFEST.tsv, by column name.
type Entry map[string]string

// Path is the file's path relative to the corpus directory.
func (e Entry) Path() string { return e["path"] }

// Manifest reads MANIFEST.tsv of the corpus in dir.
func Manifest(t testing.TB, dir string) []Entry {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatalf("corpus: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var cols []string
	var out []Entry
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if cols == nil {
			cols = fields
			continue
		}
		e := Entry{}
		for i, c := range cols {
			if i < len(fields) {
				e[c] = fields[i]
			}
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("corpus: %v", err)
	}
	return out
}
