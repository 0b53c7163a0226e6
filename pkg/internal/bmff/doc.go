// Package bmff parses, inspects and rebuilds HEIF, HEIC and AVIF still
// images: the container formats HEIF and AVIF of the container contract
// (pkg/internal/container).
//
// Specifications implemented: the ISO base media file format (ISO/IEC
// 14496-12: boxes, full boxes, ftyp, meta, hdlr, dinf/dref, pitm,
// iinf/infe, iloc, iref, iprp/ipco/ipma, idat, mdat, free/skip); the High
// Efficiency Image File Format (ISO/IEC 23008-12: items, item properties
// ispe, pixi, colr, irot, imir, clap, pasp, auxC, lsel, rloc, the grid and
// overlay descriptors) with MIAF (ISO/IEC 23000-22); the HEVC decoder
// configuration record and length-prefixed NAL units of ISO/IEC 14496-15
// with the NAL unit types of ITU-T H.265; AV1-ISOBMFF (av1C, a1op, a1lx)
// and the AV1 Image File Format (AVIF) with the OBU syntax of the AV1
// bitstream specification; CTA-861.3/SMPTE 2086 light-level properties
// (clli, mdcv) and amve.
//
// # Byte map
//
// Parse reads the file once and classifies every byte:
//
//   - Box headers of the boxes a rebuild writes (ftyp, meta and its
//     children, mdat) and their validated fields are Kept. ftyp keeps only
//     known brands and minor version 0 (other brands and a non-zero minor
//     version are Slack). hdlr, pitm, iinf/infe, iloc, iref and ipma are
//     parsed exactly: bytes after their fields are Slack; non-zero flags
//     where zero is required are Slack. Names (hdlr name, infe item_name)
//     are Kept when empty or from a fixed list of writer defaults ("HEVC
//     Image"...), else Meta (reported by size only); content types and
//     encodings likewise. dinf is Kept only in the self-contained form
//     (one 'url ' entry with flags 1); any other dinf is Meta.
//   - Every property in ipco associated with a kept item is validated
//     with its exact size and re-serialized from its fields: trailing bytes
//     are Slack. hvcC is parsed down to its NAL arrays (parameter sets
//     Coded, SEI units Meta, anything else Slack); av1C down to its config
//     OBUs (sequence headers Coded, metadata OBUs Meta); colr nclx exactly
//     7 bytes; an ICC profile (colr prof/rICC) goes through the icc
//     package (Kept when its report is clean, else Meta; rebuilt by
//     icc.Rebuild; dropped with an unparsed finding when it does not
//     parse). A property type not on that list is Meta (named by its type
//     when it is a known type, else by size only); when it is marked
//     essential for a kept item, the file is unsupported. Properties only
//     removed items use are Meta (their item's finding covers them);
//     properties no item uses are Meta with a finding of their own.
//   - Item data (iloc extents in mdat or idat): the data of kept items is
//     Coded only as far as its framing is proven: HEVC items are split
//     into length-prefixed NAL units (VCL and parameter sets Coded, SEI
//     types 39/40 Meta, AUD, filler, end-of-sequence and reserved types
//     Slack; a length running past the data is an error); AV1 items into
//     OBUs (sequence/frame headers, tile groups and frames Coded; metadata
//     OBUs Meta; temporal delimiters, padding and reserved types Slack);
//     grid and overlay descriptors are Kept with their exact size for the
//     number of inputs. Items of other coding types cannot be proven and
//     make the file unsupported. The data of removed items (Exif, XMP,
//     other mime items, thumbnails, non-alpha auxiliary images, images
//     outside the primary image's derivation) is Meta. mdat and idat bytes
//     no item covers are Slack.
//   - Top-level boxes: free/skip are Kept when their payload is all zero,
//     else Slack (a rebuild never writes them); uuid (C2PA: identity),
//     jumb, a second meta or ftyp and unknown boxes are Meta; moov (an
//     image sequence) is Meta and makes the file unsupported. Fewer than 8
//     bytes after the last box are Slack; a box running past its parent is
//     an error.
//
// # Kept items and orientation
//
// The kept items are the primary item, every input of a kept derived image
// ('dimg': grid tiles, overlay and identity inputs) and every alpha
// auxiliary image of a kept item. The effective orientation
// (Inspection.Orientation) is the primary item's irot/imir transform
// composed in association order when it has one (MIAF: Exif orientation
// is then informative only and ignored); otherwise the Orientation of the
// Exif item linked to the primary item by 'cdsc' (or linked to no item at
// all: it then describes the whole file); otherwise tiff:Orientation of
// such an XMP item. When the orientation came from Exif or XMP and is
// not 1, Rebuild writes an orientation-only Exif item (4-byte
// exif_tiff_header_offset 6, "Exif\0\0", exifmeta.Minimal) linked to the
// primary item; Parse recognises exactly that item (or the same block with
// offset 0 and no prefix) as Kept. XMP is recognised in mime items typed
// application/rdf+xml, text/xml or application/xml, in any mime item that
// holds an XMP packet, and after inflating (at most 16 MiB) a "deflate"
// content encoding.
//
// # Rebuild
//
// Rebuild writes ftyp, a new meta box (hdlr with an empty name, the
// canonical dinf when the input had one, pitm, iloc with one extent per
// item, iinf with unnamed infe boxes, iref between kept items, iprp with
// the kept properties re-serialized and ipma renumbered, idat) and one mdat
// holding the kept items' Coded and Kept pieces only. SEI NAL units and
// metadata OBUs are dropped (they carry no pixels). SameImage compares
// the coded pieces and the re-serialized image-defining properties.
//
// Files whose rewrite would need guessing (image sequences, more than one
// meta box, a handler other than 'pict', construction_method 2, external
// data references, iloc index_size != 0, protected or infe version 0/1
// kept items, kept items sharing part of their bytes with other items,
// essential unknown properties, unproven coding types) make Parse return
// an error wrapping ErrUnsupported (container.ErrUnsupported), with the
// inspection complete.
//
// Parsing is iterative over bounded box lists: every size is checked
// against the parent's remaining bytes before use, the nesting depth of
// the generic walker is capped at 16 and the number of boxes, items,
// extents, references, NAL units and OBUs is capped. A parsed File is
// immutable and safe for concurrent use.
package bmff
