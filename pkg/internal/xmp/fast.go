package xmp

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// The fast tokenizer. encoding/xml allocates for every token (names,
// attribute slices and values, text), which made XMP classification the
// largest cost of a scan after the JPEG proof. runFast reads the packet
// itself, over one string copy of it, and hands the walker the same calls
// that the encoding/xml token stream (Decoder.RawToken, Strict) would give,
// with names and values that are sub-strings of the packet.
//
// It handles the subset of XML 1.0 that XMP packets use: elements with
// ASCII names and quoted attributes, character data with the predefined
// and numeric character references, comments, and processing instructions
// (an <?xml?> declaration only when it names version 1.0 and UTF-8, or
// nothing). It checks everything encoding/xml checks for that subset
// (name syntax, at most one colon, the XML character range, references,
// "]]>" outside CDATA, '<' in attribute values). Anything else (a
// non-ASCII name, CDATA, a DOCTYPE or other declaration, another encoding,
// any syntax error, a limit reached, any error the walker reports) makes it
// return errSlow, and parse runs the packet again through encoding/xml,
// which decides; the walker calls made before that point were identical,
// and Inspect drops the repeated findings, so the result is the result of
// the full parser. FuzzFastAgrees checks that both give the same findings,
// errors, GUIDs and orientations on arbitrary input.

// errSlow is returned by runFast for a packet it leaves to encoding/xml.
var errSlow = errors.New("xmp: fast tokenizer declined the packet")

// runFast walks doc (UTF-8, from toUTF8) without encoding/xml. It returns
// nil when the whole packet was walked and is valid, errSlow otherwise.
func (w *walker) runFast(doc []byte) error {
	s := string(doc) // one copy: names and values are sub-strings of it
	tokens := 0
	for i := 0; i < len(s); {
		// The slow path counts tokens the same way; stay clear of its
		// limit so that the limit is always the slow path's to report.
		if tokens += 2; tokens >= maxTokens-4 {
			return errSlow
		}
		if s[i] != '<' {
			end := len(s)
			if j := strings.IndexByte(s[i:], '<'); j >= 0 {
				end = i + j
			}
			raw := s[i:end]
			esc, ok := checkText(raw, false)
			if !ok {
				return errSlow
			}
			if w.wantsText() {
				if esc {
					w.tbuf = unescape(w.tbuf[:0], raw)
				} else {
					w.tbuf = append(w.tbuf[:0], raw...)
				}
				w.text(w.tbuf)
			}
			i = end
			continue
		}
		if i+1 >= len(s) {
			return errSlow
		}
		var ok bool
		switch s[i+1] {
		case '/':
			i, ok = w.fastEnd(s, i+2)
		case '?':
			i, ok = fastProcInst(s, i+2)
		case '!':
			i, ok = fastComment(s, i)
		default:
			i, ok = w.fastStart(s, i+1)
		}
		if !ok {
			return errSlow
		}
	}
	if w.finish() != nil {
		return errSlow
	}
	return nil
}

// fastEnd reads an end tag from its name at k ("</" read).
func (w *walker) fastEnd(s string, k int) (int, bool) {
	space, local, k, ok := scanQName(s, k)
	if !ok {
		return 0, false
	}
	k = skipSpace(s, k)
	if k >= len(s) || s[k] != '>' {
		return 0, false
	}
	return k + 1, w.end(space, local) == nil
}

// fastStart reads a start tag from its name at k ("<" read) and gives the
// walker the element (and its end, for an empty-element tag).
func (w *walker) fastStart(s string, k int) (int, bool) {
	space, local, k, ok := scanQName(s, k)
	if !ok {
		return 0, false
	}
	attrs := w.attrs[:0]
	empty := false
	for {
		k = skipSpace(s, k)
		if k >= len(s) {
			return 0, false
		}
		if s[k] == '/' {
			if k+1 >= len(s) || s[k+1] != '>' {
				return 0, false
			}
			empty, k = true, k+2
			break
		}
		if s[k] == '>' {
			k++
			break
		}
		var a attr
		a.space, a.local, k, ok = scanQName(s, k)
		if !ok {
			return 0, false
		}
		k = skipSpace(s, k)
		if k >= len(s) || s[k] != '=' {
			return 0, false
		}
		k = skipSpace(s, k+1)
		if k >= len(s) || s[k] != '"' && s[k] != '\'' {
			return 0, false
		}
		e := strings.IndexByte(s[k+1:], s[k])
		if e < 0 {
			return 0, false
		}
		a.value = s[k+1 : k+1+e]
		if a.esc, ok = checkText(a.value, true); !ok {
			return 0, false
		}
		attrs = append(attrs, a)
		k += e + 2
	}
	w.attrs = attrs
	if w.start(space, local, attrs) != nil {
		return 0, false
	}
	if empty && w.end(space, local) != nil {
		return 0, false
	}
	return k, true
}

// fastProcInst skips a processing instruction from its target at k ("<?"
// read). An XML declaration must declare nothing but version 1.0 and
// UTF-8: encoding/xml switches readers for other encodings.
func fastProcInst(s string, k int) (int, bool) {
	target, k, ok := scanName(s, k)
	if !ok {
		return 0, false
	}
	k = skipSpace(s, k)
	e := strings.Index(s[k:], "?>")
	if e < 0 {
		return 0, false
	}
	if target == "xml" {
		content := s[k : k+e]
		if v := declValue(content, "version"); v != "" && v != "1.0" {
			return 0, false
		}
		if v := declValue(content, "encoding"); v != "" && !strings.EqualFold(v, "utf-8") {
			return 0, false
		}
	}
	return k + e + 2, true
}

// fastComment skips a comment starting at i; other "<!" constructs (CDATA,
// declarations) are left to encoding/xml. The first "--" must close it.
func fastComment(s string, i int) (int, bool) {
	if !strings.HasPrefix(s[i:], "<!--") {
		return 0, false
	}
	k := i + 4
	e := strings.Index(s[k:], "--")
	if e < 0 || k+e+2 >= len(s) || s[k+e+2] != '>' {
		return 0, false
	}
	return k + e + 3, true
}

// declValue returns the quoted value of param in an XML declaration's
// text, as encoding/xml finds it: the first "param=" followed by a quote,
// up to the same quote; "" when there is none.
func declValue(content, param string) string {
	key := param + "="
	rest := content
	for {
		k := strings.Index(rest, key)
		if k < 0 || k+len(key) >= len(rest) {
			return ""
		}
		q := rest[k+len(key)]
		rest = rest[k+len(key)+1:]
		if q == '"' || q == '\'' {
			if e := strings.IndexByte(rest, q); e >= 0 {
				return rest[:e]
			}
			return ""
		}
	}
}

// scanName reads an XML name made of ASCII characters at k. A name that
// runs into a non-ASCII byte is not handled (false).
func scanName(s string, k int) (string, int, bool) {
	j := k
	for j < len(s) && isNameByte(s[j]) {
		j++
	}
	if j == k || j < len(s) && s[j] >= utf8.RuneSelf {
		return "", 0, false
	}
	if c := s[k]; !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' || c == ':') {
		return "", 0, false
	}
	return s[k:j], j, true
}

// scanQName reads a name at k and splits it at its colon as encoding/xml
// does: more than one colon is an error; a leading or trailing colon
// leaves the whole name local.
func scanQName(s string, k int) (space, local string, _ int, _ bool) {
	name, k, ok := scanName(s, k)
	if !ok || strings.Count(name, ":") > 1 {
		return "", "", 0, false
	}
	if p, l, found := strings.Cut(name, ":"); found && p != "" && l != "" {
		return p, l, k, true
	}
	return "", name, k, true
}

func isNameByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

func skipSpace(s string, k int) int {
	for k < len(s) && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r') {
		k++
	}
	return k
}

// inCharRange reports whether r is a Char of XML 1.0 (section 2.2).
func inCharRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// checkText validates character data (quoted: an attribute value without
// its quotes) and reports whether it must be decoded (references, carriage
// returns) to get its value.
func checkText(raw string, quoted bool) (esc, ok bool) {
	for k := 0; k < len(raw); {
		c := raw[k]
		switch {
		case c == '&':
			n, _, ok := reference(raw[k:])
			if !ok {
				return false, false
			}
			esc = true
			k += n
			continue
		case c == '<':
			return false, false
		case c == '\r':
			esc = true
		case c == ']':
			if !quoted && strings.HasPrefix(raw[k:], "]]>") {
				return false, false
			}
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(raw[k:])
			if r == utf8.RuneError && n == 1 || !inCharRange(r) {
				return false, false
			}
			k += n
			continue
		case c < 0x20 && c != '\t' && c != '\n':
			return false, false
		}
		k++
	}
	return esc, true
}

// reference decodes the character reference at the start of t (t[0] is
// '&'): its length and character. Only the predefined entities and numeric
// references to XML characters are valid (encoding/xml in Strict mode
// refuses the rest); a reference to a surrogate gives U+FFFD, as there.
func reference(t string) (int, rune, bool) {
	if len(t) > 1 && t[1] == '#' {
		k, base := 2, rune(10)
		if k < len(t) && t[k] == 'x' {
			k, base = 3, 16
		}
		start := k
		var n rune
		for ; k < len(t); k++ {
			d := rune(-1)
			switch c := t[k]; {
			case c >= '0' && c <= '9':
				d = rune(c - '0')
			case base == 16 && c >= 'a' && c <= 'f':
				d = rune(c-'a') + 10
			case base == 16 && c >= 'A' && c <= 'F':
				d = rune(c-'A') + 10
			}
			if d < 0 {
				break
			}
			if n = n*base + d; n > utf8.MaxRune {
				return 0, 0, false
			}
		}
		if k == start || k >= len(t) || t[k] != ';' {
			return 0, 0, false
		}
		if n >= 0xD800 && n <= 0xDFFF {
			n = utf8.RuneError
		}
		if !inCharRange(n) {
			return 0, 0, false
		}
		return k + 1, n, true
	}
	for _, e := range predefined {
		if strings.HasPrefix(t[1:], e.name) {
			return 1 + len(e.name), e.r, true
		}
	}
	return 0, 0, false
}

var predefined = [...]struct {
	name string
	r    rune
}{{"lt;", '<'}, {"gt;", '>'}, {"amp;", '&'}, {"apos;", '\''}, {"quot;", '"'}}

// unescape appends the value of raw (checked by checkText) to dst:
// references decoded, CR LF and lone CR read as LF.
func unescape(dst []byte, raw string) []byte {
	for k := 0; k < len(raw); {
		switch c := raw[k]; c {
		case '&':
			n, r, ok := reference(raw[k:])
			if !ok { // not reached for checked text
				return append(dst, raw[k:]...)
			}
			dst = utf8.AppendRune(dst, r)
			k += n
		case '\r':
			dst = append(dst, '\n')
			k++
			if k < len(raw) && raw[k] == '\n' {
				k++
			}
		default:
			dst = append(dst, c)
			k++
		}
	}
	return dst
}
