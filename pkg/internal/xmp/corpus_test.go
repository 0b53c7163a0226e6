package xmp

import (
	"bytes"
	"sort"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/corpus"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// corpusPackets finds the UTF-8 XMP packets in a file by their
// x:xmpmeta element (test only: format packages find them properly).
func corpusPackets(data []byte) [][]byte {
	var out [][]byte
	for {
		i := bytes.Index(data, []byte("<x:xmpmeta"))
		if i < 0 {
			return out
		}
		data = data[i:]
		j := bytes.Index(data, []byte("</x:xmpmeta>"))
		if j < 0 {
			return out
		}
		out = append(out, data[:j+len("</x:xmpmeta>")])
		data = data[j:]
	}
}

// TestCorpusVocabulary inspects every XMP packet of the real corpus files:
// packets parse, tags are from our vocabulary, and the share of properties
// named only as "unknown ..." is logged (it shows where the vocabulary
// could grow).
func TestCorpusVocabulary(t *testing.T) {
	var files, packets int
	unknown := map[string]int{}
	for e, data := range corpus.Files(t, corpus.Under("real/")) {
		ps := corpusPackets(data)
		if len(ps) > 0 {
			files++
		}
		for _, p := range ps {
			packets++
			var set meta.Set
			if err := Inspect(p, where, &set); err != nil {
				t.Logf("%s: %v", e.Path(), err)
			}
			for _, fd := range set.List() {
				for _, tag := range fd.Tags {
					if !vocabularyTag(tag) {
						t.Errorf("%s: tag %q is not from our vocabulary", e.Path(), tag)
					}
					if strings.HasPrefix(tag, "unknown ") || tag == tagUnregistered {
						unknown[tag]++
					}
				}
			}
		}
	}
	keys := make([]string, 0, len(unknown))
	for k := range unknown {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%4d packets with %s", unknown[k], k)
	}
	t.Logf("%d files, %d packets", files, packets)
}
