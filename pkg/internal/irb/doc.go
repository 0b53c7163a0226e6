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
// Only resource IDs and dataset numbers are reported, under fixed names;
// resource names (free text) and values are never recorded. Every length is
// checked against the bytes that remain before it is used. The functions
// are plain synchronous parsers, safe for concurrent use with distinct sets.
package irb

// FormatError reports a malformed resource block sequence or IIM record.
// Its text is fixed wording plus offsets and sizes, never file content.
type FormatError string

// Error implements error, prefixed with the package name.
func (e FormatError) Error() string { return "irb: " + string(e) }
