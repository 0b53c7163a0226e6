package pngchunk

import (
	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/exifmeta"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Inspect parses data and returns its inspection with the findings of its
// byte map (container.Inspect semantics). It returns an error when the
// file cannot be parsed; the Inspection then still holds what was found
// so far plus an Unparsed finding.
func Inspect(data []byte) (meta.Inspection, error) {
	f, err := parse(data)
	if err != nil {
		return f.insp, err
	}
	return container.Inspect(f, len(data)), nil
}

// knownType lists the chunk types this package knows by name; only these
// are named in a finding (any other is "unknown ancillary chunk").
var knownType = map[string]bool{
	"IHDR": true, "PLTE": true, "IDAT": true, "IEND": true, "tRNS": true, "gAMA": true,
	"cHRM": true, "sRGB": true, "iCCP": true, "sBIT": true, "bKGD": true, "pHYs": true,
	"cICP": true, "mDCV": true, "cLLI": true, "acTL": true, "fcTL": true, "fdAT": true,
	"eXIf": true, "tEXt": true, "zTXt": true, "iTXt": true, "tIME": true, "caBX": true,
	"hIST": true, "sPLT": true, "oFFs": true, "pCAL": true, "sCAL": true, "sTER": true,
	"dSIG": true, "gIFg": true, "gIFx": true, "gIFt": true, "fRAc": true, "iDOT": true,
	"vpAg": true, "orNT": true,
}

// Orientation carrier ranks (the first found in rank order wins).
const (
	rankEXIF = iota
	rankTextEXIF
	rankXMP
	rankProperty
)

// classifyChunk records the findings of one metadata chunk and offers any
// orientation it carries to b (nil: none wanted).
func classifyChunk(c chunk, z *inflater, set *meta.Set, b *builder) {
	where := "PNG " + c.typ
	if !knownType[c.typ] {
		set.Add(meta.Other, "PNG unknown ancillary chunk", container.SizeTag(len(c.data)))
		return
	}
	if !c.crcOK {
		// The content is still classified: a reader that ignores CRCs
		// would still see it.
		set.Add(meta.Unparsed, where, "bad CRC")
	}
	switch c.typ {
	case "eXIf":
		if len(c.data) == 0 {
			set.Add(meta.Unparsed, where, "empty")
			return
		}
		o, _ := exifmeta.Inspect(exifmeta.TrimPrefix(c.data), where, set)
		if c.crcOK {
			b.offer(rankEXIF, o)
		}
	case "tEXt", "zTXt", "iTXt":
		classifyText(c, z, set, b)
	case "tIME":
		set.Add(meta.Other, where, "modification time")
	case "caBX":
		set.Add(meta.Identity, where, "C2PA")
	case "sPLT", "pCAL":
		set.Add(meta.Other, where, "named chunk")
	default:
		set.Add(meta.Other, where, container.SizeTag(len(c.data)))
	}
}
