// Package format identifies a file's container format from its magic bytes
// (JPEG ITU-T T.81, PNG 3rd ed., GIF89a, RIFF/WebP, TIFF 6.0/BigTIFF,
// ISO/IEC 14496-12 ftyp brands for HEIF/AVIF, and the signatures of formats
// photoscrub recognises but does not rewrite). The file name extension is
// only a hint, compared to the sniffed format to note a mismatch.
package format

import (
	"bytes"
	"encoding/binary"
	"path/filepath"
	"strings"
)

// Format is a sniffed container format.
type Format string

// Formats photoscrub knows. Supported ones can be inspected and scrubbed;
// the others are recognised so they can be reported as unsupported by name.
const (
	Unknown Format = "unknown"
	JPEG    Format = "jpeg"
	PNG     Format = "png"
	GIF     Format = "gif"
	WebP    Format = "webp"
	TIFF    Format = "tiff"
	HEIF    Format = "heif" // HEIC/HEIF (HEVC-coded or generic image items)
	AVIF    Format = "avif"
	// Recognised, never rewritten.
	JXL   Format = "jxl"
	RAW   Format = "raw" // camera raw not built on plain TIFF (CRW, RAF, X3F, ORF/RW2 variants)
	PDF   Format = "pdf"
	BMP   Format = "bmp"
	PSD   Format = "psd"
	Video Format = "video" // ISO-BMFF movies (mp4, mov, 3gp)
	JP2   Format = "jp2"
	ICO   Format = "ico"
	SVG   Format = "svg"
	Empty Format = "empty"
)

// HeadSize is how many leading bytes Sniff needs to decide.
const HeadSize = 64

// Sniff returns the format of a file whose first bytes are head (at least
// HeadSize bytes when the file is that long).
func Sniff(head []byte) Format {
	switch {
	case len(head) == 0:
		return Empty
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return GIF
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return WebP
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")),
		bytes.HasPrefix(head, []byte("II+\x00")), bytes.HasPrefix(head, []byte("MM\x00+")):
		return TIFF
	case bytes.HasPrefix(head, []byte("IIRO")), bytes.HasPrefix(head, []byte("IIU\x00")),
		bytes.HasPrefix(head, []byte("MMOR")), bytes.HasPrefix(head, []byte("IIRS")),
		bytes.HasPrefix(head, []byte("FUJIFILMCCD-RAW")), bytes.HasPrefix(head, []byte("FOVb")),
		len(head) >= 14 && string(head[6:14]) == "HEAPCCDR":
		return RAW
	case bytes.HasPrefix(head, []byte{0xFF, 0x0A}), bytes.HasPrefix(head, []byte("\x00\x00\x00\x0cJXL \r\n\x87\n")):
		return JXL
	case bytes.HasPrefix(head, []byte("\x00\x00\x00\x0cjP  \r\n\x87\n")), bytes.HasPrefix(head, []byte{0xFF, 0x4F, 0xFF, 0x51}):
		return JP2
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return PDF
	case bytes.HasPrefix(head, []byte("BM")) && len(head) >= 14:
		return BMP
	case bytes.HasPrefix(head, []byte("8BPS")):
		return PSD
	case bytes.HasPrefix(head, []byte{0, 0, 1, 0}) && len(head) >= 6:
		return ICO
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		return sniffFtyp(head)
	case looksSVG(head):
		return SVG
	}
	return Unknown
}

// sniffFtyp classifies an ISO-BMFF file by its major and compatible brands.
func sniffFtyp(head []byte) Format {
	size := int(binary.BigEndian.Uint32(head[:4]))
	if size < 16 || size > len(head) {
		size = len(head) - len(head)%4
	}
	var brands []string
	brands = append(brands, string(head[8:12]))
	for i := 16; i+4 <= size; i += 4 {
		brands = append(brands, string(head[i:i+4]))
	}
	has := func(bs ...string) bool {
		for _, b := range brands {
			for _, x := range bs {
				if b == x {
					return true
				}
			}
		}
		return false
	}
	switch {
	case has("avif", "avis"):
		return AVIF
	case has("heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "mif2", "miaf"):
		return HEIF
	case has("crx "):
		return RAW
	}
	return Video
}

func looksSVG(head []byte) bool {
	h := bytes.TrimLeft(head, " \t\r\n\xef\xbb\xbf")
	return bytes.HasPrefix(h, []byte("<svg")) || (bytes.HasPrefix(h, []byte("<?xml")) && bytes.Contains(head, []byte("<svg")))
}

// ByExtension returns the format a file name's extension suggests, or
// Unknown. It is a hint only, used to note a mismatch.
func ByExtension(name string) Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jpg", ".jpeg", ".jpe", ".jfif":
		return JPEG
	case ".png", ".apng":
		return PNG
	case ".gif":
		return GIF
	case ".webp":
		return WebP
	case ".tif", ".tiff":
		return TIFF
	case ".heic", ".heif", ".hif":
		return HEIF
	case ".avif":
		return AVIF
	case ".jxl":
		return JXL
	case ".dng", ".cr2", ".cr3", ".nef", ".arw", ".pef", ".orf", ".rw2", ".raf", ".srw", ".x3f", ".crw", ".nrw", ".3fr", ".erf", ".kdc", ".mos", ".raw", ".rwl", ".iiq":
		return RAW
	case ".pdf":
		return PDF
	case ".bmp":
		return BMP
	case ".psd":
		return PSD
	case ".mp4", ".mov", ".m4v", ".3gp":
		return Video
	case ".jp2", ".j2k", ".jpf":
		return JP2
	case ".svg":
		return SVG
	case ".ico":
		return ICO
	}
	return Unknown
}

// LikelyImage reports whether a file name looks like a photo or image, so
// that a file whose content is not recognised can be reported unsupported
// rather than skipped as a non-image.
func LikelyImage(name string) bool { return ByExtension(name) != Unknown }
