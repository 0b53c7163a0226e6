package xmp

import (
	"bytes"
	"encoding/binary"

	"slices"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// onePacket is a packet declaring prefix p for uri with one attribute
// property and one element property body (already formed).
func onePacket(p, uri, attrs, body string) []byte {
	return []byte(`<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">` +
		`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
		`<rdf:Description rdf:about="" xmlns:` + p + `="` + uri + `" ` + attrs + `>` + body +
		`</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`)
}

// TestLocationEverywhere puts a location property of every namespace we
// classify, under a prefix the packet chose ("q"), in attribute and element
// form, and expects Location with our own tag.
func TestLocationEverywhere(t *testing.T) {
	for _, tc := range []struct {
		uri, local, tag string
	}{
		{"http://ns.adobe.com/exif/1.0/", "GPSLatitude", "exif:GPSLatitude"},
		{"http://ns.adobe.com/exif/1.0/", "GPSAreaInformation", "exif:GPSAreaInformation"},
		{"http://ns.adobe.com/exif/1.0/", "GPSHPositioningError", "exif:GPSHPositioningError"},
		{"http://ns.adobe.com/exif/1.0/", "GPSFutureField", "unknown exif property"},
		{"http://ns.adobe.com/exif/1.0/", "OffsetTimeOriginal", "exif:OffsetTimeOriginal"},
		{"http://cipa.jp/exif/1.0/", "GPSLatitude", "unknown exifEX property"},
		{"http://cipa.jp/exif/1.0/", "OffsetTime", "unknown exifEX property"},
		{"http://www.w3.org/2003/12/exif/ns#", "gpsLatitude", "unknown exifRDF property"},
		{"http://www.w3.org/2003/01/geo/wgs84_pos#", "lat", "geo:lat"},
		{"http://www.w3.org/2003/01/geo/wgs84_pos#", "long", "geo:long"},
		{"http://www.w3.org/2003/01/geo/wgs84_pos#", "alt", "geo:alt"},
		{"http://www.w3.org/2003/01/geo/wgs84_pos#", "location", "geo:location"},
		{"http://www.w3.org/2003/01/geo/wgs84_pos#", "Point", "geo:Point"},
		{"http://www.georss.org/georss", "point", "georss:point"},
		{"http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/", "Location", "Iptc4xmpCore:Location"},
		{"http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/", "CountryCode", "Iptc4xmpCore:CountryCode"},
		{"http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "LocationCreated", "Iptc4xmpExt:LocationCreated"},
		{"http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "LocationShown", "Iptc4xmpExt:LocationShown"},
		{"http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "City", "Iptc4xmpExt:City"},
		{"http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "CountryName", "Iptc4xmpExt:CountryName"},
		{"http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "ProvinceState", "Iptc4xmpExt:ProvinceState"},
		{"http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "Sublocation", "Iptc4xmpExt:Sublocation"},
		{"http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "WorldRegion", "Iptc4xmpExt:WorldRegion"},
		{"http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "GPSLatitude", "Iptc4xmpExt:GPSLatitude"},
		{"http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "GPSLongitude", "Iptc4xmpExt:GPSLongitude"},
		{"http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "GPSAltitude", "Iptc4xmpExt:GPSAltitude"},
		{"http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "LocationId", "Iptc4xmpExt:LocationId"},
		{"http://iptc.org/std/Iptc4xmpExt/1.0/xmlns/", "City", "Iptc4xmpExt:City"},
		{"http://ns.adobe.com/photoshop/1.0/", "City", "photoshop:City"},
		{"http://ns.adobe.com/photoshop/1.0/", "State", "photoshop:State"},
		{"http://ns.adobe.com/photoshop/1.0/", "Country", "photoshop:Country"},
		{"http://ns.adobe.com/xmp/1.0/DynamicMedia/", "shotLocation", "xmpDM:shotLocation"},
		{"http://purl.org/dc/elements/1.1/", "coverage", "dc:coverage"},
		{"http://purl.org/dc/terms/", "spatial", "dcterms:spatial"},
		{"http://www.dji.com/drone-dji/1.0/", "GpsLatitude", "drone-dji:GpsLatitude"},
		{"http://www.dji.com/drone-dji/1.0/", "GpsLongitude", "drone-dji:GpsLongitude"},
		{"http://www.dji.com/drone-dji/1.0/", "GpsLongtitude", "drone-dji:GpsLongtitude"},
		{"http://www.dji.com/drone-dji/1.0/", "AbsoluteAltitude", "drone-dji:AbsoluteAltitude"},
		{"http://www.dji.com/drone-dji/1.0/", "RelativeAltitude", "drone-dji:RelativeAltitude"},
		{"http://www.dji.com/drone-dji/1.0/", "GimbalYawDegree", "drone-dji:GimbalYawDegree"},
		{"http://www.dji.com/drone-dji/1.0/", "RtkFutureField", "unknown drone-dji property"},
		{"https://www.dji.com/drone-dji/1.0", "GpsLatitude", "drone-dji:GpsLatitude"},
		{"http://www.parrot.com/drone-parrot/1.0/", "CameraYawDegree", "unknown drone-parrot property"},
		{"https://www.skydio.com/drone-skydio/1.0/", "Latitude", "drone-skydio:Latitude"},
		{"http://www.skydio.com/drone-skydio/1.0/", "Longitude", "drone-skydio:Longitude"},
		{"http://pix4d.com/camera/1.0/", "Yaw", "Camera:Yaw"},
		{"http://pix4d.com/camera/1.0", "GPSXYAccuracy", "Camera:GPSXYAccuracy"},
		{"http://ns.sensefly.com/Camera/1.0/", "Roll", "senseFly:Roll"},
		{"http://micasense.com/MicaSense/1.0/", "PressureAlt", "MicaSense:PressureAlt"},
		{"http://micasense.com/DLS/1.0/", "Yaw", "DLS:Yaw"},
		{"http://developer.sonyericsson.com/cell/1.0/", "mcc", "cell:mcc"},
		{"http://www.geotate.com/Geotate/1.0/", "Fix", "unknown Geotate property"},
		{"http://ns.iview-multimedia.com/mediapro/1.0/", "Location", "mediapro:Location"},
		{"http://rs.tdwg.org/dwc/index.htm", "decimalLatitude", "dwc:decimalLatitude"},
		{"http://rs.tdwg.org/dwc/terms/", "locality", "dwc:locality"},
		{"http://ns.nikon.com/asteroid/1.0/", "GPSLatitude", "ast:GPSLatitude"},
		{"http://prismstandard.org/namespaces/basic/2.0/", "location", "prism:location"},
		{"http://ns.camerabits.com/photomechanic/1.0/", "CountryCode", "photomechanic:CountryCode"},
		{"http://example.com/" + v() + "/", "HomeLatitude", tagUnregistered},
		{"urn:" + v(), "gpsPosition", tagUnregistered},
	} {
		for _, form := range []string{"attr", "elem"} {
			var in []byte
			if form == "attr" {
				in = onePacket("q", tc.uri, `q:`+tc.local+`="`+v()+`"`, "")
			} else {
				in = onePacket("q", tc.uri, "", "<q:"+tc.local+">"+v()+"</q:"+tc.local+">")
			}
			var set meta.Set
			if err := Inspect(in, where, &set); err != nil {
				t.Fatalf("%s %s: %v", tc.uri, tc.local, err)
			}
			want := []meta.Finding{f(meta.Location, tc.tag)}
			if got := set.List(); !slices.EqualFunc(got, want, findingEq) {
				t.Errorf("%s %s (%s): got %v, want %v", tc.uri, tc.local, form, got, want)
			}
		}
	}
}

func findingEq(a, b meta.Finding) bool {
	return a.Category == b.Category && a.Where == b.Where && slices.Equal(a.Tags, b.Tags)
}

// TestIdentityAndNesting checks identity namespaces, contact addresses that
// name a country but are identity, and location inherited by the fields of
// location structures (known or not).
func TestIdentityAndNesting(t *testing.T) {
	ns := ` xmlns:a="http://www.metadataworkinggroup.com/schemas/regions/" xmlns:b="http://ns.microsoft.com/photo/1.2/t/Region#"` +
		` xmlns:c="http://cipa.jp/exif/1.0/" xmlns:d="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/" xmlns:e="http://ns.useplus.org/ldf/xmp/1.0/"` +
		` xmlns:g="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" xmlns:h="http://example.org/` + v() + `"`
	in := onePacket("z", "http://ns.adobe.com/exif/1.0/", ns[1:]+` a:Name="`+v()+`" b:PersonDisplayName="`+v()+`" c:CameraOwnerName="`+v()+
		`" c:BodySerialNumber="`+v()+`" e:LicensorCountry="`+v()+`"`,
		`<d:CreatorContactInfo rdf:parseType="Resource"><d:CiAdrCtry>`+v()+`</d:CiAdrCtry></d:CreatorContactInfo>`+
			`<g:LocationCreated rdf:parseType="Resource"><g:PSMARKERField>`+v()+`</g:PSMARKERField><h:Whatever>`+v()+`</h:Whatever></g:LocationCreated>`+
			`<h:Thing rdf:parseType="Resource"><z:GPSLatitude>`+v()+`</z:GPSLatitude></h:Thing>`)
	var set meta.Set
	if err := Inspect(in, where, &set); err != nil {
		t.Fatal(err)
	}
	want := []meta.Finding{
		f(meta.Location, "Iptc4xmpExt:LocationCreated", "unknown Iptc4xmpExt property", tagUnregistered, "exif:GPSLatitude"),
		f(meta.Identity, "mwg-rs:Name", "MPReg:PersonDisplayName", "exifEX:CameraOwnerName", "exifEX:BodySerialNumber",
			"plus:LicensorCountry", "Iptc4xmpCore:CreatorContactInfo", "Iptc4xmpCore:CiAdrCtry"),
		f(meta.Other, tagUnregistered),
	}
	if got := set.List(); !slices.EqualFunc(got, want, findingEq) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

// TestHostileNames plants a marker in every name a packet controls: local
// names (known and unregistered namespaces, elements and attributes,
// structure fields), namespace URIs, prefixes (declared, undeclared,
// default namespace). The marker must never reach a finding, and GPS-looking
// names must still be classified as location.
func TestHostileNames(t *testing.T) {
	m := func(suffix string) string { return v() + suffix }
	cases := []struct {
		name string
		in   []byte
		loc  bool
	}{
		{"local name in a known namespace", onePacket("exif", "http://ns.adobe.com/exif/1.0/", "exif:"+m("")+`="1"`, ""), false},
		{"GPS-looking local name in a known namespace", onePacket("exif", "http://ns.adobe.com/exif/1.0/", "", "<exif:"+m("Latitude")+">1</exif:"+m("Latitude")+">"), true},
		{"local name in an unregistered namespace", onePacket("q", "http://example.com/ns/", "q:"+m("Longitude")+`="1"`, ""), true},
		{"namespace URI", onePacket("q", "http://"+v()+".example/", `q:GPSLatitude="1"`, ""), true},
		{"URI of a known namespace plus a marker", onePacket("q", "http://ns.adobe.com/exif/1.0/"+v(), `q:GPSLatitude="1"`, ""), true},
		{"prefix", onePacket(m(""), "http://ns.adobe.com/exif/1.0/", "", ""), false},
		{"prefix used", []byte(strings.ReplaceAll(string(onePacket("PFX", "http://ns.adobe.com/exif/1.0/", `PFX:GPSLatitude="1"`, "")), "PFX", "PSMARKERpfx")), true},
		{"undeclared prefix", onePacket("q", "http://example.com/", "", "<"+m("")+":GPSLatitude>1</"+strings.Repeat("", 0)+"PSMARKERX:GPSLatitude>"), false},
		{"default namespace element", onePacket("q", "http://example.com/", "", `<`+m("Altitude")+` xmlns="http://`+v()+`/">1</`+"PSMARKERY"+`>`), false},
		{"element without namespace", onePacket("q", "http://example.com/", "", "<"+m("")+">1</PSMARKERZ>"), false},
		{"struct field name", onePacket("q", "http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "",
			`<q:LocationShown rdf:parseType="Resource"><q:`+m("")+`>1</q:PSMARKERW></q:LocationShown>`), true},
	}
	for _, tc := range cases {
		// Fix up end tags of the cases that needed a second marker name.
		in := fixEndTags(tc.in)
		var set meta.Set
		err := Inspect(in, where, &set)
		if err != nil && strings.Contains(err.Error(), markerPrefix) {
			t.Errorf("%s: error leaks: %v", tc.name, err)
		}
		for _, fd := range set.List() {
			if strings.Contains(fd.Where, markerPrefix) || slices.ContainsFunc(fd.Tags, func(s string) bool { return strings.Contains(s, markerPrefix) }) {
				t.Errorf("%s: finding leaks a name: %v", tc.name, fd)
			}
		}
		if err != nil || set.Has(meta.Unparsed) {
			t.Errorf("%s: packet did not parse: %v", tc.name, err)
		}
		if tc.loc && !set.Has(meta.Location) {
			t.Errorf("%s: no location finding: %v (err %v)", tc.name, set.List(), err)
		}
	}
}

// fixEndTags rewrites each end tag to match the start tag it closes, so the
// hostile cases above can be written with placeholder end tags.
func fixEndTags(in []byte) []byte {
	var out bytes.Buffer
	var stack []string
	s := string(in)
	for len(s) > 0 {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			out.WriteString(s)
			break
		}
		out.WriteString(s[:i])
		s = s[i:]
		j := strings.IndexByte(s, '>')
		tag := s[:j+1]
		s = s[j+1:]
		switch {
		case strings.HasPrefix(tag, "</"):
			name := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			out.WriteString("</" + name + ">")
			continue
		case strings.HasPrefix(tag, "<?"), strings.HasSuffix(tag, "/>"):
		default:
			name := strings.FieldsFunc(tag[1:], func(r rune) bool { return r == ' ' || r == '>' })[0]
			stack = append(stack, name)
		}
		out.WriteString(tag)
	}
	return out.Bytes()
}

// TestVocabulary checks the generated name lists: every prefix belongs to a
// schema, and every tag is one the report may print as is.
func TestVocabulary(t *testing.T) {
	prefixes := map[string]bool{ddSchema.prefix: true}
	for _, s := range namespaces {
		prefixes[s.prefix] = true
		if s.unknown == "" || s.names == nil {
			t.Fatalf("%s: not indexed", s.prefix)
		}
		for local, n := range s.names {
			if n.tag != s.prefix+":"+local || meta.Sanitize(n.tag) != n.tag {
				t.Errorf("bad tag %q", n.tag)
			}
		}
	}
	for p := range knownNames {
		if !prefixes[p] {
			t.Errorf("knownNames has %q, which no schema uses", p)
		}
	}
	if meta.Sanitize(tagUnregistered) != tagUnregistered {
		t.Error("tagUnregistered is not sanitized")
	}
}

func TestIsPacket(t *testing.T) {
	pk := packet(desc([]string{"exif:GPSLatitude"}, ""))
	bare := []byte(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description/></rdf:RDF>`)
	for _, tc := range []struct {
		name string
		in   []byte
		want bool
	}{
		{"packet", pk, true},
		{"after comment text", append([]byte("Edited by someone\n"), pk...), true},
		{"bare rdf", bare, true},
		{"xmpmeta only", []byte(`<x:xmpmeta xmlns:x="adobe:ns:meta/"/>`), true},
		{"utf-16le with BOM", utf16Packet(pk, binary.LittleEndian, true), true},
		{"utf-16be without BOM", utf16Packet(pk, binary.BigEndian, false), true},
		{"utf-32le with BOM", utf32Packet(pk, binary.LittleEndian), true},
		{"plain comment", []byte("Created with GIMP"), false},
		{"other XML", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`), false},
		{"empty", nil, false},
		{"one byte", []byte{0xFE}, false},
		{"utf-16 text", utf16Packet([]byte("hello world"), binary.LittleEndian, true), false},
	} {
		if got := IsPacket(tc.in); got != tc.want {
			t.Errorf("%s: IsPacket = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestInspectCarrier(t *testing.T) {
	pk := packet(desc([]string{"exif:GPSLatitude"}, ""))
	for _, tc := range []struct {
		name string
		in   []byte
		ok   bool
		want []meta.Finding
	}{
		{"comment text around a packet", []byte("Title " + v() + "\n" + string(pk) + "\n" + v()), true,
			[]meta.Finding{f(meta.Location, "exif:GPSLatitude")}},
		{"no wrapper, text before rdf", []byte(v() + string(packetBody(pk))), true,
			[]meta.Finding{f(meta.Location, "exif:GPSLatitude")}},
		{"utf-16", utf16Packet(pk, binary.BigEndian, true), true, []meta.Finding{f(meta.Location, "exif:GPSLatitude")}},
		{"not a packet", []byte("just a comment " + v()), false, nil},
		{"broken packet", []byte("<x:xmpmeta " + v()), true, []meta.Finding{f(meta.Unparsed, "XMP")}},
	} {
		var set meta.Set
		ok := InspectCarrier(tc.in, where, &set)
		if ok != tc.ok {
			t.Errorf("%s: InspectCarrier = %v", tc.name, ok)
		}
		if got := set.List(); !slices.EqualFunc(got, tc.want, findingEq) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

// packetBody is the rdf:RDF element of a generated packet.
func packetBody(pk []byte) []byte {
	s := string(pk)
	i := strings.Index(s, "<rdf:RDF")
	j := strings.Index(s, "</rdf:RDF>") + len("</rdf:RDF>")
	return []byte(s[i:j])
}

func TestOrientation(t *testing.T) {
	tiff := `xmlns:t="http://ns.adobe.com/tiff/1.0/"`
	for _, tc := range []struct {
		name string
		in   []byte
		want int
	}{
		{"attribute", onePacket("q", "http://example.com/", tiff+` t:Orientation="6"`, ""), 6},
		{"element with spaces", onePacket("q", "http://example.com/", tiff, "<t:Orientation> 8 </t:Orientation>"), 8},
		{"generated packet", packet(desc([]string{"tiff:Orientation"}, "")), 0}, // marker value, not a digit
		{"out of range", onePacket("q", "http://example.com/", tiff+` t:Orientation="9"`, ""), 0},
		{"long text", onePacket("q", "http://example.com/", tiff, "<t:Orientation>"+strings.Repeat(" ", 100)+"3</t:Orientation>"), 0},
		{"other namespace", onePacket("q", "http://example.com/", `q:Orientation="6"`, ""), 0},
		{"first valid wins", onePacket("q", "http://example.com/", tiff+` t:Orientation="x"`,
			`<rdf:Description><t:Orientation>3</t:Orientation></rdf:Description>`), 3},
		{"none", packet(desc([]string{"exif:GPSLatitude"}, "")), 0},
		{"garbage", []byte("\x00<<"), 0},
	} {
		if got := Orientation(tc.in); got != tc.want {
			t.Errorf("%s: Orientation = %d, want %d", tc.name, got, tc.want)
		}
	}
}
