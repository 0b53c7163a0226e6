package irb

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

const where = "APP13 Photoshop"

func f(c meta.Category, w string, tags ...string) meta.Finding {
	t := slices.Clone(tags)
	slices.Sort(t)
	if t == nil {
		t = []string{}
	}
	return meta.Finding{Category: c, Where: w, Tags: t}
}

type irbCase struct {
	name    string
	in      []byte
	want    []meta.Finding
	wantErr bool
}

func irbCases() []irbCase {
	iptc := where + "/IPTC"
	return []irbCase{
		{"typical APP13", sampleIRB(), []meta.Finding{
			f(meta.Location, iptc, "City", "Province-State", "Country-PrimaryLocationName"),
			f(meta.Location, where+"/XMP", "exif:GPSLatitude"),
			f(meta.Identity, where, "URL"),
			f(meta.Identity, iptc, "By-line", "CopyrightNotice"),
			f(meta.Identity, where+"/XMP", "dc:creator"),
			f(meta.Embedded, where, "PhotoshopThumbnail"),
			f(meta.Comment, where, "resource name"),
			f(meta.Comment, iptc, "Caption-Abstract", "Keywords"),
			f(meta.Other, where, "ResolutionInfo", "IPTCDigest", "Resource0x7777"),
			f(meta.Other, iptc, "CodedCharacterSet", "ApplicationRecordVersion", "DateCreated"),
		}, false},
		{"old thumbnail and flags", cat(res("8BIM", 0x0409, "", []byte{1, 2, 3}), res("8BIM", 0x040A, "", []byte{1}),
			res("8BIM", 0x041E, "", []byte(v())), res("8BIM", 0x041A, "", []byte(v())), res("MeSa", 0x0FA5, "", nil),
			res("AgHg", 0x07D1, "", nil), res("DCSR", 0x0421, "", []byte(v()))), []meta.Finding{
			f(meta.Identity, where, "URL_List", "VersionInfo"),
			f(meta.Embedded, where, "PhotoshopThumbnail"),
			f(meta.Other, where, "CopyrightFlag", "SlicesGroupName", "PluginResource", "PathInfo"),
		}, false},
		{"zero padding after blocks", append(res("8BIM", 0x03ED, "", make([]byte, 16)), 0, 0, 0, 0, 0),
			[]meta.Finding{f(meta.Other, where, "ResolutionInfo")}, false},
		{"missing final pad byte", res("8BIM", 0x040B, "", []byte("abc"))[:4+2+2+4+3],
			[]meta.Finding{f(meta.Identity, where, "URL")}, false},
		{"empty", nil, []meta.Finding{f(meta.Other, where, "PhotoshopIRB")}, false},
		{"bad signature after a good block", cat(res("8BIM", 0x040B, "", nil), []byte("XXXX\x04\x04\x00\x00\x00\x00\x00\x00")),
			[]meta.Finding{f(meta.Identity, where, "URL"), f(meta.Unparsed, where, "PhotoshopIRB")}, true},
		{"huge declared size", []byte("8BIM\x04\x04\x00\x00\xFF\xFF\xFF\xFF\x1c\x02\x5a"),
			[]meta.Finding{f(meta.Unparsed, where, "PhotoshopIRB")}, true},
		{"name runs past end", []byte("8BIM\x04\x04\xFFabc"), []meta.Finding{f(meta.Unparsed, where, "PhotoshopIRB")}, true},
		{"malformed IIM inside sound block is not an IRB error", res("8BIM", 0x0404, "", cat(ds(2, 90, []byte(v())), []byte{0x1C, 2, 80, 0xFF, 0xFF})),
			[]meta.Finding{f(meta.Location, iptc, "City"), f(meta.Unparsed, iptc, "IPTC")}, false},
		{"nested payloads capped", bytes.Repeat(res("8BIM", 0x0404, "", ds(2, 90, nil)), maxNested+1), []meta.Finding{
			f(meta.Location, iptc, "City"), f(meta.Unparsed, where, "TooManyEmbeddedPayloads")}, false},
		{"XMP in the XML resource", res("8BIM", 0x03EA, "", sampleXMP()), []meta.Finding{
			f(meta.Location, where+"/XMP", "exif:GPSLatitude"),
			f(meta.Identity, where+"/XMP", "dc:creator"),
			f(meta.Other, where, "XMLData")}, false},
		{"XMP after text in an unknown resource", res("8BIM", 0x2BC0, v(), append([]byte(v()+" "), sampleXMP()...)), []meta.Finding{
			f(meta.Location, where+"/XMP", "exif:GPSLatitude"),
			f(meta.Identity, where+"/XMP", "dc:creator"),
			f(meta.Comment, where, "resource name"),
			f(meta.Other, where, "Resource0x2BC0")}, false},
		{"malformed XMP inside sound block", res("8BIM", 0x0424, "", []byte("<x:xmpmeta "+v())),
			[]meta.Finding{f(meta.Unparsed, where+"/XMP", "XMP")}, false},
	}
}

func TestInspectIRB(t *testing.T) {
	for _, tc := range irbCases() {
		t.Run(tc.name, func(t *testing.T) {
			var set meta.Set
			err := InspectIRB(tc.in, where, &set)
			checkErr(t, err, tc.wantErr)
			if got := set.List(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("findings\n got %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestIRBExifGoesToExifmeta(t *testing.T) {
	for _, id := range []uint16{0x0422, 0x0423} {
		for _, data := range [][]byte{sampleEXIF(), append([]byte("Exif\x00\x00"), sampleEXIF()...)} {
			var set meta.Set
			if err := InspectIRB(res("8BIM", id, "", data), where, &set); err != nil {
				t.Fatal(err)
			}
			// exifmeta decides the tags; the block must be handed to it.
			list := set.List()
			if !slices.ContainsFunc(list, func(fd meta.Finding) bool {
				return strings.HasPrefix(fd.Where, where+"/EXIF") && fd.Category == meta.Location
			}) {
				t.Errorf("0x%04X: no Location finding under %s/EXIF: %v", id, where, list)
			}
			if !slices.ContainsFunc(list, func(fd meta.Finding) bool { return fd.Where == where && slices.Contains(fd.Tags, "EXIFInfo") }) {
				t.Errorf("0x%04X: resource not reported: %v", id, list)
			}
		}
	}
}

type iimCase = irbCase

func iimCases() []iimCase {
	big := []byte(strings.Repeat(v(), 4000)) // 48000 bytes: needs an extended length
	return []iimCase{
		{"all classes", cat(ds(2, 26, nil), ds(2, 27, nil), ds(2, 92, nil), ds(2, 100, nil), ds(2, 85, nil), ds(2, 110, nil),
			ds(2, 115, nil), ds(2, 118, nil), ds(2, 122, nil), ds(2, 103, nil), ds(2, 105, nil), ds(2, 5, nil), ds(2, 40, nil),
			ds(2, 60, nil), ds(2, 202, nil), ds(2, 199, nil), ds(1, 100, nil), ds(1, 99, nil), ds(8, 10, nil), ds(3, 1, nil)), []meta.Finding{
			f(meta.Location, where, "ContentLocationCode", "ContentLocationName", "Sub-location", "Country-PrimaryLocationCode"),
			f(meta.Identity, where, "By-lineTitle", "Credit", "Source", "Contact", "Writer-Editor", "OriginalTransmissionReference"),
			f(meta.Embedded, where, "ObjectPreviewData", "IIM8:10"),
			f(meta.Comment, where, "Headline", "ObjectName", "SpecialInstructions"),
			f(meta.Other, where, "TimeCreated", "IIM2:199", "UniqueObjectName", "IIM1:99", "IIM3:1"),
		}, false},
		{"extended length", cat(dsExt(2, 90, big, 4), ds(2, 80, []byte(v()))),
			[]meta.Finding{f(meta.Location, where, "City"), f(meta.Identity, where, "By-line")}, false},
		{"extended length of 8 bytes", dsExt(2, 120, []byte(v()), 8), []meta.Finding{f(meta.Comment, where, "Caption-Abstract")}, false},
		{"extended length field of 0 bytes", []byte{0x1C, 2, 90, 0x80, 0x00, 1, 2}, []meta.Finding{f(meta.Unparsed, where, "IPTC")}, true},
		{"extended length field of 9 bytes", []byte{0x1C, 2, 90, 0x80, 0x09, 0, 0, 0, 0, 0, 0, 0, 0, 1, 'x'}, []meta.Finding{f(meta.Unparsed, where, "IPTC")}, true},
		{"extended length 2^64-1", []byte{0x1C, 2, 90, 0x80, 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 'x'}, []meta.Finding{f(meta.Unparsed, where, "IPTC")}, true},
		{"extended length field truncated", []byte{0x1C, 2, 90, 0x80, 0x04, 0}, []meta.Finding{f(meta.Unparsed, where, "IPTC")}, true},
		{"length past end keeps earlier", cat(ds(2, 90, []byte(v())), []byte{0x1C, 2, 80, 0x7F, 0xFF, 'x'}),
			[]meta.Finding{f(meta.Location, where, "City"), f(meta.Unparsed, where, "IPTC")}, true},
		{"bad marker", cat(ds(2, 5, []byte(v())), []byte("junk"+v())), []meta.Finding{f(meta.Comment, where, "ObjectName"), f(meta.Unparsed, where, "IPTC")}, true},
		{"zero padding", append(ds(2, 90, nil), 0, 0, 0), []meta.Finding{f(meta.Location, where, "City")}, false},
		{"empty", nil, []meta.Finding{f(meta.Other, where, "IPTC")}, false},
	}
}

func TestInspectIIM(t *testing.T) {
	for _, tc := range iimCases() {
		t.Run(tc.name, func(t *testing.T) {
			var set meta.Set
			err := InspectIIM(tc.in, where, &set)
			checkErr(t, err, tc.wantErr)
			if got := set.List(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("findings\n got %v\nwant %v", got, tc.want)
			}
		})
	}
}

func checkErr(t *testing.T, err error, wantErr bool) {
	t.Helper()
	if (err != nil) != wantErr {
		t.Fatalf("err = %v, wantErr %v", err, wantErr)
	}
	var fe FormatError
	if err != nil && !errors.As(err, &fe) {
		t.Errorf("error %T is not a FormatError", err)
	}
}

// TestTruncatedEverywhere cuts generated blocks at every offset: no panic,
// at least one finding, and an error always comes with an Unparsed finding.
func TestTruncatedEverywhere(t *testing.T) {
	irbData := sampleIRB()
	iimData := cat(sampleIIM(), dsExt(2, 90, []byte(v()), 4))
	errs := 0
	for i := 0; i <= len(irbData); i++ {
		errs += checkInvariants(t, "IRB", irbData[:i], InspectIRB)
	}
	for i := 0; i <= len(iimData); i++ {
		errs += checkInvariants(t, "IIM", iimData[:i], InspectIIM)
	}
	if errs == 0 {
		t.Error("no truncation was reported as an error")
	}
}

func checkInvariants(t *testing.T, kind string, in []byte, fn func([]byte, string, *meta.Set) error) int {
	t.Helper()
	var set meta.Set
	err := fn(in, where, &set)
	if set.Len() == 0 {
		t.Fatalf("%s len %d: no finding", kind, len(in))
	}
	if err != nil {
		if !slices.ContainsFunc(set.List(), func(fd meta.Finding) bool { return fd.Category == meta.Unparsed && fd.Where == where }) {
			t.Fatalf("%s len %d: error %v without Unparsed finding: %v", kind, len(in), err, set.List())
		}
		return 1
	}
	return 0
}

// TestNoValueLeaks checks that no planted marker (values and resource
// names) reaches a finding or an error.
func TestNoValueLeaks(t *testing.T) {
	var cases []irbCase
	cases = append(cases, irbCases()...)
	for _, tc := range iimCases() {
		tc.in = res("8BIM", 0x0404, v(), tc.in)
		cases = append(cases, tc)
	}
	for _, tc := range cases {
		for _, fn := range []func([]byte, string, *meta.Set) error{InspectIRB, InspectIIM} {
			var set meta.Set
			err := fn(tc.in, where, &set)
			if err != nil && strings.Contains(err.Error(), markerPrefix) {
				t.Errorf("%s: error leaks a value: %v", tc.name, err)
			}
			for _, fd := range set.List() {
				if strings.Contains(fd.Where, markerPrefix) || slices.ContainsFunc(fd.Tags, func(s string) bool { return strings.Contains(s, markerPrefix) }) {
					t.Errorf("%s: finding leaks a value: %v", tc.name, fd)
				}
			}
		}
	}
}
