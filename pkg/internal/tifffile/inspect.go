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

// Inspect walks every page (IFD) of the main chain of the TIFF file data
// and classifies its metadata. Each page's IFD is classified by exifmeta as
// the IFD0 of an EXIF block (identity and text tags, Exif, GPS and Interop
// IFDs), under Where "TIFF IFDn"; on top of that Inspect reports XMP (tag
// 700, "TIFF IFDn XMP"), IPTC-IIM (33723, "TIFF IFDn IPTC"), Photoshop
// image resources (34377, "TIFF IFDn Photoshop IRB"), GeoTIFF tags (a
// location finding, "TIFF IFDn GeoTIFF") and SubIFDs (embedded images,
// "TIFF IFDn SubIFD"). An ICC profile is no finding. The Inspection gives
// page 0's Orientation, width and height.
//
// It returns a FormatError only when the header or the main IFD chain
// cannot be read; the Inspection then holds what was found plus an
// Unparsed finding. Raw camera files are inspected like any TIFF, with a
// warning.
func Inspect(data []byte) (meta.Inspection, error) {
	var set meta.Set
	var ins meta.Inspection
	t, chain, err := parse(data)
	if t == nil {
		set.Add(meta.Unparsed, "TIFF")
		ins.Findings = set.List()
		return ins, err
	}
	if IsRaw(data) {
		ins.Warnings = append(ins.Warnings, "raw camera file: inspected only, not rewritten")
	}
	if t.Big {
		ins.Warnings = append(ins.Warnings, "BigTIFF")
	}
	// view is data with the header's first-IFD offset pointed at one page
	// and that page's next-IFD offset zeroed, so exifmeta sees each page
	// as the IFD0 of a one-IFD block.
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
		o, _ := exifmeta.Inspect(view, where, &page)
		copy(view[d.NextAt:d.NextAt+offSz], data[d.NextAt:])
		mergePage(page.List(), d, where, &set)
		if i == 0 {
			ins.Orientation = o
			w, _ := firstUint(t, d, tagImageWidth)
			h, _ := firstUint(t, d, tagImageLength)
			if w <= 1<<31 && h <= 1<<31 {
				ins.Width, ins.Height = int(w), int(h)
			}
		}
		inspectPage(t, d, where, &set)
	}
	if err != nil {
		set.Add(meta.Unparsed, "TIFF")
	}
	ins.Findings = set.List()
	return ins, err
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
			} else if bytes.HasPrefix(v, []byte("8BIM")) {
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

// parse reads the TIFF structure of data and returns its main chain. The
// error is non-nil when the header is unusable (t is then nil) or the main
// chain could not be walked to its end; problems in sub-IFDs alone are not
// reported here (exifmeta reports them per page, Strip drops them).
func parse(data []byte) (*tiffifd.TIFF, []tiffifd.IFD, error) {
	t, err := tiffifd.Parse(data)
	if t == nil {
		msg := "not a TIFF file"
		if err != nil {
			msg += ": " + err.Error()
		}
		return nil, nil, FormatError(msg)
	}
	chain := t.Chain()
	if len(chain) == 0 || chain[len(chain)-1].Next != 0 {
		msg := "main IFD chain cannot be walked"
		if err != nil {
			msg += ": " + err.Error()
		}
		return t, chain, FormatError(msg)
	}
	return t, chain, nil
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
