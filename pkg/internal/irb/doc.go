// Package irb classifies Photoshop image resource blocks and the IPTC-IIM
// records they carry into photoscrub findings.
//
// It implements the resource-block layout of the Adobe Photoshop File
// Formats Specification ("Image Resource Blocks": signature, uint16 ID,
// even-padded Pascal name, uint32 size, even-padded data), accepting the
// signatures ExifTool accepts ("8BIM", "PHUT", "AgHg", "DCSR", "MeSa"), and
// the dataset layout of IPTC-NAA Information Interchange Model 4.2 (tag
// marker 0x1C, record, dataset number, standard or extended length).
// Embedded EXIF and XMP are handed to exifmeta and xmp.
//
// Only resource IDs and dataset numbers are reported, under fixed names
// ("City", "Resource0x2BC0", "IIM2:199"); resource names (free text) are
// reported as a Comment "resource name" when present, never quoted, and
// values are never recorded. IIM place fields (2:26, 2:27, 2:90, 2:92,
// 2:95, 2:100, 2:101) are Location; by-lines, credits, contacts and writers
// are Identity. An XML or unknown resource holding an XMP packet is
// classified by the xmp package. Every length is
// checked against the bytes that remain before it is used. The functions
// are plain synchronous parsers, safe for concurrent use with distinct sets.
package irb

// FormatError reports a malformed resource block sequence or IIM record.
// Its text is fixed wording plus offsets and sizes, never file content.
type FormatError string

// Error implements error, prefixed with the package name.
func (e FormatError) Error() string { return "irb: " + string(e) }
