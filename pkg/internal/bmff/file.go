package bmff

import (
	"errors"
	"sort"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// HEIF is the HEIF/HEIC container format (any ftyp brand of ISO/IEC
// 23008-12 or MIAF that is not AVIF).
var HEIF = container.Format{
	Name:        format.HEIF,
	Match:       matchBrand(format.HEIF),
	Extensions:  []string{".heic", ".heif", ".hif", ".heics", ".heifs"},
	Parse:       Parse,
	Rebuild:     true,
	Unsupported: isUnsupported,
}

// AVIF is the AV1 Image File Format container (ftyp brand avif or avis).
var AVIF = container.Format{
	Name:        format.AVIF,
	Match:       matchBrand(format.AVIF),
	Extensions:  []string{".avif", ".avifs"},
	Parse:       Parse,
	Rebuild:     true,
	Unsupported: isUnsupported,
}

func matchBrand(f format.Format) func([]byte) bool {
	return func(d []byte) bool {
		return len(d) >= 12 && string(d[4:8]) == "ftyp" && format.Sniff(d[:min(len(d), format.HeadSize)]) == f
	}
}

func isUnsupported(err error) bool { return errors.Is(err, ErrUnsupported) }

// file is a parsed HEIF or AVIF file; it implements container.File.
type file struct {
	h     *heif
	p     plan
	ins   meta.Inspection
	props map[int]*prop     // validated properties of kept items, by ipco index
	data  map[uint32][]byte // rebuilt data of kept items: their coded pieces
	// orient is the effective orientation; transform tells whether the
	// primary item has irot/imir (which then win over Exif and XMP).
	orient    int
	transform bool
}

// Parse parses a whole HEIF or AVIF file once: boxes, items, properties
// and the framing of every kept item's coded data, and classifies every
// byte. On error the returned File still carries the inspection of what
// was parsed (with an unparsed finding unless the error wraps
// ErrUnsupported); such a File is never rebuilt. It is safe for
// concurrent use.
func Parse(data []byte) (container.File, error) {
	h, err := parse(data)
	f := &file{h: h, props: map[int]*prop{}, data: map[uint32][]byte{}}
	if err == nil {
		err = f.analyse()
	}
	if err == nil && h.unsup != nil {
		err = h.unsup
	}
	if err != nil && !errors.Is(err, ErrUnsupported) {
		h.set.Add(meta.Unparsed, "HEIF container")
	}
	f.ins.Findings = h.set.List()
	return f, err
}

func (f *file) Inspection() meta.Inspection {
	in := f.ins
	in.Findings = append([]meta.Finding(nil), f.ins.Findings...)
	return in
}

func (f *file) Map() []container.Range { return append([]container.Range(nil), f.h.rs...) }

func (f *file) ICC() []byte {
	prim := f.h.byID[f.h.primary]
	if prim == nil {
		return nil
	}
	for _, a := range prim.props {
		if pr := f.props[a.idx]; pr != nil && pr.icc != nil {
			return pr.icc
		}
	}
	return nil
}

// analyse classifies properties, item data and orientation.
func (f *file) analyse() error {
	h := f.h
	p, err := h.plan()
	if err != nil {
		return err
	}
	f.p = p
	if err := f.analyseProps(); err != nil {
		return err
	}
	var claims []container.Range
	exifOrient, xmpOrient := 0, 0
	for _, it := range h.items {
		if !p.keep[it.id] {
			o, kept := f.inspectRemoved(it, p.reason[it.id])
			k := container.Meta
			if kept {
				k = container.Kept
			}
			if err := h.mapPieces(it, []piece{{0, -1, k, "removed item data"}}, &claims); err != nil {
				return err
			}
			// A metadata item describes the primary image when it is
			// linked to it, or linked to nothing (the whole file).
			linked := h.refersTo(it.id, "cdsc", h.primary) || len(h.refsFrom(it.id, "cdsc")) == 0
			switch {
			case p.reason[it.id] == rExif && linked && exifOrient == 0:
				exifOrient = o
			case p.reason[it.id] == rXMP && linked && xmpOrient == 0:
				xmpOrient = o
			}
			continue
		}
		if err := f.keptItem(it, &claims); err != nil {
			return err
		}
	}
	f.checkShared()
	if err := h.resolveRegions(claims); err != nil {
		return err
	}
	prim := h.byID[h.primary]
	f.orient, f.transform = f.transformOrientation(prim)
	if !f.transform {
		f.orient = exifOrient
		if f.orient == 0 {
			f.orient = xmpOrient
		}
	}
	f.ins.Orientation = f.orient
	for _, a := range prim.props {
		if pr := f.props[a.idx]; pr != nil && pr.typ == "ispe" {
			f.ins.Width, f.ins.Height = pr.w, pr.h
			break
		}
	}
	return nil
}

// analyseProps validates the properties of kept items and classifies the
// others.
func (f *file) analyseProps() error {
	h := f.h
	n := len(h.props) + 1
	usedKept, usedRemoved, essential := make([]bool, n), make([]bool, n), make([]bool, n)
	users := make([][]uint32, n)
	for _, it := range h.items {
		for _, a := range it.props {
			if f.p.keep[it.id] {
				usedKept[a.idx] = true
				essential[a.idx] = essential[a.idx] || a.essential
				if len(users[a.idx]) < 4 {
					users[a.idx] = append(users[a.idx], it.id)
				}
			} else {
				usedRemoved[a.idx] = true
			}
		}
	}
	for idx := 1; idx < n; idx++ {
		b := h.prop(idx)
		switch {
		case usedKept[idx]:
			pr, err := h.keptProp(idx)
			if err != nil {
				return err
			}
			if pr != nil {
				f.props[idx] = pr
				continue
			}
			h.claim(b.start, b.end, container.Meta, "item property")
			for _, id := range users[idx] {
				h.addPropFinding(b, where(id, "property"), where(id, "unknown property"))
			}
			if essential[idx] {
				h.unsupported("a kept item has an essential property photoscrub does not know")
			}
		case (b.typ == "free" || b.typ == "skip") && !usedRemoved[idx]:
			h.claimFree(b)
		case usedRemoved[idx] && imageProps[b.typ]:
			h.claim(b.start, b.end, container.Meta, "property of a removed item")
		default:
			h.claim(b.start, b.end, container.Meta, "unassociated property")
			h.addPropFinding(b, "HEIF unassociated property", "HEIF unassociated unknown property")
		}
	}
	return nil
}

// addPropFinding reports property b: by its type when the type is known,
// else by its size only.
func (h *heif) addPropFinding(b box, known, unknown string) {
	c := meta.Other
	if b.typ == "udes" {
		c = meta.Comment
	}
	if knownProps[b.typ] {
		h.set.Add(c, known, b.typ)
		return
	}
	h.set.Add(c, unknown, container.SizeTag(b.end-b.start))
}

// keptItem checks that a kept item can be rebuilt and proves the framing
// of its data.
func (f *file) keptItem(it *item, claims *[]container.Range) error {
	h := f.h
	switch {
	case it.prot != 0:
		h.set.Add(meta.Unparsed, where(it.id, "protected"))
		h.unsupported("a kept item is protected")
	case it.infeVersion < 2:
		h.unsupported("a kept item has an infe version below 2")
	case it.hasLoc && it.dref != 0:
		h.unsupported("a kept item's data is in another file")
	case it.hasLoc && it.method > 1:
		h.unsupported("a kept item uses construction_method 2")
	case it.hasLoc && len(it.ext) > 0 && h.ilocIdx != 0:
		h.unsupported("iloc index_size is not 0")
	}
	if h.unsup != nil {
		return nil
	}
	d, err := h.itemData(it)
	if err != nil {
		return err
	}
	var ps []piece
	switch it.typ {
	case "hvc1":
		ls := 0
		for _, a := range it.props {
			if pr := f.props[a.idx]; pr != nil && pr.lengthSize > 0 {
				ls = pr.lengthSize
				break
			}
		}
		if ls == 0 {
			return fmtErr("hvc1 item %d has no hvcC", it.id)
		}
		ps, err = hevcPieces(d, ls)
	case "av01":
		ps, err = obuPieces(d)
	case "grid":
		ps, err = gridPieces(d, len(h.refsFrom(it.id, "dimg")))
	case "iovl":
		ps, err = overlayPieces(d, len(h.refsFrom(it.id, "dimg")))
	case "iden":
		if len(d) > 0 {
			ps = []piece{{0, len(d), container.Slack, "identity item data"}}
		}
	default:
		h.unsupported("the coded data of a kept item type cannot be proven")
		return nil
	}
	if err != nil {
		return err
	}
	// The rebuilt data: the coded and kept pieces (d itself, uncopied,
	// when nothing is dropped).
	n, meta0 := 0, false
	for _, x := range ps {
		switch x.kind {
		case container.Coded, container.Kept:
			n += x.len
		case container.Meta:
			meta0 = true
		}
	}
	out := d
	if n != len(d) {
		out = make([]byte, 0, n)
		for _, x := range ps {
			if x.kind == container.Coded || x.kind == container.Kept {
				out = append(out, d[x.off:x.off+x.len]...)
			}
		}
	}
	if meta0 {
		h.set.Add(meta.Other, where(it.id, "SEI or metadata OBU"))
	}
	if it.hasLoc {
		f.data[it.id] = out
	}
	return h.mapPieces(it, ps, claims)
}

// mapPieces turns pieces of it's logical data into file ranges through its
// extents (a piece length of -1 means the whole data).
func (h *heif) mapPieces(it *item, ps []piece, claims *[]container.Range) error {
	if !it.hasLoc || it.dref != 0 || it.method > 1 {
		return nil
	}
	base := h.base(it)
	ei, lpos := 0, 0 // current extent and its logical start
	for _, x := range ps {
		end := x.off + x.len
		if x.len < 0 {
			end = 1 << 62
		}
		for ei < len(it.ext) {
			e := it.ext[ei]
			el := int(e.len)
			a, b := max(x.off, lpos), min(end, lpos+el)
			if a < b {
				*claims = append(*claims, container.Range{Off: base + int(e.off) + a - lpos, Len: b - a, Kind: x.kind, Part: x.part})
			}
			if lpos+el > end {
				break
			}
			lpos += el
			ei++
		}
	}
	return nil
}

// resolveRegions adds the item data claims to the map, inside the mdat
// and idat payloads: identical claims (an extent two kept items share)
// count once, overlapping metadata merges, any other overlap makes the
// file unsupported; bytes no item covers are slack.
func (h *heif) resolveRegions(claims []container.Range) error {
	type region struct{ a, b int }
	var regs []region
	for _, m := range h.mdats {
		regs = append(regs, region{m.body, m.end})
	}
	if h.idat != nil {
		regs = append(regs, region{h.idat.body, h.idat.end})
	}
	sort.Slice(regs, func(i, j int) bool { return regs[i].a < regs[j].a })
	sort.Slice(claims, func(i, j int) bool {
		if claims[i].Off != claims[j].Off {
			return claims[i].Off < claims[j].Off
		}
		return claims[i].Len < claims[j].Len
	})
	var out []container.Range
	ri := 0
	for _, c := range claims {
		for ri < len(regs) && regs[ri].b <= c.Off {
			ri++
		}
		if ri == len(regs) || c.Off < regs[ri].a || c.End() > regs[ri].b {
			return FormatError("item data outside the mdat and idat boxes")
		}
		if len(out) > 0 {
			last := &out[len(out)-1]
			if c.Off < last.End() {
				switch {
				case c.Off == last.Off && c.Len == last.Len && c.Kind == last.Kind:
				case c.Kind == container.Meta && last.Kind == container.Meta:
					last.Len = max(last.End(), c.End()) - last.Off
				default:
					h.unsupported("a kept item shares bytes with another item")
				}
				continue
			}
		}
		out = append(out, c)
	}
	// Fill the gaps of each region with slack.
	oi := 0
	for _, r := range regs {
		pos := r.a
		for oi < len(out) && out[oi].Off < r.b {
			h.claim(pos, out[oi].Off, container.Slack, "mdat or idat bytes no item covers")
			pos = max(pos, out[oi].End())
			oi++
		}
		h.claim(pos, r.b, container.Slack, "mdat or idat bytes no item covers")
	}
	h.rs = append(h.rs, out...)
	return nil
}

// checkShared makes a file whose kept items share bytes unsupported,
// unless the sharing items have identical extent lists (the rebuild then
// writes their data once): anything else would duplicate the shared part.
func (f *file) checkShared() {
	type span struct {
		a, b int
		key  string
		id   uint32
	}
	var ss []span
	for _, it := range f.h.items {
		if !f.p.keep[it.id] || !it.hasLoc || it.dref != 0 || it.method > 1 {
			continue
		}
		k, base := extKey(it), f.h.base(it)
		for _, e := range it.ext {
			if e.len > 0 {
				ss = append(ss, span{base + int(e.off), base + int(e.off+e.len), k, it.id})
			}
		}
	}
	sort.Slice(ss, func(i, j int) bool { return ss[i].a < ss[j].a })
	var last span
	for i, s := range ss {
		if i > 0 && s.a < last.b && (s.key != last.key || s.id == last.id || s.a != last.a || s.b != last.b) {
			f.h.unsupported("kept items share part of their data")
			return
		}
		if s.b > last.b || i == 0 {
			last = s
		}
	}
}
