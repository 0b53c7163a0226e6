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

	"github.com/photoscrub/photoscrub/pkg/internal/scrub"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// ErrUnsupported is returned for formats photoscrub cannot rewrite.
var ErrUnsupported = scrub.ErrUnsupported

// ErrVerify is returned when a rebuilt file failed verification.
var ErrVerify = scrub.ErrVerify

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
	f := scrub.Sniff(data)
	in := Inspection{Format: string(f)}
	if !scrub.Supported(f) {
		return in, ErrUnsupported
	}
	p, err := scrub.Parse(f, data)
	if p != nil {
		in.Findings, in.Orientation = p.Inspection.Findings, p.Inspection.Orientation
	}
	return in, err
}

// Clean rebuilds data losslessly from its format's allowlist, keeping what
// keep says (meta.DefaultKeep: orientation and ICC profile), and verifies
// the result: no finding left and the coded image data unchanged. A file
// with nothing to remove is returned as is (unless keep drops the ICC
// profile or the orientation, which are never findings).
func Clean(data []byte, keep meta.Keep) ([]byte, error) {
	f := scrub.Sniff(data)
	if !scrub.Supported(f) {
		return nil, ErrUnsupported
	}
	p, err := scrub.Parse(f, data)
	if err != nil {
		return nil, err
	}
	if p.Clean() && keep.ICC && keep.Orientation {
		return data, nil
	}
	out, err := p.Lossless(keep)
	if err != nil && !errors.Is(err, scrub.ErrUnsupported) && !errors.Is(err, scrub.ErrVerify) {
		return nil, err
	}
	return out, err
}
