package xmp

import "github.com/photoscrub/photoscrub/pkg/meta"

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

	// Filled by init from props and knownNames: the known local names with
	// their report tags, and the tag of any other property.
	names   map[string]nameInfo
	unknown string
}

// nameInfo is a known property: its report tag ("prefix:Local", built from
// our tables, never from the packet) and, when fixed, a category that does
// not depend on the enclosing structure.
type nameInfo struct {
	tag   string
	c     meta.Category
	fixed bool
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
	}, prefixes: gpsRules},
	"http://cipa.jp/exif/1.0/": {prefix: "exifEX", props: map[string]meta.Category{
		"BodySerialNumber": idn, "CameraOwnerName": idn, "LensSerialNumber": idn,
		"Photographer": idn, "ImageEditor": idn, "CameraFirmware": idn,
		"RAWDevelopingSoftware": idn, "ImageEditingSoftware": idn,
		"MetadataEditingSoftware": idn, "ImageUniqueID": idn,
		"SubjectLocation": oth,
	}, prefixes: gpsRules},
	// The W3C RDF rendering of Exif (lower-case names: gpsLatitude, ...).
	"http://www.w3.org/2003/12/exif/ns#": {prefix: "exifRDF", prefixes: []prefixRule{{"gps", loc}, {"offsetTime", loc}}},
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
		"PersonHeard": idn, "ContactInfoDetails": idn, "CVterm": cmt,
	}},
	// Draft IPTC Extension namespace some early writers used.
	"http://iptc.org/std/Iptc4xmpExt/1.0/xmlns/": {prefix: "Iptc4xmpExt", props: map[string]meta.Category{
		"LocationCreated": loc, "LocationShown": loc, "City": loc, "ProvinceState": loc,
		"CountryName": loc, "CountryCode": loc, "Sublocation": loc, "WorldRegion": loc,
		"PersonInImage": idn,
	}},
	// PLUS: licensor, owner and creator addresses are contact details
	// (identity), not where the photo was taken.
	"http://ns.useplus.org/ldf/xmp/1.0/": {prefix: "plus", def: idn, prefixes: []prefixRule{
		{"Licensor", idn}, {"CopyrightOwner", idn}, {"ImageCreator", idn}, {"ImageSupplier", idn}, {"Licensee", idn}, {"EndUser", idn},
	}},
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
	"http://ns.microsoft.com/photo/1.1":               {prefix: "MP1"},
	"http://ns.apple.com/faceinfo/1.0/":               {prefix: "apple-fi", def: idn},
	"http://ns.adobe.com/lightroom/1.0/": {prefix: "lr", props: map[string]meta.Category{
		"hierarchicalSubject": cmt, "weightedFlatSubject": cmt,
	}},
	"http://www.digikam.org/ns/1.0/": {prefix: "digiKam", props: map[string]meta.Category{
		"TagsList": cmt, "CaptionsAuthorNames": idn, "ImageHistory": idn, "ImageUniqueID": idn, "picasawebGPhotoId": idn,
	}},
	"http://ns.iview-multimedia.com/mediapro/1.0/": {prefix: "mediapro", props: map[string]meta.Category{
		"People": idn, "Event": cmt, "Location": loc, "UserFields": cmt,
	}},
	"http://ns.microsoft.com/expressionmedia/1.0/": {prefix: "expressionmedia", props: map[string]meta.Category{
		"People": idn, "Event": cmt,
	}},
	"http://ns.camerabits.com/photomechanic/1.0/": {prefix: "photomechanic", props: map[string]meta.Category{"CountryCode": loc}},
	"http://ns.adobe.com/iX/1.0/":                 {prefix: "iX"},
	"http://ns.adobe.com/album/1.0/":              {prefix: "album", props: map[string]meta.Category{"Notes": cmt}},
	"http://ns.acdsee.com/iptc/1.0/": {prefix: "acdsee", props: map[string]meta.Category{
		"author": idn, "caption": cmt, "notes": cmt, "keywords": cmt, "categories": cmt, "OriginatingProgram": idn,
	}},
	"http://ns.acdsee.com/regions/": {prefix: "acdsee-rs", def: idn},
	"http://ns.adobe.com/DICOM/":    {prefix: "DICOM", def: idn},
	"http://xmp.gettyimages.com/gift/1.0/": {prefix: "GettyImagesGIFT", props: map[string]meta.Category{
		"Personality": idn, "AssetID": idn, "CameraFilename": idn, "OriginalFilename": idn, "CameraMakeModel": idn,
		"MediaEventIdDate": idn, "ParentMediaEventID": idn, "ParentMEID": idn, "PrimaryFTP": idn, "SecondaryFTP": idn,
		"RoutingDestinations": idn, "RoutingExclusions": idn, "CallForImage": cmt,
	}},
	"http://creativecommons.org/ns#": {prefix: "cc", props: map[string]meta.Category{
		"attributionName": idn, "attributionURL": idn, "morePermissions": idn,
	}},
	"http://ns.extensis.com/extensis/1.0/": {prefix: "extensis", props: map[string]meta.Category{
		"ApprovedBy": idn, "ClientName": idn, "RoutedTo": idn, "JobName": cmt, "RoutingNotes": cmt, "WorkToDo": cmt,
	}},
	"http://ns.fastpictureviewer.com/fpv/1.0/":           {prefix: "fpv", def: cmt},
	"http://ns.idimager.com/ics/1.0/":                    {prefix: "ics", def: cmt},
	"http://ns.adobe.com/creatorAtom/1.0/":               {prefix: "creatorAtom", def: idn},
	"http://ns.optimasc.com/dex/1.0/":                    {prefix: "dex", props: map[string]meta.Category{"shortdescription": cmt}},
	"http://ns.adobe.com/xap/1.0/PLUS/":                  {prefix: "xmpPLUS"},
	"http://ns.adobe.com/camera-raw-saved-settings/1.0/": {prefix: "crss"},
	"http://ns.adobe.com/xap/1.0/g/":                     {prefix: "xmpG"},
	"http://ns.adobe.com/swf/1.0/":                       {prefix: "swf"},
	"http://ns.apple.com/adjustment-settings/1.0/":       {prefix: "aas"},
	"http://ns.adobe.com/hdr-metadata/1.0/":              {prefix: "hdr_metadata"},
	"http://ns.nikon.com/sdc/1.0/":                       {prefix: "sdc"},
	"http://ns.nikon.com/nine/1.0/":                      {prefix: "nine"},
	"http://ns.nikon.com/asteroid/1.0/":                  {prefix: "ast", prefixes: gpsRules},
	"http://prismstandard.org/namespaces/basic/2.0/":     {prefix: "prism", props: map[string]meta.Category{"location": loc}},
	"http://prismstandard.org/namespaces/prl/2.1/":       {prefix: "prl", props: map[string]meta.Category{"geography": loc}},
	"http://prismstandard.org/namespaces/pmi/2.2/":       {prefix: "pmi", props: map[string]meta.Category{"location": loc, "contactInfo": idn}},
	"http://prismstandard.org/namespaces/prm/3.0/":       {prefix: "prm"},
	"http://prismstandard.org/namespaces/prismusagerights/2.1/": {prefix: "pur", props: map[string]meta.Category{
		"rightsAgent": idn, "rightsOwner": idn, "creditLine": idn, "copyright": idn,
	}},
	// Places and coordinates, whole namespace: W3C Basic Geo (WGS84 lat,
	// long, alt, location, Point), GeoRSS.
	"http://www.w3.org/2003/01/geo/wgs84_pos#": {prefix: "geo", def: loc},
	"http://www.georss.org/georss":             {prefix: "georss", def: loc},
	"http://www.georss.org/georss/":            {prefix: "georss", def: loc},
	// Dublin Core terms: spatial coverage is a place.
	"http://purl.org/dc/terms/": {prefix: "dcterms", props: map[string]meta.Category{
		"spatial": loc, "coverage": loc, "Location": loc,
		"creator": idn, "contributor": idn, "publisher": idn, "rightsHolder": idn, "rights": idn, "identifier": idn,
		"description": cmt, "title": cmt, "subject": cmt, "abstract": cmt,
	}},
	// Darwin Core (biodiversity records): the Location class is a place.
	"http://rs.tdwg.org/dwc/index.htm": {prefix: "dwc", props: dwcProps},
	"http://rs.tdwg.org/dwc/terms/":    {prefix: "dwc", props: dwcProps},
	// Drone telemetry (position, height, attitude of the aircraft) and
	// phone cell / geotagging schemas: the whole namespace is location.
	// Autel and other makers write into the DJI namespace too.
	"http://www.dji.com/drone-dji/1.0/":           {prefix: "drone-dji", def: loc},
	"http://www.parrot.com/drone-parrot/1.0/":     {prefix: "drone-parrot", def: loc},
	"https://www.skydio.com/drone-skydio/1.0/":    {prefix: "drone-skydio", def: loc},
	"http://developer.sonyericsson.com/cell/1.0/": {prefix: "cell", def: loc},
	"http://www.geotate.com/Geotate/1.0/":         {prefix: "Geotate", def: loc},
	// Thermal band data of DJI thermal cameras.
	"http://www.dji.com/FLIR/1.0/": {prefix: "FLIR"},
	// Camera traps (wildlife surveys): the station identifies a place.
	"http://www.panthera.org/camtrap/1.0": {prefix: "camtrap", props: map[string]meta.Category{"CameraStation": loc}},
	// darktable's editing history.
	"http://darktable.sf.net/": {prefix: "darktable"},
	// Apple auxiliary images (depth, mattes, spatial photos).
	"http://ns.apple.com/SpatialMedia/1.0/":              {prefix: "AppleSpatialMedia", def: emb},
	"http://ns.apple.com/pixeldatainfo/1.0/":             {prefix: "ApplePixelDataInfo", def: emb},
	"http://ns.apple.com/semanticSegmentationMatte/1.0/": {prefix: "AppleSegmentationMatte", def: emb},
	"http://www.artstor.org/ARTstorCore/": {prefix: "ARTstorCore", props: map[string]meta.Category{
		"CreationDiscoverySite": loc, "ARTstorCountry": loc, "Photographer": idn, "Creator": idn, "Rights": idn,
		"Description": cmt, "Title": cmt, "Inscriptions": cmt, "ImageViewDescription": cmt,
	}},
	// Photogrammetry camera schemas (Pix4D, senseFly, MicaSense multispectral
	// cameras on drones): the capture pose and GPS accuracy are location;
	// capture and flight IDs link a survey together.
	"http://pix4d.com/camera/1.0/":        {prefix: "Camera", props: poseProps},
	"http://ns.sensefly.com/Camera/1.0/":  {prefix: "senseFly", props: poseProps},
	"http://micasense.com/MicaSense/1.0/": {prefix: "MicaSense", props: poseProps},
	"http://micasense.com/DLS/1.0/":       {prefix: "DLS", props: poseProps},
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
	"http://ns.google.com/photos/1.0/focus/":          {prefix: "GFocus"},
	"http://ns.google.com/photos/1.0/creations/":      {prefix: "GCreations", props: map[string]meta.Category{"CameraBurstID": idn}},
	"http://ns.google.com/videos/1.0/spherical/":      {prefix: "GSpherical"},
	"http://ns.leiainc.com/photos/1.0/image/":         {prefix: "LImage", def: emb},
	"http://ns.adobe.com/hdr-gain-map/1.0/":           {prefix: "hdrgm", def: emb},
	"http://ns.apple.com/HDRGainMap/1.0/":             {prefix: "HDRGainMap", def: emb},
}

// gpsRules: Exif-style GPS and time-zone offset properties.
var gpsRules = []prefixRule{{"GPS", loc}, {"OffsetTime", loc}}

// poseProps classifies the drone photogrammetry camera schemas.
var poseProps = map[string]meta.Category{
	"Yaw": loc, "Pitch": loc, "Roll": loc, "GPSXYAccuracy": loc, "GPSZAccuracy": loc,
	"PressureAlt": loc, "AboveGroundAltitude": loc, "RelativeAltitude": loc, "AbsoluteAltitude": loc,
	"Latitude": loc, "Longitude": loc, "Altitude": loc,
	"CaptureId": idn, "FlightId": idn, "SerialNumber": idn,
	"BandName": oth, "CentralWavelength": oth, "WavelengthFWHM": oth, "Irradiance": oth,
}

// dwcProps classifies Darwin Core: Location class terms are places; the
// people who recorded, identified or georeferenced a record are identity.
var dwcProps = map[string]meta.Category{
	"Location": loc, "locality": loc, "verbatimLocality": loc, "county": loc, "municipality": loc,
	"stateProvince": loc, "country": loc, "countryCode": loc, "island": loc, "islandGroup": loc,
	"continent": loc, "waterBody": loc, "higherGeography": loc, "higherGeographyID": loc,
	"locationID": loc, "locationAccordingTo": loc, "locationRemarks": loc, "footprintWKT": loc,
	"footprintSRS": loc, "footprintSpatialFit": loc, "verbatimCoordinates": loc, "verbatimLatitude": loc,
	"verbatimLongitude": loc, "verbatimCoordinateSystem": loc, "verbatimSRS": loc, "verbatimElevation": loc,
	"verbatimDepth": loc, "minimumElevationInMeters": loc, "maximumElevationInMeters": loc,
	"minimumDepthInMeters": loc, "maximumDepthInMeters": loc, "minimumDistanceAboveSurfaceInMeters": loc,
	"maximumDistanceAboveSurfaceInMeters": loc, "decimalLatitude": loc, "decimalLongitude": loc,
	"geodeticDatum": loc, "coordinateUncertaintyInMeters": loc, "coordinatePrecision": loc,
	"pointRadiusSpatialFit": loc, "georeferenceProtocol": loc, "georeferenceSources": loc,
	"georeferenceRemarks": loc, "georeferencedDate": loc, "georeferenceVerificationStatus": loc,
	"recordedBy": idn, "recordedByID": idn, "identifiedBy": idn, "identifiedByID": idn,
	"georeferencedBy": idn, "rightsHolder": idn, "ownerInstitutionCode": idn,
}

var msPhoto = map[string]meta.Category{
	"LastKeywordXMP": cmt, "LastKeywordIPTC": cmt, "CameraSerialNumber": idn, "CreatorAppId": idn,
}
