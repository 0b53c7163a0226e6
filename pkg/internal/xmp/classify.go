package xmp

import (
	"strings"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

const (
	loc = meta.Location
	idn = meta.Identity
	emb = meta.Embedded
	cmt = meta.Comment
	oth = meta.Other
)

// schema describes one namespace: its conventional prefix, the categories of
// named properties, categories by name prefix, and a default for the rest
// ("" = no default: keyword rules, then Other).
type schema struct {
	prefix   string
	props    map[string]meta.Category
	prefixes []prefixRule
	def      meta.Category
}

type prefixRule struct {
	p string
	c meta.Category
}

// namespaces maps namespace URIs to schemas. Classification is by URI; the
// prefix a packet uses does not matter.
var namespaces = map[string]*schema{
	"http://purl.org/dc/elements/1.1/": {prefix: "dc", props: map[string]meta.Category{
		"creator": idn, "rights": idn, "publisher": idn, "contributor": idn,
		"identifier": idn, "source": idn,
		"description": cmt, "title": cmt, "subject": cmt,
		"coverage": loc, // "spatial or temporal topic": may be a place
	}},
	"http://ns.adobe.com/xap/1.0/": {prefix: "xmp", props: map[string]meta.Category{
		"CreatorTool": idn, "Identifier": idn, "Author": idn, "BaseURL": idn,
		"Thumbnails": emb,
	}},
	"http://ns.adobe.com/xap/1.0/rights/": {prefix: "xmpRights", def: idn},
	"http://ns.adobe.com/xap/1.0/mm/":     {prefix: "xmpMM", def: idn},
	"http://ns.adobe.com/xap/1.0/bj/":     {prefix: "xmpBJ", def: idn},
	"http://ns.adobe.com/xap/1.0/t/pg/":   {prefix: "xmpTPg"},
	"http://ns.adobe.com/xap/1.0/g/img/":  {prefix: "xmpGImg", def: emb},
	"http://ns.adobe.com/xmp/1.0/DynamicMedia/": {prefix: "xmpDM", props: map[string]meta.Category{
		"artist": idn, "composer": idn, "engineer": idn, "director": idn,
		"shotLocation": loc, "logComment": cmt,
	}},
	nsXMPNote: {prefix: "xmpNote"},
	"http://ns.adobe.com/xmp/Identifier/qual/1.0/":     {prefix: "xmpidq"},
	"http://ns.adobe.com/xap/1.0/sType/ResourceEvent#": {prefix: "stEvt", def: idn},
	"http://ns.adobe.com/xap/1.0/sType/ResourceRef#":   {prefix: "stRef", def: idn},
	"http://ns.adobe.com/xap/1.0/sType/Version#":       {prefix: "stVer", def: idn},
	"http://ns.adobe.com/xap/1.0/sType/Job#":           {prefix: "stJob", def: idn},
	"http://ns.adobe.com/xap/1.0/sType/ManifestItem#":  {prefix: "stMfs", def: idn},
	"http://ns.adobe.com/xap/1.0/sType/Dimensions#":    {prefix: "stDim"},
	"http://ns.adobe.com/xmp/sType/Area#":              {prefix: "stArea"},
	"http://ns.adobe.com/xap/1.0/sType/Font#":          {prefix: "stFnt"},
	"http://ns.adobe.com/pdf/1.3/": {prefix: "pdf", props: map[string]meta.Category{
		"Author": idn, "Producer": idn, "Keywords": cmt,
	}},
	"http://ns.adobe.com/photoshop/1.0/": {prefix: "photoshop", props: map[string]meta.Category{
		"City": loc, "State": loc, "Country": loc,
		"AuthorsPosition": idn, "Credit": idn, "Source": idn, "CaptionWriter": idn,
		"DocumentAncestors": idn, "TransmissionReference": idn, "History": idn,
		"Headline": cmt, "Instructions": cmt, "TextLayers": cmt,
	}},
	"http://ns.adobe.com/camera-raw-settings/1.0/": {prefix: "crs", props: map[string]meta.Category{
		"RawFileName": idn,
	}},
	"http://ns.adobe.com/tiff/1.0/": {prefix: "tiff", props: map[string]meta.Category{
		"Make": idn, "Model": idn, "Artist": idn, "Copyright": idn, "Software": idn,
		"HostComputer": idn, "ImageDescription": cmt,
	}},
	"http://ns.adobe.com/exif/1.0/": {prefix: "exif", props: map[string]meta.Category{
		"UserComment": cmt, "ImageUniqueID": idn, "MakerNote": emb,
		"SubjectLocation": oth, // pixel position of the subject, not a place
	}},
	"http://cipa.jp/exif/1.0/": {prefix: "exifEX", props: map[string]meta.Category{
		"BodySerialNumber": idn, "CameraOwnerName": idn, "LensSerialNumber": idn,
		"Photographer": idn, "ImageEditor": idn, "CameraFirmware": idn,
		"RAWDevelopingSoftware": idn, "ImageEditingSoftware": idn,
		"MetadataEditingSoftware": idn, "ImageUniqueID": idn,
		"SubjectLocation": oth,
	}},
	"http://ns.adobe.com/exif/1.0/aux/": {prefix: "aux", props: map[string]meta.Category{
		"SerialNumber": idn, "OwnerName": idn, "LensSerialNumber": idn, "Firmware": idn,
	}},
	"http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/": {prefix: "Iptc4xmpCore", props: map[string]meta.Category{
		"Location": loc, "CountryCode": loc,
		"CreatorContactInfo":   idn,
		"AltTextAccessibility": cmt, "ExtDescrAccessibility": cmt,
	}, prefixes: []prefixRule{{"CiAdr", idn}, {"CiEmail", idn}, {"CiTel", idn}, {"CiUrl", idn}}},
	"http://iptc.org/std/Iptc4xmpExt/2008-02-29/": {prefix: "Iptc4xmpExt", props: map[string]meta.Category{
		"LocationCreated": loc, "LocationShown": loc, "City": loc, "ProvinceState": loc,
		"CountryName": loc, "CountryCode": loc, "Sublocation": loc, "WorldRegion": loc,
		"GPSLatitude": loc, "GPSLongitude": loc, "GPSAltitude": loc, "GPSAltitudeRef": loc,
		"LocationId": loc, "LocationName": loc,
		"PersonInImage": idn, "PersonInImageWDetails": idn, "PersonName": idn, "PersonId": idn,
		"DigImageGUID": idn, "ImageRegion": idn, "AOCreator": idn, "AOCreatorId": idn,
		"Contributor": idn, "RegistryId": idn, "ModelAge": idn, "AddlModelInfo": idn,
	}},
	"http://ns.useplus.org/ldf/xmp/1.0/":                       {prefix: "plus", def: idn},
	"http://www.metadataworkinggroup.com/schemas/regions/":     {prefix: "mwg-rs", def: idn},
	"http://www.metadataworkinggroup.com/schemas/keywords/":    {prefix: "mwg-kw", def: cmt},
	"http://www.metadataworkinggroup.com/schemas/collections/": {prefix: "mwg-coll"},
	"http://ns.microsoft.com/photo/1.2/": {prefix: "MP", props: map[string]meta.Category{
		"RegionInfo": idn,
	}},
	"http://ns.microsoft.com/photo/1.2/t/RegionInfo#": {prefix: "MPRI", def: idn},
	"http://ns.microsoft.com/photo/1.2/t/Region#":     {prefix: "MPReg", def: idn},
	"http://ns.microsoft.com/photo/1.0/":              {prefix: "MicrosoftPhoto", props: msPhoto},
	"http://ns.microsoft.com/photo/1.0":               {prefix: "MicrosoftPhoto", props: msPhoto},
	"http://ns.apple.com/faceinfo/1.0/":               {prefix: "apple-fi", def: idn},
	"http://ns.adobe.com/lightroom/1.0/": {prefix: "lr", props: map[string]meta.Category{
		"hierarchicalSubject": cmt, "weightedFlatSubject": cmt,
	}},
	"http://www.digikam.org/ns/1.0/": {prefix: "digiKam", props: map[string]meta.Category{
		"TagsList": cmt,
	}},
	"http://ns.iview-multimedia.com/mediapro/1.0/": {prefix: "mediapro", props: map[string]meta.Category{
		"People": idn, "Event": cmt,
	}},
	"http://ns.camerabits.com/photomechanic/1.0/": {prefix: "photomechanic"},
	"http://ns.adobe.com/iX/1.0/":                 {prefix: "iX"},
	// Drone telemetry (position, height, attitude of the aircraft) and
	// phone cell / geotagging schemas: the whole namespace is location.
	"http://www.dji.com/drone-dji/1.0/":           {prefix: "drone-dji", def: loc},
	"http://www.parrot.com/drone-parrot/1.0/":     {prefix: "drone-parrot", def: loc},
	"https://www.skydio.com/drone-skydio/1.0/":    {prefix: "drone-skydio", def: loc},
	"http://developer.sonyericsson.com/cell/1.0/": {prefix: "cell", def: loc},
	"http://www.geotate.com/Geotate/1.0/":         {prefix: "Geotate", def: loc},
	"http://rs.tdwg.org/dwc/index.htm":            {prefix: "dwc"},
	// GPano describes the panorama's pose and crop, not where it was taken.
	"http://ns.google.com/photos/1.0/panorama/": {prefix: "GPano"},
	// Google camera: motion-photo video and HDR+ maker note are embedded
	// payloads; a burst ID links shots together.
	"http://ns.google.com/photos/1.0/camera/": {prefix: "GCamera", props: map[string]meta.Category{
		"HdrPlusMakernote": emb, "BurstID": idn,
	}, prefixes: []prefixRule{{"MicroVideo", emb}, {"MotionPhoto", emb}}},
	"http://ns.google.com/photos/1.0/container/":      {prefix: "Container", def: emb},
	"http://ns.google.com/photos/1.0/container/item/": {prefix: "Item", def: emb},
	"http://ns.google.com/photos/1.0/depthmap/":       {prefix: "GDepth", def: emb},
	"http://ns.google.com/photos/1.0/image/":          {prefix: "GImage", def: emb},
	"http://ns.google.com/photos/1.0/audio/":          {prefix: "GAudio", def: emb},
	"http://ns.adobe.com/hdr-gain-map/1.0/":           {prefix: "hdrgm", def: emb},
	"http://ns.apple.com/HDRGainMap/1.0/":             {prefix: "HDRGainMap", def: emb},
}

var msPhoto = map[string]meta.Category{
	"LastKeywordXMP": cmt, "LastKeywordIPTC": cmt, "CameraSerialNumber": idn,
}

// embeddedURIPrefixes are namespace families whose every property describes
// an embedded image (Android Dynamic Depth: Device, Camera, Image, ...).
var embeddedURIPrefixes = []string{"http://ns.google.com/photos/dd/1.0/"}

// conventionalURI maps conventional prefixes back to URIs, used only for
// prefixes a packet forgot to declare.
var conventionalURI = func() map[string]string {
	m := map[string]string{"rdf": nsRDF, "x": nsX}
	for uri, s := range namespaces {
		if _, dup := m[s.prefix]; !dup {
			m[s.prefix] = uri
		}
	}
	m["MicrosoftPhoto"] = "http://ns.microsoft.com/photo/1.0/"
	m["xap"] = "http://ns.adobe.com/xap/1.0/"
	m["xapMM"] = "http://ns.adobe.com/xap/1.0/mm/"
	m["xapRights"] = "http://ns.adobe.com/xap/1.0/rights/"
	return m
}()

// Keywords matched case-insensitively in local names of any namespace.
var (
	// "city" is left out: it would match crs:Opacity, exif:Velocity...
	locationWords = []string{"latitude", "longitude", "altitude", "gps", "location", "coordinates", "geotag", "country", "province"}
	identityWords = []string{"serialnumber", "owner", "author", "artist", "creator", "copyright", "email", "phone", "person",
		"photographer", "licensor", "software"}
	commentWords = []string{"comment", "description", "caption", "keyword", "headline"}
)

// classify returns the category of the property local in namespace uri,
// nested in a structure whose category is parent ("" at top level).
// Order: the schema's named properties and name prefixes; keyword rules
// (location first, so a GPS field is location wherever it sits); the
// enclosing structure's category; the schema default; Other.
func classify(uri, local string, parent meta.Category) meta.Category {
	s := namespaces[uri]
	if s != nil {
		if c, ok := s.props[local]; ok {
			return c
		}
		for _, r := range s.prefixes {
			if strings.HasPrefix(local, r.p) {
				return r.c
			}
		}
	}
	l := strings.ToLower(local)
	switch {
	case containsAny(l, locationWords):
		return loc
	case containsAny(l, identityWords):
		return idn
	case containsAny(l, commentWords):
		return cmt
	case parent != "" && parent != oth:
		return parent
	case s != nil && s.def != "":
		return s.def
	}
	for _, p := range embeddedURIPrefixes {
		if strings.HasPrefix(uri, p) {
			return emb
		}
	}
	return oth
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
