// Package hostile is photoscrub's end-to-end robustness suite ("never lose a
// photo, never hang, never crash"). It holds tests only: TestMain builds the
// real photoscrub binary once, and the tests run it as a child process on
// hostile inputs generated in code (pkg/testimg's hostile JPEGs and every
// segment-boundary truncation, plus pixel bombs, a zlib bomb, 10,000-level
// ISO-BMFF nesting, HEIF iloc extents past the end, TIFF IFD cycles and
// 0xFFFFFFFF offsets, an oversized RIFF size and an unterminated GIF
// sub-block chain), on the shared malformed corpus, and on a read-only bind
// mount.
//
// For every run it asserts a deadline (a hang fails the test instead of
// hanging it), a bound on the child's peak resident set size, a documented
// exit code (never a crash, a usage error or a fatal stop), that the run
// went on to process the normal photo beside the hostile one, that the
// original is byte-identical afterwards, that whatever was written re-scans
// clean, and that no planted metadata value reaches stderr or the report.
// The measured numbers are in docs/robustness.md; set HOSTILE_TABLE=FILE to
// have TestHostile write its table as Markdown.
//
// The inputs follow the specifications the parsers implement: ITU-T T.81
// (JPEG), PNG (Third Edition) and RFC 1950/1951 (zlib), ISO/IEC 14496-12
// (ISO-BMFF) and ISO/IEC 23008-12 (HEIF), TIFF 6.0, the WebP container
// (RIFF) and GIF89a.
package hostile
