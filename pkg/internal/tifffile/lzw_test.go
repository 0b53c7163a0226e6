package tifffile

import (
	"bytes"
	"io"
	"math/rand"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/testimg"
	xlzw "golang.org/x/image/tiff/lzw"
)

func TestLZWProofMatchesDecoder(t *testing.T) {
	for _, n := range []int{1, 2, 10, 1000, 57600, 300000} {
		for _, alpha := range []int{2, 256} {
			src := make([]byte, n)
			r := rand.New(rand.NewSource(1))
			for i := range src {
				src[i] = byte(r.Intn(alpha))
			}
			enc := testimg.TIFFLZW(src)
			dec, err := io.ReadAll(xlzw.NewReader(bytes.NewReader(enc), xlzw.MSB, 8))
			if err != nil || !bytes.Equal(dec, src) {
				t.Errorf("n=%d alpha=%d: x/image decode err %v, equal %v", n, alpha, err, bytes.Equal(dec, src))
			}
			got, err := proveLZW(append(enc, "trailer"...), uint64(n), new([lzwTable]uint32))
			if err != nil || got != len(enc) {
				t.Errorf("n=%d alpha=%d: proof %d of %d, %v", n, alpha, got, len(enc), err)
			}
		}
	}
}

// oldStyleLZW encodes b as pre-6.0 libtiff did: codes least significant
// bit first, the width growing when the next code no longer fits (one
// code later than TIFF 6.0).
func oldStyleLZW(b []byte) []byte {
	var out []byte
	var acc uint64
	var nacc uint
	width := uint(9)
	put := func(code int) {
		acc |= uint64(code) << nacc
		nacc += width
		for nacc >= 8 {
			out = append(out, byte(acc))
			acc >>= 8
			nacc -= 8
		}
	}
	type key struct {
		prefix int
		c      byte
	}
	table := map[key]int{}
	next := 258
	grow := func() {
		next++
		if next == 4094 {
			put(256)
			table = map[key]int{}
			next, width = 258, 9
		} else if next > 1<<width && width < 12 {
			width++
		}
	}
	put(256)
	prefix := -1
	for _, c := range b {
		if prefix < 0 {
			prefix = int(c)
			continue
		}
		if code, ok := table[key{prefix, c}]; ok {
			prefix = code
			continue
		}
		put(prefix)
		table[key{prefix, c}] = next
		grow()
		prefix = int(c)
	}
	if prefix >= 0 {
		put(prefix)
		grow()
	}
	put(257)
	if nacc > 0 {
		out = append(out, byte(acc))
	}
	return out
}

func TestLZWOldStyleProof(t *testing.T) {
	for _, n := range []int{1, 2, 1000, 300000} {
		src := make([]byte, n)
		r := rand.New(rand.NewSource(2))
		for i := range src {
			src[i] = byte(r.Intn(3))
		}
		enc := oldStyleLZW(src)
		if enc[0] != 0 || enc[1]&1 != 1 {
			t.Fatalf("n=%d: not recognisable as old-style", n)
		}
		got, err := proveLZW(append(enc, 0xAA, 0x55), uint64(n), new([lzwTable]uint32))
		if err != nil || got != len(enc) {
			t.Errorf("n=%d: proof %d of %d, %v", n, got, len(enc), err)
		}
		if _, err := proveLZW(enc, uint64(n)+5, new([lzwTable]uint32)); err == nil {
			t.Errorf("n=%d: short stream proven", n)
		}
	}
}

func TestEOLTrailer(t *testing.T) {
	for _, c := range []struct {
		tail []byte
		want int
	}{
		{nil, 0},
		{[]byte{0x00, 0x10, 0x01}, 3},       // zeros, EOL, EOL
		{[]byte{0x00, 0x10, 0x01, 0x00}, 4}, // and a fill byte
		{[]byte{0x00, 0x10, 0x03}, 2},       // a stray bit in the next byte
		{[]byte{0x00, 0x18}, 1},             // a stray bit in the EOL's byte
		{[]byte("PSMK-ARTIST"), 0},
	} {
		if got := eolTrailer(c.tail, 1); got != c.want {
			t.Errorf("% x: %d, want %d", c.tail, got, c.want)
		}
	}
}
