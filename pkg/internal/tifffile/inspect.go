package tifffile

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/photoscrub/photoscrub/pkg/internal/exifmeta"
	"github.com/photoscrub/photoscrub/pkg/internal/irb"
	"github.com/photoscrub/photoscrub/pkg/internal/tiffifd"
	"github.com/photoscrub/photoscrub/pkg/internal/xmp"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// geoTags names the GeoTIFF 1.1 tags; any of them places the image on Earth.
var geoTags = map[uint16]string{
	33550: "ModelPixelScale",
	33922: "ModelTiepoint",
	34264: "ModelTransformation",
	34735: "GeoKeyDirectory",
	34736: "GeoDoubleParams",
	34737: "GeoAsciiParams",
}

// inspectChain classifies the metadata of every IFD of the main chain.
// Each page's IFD is classified by exifmeta as the IFD0 of an EXIF block
// (identity and text tags, Exif, GPS and Interop IFDs), under Where "TIFF
// IFDn"; on top of that it reports XMP (tag 700, "TIFF IFDn XMP"),
// IPTC-IIM (33723, "TIFF IFDn IPTC"), Photoshop image resources (34377,
// "TIFF IFDn Photoshop IRB"), GeoTIFF tags (a location finding, "TIFF IFDn
// GeoTIFF") and SubIFDs (embedded images, "TIFF IFDn SubIFD"). It records
// page 0's width and height.
func inspectChain(f *File, t *tiffifd.TIFF, chain []tiffifd.IFD, set *meta.Set) {
	// view is data with the header's first-IFD offset pointed at one page
	// and that page's next-IFD offset zeroed, so exifmeta sees each page
	// as the IFD0 of a one-IFD block.
	data := f.data
	view := bytes.Clone(data)
	hdrAt, offSz := 4, 4
	if t.Big {
		hdrAt, offSz = 8, 8
	}
	for i := range chain {
		d := &chain[i]
		where := "TIFF IFD" + strconv.Itoa(i)
		putUint(t, view[hdrAt:], uint64(d.Offset), offSz)
		putUint(t, view[d.NextAt:], 0, offSz)
		var page meta.Set
		_, _ = exifmeta.Inspect(view, where, &page)
		copy(view[d.NextAt:d.NextAt+offSz], data[d.NextAt:])
		mergePage(page.List(), d, where, set)
		if i == 0 {
			w, _ := firstUint(t, d, tagImageWidth)
			h, _ := firstUint(t, d, tagImageLength)
			if w <= 1<<31 && h <= 1<<31 {
				f.ins.Width, f.ins.Height = int(w), int(h)
			}
		}
		inspectPage(t, d, where, set)
	}
}

// exifmetaGeo are exifmeta's names for the GeoTIFF tags, reported here
// under "GeoTIFF" instead.
var exifmetaGeo = map[string]bool{
	"ModelPixelScaleTag": true, "ModelTiepointTag": true, "ModelTransformationTag": true,
	"GeoKeyDirectoryTag": true, "GeoDoubleParamsTag": true, "GeoAsciiParamsTag": true,
}

// mergePage adds exifmeta's findings for one page to set, adapted to a
// whole TIFF file: exifmeta reads the page as the IFD0 of an EXIF block,
// where strip or tile data is an embedded image, IPTC and Photoshop tags
// are unparsed and TIFF image-structure tags it does not know are Other.
// In a TIFF file the page's own strips are the image, the allowlisted
// structure tags are not metadata, and XMP, IPTC, Photoshop and GeoTIFF
// are classified by inspectPage. Findings under where+"/IFD0" move to
// where.
func mergePage(fs []meta.Finding, d *tiffifd.IFD, where string, set *meta.Set) {
	w0 := where + "/IFD0"
	_, jpegThumb := d.Find(tagJPEGIF)
	for _, f := range fs {
		if f.Where == where+"/XMP" {
			continue
		}
		if f.Where != w0 {
			set.Add(f.Category, f.Where, f.Tags...)
			continue
		}
		var tags []string
		for _, tag := range f.Tags {
			switch {
			case f.Category == meta.Embedded && tag == "Thumbnail" && !jpegThumb:
			case f.Category == meta.Unparsed && (tag == "IPTC-NAA" || tag == "Photoshop"):
			case f.Category == meta.Location && exifmetaGeo[tag]:
			case f.Category == meta.Other && structureNames[tag]:
			default:
				tags = append(tags, tag)
			}
		}
		if len(tags) > 0 || len(f.Tags) == 0 {
			set.Add(f.Category, where, tags...)
		}
	}
}

// structureNames holds exifmeta's "Tag0xNNNN" names of the allowlisted
// image-structure tags.
var structureNames = func() map[string]bool {
	m := map[string]bool{}
	for tag := range keptTags {
		m[fmt.Sprintf("Tag0x%04X", tag)] = true
	}
	for _, tag := range []uint16{tagStripOffsets, tagTileOffsets, tagOrientation, tagICC} {
		m[fmt.Sprintf("Tag0x%04X", tag)] = true
	}
	return m
}()

// inspectPage reports what only whole TIFF files carry in a page's IFD.
func inspectPage(t *tiffifd.TIFF, d *tiffifd.IFD, where string, set *meta.Set) {
	var geo []string
	for _, e := range d.Entries {
		if name, ok := geoTags[e.Tag]; ok {
			geo = append(geo, name)
			continue
		}
		switch e.Tag {
		case tagXMP:
			w := where + " XMP"
			if v, err := t.Value(e); err != nil {
				set.Add(meta.Unparsed, w, "XMP")
			} else {
				xmp.Inspect(v, w, set)
			}
		case tagIPTC:
			w := where + " IPTC"
			if v, err := t.Value(e); err != nil {
				set.Add(meta.Unparsed, w, "IPTC-NAA")
			} else if v = bytes.TrimPrefix(v, []byte("Photoshop 3.0\x00")); bytes.HasPrefix(v, []byte("8BIM")) {
				// A Photoshop resource block (as in JPEG APP13, with or
				// without its identifier) holding IPTC in resource 0x0404.
				irb.InspectIRB(v, w, set)
			} else {
				irb.InspectIIM(v, w, set)
			}
		case tagIRB:
			w := where + " Photoshop IRB"
			if v, err := t.Value(e); err != nil {
				set.Add(meta.Unparsed, w, "ImageResources")
			} else {
				irb.InspectIRB(v, w, set)
			}
		case tagSubIFDs:
			set.Add(meta.Embedded, where+" SubIFD", "SubIFDs")
		}
	}
	if len(geo) > 0 {
		set.Add(meta.Location, where+" GeoTIFF", geo...)
	}
}

// putUint writes v as a 4- or 8-byte integer in t's byte order.
func putUint(t *tiffifd.TIFF, b []byte, v uint64, size int) {
	if size == 8 {
		t.Order.PutUint64(b, v)
		return
	}
	t.Order.PutUint32(b, uint32(v))
}

// firstUint returns the first value of an unsigned integer tag of d.
func firstUint(t *tiffifd.TIFF, d *tiffifd.IFD, tag uint16) (uint64, bool) {
	e, ok := d.Find(tag)
	if !ok || e.Count == 0 {
		return 0, false
	}
	v, err := t.Uint(e, 0)
	return v, err == nil
}
