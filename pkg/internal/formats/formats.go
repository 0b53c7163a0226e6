// Package formats is photoscrub's registry list: importing it registers
// every container format with pkg/internal/container, in match order (a
// refinement before the format it refines: camera raw before TIFF). A new
// format is one package and one line here.
package formats

import (
	"errors"

	"github.com/photoscrub/photoscrub/pkg/internal/bmff"
	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/internal/gifext"
	"github.com/photoscrub/photoscrub/pkg/internal/jpegseg"
	"github.com/photoscrub/photoscrub/pkg/internal/pngchunk"
	"github.com/photoscrub/photoscrub/pkg/internal/tifffile"
	"github.com/photoscrub/photoscrub/pkg/internal/webpriff"
)

func init() {
	container.Register(legacyFormat(format.JPEG, jpegseg.Inspect, jpegseg.Strip, jpegseg.SameImage, nil))
	container.Register(pngchunk.Format)
	container.Register(gifext.Format)
	container.Register(legacyFormat(format.WebP, webpriff.Inspect, webpriff.Strip, webpriff.SameImage, nil))
	raw := legacyFormat(format.RAW, tifffile.Inspect, nil, nil, nil)
	raw.Rebuild = false
	raw.Match = func(d []byte) bool {
		return format.Sniff(d[:min(len(d), format.HeadSize)]) == format.TIFF && tifffile.IsRaw(d)
	}
	container.Register(raw)
	container.Register(legacyFormat(format.TIFF, tifffile.Inspect, tifffile.Strip, tifffile.SameImage,
		func(err error) bool { return errors.Is(err, tifffile.ErrUnsupported) }))
	container.Register(bmff.HEIF)
	container.Register(bmff.AVIF)
}
