// Package tifffile parses, inspects and losslessly rebuilds whole TIFF
// files under photoscrub's container contract (pkg/internal/container):
// TIFF 6.0 (Adobe, 1992) baseline and extensions, TIFF Technical Note 1
// (SubIFDs), BigTIFF (magic 43, 8-byte offsets), the Exif 3.0 (CIPA
// DC-008-2023) sub-IFDs, the Adobe XMP Specification Part 3 (tag 700),
// IPTC-IIM and Photoshop image resources in TIFF (tags 33723 and 34377),
// ICC.1 profiles (tag 34675, through pkg/internal/icc) and OGC GeoTIFF
// 1.1 (tags 33550, 33922, 34264, 34735–34737) for detection. Raw camera
// files built on TIFF (DNG 1.6, CR2, NEF, ARW, PEF, ORF, RW2 and the like)
// are recognised by [IsRaw] and registered as [RawFormat]: inspected, never
// rewritten.
//
// # How each byte of a TIFF file is accounted for
//
// [Parse] reads the file once and classifies every byte:
//
//   - Kept: the header; the entry table (count, entries, next-IFD offset)
//     of every page of the main IFD chain; the out-of-line values of the
//     tags a decoder needs, each validated against a schema (type, count
//     from SamplesPerPixel, BitsPerSample or the strip geometry, value
//     range); the ICC profile when icc.Parse accepts it and reports it
//     clean; a single zero byte at an odd offset that nothing references
//     (word-alignment padding).
//   - Coded: every strip or tile, as far as its decoder is proven to
//     consume it. The number of strips (ceil(ImageLength/RowsPerStrip),
//     times SamplesPerPixel when PlanarConfiguration is 2) or tiles must
//     equal the count of the offsets and byte-counts tags, and each
//     chunk's raw size follows from the geometry (the last strip is
//     shorter; BitsPerSample packing; YCbCr sampling units). Compression 1
//     takes exactly the raw size; LZW (5) is decoded to its EOI code, in
//     both the TIFF 6.0 and the old-style bit order as libtiff reads them,
//     and must produce the raw size (at most one byte more, which
//     decoders drop); Deflate (8, 32946) is inflated to the end of its
//     zlib stream (Adler-32 checked, inflation capped by the input size)
//     and must produce exactly the raw size; PackBits (32773) is decoded
//     until the raw size is produced; JPEG (7) is proven by
//     jpegseg.ProvenLength (Huffman decoding to the last MCU, through EOI)
//     with the page's JPEGTables. Other compressions (CCITT 2/3/4,
//     old-style JPEG 6, LZMA, ZSTD, WebP, JPEG XL, ...) have no proof: Parse
//     fails with an error wrapping container.ErrUnsupported and an
//     Unparsed finding, so such a file is never reported clean.
//   - Meta (each covered by a finding): values of every other tag of a
//     page (classified by exifmeta per page, XMP by xmp, IPTC and
//     Photoshop resources by irb, GeoTIFF as location), Exif, GPS,
//     Interop and SubIFD directories with their values and image data, IFDs
//     of the chain without image data, embedded JPEG thumbnails, kept tags
//     stored with a wrong type (rebuilt in the right one) or a wrong
//     count or value (dropped; on a tag needed to decode, the page fails
//     as malformed), duplicate tags, non-zero bytes in the unused part of
//     a kept entry's inline value field, ICC profiles that do not parse or
//     carry text.
//   - Slack (container.Inspect turns it into one embedded "unaccounted
//     bytes" finding): bytes after a strip's proven end that its
//     StripByteCounts still covers, and every byte no structure
//     references.
//
// Several entries may point at the same bytes, and ranges may overlap in
// hostile files: each byte takes the strongest claim (Meta, then Coded,
// then Kept, then Slack) and identical shared ranges merge into one, so
// the byte map always tiles the input.
//
// [File.Rebuild] writes a fresh file from the parsed pages: proven chunk
// bytes (chunks sharing their bytes written once), kept values
// re-serialized from their validated form, Orientation and the
// icc.Rebuild profile per meta.Keep, the offsets and byte counts
// rewritten. The byte order and the classic/BigTIFF flavour are kept.
//
// All functions are plain synchronous functions over a []byte, safe for
// concurrent use, and never panic on any input.
package tifffile

import "github.com/photoscrub/photoscrub/pkg/internal/container"

// FormatError reports a malformed TIFF file. Its text holds only fixed
// wording, offsets and sizes, never a value read from the file.
type FormatError string

// Error returns the message prefixed with "tifffile: ".
func (e FormatError) Error() string { return "tifffile: " + string(e) }

// ErrUnsupported is returned (wrapped) by Parse and Strip for valid TIFF
// files photoscrub will not rewrite: raw camera formats, old-style JPEG
// compression, and compressions whose coded extent cannot be proven. It is
// container.ErrUnsupported.
var ErrUnsupported = container.ErrUnsupported

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
