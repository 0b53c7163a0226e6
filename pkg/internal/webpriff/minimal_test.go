package webpriff

import (
	"encoding/binary"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// TestProofIsMinimal checks the other side of the proofs against an
// independent decoder (golang.org/x/image/webp): the conformance suite
// shows that the proven bytes suffice to decode the same pixels; here,
// cutting the last proven byte of any VP8 partition or VP8L stream makes
// the decoder fail, so no byte is counted as coded that decoding does not
// need.
func TestProofIsMinimal(t *testing.T) {
	files := map[string][]byte{}
	for _, s := range lossySamples() {
		files[s.Name] = s.Data
	}
	for name, b := range xImageSamples(t) {
		files[name] = b
	}
	n := 0
	for name, b := range files {
		pf, err := Parse(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		f := pf.(*File)
		if f.still == nil {
			continue
		}
		pic := f.still
		if pic.vp8 != nil {
			fr := *pic.vp8
			for i := range fr.parts {
				if len(fr.parts[i]) == 0 {
					continue
				}
				cut := fr
				cut.parts = append([][]byte(nil), fr.parts...)
				cut.parts[i] = fr.parts[i][:len(fr.parts[i])-1]
				cut.pad = make([]int, len(fr.parts))
				if i == len(fr.parts)-1 && len(cut.parts[i]) == 0 {
					continue // libwebp framing needs a byte there anyway
				}
				c := *pic
				c.vp8 = &cut
				if _, err := opts.Decode(wrap(f, &c)); err == nil {
					t.Errorf("%s: partition %d decodes without its last proven byte", name, i)
				}
				n++
			}
		} else if len(pic.vp8l) > 5 {
			c := *pic
			c.vp8l = pic.vp8l[:len(pic.vp8l)-1]
			c.pad = 0
			if _, err := opts.Decode(wrap(f, &c)); err == nil {
				t.Errorf("%s: VP8L stream decodes without its last proven byte", name)
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("no stream checked")
	}
}

// wrap writes a file of f's still image replaced by p.
func wrap(f *File, p *picture) []byte {
	g := *f
	g.still = p
	g.orient = 0
	out, _ := g.Rebuild(meta.Keep{})
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out
}
