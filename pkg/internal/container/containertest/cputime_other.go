//go:build !unix

package containertest

import "time"

// cpuTime is unknown here: ReportCPU then reports nothing.
func cpuTime() time.Duration { return 0 }
