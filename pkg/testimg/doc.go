// Package testimg synthesizes photos with chosen metadata for tests, fuzz
// seeds, testscript commands, the bundled sample photos and benchmarks.
// It is test support only: nothing in photoscrub's runtime imports it.
//
// Every builder is deterministic: the same options (and seed) give the
// same bytes. Every planted value comes from a [Markers] set whose strings
// are unique and greppable; [Markers.Needles] lists the strings (and the
// coordinate renderings) that must never appear in a report, a log or a
// stripped output.
//
// The structures follow the specifications photoscrub parses:
//   - JPEG: ITU-T T.81 (markers, segments), JFIF 1.02 and its JFXX
//     extension, Adobe APP14, CIPA DC-007 (Multi-Picture Format),
//     ICC.1:2010 annex B.4 (ICC_PROFILE APP2 chunks), FlashPix APP2.
//   - EXIF: CIPA DC-008 / JEITA CP-3451 (Exif 2.32 and 3.0) on TIFF 6.0
//     structure (IFD0, Exif IFD, GPS IFD, Interoperability IFD, IFD1).
//   - XMP: ISO 16684-1 (RDF/XML, xpacket wrapper) and the Adobe XMP
//     Specification Part 3 (JPEG APP1 and extended XMP), with IPTC
//     Photo Metadata, MWG 2.0 regions and DJI properties.
//   - IPTC: IPTC-IIM 4.2 record 2 inside Adobe Photoshop Image Resource
//     Blocks ("8BIM", resources 0x0404 and 0x040C).
package testimg
