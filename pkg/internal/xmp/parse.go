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

// toUTF8 returns the packet as UTF-8: a UTF-8 BOM is dropped, UTF-16 or
// UTF-32 (recognised by BOM or by the encoding of the leading '<', as XMP
// Part 3 describes) is transcoded, and text that is not valid UTF-8 is read
// as Latin-1. Trailing NUL and whitespace padding
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
		if !utf8.Valid(p) {
			// Writers that ignore XMP's UTF-8 rule store Latin-1 text
			// (e.g. an accented place name): widen it byte by byte so the
			// names around it can still be classified.
			out = make([]byte, 0, len(p)+len(p)/8)
			for _, c := range p {
				out = utf8.AppendRune(out, rune(c))
			}
		}
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
	orient       bool          // collecting tiff:Orientation text
}

// binding is a saved namespace binding, restored when its element closes.
type binding struct {
	prefix string
	ns     nsEntry
	had    bool
}

// nsEntry is what a prefix is bound to: the namespace URI (for the
// structural namespaces) and its schema, looked up once when declared.
type nsEntry struct {
	uri string
	s   *schema
}

// walker turns the raw token stream into property names. It keeps its own
// namespace scopes so that both the document's prefix and the URI are known.
type walker struct {
	ns        map[string]nsEntry
	undo      []binding
	stack     []frame
	onProp    func(tag string, c meta.Category)
	props     int
	guid      string // last complete xmpNote:HasExtendedXMP value
	guidOK    bool
	orient    int    // first valid tiff:Orientation (1..8), 0 if none
	obuf      []byte // tiff:Orientation element text being collected
	buf       []byte // HasExtendedXMP element text being collected
	bufOver   bool
	directive bool
	junk      bool
	element   bool
}

func newWalker(onProp func(string, meta.Category)) *walker {
	return &walker{ns: map[string]nsEntry{}, onProp: onProp}
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
	w.ns[prefix] = nsEntry{uri: uri, s: schemaFor(uri)}
}

// resolve maps a prefix to its namespace. An undeclared prefix falls back
// to the namespace its conventional prefix stands for (so "exif:" without
// xmlns:exif still classifies as Exif), else to none.
func (w *walker) resolve(prefix string) nsEntry {
	switch prefix {
	case "xml":
		return nsEntry{uri: nsXML}
	case "xmlns":
		return nsEntry{}
	}
	if e, ok := w.ns[prefix]; ok {
		return e
	}
	switch prefix {
	case "":
		return nsEntry{}
	case "rdf":
		return nsEntry{uri: nsRDF}
	case "x":
		return nsEntry{uri: nsX}
	}
	return nsEntry{s: conventionalSchema[prefix]}
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
	e := w.resolve(t.Name.Space)
	syntax := e.uri == nsRDF || e.uri == nsX || e.uri == nsXOld
	f.ctx = parent
	if !syntax {
		c := w.prop(e.s, t.Name.Local, parent)
		f.ctx = ""
		if c != meta.Other {
			f.ctx = c
		}
		if e.s == xmpNote && t.Name.Local == "HasExtendedXMP" {
			f.guid, w.buf, w.bufOver = true, w.buf[:0], false
		}
		if e.s == tiffSchema && t.Name.Local == "Orientation" && w.orient == 0 {
			f.orient, w.obuf = true, w.obuf[:0]
		}
	}
	for _, a := range t.Attr {
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
			continue
		}
		if a.Name.Space == "" && rdfSyntax[a.Name.Local] {
			continue
		}
		ae := w.resolve(a.Name.Space)
		switch ae.uri {
		case nsRDF:
			if a.Name.Local == "parseType" && a.Value == "Literal" {
				f.literal = true
			}
			continue
		case nsX, nsXOld, nsXML:
			continue
		}
		w.prop(ae.s, a.Name.Local, f.ctx)
		if ae.s == xmpNote && a.Name.Local == "HasExtendedXMP" && len(a.Value) <= maxGUID {
			w.guid, w.guidOK = a.Value, true
		}
		if ae.s == tiffSchema && a.Name.Local == "Orientation" && w.orient == 0 {
			w.orient = orientation(a.Value)
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
	if top.orient && w.orient == 0 && len(w.obuf) <= maxOrient {
		w.orient = orientation(string(w.obuf))
	}
	for i := len(w.undo) - 1; i >= top.undo; i-- {
		b := w.undo[i]
		if b.had {
			w.ns[b.prefix] = b.ns
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
	if w.stack[n-1].orient && len(w.obuf) <= maxOrient {
		w.obuf = append(w.obuf, t[:min(len(t), maxOrient+1-len(w.obuf))]...)
	}
	if w.stack[n-1].guid && !w.bufOver {
		if len(w.buf)+len(t) > maxGUID {
			w.bufOver = true
			return
		}
		w.buf = append(w.buf, t...)
	}
}

// prop classifies one property, reports it, and returns its category.
func (w *walker) prop(s *schema, local string, parent meta.Category) meta.Category {
	tag, c := property(s, local, parent)
	w.props++
	if w.onProp != nil {
		w.onProp(tag, c)
	}
	return c
}

// xmpNote is the schema of the Extended XMP GUID property.
var xmpNote = namespaces[nsXMPNote]

// tiffSchema is the schema of tiff:Orientation.
var tiffSchema = namespaces["http://ns.adobe.com/tiff/1.0/"]

// maxOrient bounds the tiff:Orientation text kept while parsing.
const maxOrient = 16

// orientation parses an Orientation value: one digit 1..8, surrounding
// white space allowed; anything else is 0.
func orientation(v string) int {
	v = strings.TrimSpace(v)
	if len(v) == 1 && v[0] >= '1' && v[0] <= '8' {
		return int(v[0] - '0')
	}
	return 0
}
