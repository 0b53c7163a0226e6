// Package container is the contract every container format of photoscrub
// implements, and the registry that holds them (in the spirit of
// image.RegisterFormat: one registration per format).
//
// A format's Parse reads a whole file once and returns a File. The File is
// what inspection, rebuilding and verification work on: the original is
// parsed once and passed along. Every File describes its input as a byte
// map: ranges of coded image data (extent proven by decoding its framing),
// kept structures (parsed, validated, re-serialized by Rebuild), metadata
// (each a finding) and slack (bytes nothing accounts for). The ranges must
// tile the input: Inspect turns every slack range and every byte no range
// claims into an "unaccounted bytes" finding, so a byte is never silently
// kept.
package container

import (
	"errors"
	"fmt"
	"sort"
	"strconv"

	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// ErrUnsupported reports a format, or a variant of one, that photoscrub
// inspects but cannot rebuild.
var ErrUnsupported = errors.New("unsupported format")

// ErrVerify reports an output that failed verification; it is never written.
var ErrVerify = errors.New("verification failed")

// Kind classifies one byte range of a parsed file.
type Kind uint8

// The kinds of byte range.
const (
	// Coded is coded image data whose extent was proven by decoding its
	// framing (Huffman decoding to the last MCU, inflate to the zlib end,
	// LZW to the end code, partition sizes, iloc extents...). It is copied
	// byte for byte by a lossless rebuild.
	Coded Kind = iota + 1
	// Kept is a structure that was parsed and validated against its schema
	// (exact size for its type, referenced by the image, values in range).
	// Rebuild re-serializes it from its parsed fields.
	Kept
	// Meta is a metadata part; every Meta range is covered by a finding in
	// the File's Inspection. Rebuild drops it (or rebuilds the minimal form
	// the keep policy promises, e.g. an Orientation-only Exif block).
	Meta
	// Slack is a run of bytes that belongs to no part of the image: a
	// finding ("unaccounted bytes"), dropped by Rebuild.
	Slack
)

func (k Kind) String() string {
	switch k {
	case Coded:
		return "coded"
	case Kept:
		return "kept"
	case Meta:
		return "meta"
	case Slack:
		return "slack"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Range is one classified byte range of a file.
type Range struct {
	Off, Len int
	Kind     Kind
	// Part names the range from a fixed vocabulary ("SOS scan data", "IDAT
	// zlib stream", "iloc extent of item 1"); never bytes read from the
	// file.
	Part string
}

// End returns the offset just past r.
func (r Range) End() int { return r.Off + r.Len }

// File is one parsed file. Implementations are immutable after Parse and
// safe for concurrent use.
type File interface {
	// Inspection reports the findings of the file's own parts (Inspect
	// adds those of its byte map), the display orientation from whatever
	// carried it, dimensions and warnings.
	Inspection() meta.Inspection
	// Map classifies the input's bytes; ranges may come in any order.
	Map() []Range
	// Rebuild writes the file anew from its parsed fields: coded data
	// copied as far as it is proven to extend, kept structures
	// re-serialized, metadata and slack dropped, and what keep promises
	// (orientation, ICC profile) kept in the format's minimal form.
	Rebuild(keep meta.Keep) ([]byte, error)
	// SameImage reports (as a non-nil error) whether out, a parsed rebuild
	// of this file, carries different coded image data.
	SameImage(out File) error
	// ICC returns the colour profile a rebuild keeps (already re-serialized
	// by the icc package), or nil when the file has none that can be kept.
	ICC() []byte
}

// Reparser is implemented by a File that can parse its own rebuild
// without proving again the coded data it has already proven (a JPEG
// rebuild carries the original's proven scans byte for byte). Verify uses
// it; ParseRebuild must prove anything that is not byte-identical to what
// its own Rebuild writes, so it is never weaker than the format's Parse.
type Reparser interface {
	ParseRebuild(out []byte) (File, error)
}

// Format is one registered container format.
type Format struct {
	// Name is the sniffed format name used in reports.
	Name format.Format
	// Match reports whether data (the whole file, or at least its first
	// format.HeadSize bytes) is of this format.
	Match func(data []byte) bool
	// Extensions are the usual file name extensions, lower case with dot.
	Extensions []string
	// Parse parses a whole file. On error it may still return a File whose
	// Inspection holds what was found before the failure (with an
	// unparsed finding); such a File is never rebuilt.
	Parse func(data []byte) (File, error)
	// Rebuild tells whether files of this format can be rebuilt
	// (camera raw: inspected only).
	Rebuild bool
	// Unsupported tells whether an error from Parse or File.Rebuild means
	// "a variant photoscrub cannot rebuild" rather than "malformed".
	Unsupported func(error) bool
	// NoOrientation is set for formats with no standard orientation field
	// (GIF): a lossless rebuild cannot keep an orientation found in their
	// metadata, so Verify does not ask for it and the record says so;
	// re-encode applies it to the pixels.
	NoOrientation bool
}

var registry []Format

// Register adds a format. Formats are matched in registration order, so a
// refinement (camera raw on TIFF) registers before the general format.
// Register is meant for package initialisation and is not safe for
// concurrent use.
func Register(f Format) {
	for _, g := range registry {
		if g.Name == f.Name {
			panic("container: format registered twice: " + string(f.Name))
		}
	}
	registry = append(registry, f)
}

// Formats returns the registered formats in match order.
func Formats() []Format { return append([]Format(nil), registry...) }

// Lookup returns the registered format named name.
func Lookup(name format.Format) (Format, bool) {
	for _, f := range registry {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// Sniff returns the format of data: the first registered format whose Match
// accepts it, else the name of a recognised but unsupported format (or
// format.Unknown / format.Empty).
func Sniff(data []byte) format.Format {
	for _, f := range registry {
		if f.Match(data) {
			return f.Name
		}
	}
	f := format.Sniff(data[:min(len(data), format.HeadSize)])
	if _, ok := Lookup(f); ok {
		// A registered format whose Match refused the data is not that
		// format after all.
		return format.Unknown
	}
	return f
}

// WhereUnaccounted is the finding place of slack and unclaimed bytes.
const WhereUnaccounted = "unaccounted bytes"

// Coverage checks a byte map against an input of n bytes. It returns the
// number of bytes that are slack or claimed by no range, and an error when
// ranges overlap or fall outside the input (a broken map is a bug in the
// format package; callers treat it as unparsed).
func Coverage(m []Range, n int) (unaccounted int, err error) {
	rs := append([]Range(nil), m...)
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].Off != rs[j].Off {
			return rs[i].Off < rs[j].Off
		}
		return rs[i].Len < rs[j].Len
	})
	pos := 0
	for _, r := range rs {
		if r.Len == 0 {
			continue
		}
		if r.Off < 0 || r.Len < 0 || r.End() > n {
			return 0, fmt.Errorf("container: range %s [%d,+%d) outside the %d-byte input", r.Part, r.Off, r.Len, n)
		}
		if r.Off < pos {
			return 0, fmt.Errorf("container: range %s at %d overlaps the previous one (ends %d)", r.Part, r.Off, pos)
		}
		unaccounted += r.Off - pos
		if r.Kind == Slack {
			unaccounted += r.Len
		}
		pos = r.End()
	}
	unaccounted += n - pos
	return unaccounted, nil
}

// Inspect returns f's inspection with the findings of its byte map added:
// one embedded "unaccounted bytes" finding when any byte is slack or
// claimed by no range, and an unparsed finding when the map itself is
// inconsistent. n is the input's length.
func Inspect(f File, n int) meta.Inspection {
	in := f.Inspection()
	u, err := Coverage(f.Map(), n)
	if err == nil && u == 0 {
		return in
	}
	var set meta.Set
	set.AddAll(in.Findings)
	if err != nil {
		set.Add(meta.Unparsed, "byte map")
	} else {
		set.Add(meta.Embedded, WhereUnaccounted, SizeTag(u))
	}
	in.Findings = set.List()
	return in
}

// SizeTag is the tag that names a part by its size only ("23 bytes"):
// what the report says of a part whose name it does not know.
func SizeTag(n int) string {
	if n == 1 {
		return "1 byte"
	}
	return strconv.Itoa(n) + " bytes"
}

// Verify parses out, the rebuild of orig (whose inspection is in) in the
// same format f (orig's own Reparser may be used; an output converted to
// another format is checked with that format's Parse, see
// reencode.Scrub), with the same parser and checks it: it parses, it has no finding and no
// unaccounted byte, its coded image data equals the original's when
// lossless, and the orientation and ICC profile promised by keep are
// kept. It returns the parsed output.
func Verify(f Format, orig File, in meta.Inspection, out []byte, keep meta.Keep, lossless bool) (File, error) {
	var got File
	var err error
	if rp, ok := orig.(Reparser); ok {
		got, err = rp.ParseRebuild(out)
	} else {
		got, err = f.Parse(out)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: output does not parse", ErrVerify)
	}
	gin := Inspect(got, len(out))
	if len(gin.Findings) > 0 {
		return nil, fmt.Errorf("%w: output still has %d finding(s), first %s at %s", ErrVerify,
			len(gin.Findings), gin.Findings[0].Category, meta.Sanitize(gin.Findings[0].Where))
	}
	if keep.Orientation && !f.NoOrientation && norm(in.Orientation) != norm(gin.Orientation) && lossless {
		return nil, fmt.Errorf("%w: orientation not kept", ErrVerify)
	}
	if keep.ICC && orig.ICC() != nil && got.ICC() == nil {
		return nil, fmt.Errorf("%w: ICC profile not kept", ErrVerify)
	}
	if lossless {
		if err := orig.SameImage(got); err != nil {
			return nil, fmt.Errorf("%w: image data changed", ErrVerify)
		}
	}
	return got, nil
}

// norm maps "no orientation" and invalid values to 1 (the default).
func norm(o int) int {
	if o < 1 || o > 8 {
		return 1
	}
	return o
}
