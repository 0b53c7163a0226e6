package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/photoscrub/photoscrub/pkg/report"
)

// TestKill9 runs testdata/kill9: in-place runs killed with SIGKILL (no
// chance to clean up or seal) at random points.
func TestKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("kill -9 cycles take a few seconds")
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/kill9",
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"genmany": cmdGenMany,
			"ps":      cmdPS,
			"kill9":   cmdKill9,
		},
	})
}

// kill9 DIR N: N in-place runs over DIR, each killed with SIGKILL after a
// random delay and resumed by the next from the report it left, then one
// run to the end; see testdata/kill9/kill9_resume.txtar.
func cmdKill9(ts *testscript.TestScript, neg bool, args []string) {
	dir := ts.MkAbs(args[0])
	cycles, err := strconv.Atoi(args[1])
	ts.Check(err)
	// What each file may be: its original, or the scrub a clean --out run
	// makes of it (lossless scrubbing is deterministic).
	orig := hashTree(ts, dir)
	exp := ts.MkAbs("expected")
	t0 := time.Now()
	runPS(ts, true, "scrub", "--quiet", "--out", exp, dir)
	// Kills land within the first share of a whole run's time (the --out
	// run's, measured here), so that they hit runs that are still working
	// however fast the machine is.
	window := max(20*time.Millisecond, time.Since(t0)/time.Duration(max(cycles, 1)))
	want := hashTree(ts, exp)
	seed := time.Now().UnixNano()
	ts.Logf("kill9 seed %d", seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 1))
	prev := ""
	killed := 0
	for i := 0; i <= cycles; i++ {
		rep := ts.MkAbs(fmt.Sprintf("k%d.jsonl", i))
		a := []string{"scrub", "--in-place", "--quiet", "--clean-stale", "--jobs", "2", "--report", rep}
		if prev != "" {
			a = append(a, "--resume", prev)
		}
		a = append(a, dir)
		cmd := psCommand(ts, a...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		ts.Check(cmd.Start())
		last := i == cycles
		if !last {
			time.Sleep(10*time.Millisecond + time.Duration(rng.Int64N(int64(window))))
			cmd.Process.Signal(syscall.SIGKILL)
		}
		err := cmd.Wait()
		if last && err != nil {
			ts.Fatalf("final run: %v\n%s", err, stderr.String())
		}
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			killed++
		}
		// Every file is the original or the complete scrub.
		now := hashTree(ts, dir)
		for rel, h := range now {
			if h != orig[rel] && h != want[rel] {
				ts.Fatalf("run %d: %s is neither the original nor its scrub", i, rel)
			}
		}
		done := 0
		for rel := range orig {
			if _, ok := now[rel]; !ok {
				ts.Fatalf("run %d: %s is gone", i, rel)
			}
			if now[rel] == want[rel] {
				done++
			}
		}
		ts.Logf("run %d: %d of %d files scrubbed", i, done, len(orig))
		if _, err := os.Stat(rep); err != nil {
			continue // killed before the report was created
		}
		checkKilledReport(ts, i, rep, now)
		prev = rep
	}
	// The tree is completely scrubbed, and no temp is left.
	now := hashTree(ts, dir)
	for rel, h := range want {
		if now[rel] != h {
			ts.Fatalf("after the final run %s is not scrubbed", rel)
		}
	}
	ts.Logf("%d of %d runs killed", killed, cycles)
	if killed*2 < cycles {
		ts.Fatalf("only %d of %d runs were killed while working: the test did not test", killed, cycles)
	}
}

// checkKilledReport: the report verifies up to its last complete line, and
// each scrubbed record's after-hash is the file's content.
func checkKilledReport(ts *testscript.TestScript, i int, rep string, now map[string]string) {
	f, err := os.Open(rep)
	ts.Check(err)
	defer f.Close()
	res, err := report.Verify(f, nil)
	if res.Problem != "" && !strings.HasPrefix(res.Problem, "not sealed") {
		ts.Fatalf("run %d: report does not verify: %s (%v)", i, res.Problem, err)
	}
	b, err := os.ReadFile(rep)
	ts.Check(err)
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r struct{ Type, Path, Status, SHA256After string }
		if json.Unmarshal(sc.Bytes(), &r) != nil || r.Type != "file" || r.Status != "scrubbed" {
			continue
		}
		var rec struct {
			After string `json:"sha256_after"`
		}
		json.Unmarshal(sc.Bytes(), &rec)
		if got := now[r.Path]; got != rec.After {
			ts.Fatalf("run %d: %s recorded scrubbed but the file is not the recorded content", i, r.Path)
		}
	}
}

func psCommand(ts *testscript.TestScript, args ...string) *exec.Cmd {
	path, err := exec.LookPath("photoscrub")
	if err != nil {
		for _, d := range filepath.SplitList(ts.Getenv("PATH")) {
			if p := filepath.Join(d, "photoscrub"); fileExists(p) {
				path = p
				break
			}
		}
	}
	if path == "" {
		ts.Fatalf("photoscrub not found on PATH")
	}
	cmd := exec.Command(path, args...)
	cmd.Dir = ts.Getenv("WORK")
	cmd.Env = append(os.Environ(), "PATH="+ts.Getenv("PATH"))
	return cmd
}

func runPS(ts *testscript.TestScript, must bool, args ...string) {
	cmd := psCommand(ts, args...)
	out, err := cmd.CombinedOutput()
	if err != nil && must {
		ts.Fatalf("photoscrub %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// hashTree maps the path of each photo under dir (slash-separated,
// relative) to its SHA-256; temps are left out.
func hashTree(ts *testscript.TestScript, dir string) map[string]string {
	m := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(d.Name(), "photoscrub-tmp") {
			return nil
		}
		b, err := os.ReadFile(p)
		ts.Check(err)
		s := sha256.Sum256(b)
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = hex.EncodeToString(s[:])
		return nil
	})
	return m
}
