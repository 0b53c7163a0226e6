package tifffile

import (
	"strconv"

	"github.com/photoscrub/photoscrub/pkg/internal/tiffifd"
)

// countRule says how many values a kept tag must have.
type countRule uint8

const (
	countOne      countRule = iota + 1
	countTwo                // PageNumber, HalftoneHints, WhitePoint, YCbCrSubSampling
	countThree              // YCbCrCoefficients
	countSix                // PrimaryChromaticities, ReferenceBlackWhite
	countSPP                // one per sample: BitsPerSample, SampleFormat, Min/MaxSampleValue
	countExtra              // ExtraSamples: 1..SamplesPerPixel-1
	countColorMap           // 3 × 2^BitsPerSample
	countTransfer           // (1 or SamplesPerPixel) × 2^BitsPerSample
	countChunks             // strips or tiles from the geometry (checked by the page)
	countAnyBytes           // JPEGTables: at least 1 byte
)

// Value families of kept tags.
type family uint8

const (
	famUint     family = iota + 1 // BYTE/SHORT/LONG/LONG8 values, convertible
	famRational                   // RATIONAL
	famBytes                      // UNDEFINED (BYTE tolerated)
	famNumber                     // any numeric type (SMin/SMaxSampleValue)
)

// rule is the schema of one kept tag (TIFF 6.0 Section 8 and the
// extensions it lists): its name, allowed types (the first is the one a
// wrong type is rebuilt as), count and value range.
type rule struct {
	name      string
	fam       family
	types     []tiffifd.Type
	count     countRule
	max       uint64 // largest allowed integer value (0: no check)
	min       uint64 // smallest allowed integer value
	essential bool   // needed to decode the pixels: a bad one fails the page
}

var (
	tShort     = []tiffifd.Type{tiffifd.Short}
	tShortLong = []tiffifd.Type{tiffifd.Short, tiffifd.Long}
	tLong      = []tiffifd.Type{tiffifd.Long, tiffifd.Short}
	tChunks    = []tiffifd.Type{tiffifd.Long, tiffifd.Short, tiffifd.Long8}
	tRational  = []tiffifd.Type{tiffifd.Rational}
	tUndef     = []tiffifd.Type{tiffifd.Undefined}
)

// schema lists every tag a rebuilt page may hold. Orientation and the ICC
// profile are kept per meta.Keep; the offsets tags are rewritten.
var schema = map[uint16]rule{
	tagNewSubfileType:   {name: "NewSubfileType", fam: famUint, types: tLong, count: countOne},
	255:                 {name: "SubfileType", fam: famUint, types: tShort, count: countOne, min: 1, max: 3},
	tagImageWidth:       {name: "ImageWidth", fam: famUint, types: tShortLong, count: countOne, min: 1, max: 1<<32 - 1, essential: true},
	tagImageLength:      {name: "ImageLength", fam: famUint, types: tShortLong, count: countOne, min: 1, max: 1<<32 - 1, essential: true},
	tagBitsPerSample:    {name: "BitsPerSample", fam: famUint, types: tShort, count: countSPP, min: 1, max: 64, essential: true},
	tagCompression:      {name: "Compression", fam: famUint, types: tShort, count: countOne, min: 1, max: 65535, essential: true},
	tagPhotometric:      {name: "PhotometricInterpretation", fam: famUint, types: tShort, count: countOne, max: 65535, essential: true},
	263:                 {name: "Threshholding", fam: famUint, types: tShort, count: countOne, min: 1, max: 3},
	tagFillOrder:        {name: "FillOrder", fam: famUint, types: tShort, count: countOne, min: 1, max: 2, essential: true},
	tagStripOffsets:     {name: "StripOffsets", fam: famUint, types: tChunks, count: countChunks, essential: true},
	tagOrientation:      {name: "Orientation", fam: famUint, types: tShort, count: countOne, min: 1, max: 8},
	tagSamplesPerPixel:  {name: "SamplesPerPixel", fam: famUint, types: tShort, count: countOne, min: 1, max: 65535, essential: true},
	tagRowsPerStrip:     {name: "RowsPerStrip", fam: famUint, types: tLong, count: countOne, min: 1, max: 1<<32 - 1, essential: true},
	tagStripByteCounts:  {name: "StripByteCounts", fam: famUint, types: tChunks, count: countChunks, essential: true},
	280:                 {name: "MinSampleValue", fam: famUint, types: tShort, count: countSPP},
	281:                 {name: "MaxSampleValue", fam: famUint, types: tShort, count: countSPP},
	282:                 {name: "XResolution", fam: famRational, types: tRational, count: countOne},
	283:                 {name: "YResolution", fam: famRational, types: tRational, count: countOne},
	tagPlanarConfig:     {name: "PlanarConfiguration", fam: famUint, types: tShort, count: countOne, min: 1, max: 2, essential: true},
	292:                 {name: "T4Options", fam: famUint, types: tLong, count: countOne},
	293:                 {name: "T6Options", fam: famUint, types: tLong, count: countOne},
	296:                 {name: "ResolutionUnit", fam: famUint, types: tShort, count: countOne, min: 1, max: 3},
	297:                 {name: "PageNumber", fam: famUint, types: tShort, count: countTwo},
	301:                 {name: "TransferFunction", fam: famUint, types: tShort, count: countTransfer},
	tagPredictor:        {name: "Predictor", fam: famUint, types: tShort, count: countOne, min: 1, max: 3, essential: true},
	318:                 {name: "WhitePoint", fam: famRational, types: tRational, count: countTwo},
	319:                 {name: "PrimaryChromaticities", fam: famRational, types: tRational, count: countSix},
	tagColorMap:         {name: "ColorMap", fam: famUint, types: tShort, count: countColorMap, essential: true},
	321:                 {name: "HalftoneHints", fam: famUint, types: tShort, count: countTwo},
	tagTileWidth:        {name: "TileWidth", fam: famUint, types: tShortLong, count: countOne, min: 1, max: 1<<32 - 1, essential: true},
	tagTileLength:       {name: "TileLength", fam: famUint, types: tShortLong, count: countOne, min: 1, max: 1<<32 - 1, essential: true},
	tagTileOffsets:      {name: "TileOffsets", fam: famUint, types: tChunks, count: countChunks, essential: true},
	tagTileByteCounts:   {name: "TileByteCounts", fam: famUint, types: tChunks, count: countChunks, essential: true},
	332:                 {name: "InkSet", fam: famUint, types: tShort, count: countOne, min: 1, max: 2},
	tagExtraSamples:     {name: "ExtraSamples", fam: famUint, types: tShort, count: countExtra, max: 2, essential: true},
	tagSampleFormat:     {name: "SampleFormat", fam: famUint, types: tShort, count: countSPP, min: 1, max: 6, essential: true},
	340:                 {name: "SMinSampleValue", fam: famNumber, count: countSPP},
	341:                 {name: "SMaxSampleValue", fam: famNumber, count: countSPP},
	tagJPEGTables:       {name: "JPEGTables", fam: famBytes, types: tUndef, count: countAnyBytes, essential: true},
	529:                 {name: "YCbCrCoefficients", fam: famRational, types: tRational, count: countThree},
	tagYCbCrSubSampling: {name: "YCbCrSubSampling", fam: famUint, types: tShort, count: countTwo, min: 1, max: 4, essential: true},
	531:                 {name: "YCbCrPositioning", fam: famUint, types: tShort, count: countOne, min: 1, max: 2},
	532:                 {name: "ReferenceBlackWhite", fam: famRational, types: tRational, count: countSix},
	tagICC:              {name: "ICCProfile", fam: famBytes, types: tUndef, count: countAnyBytes},
}

// keptTags is the allowlist of tags a rebuild may keep (schema's keys).
var keptTags = func() map[uint16]bool {
	m := map[uint16]bool{}
	for t := range schema {
		m[t] = true
	}
	return m
}()

// value is a kept tag's value after validation: ints holds the integers
// (numerator, denominator pairs for rationals; the raw bit patterns for
// SMin/SMaxSampleValue), raw the bytes of an UNDEFINED value. typ is the
// type the rebuild writes.
type value struct {
	tag   uint16
	typ   tiffifd.Type
	count uint64
	ints  []uint64
	raw   []byte
}

// problem is why a kept tag's stored form is not what its schema allows.
type problem uint8

const (
	okValue   problem = iota
	wrongType         // another type, but the values convert losslessly
	badValue          // wrong count, unreadable or out of range: not kept
)

func isUintType(t tiffifd.Type) bool {
	switch t {
	case tiffifd.Byte, tiffifd.Short, tiffifd.Long, tiffifd.Long8:
		return true
	}
	return false
}

func isSignedType(t tiffifd.Type) bool {
	switch t {
	case tiffifd.SByte, tiffifd.SShort, tiffifd.SLong, tiffifd.SLong8:
		return true
	}
	return false
}

// readInts reads every value of an integer entry (unsigned, or signed with
// no negative value) as uint64.
func readInts(t *tiffifd.TIFF, e tiffifd.Entry) ([]uint64, bool) {
	v, err := t.Value(e)
	if err != nil {
		return nil, false
	}
	sz := e.Type.Size()
	out := make([]uint64, 0, e.Count)
	for i := 0; i+sz <= len(v); i += sz {
		var x uint64
		switch sz {
		case 1:
			x = uint64(v[i])
			if isSignedType(e.Type) && x >= 1<<7 {
				return nil, false
			}
		case 2:
			x = uint64(t.Order.Uint16(v[i:]))
			if isSignedType(e.Type) && x >= 1<<15 {
				return nil, false
			}
		case 4:
			x = uint64(t.Order.Uint32(v[i:]))
			if isSignedType(e.Type) && x >= 1<<31 {
				return nil, false
			}
		default:
			x = t.Order.Uint64(v[i:])
			if isSignedType(e.Type) && x >= 1<<63 {
				return nil, false
			}
		}
		out = append(out, x)
	}
	return out, true
}

// wantCount returns the count the rule requires (0 when any count in
// [lo, hi] is allowed, returned as lo, hi).
func wantCount(r rule, spp, bps uint64) (lo, hi uint64) {
	switch r.count {
	case countOne:
		return 1, 1
	case countTwo:
		return 2, 2
	case countThree:
		return 3, 3
	case countSix:
		return 6, 6
	case countSPP:
		return spp, spp
	case countExtra:
		if spp < 2 {
			return 1, 0 // none allowed
		}
		return 1, spp - 1
	case countColorMap:
		if bps > 16 {
			return 1, 0
		}
		return 3 << bps, 3 << bps
	case countTransfer:
		if bps > 16 {
			return 1, 0
		}
		n := uint64(1) << bps
		if spp >= 3 {
			return n, 3 * n
		}
		return n, n
	}
	return 1, 1<<64 - 1
}

// validate checks a kept tag's entry against its schema and returns its
// value as the rebuild will write it. spp and bps are the page's
// SamplesPerPixel and first BitsPerSample.
func validate(t *tiffifd.TIFF, e tiffifd.Entry, r rule, spp, bps uint64) (value, problem) {
	val := value{tag: e.Tag, typ: e.Type, count: e.Count}
	if e.Bad || e.Type.Size() == 0 {
		return val, badValue
	}
	lo, hi := wantCount(r, spp, bps)
	if r.count == countTransfer {
		if e.Count != lo && e.Count != hi {
			return val, badValue
		}
	} else if e.Count < lo || e.Count > hi {
		return val, badValue
	}
	typeOK := false
	for _, ty := range r.types {
		typeOK = typeOK || (ty == e.Type && (ty != tiffifd.Long8 || t.Big))
	}
	switch r.fam {
	case famUint:
		if !isUintType(e.Type) && !isSignedType(e.Type) {
			return val, badValue
		}
		ints, ok := readInts(t, e)
		if !ok {
			return val, badValue
		}
		for _, x := range ints {
			if (r.max != 0 && x > r.max) || x < r.min {
				return val, badValue
			}
		}
		val.ints = ints
		if typeOK {
			return val, okValue
		}
		for _, ty := range r.types {
			if fits(ints, ty) && (ty != tiffifd.Long8 || t.Big) {
				val.typ = ty
				return val, wrongType
			}
		}
		return val, badValue
	case famRational:
		if e.Type != tiffifd.Rational && e.Type != tiffifd.SRational {
			return val, badValue
		}
		for i := 0; uint64(i) < e.Count; i++ {
			n, d, err := t.Rational(e, i)
			if err != nil || (e.Type == tiffifd.SRational && (n >= 1<<31 || d >= 1<<31)) {
				return val, badValue
			}
			val.ints = append(val.ints, uint64(n), uint64(d))
		}
		val.typ = tiffifd.Rational
		if typeOK {
			return val, okValue
		}
		return val, wrongType
	case famBytes:
		if e.Type != tiffifd.Undefined && e.Type != tiffifd.Byte {
			return val, badValue
		}
		v, err := t.Value(e)
		if err != nil {
			return val, badValue
		}
		val.raw, val.typ = v, tiffifd.Undefined
		if typeOK {
			return val, okValue
		}
		return val, wrongType
	case famNumber:
		switch e.Type {
		case tiffifd.Byte, tiffifd.Short, tiffifd.Long, tiffifd.SByte, tiffifd.SShort,
			tiffifd.SLong, tiffifd.Float, tiffifd.Double:
		default:
			return val, badValue
		}
		v, err := t.Value(e)
		if err != nil {
			return val, badValue
		}
		val.raw = v // bit patterns, in the file's order
		return val, okValue
	}
	return val, badValue
}

func fits(ints []uint64, ty tiffifd.Type) bool {
	limit := uint64(1<<64 - 1)
	switch ty {
	case tiffifd.Byte:
		limit = 1<<8 - 1
	case tiffifd.Short:
		limit = 1<<16 - 1
	case tiffifd.Long:
		limit = 1<<32 - 1
	}
	for _, x := range ints {
		if x > limit {
			return false
		}
	}
	return true
}

// tagName is the fixed-vocabulary name of a tag: its schema name, or
// "Tag0xNNNN" (a number is not free text).
func tagName(tag uint16) string {
	if r, ok := schema[tag]; ok {
		return r.name
	}
	const hex = "0123456789ABCDEF"
	return "Tag0x" + string([]byte{hex[tag>>12], hex[tag>>8&15], hex[tag>>4&15], hex[tag&15]})
}

// encode serializes v in the file's byte order.
func (v *value) encode(w *writer) []byte {
	if v.raw != nil {
		return v.raw
	}
	sz := v.typ.Size()
	if v.typ == tiffifd.Rational {
		sz = 4
	}
	out := make([]byte, 0, len(v.ints)*sz)
	for _, x := range v.ints {
		out = w.appendUint(out, x, sz)
	}
	return out
}

// same reports whether two values are equal whatever their stored types.
func (v *value) same(o *value) bool {
	if v.count != o.count || len(v.ints) != len(o.ints) || string(v.raw) != string(o.raw) {
		return false
	}
	for i := range v.ints {
		if v.ints[i] != o.ints[i] {
			return false
		}
	}
	return true
}

func itoa(n int) string { return strconv.Itoa(n) }
