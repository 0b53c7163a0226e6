// Package pngchunk parses, classifies and rebuilds PNG and APNG files
// under the container contract (pkg/internal/container).
//
// Specifications: PNG Specification, Third Edition (W3C, 2025; ISO/IEC
// 15948): signature, length/type/data/CRC-32 chunks, IHDR first and IEND
// last, the critical chunks IHDR, PLTE, IDAT and IEND, zlib (RFC 1950) /
// deflate (RFC 1951) image data with filter-type bytes and Adam7
// interlacing, the ancillary colour chunks (cHRM, gAMA, iCCP, sRGB, sBIT,
// cICP, mDCV, cLLI), tRNS, bKGD, pHYs, the textual chunks tEXt, zTXt and
// iTXt, tIME, eXIf, and the APNG chunks acTL, fcTL and fdAT. ImageMagick's
// "Raw profile type <name>" text chunks (hex-encoded EXIF, IPTC, XMP and
// Photoshop 8BIM profiles) and "exif:*" text properties are decoded too,
// because that is where converted photos carry their GPS data.
//
// How each byte of a PNG is accounted for (the byte map):
//   - the signature, chunk headers and CRCs of kept and coded chunks, and
//     the chunks kept whole are Kept; IHDR, PLTE, tRNS, bKGD, sBIT and the
//     colour chunks are validated against the image header (exact size,
//     values in range, position before PLTE/IDAT, first of their type);
//     bytes past a kept chunk's fields are Slack; a kept-type chunk that
//     is too short, out of range, misplaced or duplicated is Meta;
//   - each image data stream (the IDAT chunks; per APNG frame the fdAT
//     data after the sequence number) is inflated to the end of its zlib
//     stream and must decompress to exactly the raw size the geometry
//     dictates with filter types 0..4: the bytes up to the Adler-32 are
//     Coded, bytes after it Slack; a stream that decompresses past the
//     raw size is Slack as a whole and re-deflated from exactly the raw
//     bytes on rebuild;
//   - iCCP: name, zlib stream inflated to its end (slack after it), the
//     profile through the icc package (Kept when clean under the neutral
//     name, else Meta; a profile that does not parse is dropped);
//   - eXIf exactly as this package writes it (Orientation only) is Kept,
//     every other metadata chunk is Meta with findings; chunk types this
//     package does not know are "unknown ancillary chunk" by size;
//   - bytes after IEND are Slack. Unknown critical chunks are
//     container.ErrUnsupported.
//
// CRC policy: a bad CRC on a critical chunk makes the file unparsed; an
// ancillary chunk with a bad CRC is Meta (unparsed finding, its content
// still classified) and dropped.
//
// Rebuild writes every chunk from its parsed fields in canonical order;
// orientation from any carrier (eXIf, EXIF in text chunks, XMP
// tiff:Orientation, the "exif:Orientation" property) is kept as an
// Orientation-only eXIf. No chunk content (text, keyword values, unknown
// chunk types) ever appears in a finding, warning or error.
package pngchunk
