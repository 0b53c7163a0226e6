package irb

import (
	"fmt"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// dataset is the IPTC name and class of one IIM dataset.
type dataset struct {
	name string
	c    meta.Category
}

// record2 is the Application Record (IIM 4.2, chapter 6), by dataset number.
var record2 = map[byte]dataset{
	0:   {"ApplicationRecordVersion", meta.Other},
	3:   {"ObjectTypeReference", meta.Other},
	4:   {"ObjectAttributeReference", meta.Other},
	5:   {"ObjectName", meta.Comment},
	7:   {"EditStatus", meta.Other},
	8:   {"EditorialUpdate", meta.Other},
	10:  {"Urgency", meta.Other},
	12:  {"SubjectReference", meta.Other},
	15:  {"Category", meta.Other},
	20:  {"SupplementalCategories", meta.Other},
	22:  {"FixtureIdentifier", meta.Other},
	25:  {"Keywords", meta.Comment},
	26:  {"ContentLocationCode", meta.Location},
	27:  {"ContentLocationName", meta.Location},
	30:  {"ReleaseDate", meta.Other},
	35:  {"ReleaseTime", meta.Other},
	37:  {"ExpirationDate", meta.Other},
	38:  {"ExpirationTime", meta.Other},
	40:  {"SpecialInstructions", meta.Comment},
	42:  {"ActionAdvised", meta.Other},
	45:  {"ReferenceService", meta.Other},
	47:  {"ReferenceDate", meta.Other},
	50:  {"ReferenceNumber", meta.Other},
	55:  {"DateCreated", meta.Other},
	60:  {"TimeCreated", meta.Other},
	62:  {"DigitalCreationDate", meta.Other},
	63:  {"DigitalCreationTime", meta.Other},
	65:  {"OriginatingProgram", meta.Identity},
	70:  {"ProgramVersion", meta.Identity},
	75:  {"ObjectCycle", meta.Other},
	80:  {"By-line", meta.Identity},
	85:  {"By-lineTitle", meta.Identity},
	90:  {"City", meta.Location},
	92:  {"Sub-location", meta.Location},
	95:  {"Province-State", meta.Location},
	100: {"Country-PrimaryLocationCode", meta.Location},
	101: {"Country-PrimaryLocationName", meta.Location},
	103: {"OriginalTransmissionReference", meta.Identity},
	105: {"Headline", meta.Comment},
	110: {"Credit", meta.Identity},
	115: {"Source", meta.Identity},
	116: {"CopyrightNotice", meta.Identity},
	118: {"Contact", meta.Identity},
	120: {"Caption-Abstract", meta.Comment},
	121: {"LocalCaption", meta.Comment},
	122: {"Writer-Editor", meta.Identity},
	125: {"RasterizedCaption", meta.Comment},
	130: {"ImageType", meta.Other},
	131: {"ImageOrientation", meta.Other},
	135: {"LanguageIdentifier", meta.Other},
	150: {"AudioType", meta.Other},
	151: {"AudioSamplingRate", meta.Other},
	152: {"AudioSamplingResolution", meta.Other},
	153: {"AudioDuration", meta.Other},
	154: {"AudioOutcue", meta.Other},
	184: {"JobID", meta.Identity},
	185: {"MasterDocumentID", meta.Identity},
	186: {"ShortDocumentID", meta.Identity},
	187: {"UniqueDocumentID", meta.Identity},
	188: {"OwnerID", meta.Identity},
	200: {"ObjectPreviewFileFormat", meta.Other},
	201: {"ObjectPreviewFileVersion", meta.Other},
	202: {"ObjectPreviewData", meta.Embedded},
	221: {"Prefs", meta.Other},
	225: {"ClassifyState", meta.Other},
	228: {"SimilarityIndex", meta.Other},
	230: {"DocumentNotes", meta.Comment},
	231: {"DocumentHistory", meta.Identity},
	232: {"ExifCameraInfo", meta.Identity},
	255: {"CatalogSets", meta.Other},
}

// record1 is the Envelope Record (IIM 4.2, chapter 5): all Other.
var record1 = map[byte]string{
	0: "EnvelopeRecordVersion", 5: "Destination", 20: "FileFormat",
	22: "FileVersion", 30: "ServiceIdentifier", 40: "EnvelopeNumber",
	50: "ProductID", 60: "EnvelopePriority", 70: "DateSent", 80: "TimeSent",
	90: "CodedCharacterSet", 100: "UniqueObjectName", 120: "ARMIdentifier",
	122: "ARMVersion",
}

// maxLengthBytes bounds the size of an extended dataset length field.
const maxLengthBytes = 8

// InspectIIM classifies raw IPTC-IIM datasets (tag marker 0x1C, record,
// dataset, length) and adds findings to set under where, named by their
// IPTC names ("City", "By-line", ...; unknown datasets as "IIM2:123").
// Trailing zero padding is accepted. It returns a FormatError, after adding
// an Unparsed finding, for a bad marker, a truncated header or a length
// beyond the data; datasets before the problem are kept. Any input yields
// at least one finding (Other "IPTC" when there are no datasets).
func InspectIIM(data []byte, where string, set *meta.Set) error {
	n := 0
	seen := map[uint16]bool{} // keeps many repeated datasets linear
	for off := 0; off < len(data); {
		rest := data[off:]
		if rest[0] != 0x1C {
			if allZero(rest) {
				break
			}
			return iimFail(set, where, fmt.Sprintf("no tag marker at offset %d", off))
		}
		if len(rest) < 5 {
			return iimFail(set, where, fmt.Sprintf("dataset header truncated at offset %d", off))
		}
		rec, ds := rest[1], rest[2]
		size := uint64(rest[3])<<8 | uint64(rest[4])
		p := 5
		if size&0x8000 != 0 { // extended dataset: the low bits count length bytes
			k := int(size & 0x7FFF)
			if k == 0 || k > maxLengthBytes {
				return iimFail(set, where, fmt.Sprintf("bad extended length (%d bytes) at offset %d", k, off))
			}
			if k > len(rest)-p {
				return iimFail(set, where, fmt.Sprintf("extended length truncated at offset %d", off))
			}
			size = 0
			for _, b := range rest[p : p+k] {
				size = size<<8 | uint64(b)
			}
			p += k
		}
		if size > uint64(len(rest)-p) {
			return iimFail(set, where, fmt.Sprintf("dataset %d:%d at offset %d declares %d bytes, %d remain", rec, ds, off, size, len(rest)-p))
		}
		if k := uint16(rec)<<8 | uint16(ds); !seen[k] {
			seen[k] = true
			c, name := classifyDataset(rec, ds)
			set.Add(c, where, name)
		}
		n++
		off += p + int(size)
	}
	if n == 0 {
		set.Add(meta.Other, where, "IPTC")
	}
	return nil
}

func iimFail(set *meta.Set, where, msg string) error {
	set.Add(meta.Unparsed, where, "IPTC")
	return FormatError(msg)
}

// classifyDataset names dataset rec:ds. Record 1 (envelope) is Other;
// record 8 (object data, i.e. the object itself) is Embedded; records 3-9
// otherwise Other.
func classifyDataset(rec, ds byte) (meta.Category, string) {
	switch rec {
	case 1:
		if name, ok := record1[ds]; ok {
			return meta.Other, name
		}
	case 2:
		if d, ok := record2[ds]; ok {
			return d.c, d.name
		}
	case 8:
		return meta.Embedded, fmt.Sprintf("IIM%d:%d", rec, ds)
	}
	return meta.Other, fmt.Sprintf("IIM%d:%d", rec, ds)
}
