package xmp

import (
	"reflect"
	"sync"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// FuzzXMP checks that any input yields at least one finding, that every
// tag comes from our vocabulary (never from the packet), that an error
// comes with an Unparsed finding and vice versa, that every tag is already
// sanitized, that results are deterministic, and that ExtendedGUID only
// returns well-formed GUIDs.
func FuzzXMP(f *testing.F) {
	for _, tc := range xmpCases() {
		if len(tc.in) <= 1<<16 {
			f.Add(tc.in)
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<20 {
			return
		}
		var a, b meta.Set
		err := Inspect(in, where, &a)
		errB := Inspect(in, where, &b)
		if (err == nil) != (errB == nil) || !reflect.DeepEqual(a.List(), b.List()) {
			t.Fatal("nondeterministic")
		}
		if a.Len() == 0 {
			t.Fatal("no finding")
		}
		if (err != nil) != a.Has(meta.Unparsed) {
			t.Fatalf("err = %v but unparsed = %v", err, a.Has(meta.Unparsed))
		}
		for _, fd := range a.List() {
			if fd.Where != where {
				t.Fatalf("where = %q", fd.Where)
			}
			for _, tag := range fd.Tags {
				if meta.Sanitize(tag) != tag || tag == "" {
					t.Fatalf("unsanitized tag %q", tag)
				}
				if !vocabularyTag(tag) {
					t.Fatalf("tag %q is not from our vocabulary", tag)
				}
			}
		}
		var c meta.Set
		if ok := InspectCarrier(in, where, &c); ok != IsPacket(in) || !ok && c.Len() != 0 {
			t.Fatalf("InspectCarrier = %v, IsPacket = %v, %d findings", ok, IsPacket(in), c.Len())
		}
		if o := Orientation(in); o < 0 || o > 8 {
			t.Fatalf("Orientation = %d", o)
		}
		if g, ok := ExtendedGUID(in); ok && !isGUID(g) {
			t.Fatalf("bad GUID %q", g)
		}
	})
}

// vocabularyTag reports whether tag is one Inspect may print: a known
// property, an unknown property of a known namespace, an unregistered one,
// or the packet-level "XMP".
func vocabularyTag(tag string) bool { return vocabTags()[tag] }

// vocabTags is built on first use: the schemas are indexed by init.
var vocabTags = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{"XMP": true, tagUnregistered: true}
	add := func(s *schema) {
		m[s.unknown] = true
		for _, n := range s.names {
			m[n.tag] = true
		}
	}
	for _, s := range namespaces {
		add(s)
	}
	add(ddSchema)
	return m
})
