// Package strip dispatches inspection, lossless rebuilding and verification
// to the container package of each supported format, and implements the
// verification rule shared by all of them: an output is accepted only when
// re-inspecting it finds nothing, its coded image data equals the
// original's, and its display orientation is what the keep policy promises.
package strip

import (
	"errors"
	"fmt"

	"github.com/photoscrub/photoscrub/pkg/internal/bmff"
	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/internal/gifext"
	"github.com/photoscrub/photoscrub/pkg/internal/jpegseg"
	"github.com/photoscrub/photoscrub/pkg/internal/pngchunk"
	"github.com/photoscrub/photoscrub/pkg/internal/tifffile"
	"github.com/photoscrub/photoscrub/pkg/internal/webpriff"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// ErrUnsupported reports a format (or a variant of one) photoscrub does not
// rewrite.
var ErrUnsupported = errors.New("unsupported format")

// ErrVerify reports an output that failed verification; it is never written.
var ErrVerify = errors.New("verification failed")

// handler is what each container package provides.
type handler struct {
	inspect   func([]byte) (meta.Inspection, error)
	strip     func([]byte, meta.Keep) ([]byte, error)
	sameImage func(orig, out []byte) error
	// unsupported tells whether an error from strip means "variant not
	// supported" rather than "malformed".
	unsupported func(error) bool
}

var handlers = map[format.Format]handler{
	format.JPEG: {inspect: jpegseg.Inspect, strip: jpegseg.Strip, sameImage: jpegseg.SameImage},
	format.PNG:  {inspect: pngchunk.Inspect, strip: pngchunk.Strip, sameImage: pngchunk.SameImage},
	format.GIF:  {inspect: gifext.Inspect, strip: gifext.Strip, sameImage: gifext.SameImage},
	format.WebP: {inspect: webpriff.Inspect, strip: webpriff.Strip, sameImage: webpriff.SameImage},
	format.TIFF: {inspect: tifffile.Inspect, strip: tifffile.Strip, sameImage: tifffile.SameImage,
		unsupported: func(err error) bool { return errors.Is(err, tifffile.ErrUnsupported) }},
	// Camera raw built on TIFF: inspected for the audit, never rewritten.
	format.RAW:  {inspect: tifffile.Inspect},
	format.HEIF: bmffHandler,
	format.AVIF: bmffHandler,
}

var bmffHandler = handler{inspect: bmff.Inspect, strip: bmff.Strip, sameImage: bmff.SameImage,
	unsupported: func(err error) bool { return errors.Is(err, bmff.ErrUnsupported) }}

func lookup(f format.Format) (handler, error) {
	h, ok := handlers[f]
	if !ok {
		return handler{}, fmt.Errorf("%w: %s", ErrUnsupported, f)
	}
	return h, nil
}

// Sniff returns the format of data by its magic bytes, refining TIFF into
// camera raw (DNG, CR2, NEF, ARW, PEF...: detected, never rewritten).
func Sniff(data []byte) format.Format {
	f := format.Sniff(data[:min(len(data), format.HeadSize)])
	if f == format.TIFF && tifffile.IsRaw(data) {
		return format.RAW
	}
	return f
}

// Supported reports whether format f can be inspected and scrubbed.
func Supported(f format.Format) bool {
	_, ok := handlers[f]
	return ok
}

// Rewritable reports whether files of format f can be scrubbed (camera
// raw files are inspected only).
func Rewritable(f format.Format) bool {
	h, ok := handlers[f]
	return ok && h.strip != nil
}

// Inspect classifies every metadata part of data, a file of format f.
func Inspect(f format.Format, data []byte) (meta.Inspection, error) {
	h, err := lookup(f)
	if err != nil {
		return meta.Inspection{}, err
	}
	return h.inspect(data)
}

// Lossless rebuilds data from the format's allowlist and verifies the
// result (see Verify). in is the inspection of data.
func Lossless(f format.Format, data []byte, in meta.Inspection, keep meta.Keep) ([]byte, error) {
	h, err := lookup(f)
	if err != nil {
		return nil, err
	}
	if h.strip == nil {
		return nil, fmt.Errorf("%w: %s", ErrUnsupported, f)
	}
	out, err := h.strip(data, keep)
	if err != nil {
		if errors.Is(err, ErrUnsupported) || (h.unsupported != nil && h.unsupported(err)) {
			return nil, fmt.Errorf("%w: %v", ErrUnsupported, err)
		}
		return nil, err
	}
	if err := Verify(f, data, out, in, keep, true); err != nil {
		return nil, err
	}
	return out, nil
}

// Verify re-inspects out, the scrubbed version of orig (whose inspection is
// in), with the same detector. It fails when out has any finding, when
// lossless and the coded image data differ, or when the orientation
// promised by keep is not kept.
func Verify(f format.Format, orig, out []byte, in meta.Inspection, keep meta.Keep, lossless bool) error {
	h, err := lookup(f)
	if err != nil {
		return err
	}
	got, err := h.inspect(out)
	if err != nil {
		return fmt.Errorf("%w: output does not parse", ErrVerify)
	}
	if len(got.Findings) > 0 {
		return fmt.Errorf("%w: output still has %d finding(s), first %s at %s", ErrVerify,
			len(got.Findings), got.Findings[0].Category, meta.Sanitize(got.Findings[0].Where))
	}
	if lossless {
		if err := h.sameImage(orig, out); err != nil {
			return fmt.Errorf("%w: image data changed", ErrVerify)
		}
		if keep.Orientation && norm(in.Orientation) != norm(got.Orientation) {
			return fmt.Errorf("%w: orientation not kept", ErrVerify)
		}
	}
	return nil
}

// norm maps "no orientation" and invalid values to 1 (the default).
func norm(o int) int {
	if o < 1 || o > 8 {
		return 1
	}
	return o
}
