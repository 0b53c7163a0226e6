// Package scrub parses a file once through the container registry
// (pkg/internal/container, filled by pkg/internal/formats), inspects it
// with its byte map, rebuilds it from the format's allowlist and verifies
// the rebuild: an output is accepted only when re-parsing it finds nothing
// (no finding, no unaccounted byte), its coded image data equals the
// original's, and the orientation and ICC profile promised by the keep
// policy are kept.
package scrub

import (
	"errors"
	"fmt"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/format"
	_ "github.com/photoscrub/photoscrub/pkg/internal/formats" // registers every format
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// ErrUnsupported reports a format (or a variant of one) photoscrub does not
// rewrite.
var ErrUnsupported = container.ErrUnsupported

// ErrVerify reports an output that failed verification; it is never written.
var ErrVerify = container.ErrVerify

// Sniff returns the format of data by its content (camera raw on TIFF is
// told apart from TIFF).
func Sniff(data []byte) format.Format { return container.Sniff(data) }

// Supported reports whether files of format f can be parsed and inspected.
func Supported(f format.Format) bool {
	_, ok := container.Lookup(f)
	return ok
}

// Rewritable reports whether files of format f can be rebuilt (camera raw
// files are inspected only).
func Rewritable(f format.Format) bool {
	c, ok := container.Lookup(f)
	return ok && c.Rebuild
}

// Parsed is a file parsed once: what inspection, rebuild and verification
// share.
type Parsed struct {
	Format container.Format
	// File is the parsed file; nil when Parse failed.
	File container.File
	// Inspection holds the findings of the file's parts and of its byte
	// map (unaccounted bytes); after a failed Parse, what was found before
	// the failure and an unparsed finding.
	Inspection meta.Inspection
	data       []byte
}

// Parse parses data, a file of format f. On failure it still returns a
// Parsed whose Inspection holds an unparsed finding, and an error that
// wraps ErrUnsupported when the file is a variant photoscrub cannot prove
// or rebuild.
func Parse(f format.Format, data []byte) (*Parsed, error) {
	c, ok := container.Lookup(f)
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnsupported, f)
	}
	p := &Parsed{Format: c, data: data}
	file, err := c.Parse(data)
	if err != nil {
		if file != nil {
			p.Inspection = file.Inspection()
		}
		var set meta.Set
		set.AddAll(p.Inspection.Findings)
		if !set.Has(meta.Unparsed) {
			set.Add(meta.Unparsed, string(f)+" structure")
		}
		p.Inspection.Findings = set.List()
		if errors.Is(err, ErrUnsupported) || (c.Unsupported != nil && c.Unsupported(err)) {
			return p, fmt.Errorf("%w: %v", ErrUnsupported, err)
		}
		return p, err
	}
	p.File = file
	p.Inspection = container.Inspect(file, len(data))
	return p, nil
}

// Clean reports whether the file has no finding at all.
func (p *Parsed) Clean() bool { return p.File != nil && len(p.Inspection.Findings) == 0 }

// ICC returns the colour profile a rebuild or re-encode keeps (already
// rebuilt by the icc package), or nil.
func (p *Parsed) ICC() []byte {
	if p.File == nil {
		return nil
	}
	return p.File.ICC()
}

// Lossless rebuilds the file from its format's allowlist and verifies the
// result (see Verify).
func (p *Parsed) Lossless(keep meta.Keep) ([]byte, error) {
	if p.File == nil {
		return nil, errors.New("scrub: file did not parse")
	}
	if !p.Format.Rebuild {
		return nil, fmt.Errorf("%w: %s", ErrUnsupported, p.Format.Name)
	}
	out, err := p.File.Rebuild(keep)
	if err != nil {
		if errors.Is(err, ErrUnsupported) || (p.Format.Unsupported != nil && p.Format.Unsupported(err)) {
			return nil, fmt.Errorf("%w: %v", ErrUnsupported, err)
		}
		return nil, err
	}
	if err := p.Verify(out, keep, true); err != nil {
		return nil, err
	}
	return out, nil
}

// Verify re-parses out, the scrubbed version of the file, with the same
// parser: it fails when out has any finding or unaccounted byte, when the
// orientation or ICC profile promised by keep is lost, and (lossless) when
// the coded image data differ.
func (p *Parsed) Verify(out []byte, keep meta.Keep, lossless bool) error {
	if p.File == nil {
		return errors.New("scrub: file did not parse")
	}
	_, err := container.Verify(p.Format, p.File, p.Inspection, out, keep, lossless)
	return err
}

// Inspect parses data (of format f) and returns its inspection: Parse for
// callers that only need the findings.
func Inspect(f format.Format, data []byte) (meta.Inspection, error) {
	p, err := Parse(f, data)
	if p == nil {
		return meta.Inspection{}, err
	}
	return p.Inspection, err
}
