package xmp

import (
	"bytes"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Markers whose presence means a byte string holds an XMP packet: the
// packet wrapper (XMP Part 3), the x:xmpmeta element's namespace, the RDF
// namespace, and the conventional element names (a hostile packet may leave
// the prefixes undeclared; the walker resolves them by convention).
var packetMarkers = [][]byte{
	[]byte("<?xpacket"),
	[]byte("adobe:ns:meta"),
	[]byte("22-rdf-syntax-ns#"),
	[]byte("<x:xmpmeta"),
	[]byte("<x:xapmeta"),
	[]byte("<rdf:RDF"),
}

// Start markers, used by InspectCarrier to skip text a carrier put before
// the packet (a comment's leading words, a keyword prefix).
var startMarkers = [][]byte{
	[]byte("<?xpacket"),
	[]byte("<x:xmpmeta"),
	[]byte("<x:xapmeta"),
	[]byte("<rdf:RDF"),
}

// End markers, each with the length of the text that closes it.
var endMarkers = [][]byte{
	[]byte("<?xpacket end"),
	[]byte("</x:xmpmeta>"),
	[]byte("</x:xapmeta>"),
	[]byte("</rdf:RDF>"),
}

// IsPacket reports whether b holds an XMP packet, anywhere in it: the
// packet wrapper, the x:xmpmeta element or its namespace, or the RDF
// namespace. UTF-16 and UTF-32 text (with a BOM or a leading '<') is
// recognised too. The search covers at most the first 16 MB (the largest
// packet Inspect accepts) and costs a few linear scans; nothing is
// allocated for UTF-8 input.
func IsPacket(b []byte) bool {
	if len(b) > maxPacket {
		b = b[:maxPacket]
	}
	if hasMarker(b) {
		return true
	}
	if !wideText(b) {
		return false
	}
	u, err := toUTF8(b)
	return err == nil && hasMarker(u)
}

func hasMarker(b []byte) bool {
	for _, m := range packetMarkers {
		if bytes.Contains(b, m) {
			return true
		}
	}
	return false
}

// wideText reports whether b starts like UTF-16 or UTF-32 text (BOM or a
// '<' with zero bytes beside it), the cases toUTF8 transcodes.
func wideText(b []byte) bool {
	if len(b) < 2 {
		return false
	}
	switch {
	case b[0] == 0xFE && b[1] == 0xFF, b[0] == 0xFF && b[1] == 0xFE:
		return true
	case b[0] == 0 && b[1] == '<', b[0] == '<' && b[1] == 0:
		return true
	case len(b) >= 4 && b[0] == 0 && b[1] == 0 && (b[2] == 0xFE || b[3] == '<'):
		return true
	}
	return false
}

// InspectCarrier runs Inspect on b when IsPacket(b) and reports whether it
// did. It is meant for carriers that are not XMP by type (a JPEG comment, a
// PNG text chunk, a GIF comment, a HEIF item typed as generic XML): text
// the carrier holds before the packet's first element or wrapper, or after
// its end, is not fed to the parser, so such text does not turn a readable
// packet into an Unparsed finding. Findings go under where, as Inspect adds
// them (an unparsable packet adds an Unparsed finding there).
func InspectCarrier(b []byte, where string, set *meta.Set) bool {
	if !IsPacket(b) {
		return false
	}
	if !wideText(b) {
		b = packetSpan(b)
	}
	_ = Inspect(b, where, set)
	return true
}

// packetSpan cuts UTF-8 text to the packet inside it: from the first start
// marker to the end of the last end marker. Without markers, b is returned
// as is.
func packetSpan(b []byte) []byte {
	start := -1
	for _, m := range startMarkers {
		if i := bytes.Index(b, m); i >= 0 && (start < 0 || i < start) {
			start = i
		}
	}
	if start > 0 {
		// Keep a UTF-8 BOM-free start; whitespace before is harmless.
		b = b[start:]
	}
	end := -1
	for _, m := range endMarkers {
		i := bytes.LastIndex(b, m)
		if i < 0 {
			continue
		}
		e := i + len(m)
		if m[1] == '?' {
			// "<?xpacket end='w'?>": extend to the closing "?>".
			j := bytes.Index(b[e:], []byte("?>"))
			if j < 0 {
				continue
			}
			e += j + 2
		}
		if e > end {
			end = e
		}
	}
	if end > 0 {
		b = b[:end]
	}
	return b
}
