// Package webpriff parses, inspects and rebuilds WebP files under the
// container contract (pkg/internal/container): Parse reads a file once and
// returns a File whose byte map accounts for every byte.
//
// Specifications implemented:
//   - the RIFF container of the WebP Container Specification (RFC 9649
//     section 2 and https://developers.google.com/speed/webp/docs/riff_container):
//     "RIFF" size "WEBP", chunks of FourCC + little-endian size + payload
//     padded to even length; simple (VP8/VP8L) and extended (VP8X, ICCP,
//     ANIM, ANMF, ALPH, EXIF, "XMP ") formats;
//   - VP8 key frames (RFC 6386): frame tag, key-frame header, the frame
//     header decoded with the boolean decoder (section 7), per-macroblock
//     segment, skip and intra modes (section 11) and every DCT token of the
//     token partitions (section 13) with their contexts, to prove where
//     each partition's data ends (vp8.go);
//   - the VP8L lossless bitstream (RFC 9649 section 3, "WebP Lossless
//     Bitstream"): transforms, colour cache, meta prefix codes, prefix
//     codes and LZ77 backward references decoded to the last pixel
//     (vp8l.go); the same decoder proves ALPH chunks compressed with it;
//   - ICC profiles through pkg/internal/icc, EXIF through exifmeta, XMP
//     through xmp (in XMP chunks and in any unknown chunk that holds a
//     packet).
//
// How each byte is accounted for: the RIFF header and chunk headers of
// kept chunks are Kept; VP8X (exactly 10 bytes; flags must describe the
// chunks present, reserved bits zero) and ANIM (exactly 6 bytes) are Kept,
// their extra bytes Slack; ANMF frame headers are Kept after the frame is
// checked to lie inside the canvas and to match its bitstream's size. VP8
// partitions are Coded up to the last byte their boolean decoder needed;
// VP8L streams and lossless ALPH data up to the byte holding their last
// bit (that byte is Slack when its unused high bits are not zero); raw ALPH
// data exactly width×height bytes. Up to four zero bytes after a proven
// stream are the encoder's flush padding (Kept, rewritten as zeros);
// anything else there is Slack. A chunk padding byte is Kept when zero,
// else Slack; bytes past the RIFF size are Slack. EXIF, XMP, unknown and
// misplaced chunks are Meta with a finding (unknown chunks are named by
// kind and size, never by their FourCC); an ICCP chunk is Kept when its
// profile parses and reports clean, Meta otherwise. An Orientation-only
// EXIF chunk (the minimal form a rebuild writes) is Kept.
//
// Rebuild writes the file from parsed fields: VP8X re-serialized with
// flags for what it keeps, the ICC profile from icc.Rebuild, ANIM and ANMF
// headers re-serialized (reserved bits zeroed), the proven coded data with
// VP8 frame tag and partition sizes recomputed, and an Orientation-only
// EXIF chunk when the orientation (from EXIF or XMP tiff:Orientation) is
// not 1 (a simple file then gains a VP8X chunk). The older Inspect, Strip
// and SameImage functions are thin wrappers over Parse.
package webpriff
