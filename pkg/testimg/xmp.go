package testimg

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"strings"
)

// XMPOptions selects the form of XMPPacket's output.
type XMPOptions struct {
	// Markers supplies every value; the zero value means DefaultMarkers().
	Markers Markers
	// Attributes writes simple properties in the RDF shorthand attribute
	// form (exif:GPSLatitude="...") instead of child elements.
	Attributes bool
	// ExtendedGUID, when non-empty, adds xmpNote:HasExtendedXMP with this
	// 32-hex-digit GUID (the MD5 of the extended serialization).
	ExtendedGUID string
	// Width and Height are the mwg-rs:AppliedToDimensions (default 600×800).
	Width, Height int
	// Padding adds this many bytes of whitespace before the trailer, as
	// editors do to allow in-place updates.
	Padding int
}

// XMP namespaces used by the builders.
const xmpNamespaces = ` xmlns:exif="http://ns.adobe.com/exif/1.0/"
  xmlns:aux="http://ns.adobe.com/exif/1.0/aux/"
  xmlns:xmp="http://ns.adobe.com/xap/1.0/"
  xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
  xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
  xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#"
  xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"
  xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#"
  xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#"
  xmlns:drone-dji="http://www.dji.com/drone-dji/1.0/"
  xmlns:xmpNote="http://ns.adobe.com/xmp/note/"`

// XMPPacket returns an xpacket-wrapped RDF/XML XMP packet carrying
// exif:GPSLatitude/GPSLongitude/GPSAltitude (XMP "51,30.4332N" form),
// photoshop:City/State/Country, an Iptc4xmpExt:LocationCreated structure
// (with its own GPS), dc:creator, dc:description, dc:subject, aux serial
// numbers, xmpMM:DocumentID/InstanceID/History, an mwg-rs face region
// naming a person, drone-dji:GpsLatitude/GpsLongitude and optionally
// xmpNote:HasExtendedXMP. Output is deterministic.
func XMPPacket(o XMPOptions) []byte {
	m := o.Markers.orDefault()
	w, h := o.Width, o.Height
	if w <= 0 || h <= 0 {
		w, h = 600, 800
	}
	simple := [][2]string{
		{"exif:GPSLatitude", xmpCoord(m.Lat, "N", "S")},
		{"exif:GPSLongitude", xmpCoord(m.Lon, "E", "W")},
		{"exif:GPSAltitude", fmt.Sprintf("%d/100", int64(math.Round(math.Abs(m.Alt)*100)))},
		{"exif:GPSAltitudeRef", "0"},
		{"photoshop:City", m.City},
		{"photoshop:State", m.State},
		{"photoshop:Country", m.Country},
		{"aux:SerialNumber", m.Serial},
		{"aux:LensSerialNumber", m.LensSerial},
		{"aux:OwnerName", m.Owner},
		{"xmp:CreatorTool", m.Software},
		{"xmpMM:DocumentID", "xmp.did:" + m.DocumentID},
		{"xmpMM:InstanceID", "xmp.iid:" + m.InstanceID},
		{"drone-dji:GpsLatitude", fmt.Sprintf("%+.5f", m.Lat)},
		{"drone-dji:GpsLongitude", fmt.Sprintf("%+.5f", m.Lon)},
	}
	if o.ExtendedGUID != "" {
		simple = append(simple, [2]string{"xmpNote:HasExtendedXMP", o.ExtendedGUID})
	}
	var b bytes.Buffer
	b.WriteString("<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n")
	b.WriteString("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\" x:xmptk=\"photoscrub testimg\">\n")
	b.WriteString(" <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n")
	b.WriteString("  <rdf:Description rdf:about=\"\"\n ")
	b.WriteString(xmpNamespaces)
	if o.Attributes {
		for _, p := range simple {
			fmt.Fprintf(&b, "\n   %s=\"%s\"", p[0], xmpEsc(p[1]))
		}
	}
	b.WriteString(">\n")
	if !o.Attributes {
		for _, p := range simple {
			fmt.Fprintf(&b, "   <%s>%s</%s>\n", p[0], xmpEsc(p[1]), p[0])
		}
	}
	fmt.Fprintf(&b, `   <dc:creator><rdf:Seq><rdf:li>%s</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">%s</rdf:li></rdf:Alt></dc:description>
   <dc:subject><rdf:Bag><rdf:li>%s</rdf:li></rdf:Bag></dc:subject>
   <Iptc4xmpExt:LocationCreated>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <Iptc4xmpExt:City>%s</Iptc4xmpExt:City>
      <Iptc4xmpExt:Sublocation>%s</Iptc4xmpExt:Sublocation>
      <Iptc4xmpExt:ProvinceState>%s</Iptc4xmpExt:ProvinceState>
      <Iptc4xmpExt:CountryName>%s</Iptc4xmpExt:CountryName>
      <exif:GPSLatitude>%s</exif:GPSLatitude>
      <exif:GPSLongitude>%s</exif:GPSLongitude>
     </rdf:li>
    </rdf:Bag>
   </Iptc4xmpExt:LocationCreated>
   <xmpMM:History>
    <rdf:Seq>
     <rdf:li rdf:parseType="Resource">
      <stEvt:action>saved</stEvt:action>
      <stEvt:instanceID>xmp.iid:%s</stEvt:instanceID>
      <stEvt:when>2017-03-09T14:27:53%s</stEvt:when>
      <stEvt:softwareAgent>%s</stEvt:softwareAgent>
     </rdf:li>
    </rdf:Seq>
   </xmpMM:History>
   <mwg-rs:Regions rdf:parseType="Resource">
    <mwg-rs:AppliedToDimensions stDim:w="%d" stDim:h="%d" stDim:unit="pixel"/>
    <mwg-rs:RegionList>
     <rdf:Bag>
      <rdf:li rdf:parseType="Resource">
       <mwg-rs:Name>%s</mwg-rs:Name>
       <mwg-rs:Type>Face</mwg-rs:Type>
       <mwg-rs:Area stArea:x="0.5" stArea:y="0.4" stArea:w="0.3" stArea:h="0.35" stArea:unit="normalized"/>
      </rdf:li>
     </rdf:Bag>
    </mwg-rs:RegionList>
   </mwg-rs:Regions>
`, xmpEsc(m.Creator), xmpEsc(m.Description), xmpEsc(m.Keyword),
		xmpEsc(m.City), xmpEsc(m.Sublocation), xmpEsc(m.State), xmpEsc(m.Country),
		xmpCoord(m.Lat, "N", "S"), xmpCoord(m.Lon, "E", "W"),
		xmpEsc(m.InstanceID), xmpEsc(m.Offset), xmpEsc(m.Software),
		w, h, xmpEsc(m.Person))
	b.WriteString("  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n")
	for i := 0; i < o.Padding; i += 100 {
		n := min(100, o.Padding-i)
		b.WriteString(strings.Repeat(" ", n-1))
		b.WriteByte('\n')
	}
	b.WriteString("<?xpacket end=\"w\"?>")
	return b.Bytes()
}

// xmpExtendedBody returns the serialized extended XMP (an x:xmpmeta
// without xpacket wrapper, per XMP Part 3 §1.1.3.1) of at least size bytes:
// a second dc:description-like property plus filler, carrying the Person
// and Comment markers and GPS in an Iptc4xmpExt:LocationShown structure.
func xmpExtendedBody(m Markers, size int) []byte {
	var b bytes.Buffer
	b.WriteString("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n")
	b.WriteString("  <rdf:Description rdf:about=\"\"\n   xmlns:Iptc4xmpExt=\"http://iptc.org/std/Iptc4xmpExt/2008-02-29/\"\n   xmlns:exif=\"http://ns.adobe.com/exif/1.0/\"\n   xmlns:xmpNote=\"http://ns.adobe.com/xmp/note/\">\n")
	fmt.Fprintf(&b, "   <Iptc4xmpExt:PersonInImage><rdf:Bag><rdf:li>%s</rdf:li></rdf:Bag></Iptc4xmpExt:PersonInImage>\n", xmpEsc(m.Person))
	fmt.Fprintf(&b, "   <Iptc4xmpExt:LocationShown><rdf:Bag><rdf:li rdf:parseType=\"Resource\"><Iptc4xmpExt:City>%s</Iptc4xmpExt:City><exif:GPSLatitude>%s</exif:GPSLatitude><exif:GPSLongitude>%s</exif:GPSLongitude></rdf:li></rdf:Bag></Iptc4xmpExt:LocationShown>\n",
		xmpEsc(m.City), xmpCoord(m.Lat, "N", "S"), xmpCoord(m.Lon, "E", "W"))
	b.WriteString("   <Iptc4xmpExt:AOTitle><rdf:Alt><rdf:li xml:lang=\"x-default\">")
	b.WriteString(xmpEsc(m.Comment))
	// Deterministic filler so the body spans several APP1 segments.
	for i := 0; b.Len() < size-200; i++ {
		fmt.Fprintf(&b, " filler-%06d", i)
	}
	b.WriteString("</rdf:li></rdf:Alt></Iptc4xmpExt:AOTitle>\n  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n")
	return b.Bytes()
}

// xmpCoord renders v in the XMP GPSCoordinate form "DDD,MM.mmmmK".
func xmpCoord(v float64, pos, neg string) string {
	d, mi := mkDecMinutes(v)
	ref := pos
	if v < 0 {
		ref = neg
	}
	return fmt.Sprintf("%d,%.4f%s", d, mi, ref)
}

func xmpEsc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
