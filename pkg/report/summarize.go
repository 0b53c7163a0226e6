package report

import (
	"fmt"
	"io"
)

// Totals summarises one report for people (photoscrub report summary).
type Totals struct {
	RunID, Command, Start, End string
	Tool                       Tool
	// Files, Status and Categories are recomputed from the file records
	// that verified, never copied from the seal.
	Files      int64
	Status     StatusCounts
	Categories CategoryCounts
	// Residual counts the files that still hold location or identity
	// metadata after the run (IsResidual), recomputed from the records.
	Residual int64
	// ExitCode and Interrupted come from the seal; ExitCode is -1 when the
	// report is not sealed.
	ExitCode    int
	Interrupted bool
	// Verify is the verification result (no signature check).
	Verify VerifyResult
}

// Summarize reads and verifies a report and returns its totals. The error
// is a read error only; a report that does not verify is summarised as far
// as it verified, with the problem in t.Verify.Problem.
func Summarize(r io.Reader) (Totals, error) {
	st, err := verify(r, nil, false)
	t := Totals{Files: st.count.files, Status: st.count.st, Categories: st.count.cat, Residual: st.count.residual,
		ExitCode: -1, Verify: st.res}
	if h := st.header; h != nil {
		t.RunID, t.Command, t.Start, t.Tool = h.RunID, h.Command, h.Start, h.Tool
	}
	if s := st.seal; s != nil {
		t.End, t.ExitCode, t.Interrupted = s.End, s.ExitCode, s.Interrupted
	}
	return t, err
}

// exitCodeMeaning explains a photoscrub exit code.
func exitCodeMeaning(code int) string {
	switch code {
	case 0:
		return "clean: no metadata left"
	case 1:
		return "findings: metadata found (scan)"
	case 2:
		return "usage error"
	case 3:
		return "partial: some files failed or are unsupported"
	case 4:
		return "fatal error"
	case 130:
		return "interrupted"
	case -1:
		return "unknown: report not sealed"
	}
	return "unknown exit code"
}

// WriteText writes t as a short text for people and returns the first
// write error.
func (t Totals) WriteText(w io.Writer) error {
	pw := &printer{w: w}
	pw.f("run %s: photoscrub %s %s (%s, revision %s)\n", t.RunID, t.Command, t.Start, t.Tool.Version, t.Tool.Revision)
	pw.f("files: %d\n", t.Files)
	s := t.Status
	pw.f("  clean %d, scrubbed %d, would-scrub %d, unsupported %d, skipped %d, failed %d\n",
		s.Clean, s.Scrubbed, s.WouldScrub, s.Unsupported, s.Skipped, s.Failed)
	c := t.Categories
	pw.f("files with findings by category:\n  location %d, identity %d, embedded %d, comment %d, other %d, unparsed %d\n",
		c.Location, c.Identity, c.Embedded, c.Comment, c.Other, c.Unparsed)
	if t.Residual == 0 {
		pw.f("no file still holds location or identity data\n")
	} else {
		pw.f("files still holding location or identity data: %d (listed first by photoscrub report html)\n", t.Residual)
	}
	if t.ExitCode != -1 {
		intr := ""
		if t.Interrupted {
			intr = ", interrupted"
		}
		pw.f("ended %s, exit code %d (%s)%s\n", t.End, t.ExitCode, exitCodeMeaning(t.ExitCode), intr)
	}
	pw.f("%s\n", t.Verify)
	return pw.err
}

type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}
