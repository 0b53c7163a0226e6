package pngchunk

import (
	"bytes"
	"compress/zlib"
	"errors"
	"io"
	"strings"

	"github.com/photoscrub/photoscrub/pkg/internal/exifmeta"
	"github.com/photoscrub/photoscrub/pkg/internal/irb"
	"github.com/photoscrub/photoscrub/pkg/internal/xmp"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

const (
	// maxInflate caps the decompressed size of one zTXt/iTXt text.
	maxInflate = 8 << 20
	// maxInflateTotal caps decompressed bytes over one file, so that many
	// small bombs cannot add up to unbounded work.
	maxInflateTotal = 64 << 20
	// xmpKeyword is the iTXt keyword of an XMP packet.
	xmpKeyword = "XML:com.adobe.xmp"
)

var (
	errTooLarge  = errors.New("too large")
	errMalformed = errors.New("malformed")
)

// textChunk is a parsed tEXt, zTXt or iTXt chunk.
type textChunk struct {
	keyword    string
	compressed bool
	body       []byte // the text, zlib-compressed when compressed is set
}

// parseText splits a textual chunk into keyword and body.
func parseText(typ string, d []byte) (textChunk, error) {
	i := bytes.IndexByte(d, 0)
	if i < 1 || i > 79 {
		return textChunk{}, errMalformed
	}
	t := textChunk{keyword: string(d[:i])}
	rest := d[i+1:]
	switch typ {
	case "tEXt":
		t.body = rest
	case "zTXt":
		if len(rest) < 1 || rest[0] != 0 {
			return textChunk{}, errMalformed
		}
		t.compressed, t.body = true, rest[1:]
	case "iTXt":
		if len(rest) < 2 || rest[0] > 1 || (rest[0] == 1 && rest[1] != 0) {
			return textChunk{}, errMalformed
		}
		t.compressed = rest[0] == 1
		rest = rest[2:]
		for range 2 { // language tag, translated keyword
			j := bytes.IndexByte(rest, 0)
			if j < 0 {
				return textChunk{}, errMalformed
			}
			rest = rest[j+1:]
		}
		t.body = rest
	}
	return t, nil
}

// inflater decompresses text bodies under a per-text and a per-file cap.
type inflater struct{ used int64 }

// text returns the uncompressed body of t.
func (z *inflater) text(t textChunk) ([]byte, error) {
	if !t.compressed {
		return t.body, nil
	}
	limit := int64(maxInflate)
	if left := maxInflateTotal - z.used; left < limit {
		limit = left
	}
	if limit <= 0 {
		return nil, errTooLarge
	}
	r, err := zlib.NewReader(bytes.NewReader(t.body))
	if err != nil {
		return nil, errMalformed
	}
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, limit+1))
	z.used += int64(len(out))
	if int64(len(out)) > limit {
		return nil, errTooLarge
	}
	if err != nil {
		return nil, errMalformed
	}
	return out, nil
}

// standardKeywords maps the PNG predefined keywords (lower case) to their
// canonical name and category.
var standardKeywords = map[string]struct {
	name string
	cat  meta.Category
}{
	"title":         {"Title", meta.Comment},
	"author":        {"Author", meta.Identity},
	"description":   {"Description", meta.Comment},
	"copyright":     {"Copyright", meta.Identity},
	"creation time": {"Creation Time", meta.Other},
	"software":      {"Software", meta.Identity},
	"disclaimer":    {"Disclaimer", meta.Comment},
	"warning":       {"Warning", meta.Comment},
	"source":        {"Source", meta.Identity},
	"comment":       {"Comment", meta.Comment},
	// Common non-standard keywords (camera software, ImageMagick).
	"make":             {"Make", meta.Identity},
	"model":            {"Model", meta.Identity},
	"xmp:creatortool":  {"xmp:CreatorTool", meta.Identity},
	"xmp:createdate":   {"xmp:CreateDate", meta.Other},
	"xmp:modifydate":   {"xmp:ModifyDate", meta.Other},
	"xmp:metadatadate": {"xmp:MetadataDate", meta.Other},
	"icc:copyright":    {"icc:copyright", meta.Other},
	"icc:description":  {"icc:description", meta.Other},
	"icc:manufacturer": {"icc:manufacturer", meta.Other},
	"icc:model":        {"icc:model", meta.Other},
	// ImageMagick's date properties.
	"date:create":    {"date:create", meta.Other},
	"date:modify":    {"date:modify", meta.Other},
	"date:timestamp": {"date:timestamp", meta.Other},
}

// classifyText records the findings of one textual chunk.
func classifyText(c chunk, z *inflater, set *meta.Set, b *builder) {
	where := "PNG " + c.typ
	t, err := parseText(c.typ, c.data)
	if err != nil {
		set.Add(meta.Unparsed, where, "malformed text chunk")
		return
	}
	kw := strings.ToLower(t.keyword)
	switch {
	case kw == strings.ToLower(xmpKeyword):
		w := where + " " + xmpKeyword
		body, err := z.text(t)
		if err != nil {
			set.Add(meta.Unparsed, w, inflateTag(err))
			return
		}
		_ = xmp.Inspect(body, w, set)
		b.offer(rankXMP, xmp.Orientation(body))
	case strings.HasPrefix(kw, "raw profile type "):
		classifyRawProfile(c.typ, kw[len("raw profile type "):], t, z, set, b)
	case strings.HasPrefix(kw, "exif:"):
		cat, tag := exifProperty(t.keyword[len("exif:"):])
		set.Add(cat, where, tag)
		if tag == "exif:Orientation" && c.typ == "tEXt" && len(t.body) == 1 {
			b.offer(rankProperty, int(t.body[0])-'0')
		}
	default:
		if k, ok := standardKeywords[kw]; ok {
			// A standard keyword's text may still be an XMP packet or
			// an EXIF block.
			set.Add(k.cat, where, k.name)
			if body, err := z.text(t); err == nil {
				sniff(body, where+" "+k.name, set, b)
			}
			return
		}
		// A free-text keyword: never recorded, but the text is sniffed
		// for EXIF, XMP and hex profiles (Pillow writes raw EXIF under
		// "exif"), so a payload under an odd keyword is still classified.
		w := where + " custom keyword"
		if kw == "exif" || kw == "app1" {
			w = where + " " + kw
			set.Add(meta.Other, where, kw)
		} else {
			set.Add(meta.Other, where, "custom keyword")
		}
		body, err := z.text(t)
		if err != nil {
			set.Add(meta.Unparsed, w, inflateTag(err))
			return
		}
		sniff(body, w, set, b)
	}
}

// sniff classifies a text body that looks like an EXIF block, an XMP
// packet or an ImageMagick hex profile; other text adds nothing.
func sniff(body []byte, where string, set *meta.Set, b *builder) {
	switch {
	case bytes.HasPrefix(body, []byte("Exif\x00")), bytes.HasPrefix(body, []byte("II*\x00")),
		bytes.HasPrefix(body, []byte("MM\x00*")):
		o, _ := exifmeta.Inspect(exifmeta.TrimPrefix(body), where, set)
		b.offer(rankTextEXIF, o)
	case xmp.IsPacket(body):
		_ = xmp.Inspect(body, where, set)
		b.offer(rankXMP, xmp.Orientation(body))
	case len(body) > 0 && body[0] == '\n':
		p, err := decodeRawProfile(body)
		if err != nil {
			return
		}
		name := bytes.TrimSpace(body[:min(len(body), 16)])
		if i := bytes.IndexByte(name, '\n'); i >= 0 {
			name = name[:i]
		}
		if canon, ok := rawProfiles[strings.ToLower(string(name))]; ok && canon != "icc" && canon != "icm" {
			classifyPayload(canon, p, where, set, b)
		} else {
			set.Add(meta.Unparsed, where, "unknown hex profile")
		}
	}
}

func inflateTag(err error) string {
	if errors.Is(err, errTooLarge) {
		return "decompressed size over limit"
	}
	return "bad compressed text"
}

// rawProfiles are the ImageMagick raw profile names we decode.
var rawProfiles = map[string]string{
	"exif": "exif", "app1": "APP1", "iptc": "iptc", "xmp": "xmp", "8bim": "8bim",
	"icc": "icc", "icm": "icm",
}

// classifyRawProfile decodes an ImageMagick "Raw profile type <name>" text
// and classifies its payload.
func classifyRawProfile(typ, name string, t textChunk, z *inflater, set *meta.Set, b *builder) {
	canon, known := rawProfiles[name]
	if !known {
		set.Add(meta.Other, "PNG "+typ, "Raw profile type (custom)")
		return
	}
	where := "PNG " + typ + " Raw profile type " + canon
	if canon == "icc" || canon == "icm" {
		set.Add(meta.Other, where, "ICC profile in text")
		return
	}
	body, err := z.text(t)
	if err != nil {
		set.Add(meta.Unparsed, where, inflateTag(err))
		return
	}
	p, err := decodeRawProfile(body)
	if err != nil {
		set.Add(meta.Unparsed, where, "bad hex profile")
		return
	}
	classifyPayload(canon, p, where, set, b)
}

// xmpNamespacePrefix starts an XMP payload stored as a JPEG APP1 body.
const xmpNamespacePrefix = "http://ns.adobe.com/xap/1.0/\x00"

// classifyPayload hands a decoded raw profile to the right classifier.
func classifyPayload(kind string, p []byte, where string, set *meta.Set, b *builder) {
	switch kind {
	case "exif", "APP1":
		switch {
		case bytes.HasPrefix(p, []byte(xmpNamespacePrefix)):
			_ = xmp.Inspect(p[len(xmpNamespacePrefix):], where, set)
			b.offer(rankXMP, xmp.Orientation(p[len(xmpNamespacePrefix):]))
		default:
			if len(p) == 0 {
				set.Add(meta.Unparsed, where, "empty profile")
				return
			}
			o, _ := exifmeta.Inspect(exifmeta.TrimPrefix(p), where, set)
			b.offer(rankTextEXIF, o)
		}
	case "iptc":
		if bytes.HasPrefix(p, []byte("8BIM")) {
			_ = irb.InspectIRB(p, where, set)
		} else {
			_ = irb.InspectIIM(p, where, set)
		}
	case "8bim":
		_ = irb.InspectIRB(p, where, set)
	case "xmp":
		_ = xmp.Inspect(p, where, set)
		b.offer(rankXMP, xmp.Orientation(p))
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// decodeRawProfile decodes ImageMagick's "\n<name>\n<length>\n<hex lines>"
// text. The declared length is checked against the text before allocating.
func decodeRawProfile(s []byte) ([]byte, error) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	j := bytes.IndexByte(s[i:], '\n')
	if j < 0 {
		return nil, errMalformed
	}
	i += j + 1
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	n, digits := 0, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		if digits++; digits > 10 {
			return nil, errMalformed
		}
		n = n*10 + int(s[i]-'0')
		i++
	}
	if digits == 0 || n > (len(s)-i)/2 {
		return nil, errMalformed
	}
	out := make([]byte, 0, n)
	var hi byte
	half := false
	for ; i < len(s) && len(out) < n; i++ {
		if isSpace(s[i]) {
			continue
		}
		v, ok := unhex(s[i])
		if !ok {
			return nil, errMalformed
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if len(out) < n {
		return nil, errMalformed
	}
	return out, nil
}
