package testimg

import (
	"fmt"
	"math"
	"sort"
)

// Markers holds every metadata value the builders plant. Each string is
// unique and greppable ("PSMK-..."), so a leak test can search a report, a
// log or a stripped file for Needles() and know exactly what leaked.
// The zero value means "use DefaultMarkers()" wherever a builder takes one.
type Markers struct {
	// Identity (EXIF IFD0 / Exif IFD, XMP dc:creator, IPTC By-line).
	Artist, Owner, Serial, LensSerial, UniqueID    string
	Make, Model, Software, HostComputer, Copyright string
	Creator, Person, DocumentID, InstanceID        string
	// Free text (ImageDescription, UserComment, XPComment, COM, captions).
	Comment, Description, UserComment, XPAuthor, XPComment string
	// Place names (XMP photoshop:*, IPTC 2:90..2:101, Iptc4xmpExt).
	City, Sublocation, State, Country, Keyword string
	// GPS text fields.
	GPSProcessing, GPSArea string
	// Blobs that carry marker text: maker note, trailer, unknown APPn,
	// JUMBF-like APP11, FlashPix, stray bytes between segments.
	MakerNote, Trailer, AppText, JUMBF, FPXR, Stray string
	// Dates and the time-zone offset (OffsetTime* tags).
	DateTime, Offset string
	// Coordinates in decimal degrees (south/west negative) and metres.
	Lat, Lon, Alt float64
}

// DefaultMarkers returns the standard marker set. The coordinates are
// chosen so that every rendering (decimal, DMS, rational) is distinctive;
// London's longitude (-0.1275) renders as "0/1" and "0.127", which would
// match innocent text.
func DefaultMarkers() Markers {
	return Markers{
		Artist:        "PSMK-ARTIST-q7Zx",
		Owner:         "PSMK-OWNER-h3Vt",
		Serial:        "PSMK-SERIAL-9KfW",
		LensSerial:    "PSMK-LENSSN-b2Rm",
		UniqueID:      "PSMK-UNIQUEID-Tx4p",
		Make:          "PSMK-MAKE-c8Lq",
		Model:         "PSMK-MODEL-w5Ne",
		Software:      "PSMK-SOFTWARE-j6Yd",
		HostComputer:  "PSMK-HOST-u1Gs",
		Copyright:     "PSMK-COPYRIGHT-z4Hk",
		Creator:       "PSMK-CREATOR-m9Pa",
		Person:        "PSMK-PERSON-e3Wf",
		DocumentID:    "PSMK-DOCID-r8Jc",
		InstanceID:    "PSMK-INSTID-y2Qb",
		Comment:       "PSMK-COMMENT-k5Xv",
		Description:   "PSMK-DESCRIPTION-n7Ft",
		UserComment:   "PSMK-USERCOMMENT-a4Ds",
		XPAuthor:      "PSMK-XPAUTHOR-g6Bn",
		XPComment:     "PSMK-XPCOMMENT-p1Mz",
		City:          "PSMK-CITY-s3Kd",
		Sublocation:   "PSMK-SUBLOC-f8Ur",
		State:         "PSMK-STATE-v2Lx",
		Country:       "PSMK-COUNTRY-i9Oh",
		Keyword:       "PSMK-KEYWORD-x5Cw",
		GPSProcessing: "PSMK-GPSPROC-d7Ag",
		GPSArea:       "PSMK-GPSAREA-l4Er",
		MakerNote:     "PSMK-MAKERNOTE-o6Tj",
		Trailer:       "PSMK-TRAILER-b9Sy",
		AppText:       "PSMK-APPTEXT-c3Gu",
		JUMBF:         "PSMK-JUMBF-h8Vi",
		FPXR:          "PSMK-FPXR-t2Ko",
		Stray:         "PSMK-STRAY-w7Np",
		DateTime:      "2017:03:09 14:27:53",
		Offset:        "+05:45",
		Lat:           51.50722,
		Lon:           -114.07188,
		Alt:           1048.25,
	}
}

// orDefault returns m, or DefaultMarkers() when m is the zero value.
func (m Markers) orDefault() Markers {
	if m == (Markers{}) {
		return DefaultMarkers()
	}
	return m
}

// Strings returns every non-empty marker string (not the coordinates).
func (m Markers) Strings() []string {
	all := []string{
		m.Artist, m.Owner, m.Serial, m.LensSerial, m.UniqueID,
		m.Make, m.Model, m.Software, m.HostComputer, m.Copyright,
		m.Creator, m.Person, m.DocumentID, m.InstanceID,
		m.Comment, m.Description, m.UserComment, m.XPAuthor, m.XPComment,
		m.City, m.Sublocation, m.State, m.Country, m.Keyword,
		m.GPSProcessing, m.GPSArea,
		m.MakerNote, m.Trailer, m.AppText, m.JUMBF, m.FPXR, m.Stray,
		m.DateTime, m.Offset,
	}
	var out []string
	for _, s := range all {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Needles returns every string that must never appear in a report, a log,
// an error or a stripped file: each marker string, and the coordinates in
// the renderings tools commonly print (decimal at several precisions, DMS
// as "51 30 26" and "51 deg 30' 25.99\"", XMP "51,30.4332", degree-minute
// "51,30.43", rational "51/1", altitude "1048.25" and "104825/100").
// The result is sorted and de-duplicated.
func (m Markers) Needles() []string {
	m = m.orDefault()
	set := map[string]bool{}
	for _, s := range m.Strings() {
		set[s] = true
	}
	for _, v := range []float64{m.Lat, m.Lon} {
		for _, s := range mkCoordRenderings(v) {
			set[s] = true
		}
	}
	if m.Alt != 0 {
		a := math.Abs(m.Alt)
		set[mkFixed(a, 2)] = true
		set[mkFixed(a, 1)] = true
		set[fmt.Sprintf("%d/100", int64(math.Round(a*100)))] = true
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// dms splits |v| into whole degrees, whole minutes and seconds.
func mkDMS(v float64) (deg, min int, sec float64) {
	a := math.Abs(v)
	deg = int(a)
	mf := (a - float64(deg)) * 60
	min = int(mf + 1e-9)
	sec = (mf - float64(min)) * 60
	if sec < 0 {
		sec = 0
	}
	return deg, min, sec
}

// decMinutes returns |v| as whole degrees and decimal minutes.
func mkDecMinutes(v float64) (deg int, min float64) {
	a := math.Abs(v)
	deg = int(a)
	return deg, (a - float64(deg)) * 60
}

func mkFixed(v float64, prec int) string {
	return fmt.Sprintf("%.*f", prec, v)
}

func mkTrunc(v float64, prec int) string {
	p := math.Pow(10, float64(prec))
	return fmt.Sprintf("%.*f", prec, math.Trunc(v*p)/p)
}

func mkCoordRenderings(v float64) []string {
	a := math.Abs(v)
	d, mi, s := mkDMS(v)
	_, dm := mkDecMinutes(v)
	out := []string{
		mkFixed(a, 5), mkFixed(a, 4), mkTrunc(a, 3), mkTrunc(a, 4),
		fmt.Sprintf("%d %d %d", d, mi, int(math.Round(s))),
		fmt.Sprintf("%d %d %d", d, mi, int(s)),
		fmt.Sprintf("%d %d %.2f", d, mi, s),
		fmt.Sprintf("%d deg %d' %.2f", d, mi, s),
		fmt.Sprintf("%d°%d'", d, mi),
		fmt.Sprintf("%d° %d'", d, mi),
		fmt.Sprintf("%d,%.2f", d, dm),
		fmt.Sprintf("%d,%.4f", d, dm),
		fmt.Sprintf("%d/1", d),
	}
	return out
}
