package gifext

import (
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/photoscrub/photoscrub/pkg/internal/irb"
	"github.com/photoscrub/photoscrub/pkg/internal/xmp"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Inspect walks the whole container and classifies every metadata part. It
// returns a FormatError only when the container itself cannot be walked
// (truncated, bad structure); the Inspection then still holds what was found
// so far plus an Unparsed finding. Unparseable metadata payloads inside a
// sound container are Unparsed findings, not errors.
func Inspect(data []byte) (meta.Inspection, error) {
	f, err := walk(data)
	var set meta.Set
	insp := meta.Inspection{Width: f.width, Height: f.height}
	for _, b := range f.blocks {
		classify(b, &set)
	}
	if err == nil && len(f.trailer) > 0 {
		set.Add(meta.Embedded, "GIF trailer", "after trailer")
		insp.Warnings = append(insp.Warnings, strconv.Itoa(len(f.trailer))+" bytes after the GIF trailer")
	}
	if err != nil {
		set.Add(meta.Unparsed, "GIF", "unwalkable container")
	}
	insp.Findings = set.List()
	return insp, err
}

// classify records the findings of one block.
func classify(b block, set *meta.Set) {
	if b.intro != introExtension {
		return
	}
	switch b.label {
	case labelGraphicControl:
		if b.subBlocks != 0 {
			set.Add(meta.Other, "GIF graphic control extension", "extra data")
		}
	case labelComment:
		set.Add(meta.Comment, "GIF comment extension", "Comment")
	case labelPlainText:
		set.Add(meta.Comment, "GIF plain text extension", "PlainText")
	case labelApplication:
		classifyApp(b, set)
	default:
		set.Add(meta.Other, "GIF extension", fmt.Sprintf("label 0x%02X", b.label))
	}
}

// appWhere is the Where of application extensions without a classifier.
const appWhere = "GIF application extension"

// classifyApp records the findings of one application extension.
func classifyApp(b block, set *meta.Set) {
	id := b.appID()
	switch id {
	case "":
		set.Add(meta.Unparsed, appWhere, "malformed identifier block")
	case "NETSCAPE2.0", "ANIMEXTS1.0":
		if _, canonical := loopCount(b); !canonical {
			set.Add(meta.Other, "GIF "+id, "extra data")
		}
	case xmpAppID:
		w := "GIF XMP"
		if !b.xmpMagic {
			set.Add(meta.Unparsed, w, "no magic trailer")
		}
		_ = xmp.Inspect(b.xmp, w, set)
	case "ICCRGBG1012":
		if _, ok := iccProfile(b); !ok {
			set.Add(meta.Unparsed, "GIF ICC profile", "malformed")
		}
	case "MGK8BIM0000":
		_ = irb.InspectIRB(gather(b.body), "GIF MGK8BIM0000", set)
	case "MGKIPTC0000":
		_ = irb.InspectIIM(gather(b.body), "GIF MGKIPTC0000", set)
	default:
		set.Add(meta.Other, appWhere, meta.Sanitize(id[:8]))
	}
}

// loopCount returns the loop count of a NETSCAPE2.0/ANIMEXTS1.0 extension
// (-1 when it has no loop sub-block) and whether the extension is in the
// canonical form: exactly one sub-block {1, lo, hi}.
func loopCount(b block) (int, bool) {
	loop := -1
	n := 0
	for i := 0; i < len(b.body); {
		size := int(b.body[i])
		if size == 0 || size > len(b.body)-i-1 {
			break
		}
		sb := b.body[i+1 : i+1+size]
		if size == 3 && sb[0] == 1 && loop < 0 {
			loop = int(sb[1]) | int(sb[2])<<8
		}
		n++
		i += 1 + size
	}
	return loop, n == 1 && loop >= 0
}

// iccProfile reassembles an ICCRGBG1012 profile and checks that its
// declared size matches.
func iccProfile(b block) ([]byte, bool) {
	p := gather(b.body)
	if len(p) < 128 || uint64(binary.BigEndian.Uint32(p)) != uint64(len(p)) || string(p[36:40]) != "acsp" {
		return nil, false
	}
	return p, true
}
