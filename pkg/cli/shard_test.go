package cli

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/photoscrub/photoscrub/pkg/internal/pipeline"
	"github.com/photoscrub/photoscrub/pkg/report"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// These tests back deploy/ and docs/scale.md: N processes, each given
// --shard I/N over the same store, process every file exactly once; their
// reports merge into one that verifies and equals an unsharded run; and a
// --files-from list processes exactly the files it names.

const shardCount = 4

// shardTree writes a store of about 200 files into a new directory: JPEGs
// with and without GPS (and with identity-only EXIF, XMP, comments), a few
// PNG, WebP and TIFF files, text files, a name with a space and one with
// non-ASCII letters. It returns the root and the slash paths of all files.
func shardTree(t *testing.T) (string, []string) {
	t.Helper()
	root := t.TempDir()
	var rels []string
	put := func(rel string, data []byte) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		rels = append(rels, rel)
	}
	jpg := func(o testimg.JPEGOptions) []byte {
		t.Helper()
		b, err := testimg.JPEG(o)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for i := 0; i < 180; i++ {
		dir := fmt.Sprintf("station-%02d", i%9)
		if i%4 == 3 {
			dir += fmt.Sprintf("/batch-%d", i%3)
		}
		o := testimg.JPEGOptions{Width: 32, Height: 24, Seed: int64(i)}
		switch i % 6 {
		case 0: // the leak: GPS with identity
			o.EXIF, o.EXIFOptions, o.GPS = true, testimg.EXIFOptions{Identity: true}, true
		case 1: // GPS only
			o.GPS = true
		case 2: // identity, no GPS
			o.EXIF, o.EXIFOptions = true, testimg.EXIFOptions{Identity: true, MakerNote: true}
		case 3: // orientation only: clean
			o.Orientation = 6
		case 4: // XMP and a comment, no GPS
			o.XMP, o.Comment = true, true
		case 5: // bare JFIF: clean
		}
		put(fmt.Sprintf("%s/officer-%03d.jpg", dir, i), jpg(o))
	}
	all := testimg.AllPNG()
	put("formats/all.png", testimg.PNG(all))
	put("formats/plain.png", testimg.PNG(testimg.PNGOptions{}))
	put("formats/text.png", testimg.PNG(testimg.PNGOptions{Text: true}))
	put("formats/gps.webp", testimg.WebP(testimg.WebPOptions{EXIF: testimg.EXIF(testimg.EXIFOptions{GPS: true})}))
	put("formats/plain.webp", testimg.WebP(testimg.WebPOptions{}))
	put("formats/xmp.webp", testimg.WebP(testimg.WebPOptions{XMP: testimg.XMPPacket(testimg.XMPOptions{})}))
	put("formats/all.tif", testimg.TIFF(testimg.AllTIFF()))
	put("formats/plain.tif", testimg.TIFF(testimg.TIFFOptions{}))
	put("formats/gps.tif", testimg.TIFF(testimg.TIFFOptions{GPS: true}))
	put("notes/readme.txt", []byte("not a photo\n"))
	put("notes/fake.jpg", []byte("not a jpeg either\n"))
	put("with space/ID card 1.jpg", jpg(testimg.JPEGOptions{GPS: true, Seed: 901}))
	put("Dienststelle/Müller-ß.jpg", jpg(testimg.JPEGOptions{EXIF: true, EXIFOptions: testimg.EXIFOptions{Identity: true}, Seed: 902}))
	for i := 0; i < 7; i++ {
		put(fmt.Sprintf("root-%d.jpg", i), jpg(testimg.JPEGOptions{GPS: i%2 == 0, Seed: int64(1000 + i)}))
	}
	return root, rels
}

// exitCode maps the error of runScan/runScrub to the process exit code.
func exitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	var ue *usageError
	if errors.As(err, &ue) {
		return ExitUsage
	}
	return -1
}

func scanOpts(root, rep string, shard pipeline.Shard, jobs int) scanOptions {
	return scanOptions{commonOptions{
		Paths: []string{root}, Jobs: jobs, Report: rep, Quiet: true, Shard: shard,
		FileTimeout: time.Minute, MaxFileSize: 512 << 20, MaxPixels: 100_000_000,
		Operator: "shard-test", Purpose: "sharding",
	}}
}

// parsedReport is one report file read back.
type parsedReport struct {
	header report.Header
	files  []report.File
	seal   report.Summary
}

func readReport(t *testing.T, b []byte) parsedReport {
	t.Helper()
	res, err := report.Verify(bytes.NewReader(b), nil)
	if err != nil || res.Problem != "" || !res.Sealed {
		t.Fatalf("report does not verify: %v %s", err, res.Problem)
	}
	var pr parsedReport
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var probe struct{ Type string }
		if err := json.Unmarshal(sc.Bytes(), &probe); err != nil {
			t.Fatal(err)
		}
		var err error
		switch probe.Type {
		case report.TypeHeader:
			err = json.Unmarshal(sc.Bytes(), &pr.header)
		case report.TypeFile:
			var f report.File
			err = json.Unmarshal(sc.Bytes(), &f)
			pr.files = append(pr.files, f)
		case report.TypeSummary:
			err = json.Unmarshal(sc.Bytes(), &pr.seal)
		default:
			t.Fatalf("unknown record type %q", probe.Type)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return pr
}

func readReportFile(t *testing.T, path string) parsedReport {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return readReport(t, b)
}

// recordKey is what must be equal between a sharded and an unsharded run:
// the record without its chain position and timing.
func recordKey(t *testing.T, f report.File) string {
	t.Helper()
	f.Seq, f.Prev, f.DurationMS = 0, "", 0
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func recordSet(t *testing.T, files []report.File) map[string]int {
	t.Helper()
	m := map[string]int{}
	for _, f := range files {
		m[recordKey(t, f)]++
	}
	return m
}

func paths(files []report.File) []string {
	out := make([]string, 0, len(files))
	for _, f := range files {
		out = append(out, f.Path)
	}
	slices.Sort(out)
	return out
}

// TestShardsPartitionAndMerge runs scan once unsharded and once per shard
// (the four shards concurrently, like four machines) and checks that the
// shards partition the store by ShardOf, that their merged report
// verifies, and that it records exactly what the unsharded run recorded.
func TestShardsPartitionAndMerge(t *testing.T) {
	root, rels := shardTree(t)
	if len(rels) < 195 {
		t.Fatalf("tree has %d files, want about 200", len(rels))
	}
	reps := t.TempDir()
	ctx := context.Background()

	full := filepath.Join(reps, "full.jsonl")
	// notes/fake.jpg is unsupported: exit 3 outranks 1 (findings).
	fullCode := exitCode(runScan(ctx, scanOpts(root, full, pipeline.Shard{}, 3), io.Discard, io.Discard))
	if fullCode != ExitPartial {
		t.Fatalf("unsharded scan exit %d, want %d (findings and one unsupported file)", fullCode, ExitPartial)
	}
	U := readReportFile(t, full)
	if got, want := paths(U.files), slices.Sorted(slices.Values(rels)); !slices.Equal(got, want) {
		t.Fatalf("unsharded run recorded %d files, tree has %d", len(got), len(want))
	}

	shardReps := make([]string, shardCount)
	codes := make([]int, shardCount)
	var wg sync.WaitGroup
	for i := range shardCount {
		shardReps[i] = filepath.Join(reps, fmt.Sprintf("nightly-shard-%d.jsonl", i))
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = exitCode(runScan(ctx, scanOpts(root, shardReps[i], pipeline.Shard{Index: i, Of: shardCount}, 2), io.Discard, io.Discard))
		}()
	}
	wg.Wait()

	owner := map[string]int{} // path -> shard that recorded it
	worst := 0
	var shardFiles []report.File
	var readers []io.Reader
	for i, rp := range shardReps {
		if codes[i] != ExitOK && codes[i] != ExitFindings && codes[i] != ExitPartial {
			t.Fatalf("shard %d exit %d, want 0, 1 or 3", i, codes[i])
		}
		worst = max(worst, codes[i])
		S := readReportFile(t, rp)
		if want := fmt.Sprintf("%d/%d", i, shardCount); S.header.Options.Shard != want {
			t.Errorf("shard %d header options.shard %q, want %q", i, S.header.Options.Shard, want)
		}
		if len(S.files) < len(rels)/shardCount/2 {
			t.Errorf("shard %d has only %d of %d files: the hash does not spread", i, len(S.files), len(rels))
		}
		for _, f := range S.files {
			if j, dup := owner[f.Path]; dup {
				t.Errorf("%s recorded by shards %d and %d", f.Path, j, i)
			}
			owner[f.Path] = i
			if s := pipeline.ShardOf(f.Path, shardCount); s != i {
				t.Errorf("%s recorded by shard %d, ShardOf says %d", f.Path, i, s)
			}
		}
		shardFiles = append(shardFiles, S.files...)
		b, err := os.ReadFile(rp)
		if err != nil {
			t.Fatal(err)
		}
		readers = append(readers, bytes.NewReader(b))
	}
	for _, r := range rels {
		if _, ok := owner[r]; !ok {
			t.Errorf("%s recorded by no shard", r)
		}
	}
	if worst != fullCode {
		t.Errorf("worst shard exit %d, unsharded exit %d", worst, fullCode)
	}
	if len(shardFiles) != len(U.files) {
		t.Errorf("shards recorded %d files in all, unsharded %d", len(shardFiles), len(U.files))
	}

	var merged bytes.Buffer
	head, err := report.Merge(&merged, report.Header{Operator: "shard-test", Purpose: "merge"}, report.Options{}, nil, readers...)
	if err != nil {
		t.Fatalf("merge: %v", err)
	}
	M := readReport(t, merged.Bytes())
	if res, _ := report.Verify(bytes.NewReader(merged.Bytes()), nil); res.Head != head {
		t.Errorf("merged head %s, Merge returned %s", res.Head, head)
	}
	if M.header.Command != "merge" || len(M.header.Merged) != shardCount || !slices.Equal(M.header.Roots, []string{root}) {
		t.Errorf("merged header: command %q, %d merged runs, roots %q", M.header.Command, len(M.header.Merged), M.header.Roots)
	}
	um, mm := recordSet(t, U.files), recordSet(t, M.files)
	for k, n := range um {
		if mm[k] != n {
			t.Errorf("unsharded record missing or different in the merge: %s", k)
		}
	}
	for k, n := range mm {
		if um[k] != n {
			t.Errorf("merged record not in the unsharded run: %s", k)
		}
	}
	if M.seal.Files != U.seal.Files || M.seal.Status != U.seal.Status || M.seal.Categories != U.seal.Categories || M.seal.ExitCode != U.seal.ExitCode {
		t.Errorf("merged seal %+v differs from the unsharded seal %+v", M.seal, U.seal)
	}
	// The tree must exercise what the merge compares.
	st := U.seal.Status
	if st.Clean == 0 || st.WouldScrub == 0 || st.Skipped == 0 || U.seal.Categories.Location == 0 || U.seal.Categories.Identity == 0 {
		t.Errorf("the tree does not cover clean, would-scrub, skipped, location and identity: %+v %+v", st, U.seal.Categories)
	}

	// A shard given twice, or a shard together with the unsharded run,
	// records files twice: the merge refuses both.
	mustRefuse := func(what string, files ...string) {
		t.Helper()
		var rs []io.Reader
		for _, p := range files {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			rs = append(rs, bytes.NewReader(b))
		}
		var out bytes.Buffer
		if _, err := report.Merge(&out, report.Header{}, report.Options{}, nil, rs...); err == nil {
			t.Errorf("merge of %s accepted", what)
		} else if out.Len() != 0 {
			t.Errorf("refused merge of %s wrote %d bytes", what, out.Len())
		}
	}
	mustRefuse("one shard twice", shardReps[0], shardReps[1], shardReps[0])
	mustRefuse("a shard and the unsharded run", shardReps[2], full)
}

// TestShardedScrubOut runs scrub --out with the four shards concurrently
// writing into one shared output directory and checks the output tree is
// byte-identical to an unsharded scrub --out, and the merged report equals
// the unsharded one.
func TestShardedScrubOut(t *testing.T) {
	root, _ := shardTree(t)
	tmp := t.TempDir()
	ctx := context.Background()
	scrub := func(out, rep string, sh pipeline.Shard) int {
		o := scrubOptions{
			commonOptions: scanOpts(root, rep, sh, 2).commonOptions,
			OutDir:        out, Mode: "lossless", Quality: 92, MemoryBudget: 1 << 28, Hardlinks: "refuse",
		}
		if err := o.validate("orientation,icc"); err != nil {
			t.Fatal(err)
		}
		return exitCode(runScrub(ctx, o, io.Discard, io.Discard))
	}
	fullOut, shardOut := filepath.Join(tmp, "full-out"), filepath.Join(tmp, "shard-out")
	fullRep := filepath.Join(tmp, "full.jsonl")
	fullCode := scrub(fullOut, fullRep, pipeline.Shard{})
	if fullCode != ExitOK && fullCode != ExitPartial {
		t.Fatalf("unsharded scrub exit %d", fullCode)
	}
	reps := make([]string, shardCount)
	codes := make([]int, shardCount)
	var wg sync.WaitGroup
	for i := range shardCount {
		reps[i] = filepath.Join(tmp, fmt.Sprintf("shard-%d.jsonl", i))
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = scrub(shardOut, reps[i], pipeline.Shard{Index: i, Of: shardCount})
		}()
	}
	wg.Wait()
	worst := 0
	for i, c := range codes {
		if c != ExitOK && c != ExitPartial {
			t.Fatalf("shard %d scrub exit %d", i, c)
		}
		worst = max(worst, c)
	}
	if worst != fullCode {
		t.Errorf("worst shard exit %d, unsharded %d", worst, fullCode)
	}
	a, b := treeDigest(t, fullOut), treeDigest(t, shardOut)
	if len(a) < 150 {
		t.Fatalf("unsharded scrub wrote only %d files", len(a))
	}
	if !maps.Equal(a, b) {
		t.Errorf("sharded --out tree (%d files) differs from the unsharded one (%d files)", len(b), len(a))
	}
	var rs []io.Reader
	for _, p := range reps {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, bytes.NewReader(data))
	}
	var merged bytes.Buffer
	if _, err := report.Merge(&merged, report.Header{}, report.Options{}, nil, rs...); err != nil {
		t.Fatalf("merge: %v", err)
	}
	M, U := readReport(t, merged.Bytes()), readReportFile(t, fullRep)
	um, mm := recordSet(t, U.files), recordSet(t, M.files)
	if len(U.files) != len(M.files) || !maps.Equal(um, mm) {
		t.Errorf("merged scrub report (%d records) differs from the unsharded one (%d)", len(M.files), len(U.files))
	}
	if U.seal.Status.Scrubbed == 0 || M.seal.Status != U.seal.Status {
		t.Errorf("scrubbed counts: merged %+v, unsharded %+v", M.seal.Status, U.seal.Status)
	}
}

// treeDigest maps each regular file under dir (slash path) to its content.
func treeDigest(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		m[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestFilesFrom checks that a newline- or NUL-separated list processes
// exactly the files it names: "./x" and "a/../x" are cleaned, a path that
// climbs out of the root is recorded skipped (outside-root) and never
// opened, the same file listed twice is processed once, and nothing
// unlisted is touched.
func TestFilesFrom(t *testing.T) {
	root, rels := shardTree(t)
	// Something outside the root that the list tries to reach.
	outside := filepath.Join(filepath.Dir(root), "outside-secret.jpg")
	if err := os.WriteFile(outside, []byte("never read"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(outside) })

	listed := []string{
		"station-01/officer-001.jpg",
		"./station-02/officer-002.jpg",
		"station-03/../station-04/officer-004.jpg",
		"with space/ID card 1.jpg",
		"Dienststelle/Müller-ß.jpg",
		"formats/all.png",
		"formats/gps.webp",
		"formats/all.tif",
		"notes/readme.txt",
		"../" + filepath.Base(outside),
		"station-01/officer-001.jpg", // listed twice
	}
	wantProcessed := []string{
		"Dienststelle/Müller-ß.jpg", "formats/all.png", "formats/all.tif", "formats/gps.webp",
		"notes/readme.txt", "station-01/officer-001.jpg", "station-02/officer-002.jpg",
		"station-04/officer-004.jpg", "with space/ID card 1.jpg",
	}
	for _, w := range wantProcessed {
		if !slices.Contains(rels, w) {
			t.Fatalf("test tree lacks %s", w)
		}
	}
	for _, sep := range []string{"\n", "\x00", "\r\n"} {
		t.Run(fmt.Sprintf("sep=%q", sep), func(t *testing.T) {
			tmp := t.TempDir()
			list := filepath.Join(tmp, "list")
			content := strings.Join(listed, sep) + sep
			if sep == "\n" {
				content = "\n" + strings.Join(listed, "\n\n") // blank lines, no final newline
			}
			if err := os.WriteFile(list, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			rep := filepath.Join(tmp, "r.jsonl")
			o := scanOpts(root, rep, pipeline.Shard{}, 2)
			o.FilesFrom = list
			if code := exitCode(runScan(context.Background(), o, io.Discard, io.Discard)); code != ExitFindings {
				t.Fatalf("exit %d, want %d", code, ExitFindings)
			}
			R := readReportFile(t, rep)
			if !R.header.Options.FilesFrom {
				t.Error("header options.files_from not set")
			}
			var processed []string
			byPath := map[string][]report.File{}
			for _, f := range R.files {
				byPath[f.Path] = append(byPath[f.Path], f)
			}
			for p, fs := range byPath {
				for _, f := range fs {
					switch {
					case f.Status == report.StatusSkipped && f.Reason == report.ReasonOutsideRoot:
						if p != "../"+filepath.Base(outside) {
							t.Errorf("%s skipped as outside the root", p)
						}
						if f.SHA256Before != "" {
							t.Errorf("outside path %s was read", p)
						}
					case f.Status == report.StatusSkipped && f.Reason == report.ReasonDuplicate:
						if p != "station-01/officer-001.jpg" {
							t.Errorf("%s skipped as duplicate", p)
						}
					default:
						processed = append(processed, p)
						if f.SHA256Before == "" {
							t.Errorf("%s (%s) not read", p, f.Status)
						}
					}
				}
			}
			slices.Sort(processed)
			if !slices.Equal(processed, wantProcessed) {
				t.Errorf("processed %q\nwant      %q", processed, wantProcessed)
			}
			if fs := byPath["station-01/officer-001.jpg"]; len(fs) != 2 || fs[0].Status == fs[1].Status {
				t.Errorf("file listed twice: %d records, want one processed and one skipped duplicate", len(fs))
			}
			if _, ok := byPath["../"+filepath.Base(outside)]; !ok {
				t.Error("the path leaving the root is not recorded")
			}
			if len(R.files) > len(listed) {
				t.Errorf("%d records for %d list entries", len(R.files), len(listed))
			}
		})
	}
}

// TestFilesFromSharded: a manifest of the whole store, given to every
// shard, partitions exactly like the directory walk does, so manifest and
// walk runs shard the same store the same way.
func TestFilesFromSharded(t *testing.T) {
	root, rels := shardTree(t)
	tmp := t.TempDir()
	list := filepath.Join(tmp, "manifest")
	if err := os.WriteFile(list, []byte(strings.Join(rels, "\x00")), 0o600); err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for i := range shardCount {
		rep := filepath.Join(tmp, fmt.Sprintf("s%d.jsonl", i))
		o := scanOpts(root, rep, pipeline.Shard{Index: i, Of: shardCount}, 2)
		o.FilesFrom = list
		if code := exitCode(runScan(context.Background(), o, io.Discard, io.Discard)); code != ExitOK && code != ExitFindings && code != ExitPartial {
			t.Fatalf("shard %d exit %d", i, code)
		}
		for _, f := range readReportFile(t, rep).files {
			if s := pipeline.ShardOf(f.Path, shardCount); s != i {
				t.Errorf("%s in shard %d, ShardOf says %d", f.Path, i, s)
			}
			seen[f.Path]++
		}
	}
	for _, r := range rels {
		if seen[r] != 1 {
			t.Errorf("%s recorded %d times over the shards", r, seen[r])
		}
	}
	if len(seen) != len(rels) {
		t.Errorf("%d distinct paths recorded, %d listed", len(seen), len(rels))
	}
}

// TestFilesFromMissing: a manifest naming a file that is gone (deleted
// since the manifest was made) records it and carries on; it must not stop
// the run or break the report.
func TestFilesFromMissing(t *testing.T) {
	root, _ := shardTree(t)
	tmp := t.TempDir()
	list := filepath.Join(tmp, "list")
	if err := os.WriteFile(list, []byte("station-01/officer-001.jpg\nstation-01/deleted-since.jpg\nformats/plain.png\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rep := filepath.Join(tmp, "r.jsonl")
	o := scanOpts(root, rep, pipeline.Shard{}, 1)
	o.FilesFrom = list
	code := exitCode(runScan(context.Background(), o, io.Discard, io.Discard))
	if code == ExitFatal || code == ExitUsage {
		t.Fatalf("a missing listed file made the run exit %d", code)
	}
	R := readReportFile(t, rep)
	if got := paths(R.files); !slices.Equal(got, []string{"formats/plain.png", "station-01/deleted-since.jpg", "station-01/officer-001.jpg"}) {
		t.Fatalf("recorded %q", got)
	}
	for _, f := range R.files {
		if f.Path == "station-01/deleted-since.jpg" && f.Status != report.StatusSkipped && f.Status != report.StatusFailed {
			t.Errorf("missing file recorded %s", f.Status)
		}
	}
}

// TestShardOfPinned pins ShardOf. Shards of one nightly run may be
// executed by different photoscrub versions (a rolling upgrade, a retried
// pod on a newer image): if these values ever change, shards made by two
// versions overlap and leave files out. They are also recomputed here from
// the definition: the first 8 bytes of SHA-256(path), big-endian, mod N.
func TestShardOfPinned(t *testing.T) {
	def := func(s string) uint64 {
		h := sha256.Sum256([]byte(s))
		return binary.BigEndian.Uint64(h[:8])
	}
	pins := []struct {
		rel    string
		of     int
		want   int
		hash64 uint64
	}{
		{"", 4, 0, 0xe3b0c44298fc1c14},
		{"a", 4, 2, 0xca978112ca1bbdca},
		{"station-a/officer1.jpg", 4, 3, 0xedbc9c2abb04ebaf},
		{"station-a/officer1.jpg", 16, 15, 0xedbc9c2abb04ebaf},
		{"2024/03/IMG_0001.JPG", 4, 2, 0xf08c5f9cdd6b36ca},
		{"2024/03/IMG_0001.JPG", 7, 2, 0xf08c5f9cdd6b36ca},
		{"Dienststelle/Müller-ß.jpg", 4, 2, 0x7952c7179357a22e},
		{"with space/ID card 1.jpg", 3, 0, 0x6dadf876048eca2a},
		{"x", 1, 0, 0x2d711642b726b044},
	}
	for _, p := range pins {
		if def(p.rel) != p.hash64 {
			t.Errorf("SHA-256 prefix of %q = %#x, want %#x", p.rel, def(p.rel), p.hash64)
		}
		if got := pipeline.ShardOf(p.rel, p.of); got != p.want {
			t.Errorf("ShardOf(%q, %d) = %d, pinned %d", p.rel, p.of, got, p.want)
		}
	}
}

// TestShardBalance: names that differ only in a few letters (what FNV-1a
// mod a power of two could not spread) fill every shard evenly.
func TestShardBalance(t *testing.T) {
	counts := make([]int, 4)
	letters := "aeimquy"
	n := 0
	for _, a := range letters {
		for _, b := range letters {
			for _, c := range letters {
				counts[pipeline.ShardOf(fmt.Sprintf("st/%c%c%c.jpg", a, b, c), 4)]++
				n++
			}
		}
	}
	for i, c := range counts {
		if c < n/4*7/10 || c > n/4*13/10 {
			t.Errorf("shard %d holds %d of %d names: %v", i, c, n, counts)
		}
	}
}
