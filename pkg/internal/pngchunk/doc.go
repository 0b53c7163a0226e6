// Package pngchunk walks, classifies and losslessly strips PNG files.
//
// It implements the chunk layer of the PNG Specification (Third Edition,
// W3C, 2025): the 8-byte signature, length/type/data/CRC-32 chunks, IHDR
// first and IEND last, the critical chunks IHDR, PLTE, IDAT and IEND, the
// ancillary colour, HDR (cICP, mDCV, cLLI) and APNG (acTL, fcTL, fdAT)
// chunks, and the textual chunks tEXt, zTXt and iTXt. The eXIf chunk follows
// "Extensions to the PNG 1.2 Specification" v1.5.0. ImageMagick's
// "Raw profile type <name>" text chunks (hex-encoded EXIF, IPTC, XMP and
// Photoshop 8BIM profiles) and its "exif:*" text properties are decoded
// as well, because that is where converted photos carry their GPS data.
//
// Inspect reports every metadata part as a meta.Finding, Strip rebuilds the
// file from an allowlist of chunks, and SameImage checks that two files
// carry the same coded image data. No chunk content (text, keyword values,
// payloads) ever appears in a finding, warning or error.
package pngchunk
