package pipeline

import (
	"time"

	"github.com/photoscrub/photoscrub/pkg/internal/safefile"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Statuses of a file record.
const (
	StatusClean       = "clean"
	StatusScrubbed    = "scrubbed"
	StatusWouldScrub  = "would-scrub"
	StatusUnsupported = "unsupported"
	StatusSkipped     = "skipped"
	StatusFailed      = "failed"
)

// Reasons: short fixed classes for skipped, unsupported and failed files.
const (
	ReasonSymlink     = "symlink"
	ReasonNotRegular  = "not-regular"
	ReasonIO          = "io"
	ReasonPermission  = "permission"
	ReasonNotImage    = "not-image"
	ReasonFormat      = "unsupported-format"
	ReasonParse       = "parse"
	ReasonVerify      = "verify"
	ReasonTimeout     = "timeout"
	ReasonTooLarge    = "too-large"
	ReasonPanic       = "panic"
	ReasonChanged     = "changed"
	ReasonHardlinked  = "hardlinked"
	ReasonReadOnly    = "read-only"
	ReasonNoSpace     = "no-space"
	ReasonExists      = "exists"
	ReasonDecode      = "decode"
	ReasonStaleTemp   = "stale-temp"
	ReasonInterrupted = "interrupted"
)

// Result is the outcome for one walked entry, in the report's terms. It
// never holds a metadata value.
type Result struct {
	Root         int
	Path         string // slash-separated, relative to the root
	Format       string
	FormatNote   string
	Status       string
	Reason       string
	Findings     []meta.Finding
	Removed      []meta.Finding
	SizeBefore   int64
	SizeAfter    int64
	SHA256Before string
	SHA256After  string
	Method       string // lossless | reencode | "" (nothing written)
	Verification string // passed | failed | not-run
	Preserved    []string
	Warnings     []string
	Error        string // our own wording
	Duration     time.Duration
	// Output is the path of the file's output under --out, relative to
	// the output directory, once one was attempted ("" otherwise). It is
	// for messages, not for the report.
	Output string

	// cause is the OS reason of a commit or read failure
	// (safefile.Cause), for deciding whether the run must stop.
	cause string
	// staged is the output waiting for its group commit (see commit.go);
	// nil once committed.
	staged *safefile.Staged
}

// HasCategory reports whether the result has a finding of category c.
func (r *Result) HasCategory(c meta.Category) bool {
	for _, f := range r.Findings {
		if f.Category == c {
			return true
		}
	}
	return false
}
