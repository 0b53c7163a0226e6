// Package tiffifd is a bounded walker for TIFF image file directories
// (IFDs): TIFF 6.0 (Adobe, 1992) §2 "TIFF Structure", BigTIFF (TIFF with
// magic 43 and 8-byte offsets), and the Exif 3.0 (CIPA DC-008-2023)
// sub-IFDs reached through the ExifIFD (0x8769), GPSInfo (0x8825) and
// Interoperability (0xA005) pointer tags, plus SubIFDs (0x014A, TIFF
// Technical Note 1).
//
// It is photoscrub's only gate in front of github.com/rwcarlsen/goexif,
// which loops on IFD cycles and allocates without bound on hostile counts:
// a block that Parse accepts without error is safe to hand to goexif.
//
// Parse is a plain synchronous function over a []byte. It never allocates
// from a declared count: every IFD's entry table is checked against
// len(data) before it is read, every entry's count×type-size is computed in
// 64 bits and checked against the bytes that remain, the number of IFDs,
// entries and the nesting depth are capped, and a visited-offset set stops
// self, two-way and n-way cycles. Run time and memory are linear in
// len(data). It reads no values itself beyond the pointer tags; the
// accessors [TIFF.Value], [TIFF.Uint] and [TIFF.Rational] read an entry's
// value bytes on demand, bounds-checked.
//
// # Using the result to rewrite a file
//
// [TIFF.IFDs] lists every IFD read, the main chain first (IFD0, IFD1, ...
// in next-pointer order, see [TIFF.Chain]) and then the sub-IFDs in the
// order their pointers were met. For each [IFD] you get where it starts
// ([IFD.Offset]), its entries in file order with, for each [Entry], where
// the 12-byte (BigTIFF: 20-byte) entry sits ([Entry.At]), and where its
// value bytes sit ([Entry.ValueAt], [Entry.Size], [Entry.Inline]), and the
// raw next-IFD offset with its own position ([IFD.Next], [IFD.NextAt]).
// A sub-IFD records which IFD and entry pointed at it ([IFD.Parent],
// [IFD.ParentTag]). Offsets are absolute positions in the data given to
// Parse (the TIFF header is at 0). Image data referenced by
// StripOffsets/TileOffsets/JPEGInterchangeFormat is not itself validated:
// read those offsets with [TIFF.Uint] and check them against the
// matching byte counts yourself.
package tiffifd
