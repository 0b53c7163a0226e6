// Package webpriff inspects and strips WebP files at the container level.
//
// It implements the RIFF container of the WebP Container Specification
// (Google, https://developers.google.com/speed/webp/docs/riff_container):
// the "RIFF" size "WEBP" header, chunks of FourCC + little-endian uint32 size
// + payload padded to an even length, the simple formats (a single VP8 or
// VP8L chunk) and the extended format (VP8X with ICCP, ANIM/ANMF, ALPH, EXIF
// and "XMP " chunks). It reads the image dimensions from the VP8X canvas, the
// VP8 key-frame header (RFC 6386 section 9.1) or the VP8L header (WebP
// Lossless Bitstream Specification, section 3).
//
// Inspect classifies every chunk, Strip rebuilds the file from an allowlist
// (VP8X, ICCP when kept, ANIM, ANMF, ALPH, VP8, VP8L, plus a minimal
// Orientation-only EXIF chunk when asked), and SameImage compares the coded
// image data of two files. All functions are plain synchronous functions over
// a byte slice, bounded in time and memory by the input size, and safe for
// concurrent use.
//
// Orientation in a simple-format file: WebP can only carry orientation in an
// EXIF chunk, which requires the extended format. When a simple file (no
// VP8X) has an EXIF Orientation other than 1 that must be kept, Strip
// synthesizes a VP8X chunk whose canvas size comes from the VP8/VP8L frame
// header and whose alpha flag comes from the VP8L header (a lossy simple file
// has no alpha).
package webpriff
