package containertest

import (
	"testing"
	"time"
)

// CPUTime returns the process's user+system CPU time (0 where unknown).
// Benchmarks of the proofs report it beside wall time, which a shared
// machine overstates.
func CPUTime() time.Duration { return cpuTime() }

// ReportCPU reports, for ops operations since start (a CPUTime reading),
// the CPU nanoseconds per operation ("cpu-ns/op") and, when bytesPerOp is
// positive, the megabytes per CPU second ("cpu-MB/s").
func ReportCPU(b *testing.B, start time.Duration, ops int, bytesPerOp int64) {
	d := CPUTime() - start
	if ops <= 0 || d <= 0 {
		return
	}
	b.ReportMetric(float64(d.Nanoseconds())/float64(ops), "cpu-ns/op")
	if bytesPerOp > 0 {
		b.ReportMetric(float64(bytesPerOp)*float64(ops)/d.Seconds()/1e6, "cpu-MB/s")
	}
}
