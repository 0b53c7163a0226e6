package report

import (
	"slices"
	"strings"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Why returns, in photoscrub's fixed wording, why a residual file (see
// IsResidual) still holds its metadata.
func Why(f *File) string {
	switch f.Status {
	case StatusWouldScrub:
		return "found, not removed (scan or dry run)"
	case StatusUnsupported:
		if f.Method == "reencode" {
			return "its pixels cannot be re-encoded (" + f.Format + " variant named in the error)"
		}
		if f.Format != "" && f.Format != "unknown" {
			return f.Format + " files are inspected but cannot be rewritten"
		}
		return "format cannot be rewritten"
	case StatusSkipped:
		return "skipped: " + string(f.Reason)
	case StatusFailed:
		return "failed: " + string(f.Reason)
	}
	return string(f.Status)
}

// Advice returns what to do about a residual file, in photoscrub's fixed
// wording. command is the header's command ("scan", "scrub" or "merge").
func Advice(f *File, command string) string {
	switch f.Status {
	case StatusWouldScrub:
		if command == "scan" {
			return "clean it: photoscrub scrub --out DIR (or --in-place) PATH"
		}
		return "run the same command again without --dry-run"
	case StatusUnsupported:
		if f.Method == "reencode" {
			return "clean it without re-encoding: photoscrub scrub --mode lossless PATH (drop --format for a multi-page TIFF)"
		}
		return "export a cleaned JPEG or TIFF copy with your raw or image editor, then delete or lock away the original"
	}
	switch f.Reason {
	case ReasonHardlinked:
		return "re-run with --hardlinks rewrite (cleans every link to the file)"
	case ReasonReadOnly:
		return "re-run with --force, or make the file writable"
	case ReasonTooLarge:
		return "re-run with a larger --max-file-size or --max-pixels"
	case ReasonTimeout:
		return "re-run with a longer --file-timeout"
	case ReasonChanged:
		return "the file changed while it was processed: re-run when nothing writes to it"
	case ReasonPermission, ReasonIO:
		return "fix the cause shown (permissions, disk) and re-run"
	case ReasonNoSpace:
		return "free disk space and re-run with --resume REPORT"
	case ReasonParse:
		return "the file is damaged: re-export it from the source, or delete it"
	case ReasonVerify:
		return "the cleaned copy failed verification and was not written: try --mode reencode, or delete the file"
	case ReasonDecode:
		return "the pixels do not decode: try --mode lossless, or re-export the file"
	case ReasonExists:
		return "an earlier, different output is in the way: re-run with --overwrite, or use another --out"
	case ReasonInterrupted:
		return "the run was interrupted: continue it with --resume REPORT"
	case ReasonPanic:
		return "internal error (original untouched): please report it; delete or re-export the file meanwhile"
	}
	return "check the file by hand and re-run"
}

// Remaining returns the categories a residual file still holds, location
// and identity first, then the rest in report order.
func Remaining(f *File) []meta.Category {
	var out []meta.Category
	for _, c := range meta.Categories {
		if slices.ContainsFunc(f.Findings, func(fd meta.Finding) bool { return fd.Category == c }) {
			out = append(out, c)
		}
	}
	return out
}

// categoryList joins categories with ", ".
func categoryList(cs []meta.Category) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}
