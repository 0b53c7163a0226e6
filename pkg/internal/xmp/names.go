package xmp

import (
	"strings"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Report names for properties whose name the report must not print.
const (
	// tagUnregistered names any property in a namespace we do not know
	// (and elements or attributes without a namespace).
	tagUnregistered = "property in an unregistered namespace"
)

// ddSchema covers the Android Dynamic Depth family
// (http://ns.google.com/photos/dd/1.0/...: Device, Camera, Image, Profile,
// ...), whose every property describes an embedded image.
var ddSchema = &schema{prefix: "Device", def: emb}

const ddURIPrefix = "http://ns.google.com/photos/dd/1.0/"

// Keywords matched case-insensitively in local names of unknown properties
// (and, once at start-up, in the known names of our vocabulary).
var (
	// "city" is left out: it would match crs:Opacity, exif:Velocity...
	locationWords = []string{"latitude", "longitude", "altitude", "gps", "location", "coordinates", "geotag", "country", "province"}
	identityWords = []string{"serialnumber", "owner", "author", "artist", "creator", "copyright", "email", "phone", "person",
		"photographer", "licensor", "software"}
	commentWords = []string{"comment", "description", "caption", "keyword", "headline"}
)

func init() {
	for _, s := range namespaces {
		indexSchema(s)
	}
	indexSchema(ddSchema)
}

// indexSchema fills s.names and s.unknown. Every known name's category is
// settled here when it does not depend on the enclosing structure, so that
// classifying a known property costs one map lookup.
func indexSchema(s *schema) {
	if s.names != nil {
		return // schemas shared by two URIs
	}
	s.unknown = "unknown " + s.prefix + " property"
	s.names = map[string]nameInfo{}
	add := func(local string) {
		if local == "" {
			return
		}
		tag := s.prefix + ":" + local
		if meta.Sanitize(tag) != tag {
			return // too long or odd characters: reported as unknown
		}
		c, fixed := ruleCategory(s, local)
		s.names[local] = nameInfo{tag: tag, c: c, fixed: fixed}
	}
	for local := range s.props {
		add(local)
	}
	for _, local := range strings.Fields(knownNames[s.prefix]) {
		add(local)
	}
}

// schemaFor returns the schema of a namespace URI, or nil. Besides the exact
// URI it accepts the spellings writers are known to vary: a missing or
// extra trailing "/" or "#", and https for http. It runs once per namespace
// declaration, not per property.
func schemaFor(uri string) *schema {
	if s, ok := namespaces[uri]; ok {
		return s
	}
	if strings.HasPrefix(uri, ddURIPrefix) {
		return ddSchema
	}
	if uri == "" || len(uri) > 256 {
		return nil
	}
	base := strings.TrimRight(uri, "/#")
	if rest, ok := strings.CutPrefix(base, "https://"); ok {
		base = "http://" + rest
	}
	for _, v := range [...]string{base, base + "/", base + "#", "https://" + strings.TrimPrefix(base, "http://") + "/"} {
		if s, ok := namespaces[v]; ok {
			return s
		}
	}
	return nil
}

// conventionalSchema maps conventional prefixes to schemas, used only for
// prefixes a packet forgot to declare.
var conventionalSchema = func() map[string]*schema {
	m := map[string]*schema{}
	for _, s := range namespaces {
		if _, dup := m[s.prefix]; !dup {
			m[s.prefix] = s
		}
	}
	m["MicrosoftPhoto"] = namespaces["http://ns.microsoft.com/photo/1.0/"]
	m["xap"] = namespaces["http://ns.adobe.com/xap/1.0/"]
	m["xapMM"] = namespaces["http://ns.adobe.com/xap/1.0/mm/"]
	m["xapRights"] = namespaces["http://ns.adobe.com/xap/1.0/rights/"]
	m["Iptc4xmpExt"] = namespaces["http://iptc.org/std/Iptc4xmpExt/2008-02-29/"]
	m["dwc"] = namespaces["http://rs.tdwg.org/dwc/index.htm"]
	m["georss"] = namespaces["http://www.georss.org/georss"]
	return m
}()

// property returns the report tag and the category of the property local
// in namespace s (nil: unregistered), nested in a structure whose category
// is parent ("" at top level). The tag is "prefix:Local" from our
// vocabulary, "unknown prefix property", or tagUnregistered: never text
// from the packet.
//
// Category order: the schema's named properties and name prefixes; keyword
// rules (location first, so a GPS field is location wherever it sits); the
// enclosing structure's category; the schema default; Other.
func property(s *schema, local string, parent meta.Category) (string, meta.Category) {
	if s == nil {
		if c, ok := keywordCategory(local); ok {
			return tagUnregistered, c
		}
		return tagUnregistered, inherit(nil, parent)
	}
	if n, ok := s.names[local]; ok {
		if n.fixed {
			return n.tag, n.c
		}
		return n.tag, inherit(s, parent)
	}
	if c, ok := ruleCategory(s, local); ok {
		return s.unknown, c
	}
	return s.unknown, inherit(s, parent)
}

// ruleCategory applies the rules that depend on the name only.
func ruleCategory(s *schema, local string) (meta.Category, bool) {
	if c, ok := s.props[local]; ok {
		return c, true
	}
	for _, r := range s.prefixes {
		if strings.HasPrefix(local, r.p) {
			return r.c, true
		}
	}
	return keywordCategory(local)
}

// inherit is the category of a property no name rule settled.
func inherit(s *schema, parent meta.Category) meta.Category {
	switch {
	case parent != "" && parent != oth:
		return parent
	case s != nil && s.def != "":
		return s.def
	}
	return oth
}

// keywordCategory matches the keyword lists against local, ignoring case,
// without allocating for names up to 128 bytes.
func keywordCategory(local string) (meta.Category, bool) {
	var buf [128]byte
	var l []byte
	if len(local) <= len(buf) {
		l = buf[:len(local)]
		for i := 0; i < len(local); i++ {
			c := local[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			l[i] = c
		}
	} else {
		l = []byte(strings.ToLower(local))
	}
	switch {
	case containsAny(l, locationWords):
		return loc, true
	case containsAny(l, identityWords):
		return idn, true
	case containsAny(l, commentWords):
		return cmt, true
	}
	return "", false
}

func containsAny(s []byte, words []string) bool {
	for _, w := range words {
		if indexString(s, w) {
			return true
		}
	}
	return false
}

// indexString reports whether w occurs in s (strings.Contains on a byte
// slice without converting it).
func indexString(s []byte, w string) bool {
	n := len(w)
	for i := 0; i+n <= len(s); i++ {
		if s[i] == w[0] && string(s[i:i+n]) == w {
			return true
		}
	}
	return false
}
