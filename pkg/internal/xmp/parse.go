package xmp

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"

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
	attrs     []attr // the current start tag's attributes (reused)
	tbuf      []byte // decoded text (fast.go, reused)

	// Inspect's de-duplication (xmp.go), kept with the pooled walker.
	seen map[seenKey]bool
	per  map[meta.Category]int
}

func newWalker(onProp func(string, meta.Category)) *walker {
	// Sized for a typical packet, so that the maps and stacks rarely grow.
	return &walker{ns: make(map[string]nsEntry, 16), onProp: onProp,
		undo: make([]binding, 0, 16), stack: make([]frame, 0, 16), attrs: make([]attr, 0, 16)}
}

// reset clears what a walk learnt, keeping the callback and the buffers.
func (w *walker) reset() {
	clear(w.ns)
	*w = walker{ns: w.ns, onProp: w.onProp, undo: w.undo[:0], stack: w.stack[:0],
		attrs: w.attrs[:0], tbuf: w.tbuf[:0], buf: w.buf[:0], obuf: w.obuf[:0],
		seen: w.seen, per: w.per}
}

// run walks the packet text. It returns a FormatError for malformed XML,
// exceeded limits, or constructs XMP forbids (DOCTYPE, text outside the
// root); properties seen before the problem have been reported.
func (w *walker) run(doc []byte) error {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	// The decoder's offsets count the bytes it reads; once an encoding
	// declaration switches it to the Latin-1 reader they count converted
	// bytes, which are more than doc's. tr keeps a text whose offsets are
	// the decoder's (nil after a second switch: no such text is kept).
	tr, switches := doc, 0
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		rr, err := charsetReader(label, r)
		if _, ok := rr.(*latin1Reader); ok {
			switches++
		}
		return rr, err
	}
	for tokens := 0; ; tokens++ {
		if tokens >= maxTokens {
			return FormatError("too many XML tokens")
		}
		at := d.InputOffset()
		before := switches
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if switches != before {
			tr = nil
			if switches == 1 && err == nil {
				// Everything up to the end of the declaration was read
				// as it is; the rest goes through the Latin-1 reader.
				end := int(d.InputOffset())
				tr = append(doc[:end:end], latin1ToUTF8(doc[end:])...)
			}
		}
		if err != nil && w.element && len(w.stack) == 0 && at <= int64(len(tr)) && truncatedTrailer(tr[at:]) {
			break // e.g. a JPEG segment length that cut off the final "?>"
		}
		if err != nil {
			// The decoder's message can quote names or entity text from the
			// packet, so it is replaced by fixed wording.
			return FormatError("malformed XML")
		}
		switch t := tok.(type) {
		case xml.StartElement:
			attrs := w.attrs[:0]
			for _, a := range t.Attr {
				attrs = append(attrs, attr{space: a.Name.Space, local: a.Name.Local, value: a.Value})
			}
			w.attrs = attrs
			if err := w.start(t.Name.Space, t.Name.Local, attrs); err != nil {
				return err
			}
		case xml.EndElement:
			if err := w.end(t.Name.Space, t.Name.Local); err != nil {
				return err
			}
		case xml.CharData:
			w.text(t)
		case xml.Directive:
			w.directive = true
		}
	}
	return w.finish()
}

// finish checks the state at the end of the token stream.
func (w *walker) finish() error {
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

// attr is one attribute of a start tag. value is the attribute's value,
// or, when esc is set, its text as written in the packet (entity
// references, carriage returns), which attrValue decodes on demand: the
// fast tokenizer (fast.go) leaves the values the walker never reads as they
// are.
type attr struct {
	space, local string
	value        string
	esc          bool
}

// attrValue returns a's value.
func attrValue(a attr) string {
	if !a.esc {
		return a.value
	}
	return string(unescape(nil, a.value))
}

func (w *walker) start(space, local string, attrs []attr) error {
	if len(w.stack) >= maxDepth {
		return FormatError("XML nesting too deep")
	}
	w.element = true
	f := frame{space: space, local: local, undo: len(w.undo)}
	for _, a := range attrs {
		switch {
		case a.space == "xmlns":
			w.bind(a.local, attrValue(a))
		case a.space == "" && a.local == "xmlns":
			w.bind("", attrValue(a))
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
	e := w.resolve(space)
	syntax := e.uri == nsRDF || e.uri == nsX || e.uri == nsXOld
	f.ctx = parent
	if !syntax {
		c := w.prop(e.s, local, parent)
		f.ctx = ""
		if c != meta.Other {
			f.ctx = c
		}
		if e.s == xmpNote && local == "HasExtendedXMP" {
			f.guid, w.buf, w.bufOver = true, w.buf[:0], false
		}
		if e.s == tiffSchema && local == "Orientation" && w.orient == 0 {
			f.orient, w.obuf = true, w.obuf[:0]
		}
	}
	for _, a := range attrs {
		if a.space == "xmlns" || (a.space == "" && a.local == "xmlns") {
			continue
		}
		if a.space == "" && rdfSyntax[a.local] {
			continue
		}
		ae := w.resolve(a.space)
		switch ae.uri {
		case nsRDF:
			if a.local == "parseType" && attrValue(a) == "Literal" {
				f.literal = true
			}
			continue
		case nsX, nsXOld, nsXML:
			continue
		}
		w.prop(ae.s, a.local, f.ctx)
		if ae.s == xmpNote && a.local == "HasExtendedXMP" {
			if v := attrValue(a); len(v) <= maxGUID {
				// A copy: the value may share memory with the packet.
				w.guid, w.guidOK = strings.Clone(v), true
			}
		}
		if ae.s == tiffSchema && a.local == "Orientation" && w.orient == 0 {
			w.orient = orientation(attrValue(a))
		}
	}
	w.stack = append(w.stack, f)
	return nil
}

func (w *walker) end(space, local string) error {
	n := len(w.stack)
	if n == 0 {
		return FormatError("unexpected end tag")
	}
	top := w.stack[n-1]
	if top.space != space || top.local != local {
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

// wantsText reports whether text() would use character data now: outside
// the root (junk), or inside a property whose value is read.
func (w *walker) wantsText() bool {
	n := len(w.stack)
	return n == 0 || w.stack[n-1].orient || w.stack[n-1].guid
}

func (w *walker) text(t []byte) {
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
