package exifmeta

import (
	"github.com/photoscrub/photoscrub/pkg/internal/tiffifd"
	"github.com/photoscrub/photoscrub/pkg/internal/xmp"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// classify adds a finding for every non-structural entry of every IFD t
// holds. It looks at tags and structure only; values are read solely to
// hand an embedded XMP packet to package xmp.
//
// Rules, with w = where + "/" + IFD name:
//   - GPS IFD: every tag is Location (GPS tag names, "GPSTag0xNNNN" for
//     unknown ones); a GPS pointer whose IFD is empty or unreadable is
//     Location "GPSInfo" under where + "/GPS IFD". Tags 0x0000–0x001F
//     outside GPS and Interop IFDs are GPS tags misplaced: Location too.
//   - MakerNote: Embedded "MakerNote" under where + "/MakerNote" (opaque).
//   - StripOffsets/TileOffsets/JPEGInterchangeFormat (and their byte
//     counts) in any IFD: Embedded "Thumbnail" (an EXIF block carries no
//     primary image data).
//   - XMP (0x02BC): the packet goes to xmp.Inspect under where + "/XMP".
//   - IPTC-NAA (0x83BB) and Photoshop (0x8649): Unparsed under w (they
//     are not parsed here: package irb may itself depend on this package).
//   - Interop IFD: its five standard tags are structural, others Other.
//   - Any other tag: the category in tagTable; structural tags are not
//     reported; tags absent from the table are Other as "Tag0xNNNN".
func classify(t *tiffifd.TIFF, where string, set *meta.Set) {
	gpsPointer, gpsEntries := false, 0
	for i := range t.IFDs {
		d := &t.IFDs[i]
		w := where + "/" + d.Name()
		switch d.Kind {
		case tiffifd.KindGPS:
			for _, e := range d.Entries {
				set.Add(meta.Location, w, gpsName(e.Tag))
			}
			if len(d.Entries) == 0 {
				// An empty GPS IFD, wherever its pointer stood (an
				// Interop or sub-IFD too): still a GPS block.
				set.Add(meta.Location, w, "GPSInfo")
			}
			gpsEntries += len(d.Entries)
			continue
		case tiffifd.KindInterop:
			set.Add(meta.Other, w, "InteropIFD") // present at all: not orientation-only
			for _, e := range d.Entries {
				if !interopStructural[e.Tag] {
					set.Add(meta.Other, w, hexName("InteropTag", e.Tag))
				}
			}
			continue
		}
		if d.Kind == tiffifd.KindExif {
			// An Exif IFD is never part of an orientation-only block, so
			// even one holding only structural tags is reported (and so
			// removed), leaving nothing but IFD0 layout tags behind.
			set.Add(meta.Other, w, "ExifIFD")
		}
		for _, e := range d.Entries {
			switch {
			case e.Tag == tagGPSIFD:
				gpsPointer = true
			case int(e.Tag) < len(gpsNames):
				set.Add(meta.Location, w, gpsName(e.Tag))
			case e.Tag == tagMakerNote:
				set.Add(meta.Embedded, where+"/MakerNote", "MakerNote")
			case thumbnailTags[e.Tag]:
				set.Add(meta.Embedded, w, "Thumbnail")
			case e.Tag == tagXMP:
				v, err := t.Value(e)
				if err != nil {
					set.Add(meta.Unparsed, where+"/XMP")
					continue
				}
				_ = xmp.Inspect(v, where+"/XMP", set) // adds its own Unparsed
			case e.Tag == tagIPTC:
				set.Add(meta.Unparsed, w, "IPTC-NAA")
			case e.Tag == tagPhotoshop:
				set.Add(meta.Unparsed, w, "Photoshop")
			default:
				info, ok := tagTable[e.Tag]
				switch {
				case !ok:
					set.Add(meta.Other, w, hexName("Tag", e.Tag))
				case info.cat != structural:
					set.Add(info.cat, w, info.name)
				}
			}
		}
	}
	if gpsPointer && gpsEntries == 0 {
		set.Add(meta.Location, where+"/GPS IFD", "GPSInfo")
	}
}
