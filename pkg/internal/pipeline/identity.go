package pipeline

import (
	"context"
	"io/fs"
	"os"
	"sync"

	"github.com/photoscrub/photoscrub/pkg/internal/safefile"
)

// ownSet identifies photoscrub's own artefacts by file identity.
type ownFiles []fs.FileInfo

func ownSet(paths []string) ownFiles {
	var o ownFiles
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil {
			o = append(o, fi)
		}
	}
	return o
}

func (o ownFiles) has(fi fs.FileInfo, name string) bool {
	for _, x := range o {
		if os.SameFile(x, fi) {
			return true
		}
	}
	return false
}

// dedup remembers files already processed by identity, so a file reached
// twice (hard links, overlapping roots) is processed once. It only keeps
// files with several links, or every file when roots may overlap, so its
// memory does not grow with an ordinary tree.
type dedup struct {
	mu   sync.Mutex
	all  bool
	seen map[[2]uint64]bool
}

func newDedup(all bool) *dedup { return &dedup{all: all, seen: map[[2]uint64]bool{}} }

// first reports whether fi is seen for the first time.
func (d *dedup) first(fi fs.FileInfo) bool {
	s := safefile.SnapshotOf(fi)
	if !d.all && s.Nlink <= 1 {
		return true
	}
	k := [2]uint64{s.Dev, s.Ino}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.seen[k] {
		return false
	}
	d.seen[k] = true
	return true
}

// turnstile tracks which files, in walk order (seq), are past the point
// where their identity is known. A worker that must decide whether its file
// was reached before under another name (a hard link, with deferred stats)
// waits for every earlier file to be past that point, so the first name in
// walk order is the one processed, whichever worker gets there first.
type turnstile struct {
	mu     sync.Mutex
	low    int           // every seq below has passed
	passed map[int]bool  // seqs >= low that have passed
	moved  chan struct{} // closed when low advances
}

func newTurnstile() *turnstile {
	return &turnstile{passed: map[int]bool{}, moved: make(chan struct{})}
}

// pass records that seq is past its identity point; passing again is a
// no-op.
func (t *turnstile) pass(seq int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if seq < t.low || t.passed[seq] {
		return
	}
	if seq != t.low {
		t.passed[seq] = true
		return
	}
	for t.low++; t.passed[t.low]; t.low++ {
		delete(t.passed, t.low)
	}
	close(t.moved)
	t.moved = make(chan struct{})
}

// waitBefore returns once every seq below seq has passed, or ctx is done.
func (t *turnstile) waitBefore(ctx context.Context, seq int) error {
	for {
		t.mu.Lock()
		low, moved := t.low, t.moved
		t.mu.Unlock()
		if low >= seq {
			return nil
		}
		select {
		case <-moved:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
