package photoscrub_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/photoscrub"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// plantedName is the value every identifier case below hides in a name: the
// report may say what kind of part it found and its size, never the name.
const plantedName = "PCSmithHome"

func jpegWith(t *testing.T, segs ...[]byte) []byte {
	t.Helper()
	b, err := testimg.JPEG(testimg.JPEGOptions{Width: 32, Height: 24})
	if err != nil {
		t.Fatal(err)
	}
	out := append([]byte{}, b[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, b[2:]...)
}

func seg(marker byte, payload []byte) []byte {
	s := []byte{0xFF, marker}
	s = binary.BigEndian.AppendUint16(s, uint16(len(payload)+2))
	return append(s, payload...)
}

func pngWith(t *testing.T, typ string, body []byte) []byte {
	t.Helper()
	b := testimg.PNG(testimg.PNGOptions{})
	at := 8 + 12 + int(binary.BigEndian.Uint32(b[8:]))
	c := binary.BigEndian.AppendUint32(nil, uint32(len(body)))
	c = append(c, typ...)
	c = append(c, body...)
	c = binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
	out := append([]byte{}, b[:at]...)
	out = append(out, c...)
	return append(out, b[at:]...)
}

func gifWith(t *testing.T, ext []byte) []byte {
	t.Helper()
	b := testimg.GIF(testimg.GIFOptions{})
	out := append([]byte{}, b[:len(b)-1]...) // before the trailer
	out = append(out, ext...)
	return append(out, 0x3B)
}

func webpWith(t *testing.T, id string, body []byte) []byte {
	t.Helper()
	b := testimg.WebP(testimg.WebPOptions{})
	c := append([]byte(id), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...)
	c = append(c, body...)
	if len(body)%2 == 1 {
		c = append(c, 0)
	}
	out := append(append([]byte{}, b...), c...)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out
}

const xmpHead = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">`
const xmpTail = `</rdf:RDF></x:xmpmeta><?xpacket end="w"?>`

// TestUnknownNamesNeverReported plants a value in every identifier a file
// can choose freely (segment, chunk and extension identifiers, XMP property
// and namespace names, ICC text): the finding must say what kind of part it
// is, the plantedName value must be in neither the findings nor the cleaned
// file.
func TestUnknownNamesNeverReported(t *testing.T) {
	xmpUnknown := xmpHead + `<rdf:Description xmlns:` + plantedName + `="http://` + plantedName + `.example/ns/"><` + plantedName + `:` + plantedName + `Prop>1</` + plantedName + `:` + plantedName + `Prop></rdf:Description>` + xmpTail
	cases := []struct {
		name string
		data []byte
		want meta.Category // a category the findings must include
	}{
		{"jpeg unknown APPn identifier", jpegWith(t, seg(0xE9, []byte(plantedName+"\x00payload"))), meta.Other},
		{"jpeg XMP unknown namespace and property", jpegWith(t, seg(0xE1, append([]byte("http://ns.adobe.com/xap/1.0/\x00"), xmpUnknown...))), ""},
		{"png unknown chunk type", pngWith(t, "smIt", []byte(plantedName)), ""},
		{"gif application identifier", gifWith(t, testimg.GIFAppExtension(plantedName[:8], plantedName[8:11], []byte("x"))), ""},
		{"webp unknown chunk", webpWith(t, "SMIT", []byte(plantedName)), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in, err := photoscrub.Inspect(c.data)
			if err != nil {
				t.Fatalf("Inspect: %v", err)
			}
			if len(in.Findings) == 0 {
				t.Fatal("plantedName part not reported")
			}
			js, _ := json.Marshal(in.Findings)
			for _, needle := range []string{plantedName, strings.ToLower(plantedName), plantedName[:8], "smIt", "SMIT"} {
				if bytes.Contains(js, []byte(needle)) {
					t.Errorf("findings echo the plantedName name %q: %s", needle, js)
				}
			}
			if c.want != "" {
				found := false
				for _, f := range in.Findings {
					found = found || f.Category == c.want
				}
				if !found {
					t.Errorf("no %s finding: %s", c.want, js)
				}
			}
			out, err := photoscrub.Clean(c.data, meta.DefaultKeep)
			if err != nil {
				t.Fatalf("Clean: %v", err)
			}
			if bytes.Contains(out, []byte(plantedName)) {
				t.Error("cleaned file still holds the plantedName value")
			}
		})
	}
}

// TestLocationInUnusualCarriers: XMP with a position in a JPEG comment is a
// location finding, not only a comment.
func TestLocationInUnusualCarriers(t *testing.T) {
	pkt := xmpHead + `<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,24.5N" exif:GPSLongitude="2,9.3W"/>` + xmpTail
	geo := xmpHead + `<rdf:Description xmlns:geo="http://www.w3.org/2003/01/geo/wgs84_pos#"><geo:lat>51.4</geo:lat><geo:long>-2.15</geo:long></rdf:Description>` + xmpTail
	cases := map[string][]byte{
		"xmp in a COM segment": jpegWith(t, seg(0xFE, []byte(pkt))),
		"W3C geo in APP1 XMP":  jpegWith(t, seg(0xE1, append([]byte("http://ns.adobe.com/xap/1.0/\x00"), geo...))),
		"xmp in a PNG tEXt":    pngWith(t, "tEXt", append([]byte("Comment\x00"), pkt...)),
		"xmp in a GIF comment": gifWith(t, append([]byte{0x21, 0xFE}, testimg.GIFSubBlocks([]byte(pkt))...)),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			in, err := photoscrub.Inspect(data)
			if err != nil {
				t.Fatalf("Inspect: %v", err)
			}
			for _, f := range in.Findings {
				if f.Category == meta.Location {
					return
				}
			}
			t.Errorf("no location finding: %+v", in.Findings)
		})
	}
}
