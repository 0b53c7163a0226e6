package exifmeta

import (
	"fmt"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// structural marks tags that describe how to decode or display the image,
// or how the camera exposed it. They carry nothing that locates or
// identifies anyone and are not reported. Every tag absent from tagTable
// is reported as Other under the name "Tag0xNNNN".
const structural meta.Category = ""

// special tags, handled outside the table.
const (
	tagMakerNote = 0x927C
	tagXMP       = 0x02BC
	tagIPTC      = 0x83BB
	tagPhotoshop = 0x8649
	tagGPSIFD    = 0x8825
)

type tagInfo struct {
	name string
	cat  meta.Category
}

// thumbnail tags: image data in an EXIF block is an embedded image (IFD1
// thumbnail, or a hidden preview in any other IFD).
var thumbnailTags = map[uint16]bool{
	0x0111: true, // StripOffsets
	0x0117: true, // StripByteCounts
	0x0144: true, // TileOffsets
	0x0145: true, // TileByteCounts
	0x0201: true, // JPEGInterchangeFormat
	0x0202: true, // JPEGInterchangeFormatLength
}

// tagTable classifies the tags of IFD0/IFD1/IFDn, the Exif IFD and SubIFDs
// (TIFF 6.0, Exif 3.0 Tables 4–8 and 18, Windows XP, GeoTIFF, PrintIM).
var tagTable = map[uint16]tagInfo{
	// Location: time-zone offsets, GeoTIFF georeferencing.
	0x9010: {"OffsetTime", meta.Location},
	0x9011: {"OffsetTimeOriginal", meta.Location},
	0x9012: {"OffsetTimeDigitized", meta.Location},
	0x830E: {"ModelPixelScaleTag", meta.Location},
	0x8482: {"ModelTiepointTag", meta.Location},
	0x85D8: {"ModelTransformationTag", meta.Location},
	0x87AF: {"GeoKeyDirectoryTag", meta.Location},
	0x87B0: {"GeoDoubleParamsTag", meta.Location},
	0x87B1: {"GeoAsciiParamsTag", meta.Location},

	// Identity: who, which device, which software, which copy.
	0x010D: {"DocumentName", meta.Identity},
	0x010F: {"Make", meta.Identity},
	0x0110: {"Model", meta.Identity},
	0x0131: {"Software", meta.Identity},
	0x013B: {"Artist", meta.Identity},
	0x013C: {"HostComputer", meta.Identity},
	0x8298: {"Copyright", meta.Identity},
	0x9C9D: {"XPAuthor", meta.Identity},
	0xA420: {"ImageUniqueID", meta.Identity},
	0xA430: {"CameraOwnerName", meta.Identity},
	0xA431: {"BodySerialNumber", meta.Identity},
	0xA433: {"LensMake", meta.Identity},
	0xA434: {"LensModel", meta.Identity},
	0xA435: {"LensSerialNumber", meta.Identity},
	0xA437: {"Photographer", meta.Identity},
	0xA438: {"ImageEditor", meta.Identity},
	0xA439: {"CameraFirmware", meta.Identity},
	0xA43A: {"RAWDevelopingSoftware", meta.Identity},
	0xA43B: {"ImageEditingSoftware", meta.Identity},
	0xA43C: {"MetadataEditingSoftware", meta.Identity},
	0xC62F: {"CameraSerialNumber", meta.Identity},

	// Comment: free text.
	0x010E: {"ImageDescription", meta.Comment},
	0x011D: {"PageName", meta.Comment},
	0x9286: {"UserComment", meta.Comment},
	0x9C9B: {"XPTitle", meta.Comment},
	0x9C9C: {"XPComment", meta.Comment},
	0x9C9E: {"XPKeywords", meta.Comment},
	0x9C9F: {"XPSubject", meta.Comment},
	0xA436: {"ImageTitle", meta.Comment},

	// Other: dates and other descriptive, non-identifying data.
	0x0132: {"DateTime", meta.Other},
	0x9003: {"DateTimeOriginal", meta.Other},
	0x9004: {"DateTimeDigitized", meta.Other},
	0x9290: {"SubSecTime", meta.Other},
	0x9291: {"SubSecTimeOriginal", meta.Other},
	0x9292: {"SubSecTimeDigitized", meta.Other},
	0x4746: {"Rating", meta.Other},
	0x4749: {"RatingPercent", meta.Other},
	0x9214: {"SubjectArea", meta.Other},
	0xA214: {"SubjectLocation", meta.Other},
	0xA004: {"RelatedSoundFile", meta.Other},
	0xA40B: {"DeviceSettingDescription", meta.Other},
	0x9400: {"Temperature", meta.Other},
	0x9401: {"Humidity", meta.Other},
	0x9402: {"Pressure", meta.Other},
	0x9403: {"WaterDepth", meta.Other},
	0x9404: {"Acceleration", meta.Other},
	0x9405: {"CameraElevationAngle", meta.Other},
	0xC4A5: {"PrintIM", meta.Other},
	0xEA1C: {"Padding", meta.Other},
	0xEA1D: {"OffsetSchema", meta.Other},

	// Structural: decoding, display, pointers, exposure settings.
	0x00FE: {"NewSubfileType", structural},
	0x00FF: {"SubfileType", structural},
	0x0100: {"ImageWidth", structural},
	0x0101: {"ImageLength", structural},
	0x0102: {"BitsPerSample", structural},
	0x0103: {"Compression", structural},
	0x0106: {"PhotometricInterpretation", structural},
	0x010A: {"FillOrder", structural},
	0x0112: {"Orientation", structural},
	0x0115: {"SamplesPerPixel", structural},
	0x0116: {"RowsPerStrip", structural},
	0x011A: {"XResolution", structural},
	0x011B: {"YResolution", structural},
	0x011C: {"PlanarConfiguration", structural},
	0x0128: {"ResolutionUnit", structural},
	0x012D: {"TransferFunction", structural},
	0x013D: {"Predictor", structural},
	0x013E: {"WhitePoint", structural},
	0x013F: {"PrimaryChromaticities", structural},
	0x0140: {"ColorMap", structural},
	0x0142: {"TileWidth", structural},
	0x0143: {"TileLength", structural},
	0x014A: {"SubIFDs", structural},
	0x0152: {"ExtraSamples", structural},
	0x0153: {"SampleFormat", structural},
	0x0211: {"YCbCrCoefficients", structural},
	0x0212: {"YCbCrSubSampling", structural},
	0x0213: {"YCbCrPositioning", structural},
	0x0214: {"ReferenceBlackWhite", structural},
	0x8769: {"ExifIFD", structural},
	0x8773: {"ICCProfile", structural},
	0xA005: {"InteropIFD", structural},
	0x9000: {"ExifVersion", structural},
	0xA000: {"FlashpixVersion", structural},
	0xA001: {"ColorSpace", structural},
	0xA002: {"PixelXDimension", structural},
	0xA003: {"PixelYDimension", structural},
	0xA500: {"Gamma", structural},
	0x9101: {"ComponentsConfiguration", structural},
	0x9102: {"CompressedBitsPerPixel", structural},
	0x829A: {"ExposureTime", structural},
	0x829D: {"FNumber", structural},
	0x8822: {"ExposureProgram", structural},
	0x8824: {"SpectralSensitivity", structural},
	0x8827: {"PhotographicSensitivity", structural},
	0x8828: {"OECF", structural},
	0x8830: {"SensitivityType", structural},
	0x8831: {"StandardOutputSensitivity", structural},
	0x8832: {"RecommendedExposureIndex", structural},
	0x8833: {"ISOSpeed", structural},
	0x8834: {"ISOSpeedLatitudeyyy", structural},
	0x8835: {"ISOSpeedLatitudezzz", structural},
	0x9201: {"ShutterSpeedValue", structural},
	0x9202: {"ApertureValue", structural},
	0x9203: {"BrightnessValue", structural},
	0x9204: {"ExposureBiasValue", structural},
	0x9205: {"MaxApertureValue", structural},
	0x9206: {"SubjectDistance", structural},
	0x9207: {"MeteringMode", structural},
	0x9208: {"LightSource", structural},
	0x9209: {"Flash", structural},
	0x920A: {"FocalLength", structural},
	0xA20B: {"FlashEnergy", structural},
	0xA20C: {"SpatialFrequencyResponse", structural},
	0xA20E: {"FocalPlaneXResolution", structural},
	0xA20F: {"FocalPlaneYResolution", structural},
	0xA210: {"FocalPlaneResolutionUnit", structural},
	0xA215: {"ExposureIndex", structural},
	0xA217: {"SensingMethod", structural},
	0xA300: {"FileSource", structural},
	0xA301: {"SceneType", structural},
	0xA302: {"CFAPattern", structural},
	0xA401: {"CustomRendered", structural},
	0xA402: {"ExposureMode", structural},
	0xA403: {"WhiteBalance", structural},
	0xA404: {"DigitalZoomRatio", structural},
	0xA405: {"FocalLengthIn35mmFilm", structural},
	0xA406: {"SceneCaptureType", structural},
	0xA407: {"GainControl", structural},
	0xA408: {"Contrast", structural},
	0xA409: {"Saturation", structural},
	0xA40A: {"Sharpness", structural},
	0xA40C: {"SubjectDistanceRange", structural},
	0xA432: {"LensSpecification", structural},
	0xA460: {"CompositeImage", structural},
	0xA461: {"SourceImageNumberOfCompositeImage", structural},
	0xA462: {"SourceExposureTimesOfCompositeImage", structural},
}

// interopStructural lists the Interoperability IFD tags (Exif 3.0 §4.6.7
// and DCF): all structural. Any other tag there is Other.
var interopStructural = map[uint16]bool{
	0x0001: true, // InteroperabilityIndex
	0x0002: true, // InteroperabilityVersion
	0x1000: true, // RelatedImageFileFormat
	0x1001: true, // RelatedImageWidth
	0x1002: true, // RelatedImageLength
}

// gpsNames are the GPS attribute tags 0x0000–0x001F (Exif 3.0 Table 15).
var gpsNames = [...]string{
	"GPSVersionID", "GPSLatitudeRef", "GPSLatitude", "GPSLongitudeRef",
	"GPSLongitude", "GPSAltitudeRef", "GPSAltitude", "GPSTimeStamp",
	"GPSSatellites", "GPSStatus", "GPSMeasureMode", "GPSDOP",
	"GPSSpeedRef", "GPSSpeed", "GPSTrackRef", "GPSTrack",
	"GPSImgDirectionRef", "GPSImgDirection", "GPSMapDatum", "GPSDestLatitudeRef",
	"GPSDestLatitude", "GPSDestLongitudeRef", "GPSDestLongitude", "GPSDestBearingRef",
	"GPSDestBearing", "GPSDestDistanceRef", "GPSDestDistance", "GPSProcessingMethod",
	"GPSAreaInformation", "GPSDateStamp", "GPSDifferential", "GPSHPositioningError",
}

// gpsName names a tag of the GPS IFD.
func gpsName(tag uint16) string {
	if int(tag) < len(gpsNames) {
		return gpsNames[tag]
	}
	return fmt.Sprintf("GPSTag0x%04X", tag)
}

// hexName names a tag absent from the tables.
func hexName(prefix string, tag uint16) string {
	return fmt.Sprintf("%s0x%04X", prefix, tag)
}
