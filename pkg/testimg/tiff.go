package testimg

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"math"
)

// TIFFOptions selects what TIFF builds. The zero value gives a one-page,
// 20×10, little-endian, uncompressed 8-bit RGB TIFF in strips of 4 rows,
// with no metadata.
type TIFFOptions struct {
	// Markers supplies every planted value; the zero value means
	// DefaultMarkers().
	Markers Markers
	// BigEndian writes "MM\x00*" instead of "II*\x00".
	BigEndian bool
	// Pages is the number of pages in the main IFD chain (default 1).
	// Every page has its own pixels (see TIFFPixels).
	Pages int
	// Width and Height of every page (default 20×10).
	Width, Height int
	// Tiled stores the image data in 16×16 tiles instead of strips.
	Tiled bool
	// Deflate compresses every strip or tile with Adobe Deflate
	// (Compression 8) after horizontal differencing (Predictor 2).
	Deflate bool
	// Orientation writes Orientation (1..8) on page 0 when non-zero.
	Orientation int
	// ICC writes a small ICC profile (tag 34675) on every page.
	ICC bool
	// Identity writes on page 0 the IFD0 identity and text tags
	// (ImageDescription, Make, Model, Software, DateTime, Artist,
	// HostComputer, Copyright, DocumentName, PageName, XPAuthor,
	// XPComment).
	Identity bool
	// Exif writes an Exif IFD on page 0 (DateTimeOriginal, OffsetTime,
	// UserComment, CameraOwnerName, BodySerialNumber, ImageUniqueID,
	// MakerNote).
	Exif bool
	// GPS writes a full GPS IFD on page 0.
	GPS bool
	// XMP writes an XMP packet (tag 700) on page 0 with exif:GPSLatitude,
	// exif:GPSLongitude, dc:creator and photoshop:City.
	XMP bool
	// IPTC writes IPTC-IIM (tag 33723) on page 0: By-line, City, Country.
	IPTC bool
	// IRB writes a Photoshop image resource block (tag 34377) on page 0
	// holding IPTC-IIM (resource 0x0404).
	IRB bool
	// GeoTIFF writes the GeoTIFF 1.1 tags on page 0: ModelPixelScale,
	// ModelTiepoint (at the marker coordinates), GeoKeyDirectory,
	// GeoDoubleParams and GeoAsciiParams.
	GeoTIFF bool
	// SubIFDThumb writes a SubIFDs (330) pointer on page 0 to an 8×2
	// reduced-resolution RGB image whose pixel bytes spell the Comment
	// marker.
	SubIFDThumb bool
	// Page2Identity gives page 1 (when Pages ≥ 2) its own Artist,
	// DocumentName, PageName and XPAuthor tags and its own GPS IFD.
	Page2Identity bool
	// Unknown writes a private tag 65000 (ASCII) holding the AppText
	// marker on every page.
	Unknown bool
}

// AllTIFF returns TIFFOptions with two pages and every metadata group on,
// Orientation 6 and an ICC profile.
func AllTIFF() TIFFOptions {
	return TIFFOptions{Pages: 2, Orientation: 6, ICC: true, Identity: true, Exif: true,
		GPS: true, XMP: true, IPTC: true, IRB: true, GeoTIFF: true, SubIFDThumb: true,
		Page2Identity: true, Unknown: true}
}

// TIFF tag numbers used only by the TIFF builder (TIFF 6.0, TIFF TN1,
// GeoTIFF 1.1, XMP Part 3, Photoshop TIFF tags).
const (
	tfNewSubfileType  = 254
	tfImageWidth      = 256
	tfImageLength     = 257
	tfBitsPerSample   = 258
	tfPhotometric     = 262
	tfDocumentName    = 269
	tfStripOffsets    = 273
	tfSamplesPerPixel = 277
	tfRowsPerStrip    = 278
	tfStripByteCounts = 279
	tfPlanarConfig    = 284
	tfPageName        = 285
	tfPredictor       = 317
	tfTileWidth       = 322
	tfTileLength      = 323
	tfTileOffsets     = 324
	tfTileByteCounts  = 325
	tfSubIFDs         = 330
	tfXMP             = 700
	tfIPTC            = 33723
	tfPixelScale      = 33550
	tfTiepoint        = 33922
	tfIRB             = 34377
	tfICC             = 34675
	tfGeoKeys         = 34735
	tfGeoDoubles      = 34736
	tfGeoASCII        = 34737
	tfUnknown         = 65000
	tfDouble          = 12
	tfTile            = 16
	tfRowsPer         = 4
)

// tfFixup records a StripOffsets/TileOffsets entry whose LONG values are
// the offsets of blobs, filled in once the layout is known.
type tfFixup struct {
	block, entry int
	blobs        []int
}

// TIFF returns a TIFF file as selected by o. Output is deterministic.
func TIFF(o TIFFOptions) []byte {
	o = tfDefaults(o)
	m := o.Markers.orDefault()
	b := newTB(o.BigEndian)
	var fix []tfFixup
	prev := -1
	for p := 0; p < o.Pages; p++ {
		d := b.ifd()
		if prev >= 0 {
			b.blocks[prev].next = d
		}
		prev = d
		fix = append(fix, tfImage(b, d, o, p))
		if o.ICC {
			b.undef(d, tfICC, tfICCProfile())
		}
		if o.Unknown {
			b.ascii(d, tfUnknown, m.AppText)
		}
		switch {
		case p == 0:
			fix = append(fix, tfPage0(b, d, o, m)...)
		case p == 1 && o.Page2Identity:
			b.ascii(d, exTagArtist, m.Artist)
			b.ascii(d, tfDocumentName, m.Description)
			b.ascii(d, tfPageName, m.Comment)
			b.bytes(d, exTagXPAuthor, exUTF16LE(m.XPAuthor))
			g := b.ifd()
			b.pointer(d, exTagGPSIFD, g)
			exAddGPS(b, g, m, false)
		}
	}
	offs := b.offsets()
	for _, f := range fix {
		e := &b.blocks[f.block].entries[f.entry]
		for k, blob := range f.blobs {
			b.bo.PutUint32(e.val[4*k:], offs[blob])
		}
	}
	return b.build()
}

func tfDefaults(o TIFFOptions) TIFFOptions {
	if o.Pages <= 0 {
		o.Pages = 1
	}
	if o.Width <= 0 {
		o.Width = 20
	}
	if o.Height <= 0 {
		o.Height = 10
	}
	return o
}

// TIFFPixels returns the 8-bit RGB samples (row-major, 3 bytes a pixel)
// that TIFF(o) stores for page p.
func TIFFPixels(o TIFFOptions, p int) []byte {
	o = tfDefaults(o)
	px := make([]byte, 0, 3*o.Width*o.Height)
	for y := 0; y < o.Height; y++ {
		for x := 0; x < o.Width; x++ {
			px = append(px, byte(x*12+p*50), byte(y*23+p*7), byte((x+y)*9^p*3))
		}
	}
	return px
}

// tfImage writes the image-structure tags of page p into IFD d and its
// data as blobs; it returns the offsets fixup.
func tfImage(b *tbBuilder, d int, o TIFFOptions, p int) tfFixup {
	px := TIFFPixels(o, p)
	w, h := o.Width, o.Height
	b.long(d, tfImageWidth, uint32(w))
	b.long(d, tfImageLength, uint32(h))
	b.short(d, tfBitsPerSample, 8, 8, 8)
	comp := uint16(1)
	if o.Deflate {
		comp = 8
		b.short(d, tfPredictor, 2)
	}
	b.short(d, exTagCompression, comp)
	b.short(d, tfPhotometric, 2)
	b.short(d, tfSamplesPerPixel, 3)
	b.short(d, tfPlanarConfig, 1)
	b.rational(d, exTagXResolution, 300, 1)
	b.rational(d, exTagYResolution, 300, 1)
	b.short(d, exTagResolutionUnit, 2)
	if o.Pages > 1 {
		b.short(d, 297, uint16(p), uint16(o.Pages))
	}
	var chunks [][]byte // each chunk: rows of rowLen bytes
	rowLen := 3 * w
	if o.Tiled {
		rowLen = 3 * tfTile
		for ty := 0; ty < h; ty += tfTile {
			for tx := 0; tx < w; tx += tfTile {
				t := make([]byte, rowLen*tfTile)
				for y := ty; y < ty+tfTile && y < h; y++ {
					for x := tx; x < tx+tfTile && x < w; x++ {
						copy(t[(y-ty)*rowLen+3*(x-tx):], px[3*(y*w+x):3*(y*w+x)+3])
					}
				}
				chunks = append(chunks, t)
			}
		}
		b.short(d, tfTileWidth, tfTile)
		b.short(d, tfTileLength, tfTile)
	} else {
		for y := 0; y < h; y += tfRowsPer {
			end := min(y+tfRowsPer, h)
			chunks = append(chunks, px[y*rowLen:end*rowLen])
		}
		b.short(d, tfRowsPerStrip, tfRowsPer)
	}
	var blobs []int
	var counts []uint32
	for _, c := range chunks {
		if o.Deflate {
			c = tfDeflate(c, rowLen)
		}
		blobs = append(blobs, b.blob(c))
		counts = append(counts, uint32(len(c)))
	}
	offTag, cntTag := uint16(tfStripOffsets), uint16(tfStripByteCounts)
	if o.Tiled {
		offTag, cntTag = tfTileOffsets, tfTileByteCounts
	}
	b.long(d, offTag, make([]uint32, len(blobs))...)
	idx := len(b.blocks[d].entries) - 1
	b.long(d, cntTag, counts...)
	return tfFixup{block: d, entry: idx, blobs: blobs}
}

// tfDeflate applies horizontal differencing (3 samples a pixel) to each
// row of c and zlib-compresses the result.
func tfDeflate(c []byte, rowLen int) []byte {
	diff := append([]byte(nil), c...)
	for r := 0; r+rowLen <= len(diff); r += rowLen {
		for i := rowLen - 1; i >= 3; i-- {
			diff[r+i] -= diff[r+i-3]
		}
	}
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	zw.Write(diff)
	zw.Close()
	return buf.Bytes()
}

// tfPage0 writes the metadata groups selected by o into IFD0.
func tfPage0(b *tbBuilder, d int, o TIFFOptions, m Markers) []tfFixup {
	var fix []tfFixup
	if o.Orientation != 0 {
		b.short(d, exTagOrientation, uint16(o.Orientation))
	}
	if o.Identity {
		b.ascii(d, exTagImageDescription, m.Description)
		b.ascii(d, exTagMake, m.Make)
		b.ascii(d, exTagModel, m.Model)
		b.ascii(d, exTagSoftware, m.Software)
		b.ascii(d, exTagDateTime, m.DateTime)
		b.ascii(d, exTagArtist, m.Artist)
		b.ascii(d, exTagHostComputer, m.HostComputer)
		b.ascii(d, exTagCopyright, m.Copyright)
		b.ascii(d, tfDocumentName, m.Description)
		b.ascii(d, tfPageName, m.Comment)
		b.bytes(d, exTagXPAuthor, exUTF16LE(m.XPAuthor))
		b.bytes(d, exTagXPComment, exUTF16LE(m.XPComment))
	}
	if o.Exif {
		ex := b.ifd()
		b.pointer(d, exTagExifIFD, ex)
		b.undef(ex, exTagExifVersion, []byte("0232"))
		b.ascii(ex, exTagDTOriginal, m.DateTime)
		b.ascii(ex, exTagOffsetTimeOrig, m.Offset)
		b.undef(ex, exTagUserComment, append([]byte("ASCII\x00\x00\x00"), m.UserComment...))
		b.ascii(ex, exTagImageUniqueID, m.UniqueID)
		b.ascii(ex, exTagCameraOwnerName, m.Owner)
		b.ascii(ex, exTagBodySerialNumber, m.Serial)
		b.undef(ex, exTagMakerNote, exMakerNote(m))
	}
	if o.GPS {
		g := b.ifd()
		b.pointer(d, exTagGPSIFD, g)
		exAddGPS(b, g, m, false)
	}
	if o.XMP {
		b.bytes(d, tfXMP, tfXMPPacket(m))
	}
	iim := tfIIM(m)
	if o.IPTC {
		b.undef(d, tfIPTC, iim)
	}
	if o.IRB {
		irb := []byte("8BIM\x04\x04\x00\x00")
		irb = binary.BigEndian.AppendUint32(irb, uint32(len(iim)))
		irb = append(irb, iim...)
		if len(irb)%2 == 1 {
			irb = append(irb, 0)
		}
		b.bytes(d, tfIRB, irb)
	}
	if o.GeoTIFF {
		b.add(d, tbEntry{tag: tfPixelScale, typ: tfDouble, count: 3, ref: -1,
			val: tfDoubles(b.bo, 0.0001, 0.0001, 0)})
		b.add(d, tbEntry{tag: tfTiepoint, typ: tfDouble, count: 6, ref: -1,
			val: tfDoubles(b.bo, 0, 0, 0, m.Lon, m.Lat, 0)})
		cit := m.City + "|"
		b.short(d, tfGeoKeys, 1, 1, 0, 4,
			1024, 0, 1, 2, // GTModelTypeGeoKey: geographic
			1025, 0, 1, 1, // GTRasterTypeGeoKey: pixel is area
			1026, tfGeoASCII, uint16(len(cit)), 0, // GTCitationGeoKey
			2057, tfGeoDoubles, 1, 0) // GeogSemiMajorAxisGeoKey
		b.add(d, tbEntry{tag: tfGeoDoubles, typ: tfDouble, count: 1, ref: -1,
			val: tfDoubles(b.bo, 6378137)})
		b.ascii(d, tfGeoASCII, cit)
	}
	if o.SubIFDThumb {
		s := b.ifd()
		b.pointer(d, tfSubIFDs, s)
		thumb := make([]byte, 8*2*3)
		copy(thumb, m.Comment)
		b.long(s, tfNewSubfileType, 1)
		b.long(s, tfImageWidth, 8)
		b.long(s, tfImageLength, 2)
		b.short(s, tfBitsPerSample, 8, 8, 8)
		b.short(s, exTagCompression, 1)
		b.short(s, tfPhotometric, 2)
		b.short(s, tfSamplesPerPixel, 3)
		b.short(s, tfRowsPerStrip, 2)
		blob := b.blob(thumb)
		b.long(s, tfStripOffsets, 0)
		fix = append(fix, tfFixup{block: s, entry: len(b.blocks[s].entries) - 1, blobs: []int{blob}})
		b.long(s, tfStripByteCounts, uint32(len(thumb)))
	}
	return fix
}

func tfDoubles(bo tbOrder, vs ...float64) []byte {
	var out []byte
	for _, v := range vs {
		out = bo.AppendUint64(out, math.Float64bits(v))
	}
	return out
}

// tfXMPPacket is an XMP packet with GPS, creator and city properties.
func tfXMPPacket(m Markers) []byte {
	d, mi := mkDecMinutes(m.Lat)
	lat := mkFixed(float64(d), 0) + "," + mkFixed(mi, 4) + "N"
	if m.Lat < 0 {
		lat = lat[:len(lat)-1] + "S"
	}
	d, mi = mkDecMinutes(m.Lon)
	lon := mkFixed(float64(d), 0) + "," + mkFixed(mi, 4) + "E"
	if m.Lon < 0 {
		lon = lon[:len(lon)-1] + "W"
	}
	return []byte(`<?xpacket begin="` + "\ufeff" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
 exif:GPSLatitude="` + lat + `" exif:GPSLongitude="` + lon + `" photoshop:City="` + m.City + `">
<dc:creator><rdf:Seq><rdf:li>` + m.Creator + `</rdf:li></rdf:Seq></dc:creator>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`)
}

// tfIIM is IPTC-IIM record 2 with a version, By-line, City and Country.
func tfIIM(m Markers) []byte {
	out := []byte{0x1C, 2, 0, 0, 2, 0, 4}
	for _, ds := range []struct {
		n byte
		s string
	}{{80, m.Artist}, {90, m.City}, {101, m.Country}} {
		out = append(out, 0x1C, 2, ds.n, byte(len(ds.s)>>8), byte(len(ds.s)))
		out = append(out, ds.s...)
	}
	return out
}

// tfICCProfile is a small complete ICC profile with standard texts.
func tfICCProfile() []byte {
	return ICCProfileRGB("sRGB IEC61966-2.1", "No copyright, use freely")
}
