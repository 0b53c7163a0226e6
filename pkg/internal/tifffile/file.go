package tifffile

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Format is TIFF 6.0 / BigTIFF in the container registry: inspected and
// rebuilt losslessly.
var Format = container.Format{
	Name:       format.TIFF,
	Match:      isTIFFMagic,
	Extensions: []string{".tif", ".tiff"},
	Parse:      Parse,
	Rebuild:    true,
	Unsupported: func(err error) bool {
		return errors.Is(err, ErrUnsupported)
	},
}

// RawFormat is camera raw built on TIFF (DNG, CR2, NEF, ARW, PEF, ORF,
// RW2, ...), recognised by [IsRaw]: inspected only, never rebuilt. It
// must be registered before [Format]. It also matches the other raw
// signatures format.Sniff knows (RAF, X3F, CRW, CR3) so that they keep
// their name; their Parse reports them unsupported.
var RawFormat = container.Format{
	Name: format.RAW,
	Match: func(data []byte) bool {
		if isTIFFMagic(data) {
			return IsRaw(data)
		}
		return IsRaw(data) || format.Sniff(data[:min(len(data), format.HeadSize)]) == format.RAW
	},
	Extensions: []string{".dng", ".cr2", ".nef", ".arw", ".pef", ".orf", ".rw2", ".srw", ".nrw", ".3fr", ".erf", ".kdc", ".mos", ".rwl", ".iiq"},
	Parse:      parseRaw,
	Rebuild:    false,
	Unsupported: func(err error) bool {
		return errors.Is(err, ErrUnsupported)
	},
}

// isTIFFMagic reports a classic or BigTIFF header in either byte order.
func isTIFFMagic(data []byte) bool {
	if len(data) < 4 {
		return false
	}
	switch string(data[:4]) {
	case "II*\x00", "MM\x00*", "II+\x00", "MM\x00+":
		return true
	}
	return false
}

// Inspection implements container.File.
func (f *File) Inspection() meta.Inspection {
	in := f.ins
	in.Findings = append([]meta.Finding(nil), in.Findings...)
	in.Warnings = append([]string(nil), in.Warnings...)
	return in
}

// Map implements container.File.
func (f *File) Map() []container.Range { return append([]container.Range(nil), f.ranges...) }

// ICC returns the rebuilt ICC profile of the first page that has one.
func (f *File) ICC() []byte {
	for _, pg := range f.pages {
		if pg.icc != nil {
			return pg.icc
		}
	}
	return nil
}

// SameImage reports whether out holds the same pages as f, in order, each
// with the same decoding values (dimensions, compression, photometric
// interpretation, bits and samples, planar configuration, predictor,
// colour map, tables...) and byte-identical proven strip or tile data. The
// error names the page and tag number, never a value.
func (f *File) SameImage(out container.File) error {
	g, ok := out.(*File)
	if !ok || g.err != nil {
		return FormatError("output is not a parsed TIFF file")
	}
	if len(f.pages) == 0 {
		return FormatError("no page holds image data")
	}
	if len(f.pages) != len(g.pages) {
		return FormatError("page count differs")
	}
	for i, a := range f.pages {
		b := g.pages[i]
		p := "page " + strconv.Itoa(i) + ": "
		for _, tag := range decodeTags {
			va, vb := a.find(tag), b.find(tag)
			if (va == nil) != (vb == nil) || (va != nil && !va.same(vb)) {
				return FormatError(p + "tag " + strconv.Itoa(int(tag)) + " differs")
			}
		}
		if a.offTag != b.offTag || len(a.chunks) != len(b.chunks) {
			return FormatError(p + "image data layout differs")
		}
		for k, ca := range a.chunks {
			cb := b.chunks[k]
			if !bytes.Equal(f.data[ca.off:ca.off+ca.n], g.data[cb.off:cb.off+cb.n]) {
				return FormatError(p + "strip or tile " + strconv.Itoa(k) + " differs")
			}
		}
	}
	return nil
}

// decodeTags are the tags whose values must match for two pages to decode
// to the same pixels from the same data.
var decodeTags = []uint16{
	tagImageWidth, tagImageLength, tagBitsPerSample, tagCompression,
	tagPhotometric, tagFillOrder, tagSamplesPerPixel, tagRowsPerStrip,
	tagPlanarConfig, tagPredictor, tagColorMap, tagTileWidth, tagTileLength,
	tagExtraSamples, tagSampleFormat, tagJPEGTables, tagYCbCrSubSampling,
}

func (pg *page) find(tag uint16) *value {
	for i := range pg.vals {
		if pg.vals[i].tag == tag {
			return &pg.vals[i]
		}
	}
	return nil
}

// Inspect parses data and returns its inspection with the findings of its
// byte map (container.Inspect): every page's metadata, and one embedded
// "unaccounted bytes" finding for slack and unclaimed bytes. It returns a
// FormatError, or an error wrapping ErrUnsupported, when Parse does; the
// Inspection then holds what was found, never clean.
func Inspect(data []byte) (meta.Inspection, error) {
	f, err := parse(data, IsRaw(data))
	if f.t == nil {
		return f.Inspection(), err
	}
	in := container.Inspect(f, len(data))
	if f.err != nil && !f.raw {
		return in, f.err
	}
	return in, nil
}

// Strip parses data and rebuilds it (see [File.Rebuild]). Raw camera
// files and compressions without a proof give an error wrapping
// ErrUnsupported; malformed files a FormatError.
func Strip(data []byte, keep meta.Keep) ([]byte, error) {
	if IsRaw(data) {
		return nil, fmt.Errorf("raw camera file: %w", ErrUnsupported)
	}
	f, err := parse(data, false)
	if err != nil {
		return nil, err
	}
	return f.Rebuild(keep)
}

// SameImage parses both files and compares their pages (see
// [File.SameImage]).
func SameImage(orig, out []byte) error {
	a, err := parse(orig, false)
	if err != nil {
		return FormatError("original: " + err.Error())
	}
	b, err := parse(out, false)
	if err != nil {
		return FormatError("output: " + err.Error())
	}
	return a.SameImage(b)
}
