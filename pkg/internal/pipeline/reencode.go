package pipeline

import (
	"context"
	"errors"
	"image"
	"os"
	"path"
	"strings"

	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/internal/reencode"
	"github.com/photoscrub/photoscrub/pkg/internal/safefile"
	"github.com/photoscrub/photoscrub/pkg/internal/scrub"
	"github.com/photoscrub/photoscrub/pkg/internal/walk"
)

// reencodeFile re-encodes one parsed file (--mode reencode) through
// reencode.Scrub (verified with the parser of the output's format, or the
// verified lossless rebuild where re-encoding cannot keep the image, said
// in the record). It returns the output and the output's name relative to
// the root when --format changes the extension ("" otherwise).
func (p *proc) reencodeFile(ctx context.Context, rel string, data []byte, parsed *scrub.Parsed, r *Result) ([]byte, string, error) {
	r.Method = "reencode"
	v, err := reencode.Scrub(ctx, parsed, data, reencode.Options{
		Quality: p.cfg.Quality, MaxDimension: p.cfg.MaxDimension, MaxPixels: p.cfg.MaxPixels,
		Fit: p.cfg.Fit, Format: p.cfg.Format, Coefficients: p.cfg.Coefficients,
		Budget: p.budget, BudgetBytes: p.budgetBytes, MaxBytes: p.cfg.MaxPixels * 12,
	}, p.cfg.Keep)
	if err != nil {
		return nil, "", err
	}
	if v.Lossless {
		r.Method = "lossless"
	}
	r.Warnings = append(r.Warnings, v.Warnings...)
	newRel := ""
	if v.Converted {
		newRel = renamed(rel, v.Format)
	}
	return v.Data, newRel, nil
}

// reencodeFailure records a re-encode refusal in its own words (they name
// the variant, e.g. "animated GIF (3 frames)", and never a metadata value).
func reencodeFailure(r *Result, f format.Format, err error) *Result {
	if errors.Is(err, reencode.ErrUnsupported) {
		r.Status, r.Reason = StatusUnsupported, ReasonFormat
		r.Error = "cannot re-encode this " + string(f) + ": " + strings.TrimPrefix(err.Error(), reencode.ErrUnsupported.Error()+": ")
		return r
	}
	return scrubFailure(r, f, err)
}

// extensions is the extension --format gives each output format.
var extensions = map[format.Format]string{
	format.JPEG: ".jpg", format.PNG: ".png", format.WebP: ".webp", format.AVIF: ".avif",
	format.GIF: ".gif", format.TIFF: ".tif",
}

// renamed returns rel with the extension of format to: the old extension
// (if any) is replaced, and kept when it already names that format
// (photo.jpeg stays photo.jpeg as JPEG).
func renamed(rel string, to format.Format) string {
	ext := path.Ext(rel)
	if ext != "" && format.ByExtension(rel) == to {
		return rel
	}
	return strings.TrimSuffix(rel, ext) + extensions[to]
}

// commitRenamed commits an --in-place re-encode whose name changes with
// its format: the new file is created atomically (never over an existing
// file), then the original is removed, once it is checked to be the file
// that was read. A failure to remove the original is a failure of the
// file (the original still holds its metadata).
func (p *proc) commitRenamed(r *Result, c walk.Candidate, read os.FileInfo, newRel string, out []byte, snap safefile.Snapshot, changed bool) *Result {
	cm := p.inPlace[c.Root]
	r.Output = "" // names an --out output in messages; the input path is right here
	switch {
	case snap.HasSys && snap.Nlink > 1:
		return commitFailure(r, safefile.ErrHardlinked)
	case snap.Mode.Perm()&0o200 == 0 && !p.cfg.Force:
		return commitFailure(r, safefile.ErrReadOnly)
	}
	res, err := cm.Create(newRel, out, snap)
	r.Preserved, r.Warnings = res.Preserved, append(r.Warnings, res.Warnings...)
	if err != nil {
		return commitFailure(r, err)
	}
	fi, err := cm.FS.Lstat(c.Rel)
	if err != nil || !os.SameFile(fi, read) || fi.Size() != snap.Size || !fi.ModTime().Equal(snap.ModTime) {
		cm.FS.Remove(newRel)
		return commitFailure(r, safefile.ErrChanged)
	}
	if err := cm.FS.Remove(c.Rel); err != nil {
		r.Status, r.Reason = StatusFailed, ReasonIO
		r.Error = "the re-encoded file was written as " + path.Base(newRel) + " but the original could not be removed; it still holds its metadata"
		return r
	}
	r.Warnings = append(r.Warnings, "replaced by "+path.Base(newRel)+" (--format changed the extension)")
	if changed {
		r.Status = StatusScrubbed
	} else {
		r.Status = StatusClean
	}
	return r
}

// OutFormat is Config.Format: the format --mode reencode writes.
type OutFormat = format.Format

// FitSize is Config.Fit: --fit W×H (zero: off).
type FitSize = image.Point
