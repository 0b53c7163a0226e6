// Package xmp classifies XMP packets into photoscrub findings.
//
// It implements the parts of ISO 16684-1:2019 (XMP data model and RDF/XML
// serialization) and XMP Specification Part 3 (packet wrapper, Extended XMP
// in JPEG) that a detector needs, and classifies properties by namespace
// URI (never by the prefix a packet chose) with the schemas of the IPTC
// Photo Metadata Standard (Iptc4xmpCore, Iptc4xmpExt), the Metadata Working
// Group Guidelines 2.0 (mwg-rs face regions), the CIPA Exif-in-XMP schemas
// (exif, exifEX, tiff, aux), W3C Basic Geo (wgs84_pos), GeoRSS, Dublin Core
// terms, Darwin Core, and vendor namespaces (DJI/Autel, Parrot and Skydio
// drones, Pix4D/senseFly/MicaSense survey cameras, Google camera/container/
// depth, Apple, Microsoft Photo, gain maps, ...). Location is reported as
// location under whichever namespace carries it; a GPS-looking name in an
// unknown namespace is location too.
//
// Report names come from a fixed vocabulary (vocab.go): "prefix:Local" for
// a property we know, "unknown <prefix> property" for another property of
// a known namespace, "property in an unregistered namespace" otherwise. No
// name, prefix or URI read from a packet reaches a finding.
//
// Only property NAMES are read; values are never kept, except the Extended
// XMP GUID, which ExtendedGUID returns so that a JPEG walker can link the
// extension segments (it never goes into a finding). The parser is a linear
// pass over encoding/xml's raw token stream with caps on packet size,
// nesting depth and token count; entity declarations are never expanded.
// IsPacket and InspectCarrier let format packages classify XMP found in
// carriers that are not typed as XMP (comments, text chunks, generic XML
// items). All functions are plain functions, safe for concurrent use.
package xmp

// FormatError reports a packet that could not be fully parsed. Its text is
// fixed wording and never quotes the packet.
type FormatError string

// Error implements error, prefixed with the package name.
func (e FormatError) Error() string { return "xmp: " + string(e) }
