package report

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

func verifyBytes(data []byte, pub ed25519.PublicKey) (VerifyResult, error) {
	return Verify(bytes.NewReader(data), pub)
}

func TestRoundTrip(t *testing.T) {
	pub := testKey.Public().(ed25519.PublicKey)
	for _, tc := range []struct {
		name   string
		opts   Options
		pub    ed25519.PublicKey
		signed bool
	}{
		{"unsigned", Options{}, nil, false},
		{"signed, key given", Options{SignKey: testKey}, pub, true},
		{"signed, no key", Options{SignKey: testKey}, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, head := buildReport(t, tc.opts, sampleFiles())
			validateReport(t, data)
			res, err := verifyBytes(data, tc.pub)
			if err != nil {
				t.Fatalf("Verify: %v\n%s", err, data)
			}
			want := VerifyResult{RunID: testRunID, Head: head, Records: 7, Sealed: true, Signed: tc.signed,
				SignatureChecked: tc.pub != nil, FirstBad: -1}
			if res != want {
				t.Errorf("got %+v\nwant %+v", res, want)
			}
			if tc.signed && tc.pub == nil && !strings.Contains(res.String(), "signature present, not checked") {
				t.Errorf("String() = %q", res)
			}
			var s Summary
			l := splitLines(data)
			if err := json.Unmarshal(l[len(l)-1], &s); err != nil {
				t.Fatal(err)
			}
			wantCounts := StatusCounts{Clean: 1, Scrubbed: 1, Unsupported: 1, Skipped: 1, Failed: 1}
			wantCats := CategoryCounts{Location: 2, Identity: 1, Unparsed: 1}
			if s.Files != 5 || s.Records != 6 || s.Status != wantCounts || s.Categories != wantCats {
				t.Errorf("seal = %+v", s)
			}
			if got := lineHash(l[len(l)-1]); got != head {
				t.Errorf("head %s is not the hash of the seal line %s", head, got)
			}
		})
	}
}

// TestGoldenChain pins the chain construction documented in docs/report.md.
func TestGoldenChain(t *testing.T) {
	data, _ := buildReport(t, Options{}, nil)
	l := splitLines(data)
	var h Header
	json.Unmarshal(l[0], &h)
	if want := fmt.Sprintf("%x", sha256Sum("photoscrub-report-v1"+testRunID)); h.Prev != want {
		t.Errorf("genesis %s, want %s", h.Prev, want)
	}
	if !bytes.Contains(l[1], []byte(`"prev":"`+fmt.Sprintf("%x", sha256Sum(string(l[0])))+`"`)) {
		t.Errorf("seal prev is not SHA-256 of the header line")
	}
}

// tamperReport is a signed report of 3 file records: header 0, files 1-3, seal 4.
func tamperReport(t testing.TB) ([]byte, string) {
	return buildReport(t, Options{SignKey: testKey}, sampleFiles()[:3])
}

// TestEveryByteEdit flips bits in every byte of a signed report and checks
// that Verify names the line that holds the byte.
func TestEveryByteEdit(t *testing.T) {
	pub := testKey.Public().(ed25519.PublicKey)
	data, head := tamperReport(t)
	lineOf := make([]int64, len(data))
	var ln int64
	for i, c := range data {
		lineOf[i] = ln
		if c == '\n' {
			ln++
		}
	}
	n := 0
	for i := range data {
		for _, mask := range []byte{0x01, 0x20, 0x04} {
			d := bytes.Clone(data)
			d[i] ^= mask
			res, err := verifyBytes(d, pub)
			n++
			if err == nil {
				t.Fatalf("byte %d ^ %#x not detected (line %d)", i, mask, lineOf[i])
			}
			if res.FirstBad != lineOf[i] {
				t.Errorf("byte %d ^ %#x in line %d: FirstBad %d: %s", i, mask, lineOf[i], res.FirstBad, res.Problem)
			}
			if res.Head == head || res.Records != res.FirstBad {
				t.Errorf("byte %d: head %s, %d records verified, first bad %d", i, res.Head, res.Records, res.FirstBad)
			}
		}
	}
	t.Logf("%d single-byte edits of a %d-byte report detected", n, len(data))
}

// TestEveryByteEditUnsigned: without a signature every edit changes the
// head, and every edit outside the seal is caught, naming that line or
// (for the last file record versus the seal's prev) its neighbour.
func TestEveryByteEditUnsigned(t *testing.T) {
	data, head := buildReport(t, Options{}, sampleFiles()[:3])
	sealStart := int64(bytes.LastIndexByte(data[:len(data)-1], '\n') + 1)
	var ln int64
	for i := range data {
		d := bytes.Clone(data)
		d[i] ^= 0x01
		res, err := verifyBytes(d, nil)
		if res.Head == head {
			t.Errorf("byte %d: head unchanged", i)
		}
		if int64(i) < sealStart {
			if err == nil {
				t.Fatalf("byte %d (line %d) edit not detected", i, ln)
			}
			if res.FirstBad != ln {
				t.Errorf("byte %d in line %d: FirstBad %d: %s", i, ln, res.FirstBad, res.Problem)
			}
		} else if err != nil && res.FirstBad != 4 && res.FirstBad != 3 {
			t.Errorf("seal byte %d: FirstBad %d: %s", i, res.FirstBad, res.Problem)
		}
		if data[i] == '\n' {
			ln++
		}
	}
}

var lineKinds = []struct {
	name string
	i    int
}{{"header", 0}, {"first file", 1}, {"last file", 3}, {"seal", 4}}

func TestTamperLines(t *testing.T) {
	pub := testKey.Public().(ed25519.PublicKey)
	data, _ := tamperReport(t)
	orig := splitLines(data)
	type op struct {
		name     string
		apply    func(l [][]byte, i int) [][]byte
		firstBad func(i int) int64
	}
	del := func(l [][]byte, i int) [][]byte { return append(l[:i:i], l[i+1:]...) }
	ins := func(l [][]byte, i int, x []byte) [][]byte {
		return append(append(l[:i:i], x), l[i:]...)
	}
	ops := []op{
		{"delete", del, func(i int) int64 { return int64(i) }},
		{"duplicate", func(l [][]byte, i int) [][]byte { return ins(l, i+1, l[i]) }, func(i int) int64 { return int64(i + 1) }},
		{"insert copy of line 2 before", func(l [][]byte, i int) [][]byte { return ins(l, i, l[2]) }, func(i int) int64 {
			if i == 2 {
				return 3 // the copy sits in its own place; the original is out of place
			}
			return int64(i)
		}},
		{"swap with next", func(l [][]byte, i int) [][]byte {
			j := i + 1
			if j == len(l) {
				j = i - 1
			}
			l[i], l[j] = l[j], l[i]
			return l
		}, func(i int) int64 { return int64(min(i, 3)) }},
	}
	for _, o := range ops {
		for _, k := range lineKinds {
			t.Run(o.name+" "+k.name, func(t *testing.T) {
				l := make([][]byte, len(orig))
				copy(l, orig)
				d := joinLines(o.apply(l, k.i))
				res, err := verifyBytes(d, pub)
				if err == nil {
					t.Fatal("not detected")
				}
				if want := o.firstBad(k.i); res.FirstBad != want {
					t.Errorf("FirstBad %d, want %d: %s", res.FirstBad, want, res.Problem)
				}
			})
		}
	}
}

// TestForgedInsert inserts a correctly chained record: the chain then
// breaks at the displaced original, which is named.
func TestForgedInsert(t *testing.T) {
	data, _ := tamperReport(t)
	l := splitLines(data)
	var f File
	json.Unmarshal(l[2], &f)
	f.Path = "forged.jpg"
	b, _ := json.Marshal(&f) // same seq 2, prev = hash(line 1)
	d := joinLines(append(append(l[:2:2], b), l[2:]...))
	res, err := verifyBytes(d, nil)
	if err == nil || res.FirstBad != 3 || !strings.Contains(res.Problem, "found seq 2") {
		t.Errorf("got %v, %+v", err, res)
	}
}

func TestTruncation(t *testing.T) {
	data, _ := tamperReport(t)
	l := splitLines(data)
	for k := 0; k < len(l)-1; k++ {
		d := joinLines(l[:k+1])
		res, err := verifyBytes(d, nil)
		if err == nil || res.Sealed || res.FirstBad != int64(k+1) || res.Records != int64(k+1) ||
			res.Head != lineHash(l[k]) || !strings.Contains(res.Problem, fmt.Sprintf("not sealed: interrupted after seq %d", k)) {
			t.Errorf("truncated after line %d: %v %+v", k, err, res)
		}
		// A crash in the middle of the next line.
		d = append(d, l[k+1][:len(l[k+1])/2]...)
		if res, err := verifyBytes(d, nil); err == nil || res.FirstBad != int64(k+1) || res.Records != int64(k+1) {
			t.Errorf("partial line %d: %v %+v", k+1, err, res)
		}
	}
	if res, err := verifyBytes(nil, nil); err == nil || res.FirstBad != 0 {
		t.Errorf("empty report: %v %+v", err, res)
	}
	// The seal without its final newline is an incomplete seal.
	if res, err := verifyBytes(data[:len(data)-1], nil); err == nil || res.FirstBad != 4 {
		t.Errorf("seal without newline: %v %+v", err, res)
	}
}

func TestSignatureProblems(t *testing.T) {
	pub := testKey.Public().(ed25519.PublicKey)
	otherPub, _, _ := ed25519.GenerateKey(nil)
	signed, _ := tamperReport(t)
	unsigned, _ := buildReport(t, Options{}, sampleFiles()[:3])
	stripped := regexp.MustCompile(`,"signature":"[^"]*"`).ReplaceAll(signed, nil)
	if bytes.Equal(stripped, signed) {
		t.Fatal("no signature found")
	}
	for _, tc := range []struct {
		name string
		data []byte
		pub  ed25519.PublicKey
		want string
	}{
		{"wrong key", signed, otherPub, "does not verify"},
		{"signature removed", stripped, nil, "header says signed"},
		{"signature removed, key given", stripped, pub, "header says signed"},
		{"unsigned, key given", unsigned, pub, "not signed"},
		{"short key", signed, pub[:16], "not an Ed25519 key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := verifyBytes(tc.data, tc.pub)
			if err == nil || res.FirstBad != 4 || !strings.Contains(res.Problem, tc.want) {
				t.Errorf("got %v %+v", err, res)
			}
		})
	}
}

// TestRewrittenChain documents the limit of an unsigned chain: a full
// rewrite verifies, but the head changes; a signature catches it.
func TestRewrittenChain(t *testing.T) {
	files := sampleFiles()
	data, head := buildReport(t, Options{}, files)
	files[0].Findings = nil // hide the GPS finding and rewrite everything
	forged, forgedHead := buildReport(t, Options{}, files)
	res, err := verifyBytes(forged, nil)
	if err != nil || res.Head == head || forgedHead == head || bytes.Equal(data, forged) {
		t.Errorf("rewrite: %v %+v", err, res)
	}
	signed, _ := buildReport(t, Options{SignKey: testKey}, sampleFiles())
	l := splitLines(signed)
	seal := l[len(l)-1]
	// Splice the signed seal onto the rewritten records.
	fl := splitLines(forged)
	fl[len(fl)-1] = seal
	if _, err := verifyBytes(joinLines(fl), testKey.Public().(ed25519.PublicKey)); err == nil {
		t.Error("signed seal on rewritten records verified")
	}
}

func TestNonCanonical(t *testing.T) {
	data, _ := buildReport(t, Options{}, sampleFiles()[:1])
	l := splitLines(data)
	for name, edit := range map[string][]byte{
		"key case":      bytes.Replace(l[1], []byte(`"path"`), []byte(`"Path"`), 1),
		"space":         bytes.Replace(l[1], []byte(`,"root"`), []byte(`, "root"`), 1),
		"duplicate key": bytes.Replace(l[1], []byte(`"root":0`), []byte(`"root":1,"root":0`), 1),
		"unknown field": bytes.Replace(l[1], []byte(`"root":0`), []byte(`"root":0,"gps":"x"`), 1),
	} {
		// Re-chain the seal so that only the canonical-form check can object.
		var seal Summary
		json.Unmarshal(l[2], &seal)
		seal.Prev = lineHash(edit)
		sb, _ := json.Marshal(&seal)
		d := joinLines([][]byte{l[0], edit, sb})
		if res, err := verifyBytes(d, nil); err == nil || res.FirstBad != 1 || !strings.Contains(res.Problem, "canonical") {
			t.Errorf("%s: %v %+v", name, err, res)
		}
	}
}

func FuzzVerify(f *testing.F) {
	data, _ := buildReport(f, Options{SignKey: testKey}, sampleFiles())
	f.Add(data)
	f.Add(data[:len(data)/2])
	unsigned, _ := buildReport(f, Options{}, nil)
	f.Add(unsigned)
	pub := testKey.Public().(ed25519.PublicKey)
	f.Fuzz(func(t *testing.T, d []byte) {
		res, err := verifyBytes(d, pub)
		lines := int64(bytes.Count(d, []byte("\n")))
		if err == nil {
			if !res.Sealed || !res.SignatureChecked || res.FirstBad != -1 || res.Records != lines {
				t.Fatalf("verified but %+v", res)
			}
			return
		}
		if res.FirstBad < 0 || res.FirstBad > lines || res.Records > res.FirstBad {
			t.Fatalf("failed but %+v", res)
		}
	})
}

// TestVerifyResidual: the seal counts the files still holding location or
// identity data; a changed count is caught, and a seal without the field
// (written before it existed) still verifies.
func TestVerifyResidual(t *testing.T) {
	data, _ := buildReport(t, Options{}, sampleFiles())
	lines := splitLines(data)
	seal := lines[len(lines)-1]
	if !bytes.Contains(seal, []byte(`"residual":1`)) { // c.heic: unsupported, with GPS
		t.Fatalf("seal %s: want residual 1", seal)
	}
	lines[len(lines)-1] = bytes.Replace(seal, []byte(`"residual":1`), []byte(`"residual":0`), 1)
	res, _ := Verify(bytes.NewReader(joinLines(lines)), nil)
	if !strings.Contains(res.Problem, "residual is 0 but 1 file records still hold location or identity data") {
		t.Errorf("altered residual: problem %q", res.Problem)
	}
	lines[len(lines)-1] = bytes.Replace(seal, []byte(`,"residual":1`), nil, 1)
	if res, err := Verify(bytes.NewReader(joinLines(lines)), nil); err != nil {
		t.Errorf("seal without residual: %v (%+v)", err, res)
	}
}
