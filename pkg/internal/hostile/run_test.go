package hostile

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Peak RSS is measured through a wrapper: the test binary re-executed with
// wrapEnv set (see TestMain), which runs photoscrub and reports its rusage.
// Measuring the direct child of the test process would not work: Go starts
// children with vfork (CLONE_VM), and Linux counts the high-water RSS of the
// parent's address space, replaced at exec, in the child's ru_maxrss, so
// every child would report at least the test process's own peak (tens of
// MiB of generated inputs). The wrapper is small when it starts photoscrub,
// so the floor it adds is a few MiB (docs/robustness.md gives it).
const wrapEnv = "PHOTOSCRUB_HOSTILE_WRAP"

// wrapDeadlineEnv passes the wrapper its deadline (a time.Duration string).
const wrapDeadlineEnv = "PHOTOSCRUB_HOSTILE_DEADLINE"

// addressLimit is a hard RLIMIT_AS the wrapper sets for photoscrub, so that
// a bomb that gets through fails fast with "out of memory" (and fails the
// test) instead of taking a shared machine's memory.
const addressLimit = 4 << 30

// wrapResult is what the wrapper reports about the photoscrub run.
type wrapResult struct {
	Code     int
	Signal   string
	TimedOut bool
	WallNS   int64
	RSSKiB   int64
	Err      string
}

// wrapMain is the wrapper: os.Args[1:] is the command, the result goes to
// the file named by wrapEnv as JSON.
func wrapMain() int {
	var res wrapResult
	lim := syscall.Rlimit{Cur: addressLimit, Max: addressLimit}
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &lim); err != nil {
		res.Err = "setrlimit: " + err.Error()
	}
	limit, err := time.ParseDuration(os.Getenv(wrapDeadlineEnv))
	if err != nil {
		limit = deadline
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[1], os.Args[2:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	// Kill the child's whole process group at the deadline, so nothing it
	// started keeps the output pipes open.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 2 * time.Second
	start := time.Now()
	err = cmd.Run()
	res.WallNS = int64(time.Since(start))
	res.TimedOut = ctx.Err() != nil
	if ps := cmd.ProcessState; ps != nil {
		res.Code = ps.ExitCode()
		if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			res.Signal = ws.Signal().String()
		}
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			res.RSSKiB = ru.Maxrss // KiB on Linux
		}
	} else if err != nil {
		res.Err = err.Error()
	}
	b, _ := json.Marshal(res)
	if err := os.WriteFile(os.Getenv(wrapEnv), b, 0o600); err != nil {
		return 1
	}
	return 0
}

// result is one finished photoscrub run.
type result struct {
	args           []string
	code           int
	signal         string // non-empty when killed by a signal
	timedOut       bool
	wall           time.Duration
	rssKiB         int64
	stdout, stderr []byte
}

// photoscrub runs the binary with args under the deadline, through the
// wrapper, and measures it.
func photoscrub(t testing.TB, args ...string) result {
	t.Helper()
	return run(t, deadline, bin, args...)
}

// run runs prog with args through the wrapper, killing it after limit.
func run(t testing.TB, limit time.Duration, prog string, args ...string) result {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	resFile := filepath.Join(t.TempDir(), "wrap.json")
	ctx, cancel := context.WithTimeout(context.Background(), limit+10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, self, append([]string{prog}, args...)...)
	cmd.Env = append(os.Environ(), wrapEnv+"="+resFile, wrapDeadlineEnv+"="+limit.String())
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	cmd.WaitDelay = 2 * time.Second
	cmdline := "photoscrub " + strings.Join(args, " ")
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: the measuring wrapper failed: %v\n%s", cmdline, err, tail(se.Bytes()))
	}
	var w wrapResult
	b, err := os.ReadFile(resFile)
	if err == nil {
		err = json.Unmarshal(b, &w)
	}
	if err != nil || w.Err != "" {
		t.Fatalf("%s: the measuring wrapper failed: %v %s", cmdline, err, w.Err)
	}
	return result{args: args, code: w.Code, signal: w.Signal, timedOut: w.TimedOut,
		wall: time.Duration(w.WallNS), rssKiB: w.RSSKiB, stdout: so.Bytes(), stderr: se.Bytes()}
}

// TestHarness shows that the measurements can fail: a hang is cut at the
// deadline and reported, a crash by signal is reported, and the peak RSS
// is the child's own (a shell holding a 40 MB string), above the floor the
// wrapper itself adds (a child that does nothing).
func TestHarness(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	floor := run(t, deadline, sh, "-c", "exit 0")
	t.Logf("wrapper floor: a shell that does nothing reports a peak RSS of %d KiB", floor.rssKiB)
	if floor.code != 0 || floor.rssKiB > 32<<10 {
		t.Errorf("floor run: exit %d, peak RSS %d KiB: measurements would be meaningless", floor.code, floor.rssKiB)
	}
	hang := run(t, 300*time.Millisecond, sh, "-c", "sleep 30")
	if !hang.timedOut || hang.wall > 5*time.Second {
		t.Errorf("hang: timedOut=%v after %s, want a kill at 300ms", hang.timedOut, hang.wall)
	}
	crash := run(t, deadline, sh, "-c", "kill -SEGV $$")
	if crash.signal == "" {
		t.Errorf("crash by SIGSEGV not seen: exit %d", crash.code)
	}
	big := run(t, deadline, sh, "-c", `x=$(head -c 40000000 /dev/zero | tr '\000' a); echo ${#x}`)
	if strings.TrimSpace(string(big.stdout)) != "40000000" {
		t.Skipf("shell could not build the string: %q", big.stdout)
	}
	if big.rssKiB < 40000000/1024 {
		t.Errorf("a shell holding 40 MB reports a peak RSS of %d KiB", big.rssKiB)
	}
	t.Logf("a shell holding a 40 MB string: peak RSS %d KiB", big.rssKiB)
}
