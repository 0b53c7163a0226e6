package safefile

import (
	"os"
	"path/filepath"
	"sync"
	"time"
)

// dirCache keeps open handles on the directories a rootFS works in, so
// that an operation on "a/b/name" is one system call on a's b instead of
// resolving every component again (os.Root opens each directory of a path
// for every call: about a dozen opens per file replaced in a subdirectory).
// A handle is the directory as it was when opened: a file committed while
// its directory is renamed or replaced goes where it was read from. A
// handle idle for dirCacheIdle is opened afresh, so a long run (or a
// library user) that renames, deletes or recreates directories between
// files sees the names as they are now.
//
// At most dirCacheSize idle handles stay open; one in use is never closed
// under its user. Close releases them all.
type dirCache struct {
	r      *os.Root
	top    dirHandle // the root itself (only its self is used)
	mu     sync.Mutex
	dirs   map[string]*dirHandle
	tick   uint64
	closed bool
}

const (
	dirCacheSize = 32
	dirCacheIdle = time.Second
)

// dirHandle is one cached directory: a root confined to it and, once
// needed, the directory opened as a file (free-space queries).
type dirHandle struct {
	r       *os.Root
	self    *os.File
	refs    int
	used    uint64    // LRU order
	last    time.Time // when last released (or opened)
	evicted bool
}

// split returns the directory and base of a local name, with ok false
// when the name is already a single component of the root (no handle is
// needed).
func split(name string) (dir, base string, ok bool) {
	dir, base = filepath.Split(filepath.Clean(name))
	dir = filepath.Clean(dir)
	return dir, base, dir != "." && base != ""
}

// acquire returns the handle of directory dir, opening it if needed, and
// the function that releases it.
func (c *dirCache) acquire(dir string) (*dirHandle, func(), error) {
	now := time.Now()
	c.mu.Lock()
	h := c.dirs[dir]
	if h != nil && h.refs == 0 && now.Sub(h.last) > dirCacheIdle {
		delete(c.dirs, dir)
		h.close()
		h = nil
	}
	if h != nil {
		h.refs++
		c.tick++
		h.used = c.tick
		c.mu.Unlock()
		return h, func() { c.release(h) }, nil
	}
	c.mu.Unlock()
	sub, err := c.r.OpenRoot(dir)
	if err != nil {
		return nil, nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.dirs[dir]; old != nil {
		// Another caller opened it meanwhile: use theirs.
		sub.Close()
		old.refs++
		return old, func() { c.release(old) }, nil
	}
	h = &dirHandle{r: sub, refs: 1, last: now}
	c.tick++
	h.used = c.tick
	if c.closed {
		h.evicted = true // not cached: closed on release
	} else {
		if c.dirs == nil {
			c.dirs = make(map[string]*dirHandle)
		}
		c.dirs[dir] = h
		c.evict()
	}
	return h, func() { c.release(h) }, nil
}

// evict drops idle handles, oldest first, while more than dirCacheSize are
// cached. Called with mu held.
func (c *dirCache) evict() {
	for len(c.dirs) > dirCacheSize {
		var oldest string
		var o *dirHandle
		for k, h := range c.dirs {
			if h.refs == 0 && (o == nil || h.used < o.used) {
				oldest, o = k, h
			}
		}
		if o == nil {
			return // every handle is in use
		}
		delete(c.dirs, oldest)
		o.close()
	}
}

func (c *dirCache) release(h *dirHandle) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h.refs--
	h.last = time.Now()
	if h.refs == 0 && h.evicted {
		h.close()
	}
}

// dirFile returns the directory of h opened as a file, kept with h (or,
// once the cache is closed, opened for this call: done closes it).
func (c *dirCache) dirFile(h *dirHandle) (f *os.File, done func(), err error) {
	c.mu.Lock()
	f, closed := h.self, c.closed
	c.mu.Unlock()
	if f != nil {
		return f, func() {}, nil
	}
	r := h.r
	if h == &c.top {
		r = c.r
	}
	if f, err = r.Open("."); err != nil {
		return nil, nil, err
	}
	if closed && h == &c.top {
		return f, func() { f.Close() }, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if h.self != nil {
		f.Close()
		return h.self, func() {}, nil
	}
	h.self = f
	return f, func() {}, nil
}

// close closes the handle's descriptors (its refs are 0).
func (h *dirHandle) close() {
	h.r.Close()
	if h.self != nil {
		h.self.Close()
	}
}

// Close closes every idle handle; handles in use are closed when
// released. The cache keeps working afterwards without caching.
func (c *dirCache) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	if c.top.self != nil {
		c.top.self.Close()
		c.top.self = nil
	}
	for k, h := range c.dirs {
		delete(c.dirs, k)
		h.evicted = true
		if h.refs == 0 {
			h.close()
		}
	}
	return nil
}
