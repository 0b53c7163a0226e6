package meta

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestSetMergeAndOrder(t *testing.T) {
	var s Set // zero value is usable
	if s.Len() != 0 || len(s.List()) != 0 || s.Has(Location) {
		t.Fatal("zero Set not empty")
	}
	s.Add(Other, "PNG tIME", "modification time")
	s.Add(Location, "APP1 Exif/GPS IFD", "GPSLongitude", "GPSLatitude")
	s.Add(Identity, "APP1 Exif/IFD0", "Make")
	s.Add(Location, "APP1 Exif/GPS IFD", "GPSLatitude", "", "GPSAltitude") // merge, dedupe, drop ""
	s.Add(Location, "APP1 XMP", "exif:GPSLatitude")
	s.Add(Embedded, "trailer")                 // no tags
	s.Add(Identity, "APP1 Exif/IFD0")          // merge with nothing
	s.Add(Category("weird"), "somewhere", "x") // unknown category sorts last
	s.Add(Unparsed, "APP1 Exif", "bad IFD")
	s.Add(Comment, "COM", "Comment")
	s.Add(Location, "APP1 Exif/GPS IFD", "GPSLatitude") // same again
	s.Add(Identity, "APP1 Exif/Exif IFD", "BodySerialNumber")

	want := []Finding{
		{Location, "APP1 Exif/GPS IFD", []string{"GPSAltitude", "GPSLatitude", "GPSLongitude"}},
		{Location, "APP1 XMP", []string{"exif:GPSLatitude"}},
		{Identity, "APP1 Exif/Exif IFD", []string{"BodySerialNumber"}},
		{Identity, "APP1 Exif/IFD0", []string{"Make"}},
		{Embedded, "trailer", []string{}},
		{Comment, "COM", []string{"Comment"}},
		{Other, "PNG tIME", []string{"modification time"}},
		{Unparsed, "APP1 Exif", []string{"bad IFD"}},
		{Category("weird"), "somewhere", []string{"x"}},
	}
	got := s.List()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("List:\n got %+v\nwant %+v", got, want)
	}
	if s.Len() != len(want) {
		t.Errorf("Len %d, want %d", s.Len(), len(want))
	}
	for _, c := range Categories {
		if !s.Has(c) {
			t.Errorf("Has(%s) false", c)
		}
	}
	// Tags is never nil (JSON "tags": [] rather than null).
	for _, f := range got {
		if f.Tags == nil {
			t.Errorf("%s: nil Tags", f.Where)
		}
	}
}

func TestListIsACopy(t *testing.T) {
	var s Set
	s.Add(Identity, "IFD0", "Make", "Artist")
	l := s.List()
	l[0].Tags[0] = "CHANGED"
	l[0].Where = "CHANGED"
	if again := s.List(); again[0].Where != "IFD0" || again[0].Tags[0] != "Artist" {
		t.Errorf("List result aliases the set: %+v", again)
	}
	// List sorts a copy: insertion order inside the set is untouched, so a
	// later Add still merges.
	s.Add(Identity, "IFD0", "Model")
	if got := s.List()[0].Tags; !reflect.DeepEqual(got, []string{"Artist", "Make", "Model"}) {
		t.Errorf("tags %v", got)
	}
}

func TestListDeterministic(t *testing.T) {
	build := func(perm []int) []Finding {
		adds := []func(*Set){
			func(s *Set) { s.Add(Location, "b", "y", "x") },
			func(s *Set) { s.Add(Location, "a", "z") },
			func(s *Set) { s.Add(Comment, "c", "k") },
			func(s *Set) { s.Add(Location, "b", "w") },
			func(s *Set) { s.Add(Identity, "a", "m") },
		}
		var s Set
		for _, i := range perm {
			adds[i](&s)
		}
		return s.List()
	}
	first := build([]int{0, 1, 2, 3, 4})
	for _, p := range [][]int{{4, 3, 2, 1, 0}, {2, 0, 4, 1, 3}, {3, 4, 0, 2, 1}} {
		if got := build(p); !reflect.DeepEqual(got, first) {
			t.Errorf("order %v gives %+v, want %+v", p, got, first)
		}
	}
}

func TestAddAll(t *testing.T) {
	var a, b Set
	a.Add(Location, "GPS", "GPSLatitude")
	b.Add(Location, "GPS", "GPSLongitude")
	b.Add(Comment, "COM", "Comment")
	a.AddAll(b.List())
	want := []Finding{{Location, "GPS", []string{"GPSLatitude", "GPSLongitude"}}, {Comment, "COM", []string{"Comment"}}}
	if got := a.List(); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestTagCap(t *testing.T) {
	var s Set
	for i := 0; i < 10000; i++ {
		s.Add(Other, "PNG tEXt", fmt.Sprintf("key%05d", i))
	}
	tags := s.List()[0].Tags
	if len(tags) > maxTagsPerFinding+1 {
		t.Fatalf("%d tags recorded, cap is %d", len(tags), maxTagsPerFinding)
	}
	if len(tags) < maxTagsPerFinding {
		t.Errorf("only %d tags recorded, want the first %d", len(tags), maxTagsPerFinding)
	}
	// The first names are kept (not an arbitrary subset).
	if tags[0] != "key00000" {
		t.Errorf("first tag %q", tags[0])
	}
	// Other findings are not affected by one finding's cap.
	s.Add(Other, "PNG zTXt", "Comment")
	if got := s.List()[1].Tags; len(got) != 1 {
		t.Errorf("second finding tags %v", got)
	}
}

// TestTagCapOverflowCounted: the comment on maxTagsPerFinding promises that
// "the overflow is summarised as a count".
func TestTagCapOverflowCounted(t *testing.T) {
	var s Set
	for i := 0; i < 300; i++ {
		s.Add(Other, "PNG tEXt", fmt.Sprintf("key%05d", i))
	}
	tags := s.List()[0].Tags
	found := false
	for _, tg := range tags {
		if strings.Contains(tg, "44") && !strings.HasPrefix(tg, "key") {
			found = true
		}
	}
	if len(tags) != maxTagsPerFinding+1 || !found {
		t.Errorf("%d tags and no overflow count for 44 dropped names", len(tags))
	}
}

func TestSanitize(t *testing.T) {
	cases := map[string]string{
		"":                            "",
		"GPSLatitude":                 "GPSLatitude",
		"exif:GPSLongitude":           "exif:GPSLongitude",
		"APP1 Exif/GPS IFD":           "APP1 Exif/GPS IFD",
		"Raw profile type exif":       "Raw profile type exif",
		"a_b-c.d":                     "a_b-c.d",
		"tab\there":                   "tab?here",
		"nl\nCR\r":                    "nl?CR?",
		"nul\x00x":                    "nul?x",
		"esc\x1b[31mred":              "esc??31mred",
		"quote\"'<>&;$`|\\":           "quote??????????",
		"é":                           "??",        // two bytes of UTF-8
		"日本":                          "??????",    // six bytes
		"\xff\xfe":                    "??",        // invalid UTF-8
		"Ünïcode":                     "??n??code", // per byte
		"\u202eevil":                  "???evil",   // RLO override
		strings.Repeat("a", 64):       strings.Repeat("a", 64),
		strings.Repeat("b", 65):       strings.Repeat("b", 64),
		strings.Repeat("c", 10000):    strings.Repeat("c", 64),
		strings.Repeat("é", 40):       strings.Repeat("?", 64), // cut by bytes first
		"PSMK-OWNER-h3Vt as keyword!": "PSMK-OWNER-h3Vt as keyword?",
	}
	for in, want := range cases {
		got := Sanitize(in)
		if got != want {
			t.Errorf("Sanitize(%q) = %q, want %q", in, got, want)
		}
		if len(got) > 64 {
			t.Errorf("Sanitize(%q) is %d bytes", in, len(got))
		}
		if Sanitize(got) != got {
			t.Errorf("Sanitize not idempotent on %q", in)
		}
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"", "GPSLatitude", "é\x00\n", strings.Repeat("x", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Sanitize(s)
		if len(got) > 64 {
			t.Fatalf("%d bytes", len(got))
		}
		for i := 0; i < len(got); i++ {
			c := got[i]
			if c < 0x20 || c > 0x7e || strings.IndexByte("\"'<>&;$`|\\\t", c) >= 0 {
				t.Fatalf("byte %#x kept", c)
			}
		}
		if Sanitize(got) != got {
			t.Fatal("not idempotent")
		}
	})
}

func TestDefaultKeep(t *testing.T) {
	if !DefaultKeep.Orientation || !DefaultKeep.ICC {
		t.Errorf("DefaultKeep = %+v, want both true", DefaultKeep)
	}
	if len(Categories) != 6 || Categories[0] != Location || Categories[5] != Unparsed {
		t.Errorf("Categories = %v", Categories)
	}
}
