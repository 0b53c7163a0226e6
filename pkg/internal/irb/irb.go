package irb

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/photoscrub/photoscrub/pkg/internal/exifmeta"
	"github.com/photoscrub/photoscrub/pkg/internal/xmp"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// signatures accepted at the start of a resource block.
var signatures = [][]byte{[]byte("8BIM"), []byte("PHUT"), []byte("AgHg"), []byte("DCSR"), []byte("MeSa")}

// resource classes by ID (Photoshop File Formats Specification, Image
// Resource IDs; names as ExifTool's Photoshop tag table).
var resources = map[uint16]struct {
	name string
	c    meta.Category
}{
	0x03E8: {"Photoshop2Info", meta.Other},
	0x03E9: {"MacintoshPrintInfo", meta.Other},
	0x03EA: {"XMLData", meta.Other},
	0x03ED: {"ResolutionInfo", meta.Other},
	0x03EE: {"AlphaChannelsNames", meta.Comment},
	0x03EF: {"DisplayInfo", meta.Other},
	0x03F0: {"PStringCaption", meta.Comment},
	0x03F1: {"BorderInformation", meta.Other},
	0x03F2: {"BackgroundColor", meta.Other},
	0x03F3: {"PrintFlags", meta.Other},
	0x03F5: {"ColorHalftoneInfo", meta.Other},
	0x03F8: {"ColorTransferFuncs", meta.Other},
	0x0400: {"LayerStateInfo", meta.Other},
	0x0402: {"LayersGroupInfo", meta.Other},
	0x0406: {"JPEG_Quality", meta.Other},
	0x0408: {"GridGuidesInfo", meta.Other},
	0x040A: {"CopyrightFlag", meta.Other},
	0x040B: {"URL", meta.Identity},
	0x040D: {"GlobalAngle", meta.Other},
	0x040F: {"ICC_Profile", meta.Other},
	0x0410: {"Watermark", meta.Other},
	0x0411: {"ICC_Untagged", meta.Other},
	0x0412: {"EffectsVisible", meta.Other},
	0x0414: {"IDsBaseValue", meta.Identity},
	0x0415: {"UnicodeAlphaNames", meta.Comment},
	0x0416: {"IndexedColorTableCount", meta.Other},
	0x0417: {"TransparentIndex", meta.Other},
	0x0419: {"GlobalAltitude", meta.Other}, // lighting angle, not a height
	0x041A: {"SlicesGroupName", meta.Other},
	0x041B: {"WorkflowURL", meta.Identity},
	0x041C: {"JumpToXPEP", meta.Other},
	0x041D: {"AlphaIdentifiers", meta.Other},
	0x041E: {"URL_List", meta.Identity},
	0x0421: {"VersionInfo", meta.Identity}, // writer and reader application names
	0x0425: {"IPTCDigest", meta.Other},
	0x0426: {"PrintScaleInfo", meta.Other},
	0x0428: {"PixelInfo", meta.Other},
	0x0429: {"LayerComps", meta.Comment},
	0x042A: {"AlternateDuotoneColors", meta.Other},
	0x042B: {"AlternateSpotColors", meta.Other},
	0x042D: {"LayerSelectionIDs", meta.Other},
	0x042E: {"HDRToningInfo", meta.Other},
	0x042F: {"PrintInfo", meta.Other},
	0x0430: {"LayerGroupsEnabledID", meta.Other},
	0x0431: {"ColorSamplersResource2", meta.Other},
	0x0432: {"MeasurementScale", meta.Other},
	0x0433: {"TimelineInfo", meta.Other},
	0x0434: {"SheetDisclosure", meta.Other},
	0x0435: {"DisplayInfo", meta.Other},
	0x0436: {"OnionSkins", meta.Other},
	0x0438: {"CountInfo", meta.Other},
	0x043A: {"PrintInfo2", meta.Other},
	0x043B: {"PrintStyle", meta.Other},
	0x043C: {"MacNSPrintInfo", meta.Other},
	0x043D: {"WinDEVMODE", meta.Other},
	0x043E: {"AutoSaveFilePath", meta.Identity},
	0x043F: {"AutoSaveFormat", meta.Other},
	0x0440: {"PathSelectionState", meta.Other},
	0x0BB7: {"ClippingPathName", meta.Other},
	0x0BB8: {"OriginPathInfo", meta.Other},
	0x1B58: {"ImageReadyVariables", meta.Other},
	0x1B59: {"ImageReadyDataSets", meta.Other},
	0x1F40: {"LightroomWorkflow", meta.Other},
	0x2710: {"PrintFlagsInfo", meta.Other},
}

// InspectIRB classifies a sequence of image resource blocks (the payload of
// a JPEG APP13 after "Photoshop 3.0\0", TIFF tag 34377, a PSD's resource
// section) and adds findings to set under where. IPTC-IIM (0x0404) is
// classified under where+"/IPTC", EXIF (0x0422, 0x0423) under where+"/EXIF",
// XMP (0x0424) under where+"/XMP"; thumbnails (0x0409, 0x040C) are Embedded
// "PhotoshopThumbnail"; an XML or unknown resource holding an XMP packet
// is classified under where+"/XMP" too; other resources are reported by
// name or as "Resource0xNNNN". A resource with a non-empty Pascal name adds
// a Comment "resource name" (the name itself is never recorded). It returns a FormatError, after adding an Unparsed
// finding, when the block sequence itself is malformed; a malformed payload
// inside a sound block is an Unparsed finding only. Any input yields at
// least one finding.
func InspectIRB(data []byte, where string, set *meta.Set) error {
	n := 0
	off := 0
	st := state{seen: map[uint16]bool{}}
	for off < len(data) {
		rest := data[off:]
		if allZero(rest) {
			break // writers pad APP13 with zeros
		}
		if len(rest) < 4 || !knownSignature(rest[:4]) {
			return irbFail(set, where, fmt.Sprintf("no resource signature at offset %d", off))
		}
		if len(rest) < 7 {
			return irbFail(set, where, fmt.Sprintf("resource header truncated at offset %d", off))
		}
		id := binary.BigEndian.Uint16(rest[4:])
		nameLen := int(rest[6])
		p := 7 + nameLen
		if p%2 != 0 { // name (with its length byte) is padded to even
			p++
		}
		if uint64(p)+4 > uint64(len(rest)) {
			return irbFail(set, where, fmt.Sprintf("resource 0x%04X header truncated at offset %d", id, off))
		}
		size := uint64(binary.BigEndian.Uint32(rest[p:]))
		p += 4
		if size > uint64(len(rest)-p) {
			return irbFail(set, where, fmt.Sprintf("resource 0x%04X at offset %d declares %d bytes, %d remain", id, off, size, len(rest)-p))
		}
		if nameLen > 0 {
			// The Pascal name is free text (Photoshop writes it empty): it
			// is reported by kind, never quoted.
			set.Add(meta.Comment, where, "resource name")
		}
		st.classify(id, rest[p:p+int(size)], where, set)
		n++
		next := uint64(off) + uint64(p) + size + size&1
		off = int(min(next, uint64(len(data)))) // a missing final pad byte is tolerated
	}
	if n == 0 {
		set.Add(meta.Other, where, "PhotoshopIRB")
	}
	return nil
}

func irbFail(set *meta.Set, where, msg string) error {
	set.Add(meta.Unparsed, where, "PhotoshopIRB")
	return FormatError(msg)
}

func knownSignature(b []byte) bool {
	for _, s := range signatures {
		if bytes.Equal(b, s) {
			return true
		}
	}
	return false
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// maxNested bounds the embedded payloads (IPTC, EXIF, XMP) parsed in one
// call; a real IRB has one of each. Further ones are reported Unparsed.
const maxNested = 64

// state is what one InspectIRB call remembers across resources.
type state struct {
	nested int
	seen   map[uint16]bool // simple resources already reported
}

// classify adds the findings for one resource's data. Errors of nested
// parsers are already recorded as Unparsed findings by them.
func (st *state) classify(id uint16, d []byte, where string, set *meta.Set) {
	if id == 0x0404 || id == 0x0422 || id == 0x0423 || id == 0x0424 || mayHoldXMP(id) && xmp.IsPacket(d) {
		if st.nested >= maxNested {
			set.Add(meta.Unparsed, where, "TooManyEmbeddedPayloads")
			return
		}
		st.nested++
	} else {
		if st.seen[id] {
			return
		}
		st.seen[id] = true
	}
	switch {
	case id == 0x0404:
		_ = InspectIIM(d, where+"/IPTC", set)
	case id == 0x0409 || id == 0x040C:
		set.Add(meta.Embedded, where, "PhotoshopThumbnail")
	case id == 0x0422 || id == 0x0423:
		// Photoshop stores a bare TIFF structure; tolerate an Exif prefix.
		// The resource itself is reported, since an EXIF block with no
		// classified tags yields no finding from exifmeta.
		set.Add(meta.Other, where, "EXIFInfo")
		d = bytes.TrimPrefix(d, []byte("Exif\x00\x00"))
		_, _ = exifmeta.Inspect(d, where+"/EXIF", set)
	case id == 0x0424:
		_ = xmp.Inspect(d, where+"/XMP", set)
	case mayHoldXMP(id) && xmp.InspectCarrier(d, where+"/XMP", set):
		// An XML or unknown resource that holds an XMP packet: its
		// properties are classified (location as location), and the
		// resource itself is reported by ID.
		set.Add(meta.Other, where, resourceName(id))
	case id >= 0x07D0 && id <= 0x0BB6:
		set.Add(meta.Other, where, "PathInfo")
	case id >= 0x0FA0 && id <= 0x1387:
		set.Add(meta.Other, where, "PluginResource")
	default:
		if r, ok := resources[id]; ok {
			set.Add(r.c, where, r.name)
		} else {
			set.Add(meta.Other, where, resourceName(id))
		}
	}
}

// mayHoldXMP reports whether resource id is one whose data is worth
// sniffing for an XMP packet: the XML resource and IDs we do not know.
func mayHoldXMP(id uint16) bool {
	if id == 0x03EA {
		return true
	}
	_, known := resources[id]
	return !known && id != 0x0409 && id != 0x040C && !(id >= 0x07D0 && id <= 0x0BB6) && !(id >= 0x0FA0 && id <= 0x1387)
}

// resourceName is the fixed name of resource id, or its number.
func resourceName(id uint16) string {
	if r, ok := resources[id]; ok {
		return r.name
	}
	return fmt.Sprintf("Resource0x%04X", id)
}
