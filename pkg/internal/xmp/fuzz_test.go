package xmp

import (
	"reflect"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// FuzzXMP checks that any input yields at least one finding, that an error
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
			}
		}
		if g, ok := ExtendedGUID(in); ok && !isGUID(g) {
			t.Fatalf("bad GUID %q", g)
		}
	})
}
