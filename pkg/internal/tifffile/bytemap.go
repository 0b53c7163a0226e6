package tifffile

import (
	"sort"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/tiffifd"
)

// mapper collects the claimed byte ranges of a file. Claims may overlap
// (TIFF lets several entries point at the same bytes); finish resolves
// them into a tiling.
type mapper struct {
	n  int
	rs []container.Range
}

// add claims [off, off+n), clipped to the input.
func (m *mapper) add(off, n uint64, k container.Kind, part string) {
	if off >= uint64(m.n) || n == 0 {
		return
	}
	n = min(n, uint64(m.n)-off)
	m.rs = append(m.rs, container.Range{Off: int(off), Len: int(n), Kind: k, Part: part})
}

// value claims the out-of-line value bytes of e, if it has any.
func (m *mapper) value(e tiffifd.Entry, k container.Kind, part string) {
	if e.Inline || e.Bad || e.Size == 0 || e.Type.Size() == 0 {
		return
	}
	m.add(e.ValueAt, e.Size, k, part)
}

// ifd claims the entry table of d (count, entries, next-IFD offset).
func (m *mapper) ifd(t *tiffifd.TIFF, d *tiffifd.IFD, k container.Kind, part string) {
	end := uint64(d.NextAt) + 4
	if t.Big {
		end = uint64(d.NextAt) + 8
	}
	m.add(uint64(d.Offset), end-uint64(d.Offset), k, part)
}

// rank orders kinds when claims overlap: a byte that is metadata for one
// entry is reported (Meta), else a byte some strip decodes is Coded, else
// Kept; Slack only where nothing else claims the byte.
func rank(k container.Kind) int {
	switch k {
	case container.Meta:
		return 3
	case container.Coded:
		return 2
	case container.Kept:
		return 1
	}
	return 0
}

// finish resolves overlapping claims into non-overlapping ranges (each
// byte takes the highest-ranked kind claiming it; identical shared
// ranges merge into one) and classifies what no structure claims: a
// single zero byte at an odd offset is TIFF word-alignment padding (Kept),
// anything else is Slack.
func (m *mapper) finish(data []byte) []container.Range {
	type event struct {
		pos   int
		start bool
		i     int
	}
	ev := make([]event, 0, 2*len(m.rs))
	for i, r := range m.rs {
		ev = append(ev, event{r.Off, true, i}, event{r.End(), false, i})
	}
	sort.Slice(ev, func(a, b int) bool { return ev[a].pos < ev[b].pos })
	var count [4]int
	var part [4]string
	var out []container.Range
	emit := func(off, end int, k container.Kind, p string) {
		if end <= off {
			return
		}
		if n := len(out); n > 0 && out[n-1].End() == off && out[n-1].Kind == k && out[n-1].Part == p {
			out[n-1].Len += end - off
			return
		}
		out = append(out, container.Range{Off: off, Len: end - off, Kind: k, Part: p})
	}
	kinds := [4]container.Kind{container.Slack, container.Kept, container.Coded, container.Meta}
	prev := 0
	for j := 0; j < len(ev); {
		pos := ev[j].pos
		if pos > prev {
			top := -1
			for r := 3; r >= 0; r-- {
				if count[r] > 0 {
					top = r
					break
				}
			}
			if top >= 0 {
				emit(prev, pos, kinds[top], part[top])
			} else {
				m.gap(data, prev, pos, emit)
			}
		}
		for ; j < len(ev) && ev[j].pos == pos; j++ {
			r := m.rs[ev[j].i]
			k := rank(r.Kind)
			if ev[j].start {
				count[k]++
				part[k] = r.Part
			} else {
				count[k]--
			}
		}
		prev = pos
	}
	m.gap(data, prev, m.n, emit)
	return out
}

// gap classifies the unclaimed bytes [off, end).
func (m *mapper) gap(data []byte, off, end int, emit func(int, int, container.Kind, string)) {
	if end <= off {
		return
	}
	if end-off == 1 && off%2 == 1 && data[off] == 0 {
		emit(off, end, container.Kept, "alignment padding")
		return
	}
	emit(off, end, container.Slack, "unreferenced bytes")
}
