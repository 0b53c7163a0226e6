package icc

import (
	"strings"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Finding places and tags (fixed vocabulary; nothing read from a profile).
const (
	// WhereProfile is appended to the caller's where for the profile's
	// findings.
	WhereProfile = "ICC profile"
	// WhereUnaccounted is appended to the caller's where for bytes no part
	// of the profile accounts for.
	WhereUnaccounted = "ICC profile unaccounted bytes"
	// TagOverlap names tags whose data overlap without being shared.
	TagOverlap = "ICC overlapping tags"
)

// Report records the profile's findings in set under where (e.g. "APP2"):
// text that is not a known standard profile's text is identity, other
// tags Rebuild drops are other, bytes no part of the profile accounts for
// (reserved fields that are not zero, a profile ID that is not the
// profile's MD5, slack between or inside tags, bytes after the declared
// size) are embedded "unaccounted bytes". It returns true when the stored
// profile carries nothing to remove, i.e. when it recorded nothing.
// Header signatures (CMM, platform, device manufacturer and model,
// creator) are vendor codes and not findings; the creation date is not a
// finding either; Rebuild zeroes them all.
func (p *Profile) Report(where string, set *meta.Set) (clean bool) {
	clean = true
	w := strings.TrimSpace(where + " " + WhereProfile)
	for _, f := range p.findings {
		set.Add(f.cat, w, f.tag)
		clean = false
	}
	if p.overlap {
		set.Add(meta.Other, w, TagOverlap)
		clean = false
	}
	if p.unaccounted > 0 {
		set.Add(meta.Embedded, strings.TrimSpace(where+" "+WhereUnaccounted), container.SizeTag(p.unaccounted))
		clean = false
	}
	return clean
}
