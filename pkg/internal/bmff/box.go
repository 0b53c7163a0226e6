package bmff

import (
	"encoding/binary"
	"fmt"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
)

// FormatError reports that the input is not a well-formed ISO-BMFF image
// file. Its text never holds a metadata value or bytes of the file: only
// fixed wording, item ids, offsets and sizes.
type FormatError string

func (e FormatError) Error() string { return "bmff: " + string(e) }

// ErrUnsupported is wrapped by Parse and Strip errors for files that are
// well formed but use a feature the rewrite does not handle (image
// sequences, external data, construction_method 2, essential unknown
// properties, ...). Such a file is not cleaned. It is
// container.ErrUnsupported.
var ErrUnsupported = container.ErrUnsupported

func unsupported(why string) error { return fmt.Errorf("%w: %s", ErrUnsupported, why) }

func fmtErr(format string, a ...any) error { return FormatError(fmt.Sprintf(format, a...)) }

// Limits. Each bounds work or memory by a constant or by the input size.
const (
	maxDepth    = 16      // nesting depth of the generic walker
	maxBoxes    = 1 << 17 // boxes walked in one file
	maxItems    = 1 << 14 // items in iinf / iloc / ipma
	maxExtents  = 1 << 17 // extents over all iloc entries
	maxRefs     = 1 << 17 // referenced ids over all iref entries
	maxProps    = 1 << 15 // properties in ipco (15-bit ipma index)
	maxItemData = 64 << 20
)

// box is one box: its type and the offsets of its start, payload and end.
type box struct {
	typ        string
	start, end int
	body       int    // payload start (after size, type, largesize, usertype)
	uuid       []byte // usertype of a 'uuid' box
}

func (b box) payload(data []byte) []byte { return data[b.body:b.end] }

// walker reads boxes and counts them against maxBoxes.
type walker struct {
	data  []byte
	boxes int
}

// next reads the box header at pos inside a parent ending at end.
func (w *walker) next(pos, end int) (box, error) {
	if end-pos < 8 {
		return box{}, fmtErr("truncated box header at offset %d", pos)
	}
	w.boxes++
	if w.boxes > maxBoxes {
		return box{}, FormatError("too many boxes")
	}
	d := w.data
	size := uint64(binary.BigEndian.Uint32(d[pos:]))
	b := box{typ: string(d[pos+4 : pos+8]), start: pos, body: pos + 8}
	switch size {
	case 1:
		if end-pos < 16 {
			return box{}, fmtErr("truncated largesize at offset %d", pos)
		}
		size = binary.BigEndian.Uint64(d[pos+8:])
		b.body = pos + 16
	case 0:
		size = uint64(end - pos)
	}
	if size < uint64(b.body-pos) {
		return box{}, fmtErr("box at offset %d has size %d", pos, size)
	}
	if size > uint64(end-pos) {
		return box{}, fmtErr("box at offset %d declares %d bytes, %d remain", pos, size, end-pos)
	}
	b.end = pos + int(size)
	if b.typ == "uuid" {
		if b.end-b.body < 16 {
			return box{}, fmtErr("uuid box at offset %d too short", pos)
		}
		b.uuid = d[b.body : b.body+16]
		b.body += 16
	}
	return b, nil
}

// list returns the boxes that fill data[pos:end] exactly.
func (w *walker) list(pos, end int) ([]box, error) {
	var out []box
	for pos < end {
		b, err := w.next(pos, end)
		if err != nil {
			return out, err
		}
		out = append(out, b)
		pos = b.end
	}
	return out, nil
}

// children returns the child boxes of b, skipping skip payload bytes
// (4 for a full box).
func (w *walker) children(b box, skip int) ([]box, error) {
	if b.end-b.body < skip {
		return nil, fmtErr("box at offset %d too short", b.start)
	}
	return w.list(b.body+skip, b.end)
}

// containers are the box types the generic walker descends into, with the
// number of payload bytes before their children.
var containers = map[string]int{
	"moov": 0, "trak": 0, "mdia": 0, "minf": 0, "stbl": 0, "edts": 0, "dinf": 0,
	"udta": 0, "meta": 4, "iprp": 0, "ipco": 0, "mvex": 0, "moof": 0, "traf": 0,
	"tref": 0, "grpl": 0, "iref": 4,
}

// walkTree walks b and all container boxes below it with an explicit stack,
// calling visit for each box with its depth. Depth beyond maxDepth is an
// error.
func (w *walker) walkTree(b box, visit func(box, int)) error {
	type frame struct {
		b     box
		depth int
	}
	stack := []frame{{b, 0}}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		visit(f.b, f.depth)
		skip, ok := containers[f.b.typ]
		if !ok {
			continue
		}
		if f.depth+1 > maxDepth {
			return FormatError("boxes nested too deeply")
		}
		kids, err := w.children(f.b, skip)
		if err != nil {
			return err
		}
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, frame{kids[i], f.depth + 1})
		}
	}
	return nil
}

// cur reads big-endian fields from a payload; any read past the end sets
// bad and returns zero.
type cur struct {
	b   []byte
	p   int
	bad bool
}

func (c *cur) need(n int) bool {
	if c.bad || n < 0 || len(c.b)-c.p < n {
		c.bad = true
		return false
	}
	return true
}

func (c *cur) uN(n int) uint64 {
	if !c.need(n) {
		return 0
	}
	var v uint64
	for i := 0; i < n; i++ {
		v = v<<8 | uint64(c.b[c.p+i])
	}
	c.p += n
	return v
}

func (c *cur) u8() uint8   { return uint8(c.uN(1)) }
func (c *cur) u16() uint16 { return uint16(c.uN(2)) }
func (c *cur) u32() uint32 { return uint32(c.uN(4)) }

func (c *cur) fourcc() string {
	if !c.need(4) {
		return ""
	}
	c.p += 4
	return string(c.b[c.p-4 : c.p])
}

// str reads a NUL-terminated string (or the rest of the payload when there
// is no NUL).
func (c *cur) str() string {
	if c.bad || c.p > len(c.b) {
		c.bad = true
		return ""
	}
	rest := c.b[c.p:]
	for i, x := range rest {
		if x == 0 {
			c.p += i + 1
			return string(rest[:i])
		}
	}
	c.p = len(c.b)
	return string(rest)
}

func (c *cur) remaining() int { return len(c.b) - c.p }

// fullBox returns the version and flags of a full box payload and a cursor
// after them.
func fullBox(p []byte) (version uint8, flags uint32, c *cur) {
	c = &cur{b: p}
	v := c.u32()
	return uint8(v >> 24), v & 0xFFFFFF, c
}
