package safefile

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
)

var (
	origData = bytes.Repeat([]byte("ORIGINAL-with-GPS "), 200)
	newData  = bytes.Repeat([]byte("scrubbed "), 150)
)

const photo = "secret-dir/sub/photo.jpg"

// dryRun runs commit once without faults and returns the call trace.
func dryRun(t *testing.T, setup func(e *env) Snapshot, commit func(c *Committer, s Snapshot) (Result, error)) []string {
	t.Helper()
	e := newEnv(t)
	s := setup(e)
	f := newFaultFS(RootFS(e.root))
	if _, err := commit(&Committer{FS: f, Hardlinks: Rewrite}, s); err != nil {
		t.Fatalf("clean run: %v", err)
	}
	return f.trace
}

// checkErr asserts the common error contract: the injected errno is
// reachable, and no directory name leaks into the message.
func checkErr(t *testing.T, err, injected error) {
	t.Helper()
	if err == nil {
		t.Fatal("no error returned")
	}
	if !errors.Is(err, injected) {
		t.Errorf("error %q does not wrap %v", err, injected)
	}
	if strings.Contains(err.Error(), "secret-dir") || strings.Contains(err.Error(), "sub/") {
		t.Errorf("error leaks a directory name: %q", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Name != "photo.jpg" {
		t.Errorf("error %q is not an *Error naming photo.jpg", err)
	}
}

// TestReplaceFaults fails every single FS call of a clean Replace in turn.
func TestReplaceFaults(t *testing.T) {
	setup := func(e *env) Snapshot { return e.write(photo, origData, 0o640) }
	commit := func(c *Committer, s Snapshot) (Result, error) { return c.Replace(photo, newData, s) }
	trace := dryRun(t, setup, commit)
	for _, want := range []string{"statfs#1", "create#1", "write#1", "chown#1", "chmod#1", "sync#1", "close#1", "chtimes#1", "lstat#1", "rename#1", "syncdir#1"} {
		if !slices.Contains(trace, want) {
			t.Fatalf("clean run never made call %s: %v", want, trace)
		}
	}
	for _, call := range trace {
		t.Run(call, func(t *testing.T) {
			e := newEnv(t)
			s := setup(e)
			f := newFaultFS(RootFS(e.root))
			f.failOp, f.failK = splitCall(call)
			f.err = syscall.EIO
			res, err := (&Committer{FS: f}).Replace(photo, newData, s)
			if len(e.temps()) != 0 {
				t.Errorf("temps left: %v", e.temps())
			}
			if call == "syncdir#1" {
				// Documented: the rename is the commit point; a failing
				// directory fsync afterwards is a warning.
				if err != nil || !slices.Contains(res.Warnings, WarnDirSync) {
					t.Fatalf("got %v, %+v; want success with warning", err, res)
				}
				if !bytes.Equal(e.read(photo), newData) {
					t.Error("new content not in place")
				}
				return
			}
			checkErr(t, err, syscall.EIO)
			if !bytes.Equal(e.read(photo), origData) {
				t.Error("original modified")
			}
			if got := e.snap(photo); !got.unchanged(s) {
				t.Errorf("original metadata changed: %+v", got)
			}
		})
	}
}

// TestRewriteFaults does the same for the in-place (hard link) path.
func TestRewriteFaults(t *testing.T) {
	setup := func(e *env) Snapshot {
		e.write(photo, origData, 0o640)
		if err := e.root.Link(photo, "secret-dir/other-link.jpg"); err != nil {
			t.Fatal(err)
		}
		return e.snap(photo)
	}
	commit := func(c *Committer, s Snapshot) (Result, error) { return c.Replace(photo, newData, s) }
	trace := dryRun(t, setup, commit)
	afterOverwrite := map[string]string{"chtimes#1": WarnMtime, "remove#1": WarnSafetyCopy, "syncdir#1": WarnDirSync}
	duringOverwrite := []string{"write#2", "truncate#1", "sync#2", "close#2"}
	for _, want := range append(duringOverwrite, "open#1", "stat#1", "chtimes#1", "remove#1", "syncdir#1") {
		if !slices.Contains(trace, want) {
			t.Fatalf("clean run never made call %s: %v", want, trace)
		}
	}
	for _, call := range trace {
		t.Run(call, func(t *testing.T) {
			e := newEnv(t)
			s := setup(e)
			f := newFaultFS(RootFS(e.root))
			f.failOp, f.failK = splitCall(call)
			f.err = syscall.EIO
			res, err := (&Committer{FS: f, Hardlinks: Rewrite}).Replace(photo, newData, s)
			other := e.read("secret-dir/other-link.jpg")
			switch {
			case afterOverwrite[call] != "":
				if err != nil || !slices.Contains(res.Warnings, afterOverwrite[call]) {
					t.Fatalf("got %v, %+v; want success with warning %q", err, res, afterOverwrite[call])
				}
				if !bytes.Equal(e.read(photo), newData) || !bytes.Equal(other, newData) {
					t.Error("new content not seen through both links")
				}
				if want := 0; call == "remove#1" {
					want = 1
					if len(e.temps()) != want {
						t.Errorf("temps: %v, want the safety copy", e.temps())
					}
				} else if len(e.temps()) != want {
					t.Errorf("temps left: %v", e.temps())
				}
			case slices.Contains(duringOverwrite, call):
				checkErr(t, err, ErrOverwriteFailed)
				var fe *Error
				errors.As(err, &fe)
				tmps := e.temps()
				if len(tmps) != 1 || fe.Kept == "" || !strings.HasSuffix(tmps[0], fe.Kept) {
					t.Fatalf("kept copy %q, temps %v", fe.Kept, tmps)
				}
				if !strings.Contains(err.Error(), fe.Kept) {
					t.Errorf("error %q does not name the kept copy", err)
				}
				if !bytes.Equal(e.read(tmps[0]), newData) {
					t.Error("kept copy is not the complete new content")
				}
			default:
				checkErr(t, err, syscall.EIO)
				if !bytes.Equal(e.read(photo), origData) || !bytes.Equal(other, origData) {
					t.Error("original modified")
				}
				if len(e.temps()) != 0 {
					t.Errorf("temps left: %v", e.temps())
				}
			}
		})
	}
}

// TestCreateFaults fails every FS call of a clean Create in turn.
func TestCreateFaults(t *testing.T) {
	const out = "secret-dir/sub/photo.jpg"
	snapOf := func(t *testing.T) Snapshot {
		src := newEnv(t)
		return src.write("in.jpg", origData, 0o640)
	}
	trace := dryRun(t, func(*env) Snapshot { return snapOf(t) },
		func(c *Committer, s Snapshot) (Result, error) { return c.Create(out, newData, s) })
	for _, want := range []string{"mkdirall#1", "lstat#1", "statfs#1", "create#1", "write#1", "chmod#1", "sync#1", "close#1", "chtimes#1", "link#1", "remove#1", "syncdir#1"} {
		if !slices.Contains(trace, want) {
			t.Fatalf("clean run never made call %s: %v", want, trace)
		}
	}
	for _, call := range trace {
		t.Run(call, func(t *testing.T) {
			e := newEnv(t)
			s := snapOf(t)
			f := newFaultFS(RootFS(e.root))
			f.failOp, f.failK = splitCall(call)
			f.err = syscall.EIO
			res, err := (&Committer{FS: f}).Create(out, newData, s)
			switch call {
			case "remove#1", "syncdir#1":
				w := map[string]string{"remove#1": WarnTempLeft, "syncdir#1": WarnDirSync}[call]
				if err != nil || !slices.Contains(res.Warnings, w) {
					t.Fatalf("got %v, %+v; want success with warning %q", err, res, w)
				}
				if !bytes.Equal(e.read(out), newData) {
					t.Error("output not in place")
				}
			default:
				checkErr(t, err, syscall.EIO)
				if _, err := e.root.Lstat(out); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("output exists after failure: %v", err)
				}
				if len(e.temps()) != 0 {
					t.Errorf("temps left: %v", e.temps())
				}
			}
		})
	}
}

func splitCall(call string) (string, int) {
	op, k, _ := strings.Cut(call, "#")
	n := 0
	for _, c := range k {
		n = n*10 + int(c-'0')
	}
	return op, n
}
