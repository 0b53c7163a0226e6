package xmp

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// outcome is everything the package derives from a packet.
type outcome struct {
	findings []meta.Finding
	err      string
	guid     string
	guidOK   bool
	orient   int
	carrier  []meta.Finding
}

func outcomeOf(in []byte, slow bool) outcome {
	old := slowOnly
	slowOnly = slow
	defer func() { slowOnly = old }()
	var o outcome
	var set, cset meta.Set
	if err := Inspect(in, where, &set); err != nil {
		o.err = err.Error()
	}
	o.findings = set.List()
	o.guid, o.guidOK = ExtendedGUID(in)
	o.orient = Orientation(in)
	InspectCarrier(in, where, &cset)
	o.carrier = cset.List()
	return o
}

// agree fails unless the fast tokenizer (with its fall-back) and
// encoding/xml alone give the same outcome for in.
func agree(t *testing.T, in []byte) {
	t.Helper()
	fast, slow := outcomeOf(in, false), outcomeOf(in, true)
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("fast and encoding/xml disagree on %q:\nfast %+v\nslow %+v", in, fast, slow)
	}
}

// fastTakes reports whether runFast walks in to the end by itself.
func fastTakes(in []byte) bool {
	doc, err := toUTF8(in)
	if err != nil {
		return false
	}
	return newWalker(nil).runFast(doc) == nil
}

// fastCases are packets built to probe the edges of the fast tokenizer's
// subset: each must give what encoding/xml gives, whichever path runs.
func fastCases() [][]byte {
	const (
		ns   = `xmlns:x="adobe:ns:meta/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" `
		exif = `xmlns:exif="http://ns.adobe.com/exif/1.0/" `
		tiff = `xmlns:tiff="http://ns.adobe.com/tiff/1.0/" `
		note = `xmlns:xmpNote="http://ns.adobe.com/xmp/note/" `
	)
	wrap := func(inner string) []byte {
		return []byte(`<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta ` + ns + `><rdf:RDF><rdf:Description rdf:about="" ` +
			exif + tiff + note + inner + `</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`)
	}
	attr := func(a string) []byte {
		return []byte(`<x:xmpmeta ` + ns + `><rdf:RDF><rdf:Description ` + exif + tiff + note + a + `/></rdf:RDF></x:xmpmeta>`)
	}
	var out [][]byte
	for _, inner := range []string{
		`><exif:GPSLatitude>1,2N</exif:GPSLatitude>`,
		`><exif:GPSLatitude>a &amp; b &lt; &gt; &apos; &quot; &#65; &#x41; &#x10FFFF;</exif:GPSLatitude>`,
		`><exif:GPSLatitude>&#xD800;</exif:GPSLatitude>`,
		`><exif:GPSLatitude>&#0;</exif:GPSLatitude>`,
		`><exif:GPSLatitude>&#1114112;</exif:GPSLatitude>`,
		`><exif:GPSLatitude>&#99999999999999999999;</exif:GPSLatitude>`,
		`><exif:GPSLatitude>&#X41;</exif:GPSLatitude>`,
		`><exif:GPSLatitude>&#;</exif:GPSLatitude>`,
		`><exif:GPSLatitude>&#x;</exif:GPSLatitude>`,
		`><exif:GPSLatitude>&nbsp;</exif:GPSLatitude>`,
		`><exif:GPSLatitude>&amp</exif:GPSLatitude>`,
		`><exif:GPSLatitude>a ]]> b</exif:GPSLatitude>`,
		`><exif:GPSLatitude>a ]] > b ]>]</exif:GPSLatitude>`,
		`><exif:GPSLatitude>` + "\x01" + `</exif:GPSLatitude>`,
		`><exif:GPSLatitude>` + "\uFFFE" + `</exif:GPSLatitude>`,
		`><exif:GPSLatitude>` + "é\u00a0€😀" + `</exif:GPSLatitude>`,
		`><exif:GPSLatitude><![CDATA[x]]></exif:GPSLatitude>`,
		`><!-- a comment - with dashes --><exif:GPSLatitude>1</exif:GPSLatitude>`,
		`><!-- bad -- comment --><exif:GPSLatitude>1</exif:GPSLatitude>`,
		`><!---><exif:GPSLatitude>1</exif:GPSLatitude>-->`,
		`><!- x --><exif:GPSLatitude>1</exif:GPSLatitude>`,
		`><?pi some data?><exif:GPSLatitude>1</exif:GPSLatitude>`,
		`><?pi?><exif:GPSLatitude>1</exif:GPSLatitude>`,
		`><?1pi ?><exif:GPSLatitude>1</exif:GPSLatitude>`,
		`><exif:GPSLatitude/>`,
		`><exif:GPSLatitude />`,
		`><exif:GPSLatitude / >`,
		`><exif:GPSLatitude></exif:GPSLatitude >`,
		`><exif:GPSLatitude></exif:GPSLatitude x>`,
		`><exif:GPSLatitude></exif:GPSLongitude>`,
		`><exif:a:b>1</exif:a:b>`,
		`><:GPSLatitude>1</:GPSLatitude>`,
		`><exif:>1</exif:>`,
		`><GPSLatitude>1</GPSLatitude>`,
		`><exif:GPSLatitudeé>1</exif:GPSLatitudeé>`,
		`><éxif:GPSLatitude>1</éxif:GPSLatitude>`,
		`><1exif>1</1exif>`,
		`><-exif>1</-exif>`,
		`>< exif:GPSLatitude>1</exif:GPSLatitude>`,
		`><tiff:Orientation>6</tiff:Orientation>`,
		`><tiff:Orientation> &#x36; </tiff:Orientation>`,
		`><tiff:Orientation>` + "\r\n6\r" + `</tiff:Orientation>`,
		`><tiff:Orientation>9</tiff:Orientation>`,
		`><xmpNote:HasExtendedXMP>0123456789ABCDEF0123456789abcdef</xmpNote:HasExtendedXMP>`,
		`><xmpNote:HasExtendedXMP>0123456789ABCDEF&#x30;123456789abcdef</xmpNote:HasExtendedXMP>`,
		`><exif:GPSLatitude rdf:parseType="Literal"><exif:GPSLongitude>1</exif:GPSLongitude></exif:GPSLatitude>`,
		`><exif:GPSLatitude rdf:parseType="Lit&#x65;ral"><exif:GPSLongitude>1</exif:GPSLongitude></exif:GPSLatitude>`,
		`><exif:GPSLatitude>1</exif:GPSLatitude`,
		`><exif:GPSLatitude>1`,
		`><exif:GPSLatitude>1</exif:GPSLatitude><`,
	} {
		out = append(out, wrap(inner))
	}
	for _, a := range []string{
		`exif:GPSLatitude="1"`,
		`exif:GPSLatitude='1' exif:GPSLongitude="2"`,
		`exif:GPSLatitude="1"exif:GPSLongitude="2"`,
		`exif:GPSLatitude = "1"`,
		"exif:GPSLatitude\n=\t'1'\r",
		`exif:GPSLatitude=1`,
		`exif:GPSLatitude`,
		`exif:GPSLatitude="a<b"`,
		`exif:GPSLatitude="a>b ]]> c"`,
		`exif:GPSLatitude="a &amp; b"`,
		`exif:GPSLatitude="a &bogus; b"`,
		`exif:GPSLatitude="a &quot b"`,
		`exif:GPSLatitude="a` + "\x00" + `b"`,
		`exif:GPSLatitude="1`,
		`tiff:Orientation="6"`,
		`tiff:Orientation="&#54;"`,
		`tiff:Orientation=" 8` + "\r\n" + `"`,
		`xmpNote:HasExtendedXMP="0123456789ABCDEF0123456789abcdef"`,
		`xmpNote:HasExtendedXMP="0123456789ABCDEF0123456789abcde&#x66;"`,
		`xmlns:g="http://ns.adobe.com/exif/1.0/" g:GPSLatitude="1"`,
		`xmlns:g="http://ns.adobe.com/exif/1.0&#x2F;" g:GPSLatitude="1"`,
		`xmlns:g="http://ns.adobe.com/exif/1.0/` + "\r" + `" g:GPSLatitude="1"`,
		`xmlns="http://ns.adobe.com/exif/1.0/" GPSLatitude="1" about=""`,
		`a:b:c="1"`,
		`:x="1" y:="2"`,
	} {
		out = append(out, attr(a))
	}
	for _, whole := range []string{
		``,
		` `,
		`<`,
		`<?xml version="1.0" encoding="UTF-8"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/>`,
		`<?xml version="1.0" encoding="utf-8"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/>`,
		`<?xml version='1.0'?><x:xmpmeta xmlns:x="adobe:ns:meta/"/>`,
		`<?xml version="1.1"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/>`,
		`<?xml encoding="ISO-8859-1"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description exif:GPSAltitude="é"/></rdf:RDF></x:xmpmeta>`,
		`<?xml encoding="utf-16"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/>`,
		`<?xml encoding="klingon"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/>`,
		`<?xml version=1.1 version="1.0"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/>`,
		`<?xml version=?><x:xmpmeta xmlns:x="adobe:ns:meta/"/>`,
		`<!DOCTYPE x><x:xmpmeta xmlns:x="adobe:ns:meta/"/>`,
		`junk<x:xmpmeta xmlns:x="adobe:ns:meta/"/>`,
		`&#x20;<x:xmpmeta xmlns:x="adobe:ns:meta/"/>&#xFEFF;`,
		"\uFEFF<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>",
		`<x:xmpmeta xmlns:x="adobe:ns:meta/"/><x:xmpmeta/>`,
		`<x:xmpmeta xmlns:x="adobe:ns:meta/"/>` + `<?xpacket end="w"`,
		`<x:xmpmeta xmlns:x="adobe:ns:meta/"></x:xmpmeta></x:xmpmeta>`,
		`<rdf:RDF><rdf:Description exif:GPSLatitude="1"/></rdf:RDF>`,
		strings.Repeat("<a>", maxDepth+1) + strings.Repeat("</a>", maxDepth+1),
		strings.Repeat("<a>", maxDepth) + strings.Repeat("</a>", maxDepth),
	} {
		out = append(out, []byte(whole))
	}
	for _, tc := range xmpCases() {
		out = append(out, tc.in)
	}
	out = append(out, testimg.XMPPacket(testimg.XMPOptions{}), testimg.XMPPacket(testimg.XMPOptions{Padding: 2048}))
	return out
}

// TestFastAgrees: on every probe, the result is the one encoding/xml alone
// gives.
func TestFastAgrees(t *testing.T) {
	for _, in := range fastCases() {
		agree(t, in)
	}
}

// TestFastTakesRealPackets: the fast tokenizer walks the packets real
// files carry by itself (the fall-back is for the unusual), and a test
// that would pass with the fall-back alone cannot hide it.
func TestFastTakesRealPackets(t *testing.T) {
	for _, p := range [][]byte{
		testimg.XMPPacket(testimg.XMPOptions{}),
		testimg.XMPPacket(testimg.XMPOptions{Padding: 2048}),
		[]byte(`<?xml version="1.0" encoding="UTF-8"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title><rdf:Alt><rdf:li xml:lang="x-default">a &amp; b&#xA;c</rdf:li></rdf:Alt></dc:title></rdf:Description></rdf:RDF></x:xmpmeta>`),
	} {
		if !fastTakes(p) {
			t.Errorf("fast tokenizer declined %.80q", p)
		}
	}
	declined := 0
	for _, tc := range xmpCases() {
		if !fastTakes(tc.in) {
			declined++
			t.Logf("declined: %s", tc.name)
		}
	}
	t.Logf("fast tokenizer declined %d of %d test packets", declined, len(xmpCases()))
}

// TestFastAllocations: classifying the benchmark ID card's packet
// allocates per packet, not per token.
func TestFastAllocations(t *testing.T) {
	p := testimg.XMPPacket(testimg.XMPOptions{})
	tokens := bytes.Count(p, []byte("<")) + bytes.Count(p, []byte("=\""))
	n := testing.AllocsPerRun(20, func() {
		var set meta.Set
		Inspect(p, where, &set)
	})
	t.Logf("%.0f allocations for a packet of %d bytes, %d tags and attributes", n, len(p), tokens)
	if n > float64(tokens)/2 {
		t.Errorf("%.0f allocations per packet (%d tags and attributes): allocating per token", n, tokens)
	}
}

// FuzzFastAgrees: on any input, the fast tokenizer with its fall-back and
// encoding/xml alone give the same findings, error, Extended XMP GUID and
// orientation.
func FuzzFastAgrees(f *testing.F) {
	for _, in := range fastCases() {
		if len(in) <= 1<<16 {
			f.Add(in)
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<20 {
			return
		}
		agree(t, in)
	})
}

// BenchmarkInspectEncodingXML is BenchmarkInspect without the fast
// tokenizer, for comparison.
func BenchmarkInspectEncodingXML(b *testing.B) {
	slowOnly = true
	defer func() { slowOnly = false }()
	benchInspect(b, testimg.XMPPacket(testimg.XMPOptions{}))
}
