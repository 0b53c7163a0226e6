package xmp

import (
	"bytes"
	"strings"
	"sync"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Inspect classifies the XMP packet and adds its findings to set under
// where: one finding per category, listing property names such as
// "exif:GPSLatitude" (element and attribute forms, and the fields of
// structures and arrays alike). Names come from a fixed vocabulary: a
// property of a known namespace (by URI, whatever prefix the packet uses)
// whose local name is not in our list is "unknown <prefix> property", and
// any property of another namespace is "property in an unregistered
// namespace"; no name, prefix or URI from the packet reaches a finding. Any packet yields at least one finding:
// Other "XMP" when no property was found. A non-nil error (a FormatError)
// means the packet could not be fully parsed: what was found before the
// problem has been added, plus an Unparsed finding. Inspect never records
// a property value and is safe for concurrent use with distinct sets.
func Inspect(packet []byte, where string, set *meta.Set) error {
	// Local de-duplication keeps a packet of millions of names linear:
	// meta.Set scans its (capped) tag list on every Add.
	// Tags come from a fixed vocabulary, so the keys need no copying.
	// The walker and its maps are reused across packets (walkerPool).
	w := getWalker()
	defer putWalker(w)
	w.onProp = func(tag string, c meta.Category) {
		k := seenKey{c, tag}
		if w.seen[k] || w.per[c] >= maxTagsPerCategory {
			return
		}
		w.seen[k] = true
		w.per[c]++
		set.Add(c, where, tag)
	}
	err := parse(packet, w)
	if err != nil {
		set.Add(meta.Unparsed, where, "XMP")
		return err
	}
	if w.props == 0 {
		set.Add(meta.Other, where, "XMP")
	}
	return nil
}

// seenKey is a finding's tag, for Inspect's de-duplication.
type seenKey struct {
	c   meta.Category
	tag string
}

// walkerPool keeps walkers (their maps, stacks and buffers) across
// packets: a scan classifies one or more packets per file.
var walkerPool sync.Pool

func getWalker() *walker {
	w, ok := walkerPool.Get().(*walker)
	if !ok {
		w = newWalker(nil)
		w.seen, w.per = map[seenKey]bool{}, map[meta.Category]int{}
	}
	return w
}

// putWalker returns w to the pool, unless a large packet grew it (the
// pool must not pin the memory of a hostile packet).
func putWalker(w *walker) {
	if len(w.ns) > 64 || len(w.seen) > 1024 || cap(w.undo) > 256 || cap(w.attrs) > 256 || cap(w.tbuf) > 4096 {
		return
	}
	w.reset()
	w.onProp = nil
	clear(w.seen)
	clear(w.per)
	walkerPool.Put(w)
}

// ExtendedGUID returns the value of xmpNote:HasExtendedXMP in packet (the
// main XMP packet of a JPEG), which names the Extended XMP segments that
// belong to it (XMP Specification Part 3, 1.1.3.1). It reports false when
// the property is absent or its value is not 32 hexadecimal digits. The
// GUID is an identifier: callers use it to link segments and must never put
// it in a finding.
func ExtendedGUID(packet []byte) (string, bool) {
	if !mayHold(packet, "HasExtendedXMP") {
		return "", false
	}
	w := newWalker(nil)
	_ = parse(packet, w) // a GUID seen before a syntax error is still valid
	g := strings.TrimSpace(w.guid)
	if !w.guidOK || !isGUID(g) {
		return "", false
	}
	return g, true
}

// Orientation returns the display orientation (1..8) that the packet's
// tiff:Orientation gives, in attribute or element form and under whatever
// prefix the packet binds to the TIFF namespace URI, or 0 when there is none
// or its value is not a digit 1..8. The first valid occurrence wins; a
// value seen before a syntax error is still returned. Format packages use
// it to keep the orientation of a file whose only orientation is in XMP.
func Orientation(packet []byte) int {
	if !mayHold(packet, "Orientation") {
		return 0
	}
	w := newWalker(nil)
	_ = parse(packet, w)
	return w.orient
}

// mayHold is the cheap pre-pass of Orientation and ExtendedGUID: a packet
// whose text does not contain the local name cannot hold the property, so
// the full parse is skipped. It is exact, not a heuristic: XML names admit
// no character references, and every encoding the parser accepts is ASCII
// compatible once toUTF8 ran (UTF-16 and UTF-32 are converted first).
func mayHold(packet []byte, local string) bool {
	if len(packet) > maxPacket {
		return false // parse refuses it anyway
	}
	if bytes.Contains(packet, []byte(local)) {
		return true
	}
	if len(packet) < 2 || packet[0] != 0 && packet[1] != 0 && packet[0] != 0xFE && packet[0] != 0xFF {
		return false // toUTF8 keeps ASCII bytes as they are
	}
	doc, err := toUTF8(packet) // UTF-16 or UTF-32
	return err == nil && bytes.Contains(doc, []byte(local))
}

func parse(packet []byte, w *walker) error {
	if len(packet) > maxPacket {
		return FormatError("packet too large")
	}
	doc, err := toUTF8(packet)
	if err != nil {
		return err
	}
	if slowOnly || w.runFast(doc) != nil {
		// Left to encoding/xml from the start (fast.go): the walker
		// calls repeat those the fast pass made, and Inspect drops the
		// repeated findings.
		w.reset()
		return w.run(doc)
	}
	return nil
}

// slowOnly, set by tests, turns the fast tokenizer off.
var slowOnly bool

func isGUID(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
