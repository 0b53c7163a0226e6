// Package tifffile inspects and losslessly strips whole TIFF files: TIFF 6.0
// (Adobe, 1992) baseline and extensions, TIFF Technical Note 1 (SubIFDs),
// BigTIFF (magic 43, 8-byte offsets), the Adobe XMP Specification Part 3
// (tag 700), IPTC-IIM and Photoshop image resources in TIFF (tags 33723 and
// 34377), and OGC GeoTIFF 1.1 (tags 33550, 33922, 34264, 34735–34737) for
// detection. Raw camera files built on TIFF (DNG 1.6, CR2, NEF, ARW, PEF,
// ORF, RW2 and the like) are recognised by [IsRaw]; they are inspected but
// never rewritten.
//
// The IFD structure is read with the bounded walker in
// github.com/photoscrub/photoscrub/pkg/internal/tiffifd; each page's IFD is
// classified by pkg/internal/exifmeta as if it were IFD0 of an EXIF block,
// so identity tags are reported for every page, not only the first.
//
// [Strip] never edits the input in place: it writes a fresh file holding,
// for every page of the main IFD chain, only the tags a decoder needs (an
// allowlist), plus Orientation and the ICC profile as the policy keeps
// them, and the strip or tile data copied chunk by chunk. Nothing else of
// the old file is carried over, so no byte of a dropped tag, sub-IFD,
// maker note or gap between structures can survive.
//
// All functions are plain synchronous functions over a []byte, safe for
// concurrent use, and never panic on any input.
package tifffile

import "errors"

// FormatError reports a malformed TIFF file. Its text holds only fixed
// wording, offsets and sizes, never a value read from the file.
type FormatError string

// Error returns the message prefixed with "tifffile: ".
func (e FormatError) Error() string { return "tifffile: " + string(e) }

// ErrUnsupported is returned (wrapped) by Strip for valid TIFF files it
// will not rewrite: raw camera formats, old-style JPEG compression, and
// layouts whose image data cannot be located without guessing.
var ErrUnsupported = errors.New("tifffile: unsupported TIFF variant")

// Tags this package treats specially (TIFF 6.0 unless noted).
const (
	tagNewSubfileType   = 254
	tagImageWidth       = 256
	tagImageLength      = 257
	tagBitsPerSample    = 258
	tagCompression      = 259
	tagPhotometric      = 262
	tagFillOrder        = 266
	tagStripOffsets     = 273
	tagOrientation      = 274
	tagSamplesPerPixel  = 277
	tagRowsPerStrip     = 278
	tagStripByteCounts  = 279
	tagPlanarConfig     = 284
	tagPredictor        = 317
	tagColorMap         = 320
	tagTileWidth        = 322
	tagTileLength       = 323
	tagTileOffsets      = 324
	tagTileByteCounts   = 325
	tagSubIFDs          = 330
	tagExtraSamples     = 338
	tagSampleFormat     = 339
	tagJPEGTables       = 347
	tagJPEGIF           = 513
	tagJPEGIFLength     = 514
	tagYCbCrSubSampling = 530
	tagXMP              = 700
	tagIPTC             = 33723
	tagIRB              = 34377
	tagICC              = 34675
	tagDNGVersion       = 50706
)
