package webpriff

import (
	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// The functions below are the package's API from before the container
// contract, kept as thin wrappers over Parse.

// Inspect parses data and returns its inspection with the findings of its
// byte map (container.Inspect). On a parse error the Inspection holds what
// was found so far plus an Unparsed finding.
func Inspect(data []byte) (meta.Inspection, error) {
	f, err := Parse(data)
	if err != nil {
		if f == nil {
			var s meta.Set
			s.Add(meta.Unparsed, whereRIFF)
			return meta.Inspection{Findings: s.List()}, err
		}
		return f.Inspection(), err
	}
	return container.Inspect(f, len(data)), nil
}

// Strip parses data and rebuilds it (File.Rebuild). It never returns a
// partial file.
func Strip(data []byte, keep meta.Keep) ([]byte, error) {
	f, err := Parse(data)
	if err != nil {
		return nil, err
	}
	return f.Rebuild(keep)
}

// SameImage returns nil when out carries the same proven coded image data
// as orig (File.SameImage).
func SameImage(orig, out []byte) error {
	a, err := Parse(orig)
	if err != nil {
		return err
	}
	b, err := Parse(out)
	if err != nil {
		return err
	}
	return a.SameImage(b)
}
