package tiffifd

import (
	"runtime"
	"testing"

	tb "github.com/photoscrub/photoscrub/pkg/internal/tiffifd/tiffbuild"
)

// hugeCounts is a 1 KiB block whose IFD0 declares LONG×0x40000001 (wraps to
// 4 bytes in 32-bit arithmetic), RATIONAL×0x20000001 and ASCII×0xFFFFFFFF:
// goexif allocates gigabytes for each (hazards V3).
func hugeCounts() []byte {
	b := (&tb.File{LE: true, IFDs: []*tb.IFD{{Name: "IFD0", Entries: []tb.Entry{
		tb.Raw(0x0100, Long, 0x40000001, 8),
		tb.Raw(0x0002, Rational, 0x20000001, 8),
		tb.Raw(0x010F, ASCII, 0xFFFFFFFF, 8),
		tb.Raw(0x0111, Long8, 0xFFFFFFFF, 8),
	}}}}).Bytes()
	return append(b, make([]byte, 1024-len(b))...)
}

func TestAllocationsBounded(t *testing.T) {
	data := hugeCounts()
	if len(data) != 1024 {
		t.Fatalf("len %d", len(data))
	}
	if _, err := Parse(data); err == nil {
		t.Fatal("accepted")
	}
	allocs := testing.AllocsPerRun(100, func() { Parse(data) })
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	const runs = 100
	for i := 0; i < runs; i++ {
		Parse(data)
	}
	runtime.ReadMemStats(&after)
	perRun := (after.TotalAlloc - before.TotalAlloc) / runs
	t.Logf("%.0f allocations, %d bytes per Parse of a %d-byte block", allocs, perRun, len(data))
	if perRun >= 1<<20 {
		t.Errorf("Parse allocated %d bytes per run, want < 1 MiB", perRun)
	}
	if allocs > 20 {
		t.Errorf("%.0f allocations per run", allocs)
	}
}

// Allocation grows with the input, not with declared counts: a sound block
// with the maximum 4096 entries costs about its own size.
func TestAllocationsScaleWithInput(t *testing.T) {
	b := &tb.File{IFDs: []*tb.IFD{{Name: "IFD0"}}}
	for i := 0; i < MaxEntries; i++ {
		b.IFDs[0].Entries = append(b.IFDs[0].Entries, tb.Short(uint16(0x1000+i), 1))
	}
	data := b.Bytes()
	if _, err := Parse(data); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	Parse(data)
	runtime.ReadMemStats(&after)
	got := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d bytes for a %d-byte block", got, len(data))
	if got > 8*uint64(len(data)) {
		t.Errorf("allocated %d bytes for %d input bytes", got, len(data))
	}
}
