package pipeline

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"path"
	"strings"

	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/internal/reencode"
	"github.com/photoscrub/photoscrub/pkg/internal/safefile"
	"github.com/photoscrub/photoscrub/pkg/internal/scrub"
	"github.com/photoscrub/photoscrub/pkg/internal/walk"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// reencodeFile re-encodes one parsed file (--mode reencode) and verifies
// the output with the parser of the format it was written in. It returns
// the output and the output's name relative to the root when --format
// changes the extension ("" otherwise). A HEIF input with no --format has
// no encoder: the verified lossless rebuild is written instead and the
// record says so (method lossless, a warning naming the reason).
func (p *proc) reencodeFile(ctx context.Context, rel string, f format.Format, data []byte, parsed *scrub.Parsed, r *Result) ([]byte, string, error) {
	r.Method = "reencode"
	res, err := reencode.Reencode(ctx, f, data, reencode.Options{
		Quality: p.cfg.Quality, MaxDimension: p.cfg.MaxDimension, MaxPixels: p.cfg.MaxPixels,
		Fit: p.cfg.Fit, Format: p.cfg.Format, Coefficients: p.cfg.Coefficients,
		Orientation: parsed.Inspection.Orientation, Budget: p.budget, BudgetBytes: p.budgetBytes,
		MaxBytes: p.cfg.MaxPixels * 12,
		ICC:      keptICC(parsed, p.cfg.Keep),
	})
	var frames *reencode.FrameError
	switch {
	case errors.Is(err, reencode.ErrNoEncoder):
		r.Method = "lossless"
		r.Warnings = append(r.Warnings, fmt.Sprintf("re-encode fallback: no %s encoder; the verified lossless rebuild was written (coded image data kept; --format jpeg|png|webp|avif re-encodes it)", f))
		out, err := parsed.Lossless(p.cfg.Keep)
		return out, "", err
	case errors.As(err, &frames) && p.cfg.Format == "":
		r.Method = "lossless"
		r.Warnings = append(r.Warnings, "re-encode fallback: "+frames.What+"; re-encoding would keep one frame, so the verified lossless rebuild (every frame) was written")
		out, err := parsed.Lossless(p.cfg.Keep)
		return out, "", err
	}
	if err != nil {
		return nil, "", err
	}
	r.Warnings = append(r.Warnings, res.Warnings...)
	vkeep := p.cfg.Keep
	vkeep.ICC = vkeep.ICC && res.ICCKept // said in a warning
	newRel := ""
	if res.Format != f {
		if err := verifyConverted(parsed, res.Format, res.Data, vkeep); err != nil {
			return nil, "", err
		}
		newRel = renamed(rel, res.Format)
		r.Warnings = append(r.Warnings, fmt.Sprintf("converted from %s to %s (--format)", f, res.Format))
	} else if err := parsed.Verify(res.Data, vkeep, false); err != nil {
		return nil, "", err
	}
	return res.Data, newRel, nil
}

// verifyConverted verifies an output written in another format than the
// input's: it must parse with its own format's parser and show no finding
// and no unaccounted byte, and keep the ICC profile when keep promises it
// (what container.Verify checks, without the input's own re-parser).
func verifyConverted(orig *scrub.Parsed, f format.Format, out []byte, keep meta.Keep) error {
	got, err := scrub.Parse(f, out)
	if err != nil || got.File == nil {
		return fmt.Errorf("%w: %s output does not parse", scrub.ErrVerify, f)
	}
	if n := len(got.Inspection.Findings); n > 0 {
		return fmt.Errorf("%w: %s output still has %d finding(s)", scrub.ErrVerify, f, n)
	}
	if keep.ICC && orig.ICC() != nil && got.ICC() == nil {
		return fmt.Errorf("%w: ICC profile not kept", scrub.ErrVerify)
	}
	return nil
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
func (p *proc) commitRenamed(r *Result, c walk.Candidate, newRel string, out []byte, snap safefile.Snapshot, changed bool) *Result {
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
	if err != nil || !os.SameFile(fi, c.Info) || fi.Size() != snap.Size || !fi.ModTime().Equal(snap.ModTime) {
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
