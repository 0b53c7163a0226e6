package gifext

import (
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Strip parses data and rebuilds it (see gifFile.Rebuild): a thin wrapper
// over Parse and File.Rebuild kept for callers that work on bytes. It
// never returns a partial file: error or full output.
func Strip(data []byte, keep meta.Keep) ([]byte, error) {
	f, err := parse(data)
	if err != nil {
		return nil, err
	}
	return f.Rebuild(keep)
}

// SameImage returns nil when out carries exactly the same coded image data
// as orig (screen descriptor, colour tables, loop count, graphic control
// fields, image descriptors and proven LZW data, frame by frame), and an
// error naming the first difference otherwise.
func SameImage(orig, out []byte) error {
	a, err := parse(orig)
	if err != nil {
		return err
	}
	b, err := parse(out)
	if err != nil {
		return err
	}
	return a.SameImage(b)
}
