package pngchunk

import (
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Strip parses data and rebuilds it (see pngFile.Rebuild): a thin wrapper
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
// as orig (image header, palette, transparency, animation control, frame
// controls and decompressed scanlines), and an error naming the first
// difference otherwise.
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

// ICCChunk returns the iCCP chunk a rebuild of a PNG would write (neutral
// profile name, profile rebuilt by the icc package) as a whole chunk
// (length, type, data, CRC), or nil when the file has no profile that can
// be kept. The re-encoder uses it to carry the colour profile over.
func ICCChunk(data []byte) []byte {
	f, err := parse(data)
	if err != nil || f.icc == nil {
		return nil
	}
	return appendChunk(nil, "iCCP", append(append([]byte(iccName), 0, 0), f.iccZ...))
}
