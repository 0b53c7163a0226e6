package gifext

import (
	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Inspect parses data and returns its inspection with the findings of its
// byte map (container.Inspect semantics). It returns an error when the
// file cannot be parsed; the Inspection then still holds what was found
// so far plus an Unparsed finding.
func Inspect(data []byte) (meta.Inspection, error) {
	f, err := parse(data)
	if err != nil {
		return f.insp, err
	}
	return container.Inspect(f, len(data)), nil
}
