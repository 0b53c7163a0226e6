package report

import (
	"bufio"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"os"
)

// SeriesResult is the outcome of VerifySeries.
type SeriesResult struct {
	// Files holds the result of every file verified, in order.
	Files []VerifyResult
	// Head is the chain head of the last file.
	Head string
	// BadFile is the index (in the paths given) of the first file that
	// does not verify or does not link to the one before it, or -1.
	BadFile int
	// Problem describes the first problem, "" when the series verifies.
	Problem string
}

// String is a one-line description of r for people.
func (r SeriesResult) String() string {
	if r.Problem != "" {
		return "NOT VERIFIED: " + r.Problem
	}
	var n int64
	for _, f := range r.Files {
		n += f.Records
	}
	return fmt.Sprintf("verified: series of %d files, %d records, sealed, head %s", len(r.Files), n, r.Head)
}

// VerifySeries verifies the files of a rotated report (see Series) in the
// order given: every file must verify on its own (Verify, with pub when not
// nil), and the header of every file after the first must carry in
// prev_report the head of the file before it. The first file's prev_report
// is not checked (it names a file before the ones given, if any), but is
// reported in the problem when a later link fails.
func VerifySeries(paths []string, pub ed25519.PublicKey) (SeriesResult, error) {
	res := SeriesResult{BadFile: -1}
	if len(paths) == 0 {
		res.Problem = "no report files given"
		return res, errors.New("report: " + res.Problem)
	}
	prev := ""
	for i, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			res.BadFile, res.Problem = i, fmt.Sprintf("%s: cannot open", p)
			return res, fmt.Errorf("report: %w", err)
		}
		vr, verr := Verify(f, pub)
		f.Close()
		res.Files = append(res.Files, vr)
		if verr != nil {
			res.BadFile, res.Problem = i, fmt.Sprintf("%s: %s", p, vr.Problem)
			if vr.Problem == "" {
				res.Problem = fmt.Sprintf("%s: %v", p, verr)
			}
			return res, errors.New("report: " + res.Problem)
		}
		link, err := prevReport(p)
		if err != nil {
			res.BadFile, res.Problem = i, fmt.Sprintf("%s: cannot read the header", p)
			return res, errors.New("report: " + res.Problem)
		}
		if i > 0 && link != prev {
			res.BadFile = i
			if link == "" {
				res.Problem = fmt.Sprintf("%s: its header names no previous file, but it follows %s", p, paths[i-1])
			} else {
				res.Problem = fmt.Sprintf("%s: its header's prev_report is not the head of %s (a file of the series is missing, altered or out of order)", p, paths[i-1])
			}
			return res, errors.New("report: " + res.Problem)
		}
		prev = vr.Head
	}
	res.Head = prev
	return res, nil
}

// prevReport reads the prev_report of the header of the report at path.
func prevReport(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	lr := &lineReader{br: bufio.NewReaderSize(f, 64<<10)}
	line, _, err := lr.next()
	if err != nil {
		return "", err
	}
	var h Header
	if err := json.Unmarshal(line, &h); err != nil {
		return "", err
	}
	return h.PrevReport, nil
}
