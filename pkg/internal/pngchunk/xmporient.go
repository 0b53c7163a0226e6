package pngchunk

import (
	"bytes"
	"slices"
)

// isXMP reports whether a text holds an XMP packet.
func isXMP(body []byte) bool {
	return bytes.Contains(body, []byte("<x:xmpmeta")) || bytes.Contains(body, []byte("<?xpacket")) ||
		bytes.Contains(body, []byte("http://ns.adobe.com/xap/1.0/")) ||
		bytes.Contains(body, []byte("<rdf:RDF"))
}

const tiffNS = "http://ns.adobe.com/tiff/1.0/"

// xmpOrientation returns the tiff:Orientation (1..8) of an XMP packet, in
// attribute (tiff:Orientation="6") or element (<tiff:Orientation>6<)
// form, under any prefix bound to the TIFF namespace, or 0. It is a
// bounded scan, not a parse: the packet has already been classified by
// the xmp package.
func xmpOrientation(p []byte) int {
	if len(p) > 16<<20 || !bytes.Contains(p, []byte(tiffNS)) {
		return 0
	}
	prefixes := []string{"tiff"}
	for rest := p; ; {
		i := bytes.Index(rest, []byte(tiffNS))
		if i < 0 {
			break
		}
		// xmlns:PREFIX="http://ns.adobe.com/tiff/1.0/"
		lo := max(0, i-80)
		j := bytes.LastIndex(rest[lo:i], []byte("xmlns:"))
		if j >= 0 {
			decl := rest[lo+j+6 : i]
			if k := bytes.IndexByte(decl, '='); k > 0 {
				if pre := string(bytes.TrimSpace(decl[:k])); pre != "" && !slices.Contains(prefixes, pre) && len(prefixes) < 16 {
					prefixes = append(prefixes, pre)
				}
			}
		}
		rest = rest[i+len(tiffNS):]
	}
	for _, pre := range prefixes {
		name := []byte(pre + ":Orientation")
		for rest := p; ; {
			i := bytes.Index(rest, name)
			if i < 0 {
				break
			}
			rest = rest[i+len(name):]
			if start := len(p) - len(rest) - len(name); start > 0 && isNameByte(p[start-1]) {
				continue
			}
			v := bytes.TrimLeft(rest, " \t\r\n")
			switch {
			case len(v) > 0 && v[0] == '=':
				v = bytes.TrimLeft(v[1:], " \t\r\n")
				if len(v) >= 3 && (v[0] == '"' || v[0] == '\'') && v[2] == v[0] {
					if o := int(v[1]) - '0'; o >= 1 && o <= 8 {
						return o
					}
				}
			case len(v) > 0 && v[0] == '>':
				v = bytes.TrimLeft(v[1:], " \t\r\n")
				if len(v) >= 2 && v[1] == '<' {
					if o := int(v[0]) - '0'; o >= 1 && o <= 8 {
						return o
					}
				}
			}
		}
	}
	return 0
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c == ':'
}
