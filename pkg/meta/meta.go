// Package meta defines photoscrub's findings taxonomy: the categories of
// location and identity traces a photo can carry (see docs/formats.md and the
// Exif 3.0 / XMP ISO 16684-1 / IPTC-IIM 4.2 references cited there), the
// Finding record that names a trace by category, container location and tag
// names, and the keep policy shared by every format's lossless rebuild.
//
// A Finding never holds a metadata value: only category, where it sits and
// tag names. That rule is what keeps the audit report from becoming the next
// leak, so no type in this package has a field for a value.
package meta

import (
	"fmt"
	"hash/fnv"
	"slices"
	"sort"
	"strings"
)

// Category classifies a finding.
type Category string

// The categories, in report order.
const (
	// Location: GPS IFD (any tag), XMP exif:GPS* and location properties,
	// IPTC place fields, time-zone offsets, GeoTIFF.
	Location Category = "location"
	// Identity: serial numbers, owner/artist/creator, unique and document IDs,
	// XMP history, face-region names, make/model/software.
	Identity Category = "identity"
	// Embedded: thumbnails, second images, trailers, maker notes.
	Embedded Category = "embedded"
	// Comment: COM segments, UserComment, ImageDescription, free text chunks.
	Comment Category = "comment"
	// Other: metadata containers that are neither of the above, e.g. an
	// unknown APPn segment or a private PNG chunk, dates.
	Other Category = "other"
	// Unparsed: a part that could not be parsed, so nothing can be said about
	// it. Never read as clean.
	Unparsed Category = "unparsed"
)

// Categories lists every category in report order.
var Categories = []Category{Location, Identity, Embedded, Comment, Other, Unparsed}

// Finding is one kind of trace found in one place of a file. Tags are tag or
// property names (e.g. "GPSLatitude", "exif:GPSLongitude"), sorted and
// de-duplicated; they never carry values.
type Finding struct {
	Category Category `json:"category"`
	Where    string   `json:"where"`
	Tags     []string `json:"tags"`
}

// Set accumulates findings, merging tags of the same (category, where).
// The zero value is ready to use. A Set is not safe for concurrent use.
type Set struct {
	idx  map[setKey]int
	list []Finding
	// dropped counts, per finding, the distinct tag names left out past
	// maxTagsPerFinding (by 64-bit hash, so memory stays bounded).
	dropped map[int]map[uint64]struct{}
}

type setKey struct {
	c Category
	w string
}

// maxTagsPerFinding bounds the tags recorded for one finding so that a
// hostile file with millions of distinct names cannot grow a report line
// without bound; past it, one MoreTags tag says names were left out.
const maxTagsPerFinding = 256

// maxCounted bounds the distinct dropped names counted per finding.
const maxCounted = 1 << 16

// Add records tags (possibly none) under (c, where).
func (s *Set) Add(c Category, where string, tags ...string) {
	if s.idx == nil {
		s.idx = make(map[setKey]int)
	}
	k := setKey{c, where}
	i, ok := s.idx[k]
	if !ok {
		i = len(s.list)
		s.idx[k] = i
		s.list = append(s.list, Finding{Category: c, Where: where, Tags: []string{}})
	}
	f := &s.list[i]
	for _, t := range tags {
		if t == "" || slices.Contains(f.Tags, t) {
			continue
		}
		if len(f.Tags) >= maxTagsPerFinding {
			s.drop(i, t)
			continue
		}
		f.Tags = append(f.Tags, t)
	}
}

func (s *Set) drop(i int, tag string) {
	if s.dropped == nil {
		s.dropped = map[int]map[uint64]struct{}{}
	}
	d := s.dropped[i]
	if d == nil {
		d = map[uint64]struct{}{}
		s.dropped[i] = d
	}
	if len(d) < maxCounted {
		h := fnv.New64a()
		h.Write([]byte(tag))
		d[h.Sum64()] = struct{}{}
	}
}

// AddAll merges a list of findings into s.
func (s *Set) AddAll(fs []Finding) {
	for _, f := range fs {
		s.Add(f.Category, f.Where, f.Tags...)
	}
}

// Len reports the number of distinct findings.
func (s *Set) Len() int { return len(s.list) }

// Has reports whether any finding of category c was recorded.
func (s *Set) Has(c Category) bool {
	for _, f := range s.list {
		if f.Category == c {
			return true
		}
	}
	return false
}

// List returns the findings in deterministic order (category order, then
// where), with tags sorted. The result is a copy.
func (s *Set) List() []Finding {
	out := make([]Finding, len(s.list))
	for i, f := range s.list {
		tags := slices.Clone(f.Tags)
		sort.Strings(tags)
		if n := len(s.dropped[i]); n > 0 {
			// '~' sorts after every name: the count comes last.
			tags = append(tags, fmt.Sprintf("~%d more tags not listed", n))
		}
		out[i] = Finding{Category: f.Category, Where: f.Where, Tags: tags}
	}
	sort.SliceStable(out, func(i, j int) bool {
		ci, cj := catRank(out[i].Category), catRank(out[j].Category)
		if ci != cj {
			return ci < cj
		}
		return out[i].Where < out[j].Where
	})
	return out
}

func catRank(c Category) int {
	for i, x := range Categories {
		if x == c {
			return i
		}
	}
	return len(Categories)
}

// Keep is the policy of what a lossless rebuild keeps besides pixels.
type Keep struct {
	// Orientation keeps display orientation as a minimal, Orientation-only
	// EXIF block when it is not 1 (default true).
	Orientation bool
	// ICC keeps the embedded colour profile (default true).
	ICC bool
}

// DefaultKeep is the default policy: keep orientation and ICC.
var DefaultKeep = Keep{Orientation: true, ICC: true}

// Inspection is what a format package reports about one file.
type Inspection struct {
	// Findings lists every trace found, in Set order.
	Findings []Finding
	// Orientation is the EXIF orientation 1..8, or 0 when none was found.
	Orientation int
	// Width and Height of the primary image, 0 when unknown.
	Width, Height int
	// Warnings are our own wordings of non-fatal oddities (never values).
	Warnings []string
}

// Sanitize returns s with everything but printable ASCII letters, digits
// and a few punctuation characters replaced by '?', and cut to 64 bytes.
// Use it for names read from a file (chunk types, XMP property names, tag
// names) before they go into a Finding: names are not values, but a hostile
// file can put anything in a name.
func Sanitize(s string) string {
	if len(s) > 64 {
		s = s[:64]
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == ':', c == '_', c == '-', c == '.', c == ' ', c == '/':
			b.WriteByte(c)
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}
