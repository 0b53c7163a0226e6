package tiffifd

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	tb "github.com/photoscrub/photoscrub/pkg/internal/tiffifd/tiffbuild"
)

func names(t *TIFF) string {
	var s []string
	for i := range t.IFDs {
		s = append(s, t.IFDs[i].Name())
	}
	return strings.Join(s, ",")
}

func TestParseSample(t *testing.T) {
	for _, le := range []bool{false, true} {
		data := sample(le).Bytes()
		tf, err := Parse(data)
		if err != nil {
			t.Fatalf("le=%v: %v", le, err)
		}
		if got, want := names(tf), "IFD0,IFD1,Exif IFD,GPS IFD,Interop IFD"; got != want {
			t.Fatalf("IFDs %q, want %q", got, want)
		}
		if c := tf.Chain(); len(c) != 2 || c[0].Kind != KindIFD0 || c[1].Kind != KindIFD1 {
			t.Fatalf("chain %+v", c)
		}
		if tf.Chain()[0].Next != uint64(tf.IFDs[1].Offset) || tf.IFDs[1].Next != 0 {
			t.Errorf("next links wrong")
		}
		ifd0 := &tf.IFDs[0]
		o, ok := ifd0.Find(TagOrientation)
		if !ok || !o.Inline || o.Size != 2 {
			t.Fatalf("orientation entry %+v", o)
		}
		if v, err := tf.Uint(o, 0); err != nil || v != 6 {
			t.Errorf("orientation = %d, %v", v, err)
		}
		mk, _ := ifd0.Find(0x010F)
		if v, err := tf.Value(mk); err != nil || string(v) != "Canon\x00" || mk.Inline {
			t.Errorf("Make value %q, %v (inline %v)", v, err, mk.Inline)
		}
		gps := &tf.IFDs[3]
		if gps.Kind != KindGPS || gps.Parent != 0 || gps.ParentTag != TagGPSIFD || gps.Depth != 1 {
			t.Errorf("GPS IFD %+v", gps)
		}
		lat, _ := gps.Find(0x0002)
		if n, d, err := tf.Rational(lat, 2); err != nil || n != 0 || d != 0 {
			t.Errorf("zero-denominator rational: %d/%d %v", n, d, err)
		}
		if n, d, _ := tf.Rational(lat, 0); n != 48 || d != 1 {
			t.Errorf("lat deg %d/%d", n, d)
		}
		if _, _, err := tf.Rational(lat, 3); err == nil {
			t.Error("index 3 of a 3-rational accepted")
		}
		if _, err := tf.Uint(lat, 0); err == nil {
			t.Error("Uint on a rational accepted")
		}
		if in := &tf.IFDs[4]; in.Kind != KindInterop || in.Depth != 2 || tf.IFDs[in.Parent].Kind != KindExif {
			t.Errorf("interop %+v", in)
		}
		// Entry positions must point at the entry's tag.
		for _, d := range tf.IFDs {
			for _, e := range d.Entries {
				if tf.Order.Uint16(data[e.At:]) != e.Tag {
					t.Errorf("entry At wrong for tag %#x", e.Tag)
				}
			}
			if uint64(tf.Order.Uint32(data[d.NextAt:])) != d.Next {
				t.Errorf("NextAt wrong in %s", d.Name())
			}
		}
	}
}

func TestParseHeader(t *testing.T) {
	for _, in := range []string{"", "II*", "XX*\x00\x08\x00\x00\x00", "II+\x00\x08\x00\x00\x00", "MM\x00\x2b\x00\x08\x00\x00\x00\x00"} {
		if tf, err := Parse([]byte(in)); err == nil || tf != nil {
			t.Errorf("%q: accepted", in)
		}
	}
}

func TestBigTIFF(t *testing.T) {
	o := binary.LittleEndian
	b := []byte{'I', 'I', 43, 0, 8, 0, 0, 0}
	b = o.AppendUint64(b, 16)
	b = o.AppendUint64(b, 2) // two entries
	// Orientation SHORT 1 = 3, inline.
	b = o.AppendUint16(b, TagOrientation)
	b = o.AppendUint16(b, uint16(Short))
	b = o.AppendUint64(b, 1)
	b = o.AppendUint64(b, 3)
	// Make ASCII 10 bytes, out of line at 16+8+40+8 = 72.
	b = o.AppendUint16(b, 0x010F)
	b = o.AppendUint16(b, uint16(ASCII))
	b = o.AppendUint64(b, 10)
	b = o.AppendUint64(b, 72)
	b = o.AppendUint64(b, 0) // next
	b = append(b, "abcdefghi\x00"...)
	tf, err := Parse(b)
	if err != nil || !tf.Big || len(tf.IFDs) != 1 {
		t.Fatalf("%v %+v", err, tf)
	}
	e := tf.IFDs[0].Entries
	if v, _ := tf.Uint(e[0], 0); v != 3 || !e[0].Inline {
		t.Errorf("orientation %d", v)
	}
	if v, err := tf.Value(e[1]); err != nil || string(v) != "abcdefghi\x00" {
		t.Errorf("make %q %v", v, err)
	}
	if _, err := Parse(b[:len(b)-1]); err == nil {
		t.Error("truncated BigTIFF accepted")
	}
}

// hostile builds each malformed structure the walker must reject.
func hostile() map[string][]byte {
	m := map[string][]byte{}
	add := func(name string, b *tb.File) { m[name] = b.Bytes() }
	add("self-loop", &tb.File{IFDs: []*tb.IFD{{Name: "IFD0", Next: "IFD0", Entries: []tb.Entry{tb.Short(TagOrientation, 1)}}}})
	add("2-way", &tb.File{IFDs: []*tb.IFD{
		{Name: "IFD0", Next: "IFD1", Entries: []tb.Entry{tb.Short(TagOrientation, 1)}},
		{Name: "IFD1", Next: "IFD0", Entries: []tb.Entry{tb.Short(0x0103, 6)}},
	}})
	add("3-way chain", &tb.File{LE: true, IFDs: []*tb.IFD{
		{Name: "IFD0", Next: "IFD1"}, {Name: "IFD1", Next: "IFD2"}, {Name: "IFD2", Next: "IFD0"},
	}})
	add("n-way via pointers", &tb.File{IFDs: []*tb.IFD{
		{Name: "IFD0", Entries: []tb.Entry{tb.Ptr(TagExifIFD, "Exif")}},
		{Name: "Exif", Entries: []tb.Entry{tb.Ptr(TagGPSIFD, "GPS")}},
		{Name: "GPS", Entries: []tb.Entry{tb.Ptr(TagInteropIFD, "Interop")}},
		{Name: "Interop", Entries: []tb.Entry{tb.Ptr(TagExifIFD, "IFD0")}},
	}})
	add("exif pointer to own IFD", &tb.File{IFDs: []*tb.IFD{{Name: "IFD0", Entries: []tb.Entry{tb.Ptr(TagExifIFD, "IFD0")}}}})
	add("exif pointer into chain", &tb.File{IFDs: []*tb.IFD{
		{Name: "IFD0", Next: "IFD1", Entries: []tb.Entry{tb.Ptr(TagExifIFD, "IFD1")}}, {Name: "IFD1"},
	}})
	add("subifd cycle", &tb.File{IFDs: []*tb.IFD{
		{Name: "IFD0", Entries: []tb.Entry{tb.Ptr(TagSubIFDs, "S0")}},
		{Name: "S0", Next: "S1"}, {Name: "S1", Next: "S0"},
	}})
	add("LONG count 0x40000001", &tb.File{IFDs: []*tb.IFD{{Name: "IFD0", Entries: []tb.Entry{tb.Raw(0x0100, Long, 0x40000001, 8)}}}})
	add("RATIONAL count 0x20000001", &tb.File{IFDs: []*tb.IFD{{Name: "IFD0", Entries: []tb.Entry{tb.Raw(0x0002, Rational, 0x20000001, 8)}}}})
	add("count 0xFFFFFFFF", &tb.File{IFDs: []*tb.IFD{{Name: "IFD0", Entries: []tb.Entry{tb.Raw(0x010F, ASCII, 0xFFFFFFFF, 8)}}}})
	add("DOUBLE count 0x20000000", &tb.File{IFDs: []*tb.IFD{{Name: "IFD0", Entries: []tb.Entry{tb.Raw(0x010F, Double, 0x20000000, 8)}}}})
	add("value offset past end", &tb.File{IFDs: []*tb.IFD{{Name: "IFD0", Entries: []tb.Entry{tb.Raw(0x010F, ASCII, 20, 0xFFFFFFF0)}}}})
	add("value straddles end", &tb.File{IFDs: []*tb.IFD{{Name: "IFD0", Entries: []tb.Entry{tb.Raw(0x010F, ASCII, 20, 10)}}}})
	add("next past end", &tb.File{IFDs: []*tb.IFD{{Name: "IFD0", NextRaw: tb.U32(0x7FFFFFFF)}}})
	add("next inside header", &tb.File{IFDs: []*tb.IFD{{Name: "IFD0", NextRaw: tb.U32(4)}}})
	add("exif pointer past end", &tb.File{IFDs: []*tb.IFD{{Name: "IFD0", Entries: []tb.Entry{tb.Raw(TagExifIFD, Long, 1, 0xFFFFFFFF)}}}})
	add("gps pointer of ASCII type", &tb.File{IFDs: []*tb.IFD{{Name: "IFD0", Entries: []tb.Entry{tb.Raw(TagGPSIFD, ASCII, 4, 0x41414100)}}}})
	m["IFD0 past end"] = []byte("MM\x00\x2a\xff\xff\xff\xf0")
	m["IFD0 at 0"] = []byte("MM\x00\x2a\x00\x00\x00\x00\x00\x00")
	m["65535 entries"] = []byte("MM\x00\x2a\x00\x00\x00\x08\xff\xff\x00\x00\x00\x00")
	m["entries past end"] = []byte("MM\x00\x2a\x00\x00\x00\x08\x00\x02\x01\x12\x00\x03\x00\x00\x00\x01\x00\x01\x00\x00")
	m["no next field"] = []byte("MM\x00\x2a\x00\x00\x00\x08\x00\x00\x00\x00")
	// Nesting: IFD0 → S1 → S2 → ... → S10 via SubIFDs.
	deep := &tb.File{IFDs: []*tb.IFD{{Name: "IFD0", Entries: []tb.Entry{tb.Ptr(TagSubIFDs, "S1")}}}}
	for i := 1; i <= MaxDepth+2; i++ {
		d := &tb.IFD{Name: "S" + string(rune('A'+i))}
		deep.IFDs = append(deep.IFDs, d)
	}
	deep.IFDs[0].Entries[0].Ptr = []string{deep.IFDs[1].Name}
	for i := 1; i < len(deep.IFDs)-1; i++ {
		deep.IFDs[i].Entries = []tb.Entry{tb.Ptr(TagSubIFDs, deep.IFDs[i+1].Name)}
	}
	m["too deep"] = deep.Bytes()
	// Too many IFDs: SubIFDs naming 80 distinct empty IFDs.
	many := &tb.File{IFDs: []*tb.IFD{{Name: "IFD0", Entries: []tb.Entry{tb.Ptr(TagSubIFDs)}}}}
	for i := 0; i < 80; i++ {
		n := "S" + string(rune(0x100+i))
		many.IFDs = append(many.IFDs, &tb.IFD{Name: n})
		many.IFDs[0].Entries[0].Ptr = append(many.IFDs[0].Entries[0].Ptr, n)
	}
	many.IFDs[0].Entries[0].Count = 80
	m["too many IFDs"] = many.Bytes()
	// 300 entries pointing at the same 2000-byte value: fits, but declares
	// 600 KB of values in a 6 KB file.
	ov := &tb.File{IFDs: []*tb.IFD{{Name: "IFD0", Entries: []tb.Entry{tb.Undefined(0x9286, make([]byte, 2000))}}}}
	for i := 0; i < 300; i++ {
		ov.IFDs[0].Entries = append(ov.IFDs[0].Entries, tb.Raw(0x9286, Undefined, 2000, 8+2+12*301+4))
	}
	m["overlapping values"] = ov.Bytes()
	m["overlapping tables"] = overlapTables()
	return m
}

// overlapTables builds 60 SubIFDs whose 4000-entry tables are shifted by one
// entry each, all reading the same ~48 KB run: 240000 entries declared.
func overlapTables() []byte {
	const c, subs = 4000, 60
	o := binary.BigEndian
	b := []byte("MM\x00\x2a\x00\x00\x00\x08")
	b = o.AppendUint16(b, 1)
	b = o.AppendUint16(b, TagSubIFDs)
	b = o.AppendUint16(b, uint16(Long))
	b = o.AppendUint32(b, subs)
	b = o.AppendUint32(b, 26)
	b = o.AppendUint32(b, 0)
	base := uint32(26 + 4*subs)
	for i := uint32(0); i < subs; i++ {
		b = o.AppendUint32(b, base+12*i)
	}
	b = o.AppendUint16(b, c)
	// Entries: tag 0, unknown type 0, count 1, field 00 00 00 c: the last
	// word of entry i is the count word of SubIFD i+1, and the next-offset
	// field of every SubIFD reads tag+type = 0.
	for i := 0; i < c+subs+1; i++ {
		b = o.AppendUint32(b, 0)
		b = o.AppendUint32(b, 1)
		b = o.AppendUint32(b, c)
	}
	return b
}

// hostileWant is the reason each hostile input must be rejected for.
var hostileWant = map[string]string{
	"self-loop":                 "cycle",
	"2-way":                     "cycle",
	"3-way chain":               "cycle",
	"n-way via pointers":        "cycle",
	"exif pointer to own IFD":   "cycle",
	"exif pointer into chain":   "cycle",
	"subifd cycle":              "cycle",
	"LONG count 0x40000001":     "value size exceeds",
	"RATIONAL count 0x20000001": "value size exceeds",
	"count 0xFFFFFFFF":          "value size exceeds",
	"DOUBLE count 0x20000000":   "value size exceeds",
	"value offset past end":     "value past the end",
	"value straddles end":       "value past the end",
	"next past end":             "IFD offset past the end",
	"next inside header":        "inside the header",
	"exif pointer past end":     "IFD offset past the end",
	"gps pointer of ASCII type": "non-offset type",
	"IFD0 past end":             "IFD offset past the end",
	"IFD0 at 0":                 "inside the header",
	"65535 entries":             "more than 4096 entries",
	"entries past end":          "IFD truncated",
	"no next field":             "IFD truncated",
	"too deep":                  "deeper than 8",
	"too many IFDs":             "more than 64 IFDs",
	"overlapping values":        "values overlap",
	"overlapping tables":        "tables overlap",
}

func TestHostile(t *testing.T) {
	h := hostile()
	if len(h) != len(hostileWant) {
		t.Fatalf("%d hostile inputs, %d expectations", len(h), len(hostileWant))
	}
	for name, data := range h {
		t.Run(name, func(t *testing.T) {
			tf, err := Parse(data)
			var fe FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("accepted (err %v)", err)
			}
			if !strings.Contains(err.Error(), hostileWant[name]) {
				t.Errorf("error %q, want it to mention %q", err, hostileWant[name])
			}
			if tf != nil && len(tf.IFDs) > MaxIFDs {
				t.Errorf("%d IFDs read", len(tf.IFDs))
			}
		})
	}
}

func TestAcceptedOddities(t *testing.T) {
	// An empty IFD0, a GPS IFD with zero-denominator rationals, a
	// zero-count tag, an unknown type, a zero-count pointer and an SLONG
	// pointer (Canon PowerShot S5) are all structurally sound.
	b := &tb.File{IFDs: []*tb.IFD{
		{Name: "IFD0", Entries: []tb.Entry{tb.Ptr(TagGPSIFD, "GPS"), tb.Raw(0xC000, Type(99), 5, 0xFFFFFFFF), tb.Raw(0x010E, ASCII, 0, 0), tb.Raw(TagInteropIFD, Long, 0, 0)}},
		{Name: "GPS", Entries: []tb.Entry{tb.Rational(0x0002, 0, 0, 0, 0, 0, 0)}},
	}}
	b.IFDs[0].Entries[0].Type = uint16(SLong)
	tf, err := Parse(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if tf.UnknownTypes != 1 || !tf.Has(KindGPS) || tf.Has(KindInterop) {
		t.Errorf("unknown=%d gps=%v", tf.UnknownTypes, tf.Has(KindGPS))
	}
	if _, err := tf.Value(tf.IFDs[0].Entries[1]); err == nil {
		t.Error("Value of an unknown type succeeded")
	}
	if v, err := tf.Value(tf.IFDs[0].Entries[2]); err != nil || len(v) != 0 {
		t.Errorf("zero-count value %q %v", v, err)
	}
	empty := []byte("II*\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00")
	if tf, err := Parse(empty); err != nil || len(tf.IFDs) != 1 || len(tf.IFDs[0].Entries) != 0 {
		t.Errorf("empty IFD0: %v", err)
	}
}

// Every truncation of a valid block must be rejected without panicking
// (the last byte of the sample is part of IFD1's next-offset field).
func TestTruncated(t *testing.T) {
	for _, le := range []bool{false, true} {
		data := sample(le).Bytes()
		for i := 0; i < len(data); i++ {
			if _, err := Parse(data[:i:i]); err == nil {
				t.Errorf("le=%v: truncated at %d of %d accepted", le, i, len(data))
			}
		}
	}
}

func TestPartialResult(t *testing.T) {
	// A broken Exif pointer must not hide the GPS IFD found next to it.
	b := &tb.File{IFDs: []*tb.IFD{
		{Name: "IFD0", Entries: []tb.Entry{tb.Raw(TagExifIFD, Long, 1, 0xFFFFFF00), tb.Ptr(TagGPSIFD, "GPS")}},
		{Name: "GPS", Entries: []tb.Entry{tb.ASCII(0x0001, "N")}},
	}}
	tf, err := Parse(b.Bytes())
	if err == nil || tf == nil || !tf.Has(KindGPS) {
		t.Fatalf("err=%v, GPS found=%v", err, tf != nil && tf.Has(KindGPS))
	}
}
