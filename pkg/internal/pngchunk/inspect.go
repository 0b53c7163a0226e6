package pngchunk

import (
	"bytes"
	"errors"
	"strconv"

	"github.com/photoscrub/photoscrub/pkg/internal/exifmeta"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// kept lists the ancillary chunks Strip keeps, with their allowed data
// lengths (min, max). A kept chunk with any other length is dropped, so an
// allowlisted type cannot smuggle bytes.
var kept = map[string][2]int{
	"tRNS": {1, 256}, "gAMA": {4, 4}, "cHRM": {32, 32}, "sRGB": {1, 1},
	"sBIT": {1, 4}, "bKGD": {1, 6}, "pHYs": {9, 9}, "cICP": {4, 4},
	"mDCV": {24, 24}, "cLLI": {8, 8}, "acTL": {8, 8}, "fcTL": {26, 26},
	"fdAT": {4, maxChunkLen},
}

// keptLen reports whether c is an allowlisted ancillary chunk of a valid
// length.
func keptLen(c chunk) bool {
	r, ok := kept[c.typ]
	return ok && len(c.data) >= r[0] && len(c.data) <= r[1]
}

// Inspect walks the whole container and classifies every metadata part. It
// returns a FormatError only when the container itself cannot be walked
// (truncated, bad structure); the Inspection then still holds what was found
// so far plus an Unparsed finding. Unparseable metadata payloads inside a
// sound container are Unparsed findings, not errors.
func Inspect(data []byte) (meta.Inspection, error) {
	f, err := walk(data)
	var set meta.Set
	var insp meta.Inspection
	insp.Width, insp.Height = f.width, f.height
	var z inflater
	for _, c := range f.chunks {
		o := classifyChunk(c, &z, &set)
		// Like Strip, only a sound eXIf decides the orientation.
		if insp.Orientation == 0 && c.crcOK && o >= 1 && o <= 8 {
			insp.Orientation = o
		}
	}
	if err == nil && len(f.trailer) > 0 {
		set.Add(meta.Embedded, "PNG trailer", "after IEND")
		insp.Warnings = append(insp.Warnings, strconv.Itoa(len(f.trailer))+" bytes after IEND")
	}
	if err != nil {
		var fe FormatError
		tag := "container"
		if errors.As(err, &fe) {
			tag = "unwalkable container"
		}
		set.Add(meta.Unparsed, "PNG", tag)
	}
	insp.Findings = set.List()
	return insp, err
}

// classifyChunk records the findings of one chunk and returns the EXIF
// orientation of an eXIf chunk (0 otherwise).
func classifyChunk(c chunk, z *inflater, set *meta.Set) int {
	where := "PNG " + c.typ
	if !c.crcOK {
		// Only ancillary chunks get here; the content is still classified
		// because a reader that ignores CRCs would still see it.
		set.Add(meta.Unparsed, where, "bad CRC")
	}
	switch c.typ {
	case "IHDR", "PLTE", "IDAT", "IEND":
		return 0
	case "eXIf":
		if len(c.data) == 0 {
			set.Add(meta.Unparsed, where, "empty")
			return 0
		}
		o, _ := exifmeta.Inspect(exifmeta.TrimPrefix(c.data), where, set)
		return o
	case "tEXt", "zTXt", "iTXt":
		classifyText(c, z, set)
	case "iCCP":
		if _, ok := iccpBody(c.data); !ok {
			set.Add(meta.Unparsed, where, "malformed")
		} else if name := c.data[:bytes.IndexByte(c.data, 0)]; string(name) != iccName {
			// The profile name is free text (writers have put user and
			// host names there); it is reported and rewritten to iccName.
			set.Add(meta.Other, where, "profile name")
		}
	case "tIME":
		set.Add(meta.Other, where, "modification time")
	case "caBX":
		set.Add(meta.Identity, where, "C2PA")
	default:
		if _, ok := kept[c.typ]; ok {
			if !keptLen(c) {
				set.Add(meta.Unparsed, where, "unexpected length")
			}
			return 0
		}
		set.Add(meta.Other, "PNG "+meta.Sanitize(c.typ), "unknown chunk")
	}
	return 0
}

// iccpBody returns the compression method and compressed profile of an
// iCCP chunk (profile name 1..79 bytes, NUL, method 0).
func iccpBody(d []byte) ([]byte, bool) {
	for i := 0; i < len(d) && i <= 80; i++ {
		if d[i] == 0 {
			if i < 1 || i > 79 || i+1 >= len(d) || d[i+1] != 0 {
				return nil, false
			}
			return d[i+1:], true
		}
	}
	return nil, false
}
