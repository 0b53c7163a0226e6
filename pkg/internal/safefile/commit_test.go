package safefile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestReplacePreservesAttributes(t *testing.T) {
	e := newEnv(t)
	s := e.write("a/p.jpg", origData, 0o640)
	res, err := (&Committer{FS: RootFS(e.root)}).Replace("a/p.jpg", newData, s)
	if err != nil {
		t.Fatal(err)
	}
	got := e.snap("a/p.jpg") // before reading: reading updates atime
	if !bytes.Equal(e.read("a/p.jpg"), newData) {
		t.Fatal("content not replaced")
	}
	if got.Mode != s.Mode || !got.ModTime.Equal(s.ModTime) {
		t.Errorf("mode/mtime %v %v, want %v %v", got.Mode, got.ModTime, s.Mode, s.ModTime)
	}
	if got.HasSys && !got.ATime.Equal(s.ATime) {
		t.Errorf("atime %v, want %v", got.ATime, s.ATime)
	}
	if got.HasSys && got.Ino == s.Ino {
		t.Error("rename should give the name a new inode")
	}
	for _, p := range []string{PreservedMode, PreservedMtime, PreservedOwner} {
		if !slices.Contains(res.Preserved, p) {
			t.Errorf("Preserved %v lacks %q", res.Preserved, p)
		}
	}
	if len(res.Warnings) != 0 || len(e.temps()) != 0 {
		t.Errorf("warnings %v, temps %v", res.Warnings, e.temps())
	}
}

func TestReplaceFreshTimes(t *testing.T) {
	e := newEnv(t)
	s := e.write("p.jpg", origData, 0o644)
	if _, err := (&Committer{FS: RootFS(e.root), FreshTimes: true}).Replace("p.jpg", newData, s); err != nil {
		t.Fatal(err)
	}
	if got := e.snap("p.jpg"); time.Since(got.ModTime) > time.Hour {
		t.Errorf("mtime %v kept despite FreshTimes", got.ModTime)
	}
}

func TestReplaceOwnerAsRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to chown")
	}
	e := newEnv(t)
	e.write("p.jpg", origData, 0o640)
	if err := e.root.Chown("p.jpg", 1234, 5678); err != nil {
		t.Fatal(err)
	}
	s := e.snap("p.jpg")
	res, err := (&Committer{FS: RootFS(e.root)}).Replace("p.jpg", newData, s)
	if err != nil {
		t.Fatal(err)
	}
	got := e.snap("p.jpg")
	if got.UID != 1234 || got.GID != 5678 || got.Mode != s.Mode {
		t.Errorf("owner %d:%d mode %v, want 1234:5678 %v", got.UID, got.GID, got.Mode, s.Mode)
	}
	if !slices.Contains(res.Preserved, PreservedOwner) {
		t.Errorf("Preserved %v", res.Preserved)
	}
}

// A refused chown (EPERM, as for an unprivileged user) is a warning, not
// an error; setuid/setgid are then dropped.
func TestReplaceChownRefused(t *testing.T) {
	e := newEnv(t)
	e.write("p.jpg", origData, 0o755)
	other := os.Geteuid() == 0
	if other {
		if err := e.root.Chown("p.jpg", 4321, 4321); err != nil {
			t.Fatal(err)
		}
		if err := e.root.Chmod("p.jpg", 0o755|fs.ModeSetuid); err != nil {
			t.Fatal(err)
		}
	}
	s := e.snap("p.jpg")
	f := newFaultFS(RootFS(e.root))
	f.failOp, f.failK, f.err = "chown", 1, syscall.EPERM
	res, err := (&Committer{FS: f}).Replace("p.jpg", newData, s)
	if err != nil {
		t.Fatal(err)
	}
	got := e.snap("p.jpg")
	if other {
		// The temp stays ours: warn, and never leave a setuid file owned
		// by someone else.
		if !slices.Contains(res.Warnings, WarnOwner) || slices.Contains(res.Preserved, PreservedOwner) {
			t.Errorf("Preserved %v, Warnings %v", res.Preserved, res.Warnings)
		}
		if got.Mode != 0o755 {
			t.Errorf("mode %v, want 0755 without setuid", got.Mode)
		}
	} else if !slices.Contains(res.Preserved, PreservedOwner) || len(res.Warnings) != 0 {
		// We own the original, so the owner is preserved anyway.
		t.Errorf("Preserved %v, Warnings %v", res.Preserved, res.Warnings)
	}
}

func TestReadOnly(t *testing.T) {
	e := newEnv(t)
	s := e.write("ro.jpg", origData, 0o444)
	_, err := (&Committer{FS: RootFS(e.root)}).Replace("ro.jpg", newData, s)
	if !errors.Is(err, ErrReadOnly) {
		t.Fatalf("got %v, want ErrReadOnly", err)
	}
	if !bytes.Equal(e.read("ro.jpg"), origData) || len(e.temps()) != 0 {
		t.Fatal("refused file was touched")
	}
	if _, err := (&Committer{FS: RootFS(e.root), Force: true}).Replace("ro.jpg", newData, s); err != nil {
		t.Fatal(err)
	}
	if got := e.snap("ro.jpg"); !bytes.Equal(e.read("ro.jpg"), newData) || got.Mode.Perm() != 0o444 {
		t.Errorf("forced replace: mode %v", got.Mode)
	}
}

func TestNotRegularAndBadNames(t *testing.T) {
	e := newEnv(t)
	s := e.write("p.jpg", origData, 0o644)
	c := &Committer{FS: RootFS(e.root)}
	dir := s
	dir.Mode = fs.ModeDir | 0o755
	if _, err := c.Replace("p.jpg", newData, dir); !errors.Is(err, ErrNotRegular) {
		t.Errorf("dir snapshot: %v", err)
	}
	for _, bad := range []string{"../p.jpg", "/etc/p.jpg", ".", ""} {
		if _, err := c.Replace(bad, newData, s); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("Replace(%q): %v, want ErrInvalid", bad, err)
		}
		if _, err := c.Create(bad, newData, s); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("Create(%q): %v, want ErrInvalid", bad, err)
		}
	}
}

// TestChanged modifies the original between snapshot and commit from a hook
// that runs just before the re-check.
func TestChanged(t *testing.T) {
	cases := map[string]func(e *env){
		"rewritten same size": func(e *env) {
			os.WriteFile(filepath.Join(e.dir, "p.jpg"), bytes.ToUpper(origData), 0o644)
		},
		"appended": func(e *env) {
			f, _ := os.OpenFile(filepath.Join(e.dir, "p.jpg"), os.O_APPEND|os.O_WRONLY, 0)
			f.Write([]byte("x"))
			f.Close()
		},
		"replaced by rename": func(e *env) {
			p := filepath.Join(e.dir, "p.jpg")
			os.WriteFile(p+".new", origData, 0o644)
			fi, _ := os.Stat(p)
			os.Chtimes(p+".new", fi.ModTime(), fi.ModTime())
			os.Rename(p+".new", p)
		},
		"hard link added": func(e *env) {
			os.Link(filepath.Join(e.dir, "p.jpg"), filepath.Join(e.dir, "q.jpg"))
		},
		"chmod":   func(e *env) { os.Chmod(filepath.Join(e.dir, "p.jpg"), 0o600) },
		"removed": func(e *env) { os.Remove(filepath.Join(e.dir, "p.jpg")) },
		"symlink": func(e *env) {
			p := filepath.Join(e.dir, "p.jpg")
			os.Rename(p, p+".moved")
			os.Symlink("p.jpg.moved", p)
		},
	}
	for name, mutate := range cases {
		for _, policy := range []HardlinkPolicy{Refuse, Rewrite} {
			t.Run(name, func(t *testing.T) {
				e := newEnv(t)
				s := e.write("p.jpg", origData, 0o644)
				if policy == Rewrite {
					// Exercise the in-place path too.
					e.root.Link("p.jpg", "z.jpg")
					s = e.snap("p.jpg")
				}
				f := newFaultFS(RootFS(e.root))
				f.hook = func(op string, k int) {
					if op == "lstat" && k == 1 {
						mutate(e)
					}
				}
				before := func() []byte { b, _ := os.ReadFile(filepath.Join(e.dir, "p.jpg")); return b }
				_, err := (&Committer{FS: f, Hardlinks: policy}).Replace("p.jpg", newData, s)
				if !errors.Is(err, ErrChanged) {
					t.Fatalf("got %v, want ErrChanged", err)
				}
				if b := before(); bytes.Equal(b, newData) {
					t.Error("changed file was replaced")
				}
				if len(e.temps()) != 0 {
					t.Errorf("temps left: %v", e.temps())
				}
			})
		}
	}
}

func TestHardlinks(t *testing.T) {
	e := newEnv(t)
	s := e.write("d/p.jpg", origData, 0o640)
	if err := e.root.Link("d/p.jpg", "other.jpg"); err != nil {
		t.Fatal(err)
	}
	s = e.snap("d/p.jpg")
	_, err := (&Committer{FS: RootFS(e.root)}).Replace("d/p.jpg", newData, s)
	if !errors.Is(err, ErrHardlinked) {
		t.Fatalf("got %v, want ErrHardlinked", err)
	}
	if !bytes.Equal(e.read("d/p.jpg"), origData) || !bytes.Equal(e.read("other.jpg"), origData) {
		t.Fatal("refused hard link was modified")
	}
	if got := e.snap("other.jpg"); !got.unchanged(s) {
		t.Fatal("refused hard link metadata changed")
	}

	res, err := (&Committer{FS: RootFS(e.root), Hardlinks: Rewrite}).Replace("d/p.jpg", newData, s)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"d/p.jpg", "other.jpg"} {
		if !bytes.Equal(e.read(n), newData) {
			t.Errorf("%s does not show the new content", n)
		}
		got := e.snap(n)
		if got.Ino != s.Ino || got.Nlink != 2 || got.Mode != s.Mode || !got.ModTime.Equal(s.ModTime) || got.Size != int64(len(newData)) {
			t.Errorf("%s: ino %d nlink %d mode %v mtime %v size %d", n, got.Ino, got.Nlink, got.Mode, got.ModTime, got.Size)
		}
	}
	if len(res.Warnings) != 0 || len(e.temps()) != 0 {
		t.Errorf("warnings %v temps %v", res.Warnings, e.temps())
	}

	// Growing in place works too (the new data is longer than the file).
	s = e.snap("d/p.jpg")
	longer := append(bytes.Repeat([]byte("L"), 5000), newData...)
	if _, err := (&Committer{FS: RootFS(e.root), Hardlinks: Rewrite}).Replace("d/p.jpg", longer, s); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(e.read("other.jpg"), longer) {
		t.Error("grown content not seen through the other link")
	}
}

func TestXattrs(t *testing.T) {
	e := newEnv(t)
	s := e.write("p.jpg", origData, 0o644)
	p := filepath.Join(e.dir, "p.jpg")
	if err := setxattr(p, "user.photoscrub.test", []byte("v1")); err != nil {
		t.Skipf("xattrs unsupported here: %v", err)
	}
	s = e.snap("p.jpg")
	res, err := (&Committer{FS: newFaultFS(RootFS(e.root)), Xattrs: true}).Replace("p.jpg", newData, s)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := getxattr(p, "user.photoscrub.test"); err != nil || string(v) != "v1" {
		t.Errorf("xattr after replace: %q, %v", v, err)
	}
	if !slices.Contains(res.Preserved, PreservedXattrs) {
		t.Errorf("Preserved %v", res.Preserved)
	}
}

func TestCreate(t *testing.T) {
	src := newEnv(t)
	s := src.write("in.jpg", origData, 0o640|fs.ModeSetuid)
	e := newEnv(t)
	c := &Committer{FS: RootFS(e.root)}
	res, err := c.Create("x/y/z.jpg", newData, s)
	if err != nil {
		t.Fatal(err)
	}
	got := e.snap("x/y/z.jpg")
	if !bytes.Equal(e.read("x/y/z.jpg"), newData) || got.Mode != 0o640 || !got.ModTime.Equal(s.ModTime) || got.Nlink != 1 {
		t.Errorf("created: mode %v mtime %v nlink %d", got.Mode, got.ModTime, got.Nlink)
	}
	if !slices.Contains(res.Preserved, PreservedMode) || !slices.Contains(res.Preserved, PreservedMtime) {
		t.Errorf("Preserved %v", res.Preserved)
	}
	// Never overwrite.
	_, err = c.Create("x/y/z.jpg", origData, s)
	if !errors.Is(err, ErrExists) {
		t.Fatalf("second Create: %v, want ErrExists", err)
	}
	if !bytes.Equal(e.read("x/y/z.jpg"), newData) || len(e.temps()) != 0 {
		t.Fatal("existing output overwritten or temp left")
	}
	// A name appearing between the pre-check and the link (race) is not
	// clobbered either.
	f := newFaultFS(RootFS(e.root))
	f.hook = func(op string, k int) {
		if op == "link" {
			e.root.WriteFile("race.jpg", []byte("theirs"), 0o644)
		}
	}
	if _, err := (&Committer{FS: f}).Create("race.jpg", newData, s); !errors.Is(err, ErrExists) {
		t.Fatalf("racing Create: %v, want ErrExists", err)
	}
	if string(e.read("race.jpg")) != "theirs" || len(e.temps()) != 0 {
		t.Fatal("racing file clobbered or temp left")
	}
}

// Without hard-link support Create falls back to check-then-rename.
func TestCreateNoLinkFallback(t *testing.T) {
	src := newEnv(t)
	s := src.write("in.jpg", origData, 0o644)
	e := newEnv(t)
	f := newFaultFS(RootFS(e.root))
	f.failOp, f.failK, f.err = "link", 1, syscall.EPERM
	if _, err := (&Committer{FS: f}).Create("o.jpg", newData, s); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(e.read("o.jpg"), newData) || len(e.temps()) != 0 {
		t.Fatal("fallback failed")
	}
	// The fallback re-checks just before the rename.
	f = newFaultFS(RootFS(e.root))
	f.failOp, f.failK, f.err = "link", 1, syscall.EPERM
	f.hook = func(op string, k int) {
		if op == "link" {
			e.root.WriteFile("o2.jpg", []byte("theirs"), 0o644)
		}
	}
	if _, err := (&Committer{FS: f}).Create("o2.jpg", newData, s); !errors.Is(err, ErrExists) {
		t.Fatalf("got %v, want ErrExists", err)
	}
	if string(e.read("o2.jpg")) != "theirs" || len(e.temps()) != 0 {
		t.Fatal("file clobbered or temp left")
	}
}

func TestBackupTo(t *testing.T) {
	src := newEnv(t)
	s := src.write("in.jpg", origData, 0o644)
	b := newEnv(t)
	if _, err := BackupTo(RootFS(b.root), "2024/in.jpg", origData, s); err != nil {
		t.Fatal(err)
	}
	got := b.snap("2024/in.jpg")
	if !bytes.Equal(b.read("2024/in.jpg"), origData) || got.Mode.Perm() != 0o600 || !got.ModTime.Equal(s.ModTime) {
		t.Errorf("backup mode %v mtime %v", got.Mode, got.ModTime)
	}
	if fi, _ := b.root.Lstat("2024"); fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("backup dir mode %v", fi.Mode())
	}
	if _, err := BackupTo(RootFS(b.root), "2024/in.jpg", newData, s); !errors.Is(err, ErrExists) {
		t.Fatalf("second backup: %v", err)
	}
	if !bytes.Equal(b.read("2024/in.jpg"), origData) {
		t.Fatal("first backup overwritten")
	}
}

func TestNoSpaceInjected(t *testing.T) {
	for _, call := range []string{"write#1", "sync#1", "close#1", "create#1"} {
		for _, errno := range []error{syscall.ENOSPC, syscall.EDQUOT} {
			t.Run(call+"/"+errno.Error(), func(t *testing.T) {
				e := newEnv(t)
				s := e.write(photo, origData, 0o644)
				f := newFaultFS(RootFS(e.root))
				f.failOp, f.failK = splitCall(call)
				f.err = errno
				_, err := (&Committer{FS: f}).Replace(photo, newData, s)
				checkErr(t, err, ErrNoSpace)
				if !errors.Is(err, errno) {
					t.Errorf("%v does not wrap %v", err, errno)
				}
				if !bytes.Equal(e.read(photo), origData) || len(e.temps()) != 0 {
					t.Error("original modified or temp left")
				}
			})
		}
	}
	// The free-space pre-check.
	e := newEnv(t)
	s := e.write("p.jpg", origData, 0o644)
	f := newFaultFS(RootFS(e.root))
	free := uint64(len(newData)) + DefaultMargin - 1
	f.free = &free
	_, err := (&Committer{FS: f}).Replace("p.jpg", newData, s)
	if !errors.Is(err, ErrNoSpace) || f.calls["create"] != 0 {
		t.Fatalf("pre-check: %v, creates %d", err, f.calls["create"])
	}
	free++
	if _, err := (&Committer{FS: f}).Replace("p.jpg", newData, s); err != nil {
		t.Fatalf("exactly enough space: %v", err)
	}
}

func TestErrorWording(t *testing.T) {
	e := newEnv(t)
	s := e.write("secret-dir/p.jpg", origData, 0o444)
	_, err := (&Committer{FS: RootFS(e.root)}).Replace("secret-dir/p.jpg", newData, s)
	if got, want := err.Error(), `safefile: replace "p.jpg": file is read-only`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if strings.ToLower(err.Error()) != err.Error() {
		t.Error("not lowercase")
	}
}
