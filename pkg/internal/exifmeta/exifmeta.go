// Package exifmeta classifies TIFF-structured EXIF blocks (Exif 3.0, CIPA
// DC-008; TIFF 6.0) into photoscrub findings.
//
// PLACEHOLDER: the real implementation is being written; until then every
// block is reported unparsed so nothing is ever read as clean.
package exifmeta

import (
	"errors"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Inspect classifies the EXIF block tiff, which begins with the TIFF header
// ("II*\x00" or "MM\x00*"); callers remove any "Exif\x00\x00" prefix first.
// Findings go into set under where (sub-IFDs append "/GPS IFD" and the like).
// It returns the IFD0 Orientation (1..8) or 0 when absent. A non-nil error
// means the block could not be fully validated; an Unparsed finding has then
// been added already.
func Inspect(tiff []byte, where string, set *meta.Set) (orientation int, err error) {
	set.Add(meta.Unparsed, where)
	return 0, errors.New("exifmeta: not implemented")
}

// Minimal returns a TIFF-structured EXIF block (no "Exif\x00\x00" prefix)
// holding only IFD0 with one Orientation entry set to o.
func Minimal(o int) []byte {
	return []byte{'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 1, 0x12, 0, 3, 0, 0, 0, 1, 0, byte(o), 0, 0, 0, 0, 0, 0}
}
