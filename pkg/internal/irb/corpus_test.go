package irb

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/corpus"
	"github.com/photoscrub/photoscrub/pkg/internal/xmp"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

var (
	xmpPrefix = []byte("http://ns.adobe.com/xap/1.0/\x00")
	psPrefix  = []byte("Photoshop 3.0\x00")
)

// jpegPayloads is a tiny marker scan (test only): the payloads of APP1 XMP
// segments and of APP13 Photoshop segments, up to the first SOS.
func jpegPayloads(data []byte) (xmps [][]byte, irb []byte) {
	if !bytes.HasPrefix(data, []byte{0xFF, 0xD8}) {
		return nil, nil
	}
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			i++
			continue
		}
		m := data[i+1]
		switch {
		case m == 0xFF:
			i++
			continue
		case m == 0xD9 || m == 0xDA:
			return xmps, irb
		case m == 0x01 || m >= 0xD0 && m <= 0xD7:
			i += 2
			continue
		}
		n := int(data[i+2])<<8 | int(data[i+3])
		if n < 2 || i+2+n > len(data) {
			return xmps, irb
		}
		seg := data[i+4 : i+2+n]
		switch {
		case m == 0xE1 && bytes.HasPrefix(seg, xmpPrefix):
			xmps = append(xmps, seg[len(xmpPrefix):])
		case m == 0xED && bytes.HasPrefix(seg, psPrefix):
			irb = append(irb, seg[len(psPrefix):]...) // blocks may span segments
		}
		i += 2 + n
	}
	return xmps, irb
}

// TestCorpus runs both classifiers over the XMP and Photoshop payloads of
// the real JPEGs that have XMP or IPTC, and checks that location data the
// manifest attributes to XMP or IPTC is found.
func TestCorpus(t *testing.T) {
	var files, xmpLoc, iptcLoc, errs int
	withXMPOrIPTC := func(e corpus.Entry) bool {
		return strings.HasPrefix(e.Path(), "real/jpeg/") && (e["has_xmp"] == "yes" || e["has_iptc"] == "yes")
	}
	for e, data := range corpus.Files(t, withXMPOrIPTC) {
		files++
		xmps, irbData := jpegPayloads(data)
		var set meta.Set
		for _, p := range xmps {
			if err := xmp.Inspect(p, "APP1 XMP", &set); err != nil {
				errs++
				t.Logf("%s: XMP: %v", e.Path(), err)
			}
		}
		if irbData != nil {
			if err := InspectIRB(irbData, "APP13", &set); err != nil {
				errs++
				t.Logf("%s: IRB: %v", e.Path(), err)
			}
		}
		list := set.List()
		if (len(xmps) > 0 || irbData != nil) && len(list) == 0 {
			t.Errorf("%s: payloads but no finding", e.Path())
		}
		locIn := func(sub string) bool {
			return slices.ContainsFunc(list, func(f meta.Finding) bool {
				return f.Category == meta.Location && strings.Contains(f.Where, sub)
			})
		}
		groups := e["gps_groups"] + ";" + e["location_text"]
		if strings.Contains(groups, "XMP") {
			xmpLoc++
			if !locIn("XMP") {
				t.Errorf("%s: manifest has location in XMP (%s), no XMP Location finding: %v", e.Path(), groups, list)
			}
		}
		if slices.Contains(strings.Split(e["location_text"], ";"), "IPTC") {
			iptcLoc++
			if !locIn("IPTC") {
				t.Errorf("%s: manifest has IPTC place names, no IPTC Location finding: %v", e.Path(), list)
			}
		}
	}
	t.Logf("%d files, %d with XMP location, %d with IPTC location, %d parse errors", files, xmpLoc, iptcLoc, errs)
	if files == 0 {
		t.Error("no corpus file with XMP or IPTC")
	}
}

// TestCorpusExtendedXMP checks the GUID link of a real Extended XMP file.
func TestCorpusExtendedXMP(t *testing.T) {
	data := corpus.File(t, "real/jpeg/exiftool__ExtendedXMP.jpg")
	xmps, _ := jpegPayloads(data)
	if len(xmps) == 0 {
		t.Fatal("no XMP segment")
	}
	g, ok := xmp.ExtendedGUID(xmps[0])
	if !ok || !bytes.Contains(data, []byte("http://ns.adobe.com/xmp/extension/\x00"+g)) {
		t.Errorf("ExtendedGUID = %v; no extension segment carries it", ok)
	}
}
