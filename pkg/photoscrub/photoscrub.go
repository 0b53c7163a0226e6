// Package photoscrub is the library face of the photoscrub tool: inspect a
// photo's bytes for location and identity metadata, and rebuild them
// losslessly without it, verified. Format support and the findings
// taxonomy are documented in docs/formats.md; the container rules follow
// the specifications named in each internal package (JPEG T.81, PNG 3rd
// ed., TIFF 6.0/Exif 3.0, WebP RIFF, ISO/IEC 23008-12 HEIF, GIF89a).
//
// Everything here is a pure function over bytes and is safe for
// concurrent use. Whole-tree scanning, safe file commits and the audit
// report live in the command (cmd/photoscrub) and pkg/report.
package photoscrub

import (
	"errors"

	"github.com/photoscrub/photoscrub/pkg/internal/strip"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// ErrUnsupported is returned for formats photoscrub cannot rewrite.
var ErrUnsupported = strip.ErrUnsupported

// ErrVerify is returned when a rebuilt file failed verification.
var ErrVerify = strip.ErrVerify

// Inspection is what Inspect found in one file.
type Inspection struct {
	// Format is the container format sniffed from the magic bytes
	// ("jpeg", "png", "gif", "webp", "tiff", "heif", "avif", or the name of
	// an unsupported format).
	Format string
	// Findings lists every trace, by category, place and tag name; never
	// values.
	Findings []meta.Finding
	// Orientation is the EXIF orientation (1..8), 0 when absent.
	Orientation int
}

// Inspect classifies every metadata part of data. It returns ErrUnsupported
// for a format it cannot parse, and a non-nil error when the container is
// malformed (the Inspection then holds an "unparsed" finding).
func Inspect(data []byte) (Inspection, error) {
	f := strip.Sniff(data)
	in := Inspection{Format: string(f)}
	if !strip.Supported(f) {
		return in, ErrUnsupported
	}
	got, err := strip.Inspect(f, data)
	in.Findings, in.Orientation = got.Findings, got.Orientation
	return in, err
}

// Clean rebuilds data losslessly from its format's allowlist, keeping what
// keep says (meta.DefaultKeep: orientation and ICC profile), and verifies
// the result: no finding left and the coded image data unchanged. A file
// with nothing to remove is returned as is (unless keep drops the ICC
// profile or the orientation, which are never findings).
func Clean(data []byte, keep meta.Keep) ([]byte, error) {
	f := strip.Sniff(data)
	if !strip.Supported(f) {
		return nil, ErrUnsupported
	}
	in, err := strip.Inspect(f, data)
	if err != nil {
		return nil, err
	}
	if len(in.Findings) == 0 && keep.ICC && keep.Orientation {
		return data, nil
	}
	out, err := strip.Lossless(f, data, in, keep)
	if err != nil && !errors.Is(err, strip.ErrUnsupported) && !errors.Is(err, strip.ErrVerify) {
		return nil, err
	}
	return out, err
}
