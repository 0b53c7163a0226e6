// Package exifmeta classifies TIFF-structured EXIF blocks into photoscrub
// findings. It implements the tag semantics of Exif 3.0 (CIPA DC-008-2023,
// including the GPS attribute information of §4.6.6 and the Interoperability
// IFD) on top of the TIFF 6.0 structure walked by package tiffifd, plus the
// Windows XP tags (0x9C9B–0x9C9F), PrintIM (0xC4A5) and the GeoTIFF 1.1 tags.
//
// Classification is by structure, never by whether a value parses: a GPS
// IFD whose latitude is empty or whose rationals have zero denominators is
// still a location finding (hazards V12). A block that tiffifd cannot
// validate yields an Unparsed finding plus whatever was classified before
// the failure, and rwcarlsen/goexif is only ever run on validated blocks, as
// a cross-check, with recover and a deadline; its errors are never shown
// (they can echo tag contents).
//
// Findings and errors carry tag names and fixed wording only, never values.
package exifmeta
