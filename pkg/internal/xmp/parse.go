package xmp

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Parser limits. A JPEG XMP packet is at most 65502 bytes; Extended XMP,
// TIFF tag 700 and PNG iTXt packets may be larger, but nothing legitimate
// comes near these bounds.
const (
	maxPacket = 16 << 20 // bytes
	maxDepth  = 64       // element nesting
	maxTokens = 1 << 21  // XML tokens per packet
	maxGUID   = 128      // bytes of HasExtendedXMP text kept while parsing

	// maxTagsPerCategory matches meta.Set's cap on tags per finding.
	maxTagsPerCategory = 256
)

// Namespaces with a structural role.
const (
	nsRDF     = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	nsX       = "adobe:ns:meta/"
	nsXOld    = "adobe:ns:meta"
	nsXML     = "http://www.w3.org/XML/1998/namespace"
	nsXMPNote = "http://ns.adobe.com/xmp/note/"
)

// rdfSyntax lists the RDF/XML syntax attribute names that may appear
// without a prefix in legacy packets (about="") and are not properties.
var rdfSyntax = map[string]bool{
	"about": true, "ID": true, "nodeID": true, "resource": true,
	"parseType": true, "datatype": true, "bagID": true, "aboutEach": true,
}

// toUTF8 returns the packet as UTF-8: a UTF-8 BOM is dropped, and UTF-16
// or UTF-32 (recognised by BOM or by the encoding of the leading '<', as
// XMP Part 3 describes) is transcoded. Trailing NUL and whitespace padding
// is trimmed.
func toUTF8(p []byte) ([]byte, error) {
	var out []byte
	var err error
	switch {
	case bytes.HasPrefix(p, []byte{0xEF, 0xBB, 0xBF}):
		out = p[3:]
	case bytes.HasPrefix(p, []byte{0, 0, 0xFE, 0xFF}):
		out, err = fromUTF32(p[4:], binary.BigEndian)
	case bytes.HasPrefix(p, []byte{0xFF, 0xFE, 0, 0}):
		out, err = fromUTF32(p[4:], binary.LittleEndian)
	case bytes.HasPrefix(p, []byte{0xFE, 0xFF}):
		out, err = fromUTF16(p[2:], binary.BigEndian)
	case bytes.HasPrefix(p, []byte{0xFF, 0xFE}):
		out, err = fromUTF16(p[2:], binary.LittleEndian)
	case bytes.HasPrefix(p, []byte{0, 0, 0, '<'}):
		out, err = fromUTF32(p, binary.BigEndian)
	case bytes.HasPrefix(p, []byte{'<', 0, 0, 0}):
		out, err = fromUTF32(p, binary.LittleEndian)
	case bytes.HasPrefix(p, []byte{0, '<'}):
		out, err = fromUTF16(p, binary.BigEndian)
	case bytes.HasPrefix(p, []byte{'<', 0}):
		out, err = fromUTF16(p, binary.LittleEndian)
	default:
		out = p
	}
	if err != nil {
		return nil, err
	}
	return bytes.TrimRight(out, "\x00 \t\r\n"), nil
}

func fromUTF16(p []byte, bo binary.ByteOrder) ([]byte, error) {
	// Trailing NUL padding may leave an odd byte; anything else is broken.
	if len(p)%2 != 0 {
		if p[len(p)-1] != 0 {
			return nil, FormatError("UTF-16 packet has odd length")
		}
		p = p[:len(p)-1]
	}
	out := make([]byte, 0, len(p)/2*3/2+4)
	for i := 0; i+1 < len(p); i += 2 {
		u := rune(bo.Uint16(p[i:]))
		if utf16.IsSurrogate(u) {
			if i+3 < len(p) {
				if r := utf16.DecodeRune(u, rune(bo.Uint16(p[i+2:]))); r != utf8.RuneError {
					out = utf8.AppendRune(out, r)
					i += 2
					continue
				}
			}
			return nil, FormatError("UTF-16 packet has an unpaired surrogate")
		}
		out = utf8.AppendRune(out, u)
	}
	return out, nil
}

func fromUTF32(p []byte, bo binary.ByteOrder) ([]byte, error) {
	if len(p)%4 != 0 {
		return nil, FormatError("UTF-32 packet length is not a multiple of 4")
	}
	out := make([]byte, 0, len(p)/4+4)
	for i := 0; i+3 < len(p); i += 4 {
		r := rune(bo.Uint32(p[i:]))
		if !utf8.ValidRune(r) {
			return nil, FormatError("UTF-32 packet has an invalid code point")
		}
		out = utf8.AppendRune(out, r)
	}
	return out, nil
}

// charsetReader handles the encoding named by an <?xml?> declaration. The
// text is UTF-8 by now (toUTF8 ran first), so Unicode labels pass through;
// Latin-1 family labels are widened byte by byte; others are refused.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-16", "utf-16le", "utf-16be", "utf-32", "utf-32le", "utf-32be",
		"ucs-2", "ucs-4", "unicode", "us-ascii", "ascii":
		return r, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "windows-1252", "cp1252":
		return &latin1Reader{r: r}, nil
	}
	return nil, FormatError("unsupported character encoding")
}

// latin1Reader maps each byte to the code point of the same value.
type latin1Reader struct {
	r       io.Reader
	buf     []byte
	pending []byte
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	if len(l.pending) > 0 {
		n := copy(p, l.pending)
		l.pending = l.pending[n:]
		return n, nil
	}
	n := max(len(p)/2, 1)
	if cap(l.buf) < n {
		l.buf = make([]byte, n)
	}
	m, err := l.r.Read(l.buf[:n])
	var out []byte
	for _, c := range l.buf[:m] {
		out = utf8.AppendRune(out, rune(c))
	}
	k := copy(p, out)
	l.pending = out[k:]
	return k, err
}

// frame is one open element.
type frame struct {
	space, local string        // raw name, for end-tag matching
	undo         int           // length of walker.undo when opened
	ctx          meta.Category // category that nested fields inherit
	literal      bool          // inside rdf:parseType="Literal": content, not properties
	guid         bool          // collecting xmpNote:HasExtendedXMP text
}

// binding is a saved namespace binding, restored when its element closes.
type binding struct {
	prefix, uri string
	had         bool
}

// walker turns the raw token stream into property names. It keeps its own
// namespace scopes so that both the document's prefix and the URI are known.
type walker struct {
	ns        map[string]string
	undo      []binding
	stack     []frame
	onProp    func(tag string, c meta.Category)
	props     int
	guid      string // last complete xmpNote:HasExtendedXMP value
	guidOK    bool
	buf       []byte // HasExtendedXMP element text being collected
	bufOver   bool
	directive bool
	junk      bool
	element   bool
}

func newWalker(onProp func(string, meta.Category)) *walker {
	return &walker{ns: map[string]string{}, onProp: onProp}
}

// run walks the packet text. It returns a FormatError for malformed XML,
// exceeded limits, or constructs XMP forbids (DOCTYPE, text outside the
// root); properties seen before the problem have been reported.
func (w *walker) run(doc []byte) error {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	d.CharsetReader = charsetReader
	for tokens := 0; ; tokens++ {
		if tokens >= maxTokens {
			return FormatError("too many XML tokens")
		}
		at := d.InputOffset()
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil && w.element && len(w.stack) == 0 && truncatedTrailer(doc[at:]) {
			break // e.g. a JPEG segment length that cut off the final "?>"
		}
		if err != nil {
			// The decoder's message can quote names or entity text from the
			// packet, so it is replaced by fixed wording.
			return FormatError("malformed XML")
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := w.start(t); err != nil {
				return err
			}
		case xml.EndElement:
			if err := w.end(t); err != nil {
				return err
			}
		case xml.CharData:
			w.text(t)
		case xml.Directive:
			w.directive = true
		}
	}
	switch {
	case len(w.stack) > 0:
		return FormatError("truncated XML: unclosed element")
	case !w.element:
		return FormatError("no XML element")
	case w.directive:
		return FormatError("DOCTYPE or other declaration in packet")
	case w.junk:
		return FormatError("text outside the root element")
	}
	return nil
}

// truncatedTrailer reports whether rest is only an unterminated
// <?xpacket end=...?> instruction, which holds no properties.
func truncatedTrailer(rest []byte) bool {
	rest = bytes.TrimLeft(rest, " \t\r\n")
	return bytes.HasPrefix(rest, []byte("<?xpacket end")) && !bytes.Contains(rest, []byte("?>")) && len(rest) <= 32
}

func (w *walker) bind(prefix, uri string) {
	old, had := w.ns[prefix]
	w.undo = append(w.undo, binding{prefix, old, had})
	w.ns[prefix] = uri
}

// resolve maps a prefix to its namespace URI. An undeclared prefix falls
// back to the URI its conventional prefix stands for (so "exif:" without
// xmlns:exif still classifies as Exif), else "".
func (w *walker) resolve(prefix string) string {
	switch prefix {
	case "xml":
		return nsXML
	case "xmlns":
		return ""
	}
	if uri, ok := w.ns[prefix]; ok {
		return uri
	}
	if prefix == "" {
		return ""
	}
	return conventionalURI[prefix]
}

func (w *walker) start(t xml.StartElement) error {
	if len(w.stack) >= maxDepth {
		return FormatError("XML nesting too deep")
	}
	w.element = true
	f := frame{space: t.Name.Space, local: t.Name.Local, undo: len(w.undo)}
	for _, a := range t.Attr {
		switch {
		case a.Name.Space == "xmlns":
			w.bind(a.Name.Local, a.Value)
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			w.bind("", a.Value)
		}
	}
	var parent meta.Category
	if n := len(w.stack); n > 0 {
		top := w.stack[n-1]
		if top.literal {
			f.literal = true
			w.stack = append(w.stack, f)
			return nil
		}
		parent = top.ctx
	}
	uri := w.resolve(t.Name.Space)
	syntax := uri == nsRDF || uri == nsX || uri == nsXOld
	f.ctx = parent
	if !syntax {
		c := classify(uri, t.Name.Local, parent)
		w.prop(uri, t.Name.Space, t.Name.Local, c)
		f.ctx = ""
		if c != meta.Other {
			f.ctx = c
		}
		if uri == nsXMPNote && t.Name.Local == "HasExtendedXMP" {
			f.guid, w.buf, w.bufOver = true, w.buf[:0], false
		}
	}
	for _, a := range t.Attr {
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
			continue
		}
		if a.Name.Space == "" && rdfSyntax[a.Name.Local] {
			continue
		}
		au := w.resolve(a.Name.Space)
		switch au {
		case nsRDF:
			if a.Name.Local == "parseType" && a.Value == "Literal" {
				f.literal = true
			}
			continue
		case nsX, nsXOld, nsXML:
			continue
		}
		w.prop(au, a.Name.Space, a.Name.Local, classify(au, a.Name.Local, f.ctx))
		if au == nsXMPNote && a.Name.Local == "HasExtendedXMP" && len(a.Value) <= maxGUID {
			w.guid, w.guidOK = a.Value, true
		}
	}
	w.stack = append(w.stack, f)
	return nil
}

func (w *walker) end(t xml.EndElement) error {
	n := len(w.stack)
	if n == 0 {
		return FormatError("unexpected end tag")
	}
	top := w.stack[n-1]
	if top.space != t.Name.Space || top.local != t.Name.Local {
		return FormatError("mismatched end tag")
	}
	if top.guid && !w.bufOver {
		w.guid, w.guidOK = string(w.buf), true
	}
	for i := len(w.undo) - 1; i >= top.undo; i-- {
		b := w.undo[i]
		if b.had {
			w.ns[b.prefix] = b.uri
		} else {
			delete(w.ns, b.prefix)
		}
	}
	w.undo = w.undo[:top.undo]
	w.stack = w.stack[:n-1]
	return nil
}

func (w *walker) text(t xml.CharData) {
	n := len(w.stack)
	if n == 0 {
		if len(bytes.Trim(t, " \t\r\n\uFEFF")) > 0 {
			w.junk = true
		}
		return
	}
	if w.stack[n-1].guid && !w.bufOver {
		if len(w.buf)+len(t) > maxGUID {
			w.bufOver = true
			return
		}
		w.buf = append(w.buf, t...)
	}
}

// prop reports one property name.
func (w *walker) prop(uri, prefix, local string, c meta.Category) {
	w.props++
	if w.onProp != nil {
		w.onProp(tagName(uri, prefix, local), c)
	}
}

// tagName is "prefix:Local" with the conventional prefix of a known
// namespace, else the document's own prefix, sanitized.
func tagName(uri, prefix, local string) string {
	if ns, ok := namespaces[uri]; ok {
		prefix = ns.prefix
	}
	if prefix == "" {
		return meta.Sanitize(local)
	}
	return meta.Sanitize(prefix + ":" + local)
}
