// Package bmff inspects and strips HEIF, HEIC and AVIF still images at the
// container level.
//
// It implements the parts of the ISO base media file format (ISO/IEC
// 14496-12: boxes, full boxes, ftyp, meta, hdlr, pitm, iinf/infe, iloc,
// iref, iprp/ipco/ipma, idat, mdat) used by the High Efficiency Image File
// Format (ISO/IEC 23008-12, HEIF; with MIAF, ISO/IEC 23000-22) and by the AV1
// Image File Format (AOM AVIF). Exif items (a 4-byte offset to the TIFF
// header, then the EXIF block) and XMP items ('mime' application/rdf+xml) go
// to the exifmeta and xmp classifiers.
//
// Strip rebuilds the file from an allowlist instead of deleting parts: the
// output is ftyp, a newly written meta box and one new mdat holding only the
// bytes of the kept items. The kept items are the primary item, every input
// of a kept derived image ('dimg': grid tiles, overlay and identity inputs)
// and every alpha auxiliary image ('auxl' with an alpha auxC URN) of a kept
// item. Everything else is removed with its iinf, iloc, iref and ipma
// entries: Exif and XMP items, other mime and uri items, thumbnails
// ('thmb'), depth and HDR gain-map auxiliary images, other images (e.g. the
// second view of a stereo pair), entity groups (grpl), item names, the hdlr
// name, uuid and unknown boxes. Properties are kept only when associated with
// a kept item and on the allowlist (codec configuration, ispe, colr, irot,
// imir, pixi, clap, pasp, auxC, ...); ipco is rebuilt and the ipma indices
// renumbered. Display orientation lives in irot/imir, which are kept, so no
// EXIF block is ever written. Files whose rewrite would need guessing
// (image sequences with moov, construction_method 2, external data
// references, iloc index_size != 0, protected items, extents shared between
// kept and removed items, non-allowlisted essential properties) make Strip
// return an error wrapping ErrUnsupported.
//
// Parsing is iterative over bounded box lists: every size is checked against
// the parent's remaining bytes before use, the nesting depth of the generic
// walker is capped at 16 and the number of boxes, items, extents and
// references is capped. All functions are plain synchronous functions over a
// byte slice and are safe for concurrent use.
package bmff
