package formats

// TRANSITION SHIM, removed once every container package exports its own
// Format: wraps the pre-contract Inspect/Strip/SameImage functions.

import (
	"bytes"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

type legacyFile struct {
	data  []byte
	in    meta.Inspection
	strip func([]byte, meta.Keep) ([]byte, error)
	same  func(a, b []byte) error
	icc   func([]byte) []byte
}

func (f *legacyFile) Inspection() meta.Inspection { return f.in }
func (f *legacyFile) Map() []container.Range {
	return []container.Range{{Off: 0, Len: len(f.data), Kind: container.Coded, Part: "legacy"}}
}
func (f *legacyFile) Rebuild(keep meta.Keep) ([]byte, error) { return f.strip(f.data, keep) }
func (f *legacyFile) SameImage(out container.File) error {
	return f.same(f.data, out.(*legacyFile).data)
}
func (f *legacyFile) ICC() []byte {
	if f.icc == nil {
		return nil
	}
	return f.icc(f.data)
}

func legacy(inspect func([]byte) (meta.Inspection, error), strip func([]byte, meta.Keep) ([]byte, error),
	same func(a, b []byte) error, icc func([]byte) []byte) func([]byte) (container.File, error) {
	return func(data []byte) (container.File, error) {
		in, err := inspect(data)
		f := &legacyFile{data: bytes.Clone(data), in: in, strip: strip, same: same, icc: icc}
		return f, err
	}
}

func legacyFormat(name format.Format, inspect func([]byte) (meta.Inspection, error), strip func([]byte, meta.Keep) ([]byte, error),
	same func(a, b []byte) error, unsupported func(error) bool) container.Format {
	return container.Format{
		Name:        name,
		Match:       func(d []byte) bool { return format.Sniff(d[:min(len(d), format.HeadSize)]) == name },
		Parse:       legacy(inspect, strip, same, nil),
		Rebuild:     strip != nil,
		Unsupported: unsupported,
	}
}
