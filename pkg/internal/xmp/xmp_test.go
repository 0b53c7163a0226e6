package xmp

import (
	"encoding/binary"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

const (
	where = "APP1 XMP"
	unreg = tagUnregistered
)

func f(c meta.Category, tags ...string) meta.Finding {
	t := slices.Clone(tags)
	slices.Sort(t)
	if t == nil {
		t = []string{}
	}
	return meta.Finding{Category: c, Where: where, Tags: t}
}

type xmpCase struct {
	name    string
	in      []byte
	want    []meta.Finding
	wantErr bool
}

func xmpCases() []xmpCase {
	gpsAttr := packet(desc([]string{"exif:GPSLatitude", "exif:GPSLongitude", "exif:GPSAltitudeRef", "exif:DateTimeOriginal", "exif:SubjectLocation"}, ""))
	gpsElem := packet(desc(nil, elem("exif:GPSLatitude")+elem("exif:GPSLongitude")+elem("exif:GPSTimeStamp")+
		`<exif:Flash rdf:parseType="Resource">`+elem("exif:Fired")+elem("exif:Mode")+`</exif:Flash>`+
		`<exif:ISOSpeedRatings><rdf:Seq><rdf:li>`+v()+`</rdf:li></rdf:Seq></exif:ISOSpeedRatings>`))
	locStruct := packet(desc([]string{"photoshop:City", "photoshop:State", "photoshop:Country", "Iptc4xmpCore:Location", "Iptc4xmpCore:CountryCode"},
		resource("Iptc4xmpExt:LocationCreated",
			elem("Iptc4xmpExt:City"), elem("Iptc4xmpExt:ProvinceState"), elem("Iptc4xmpExt:CountryName"),
			elem("Iptc4xmpExt:Sublocation"), elem("Iptc4xmpExt:WorldRegion"), elem("exif:GPSLatitude"),
			elem("Iptc4xmpExt:Identifier"))+
			`<Iptc4xmpExt:LocationShown><rdf:Bag><rdf:li><rdf:Description Iptc4xmpExt:CountryCode="`+v()+`">`+
			elem("Iptc4xmpExt:LocationName")+`</rdf:Description></rdf:li></rdf:Bag></Iptc4xmpExt:LocationShown>`))
	drone := packet(desc([]string{"tiff:Make", "tiff:Model", "xmp:ModifyDate", "drone-dji:GpsLatitude", "drone-dji:GpsLongitude",
		"drone-dji:AbsoluteAltitude", "drone-dji:RelativeAltitude", "drone-dji:FlightYawDegree", "GPano:PoseHeadingDegrees"}, ""))
	faces := packet(desc(nil,
		resource("mwg-rs:Regions",
			resource("mwg-rs:AppliedToDimensions", elem("stDim:w"), elem("stDim:h")),
			`<mwg-rs:RegionList><rdf:Bag><rdf:li><rdf:Description mwg-rs:Name="`+v()+`" mwg-rs:Type="`+v()+`">`+
				`<mwg-rs:Area stArea:x="`+v()+`" stArea:y="`+v()+`"/></rdf:Description></rdf:li></rdf:Bag></mwg-rs:RegionList>`)+
			`<MP:RegionInfo><rdf:Description><MPRI:Regions><rdf:Bag><rdf:li MPReg:PersonDisplayName="`+v()+`" MPReg:Rectangle="`+v()+`"/>`+
			`</rdf:Bag></MPRI:Regions></rdf:Description></MP:RegionInfo>`+
			arr("Iptc4xmpExt:PersonInImage", "Bag", 2)))
	identity := packet(desc([]string{"xmpMM:DocumentID", "xmpMM:InstanceID", "xmp:CreatorTool", "aux:SerialNumber", "exifEX:BodySerialNumber",
		"xmpRights:Marked", "photoshop:Credit", "tiff:Artist"},
		arr("dc:creator", "Seq", 2)+arr("dc:rights", "Alt", 1)+
			`<xmpMM:History><rdf:Seq><rdf:li stEvt:action="`+v()+`" stEvt:softwareAgent="`+v()+`"/>`+
			`<rdf:li rdf:parseType="Resource">`+elem("stEvt:when")+`</rdf:li></rdf:Seq></xmpMM:History>`+
			resource("xmpMM:DerivedFrom", elem("stRef:filePath"))+
			resource("Iptc4xmpCore:CreatorContactInfo", elem("Iptc4xmpCore:CiAdrCity"), elem("Iptc4xmpCore:CiEmailWork"))))
	comment := packet(desc([]string{"photoshop:Headline", "exif:UserComment"},
		arr("dc:description", "Alt", 2)+arr("dc:title", "Alt", 1)+arr("dc:subject", "Bag", 3)+arr("lr:hierarchicalSubject", "Bag", 1)))
	embedded := packet(desc([]string{"GCamera:MicroVideo", "GCamera:MicroVideoOffset", "GCamera:MotionPhoto", "hdrgm:Version", "GPano:ProjectionType"},
		`<Container:Directory><rdf:Seq><rdf:li rdf:parseType="Resource"><Container:Item Item:Mime="`+v()+`" Item:Semantic="`+v()+`" Item:Length="`+v()+`"/>`+
			`</rdf:li></rdf:Seq></Container:Directory>`))
	guidAttr := packet(desc([]string{"xmp:ModifyDate"}, ""),
		`<rdf:Description rdf:about="" xmlns:xmpNote="http://ns.adobe.com/xmp/note/" xmpNote:HasExtendedXMP="0123456789ABCDEF0123456789ABCDEF"/>`)
	otherNS := packet(`<rdf:Description rdf:about="" xmlns:my="http://example.com/` + v() + `/" xmlns:e="http://ns.adobe.com/exif/1.0/"` +
		` my:Rating="` + v() + `" my:HomeLatitude="` + v() + `" e:GPSAltitude="` + v() + `" about="" xml:lang="en"` +
		` my:CountryCode="` + v() + `" my:Photographer="` + v() + `" my:Opacity="` + v() + `" my:CaptureSoftware="` + v() + `"/>`)
	undeclared := []byte(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
		`<rdf:Description exif:GPSLatitude="` + v() + `"/></rdf:RDF></x:xmpmeta>`)
	literal := packet(desc(nil, `<dc:format rdf:parseType="Literal"><b>`+v()+`</b><exif:GPSLatitude>`+v()+`</exif:GPSLatitude></dc:format>`))
	cell := packet(desc([]string{"cell:mcc", "cell:lac", "cell:cellid"}, ""))

	truncated := gpsElem[:strings.Index(string(gpsElem), "<exif:Flash")+5]
	var deep strings.Builder
	deep.WriteString(`<x:xmpmeta xmlns:x="adobe:ns:meta/">`)
	for i := 0; i < 100000; i++ {
		deep.WriteString("<a>")
	}
	laughs := []byte(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">` +
		`<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
		`<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">` +
		`<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>` +
		`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
		`<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="` + v() + `">` +
		`<dc:title xmlns:dc="http://purl.org/dc/elements/1.1/">&lol9;</dc:title></rdf:Description></rdf:RDF></x:xmpmeta>`)
	doctypeOnly := []byte(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x:xmpmeta xmlns:x="adobe:ns:meta/">` +
		`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="` +
		v() + `"/></rdf:RDF></x:xmpmeta>`)
	latin1 := append([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?><x:xmpmeta xmlns:x="adobe:ns:meta/">`+
		`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:City="`+v()),
		[]byte("\xe9\"/></rdf:RDF></x:xmpmeta>")...)
	utf16Src := packet(desc([]string{"exif:GPSLatitude"}, ""))
	padded := append(packet(desc([]string{"exif:GPSLongitude"}, "")), 0, 0, 0, 0)

	gpsAttrWant := []meta.Finding{f(meta.Location, "exif:GPSLatitude", "exif:GPSLongitude", "exif:GPSAltitudeRef"), f(meta.Other, "exif:DateTimeOriginal", "exif:SubjectLocation")}
	return []xmpCase{
		{"attribute form", gpsAttr, gpsAttrWant, false},
		{"element form", gpsElem, []meta.Finding{
			f(meta.Location, "exif:GPSLatitude", "exif:GPSLongitude", "exif:GPSTimeStamp"),
			f(meta.Other, "exif:Flash", "exif:Fired", "exif:Mode", "exif:ISOSpeedRatings")}, false},
		{"location structs", locStruct, []meta.Finding{f(meta.Location,
			"photoshop:City", "photoshop:State", "photoshop:Country", "Iptc4xmpCore:Location", "Iptc4xmpCore:CountryCode",
			"Iptc4xmpExt:LocationCreated", "Iptc4xmpExt:City", "Iptc4xmpExt:ProvinceState", "Iptc4xmpExt:CountryName",
			"Iptc4xmpExt:Sublocation", "Iptc4xmpExt:WorldRegion", "exif:GPSLatitude", "Iptc4xmpExt:Identifier",
			"Iptc4xmpExt:LocationShown", "Iptc4xmpExt:CountryCode", "Iptc4xmpExt:LocationName")}, false},
		{"drone-dji", drone, []meta.Finding{
			f(meta.Location, "drone-dji:GpsLatitude", "drone-dji:GpsLongitude", "drone-dji:AbsoluteAltitude", "drone-dji:RelativeAltitude", "drone-dji:FlightYawDegree"),
			f(meta.Identity, "tiff:Make", "tiff:Model"),
			f(meta.Other, "xmp:ModifyDate", "GPano:PoseHeadingDegrees")}, false},
		{"face regions", faces, []meta.Finding{f(meta.Identity,
			"mwg-rs:Regions", "mwg-rs:AppliedToDimensions", "stDim:w", "stDim:h", "mwg-rs:RegionList", "mwg-rs:Name", "mwg-rs:Type",
			"mwg-rs:Area", "stArea:x", "stArea:y", "MP:RegionInfo", "MPRI:Regions", "MPReg:PersonDisplayName", "MPReg:Rectangle",
			"Iptc4xmpExt:PersonInImage")}, false},
		{"identity and history", identity, []meta.Finding{f(meta.Identity,
			"xmpMM:DocumentID", "xmpMM:InstanceID", "xmp:CreatorTool", "aux:SerialNumber", "exifEX:BodySerialNumber", "xmpRights:Marked",
			"photoshop:Credit", "tiff:Artist", "dc:creator", "dc:rights", "xmpMM:History", "stEvt:action", "stEvt:softwareAgent", "stEvt:when",
			"xmpMM:DerivedFrom", "stRef:filePath", "Iptc4xmpCore:CreatorContactInfo", "Iptc4xmpCore:CiAdrCity", "Iptc4xmpCore:CiEmailWork")}, false},
		{"comments", comment, []meta.Finding{f(meta.Comment,
			"photoshop:Headline", "exif:UserComment", "dc:description", "dc:title", "dc:subject", "lr:hierarchicalSubject")}, false},
		{"embedded", embedded, []meta.Finding{
			f(meta.Embedded, "GCamera:MicroVideo", "GCamera:MicroVideoOffset", "GCamera:MotionPhoto", "hdrgm:Version",
				"Container:Directory", "Container:Item", "Item:Mime", "Item:Semantic", "Item:Length"),
			f(meta.Other, "GPano:ProjectionType")}, false},
		{"extended xmp guid", guidAttr, []meta.Finding{f(meta.Other, "xmp:ModifyDate", "xmpNote:HasExtendedXMP")}, false},
		{"unknown namespace by URI", otherNS, []meta.Finding{
			f(meta.Location, unreg, "exif:GPSAltitude"),
			f(meta.Identity, unreg),
			f(meta.Other, unreg)}, false},
		{"undeclared conventional prefix", undeclared, []meta.Finding{f(meta.Location, "exif:GPSLatitude")}, false},
		{"parseType Literal content is not properties", literal, []meta.Finding{f(meta.Other, "dc:format")}, false},
		{"phone cell namespace", cell, []meta.Finding{f(meta.Location, "cell:mcc", "cell:lac", "cell:cellid")}, false},
		{"empty xmpmeta", []byte(`<x:xmpmeta xmlns:x="adobe:ns:meta/"/>`), []meta.Finding{f(meta.Other, "XMP")}, false},
		{"xmpmeta without rdf", []byte(`<?xpacket begin="" id="x"?><x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="` + v() + `"></x:xmpmeta><?xpacket end="w"?>`),
			[]meta.Finding{f(meta.Other, "XMP")}, false},
		{"utf-8 bom", append([]byte("\xEF\xBB\xBF"), gpsAttr...), gpsAttrWant, false},
		{"trailing NUL padding", padded, []meta.Finding{f(meta.Location, "exif:GPSLongitude")}, false},
		{"utf-16le bom", utf16Packet(utf16Src, binary.LittleEndian, true), []meta.Finding{f(meta.Location, "exif:GPSLatitude")}, false},
		{"utf-16be bom", utf16Packet(utf16Src, binary.BigEndian, true), []meta.Finding{f(meta.Location, "exif:GPSLatitude")}, false},
		{"utf-16le no bom", utf16Packet(utf16Src, binary.LittleEndian, false), []meta.Finding{f(meta.Location, "exif:GPSLatitude")}, false},
		{"utf-32be bom", utf32Packet(utf16Src, binary.BigEndian), []meta.Finding{f(meta.Location, "exif:GPSLatitude")}, false},
		{"utf-16 odd length", append(utf16Packet(utf16Src, binary.LittleEndian, true), 'x'), []meta.Finding{f(meta.Unparsed, "XMP")}, true},
		{"latin-1 declared", latin1, []meta.Finding{f(meta.Location, "photoshop:City")}, false},
		{"latin-1 undeclared", latin1[strings.Index(string(latin1), "?>")+2:], []meta.Finding{f(meta.Location, "photoshop:City")}, false},
		{"stray BOM outside root", append([]byte("\uFEFF"), append(gpsAttr, "\uFEFF"...)...), gpsAttrWant, false},
		{"text outside root", append(append([]byte{}, gpsAttr...), "junk"...), append(slices.Clone(gpsAttrWant), f(meta.Unparsed, "XMP")), true},
		{"truncated xpacket trailer tolerated", gpsAttr[:len(gpsAttr)-2], gpsAttrWant, false},
		{"truncated keeps what was found", truncated, []meta.Finding{
			f(meta.Location, "exif:GPSLatitude", "exif:GPSLongitude", "exif:GPSTimeStamp"), f(meta.Unparsed, "XMP")}, true},
		{"mismatched end tag", []byte(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></x:xmpmeta>`),
			[]meta.Finding{f(meta.Unparsed, "XMP")}, true},
		{"not XML", []byte("PSMARKER9999 plain text"), []meta.Finding{f(meta.Unparsed, "XMP")}, true},
		{"empty", nil, []meta.Finding{f(meta.Unparsed, "XMP")}, true},
		{"deep nesting bomb", []byte(deep.String()), []meta.Finding{f(meta.Other, unreg), f(meta.Unparsed, "XMP")}, true},
		{"billion laughs not expanded", laughs, []meta.Finding{f(meta.Location, "exif:GPSLatitude"), f(meta.Comment, "dc:title"), f(meta.Unparsed, "XMP")}, true},
		{"doctype refused", doctypeOnly, []meta.Finding{f(meta.Location, "exif:GPSLatitude"), f(meta.Unparsed, "XMP")}, true},
	}
}

func TestInspect(t *testing.T) {
	for _, tc := range xmpCases() {
		t.Run(tc.name, func(t *testing.T) {
			var set meta.Set
			err := Inspect(tc.in, where, &set)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			var fe FormatError
			if err != nil && !errors.As(err, &fe) {
				t.Errorf("error %T is not a FormatError", err)
			}
			if got := set.List(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("findings\n got %v\nwant %v", got, tc.want)
			}
		})
	}
}

// TestNoValueLeaks plants a unique marker in every value of every generated
// packet and checks that none reaches a finding or an error string.
func TestNoValueLeaks(t *testing.T) {
	for _, tc := range xmpCases() {
		var set meta.Set
		err := Inspect(tc.in, where, &set)
		if err != nil && strings.Contains(err.Error(), markerPrefix) {
			t.Errorf("%s: error leaks a value: %v", tc.name, err)
		}
		for _, fd := range set.List() {
			if strings.Contains(fd.Where, markerPrefix) || slices.ContainsFunc(fd.Tags, func(s string) bool { return strings.Contains(s, markerPrefix) }) {
				t.Errorf("%s: finding leaks a value: %v", tc.name, fd)
			}
		}
	}
}

func TestExtendedGUID(t *testing.T) {
	const g = "0123456789ABCDEF0123456789ABCDEF"
	ns := `xmlns:xmpNote="http://ns.adobe.com/xmp/note/"`
	for _, tc := range []struct {
		name string
		in   []byte
		want string
		ok   bool
	}{
		{"attribute", packet(`<rdf:Description rdf:about="" ` + ns + ` xmpNote:HasExtendedXMP="` + g + `"/>`), g, true},
		{"element", packet(`<rdf:Description rdf:about="" ` + ns + `><xmpNote:HasExtendedXMP> ` + g + ` </xmpNote:HasExtendedXMP></rdf:Description>`), g, true},
		{"other prefix", packet(`<rdf:Description xmlns:n="http://ns.adobe.com/xmp/note/" n:HasExtendedXMP="` + g + `"/>`), g, true},
		{"wrong namespace", packet(`<rdf:Description xmlns:xmpNote="http://example.com/" xmpNote:HasExtendedXMP="` + g + `"/>`), "", false},
		{"not hex", packet(`<rdf:Description ` + ns + ` xmpNote:HasExtendedXMP="` + v() + `"/>`), "", false},
		{"too long", packet(`<rdf:Description ` + ns + `><xmpNote:HasExtendedXMP>` + strings.Repeat(g, 10) + `</xmpNote:HasExtendedXMP></rdf:Description>`), "", false},
		{"absent", packet(desc([]string{"exif:GPSLatitude"}, "")), "", false},
		{"garbage", []byte("\x00\xff<<"), "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ExtendedGUID(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("ExtendedGUID = %q, %v; want %q, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	t.Run("oversized packet", func(t *testing.T) {
		big := make([]byte, maxPacket+1)
		var set meta.Set
		if err := Inspect(big, where, &set); err == nil || !set.Has(meta.Unparsed) {
			t.Fatalf("err = %v, findings %v", err, set.List())
		}
	})
	t.Run("token cap", func(t *testing.T) {
		if testing.Short() {
			t.Skip("short")
		}
		doc := `<x:xmpmeta xmlns:x="adobe:ns:meta/">` + strings.Repeat("<a/>", maxTokens) + `</x:xmpmeta>`
		start := time.Now()
		var set meta.Set
		err := Inspect([]byte(doc), where, &set)
		if err == nil || !set.Has(meta.Unparsed) {
			t.Fatalf("err = %v", err)
		}
		t.Logf("%d bytes, %v", len(doc), time.Since(start))
	})
	t.Run("deep nesting is fast", func(t *testing.T) {
		doc := strings.Repeat("<a>", 1<<20)
		start := time.Now()
		var set meta.Set
		if err := Inspect([]byte(doc), where, &set); err == nil {
			t.Fatal("no error")
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("took %v", d)
		}
	})
}

// TestPrePassExact: the pre-pass of Orientation and ExtendedGUID never
// hides a property the full parse finds, in every accepted encoding.
func TestPrePassExact(t *testing.T) {
	const doc = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:t="http://ns.adobe.com/tiff/1.0/" xmlns:n="http://ns.adobe.com/xmp/note/" t:Orientation="6" n:HasExtendedXMP="0123456789abcdef0123456789ABCDEF"/></rdf:RDF></x:xmpmeta>`
	enc := map[string][]byte{"utf-8": []byte(doc), "bom": append([]byte{0xEF, 0xBB, 0xBF}, doc...)}
	var le16, be16, le32 []byte
	for _, r := range doc {
		le16 = append(le16, byte(r), 0)
		be16 = append(be16, 0, byte(r))
		le32 = append(le32, byte(r), 0, 0, 0)
	}
	enc["utf-16le"], enc["utf-16be"], enc["utf-32le"] = le16, be16, le32
	enc["utf-16le-bom"] = append([]byte{0xFF, 0xFE}, le16...)
	for name, p := range enc {
		if o := Orientation(p); o != 6 {
			t.Errorf("%s: orientation %d, want 6", name, o)
		}
		if g, ok := ExtendedGUID(p); !ok || g != "0123456789abcdef0123456789ABCDEF" {
			t.Errorf("%s: GUID %q %v", name, g, ok)
		}
		w := newWalker(nil)
		_ = parse(p, w)
		if w.orient != 6 {
			t.Errorf("%s: the full parse itself finds %d", name, w.orient)
		}
	}
	if Orientation([]byte(`<x:xmpmeta xmlns:x="adobe:ns:meta/"/>`)) != 0 {
		t.Error("orientation without the property")
	}
}

// TestLatin1Offsets: after a Latin-1 declaration the decoder counts
// converted bytes, more than the packet has. A broken tail must be an
// error (not a panic), and the cut-off trailer allowance must still apply.
func TestLatin1Offsets(t *testing.T) {
	decl := `<?xml version="1.0" encoding="ISO-8859-1"?>`
	high := strings.Repeat("\xe9", 80)
	root := `<x:xmpmeta xmlns:x="adobe:ns:meta/" x:note="` + high + `"/>`
	var set meta.Set
	if err := Inspect([]byte(decl+root+"<"), where, &set); err == nil {
		t.Error("broken tail after Latin-1 text: no error")
	}
	if err := Inspect([]byte(decl+root+`<?xpacket end="w"`), where, &set); err != nil {
		t.Errorf("cut-off trailer after Latin-1 text: %v", err)
	}
	if err := Inspect([]byte(decl+root+`<x:a>`+high+`<?xpacket end="w"`), where, &set); err == nil {
		t.Error("an element hidden before a cut-off trailer: no error")
	}
}
