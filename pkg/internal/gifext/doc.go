// Package gifext walks, classifies and losslessly strips GIF files.
//
// It implements the block structure of the GIF89a specification
// (CompuServe, 1990; GIF87a files are accepted): header, logical screen
// descriptor, global colour table, image descriptors with local colour
// tables and LZW data sub-blocks, the graphic control (0xF9), comment
// (0xFE), plain text (0x01) and application (0xFF) extensions, and the
// trailer (0x3B). Application extensions recognised: NETSCAPE2.0 and
// ANIMEXTS1.0 looping, "XMP DataXMP" (XMP Specification Part 3: the packet
// is stored raw and followed by a 258-byte "magic trailer"), ICCRGBG1012
// (ICC profile) and ImageMagick's MGK8BIM0000 / MGKIPTC0000.
//
// Inspect reports every metadata part as a meta.Finding, Strip rebuilds the
// file from an allowlist of blocks, and SameImage checks that two files
// carry the same coded image data. No comment text, identifier payload or
// other value ever appears in a finding, warning or error.
package gifext
