package gifext

import (
	"syscall"
	"testing"
	"time"
)

// cpuMetric reports the process CPU time (user+sys) per operation, which
// the wall-clock ns/op of a loaded shared machine overstates; call it
// with the CPU time read before the loop.
func cpuMetric(b *testing.B, start time.Duration, bytes int64) {
	d := cpuNow() - start
	b.ReportMetric(float64(d.Nanoseconds())/float64(b.N), "cpu-ns/op")
	if d > 0 {
		b.ReportMetric(float64(bytes)*float64(b.N)/d.Seconds()/1e6, "cpu-MB/s")
	}
}

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
