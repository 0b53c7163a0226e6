// Package gifext parses, classifies and rebuilds GIF files under the
// container contract (pkg/internal/container).
//
// Specification: GIF89a (CompuServe, 1990; GIF87a files are accepted):
// header, logical screen descriptor, global colour table, image
// descriptors with local colour tables and variable-length LZW data
// (Appendix F) in data sub-blocks, the graphic control (0xF9), comment
// (0xFE), plain text (0x01) and application (0xFF) extensions, and the
// trailer (0x3B). Application extensions recognised: NETSCAPE2.0 and
// ANIMEXTS1.0 looping, ICCRGBG1012 (ICC profile), "XMP DataXMP" (XMP
// Specification Part 3: the packet is stored raw and followed by a
// 258-byte "magic trailer") and ImageMagick's MGK8BIM0000 / MGKIPTC0000.
//
// How each byte of a GIF is accounted for (the byte map):
//   - header, screen descriptor and global colour table are Kept;
//   - each image: descriptor, local colour table, LZW code size and the
//     sub-block size bytes are Kept; the LZW data is decoded to its end
//     code, counting pixels: the bytes up to the end code are Coded, the
//     rest of that sub-block and any further sub-blocks are Slack. Data
//     holding more pixels than the frame, or invalid codes, make the file
//     unparsed; fewer pixels (a short frame, shown partly by decoders) is
//     accepted with a warning; data that ends without an end code after
//     all pixels is accepted (giflib and image/gif do);
//   - a graphic control extension of exactly 4 bytes that applies to an
//     image, and the first loop extension {1, count}, are Kept (extra
//     sub-blocks Slack); a GCE that applies to no image is Meta;
//   - the ICC extension is Kept when the icc package reports the profile
//     clean, else Meta; it is rebuilt from icc.Rebuild;
//   - an XMP extension holding exactly the orientation packet this
//     package writes is Kept; every other extension is Meta with findings
//     (XMP, and XMP packets found in comments, through the xmp package);
//     application identifiers are never echoed ("unknown application
//     extension" and a size);
//   - bytes after the trailer are Slack.
//
// GIF has no orientation field: an XMP tiff:Orientation (from an XMP
// extension or a comment holding XMP) is reported as the file's
// orientation, which --mode reencode applies to the pixels; a lossless
// rebuild cannot keep it (Format.NoOrientation) and the record says so.
// An XMP extension is metadata whatever it holds. Rebuild writes everything from parsed fields in canonical
// order (GIF89a header, loop, ICC, then the frames with
// reserved bits cleared and LZW data cut at the proven end).
package gifext
