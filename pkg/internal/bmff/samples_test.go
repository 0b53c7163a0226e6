package bmff

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"

	"github.com/photoscrub/photoscrub/pkg/internal/container/containertest"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// Planted markers: none may survive a rebuild or appear in a report.
const (
	mkThumb   = "THUMB-MARKER-q1Zr"
	mkDepth   = "DEPTH-MARKER-q2Ys"
	mkUUID    = "UUID-MARKER-q3Xt"
	mkC2PA    = "C2PA-MARKER-q4Wu"
	mkUdes    = "UDES-MARKER-q5Vv"
	mkName    = "PSMK-ITEMNAME"
	mkHdlr    = "PSMK-HDLRNAME"
	mkSlack   = "Jane Q. Slackwell, 12 Hidden Lane"
	mkSEI     = "SEI-USERDATA-Jane-Roe"
	mkTrail   = "TRAILING-PROP-Jane"
	mkFourCC  = "Jo3n"
	mkUnknown = "UNKNOWN-PROP-John-Doe"
	mkMetaOBU = "OBU-METADATA-Jane"
	mkPad     = "OBU-PADDING-Jane"
	mkBrand   = "JANE"
	mkFree    = "FREE-BOX-Jane"
	mkCT      = "text/x-jane-doe"
)

func gpsEXIF() []byte {
	return testimg.EXIF(testimg.EXIFOptions{Orientation: 1, GPS: true, Identity: true, Thumbnail: true})
}

func allOptions() testimg.HEIFOptions {
	return testimg.HEIFOptions{EXIF: gpsEXIF(), XMP: testimg.XMPPacket(testimg.XMPOptions{}),
		Thumbnail: []byte(mkThumb), Depth: []byte(mkDepth), Alpha: []byte("coded-alpha-plane"),
		UUID: []byte(mkUUID), C2PA: []byte(mkC2PA), Description: mkUdes, ICC: []byte("icc-profile"),
		Rotation: 1, Names: true}
}

// markers are the planted strings of the hostile samples.
func markers() []string {
	return append(testimg.DefaultMarkers().Needles(), mkThumb, mkDepth, mkUUID, mkC2PA, mkUdes, mkName, mkHdlr,
		mkSlack, mkSEI, mkTrail, mkFourCC, mkUnknown, mkMetaOBU, mkPad, mkBrand, mkFree, mkCT)
}

// hevcConfig is an hvcC box; extra arrays (whole, with header) follow
// the VPS/SPS/PPS arrays.
func hvcCBox(extra ...[]byte) []byte {
	c := testimg.HEVCConfig([]byte("param-set"))
	c[22] += byte(len(extra))
	for _, e := range extra {
		c = append(c, e...)
	}
	return testimg.HEIFBox("hvcC", c)
}

// seiArray is an hvcC array of one prefix SEI NAL unit holding text.
func seiArray(text string) []byte {
	nal := append([]byte{39 << 1, 1}, text...)
	b := []byte{39, 0, 1}
	b = binary.BigEndian.AppendUint16(b, uint16(len(nal)))
	return append(b, nal...)
}

// hevcFile is a one-item HEIC: primary hvc1 with hvcC and ispe (plus
// props), coded data data.
func hevcFile(data []byte, props ...[]byte) testimg.HEIFFile {
	ps := append([][]byte{hvcCBox(), testimg.HEIFIspe(64, 48)}, props...)
	idx := []int{-1, 2}
	for i := range props {
		idx = append(idx, 3+i)
	}
	return testimg.HEIFFile{Primary: 1, Props: ps,
		Items: []testimg.HEIFItem{{ID: 1, Type: "hvc1", Data: data, Props: idx}}}
}

func slice(s string) []byte { return testimg.HEVCNAL(1, []byte(s)) }

// xmpGPS is an XMP packet with GPS coordinates.
func xmpGPS() []byte {
	return testimg.XMPPacket(testimg.XMPOptions{})
}

func deflate(b []byte) []byte {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Bytes()
}

// withMeta adds a metadata item linked to the primary item.
func withMeta(f testimg.HEIFFile, it testimg.HEIFItem) testimg.HEIFFile {
	f.Items = append(f.Items, it)
	f.Refs = append(f.Refs, testimg.HEIFRef{Type: "cdsc", From: it.ID, To: []uint16{f.Primary}})
	return f
}

// exifItemData is an Exif item payload with the usual prefix.
func exifItemData(tiff []byte) []byte {
	return append([]byte{0, 0, 0, 6, 'E', 'x', 'i', 'f', 0, 0}, tiff...)
}

// avifFile is a one-item AVIF: av01 primary with av1C and ispe.
func avifFile(data []byte, configOBUs ...[]byte) testimg.HEIFFile {
	return testimg.HEIFFile{Ftyp: []byte("avif\x00\x00\x00\x00mif1avifmiaf"), Primary: 1,
		Props: [][]byte{testimg.HEIFBox("av1C", testimg.AV1Config(configOBUs...)), testimg.HEIFIspe(64, 48)},
		Items: []testimg.HEIFItem{{ID: 1, Type: "av01", Data: data, Props: []int{-1, 2}}}}
}

var (
	seqHdr = testimg.AV1OBU(1, []byte("sequence-header"))
	frame  = testimg.AV1OBU(6, []byte("frame-data-stand-in"))
)

// generated returns clean and dirty samples built in code; hostile ones
// are Dirty and hold planted markers.
func generated() (heif, avif []containertest.Sample) {
	add := func(name string, dirty bool, b []byte) {
		heif = append(heif, containertest.Sample{Name: name, Data: b, Dirty: dirty})
	}
	add("plain", false, testimg.HEIF(testimg.HEIFOptions{}))
	add("all", true, testimg.HEIF(allOptions()))
	g := allOptions()
	g.Grid, g.GridInIdat = true, true
	add("all-grid-idat", true, testimg.HEIF(g))
	g.Grid, g.GridInIdat, g.MdatFirst, g.LargeIDs = true, false, true, true
	add("all-grid-mdat-first-large-ids", true, testimg.HEIF(g))
	add("grid-idat-rot3", false, testimg.HEIF(testimg.HEIFOptions{Grid: true, GridInIdat: true, Rotation: 3}))
	add("mdat-first-large-ids-rot2", false, testimg.HEIF(testimg.HEIFOptions{MdatFirst: true, LargeIDs: true, Rotation: 2}))
	add("builder-clean", false, testimg.BuildHEIF(hevcFile(slice("clean-slice"))))

	// Hostile samples, one per class.
	f := hevcFile(slice("slice"))
	f.MdatExtra = []byte(mkSlack)
	add("uncovered-mdat-bytes", true, testimg.BuildHEIF(f))
	add("sei-nal-in-item", true, testimg.BuildHEIF(hevcFile(append(testimg.HEVCNAL(39, []byte(mkSEI)), slice("slice")...))))
	add("aud-filler-nal", true, testimg.BuildHEIF(hevcFile(append(testimg.HEVCNAL(35, []byte{0x50}), append(slice("slice"), testimg.HEVCNAL(38, []byte(mkPad))...)...))))
	f = hevcFile(slice("slice"))
	f.Props[0] = hvcCBox(seiArray(mkSEI))
	add("sei-nal-in-hvcC", true, testimg.BuildHEIF(f))
	add("property-trailing-bytes", true, testimg.BuildHEIF(hevcFile(slice("slice"),
		testimg.HEIFBox("pasp", append([]byte{0, 0, 0, 1, 0, 0, 0, 1}, mkTrail...)))))
	f = hevcFile(slice("slice"))
	f.Props[1] = append(testimg.HEIFIspe(64, 48), mkTrail...)
	binary.BigEndian.PutUint32(f.Props[1], uint32(len(f.Props[1])))
	add("ispe-trailing-bytes", true, testimg.BuildHEIF(f))
	add("unknown-property-name", true, testimg.BuildHEIF(hevcFile(slice("slice"), testimg.HEIFBox(mkFourCC, []byte(mkUnknown)))))
	f = hevcFile(slice("slice"), testimg.HEIFBox(mkFourCC, []byte(mkUnknown)))
	f.Items[0].Props = f.Items[0].Props[:2]
	add("unassociated-property", true, testimg.BuildHEIF(f))
	add("compressed-xmp-gps", true, testimg.BuildHEIF(withMeta(hevcFile(slice("slice")),
		testimg.HEIFItem{ID: 5, Type: "mime", Hidden: true, ContentType: "application/rdf+xml", Encoding: "deflate", Data: deflate(xmpGPS())})))
	add("generic-xml-gps", true, testimg.BuildHEIF(withMeta(hevcFile(slice("slice")),
		testimg.HEIFItem{ID: 5, Type: "mime", Hidden: true, ContentType: "text/xml", Data: xmpGPS()})))
	add("odd-content-type", true, testimg.BuildHEIF(withMeta(hevcFile(slice("slice")),
		testimg.HEIFItem{ID: 5, Type: "mime", Hidden: true, ContentType: mkCT, Data: []byte(mkSlack)})))
	add("exif-orientation-6", true, testimg.BuildHEIF(withMeta(hevcFile(slice("slice")),
		testimg.HEIFItem{ID: 5, Type: "Exif", Hidden: true, Data: exifItemData(testimg.EXIF(testimg.EXIFOptions{Orientation: 6, GPS: true}))})))
	add("xmp-orientation-8", true, testimg.BuildHEIF(withMeta(hevcFile(slice("slice")),
		testimg.HEIFItem{ID: 5, Type: "mime", Hidden: true, ContentType: "application/rdf+xml",
			Data: []byte(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Orientation="8"/></rdf:RDF></x:xmpmeta>`)})))
	f = hevcFile(slice("slice"))
	f.Items[0].Name = mkName
	add("item-name", true, testimg.BuildHEIF(f))
	f = hevcFile(slice("slice"))
	f.Ftyp = []byte("heic\x00\x00\x00\x00mif1heic" + mkBrand)
	add("unknown-brand", true, testimg.BuildHEIF(f))
	f = hevcFile(slice("slice"))
	f.Tail = [][]byte{testimg.HEIFBox("free", []byte(mkFree)), testimg.HEIFBox("free", make([]byte, 16))}
	add("free-box-text", true, testimg.BuildHEIF(f))
	f = hevcFile(slice("slice"))
	f.Tail = [][]byte{testimg.HEIFBox("Jan3", []byte(mkUnknown))}
	add("unknown-top-level-box", true, testimg.BuildHEIF(f))
	f = hevcFile(slice("slice"))
	f.MetaExtra = [][]byte{testimg.HEIFBox("Jan3", []byte(mkUnknown))}
	add("unknown-meta-child", true, testimg.BuildHEIF(f))
	add("bytes-after-last-box", true, append(testimg.BuildHEIF(hevcFile(slice("slice"))), "Jan"...))

	addA := func(name string, dirty bool, b []byte) {
		avif = append(avif, containertest.Sample{Name: name, Data: b, Dirty: dirty})
	}
	addA("avif-plain", false, testimg.BuildHEIF(avifFile(append(seqHdr, frame...), seqHdr)))
	addA("avif-metadata-obu", true, testimg.BuildHEIF(avifFile(append(append(testimg.AV1OBU(2, nil), seqHdr...),
		append(testimg.AV1OBU(5, []byte(mkMetaOBU)), append(frame, testimg.AV1OBU(15, []byte(mkPad))...)...)...), seqHdr)))
	addA("avif-av1C-metadata-obu", true, testimg.BuildHEIF(avifFile(append(seqHdr, frame...), seqHdr, testimg.AV1OBU(5, []byte(mkMetaOBU)))))
	return heif, avif
}
