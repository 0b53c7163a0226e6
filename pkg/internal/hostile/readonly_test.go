package hostile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// TestReadOnlyScan scans a generated tree through a read-only bind mount
// (tests run as root, for whom chmod a-w changes nothing) and asserts that
// scan works, exits normally and leaves the tree exactly as it was: same
// names, sizes, modes and modification times, nothing created.
func TestReadOnlyScan(t *testing.T) {
	work := t.TempDir()
	src := filepath.Join(work, "src")
	files := map[string][]byte{}
	for i, o := range []testimg.JPEGOptions{testimg.IDCard(1), {Width: 32, Height: 32}, testimg.Everything()} {
		b, err := testimg.JPEG(o)
		if err != nil {
			t.Fatal(err)
		}
		files[fmt.Sprintf("station-%d/photo-%d.jpg", i%2, i)] = b
	}
	files["station-0/card.png"] = testimg.PNG(testimg.AllPNG())
	files["station-1/scan.tif"] = testimg.TIFF(testimg.AllTIFF())
	files["station-1/anim.gif"] = testimg.GIF(testimg.AllGIF())
	files["notes.txt"] = []byte("not a photo\n")
	var want []string
	for p, b := range files {
		full := filepath.Join(src, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, b, 0o644); err != nil {
			t.Fatal(err)
		}
		want = append(want, p)
	}

	ro := filepath.Join(work, "ro")
	if err := os.Mkdir(ro, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount(src, ro, "", syscall.MS_BIND, ""); err != nil {
		t.Skipf("cannot bind-mount (%v): needs CAP_SYS_ADMIN", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(ro, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", ro, err)
		}
	})
	if err := syscall.Mount("", ro, "", syscall.MS_REMOUNT|syscall.MS_BIND|syscall.MS_RDONLY, ""); err != nil {
		t.Skipf("cannot remount read-only (%v)", err)
	}
	probe := filepath.Join(ro, "probe")
	if err := os.WriteFile(probe, nil, 0o644); !errors.Is(err, syscall.EROFS) {
		os.Remove(probe)
		t.Skipf("the bind mount is writable (%v)", err)
	}

	before := listing(t, src)
	rep := filepath.Join(work, "scan.jsonl")
	r := photoscrub(t, "scan", "--report", rep, ro)
	recs := checkRun(t, r, rep, want, 1)
	for p, rec := range recs {
		if rec.Status == "failed" {
			t.Errorf("%s: %s on a read-only tree", p, rec.outcome())
		}
	}
	if r.code != 1 {
		t.Errorf("scan of a read-only tree with metadata: exit %d, want 1", r.code)
	}
	if after := listing(t, src); after != before {
		t.Errorf("scan changed the tree:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	t.Logf("read-only scan: exit %d, %d files, %.2fs, peak RSS %d MiB", r.code, len(recs), r.wall.Seconds(), r.rssKiB>>10)
}

// listing describes every entry under dir: path, type and mode, size and
// modification time in nanoseconds.
func listing(t testing.TB, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		lines = append(lines, fmt.Sprintf("%s %v %d %d", rel, fi.Mode(), fi.Size(), fi.ModTime().UnixNano()))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
