package cli

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/photoscrub/photoscrub/pkg/report"
)

// resumeSet remembers, from an earlier report, the files that run
// finished: by a hash of (root, path), the size and SHA-256 the file must
// still have to be skipped. Memory: about 80 bytes a file.
type resumeSet map[[16]byte]resumeEntry

type resumeEntry struct {
	sizeBefore, sizeAfter int64
	sumBefore, sumAfter   string
}

func resumeKey(root int, rel string) [16]byte {
	s := sha256.Sum256([]byte(fmt.Sprintf("%d\x00%s", root, rel)))
	var k [16]byte
	copy(k[:], s[:16])
	return k
}

// loadResume reads the earlier report at path. Its chain must verify up to
// its last complete line (a sealed report, or one cut short by an
// interruption); any other problem refuses the resume. Only scrubbed and
// clean files count as done.
func loadResume(path string, roots []string) (resumeSet, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot open the report to resume%s", path, because(err))
	}
	defer f.Close()
	// Verify's error is non-nil for any report that is not sealed: a run
	// killed without a seal (kill -9, power loss) is resumable, so only
	// the Problem decides.
	res, err := report.Verify(f, nil)
	if (err != nil && res.Problem == "") || (res.Problem != "" && !strings.HasPrefix(res.Problem, "not sealed")) {
		return nil, fmt.Errorf("%s: report does not verify (%s); refusing to resume from it", path, res.Problem)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("%s: cannot read the report", path)
	}
	set := resumeSet{}
	br := bufio.NewReaderSize(f, 1<<16)
	first := true
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 && line[len(line)-1] == '\n' {
			line = bytes.TrimSuffix(line, []byte{'\n'})
			if first {
				var h report.Header
				if json.Unmarshal(line, &h) != nil || !sameStrings(h.Roots, roots) {
					return nil, fmt.Errorf("%s: the report was made over other paths; resume with the same PATH arguments", path)
				}
				first = false
			} else if bytes.Contains(line, []byte(`"type":"file"`)) {
				var r report.File
				if json.Unmarshal(line, &r) == nil && (r.Status == report.StatusScrubbed || r.Status == report.StatusClean) {
					set[resumeKey(r.Root, r.Path)] = resumeEntry{r.SizeBefore, r.SizeAfter, r.SHA256Before, r.SHA256After}
				}
			}
		}
		if err != nil {
			break
		}
	}
	return set, nil
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// done reports whether the file is recorded done and unchanged since: it
// still has the size and hash the report gives after the scrub (in place),
// or before it (--out, where the original is never changed and a second
// write of the output would be refused anyway).
func (s resumeSet) done(root int, rel string, size int64, sum string) bool {
	e, ok := s[resumeKey(root, rel)]
	return ok && ((e.sizeAfter == size && e.sumAfter == sum) || (e.sizeBefore == size && e.sumBefore == sum))
}
