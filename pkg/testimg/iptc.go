package testimg

import (
	"bytes"
	"encoding/binary"
	"image/jpeg"
)

// IPTC returns raw IPTC-IIM datasets (IIM 4.2): 1:90 coded character set
// (UTF-8), 2:0 record version, 2:25 Keywords, 2:80 By-line, 2:90 City,
// 2:92 Sub-location, 2:95 Province/State, 2:101 Country, 2:120 Caption.
// The zero Markers means DefaultMarkers().
func IPTC(m Markers) []byte {
	m = m.orDefault()
	var b []byte
	b = iimDataset(b, 1, 90, []byte("\x1b%G"))
	b = iimDataset(b, 2, 0, []byte{0, 4})
	b = iimDataset(b, 2, 25, []byte(m.Keyword))
	b = iimDataset(b, 2, 80, []byte(m.Artist))
	b = iimDataset(b, 2, 90, []byte(m.City))
	b = iimDataset(b, 2, 92, []byte(m.Sublocation))
	b = iimDataset(b, 2, 95, []byte(m.State))
	b = iimDataset(b, 2, 101, []byte(m.Country))
	b = iimDataset(b, 2, 120, []byte(m.Description))
	return b
}

// iimDataset appends one standard (short, < 32768 bytes) IIM dataset.
func iimDataset(b []byte, rec, ds byte, v []byte) []byte {
	b = append(b, 0x1C, rec, ds)
	b = binary.BigEndian.AppendUint16(b, uint16(len(v)))
	return append(b, v...)
}

// PhotoshopIRB returns Adobe Photoshop image resource blocks ("8BIM"):
// resource 0x0404 holding iim (skipped when empty) and, when thumb is a
// JPEG, resource 0x040C holding it behind the 28-byte thumbnail header.
// Prefix "Photoshop 3.0\x00" yourself for a JPEG APP13.
func PhotoshopIRB(iim []byte, thumb []byte) []byte {
	var b []byte
	if len(iim) > 0 {
		b = irbResource(b, 0x0404, iim)
	}
	if len(thumb) > 0 {
		w, h := 0, 0
		if cfg, err := jpeg.DecodeConfig(bytes.NewReader(thumb)); err == nil {
			w, h = cfg.Width, cfg.Height
		}
		rowBytes := (w*24 + 31) / 32 * 4
		var hdr []byte
		hdr = binary.BigEndian.AppendUint32(hdr, 1) // kJpegRGB
		hdr = binary.BigEndian.AppendUint32(hdr, uint32(w))
		hdr = binary.BigEndian.AppendUint32(hdr, uint32(h))
		hdr = binary.BigEndian.AppendUint32(hdr, uint32(rowBytes))
		hdr = binary.BigEndian.AppendUint32(hdr, uint32(rowBytes*h))
		hdr = binary.BigEndian.AppendUint32(hdr, uint32(len(thumb)))
		hdr = binary.BigEndian.AppendUint16(hdr, 24)
		hdr = binary.BigEndian.AppendUint16(hdr, 1)
		b = irbResource(b, 0x040C, append(hdr, thumb...))
	}
	return b
}

// irbResource appends one 8BIM resource with an empty Pascal name.
func irbResource(b []byte, id uint16, data []byte) []byte {
	b = append(b, "8BIM"...)
	b = binary.BigEndian.AppendUint16(b, id)
	b = append(b, 0, 0) // empty Pascal string, padded to even length
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	b = append(b, data...)
	if len(data)&1 == 1 {
		b = append(b, 0)
	}
	return b
}
