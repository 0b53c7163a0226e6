package safefile

import (
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestIsTemp(t *testing.T) {
	for _, base := range []string{"p.jpg", "a", ".hidden.png", "ÿ名前.jpg", strings.Repeat("é", 200), strings.Repeat("x", 255)} {
		n := tempName(base)
		if !IsTemp(n) || !IsTemp("dir/sub/"+n) {
			t.Errorf("IsTemp(tempName(%q)) = false (%q)", base, n)
		}
		if len(n) > maxNameLen || !utf8.ValidString(n) {
			t.Errorf("tempName(%q) = %q: len %d, valid UTF-8 %v", base, n, len(n), utf8.ValidString(n))
		}
		if n == tempName(base) {
			t.Errorf("tempName(%q) not random", base)
		}
	}
	for _, n := range []string{
		"p.jpg",
		".p.jpg.photoscrub-tmp-0123456789abcde",   // 15 hex
		".p.jpg.photoscrub-tmp-0123456789abcdef0", // 17 hex
		".p.jpg.photoscrub-tmp-0123456789ABCDEF",  // upper case
		".p.jpg.photoscrub-tmp-0123456789abcdeg",
		"p.jpg.photoscrub-tmp-0123456789abcdef", // no leading dot
		"..photoscrub-tmp-0123456789abcdef",     // empty base
		".p.jpg.photoscrub-tmp-0123456789abcdef/x",
		".p.jpg.photoscrub_tmp-0123456789abcdef",
		".p.jpg_exiftool_tmp",
	} {
		if IsTemp(n) {
			t.Errorf("IsTemp(%q) = true", n)
		}
	}
	if !IsTemp(".p.jpg.photoscrub-tmp-0123456789abcdef") {
		t.Error("canonical name not recognised")
	}
}

func TestFindAndRemoveStale(t *testing.T) {
	e := newEnv(t)
	const (
		reg  = "d/.a.jpg.photoscrub-tmp-0123456789abcdef"
		link = "d/.b.jpg.photoscrub-tmp-0123456789abcdef"
		dir  = "d/.c.jpg.photoscrub-tmp-0123456789abcdef"
	)
	e.write("d/keep.jpg", origData, 0o644)
	e.write("d/target.jpg", origData, 0o644)
	e.write(reg, origData, 0o600)
	if err := e.root.Symlink("target.jpg", link); err != nil {
		t.Fatal(err)
	}
	if err := e.root.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	fsys := RootFS(e.root)
	got, err := FindStale(fsys, "d")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{reg, link, dir}; !slices.Equal(got, want) {
		t.Fatalf("FindStale = %v, want %v", got, want)
	}
	if err := RemoveStale(fsys, "d/keep.jpg"); err == nil {
		t.Error("removed a non-temp name")
	}
	if err := RemoveStale(fsys, link); !errors.Is(err, ErrNotRegular) {
		t.Errorf("symlink: %v, want ErrNotRegular", err)
	}
	if err := RemoveStale(fsys, dir); !errors.Is(err, ErrNotRegular) {
		t.Errorf("dir: %v, want ErrNotRegular", err)
	}
	if os.Geteuid() == 0 {
		if err := e.root.Chown(reg, 4321, 4321); err != nil {
			t.Fatal(err)
		}
		if err := RemoveStale(fsys, reg); !errors.Is(err, fs.ErrPermission) {
			t.Errorf("foreign temp: %v, want ErrPermission", err)
		}
		if err := e.root.Chown(reg, 0, 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := RemoveStale(fsys, reg); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"d/keep.jpg", "d/target.jpg", link, dir} {
		if _, err := e.root.Lstat(n); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
	if _, err := e.root.Lstat(reg); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("stale temp not removed: %v", err)
	}
}
