package irb

import (
	"reflect"
	"slices"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// FuzzIRB feeds the same bytes to InspectIRB and InspectIIM and checks: at
// least one finding, an error always comes with an Unparsed finding at
// where, tags are sanitized, and results are deterministic.
func FuzzIRB(f *testing.F) {
	for _, tc := range irbCases() {
		f.Add(tc.in)
	}
	for _, tc := range iimCases() {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<20 {
			return
		}
		for _, fn := range []func([]byte, string, *meta.Set) error{InspectIRB, InspectIIM} {
			var a, b meta.Set
			err := fn(in, where, &a)
			errB := fn(in, where, &b)
			if (err == nil) != (errB == nil) || !reflect.DeepEqual(a.List(), b.List()) {
				t.Fatal("nondeterministic")
			}
			if a.Len() == 0 {
				t.Fatal("no finding")
			}
			list := a.List()
			if err != nil && !slices.ContainsFunc(list, func(fd meta.Finding) bool { return fd.Category == meta.Unparsed && fd.Where == where }) {
				t.Fatalf("error %v without Unparsed finding", err)
			}
			for _, fd := range list {
				for _, tag := range fd.Tags {
					if tag == "" || meta.Sanitize(tag) != tag {
						t.Fatalf("unsanitized tag %q", tag)
					}
				}
			}
		}
	})
}
