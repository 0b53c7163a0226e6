package tiffifd_test

import (
	"fmt"

	"github.com/photoscrub/photoscrub/pkg/internal/tiffifd"
)

// A rewriter walks the main chain, copies the entries it keeps and reads
// the locations it must relocate.
func ExampleParse() {
	// II, 42, IFD0 at 8: Orientation=6 (inline) and StripOffsets=[38]
	// (inline), next IFD 0; then 4 bytes of "image data".
	data := []byte{
		'I', 'I', 42, 0, 8, 0, 0, 0,
		2, 0,
		0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0,
		0x11, 0x01, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0,
		0, 0, 0, 0,
		0xAA, 0xBB, 0xCC, 0xDD,
	}
	t, err := tiffifd.Parse(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range t.Chain() {
		fmt.Printf("%s at %d, next %d (field at %d)\n", d.Name(), d.Offset, d.Next, d.NextAt)
		for _, e := range d.Entries {
			v, _ := t.Uint(e, 0)
			fmt.Printf("  tag %#04x type %d count %d at %d: value at %d inline=%v first=%d\n",
				e.Tag, e.Type, e.Count, e.At, e.ValueAt, e.Inline, v)
		}
	}
	// Output:
	// IFD0 at 8, next 0 (field at 34)
	//   tag 0x0112 type 3 count 1 at 10: value at 18 inline=true first=6
	//   tag 0x0111 type 4 count 1 at 22: value at 30 inline=true first=38
}
