// Package xmp classifies XMP packets into photoscrub findings.
//
// It implements the parts of ISO 16684-1:2019 (XMP data model and RDF/XML
// serialization) and XMP Specification Part 3 (packet wrapper, Extended XMP
// in JPEG) that a detector needs, and classifies properties by the schemas
// of the IPTC Photo Metadata Standard (Iptc4xmpCore, Iptc4xmpExt), the
// Metadata Working Group Guidelines 2.0 (mwg-rs face regions), the CIPA
// Exif-in-XMP schemas (exif, exifEX, tiff, aux) and common vendor
// namespaces (DJI drones, Google camera/container/depth, gain maps).
//
// Only property NAMES are read; values are never kept, except the Extended
// XMP GUID, which ExtendedGUID returns so that a JPEG walker can link the
// extension segments (it never goes into a finding). The parser is a linear
// pass over encoding/xml's raw token stream with caps on packet size,
// nesting depth and token count; entity declarations are never expanded.
// Inspect and ExtendedGUID are plain functions, safe for concurrent use.
package xmp

// FormatError reports a packet that could not be fully parsed. Its text is
// fixed wording and never quotes the packet.
type FormatError string

// Error implements error, prefixed with the package name.
func (e FormatError) Error() string { return "xmp: " + string(e) }
