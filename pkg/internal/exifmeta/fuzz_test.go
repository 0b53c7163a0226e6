package exifmeta

import (
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/tiffifd"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

var tagName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*$`)

// FuzzInspect: no panic; orientation in 0..8; an error always comes with an
// Unparsed finding at where and success never does; findings stay under
// where and carry names only; a GPS IFD always gives Location; Inspect is
// deterministic.
func FuzzInspect(f *testing.F) {
	for _, c := range inspectCases() {
		for _, le := range []bool{false, true} {
			if c.b != nil {
				c.b.LE = le
				f.Add(c.b.Bytes())
			} else {
				f.Add(c.raw)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var set meta.Set
		o, err := Inspect(data, W, &set)
		if o < 0 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
		fs := set.List()
		unparsedAtW := false
		for _, fd := range fs {
			if fd.Category == meta.Unparsed && fd.Where == W {
				unparsedAtW = true
			}
			if !strings.HasPrefix(fd.Where, W) {
				t.Fatalf("finding outside %q: %v", W, fd)
			}
			for _, tag := range fd.Tags {
				if !tagName.MatchString(tag) {
					t.Fatalf("tag %q is not a name", tag)
				}
			}
		}
		if (err != nil) != unparsedAtW {
			t.Fatalf("err %v but Unparsed at where = %v", err, unparsedAtW)
		}
		if tf, perr := tiffifd.Parse(data); perr == nil && tf.Has(tiffifd.KindGPS) && !set.Has(meta.Location) {
			t.Fatal("GPS IFD without a Location finding")
		}
		var again meta.Set
		Inspect(data, W, &again)
		if !reflect.DeepEqual(fs, again.List()) {
			t.Fatal("Inspect is not deterministic")
		}
	})
}
