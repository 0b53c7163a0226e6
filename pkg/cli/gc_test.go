package cli

import (
	"runtime/debug"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/pipeline"
)

func TestTuneGC(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	restore := tuneGC(pipeline.Config{})
	if got := debug.SetGCPercent(lightGCPercent); got != lightGCPercent {
		t.Errorf("lossless run: GC percent %d, want %d", got, lightGCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != lightSoftMemMax {
		t.Errorf("lossless run: memory limit %d, want %d", got, lightSoftMemMax)
	}
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("after the run: GC percent %d, want it restored to 100", got)
	}
	tuneGC(pipeline.Config{Reencode: true})()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("re-encode run changed the GC percent to %d", got)
	}
	t.Setenv("GOGC", "50")
	r := tuneGC(pipeline.Config{})
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC set: GC percent changed to %d", got)
	}
	r()
}
