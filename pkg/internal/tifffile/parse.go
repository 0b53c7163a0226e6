package tifffile

import (
	"errors"
	"fmt"
	"slices"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/icc"
	"github.com/photoscrub/photoscrub/pkg/internal/tiffifd"
	"github.com/photoscrub/photoscrub/pkg/internal/xmp"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// File is a parsed TIFF file: the pages of its main IFD chain with their
// validated kept values and proven strips or tiles, its findings and its
// byte map. It is immutable after Parse and safe for concurrent use.
type File struct {
	data   []byte
	t      *tiffifd.TIFF
	raw    bool
	pages  []*page
	ranges []container.Range
	ins    meta.Inspection
	err    error // why the file cannot be rebuilt (Parse's error)
}

// page is one image of the main chain, as the rebuild writes it.
type page struct {
	vals        []value // kept values except offsets, byte counts, Orientation, ICC; by tag
	offTag      uint16  // StripOffsets or TileOffsets
	cntType     tiffifd.Type
	orientation int    // valid Orientation (1..8), or 0
	icc         []byte // the profile as icc.Rebuild writes it, or nil
	chunks      []chunk
}

// chunk is one strip or tile: where it starts and how many bytes its
// decoder was proven to consume (0: an absent, sparse chunk).
type chunk struct{ off, n int }

// Parse parses a TIFF 6.0 or BigTIFF file once: header, every IFD of the
// main chain and those its pointer tags reach, every out-of-line value,
// every strip or tile (its extent proven by decoding, see [Format]). On
// error the returned File still holds the findings made before the
// problem, plus an Unparsed finding; it is never rebuilt. Errors for
// variants photoscrub cannot rebuild (raw camera files, compressions
// without a proof) wrap container.ErrUnsupported.
func Parse(data []byte) (container.File, error) {
	return parse(data, false)
}

func parseRaw(data []byte) (container.File, error) {
	if !isTIFFMagic(data) {
		return nil, fmt.Errorf("camera raw not built on TIFF: %w", ErrUnsupported)
	}
	f, err := parse(data, true)
	return f, err
}

// parse is Parse; raw files are mapped without proofs (their strips use
// compressions of their own) and are never rebuilt.
func parse(data []byte, raw bool) (*File, error) {
	f := &File{data: data, raw: raw}
	var set meta.Set
	t, werr := tiffifd.Parse(data)
	if t == nil {
		set.Add(meta.Unparsed, "TIFF")
		f.ins.Findings = set.List()
		f.err = FormatError("not a TIFF file: " + werr.Error())
		return f, f.err
	}
	f.t = t
	if raw {
		f.ins.Warnings = append(f.ins.Warnings, "raw camera file: inspected only, not rewritten")
	}
	if t.Big {
		f.ins.Warnings = append(f.ins.Warnings, "BigTIFF")
	}
	chain := t.Chain()
	if len(chain) == 0 || chain[len(chain)-1].Next != 0 {
		msg := "main IFD chain cannot be walked"
		if werr != nil {
			msg += ": " + werr.Error()
		}
		f.err = FormatError(msg)
	}
	inspectChain(f, t, chain, &set)
	m := &mapper{n: len(data)}
	hdr := uint64(8)
	if t.Big {
		hdr = 16
	}
	m.add(0, hdr, container.Kept, "TIFF header")
	for i := len(chain); i < len(t.IFDs); i++ {
		subIFD(t, &t.IFDs[i], m)
	}
	pr := &prover{}
	budget := 2*uint64(len(data)) + 1<<20
	for i := range chain {
		d := &chain[i]
		where := "TIFF IFD" + itoa(i)
		if !hasImage(d) {
			metaIFD(t, d, m)
			if !hasFinding(&set, where) {
				set.Add(meta.Other, where, "IFD without image data")
			}
			continue
		}
		pg, err := f.page(d, where, pr, m, &budget, &set)
		if err != nil {
			if f.err == nil {
				f.err = err
			}
			if errors.Is(err, ErrUnsupported) {
				set.Add(meta.Unparsed, where+" image data", "unproven compression")
			}
			continue
		}
		f.pages = append(f.pages, pg)
	}
	if f.err == nil && len(f.pages) == 0 {
		f.err = FormatError("no page holds image data")
	}
	if raw && f.err == nil {
		f.err = fmt.Errorf("raw camera file: %w", ErrUnsupported)
	}
	f.ranges = m.finish(data)
	if f.err != nil && !raw && !errors.Is(f.err, ErrUnsupported) {
		set.Add(meta.Unparsed, "TIFF")
	}
	if len(f.pages) > 0 {
		f.ins.Orientation = f.pages[0].orientation
	}
	f.ins.Findings = set.List()
	if raw {
		// A raw file is inspected only: its Parse succeeds so that the
		// inspection and byte map are reported.
		return f, nil
	}
	return f, f.err
}

// hasImage reports whether an IFD of the main chain holds image data.
func hasImage(d *tiffifd.IFD) bool {
	for _, tag := range []uint16{tagStripOffsets, tagStripByteCounts, tagTileOffsets, tagTileByteCounts} {
		if _, ok := d.Find(tag); ok {
			return true
		}
	}
	return false
}

// hasFinding reports whether set holds a finding whose Where starts with
// where.
func hasFinding(set *meta.Set, where string) bool {
	for _, f := range set.List() {
		if len(f.Where) >= len(where) && f.Where[:len(where)] == where {
			return true
		}
	}
	return false
}

// metaIFD maps an IFD that is dropped as a whole, with its values and
// an embedded JPEG it points at.
func metaIFD(t *tiffifd.TIFF, d *tiffifd.IFD, m *mapper) {
	m.ifd(t, d, container.Meta, "metadata IFD")
	for _, e := range d.Entries {
		m.value(e, container.Meta, "metadata value")
	}
	if off, ok := firstUint(t, d, tagJPEGIF); ok {
		if n, ok := firstUint(t, d, tagJPEGIFLength); ok {
			m.add(off, n, container.Meta, "embedded JPEG")
		}
	}
}

// subIFD maps an IFD reached through a pointer tag (Exif, GPS, Interop,
// SubIFDs): dropped as a whole, with the image data a SubIFD holds.
func subIFD(t *tiffifd.TIFF, d *tiffifd.IFD, m *mapper) {
	metaIFD(t, d, m)
	off, ok1 := d.Find(tagStripOffsets)
	cnt, ok2 := d.Find(tagStripByteCounts)
	if !ok1 || !ok2 {
		off, ok1 = d.Find(tagTileOffsets)
		cnt, ok2 = d.Find(tagTileByteCounts)
	}
	if !ok1 || !ok2 {
		return
	}
	for i := 0; uint64(i) < min(off.Count, cnt.Count); i++ {
		o, err1 := t.Uint(off, i)
		n, err2 := t.Uint(cnt, i)
		if err1 != nil || err2 != nil {
			return
		}
		m.add(o, n, container.Meta, "embedded image data")
	}
}

// page validates one image page of the main chain, proves its strips or
// tiles and maps its bytes.
func (f *File) page(d *tiffifd.IFD, where string, pr *prover, m *mapper, budget *uint64, set *meta.Set) (*page, error) {
	t := f.t
	in := " in " + where
	m.ifd(t, d, container.Kept, "IFD entry table")
	pg := &page{}
	ents := map[uint16]tiffifd.Entry{}
	var dropped []string
	for _, e := range d.Entries {
		if _, dup := ents[e.Tag]; dup {
			set.Add(meta.Other, where+" malformed tag", "duplicate "+tagName(e.Tag))
			m.value(e, container.Meta, "duplicate tag value")
			continue
		}
		ents[e.Tag] = e
		if !keptTags[e.Tag] {
			m.value(e, container.Meta, "metadata value")
			dropped = append(dropped, tagName(e.Tag))
			if e.Tag == tagJPEGIF {
				if off, ok := firstUint(t, d, tagJPEGIF); ok {
					if n, ok := firstUint(t, d, tagJPEGIFLength); ok {
						m.add(off, n, container.Meta, "embedded JPEG")
					}
				}
			}
		}
	}
	if len(dropped) > 0 && !hasFinding(set, where) {
		set.Add(meta.Other, where, dropped...)
	}
	// SamplesPerPixel and BitsPerSample first: other counts depend on them.
	spp, bps := uint64(1), uint64(1)
	vals := map[uint16]value{}
	check := func(tag uint16) error {
		e, ok := ents[tag]
		if !ok {
			return nil
		}
		r := schema[tag]
		v, p := validate(t, e, r, spp, bps)
		switch p {
		case okValue:
			m.value(e, container.Kept, "tag value")
		case wrongType:
			set.Add(meta.Other, where+" malformed tag", r.name)
			m.value(e, container.Meta, "mistyped tag value")
		default:
			if r.essential {
				return FormatError("tag " + r.name + " malformed" + in)
			}
			set.Add(meta.Other, where+" malformed tag", r.name)
			m.value(e, container.Meta, "malformed tag value")
			return nil
		}
		vals[tag] = v
		return nil
	}
	if err := check(tagSamplesPerPixel); err != nil {
		return nil, err
	}
	if v, ok := vals[tagSamplesPerPixel]; ok {
		spp = v.ints[0]
	}
	if err := check(tagBitsPerSample); err != nil {
		return nil, err
	}
	if v, ok := vals[tagBitsPerSample]; ok {
		bps = v.ints[0]
	}
	for _, e := range d.Entries {
		if e.Tag == tagSamplesPerPixel || e.Tag == tagBitsPerSample || !keptTags[e.Tag] {
			continue
		}
		if ents[e.Tag].At != e.At {
			continue // a duplicate
		}
		if err := check(e.Tag); err != nil {
			return nil, err
		}
	}
	inlinePadding(f.data, t, d, where, m, set)
	if v, ok := vals[tagOrientation]; ok {
		pg.orientation = int(v.ints[0])
		delete(vals, tagOrientation)
	} else if e, ok := ents[tagXMP]; ok {
		// The display orientation is kept whatever carried it: a page
		// whose only orientation is XMP tiff:Orientation gets the tag.
		if v, err := t.Value(e); err == nil {
			pg.orientation = xmp.Orientation(v)
		}
	}
	if v, ok := vals[tagICC]; ok {
		pg.icc = f.profile(v.raw, ents[tagICC], where, m, set)
		delete(vals, tagICC)
	}
	if v, ok := vals[tagJPEGTables]; ok {
		tables, exact := jpegTables(v.raw)
		if tables == nil {
			return nil, FormatError("JPEGTables malformed" + in)
		}
		if !exact {
			set.Add(meta.Other, where+" malformed tag", "JPEGTables")
			m.value(ents[tagJPEGTables], container.Meta, "malformed tag value")
		}
		v.raw, v.count = tables, uint64(len(tables))
		vals[tagJPEGTables] = v
		pr.tables = tables
	} else {
		pr.tables = nil
	}
	g, err := geometry(vals, spp)
	if err != nil {
		return nil, fmt.Errorf("%w%s", err, in)
	}
	offTag, cntTag := uint16(tagStripOffsets), uint16(tagStripByteCounts)
	if g.tiled {
		offTag, cntTag = tagTileOffsets, tagTileByteCounts
		if _, ok := ents[tagStripOffsets]; ok {
			return nil, FormatError("both strip and tile offsets" + in)
		}
	}
	offV, ok1 := vals[offTag]
	cntV, ok2 := vals[cntTag]
	if !ok1 || !ok2 {
		return nil, FormatError("page without strip or tile offsets and byte counts" + in)
	}
	n := g.chunks()
	if uint64(len(offV.ints)) != n || uint64(len(cntV.ints)) != n {
		return nil, FormatError("strip or tile count does not match the image geometry" + in)
	}
	pg.offTag, pg.cntType = offTag, cntV.typ
	if pg.cntType == tiffifd.Long8 && !t.Big {
		pg.cntType = tiffifd.Long
	}
	delete(vals, offTag)
	delete(vals, cntTag)
	part := "strip data"
	if g.tiled {
		part = "tile data"
	}
	pg.chunks = make([]chunk, 0, n)
	for i := uint64(0); i < n; i++ {
		off, cnt := offV.ints[i], cntV.ints[i]
		if cnt == 0 {
			pg.chunks = append(pg.chunks, chunk{})
			continue
		}
		if off > uint64(len(f.data)) || cnt > uint64(len(f.data))-off {
			return nil, FormatError(part + " " + u64(i) + " outside the file" + in)
		}
		if cnt > *budget {
			return nil, FormatError("strips overlap beyond budget" + in)
		}
		*budget -= cnt
		proven := int(cnt)
		if !f.raw {
			proven, err = pr.prove(g, i, f.data[off:off+cnt])
			if errors.Is(err, errNoProof) {
				return nil, fmt.Errorf("%w: %w%s", ErrUnsupported, err, in)
			}
			if err != nil {
				return nil, fmt.Errorf("%s %d%s: %w", part, i, in, err)
			}
		}
		m.add(off, uint64(proven), container.Coded, part)
		m.add(off+uint64(proven), cnt-uint64(proven), container.Slack, "bytes after "+part)
		pg.chunks = append(pg.chunks, chunk{off: int(off), n: proven})
	}
	for _, v := range vals {
		pg.vals = append(pg.vals, v)
	}
	slices.SortFunc(pg.vals, func(a, b value) int { return int(a.tag) - int(b.tag) })
	return pg, nil
}

// profile parses an ICC profile value: a profile that parses and reports
// clean is Kept; one with findings is Meta (rebuilt minimal); one that does
// not parse is dropped and reported.
func (f *File) profile(raw []byte, e tiffifd.Entry, where string, m *mapper, set *meta.Set) []byte {
	w := where + " ICC profile"
	p, err := icc.Parse(raw)
	if err != nil {
		set.Add(meta.Unparsed, w, "ICCProfile")
		m.value(e, container.Meta, "ICC profile")
		return nil
	}
	if p.Report(where, set) { // Report adds " ICC profile" to where
		m.value(e, container.Kept, "ICC profile")
	} else {
		m.value(e, container.Meta, "ICC profile")
		if !hasFinding(set, w) {
			set.Add(meta.Other, w, "ICCProfile")
		}
	}
	return p.Rebuild()
}

// inlinePadding reports the unused bytes of kept entries' inline value
// fields (a SHORT in a 4-byte field leaves 2): they must be zero, else they
// are a finding (the rebuild writes zeros).
func inlinePadding(data []byte, t *tiffifd.TIFF, d *tiffifd.IFD, where string, m *mapper, set *meta.Set) {
	field := uint64(4)
	if t.Big {
		field = 8
	}
	for _, e := range d.Entries {
		if !keptTags[e.Tag] || !e.Inline || e.Size >= field || e.Type.Size() == 0 {
			continue
		}
		start := e.ValueAt + e.Size
		end := e.ValueAt + field
		for p := start; p < end; p++ {
			if data[p] != 0 {
				set.Add(meta.Other, where+" malformed tag", tagName(e.Tag))
				m.add(start, end-start, container.Meta, "value field padding")
				break
			}
		}
	}
}
