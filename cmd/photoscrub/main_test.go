package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/photoscrub/photoscrub/pkg/photoscrub"
	"github.com/photoscrub/photoscrub/pkg/report"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"photoscrub": func() { os.Exit(run()) },
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:   "testdata/script",
		Setup: validateReportsAfter,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"gen":           cmdGen,
			"ps":            cmdPS,
			"nometa":        cmdNoMeta,
			"noleak":        cmdNoLeak,
			"mkfifo":        cmdMkfifo,
			"perm":          cmdPerm,
			"samemod":       cmdSameModTime,
			"genmany":       cmdGenMany,
			"genall":        cmdGenAll,
			"mounttmpfs":    cmdMountTmpfs,
			"checkscrubbed": cmdCheckScrubbed,
			"onceeach":      cmdOnceEach,
			"gendng":        cmdGenDNG,
			"screen":        cmdScreen,
			"mountro":       cmdMountRO,
			"seal":          cmdSeal,
			"barsane":       cmdBarSane,
			"arrival":       cmdArrival, // serve and watch helpers (arrival_test.go)
			"truncjpeg": func(ts *testscript.TestScript, neg bool, args []string) {
				b, err := testimg.JPEG(testimg.JPEGOptions{GPS: true})
				ts.Check(err)
				ts.Check(os.WriteFile(ts.MkAbs(args[0]), b[:len(b)/2], 0o644))
			},
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "root":
				return os.Geteuid() == 0, nil
			case "tmpfs":
				return canMountTmpfs(), nil
			}
			return false, errors.New("unknown condition " + cond)
		},
	})
}

// gen DIR writes generated photos with metadata into DIR.
func cmdGen(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: gen DIR")
	}
	dir := ts.MkAbs(args[0])
	files := map[string]testimg.JPEGOptions{
		"everything.jpg":         testimg.Everything(),
		"gps.jpg":                {GPS: true, Seed: 2},
		"xmp-first.jpg":          {GPS: true, XMP: true, XMPBeforeExif: true, Seed: 3},
		"station-a/officer1.jpg": {GPS: true, IPTC: true, Orientation: 6, ICC: true, Seed: 4},
		"station-a/clean.jpg":    {Seed: 5},
	}
	for name, o := range files {
		b, err := testimg.JPEG(o)
		ts.Check(err)
		p := filepath.Join(dir, filepath.FromSlash(name))
		ts.Check(os.MkdirAll(filepath.Dir(p), 0o755))
		ts.Check(os.WriteFile(p, b, 0o644))
	}
	ts.Check(os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a photo\n"), 0o644))
}

// ps WANT ARGS... runs photoscrub and checks its exit code.
func cmdPS(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 1 {
		ts.Fatalf("usage: ps EXITCODE [args...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	bin := ""
	for _, d := range filepath.SplitList(ts.Getenv("PATH")) {
		if p := filepath.Join(d, "photoscrub"); fileExists(p) {
			bin = p
			break
		}
	}
	if bin == "" {
		ts.Fatalf("photoscrub not in PATH")
	}
	cmd := exec.Command(bin, args[1:]...)
	cmd.Dir = ts.MkAbs(".")
	cmd.Env = append(os.Environ(), "PATH="+ts.Getenv("PATH"), "HOME="+ts.Getenv("HOME"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	ts.Stdout().Write(stdout.Bytes())
	ts.Stderr().Write(stderr.Bytes())
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		ts.Fatalf("run: %v", err)
	}
	if code != want {
		ts.Fatalf("exit code %d, want %d\nstderr:\n%s", code, want, stderr.String())
	}
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// nometa FILE... asserts every file is a supported image with no finding.
func cmdNoMeta(ts *testscript.TestScript, neg bool, args []string) {
	for _, a := range args {
		b, err := os.ReadFile(ts.MkAbs(a))
		ts.Check(err)
		in, err := photoscrub.Inspect(b)
		found := err != nil || len(in.Findings) > 0
		if found != neg {
			ts.Fatalf("%s: findings %+v err %v", a, in.Findings, err)
		}
	}
}

// noleak FILE... asserts no planted metadata value appears in the files.
func cmdNoLeak(ts *testscript.TestScript, neg bool, args []string) {
	needles := testimg.DefaultMarkers().Needles()
	for _, a := range args {
		b, err := os.ReadFile(ts.MkAbs(a))
		ts.Check(err)
		for _, n := range needles {
			if bytes.Contains(b, []byte(n)) != neg {
				if neg {
					return
				}
				ts.Fatalf("%s contains the planted value %q", a, n)
			}
		}
	}
	if neg {
		ts.Fatalf("no planted value found")
	}
}

func cmdMkfifo(ts *testscript.TestScript, neg bool, args []string) {
	for _, a := range args {
		ts.Check(syscall.Mkfifo(ts.MkAbs(a), 0o644))
	}
}

// perm MODE FILE checks a file's permission bits (octal).
func cmdPerm(ts *testscript.TestScript, neg bool, args []string) {
	want, err := strconv.ParseUint(args[0], 8, 32)
	ts.Check(err)
	fi, err := os.Stat(ts.MkAbs(args[1]))
	ts.Check(err)
	if got := uint64(fi.Mode().Perm()); (got == want) == neg {
		ts.Fatalf("%s: mode %o, want %o", args[1], got, want)
	}
}

// samemod A B checks two files have the same modification time.
func cmdSameModTime(ts *testscript.TestScript, neg bool, args []string) {
	a, err := os.Stat(ts.MkAbs(args[0]))
	ts.Check(err)
	b, err := os.Stat(ts.MkAbs(args[1]))
	ts.Check(err)
	if a.ModTime().Equal(b.ModTime()) == neg {
		ts.Fatalf("mtimes %v and %v", a.ModTime(), b.ModTime())
	}
	_ = strings.TrimSpace
}

// genmany DIR N writes N small JPEGs with GPS into DIR (10 sub-folders).
func cmdGenMany(ts *testscript.TestScript, neg bool, args []string) {
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	dir := ts.MkAbs(args[0])
	for i := 0; i < n; i++ {
		b, err := testimg.JPEG(testimg.JPEGOptions{Width: 16, Height: 16, Seed: int64(i), GPS: true})
		ts.Check(err)
		p := filepath.Join(dir, fmt.Sprintf("f%02d", i%10), fmt.Sprintf("p%05d.jpg", i))
		ts.Check(os.MkdirAll(filepath.Dir(p), 0o755))
		ts.Check(os.WriteFile(p, b, 0o644))
	}
}

// onceeach N REPORT... checks that N distinct files are recorded scrubbed
// or clean, each in exactly one of the reports.
func cmdOnceEach(ts *testscript.TestScript, neg bool, args []string) {
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	seen := map[string]int{}
	for _, a := range args[1:] {
		b, err := os.ReadFile(ts.MkAbs(a))
		ts.Check(err)
		for _, line := range bytes.Split(b, []byte("\n")) {
			var r struct{ Type, Path, Status string }
			if json.Unmarshal(line, &r) != nil || r.Type != "file" {
				continue
			}
			if r.Status == "scrubbed" || r.Status == "clean" {
				seen[r.Path]++
			}
		}
	}
	for p, n := range seen {
		if n != 1 {
			ts.Fatalf("%s done %d times", p, n)
		}
	}
	if len(seen) != want {
		ts.Fatalf("%d files done, want %d", len(seen), want)
	}
}

// mounttmpfs DIR SIZE mounts a tmpfs of SIZE on DIR (unmounted at the end),
// or skips the script where mounting is not allowed.
func cmdMountTmpfs(ts *testscript.TestScript, neg bool, args []string) {
	dir := ts.MkAbs(args[0])
	if err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+args[1], "tmpfs", dir).Run(); err != nil {
		ts.Fatalf("cannot mount a tmpfs: %v (guard the script with [tmpfs])", err)
	}
	ts.Defer(func() { exec.Command("umount", "-l", dir).Run() })
}

// checkscrubbed DIR LIST: every file named in LIST (relative to DIR) must
// be a clean, complete image (a committed scrub, never a partial file).
func cmdCheckScrubbed(ts *testscript.TestScript, neg bool, args []string) {
	list, err := os.ReadFile(ts.MkAbs(args[1]))
	ts.Check(err)
	for _, name := range strings.Fields(string(list)) {
		b, err := os.ReadFile(filepath.Join(ts.MkAbs(args[0]), name))
		ts.Check(err)
		in, err := photoscrub.Inspect(b)
		if err != nil || len(in.Findings) > 0 {
			ts.Fatalf("%s changed but is not a clean complete image: %v %v", name, err, in.Findings)
		}
	}
}

// canMountTmpfs tries once to mount (and unmount) a tiny tmpfs.
func canMountTmpfs() bool {
	d, err := os.MkdirTemp("", "tmpfs-probe")
	if err != nil {
		return false
	}
	defer os.Remove(d)
	if exec.Command("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", d).Run() != nil {
		return false
	}
	return exec.Command("umount", d).Run() == nil
}

// genall DIR writes one file of every supported format with every hiding
// place the generator knows, each carrying the planted marker values, plus
// a truncated (malformed) copy of each.
func cmdGenAll(ts *testscript.TestScript, neg bool, args []string) {
	dir := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(filepath.Join(dir, "broken"), 0o755))
	m := testimg.DefaultMarkers()
	exif := testimg.EXIF(testimg.AllEXIF())
	xmp := testimg.XMPPacket(testimg.XMPOptions{Markers: m})
	jpg, err := testimg.JPEG(testimg.Everything())
	ts.Check(err)
	files := map[string][]byte{
		"all.jpg":  jpg,
		"all.png":  testimg.PNG(testimg.AllPNG()),
		"all.gif":  testimg.GIF(testimg.AllGIF()),
		"all.tif":  testimg.TIFF(testimg.AllTIFF()),
		"all.webp": testimg.WebP(testimg.WebPOptions{Width: 4, Height: 4, EXIF: exif, XMP: xmp, Unknown: []byte(m.Comment), Trailer: []byte(m.Trailer)}),
		"all.heic": testimg.HEIF(testimg.HEIFOptions{EXIF: exif, XMP: xmp, Thumbnail: []byte(m.Comment), Depth: []byte(m.Artist), UUID: []byte(m.Owner), Description: m.Description}),
	}
	for name, b := range files {
		ts.Check(os.WriteFile(filepath.Join(dir, name), b, 0o644))
		ts.Check(os.WriteFile(filepath.Join(dir, "broken", name), b[:len(b)*2/3], 0o644))
	}
}

// validateReportsAfter checks, when each script ends, every JSON Lines
// report it left (any *.jsonl under $WORK) against the published schema,
// (report.ValidateLine): every report the CLI tests produce is valid.
func validateReportsAfter(e *testscript.Env) error {
	e.Defer(func() {
		filepath.WalkDir(e.WorkDir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".jsonl") {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return nil
			}
			for i, line := range bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n")) {
				if len(line) == 0 {
					continue
				}
				if err := report.ValidateLine(line); err != nil {
					e.T().Fatal(fmt.Sprintf("%s line %d does not match docs/report.schema.json: %v", filepath.Base(p), i+1, err))
				}
			}
			return nil
		})
	})
	return nil
}

// gendng FILE writes a raw camera file built on TIFF (colour-filter-array
// data, as in DNG) with GPS and identity tags: inspected, never rewritten.
func cmdGenDNG(ts *testscript.TestScript, neg bool, args []string) {
	b := testimg.TIFF(testimg.TIFFOptions{GPS: true, Identity: true})
	off := binary.LittleEndian.Uint32(b[4:8])
	n := binary.LittleEndian.Uint16(b[off:])
	for i := 0; i < int(n); i++ {
		e := b[int(off)+2+12*i:]
		if binary.LittleEndian.Uint16(e) == 262 { // PhotometricInterpretation
			binary.LittleEndian.PutUint16(e[8:], 32803) // CFA
		}
	}
	p := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(filepath.Dir(p), 0o755))
	ts.Check(os.WriteFile(p, b, 0o644))
}

// screen IN OUT replays what a terminal showed for the bytes in IN: a
// carriage return moves back to the start of the line and later text
// overwrites earlier text (ANSI escapes are dropped). OUT gets, in order,
// "bar: TEXT" for every state of a line that a carriage return ended (the
// progress bar's redraws) and "line: TEXT" for every line a newline ended,
// as it stays on the screen; trailing blanks trimmed.
func cmdScreen(ts *testscript.TestScript, neg bool, args []string) {
	b, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	var out []string
	var line []rune
	col := 0
	text := func() string { return strings.TrimRight(string(line), " ") }
	rs := []rune(string(b))
	for i := 0; i < len(rs); i++ {
		switch c := rs[i]; {
		case c == '\r':
			if t := text(); t != "" && (i+1 >= len(rs) || rs[i+1] != '\n') {
				out = append(out, "bar: "+t)
			}
			col = 0
		case c == '\n':
			out = append(out, "line: "+text())
			line, col = line[:0], 0
		case c == 0x1b: // skip an escape sequence
			for i++; i < len(rs) && !(rs[i] >= '@' && rs[i] <= '~' && rs[i] != '['); i++ {
			}
		default:
			if col < len(line) {
				line[col] = c
			} else {
				line = append(line, c)
			}
			col++
		}
	}
	if t := text(); t != "" {
		out = append(out, "line: "+t)
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(strings.Join(out, "\n")+"\n"), 0o644))
}

// mountro DIR mounts an empty read-only tmpfs on DIR (unmounted at the
// end); guard the script with [tmpfs].
func cmdMountRO(ts *testscript.TestScript, neg bool, args []string) {
	dir := ts.MkAbs(args[0])
	if err := exec.Command("mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", dir).Run(); err != nil {
		ts.Fatalf("cannot mount a read-only tmpfs: %v", err)
	}
	ts.Defer(func() { exec.Command("umount", "-l", dir).Run() })
}

// seal REPORT FIELD WANT checks a number in a report's seal.
func cmdSeal(ts *testscript.TestScript, neg bool, args []string) {
	b, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	lines := bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n"))
	var seal map[string]any
	ts.Check(json.Unmarshal(lines[len(lines)-1], &seal))
	if got := fmt.Sprint(seal[args[1]]); (got == args[2]) == neg {
		ts.Fatalf("seal %s is %s, want %s", args[1], got, args[2])
	}
}

// barsane SCREEN checks every progress bar state of a replayed terminal
// (see screen): files with findings never ahead of files done, the time
// left labelled ETA, never a warning glued to the bar.
func cmdBarSane(ts *testscript.TestScript, neg bool, args []string) {
	b, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	re := regexp.MustCompile(`([0-9]+) with findings.*\(([0-9]+)/([0-9]+)`)
	bars := 0
	for _, line := range strings.Split(string(b), "\n") {
		if strings.Contains(line, "photoscrub:") && strings.Contains(line, "files/s") {
			ts.Fatalf("a message is glued to the bar: %q", line)
		}
		if !strings.HasPrefix(line, "bar: ") {
			continue
		}
		bars++
		if m := re.FindStringSubmatch(line); m != nil {
			f, _ := strconv.Atoi(m[1])
			d, _ := strconv.Atoi(m[2])
			if f > d {
				ts.Fatalf("%d with findings but only %d done: %q", f, d, line)
			}
		}
		if regexp.MustCompile(`\[[0-9]+s:[0-9]+s\]`).MatchString(line) {
			ts.Fatalf("unlabelled time on the bar: %q", line)
		}
	}
	if bars == 0 {
		ts.Fatalf("no progress bar drawn")
	}
}
