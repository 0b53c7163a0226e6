package icc

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/corpus"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// corpusProfiles returns the ICC profiles embedded in the corpus files, by
// file: JPEG APP2, PNG iCCP and WebP ICCP are read here; HEIC and TIFF
// through ExifTool when it is installed.
func corpusProfiles(t *testing.T) map[string][]byte {
	corpusDir := corpus.Dir(t)
	out := map[string][]byte{}
	var viaExiftool []string
	err := filepath.WalkDir(corpusDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(corpusDir, path)
		var prof []byte
		switch {
		case bytes.HasPrefix(data, []byte{0xFF, 0xD8}):
			prof = jpegICC(data)
		case bytes.HasPrefix(data, []byte("\x89PNG")):
			prof = pngICC(data)
		case bytes.HasPrefix(data, []byte("RIFF")) && len(data) > 12 && string(data[8:12]) == "WEBP":
			prof = webpICC(data)
		case strings.HasSuffix(path, ".tsv") || strings.HasSuffix(path, ".md"):
		default:
			viaExiftool = append(viaExiftool, path)
		}
		if len(prof) > 0 {
			out[rel] = prof
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("exiftool"); err == nil && len(viaExiftool) > 0 {
		// One ExifTool run: JSON with each profile as "base64:...".
		args := append([]string{"-q", "-q", "-j", "-b", "-ICC_Profile"}, viaExiftool...)
		js, _ := exec.Command("exiftool", args...).Output()
		var recs []struct {
			SourceFile  string
			ICC_Profile string
		}
		_ = json.Unmarshal(js, &recs)
		for _, r := range recs {
			b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(r.ICC_Profile, "base64:"))
			if err == nil && len(b) > 0 {
				rel, _ := filepath.Rel(corpusDir, r.SourceFile)
				out[rel] = b
			}
		}
	}
	return out
}

func jpegICC(d []byte) []byte {
	chunks := map[int][]byte{}
	for i := 2; i+4 <= len(d); {
		if d[i] != 0xFF {
			break
		}
		m := d[i+1]
		if m == 0xD8 || m == 0x01 || m >= 0xD0 && m <= 0xD7 || m == 0xFF {
			i++
			continue
		}
		if m == 0xDA || m == 0xD9 {
			break
		}
		l := int(binary.BigEndian.Uint16(d[i+2:]))
		if l < 2 || i+2+l > len(d) {
			break
		}
		seg := d[i+4 : i+2+l]
		if m == 0xE2 && len(seg) > 14 && string(seg[:12]) == "ICC_PROFILE\x00" {
			chunks[int(seg[12])] = seg[14:]
		}
		i += 2 + l
	}
	var keys []int
	for k := range chunks {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var out []byte
	for _, k := range keys {
		out = append(out, chunks[k]...)
	}
	return out
}

func pngICC(d []byte) []byte {
	for i := 8; i+12 <= len(d); {
		l := int(binary.BigEndian.Uint32(d[i:]))
		if l < 0 || i+12+l > len(d) {
			break
		}
		if string(d[i+4:i+8]) == "iCCP" {
			c := d[i+8 : i+8+l]
			n := bytes.IndexByte(c, 0)
			if n < 0 || n+2 > len(c) {
				return nil
			}
			r, err := zlib.NewReader(bytes.NewReader(c[n+2:]))
			if err != nil {
				return nil
			}
			b, _ := io.ReadAll(io.LimitReader(r, MaxSize))
			return b
		}
		i += 12 + l
	}
	return nil
}

func webpICC(d []byte) []byte {
	for i := 12; i+8 <= len(d); {
		l := int(binary.LittleEndian.Uint32(d[i+4:]))
		if l < 0 || i+8+l > len(d) {
			break
		}
		if string(d[i:i+4]) == "ICCP" {
			return d[i+8 : i+8+l]
		}
		i += 8 + l + l&1
	}
	return nil
}

// tagBytes returns the data of tag s in prof.
func tagBytes(prof []byte, s string) []byte {
	n := int(binary.BigEndian.Uint32(prof[128:]))
	for i := range n {
		e := prof[132+12*i:]
		if string(e[:4]) == s {
			o, l := binary.BigEndian.Uint32(e[4:]), binary.BigEndian.Uint32(e[8:])
			return prof[o : o+l]
		}
	}
	return nil
}

func TestCorpus(t *testing.T) {
	profs := corpusProfiles(t)
	var names []string
	for k := range profs {
		names = append(names, k)
	}
	sort.Strings(names)
	var parsed, clean, realFail int
	transicc, _ := exec.LookPath("transicc")
	tmp := t.TempDir()
	seen := map[string]bool{}
	compared := 0
	for i, name := range names {
		data := profs[name]
		p, err := Parse(data)
		if err != nil {
			if strings.HasPrefix(name, "real/") {
				realFail++
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		parsed++
		var s meta.Set
		if p.Report("APP2", &s) {
			clean++
		}
		t.Logf("%s: %d bytes -> %d, findings %v", name, len(data), len(p.Rebuild()), s.List())
		r := checkRebuild(t, p)
		// The colorimetric data bytes are unchanged.
		for _, sg := range []string{"rXYZ", "gXYZ", "bXYZ", "wtpt", "rTRC", "gTRC", "bTRC", "kTRC"} {
			a, b := tagBytes(data, sg), tagBytes(r, sg)
			if a == nil {
				continue
			}
			if b == nil || len(a) < len(b) || !bytes.Equal(a[8:len(b)], b[8:]) {
				t.Errorf("%s: %s data changed", name, sg)
			}
		}
		if transicc != "" && !seen[string(data)] {
			seen[string(data)] = true
			_ = os.WriteFile(filepath.Join(tmp, fmt.Sprintf("rebuilt%d.icc", i)), r, 0o600)
			if sameColour(t, name, data, r, filepath.Join(tmp, fmt.Sprint(i))) {
				compared++
			}
		}
	}
	exiftoolReads(t, tmp)
	t.Logf("%d profiles, %d parse, %d clean as stored, %d distinct ones colour-checked with Little CMS",
		len(profs), parsed, clean, compared)
	if len(profs) > 0 && parsed == 0 {
		t.Error("no corpus profile parses")
	}
}

// sameColour converts a grid of device values to Lab through the original
// and the rebuilt profile with Little CMS (transicc, no precalculation) in
// three intents and compares the results.
func sameColour(t *testing.T, name string, orig, rebuilt []byte, base string) (checked bool) {
	var in bytes.Buffer
	var ch int
	switch string(orig[16:20]) {
	case "RGB ":
		ch = 3
	case "GRAY":
		ch = 1
	case "CMYK":
		ch = 4
	default:
		return false
	}
	steps := []int{0, 1, 17, 64, 128, 200, 255}
	if ch == 4 {
		steps = []int{0, 10, 50, 90, 100}
	}
	var rec func(prefix string, k int)
	rec = func(prefix string, k int) {
		if k == 0 {
			in.WriteString(prefix + "\n")
			return
		}
		for _, v := range steps {
			rec(fmt.Sprintf("%s %d", prefix, v), k-1)
		}
	}
	rec("", ch)
	a, b := base+"a.icc", base+"b.icc"
	if os.WriteFile(a, orig, 0o600) != nil || os.WriteFile(b, rebuilt, 0o600) != nil {
		t.Fatal("write temp profile")
	}
	for _, intent := range []string{"0", "1", "3"} {
		run := func(p string) (string, error) {
			cmd := exec.Command("transicc", "-n", "-c0", "-t"+intent, "-i"+p, "-o*Lab")
			cmd.Stdin = bytes.NewReader(in.Bytes())
			out, err := cmd.Output()
			return string(out), err
		}
		want, err := run(a)
		if err != nil {
			continue // Little CMS cannot use the original for this intent
		}
		got, err := run(b)
		if err != nil || got != want {
			t.Errorf("%s: intent %s: colour differs after rebuild (%v)", name, intent, err)
		}
		checked = true
	}
	return checked
}

// exiftoolReads checks, when ExifTool is installed, that it reads every
// rebuilt*.icc profile in dir without a warning and finds its description
// and copyright.
func exiftoolReads(t *testing.T, dir string) {
	if _, err := exec.LookPath("exiftool"); err != nil {
		return
	}
	files, _ := filepath.Glob(filepath.Join(dir, "rebuilt*.icc"))
	if len(files) == 0 {
		return
	}
	args := append([]string{"-q", "-q", "-j", "-ProfileDescription", "-ProfileCopyright", "-Warning", "-Error"}, files...)
	js, _ := exec.Command("exiftool", args...).Output()
	var recs []map[string]any
	if err := json.Unmarshal(js, &recs); err != nil || len(recs) != len(files) {
		t.Fatalf("exiftool read %d of %d rebuilt profiles (%v)", len(recs), len(files), err)
	}
	for _, r := range recs {
		if r["Warning"] != nil || r["Error"] != nil || r["ProfileDescription"] == nil || r["ProfileCopyright"] == nil {
			t.Errorf("exiftool on a rebuilt profile: %v", r)
		}
	}
}
