package pngchunk

import (
	"strings"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// exifNames maps the lower-cased EXIF tag names that ImageMagick writes as
// "exif:<Name>" text properties to their canonical spelling and category.
// Only names in this table are recorded; other property names are reported
// generically, because a keyword is free text.
var exifNames = map[string]struct {
	name string
	cat  meta.Category
}{}

func init() {
	add := func(c meta.Category, names ...string) {
		for _, n := range names {
			exifNames[strings.ToLower(n)] = struct {
				name string
				cat  meta.Category
			}{n, c}
		}
	}
	add(meta.Location, "GPSInfo", "GPSVersionID", "GPSLatitudeRef", "GPSLatitude",
		"GPSLongitudeRef", "GPSLongitude", "GPSAltitudeRef", "GPSAltitude",
		"GPSTimeStamp", "GPSSatellites", "GPSStatus", "GPSMeasureMode", "GPSDOP",
		"GPSSpeedRef", "GPSSpeed", "GPSTrackRef", "GPSTrack", "GPSImgDirectionRef",
		"GPSImgDirection", "GPSMapDatum", "GPSDestLatitudeRef", "GPSDestLatitude",
		"GPSDestLongitudeRef", "GPSDestLongitude", "GPSDestBearingRef",
		"GPSDestBearing", "GPSDestDistanceRef", "GPSDestDistance",
		"GPSProcessingMethod", "GPSAreaInformation", "GPSDateStamp",
		"GPSDifferential", "GPSHPositioningError",
		"OffsetTime", "OffsetTimeOriginal", "OffsetTimeDigitized")
	add(meta.Identity, "Artist", "Make", "Model", "Software", "Copyright",
		"HostComputer", "BodySerialNumber", "SerialNumber", "LensSerialNumber",
		"CameraOwnerName", "OwnerName", "ImageUniqueID", "LensMake", "LensModel",
		"XPAuthor")
	add(meta.Comment, "ImageDescription", "UserComment", "XPComment", "XPTitle",
		"XPSubject", "XPKeywords")
	add(meta.Other, "DateTime", "DateTimeOriginal", "DateTimeDigitized",
		"SubSecTime", "SubSecTimeOriginal", "SubSecTimeDigitized", "Orientation",
		"ExifVersion", "ExifOffset", "MakerNote")
}

// exifProperty classifies an ImageMagick "exif:<name>" text property.
func exifProperty(name string) (meta.Category, string) {
	if e, ok := exifNames[strings.ToLower(name)]; ok {
		if e.name == "MakerNote" {
			return meta.Embedded, "exif:MakerNote"
		}
		return e.cat, "exif:" + e.name
	}
	if strings.HasPrefix(strings.ToLower(name), "gps") {
		return meta.Location, "exif:GPS*"
	}
	if strings.HasPrefix(strings.ToLower(name), "thumbnail:") {
		return meta.Embedded, "exif:thumbnail:*"
	}
	return meta.Other, "exif:*"
}
