// Package formats is photoscrub's registry list: importing it registers
// every container format with pkg/internal/container, in match order (a
// refinement before the format it refines: camera raw before TIFF). A new
// format is one package and one line here.
package formats

import (
	"github.com/photoscrub/photoscrub/pkg/internal/bmff"
	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/gifext"
	"github.com/photoscrub/photoscrub/pkg/internal/jpegseg"
	"github.com/photoscrub/photoscrub/pkg/internal/pngchunk"
	"github.com/photoscrub/photoscrub/pkg/internal/tifffile"
	"github.com/photoscrub/photoscrub/pkg/internal/webpriff"
)

func init() {
	container.Register(jpegseg.Format)
	container.Register(pngchunk.Format)
	container.Register(gifext.Format)
	container.Register(webpriff.Format)
	container.Register(tifffile.RawFormat) // before TIFF: raw files are TIFFs too
	container.Register(tifffile.Format)
	container.Register(bmff.HEIF)
	container.Register(bmff.AVIF)
}
