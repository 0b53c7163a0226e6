// Package icc parses and re-serializes ICC colour profiles (ICC.1:2022,
// ISO 15076-1): the 128-byte header and the tag table, bounded.
//
// API CONTRACT (implementation in progress: the functions below must keep
// these signatures; format packages call them).
package icc

import (
	"errors"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// FormatError reports that the data is not a well-formed ICC profile.
type FormatError string

func (e FormatError) Error() string { return "icc: " + string(e) }

// Profile is a parsed, validated ICC profile. It is immutable and safe for
// concurrent use.
type Profile struct {
	raw []byte
}

// Parse parses and validates an ICC profile. It never allocates in
// proportion to a declared size before checking it against len(data).
func Parse(data []byte) (*Profile, error) {
	return nil, errors.New("icc: not implemented yet")
}

// Report records the profile's findings under where (text that is not a
// known standard profile's text: identity; non-colorimetric tags: other;
// bytes no tag accounts for: embedded "unaccounted bytes") and returns true
// when the stored profile carries nothing to remove.
func (p *Profile) Report(where string, set *meta.Set) (clean bool) {
	return false
}

// Rebuild returns the minimal profile a colour-managed viewer needs: only
// colorimetric tags, a neutral description, no copyright/device/meta text,
// the profile ID zeroed or recomputed. Rebuild(Parse(Rebuild(p))) equals
// Rebuild(p).
func (p *Profile) Rebuild() []byte {
	return nil
}
