package pngchunk

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/photoscrub/photoscrub/pkg/internal/container"
	"github.com/photoscrub/photoscrub/pkg/internal/container/containertest"
	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

func wantFormatError(t *testing.T, name string, data []byte) {
	t.Helper()
	insp, err := Inspect(data)
	var fe FormatError
	if !errors.As(err, &fe) {
		t.Errorf("%s: Inspect error %v, want FormatError", name, err)
	}
	if !containertest.HasFinding(insp.Findings, meta.Unparsed, "PNG", "") {
		t.Errorf("%s: no Unparsed finding", name)
	}
	noLeak(t, insp, err)
	if out, err := Strip(data, meta.DefaultKeep); err == nil || out != nil {
		t.Errorf("%s: Strip returned output", name)
	}
}

func TestTruncation(t *testing.T) {
	in := testimg.PNG(testimg.AllPNG())
	offs := chunkOffsets(t, in)
	end := offs[len(offs)-1] // end of IEND
	for n := 0; n < end; n++ {
		_, err := Inspect(in[:n])
		if err == nil {
			t.Fatalf("prefix of %d bytes accepted", n)
		}
	}
	for _, o := range offs[:len(offs)-1] {
		wantFormatError(t, "cut at chunk boundary", in[:o])
	}
	// Cutting inside the trailer leaves a valid PNG with a shorter trailer.
	if _, err := Inspect(in[:end+1]); err != nil {
		t.Error(err)
	}
}

// withChunk inserts raw bytes before the first IDAT of a plain PNG.
func withChunk(raw []byte) []byte {
	in := testimg.PNG(testimg.PNGOptions{})
	i := bytes.Index(in, []byte("IDAT")) - 4
	return slices.Concat(in[:i], raw, in[i:])
}

func TestHostileStructure(t *testing.T) {
	plain := testimg.PNG(testimg.PNGOptions{})
	huge := func(n uint32) []byte {
		b := binary.BigEndian.AppendUint32(nil, n)
		return append(b, "tEXt1234"...)
	}
	cases := map[string][]byte{
		"empty":           nil,
		"signature only":  plain[:8],
		"bad signature":   append([]byte("\x89PNG\r\n\x1a\x0a"[:7]+"X"), plain[8:]...),
		"length 2^31":     withChunk(huge(1 << 31)),
		"length 2^32-1":   withChunk(huge(0xFFFFFFFF)),
		"length past end": withChunk(huge(1 << 20)),
		"bad type byte":   withChunk(testimg.PNGChunk("t#Xt", nil)),
		"second IHDR":     withChunk(plain[8:33]),
		"IHDR not first":  slices.Concat(plain[:8], testimg.PNGChunk("gAMA", []byte{0, 0, 0, 1}), plain[8:]),
		"no IEND":         plain[:len(plain)-12],
		"IEND with data":  slices.Concat(plain[:len(plain)-12], testimg.PNGChunk("IEND", []byte{1})),
		"no IDAT":         slices.Concat(plain[:33], testimg.PNGChunk("IEND", nil)),
		"zero width": func() []byte {
			p := slices.Clone(plain)
			copy(p[16:20], []byte{0, 0, 0, 0})
			return slices.Concat(p[:8], testimg.PNGChunk("IHDR", p[16:29]), p[33:])
		}(),
		"bad PLTE": withChunk(testimg.PNGChunk("PLTE", make([]byte, 769))),
	}
	for name, data := range map[string][]byte{
		"unknown critical":      withChunk(testimg.PNGChunk("ABCD", []byte("x"))),
		"critical reserved bit": withChunk(testimg.PNGChunk("IDaT", nil)),
	} {
		insp, err := Inspect(data)
		if !errors.Is(err, container.ErrUnsupported) || !containertest.HasFinding(insp.Findings, meta.Unparsed, "PNG", "") {
			t.Errorf("%s: %v %v", name, err, insp.Findings)
		}
		noLeak(t, insp, err)
	}
	for name, data := range cases {
		var ms0, ms1 runtime.MemStats
		runtime.ReadMemStats(&ms0)
		wantFormatError(t, name, data)
		runtime.ReadMemStats(&ms1)
		if d := ms1.TotalAlloc - ms0.TotalAlloc; d > 1<<20 {
			t.Errorf("%s: allocated %d bytes", name, d)
		}
	}
}

func TestKeptChunkWithWrongLength(t *testing.T) {
	in := withChunk(testimg.PNGChunk("gAMA", append([]byte{0, 0, 0xB1, 0x8F}, testimg.DefaultMarkers().AppText...)))
	insp, err := Inspect(in)
	if err != nil || !containertest.HasFinding(insp.Findings, meta.Embedded, container.WhereUnaccounted, "") {
		t.Fatalf("%v %v", err, insp.Findings)
	}
	out, err := Strip(in, meta.DefaultKeep)
	if err != nil {
		t.Fatal(err)
	}
	containertest.CheckStripped(t, stripper, in, out, meta.DefaultKeep)
}

// bomb returns zlib-compressed zeros.
func bomb(n int) []byte {
	var b bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&b, zlib.BestCompression)
	zero := make([]byte, 1<<20)
	for n > 0 {
		k := min(n, len(zero))
		zw.Write(zero[:k])
		n -= k
	}
	zw.Close()
	return b.Bytes()
}

func TestZlibBomb(t *testing.T) {
	z := bomb(100 << 20)
	raw := slices.Concat([]byte("Raw profile type exif\x00\x00"), z)
	xmpc := slices.Concat([]byte("XML:com.adobe.xmp\x00\x01\x00\x00\x00"), z)
	in := withChunk(slices.Concat(testimg.PNGChunk("zTXt", raw), testimg.PNGChunk("iTXt", xmpc)))
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	start := time.Now()
	insp, err := Inspect(in)
	runtime.ReadMemStats(&ms1)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d-byte input inflating to 100 MiB: %v, %d MiB allocated", len(z), time.Since(start), (ms1.TotalAlloc-ms0.TotalAlloc)>>20)
	if d := ms1.TotalAlloc - ms0.TotalAlloc; d > 64<<20 {
		t.Errorf("allocated %d bytes", d)
	}
	for _, w := range []string{"PNG zTXt Raw profile type exif", "PNG iTXt XML:com.adobe.xmp"} {
		if !containertest.HasFinding(insp.Findings, meta.Unparsed, w, "decompressed size over limit") {
			t.Errorf("no over-limit finding at %s: %v", w, insp.Findings)
		}
	}
	out, err := Strip(in, meta.DefaultKeep)
	if err != nil {
		t.Fatal(err)
	}
	containertest.CheckStripped(t, stripper, in, out, meta.DefaultKeep)
}

func TestInflateBudget(t *testing.T) {
	z := bomb(maxInflate + 1)
	var chunks []byte
	for range 12 {
		chunks = append(chunks, testimg.PNGChunk("zTXt", slices.Concat([]byte("Raw profile type xmp\x00\x00"), z))...)
	}
	var zi inflater
	for range 12 {
		zi.text(textChunk{compressed: true, body: z})
	}
	if zi.used > maxInflateTotal+12 {
		t.Errorf("inflated %d bytes in total", zi.used)
	}
	insp, err := Inspect(withChunk(chunks))
	if err != nil || !containertest.HasFinding(insp.Findings, meta.Unparsed, "PNG zTXt Raw profile type xmp", "decompressed size over limit") {
		t.Errorf("%v %v", err, insp.Findings)
	}
}

func TestRawProfileDecoding(t *testing.T) {
	good := testimg.PNGRawProfile("exif", []byte("Exif\x00\x00MM\x00*"))
	if p, err := decodeRawProfile(good); err != nil || string(p) != "Exif\x00\x00MM\x00*" {
		t.Fatalf("%q %v", p, err)
	}
	for name, s := range map[string]string{
		"no name line":     "exif",
		"no length":        "\nexif\n\n4d4d",
		"length too large": "\nexif\n   999999999\n4d4d",
		"too many digits":  "\nexif\n 12345678901\n4d4d",
		"short data":       "\nexif\n       3\n4d4d",
		"bad hex":          "\nexif\n       2\n4dzz",
	} {
		if _, err := decodeRawProfile([]byte(s)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	in := withChunk(testimg.PNGChunk("tEXt", []byte("Raw profile type 8bim\x00\nexif\n      99\n4d4d")))
	insp, _ := Inspect(in)
	if !containertest.HasFinding(insp.Findings, meta.Unparsed, "PNG tEXt Raw profile type 8bim", "bad hex profile") {
		t.Errorf("%v", insp.Findings)
	}
}

func TestMalformedText(t *testing.T) {
	for name, c := range map[string][]byte{
		"no NUL":             testimg.PNGChunk("tEXt", []byte("Comment")),
		"empty keyword":      testimg.PNGChunk("tEXt", []byte("\x00x")),
		"long keyword":       testimg.PNGChunk("tEXt", append(bytes.Repeat([]byte("k"), 80), 0)),
		"zTXt bad method":    testimg.PNGChunk("zTXt", []byte("Comment\x00\x05xx")),
		"iTXt bad flag":      testimg.PNGChunk("iTXt", []byte("Comment\x00\x02\x00\x00\x00")),
		"iTXt truncated":     testimg.PNGChunk("iTXt", []byte("Comment\x00\x00\x00en")),
		"zTXt broken stream": testimg.PNGChunk("zTXt", []byte("Raw profile type xmp\x00\x00garbage")),
	} {
		insp, err := Inspect(withChunk(c))
		if err != nil || !containertest.HasCategory(insp.Findings, meta.Unparsed) {
			t.Errorf("%s: %v %v", name, err, insp.Findings)
		}
	}
}
