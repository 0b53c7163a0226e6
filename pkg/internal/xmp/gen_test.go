package xmp

import (
	"encoding/binary"
	"fmt"
	"strings"
	"unicode/utf16"
)

// Test generator: builds XMP packets whose every value is a unique marker
// ("PSMARKER0001", ...) so that leak tests can check that no value reaches
// a finding or an error.

const markerPrefix = "PSMARKER"

var markerN int

// v returns a fresh marker value.
func v() string {
	markerN++
	return fmt.Sprintf("%s%04d", markerPrefix, markerN)
}

// stdNS declares the namespaces the generated packets use.
const stdNS = ` xmlns:dc="http://purl.org/dc/elements/1.1/"` +
	` xmlns:xmp="http://ns.adobe.com/xap/1.0/"` +
	` xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"` +
	` xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/"` +
	` xmlns:xmpNote="http://ns.adobe.com/xmp/note/"` +
	` xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#"` +
	` xmlns:stRef="http://ns.adobe.com/xap/1.0/sType/ResourceRef#"` +
	` xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#"` +
	` xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#"` +
	` xmlns:exif="http://ns.adobe.com/exif/1.0/"` +
	` xmlns:exifEX="http://cipa.jp/exif/1.0/"` +
	` xmlns:tiff="http://ns.adobe.com/tiff/1.0/"` +
	` xmlns:aux="http://ns.adobe.com/exif/1.0/aux/"` +
	` xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"` +
	` xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"` +
	` xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"` +
	` xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"` +
	` xmlns:MP="http://ns.microsoft.com/photo/1.2/"` +
	` xmlns:MPRI="http://ns.microsoft.com/photo/1.2/t/RegionInfo#"` +
	` xmlns:MPReg="http://ns.microsoft.com/photo/1.2/t/Region#"` +
	` xmlns:lr="http://ns.adobe.com/lightroom/1.0/"` +
	` xmlns:drone-dji="http://www.dji.com/drone-dji/1.0/"` +
	` xmlns:GPano="http://ns.google.com/photos/1.0/panorama/"` +
	` xmlns:GCamera="http://ns.google.com/photos/1.0/camera/"` +
	` xmlns:Container="http://ns.google.com/photos/1.0/container/"` +
	` xmlns:Item="http://ns.google.com/photos/1.0/container/item/"` +
	` xmlns:hdrgm="http://ns.adobe.com/hdr-gain-map/1.0/"` +
	` xmlns:cell="http://developer.sonyericsson.com/cell/1.0/"`

// desc builds one rdf:Description with attribute properties attrs
// (name → value) and element body.
func desc(attrs []string, body string) string {
	var b strings.Builder
	b.WriteString(`<rdf:Description rdf:about="` + v() + `"` + stdNS)
	for _, a := range attrs {
		fmt.Fprintf(&b, "\n   %s=%q", a, v())
	}
	if body == "" {
		b.WriteString("/>")
		return b.String()
	}
	b.WriteString(">\n" + body + "\n</rdf:Description>")
	return b.String()
}

// packet wraps descriptions in x:xmpmeta/rdf:RDF and the xpacket wrapper
// with padding, as writers do.
func packet(descs ...string) []byte {
	return []byte(`<?xpacket begin="` + "\uFEFF" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>` + "\n" +
		`<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="` + v() + `">` + "\n" +
		`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` + "\n" +
		strings.Join(descs, "\n") + "\n</rdf:RDF>\n</x:xmpmeta>\n" +
		strings.Repeat(" ", 200) + "\n" + `<?xpacket end="w"?>`)
}

// elem is a simple element property <name>value</name>.
func elem(name string) string { return "<" + name + ">" + v() + "</" + name + ">" }

// arr is an array property of kind (Bag, Seq, Alt) with n simple items.
func arr(name, kind string, n int) string {
	var b strings.Builder
	b.WriteString("<" + name + "><rdf:" + kind + ">")
	for i := 0; i < n; i++ {
		if kind == "Alt" {
			b.WriteString(`<rdf:li xml:lang="x-default">` + v() + "</rdf:li>")
		} else {
			b.WriteString("<rdf:li>" + v() + "</rdf:li>")
		}
	}
	b.WriteString("</rdf:" + kind + "></" + name + ">")
	return b.String()
}

// resource is a struct property in rdf:parseType="Resource" form.
func resource(name string, fields ...string) string {
	return "<" + name + ` rdf:parseType="Resource">` + strings.Join(fields, "") + "</" + name + ">"
}

// utf16Packet encodes p as UTF-16 with an optional BOM.
func utf16Packet(p []byte, bo binary.AppendByteOrder, bom bool) []byte {
	u := utf16.Encode([]rune(string(p)))
	var out []byte
	if bom {
		out = bo.AppendUint16(out, 0xFEFF)
	}
	for _, c := range u {
		out = bo.AppendUint16(out, c)
	}
	return out
}

// utf32Packet encodes p as UTF-32 with a BOM.
func utf32Packet(p []byte, bo binary.AppendByteOrder) []byte {
	out := bo.AppendUint32(nil, 0xFEFF)
	for _, r := range string(p) {
		out = bo.AppendUint32(out, uint32(r))
	}
	return out
}
