package safefile

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// batchEnv stages and commits one batch: three in-place replacements in
// two directories and one new output, all through one fault FS.
type batchCase struct {
	name   string
	create bool
	orig   []byte // nil for a Create
	data   []byte
}

var batchCases = []batchCase{
	{name: "secret-dir/a/one.jpg", orig: origData, data: newData},
	{name: "secret-dir/a/two.jpg", orig: append(slices.Clone(origData), "2"...), data: append(slices.Clone(newData), "2"...)},
	{name: "secret-dir/b/three.jpg", orig: append(slices.Clone(origData), "3"...), data: append(slices.Clone(newData), "3"...)},
	{name: "secret-dir/out/four.jpg", create: true, data: append(slices.Clone(newData), "4"...)},
}

type batchOutcome struct {
	stageErr []error
	res      []Result
	err      []error
	trace    []string
}

func runBatch(t *testing.T, e *env, f *faultFS) batchOutcome {
	t.Helper()
	src := e.write("src/input.jpg", origData, 0o644) // the snapshot for the Create
	snaps := make([]Snapshot, len(batchCases))
	for i, bc := range batchCases {
		if bc.create {
			snaps[i] = src
		} else {
			snaps[i] = e.write(bc.name, bc.orig, 0o640)
		}
	}
	c := &Committer{FS: f}
	var o batchOutcome
	o.stageErr = make([]error, len(batchCases))
	o.res = make([]Result, len(batchCases))
	o.err = make([]error, len(batchCases))
	var batch []*Staged
	var idx []int
	for i, bc := range batchCases {
		var s *Staged
		var err error
		if bc.create {
			s, err = c.StageCreate(bc.name, bc.data, snaps[i])
		} else {
			s, err = c.StageReplace(bc.name, bc.data, snaps[i])
		}
		if err != nil {
			o.stageErr[i] = err
			continue
		}
		batch = append(batch, s)
		idx = append(idx, i)
	}
	Commit(batch)
	for k, s := range batch {
		o.res[idx[k]], o.err[idx[k]] = s.Result()
	}
	o.trace = f.trace
	return o
}

// TestBatchFaults fails every FS call of a clean staged batch in turn (the
// staging of each file, each fsync, each commit point, each directory
// sync) and checks the per-file promises: a file with an error is the
// untouched original (an output is absent) and its temp is gone; a file
// without one holds the complete new content; exactly the files the fault
// hit are affected.
func TestBatchFaults(t *testing.T) {
	ce := newEnv(t)
	clean := runBatch(t, ce, newFaultFS(RootFS(ce.root)))
	for i := range batchCases {
		if clean.stageErr[i] != nil || clean.err[i] != nil {
			t.Fatalf("clean run: %v %v", clean.stageErr[i], clean.err[i])
		}
	}
	for _, want := range []string{"statfs#4", "create#4", "write#4", "chmod#4", "chtimes#4", "sync#4", "close#4", "rename#3", "link#1", "remove#1", "syncdir#3"} {
		if !slices.Contains(clean.trace, want) {
			t.Fatalf("clean run never made call %s: %v", want, clean.trace)
		}
	}
	for _, call := range clean.trace {
		t.Run(call, func(t *testing.T) {
			e := newEnv(t)
			f := newFaultFS(RootFS(e.root))
			f.failOp, f.failK = splitCall(call)
			f.err = syscall.EIO
			// The setup writes through e.root, not f: only the batch's
			// own calls are counted.
			o := runBatch(t, e, f)
			failed := 0
			for i, bc := range batchCases {
				err := o.stageErr[i]
				if err == nil {
					err = o.err[i]
				}
				got, rerr := e.root.ReadFile(bc.name)
				if err != nil {
					failed++
					checkBatchErr(t, err, syscall.EIO, bc.name)
					switch {
					case bc.create && !errors.Is(rerr, os.ErrNotExist):
						t.Errorf("%s: output exists after failure", bc.name)
					case !bc.create && !bytes.Equal(got, bc.orig):
						t.Errorf("%s: original modified after failure", bc.name)
					}
					continue
				}
				if !bytes.Equal(got, bc.data) {
					t.Errorf("%s: new content not in place (%v)", bc.name, rerr)
				}
			}
			switch op, _ := splitCall(call); op {
			case "syncdir":
				// After the commit points: every file is committed, the
				// ones in the unsynced directory say so.
				if failed != 0 {
					t.Fatalf("%d files failed; a directory sync failure is a warning", failed)
				}
				warned := 0
				for i := range batchCases {
					if slices.Contains(o.res[i].Warnings, WarnDirSync) {
						warned++
					}
				}
				if warned == 0 {
					t.Error("no file carries the directory-sync warning")
				}
			case "remove":
				// The Create's temp unlink after its link: a warning.
				if failed != 0 || !slices.Contains(o.res[3].Warnings, WarnTempLeft) {
					t.Fatalf("failed %d, warnings %v; want success with %q", failed, o.res[3].Warnings, WarnTempLeft)
				}
				return
			default:
				if failed != 1 {
					t.Fatalf("%d files failed, want exactly the one the fault hit", failed)
				}
			}
			if tmps := e.temps(); len(tmps) != 0 {
				t.Errorf("temps left: %v", tmps)
			}
		})
	}
}

func checkBatchErr(t *testing.T, err, injected error, name string) {
	t.Helper()
	if !errors.Is(err, injected) {
		t.Errorf("%s: error %q does not wrap %v", name, err, injected)
	}
	if strings.Contains(err.Error(), "secret-dir") {
		t.Errorf("%s: error leaks a directory name: %q", name, err)
	}
}

// TestBatchChanged: a file modified between staging and commit is refused
// (ErrChanged) while the rest of the batch commits.
func TestBatchChanged(t *testing.T) {
	e := newEnv(t)
	c := &Committer{FS: RootFS(e.root)}
	var batch []*Staged
	for i := range 3 {
		name := fmt.Sprintf("d/f%d.jpg", i)
		s := e.write(name, origData, 0o644)
		st, err := c.StageReplace(name, newData, s)
		if err != nil {
			t.Fatal(err)
		}
		batch = append(batch, st)
	}
	if err := e.root.WriteFile("d/f1.jpg", []byte("edited meanwhile"), 0o644); err != nil {
		t.Fatal(err)
	}
	Commit(batch)
	for i, s := range batch {
		_, err := s.Result()
		name := fmt.Sprintf("d/f%d.jpg", i)
		if i == 1 {
			if !errors.Is(err, ErrChanged) {
				t.Errorf("f1: %v, want ErrChanged", err)
			}
			if got := e.read(name); string(got) != "edited meanwhile" {
				t.Errorf("f1 overwritten: %q", got)
			}
			continue
		}
		if err != nil || !bytes.Equal(e.read(name), newData) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if tmps := e.temps(); len(tmps) != 0 {
		t.Errorf("temps left: %v", tmps)
	}
}

// TestBatchAbort: aborted staged files leave originals and no temps; an
// output that appeared after staging is refused with ErrExists.
func TestBatchAbort(t *testing.T) {
	e := newEnv(t)
	c := &Committer{FS: RootFS(e.root)}
	s := e.write("x/a.jpg", origData, 0o644)
	st, err := c.StageReplace("x/a.jpg", newData, s)
	if err != nil {
		t.Fatal(err)
	}
	st2, err := c.StageCreate("y/b.jpg", newData, s)
	if err != nil {
		t.Fatal(err)
	}
	if tmps := e.temps(); len(tmps) != 2 {
		t.Fatalf("staged temps: %v", tmps)
	}
	Abort([]*Staged{st, st2}, errors.New("stopped"))
	if !bytes.Equal(e.read("x/a.jpg"), origData) {
		t.Error("original modified")
	}
	if tmps := e.temps(); len(tmps) != 0 {
		t.Errorf("temps left: %v", tmps)
	}
	if _, err := st.Result(); err == nil {
		t.Error("aborted file has no error")
	}

	st3, err := c.StageCreate("y/c.jpg", newData, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.root.WriteFile("y/c.jpg", []byte("someone else"), 0o644); err != nil {
		t.Fatal(err)
	}
	Commit([]*Staged{st3})
	if _, err := st3.Result(); !errors.Is(err, ErrExists) {
		t.Errorf("got %v, want ErrExists", err)
	}
	if got := e.read("y/c.jpg"); string(got) != "someone else" {
		t.Errorf("existing output replaced: %q", got)
	}
	if tmps := e.temps(); len(tmps) != 0 {
		t.Errorf("temps left: %v", tmps)
	}
}

// TestBatchHardlinkRewrite: a multiply-linked file under Rewrite is
// rewritten when staged; Commit leaves it alone.
func TestBatchHardlinkRewrite(t *testing.T) {
	e := newEnv(t)
	e.write("h/a.jpg", origData, 0o644)
	if err := e.root.Link("h/a.jpg", "h/b.jpg"); err != nil {
		t.Fatal(err)
	}
	c := &Committer{FS: RootFS(e.root), Hardlinks: Rewrite}
	st, err := c.StageReplace("h/a.jpg", newData, e.snap("h/a.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	Commit([]*Staged{st})
	if _, err := st.Result(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(e.read("h/b.jpg"), newData) {
		t.Error("other link does not see the new content")
	}
	if _, err := (&Committer{FS: RootFS(e.root)}).StageReplace("h/a.jpg", newData, e.snap("h/a.jpg")); !errors.Is(err, ErrHardlinked) {
		t.Errorf("Refuse policy: %v, want ErrHardlinked", err)
	}
}
