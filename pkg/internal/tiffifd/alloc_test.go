package tiffifd

import (
	"runtime"
	"testing"
)

// hugeCounts is a 1 KiB block whose IFD0 declares LONG×0x40000001 (wraps to
// 4 bytes in 32-bit arithmetic), RATIONAL×0x20000001 and ASCII×0xFFFFFFFF:
// goexif allocates gigabytes for each (hazards V3).
func hugeCounts() []byte {
	b := (&tbuild{le: true, ifds: []*tifd{{name: "IFD0", ents: []tent{
		eRaw(0x0100, Long, 0x40000001, 8),
		eRaw(0x0002, Rational, 0x20000001, 8),
		eRaw(0x010F, ASCII, 0xFFFFFFFF, 8),
		eRaw(0x0111, Long8, 0xFFFFFFFF, 8),
	}}}}).bytes()
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
	b := &tbuild{ifds: []*tifd{{name: "IFD0"}}}
	for i := 0; i < MaxEntries; i++ {
		b.ifds[0].ents = append(b.ifds[0].ents, eShort(uint16(0x1000+i), 1))
	}
	data := b.bytes()
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
