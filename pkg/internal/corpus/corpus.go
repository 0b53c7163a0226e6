// Package corpus locates the shared photo corpus (../shared/corpus beside the
// module root, present for developers and CI, never shipped) for tests, and
// reads its MANIFEST.tsv and its files; Residual runs the independent
// residual checker kept beside it (../shared/tools/residual.py). Tests that
// use it skip cleanly when it is absent.
package corpus

import (
	"bufio"
	"errors"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Dir returns the corpus directory, or skips t when there is none. The
// PHOTOSCRUB_CORPUS environment variable overrides the search.
func Dir(t testing.TB) string {
	t.Helper()
	d, err := find()
	if err != nil {
		t.Skip(err.Error())
	}
	return d
}

// find is Dir without a test: the corpus directory, or why there is none.
func find() (string, error) {
	if d := os.Getenv("PHOTOSCRUB_CORPUS"); d != "" {
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", errors.New("corpus: no working directory")
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			c := filepath.Join(d, "..", "shared", "corpus")
			if _, err := os.Stat(filepath.Join(c, "MANIFEST.tsv")); err == nil {
				return c, nil
			}
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return "", errors.New("corpus: ../shared/corpus not present")
}

// Real returns the corpus's real/ folder (the real photos) for a test that
// runs over all of it: such a run takes minutes, so it skips t in -short
// mode, and when the corpus or the folder is absent.
func Real(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("short")
	}
	real := filepath.Join(Dir(t), "real")
	if _, err := os.Stat(real); err != nil {
		t.Skip("corpus: no real/ folder")
	}
	return real
}

// Path returns the path of the corpus file rel (slash-separated, relative
// to the corpus directory, as in the manifest) and whether the corpus is
// there, without skipping: for optional fuzz seeds and benchmarks inputs.
func Path(rel string) (string, bool) {
	d, err := find()
	if err != nil {
		return "", false
	}
	return filepath.Join(d, filepath.FromSlash(rel)), true
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

// File returns the bytes of the corpus file rel (slash-separated, relative
// to the corpus directory), or skips t when the corpus or the file is
// absent.
func File(t testing.TB, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(Dir(t), filepath.FromSlash(rel)))
	if err != nil {
		t.Skip(err)
	}
	return data
}

// Files yields each manifest entry that keep accepts (every entry when keep
// is nil) with its file's bytes, reading one file at a time. It skips t when
// the corpus is absent and fails it when a listed file cannot be read.
func Files(t testing.TB, keep func(Entry) bool) iter.Seq2[Entry, []byte] {
	t.Helper()
	dir := Dir(t)
	entries := Manifest(t, dir)
	return func(yield func(Entry, []byte) bool) {
		for _, e := range entries {
			if keep != nil && !keep(e) {
				continue
			}
			data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(e.Path())))
			if err != nil {
				t.Fatalf("corpus: %v", err)
			}
			if !yield(e, data) {
				return
			}
		}
	}
}

// Under accepts the entries whose path starts with one of prefixes (for
// Files), e.g. Under("real/jpeg/").
func Under(prefixes ...string) func(Entry) bool {
	return func(e Entry) bool {
		for _, p := range prefixes {
			if strings.HasPrefix(e.Path(), p) {
				return true
			}
		}
		return false
	}
}

// OfFormat accepts the entries whose manifest format is name (ExifTool's
// file type, e.g. "PNG") or whose path ends in ext (for Files).
func OfFormat(name, ext string) func(Entry) bool {
	return func(e Entry) bool { return e["format"] == name || strings.HasSuffix(e.Path(), ext) }
}
