package safefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// Group commit. Replace and Create pay two fsyncs per file (the temp, then
// its directory). StageReplace and StageCreate do the per-file part of the
// same protocol (steps 1-4: free space, temp, write, attributes, times) and
// leave the temp open and unsynced; Commit then finishes a whole batch of
// staged files:
//
//  1. fsync every temp (in parallel) and close it;
//  2. for each file, in order: re-check the original and rename the temp
//     over it (Replace), or hard-link it to its new name and unlink the
//     temp (Create);
//  3. fsync each directory the batch touched, once.
//
// Every promise of the per-file protocol holds for each file of a batch: a
// name only ever points at the original or at the complete, synced new
// content (the rename or link of step 2 comes after the temp's fsync of
// step 1); a failure before a file's commit point removes its temp and
// leaves the original byte-identical; a failure of step 3 is the warning
// WarnDirSync. A file is durable once Commit returns, so a caller records
// files as done only after Commit. A crash between steps leaves temps,
// which the next run reports (and --clean-stale removes).

// Staged is one file whose new content is written to a temp next to its
// final name but is neither durable nor visible yet. Commit or Abort must
// be called on it exactly once.
type Staged struct {
	c      *Committer
	create bool   // Create (link) rather than Replace (rename)
	name   string // final name
	tmp    string // temp name; "" when already committed (done)
	f      File   // open temp, until synced
	snap   Snapshot
	size   int64

	res  Result
	err  error
	done bool // finished when staged (hard-link rewrite), or by Commit/Abort
}

// Size is the number of bytes staged (for bounding batches).
func (s *Staged) Size() int64 { return s.size }

// Result returns the outcome of the file once Commit (or Abort) returned.
func (s *Staged) Result() (Result, error) { return s.res, s.err }

// StageReplace is the first half of Replace: it checks the original as
// Replace does and writes the new content to an open temp. A file with
// several links and Hardlinks: Rewrite cannot be batched: it is rewritten
// at once with Replace's protocol, and the returned Staged is already done.
// On error nothing is left behind.
func (c *Committer) StageReplace(name string, data []byte, snap Snapshot) (*Staged, error) {
	if err := checkName(name); err != nil {
		return nil, newError("replace", name, nil, err)
	}
	switch {
	case !snap.Mode.IsRegular():
		return nil, newError("replace", name, ErrNotRegular, nil)
	case snap.Mode.Perm()&0o200 == 0 && !c.Force:
		return nil, newError("replace", name, ErrReadOnly, nil)
	case snap.nlink() > 1 && c.Hardlinks != Rewrite:
		return nil, newError("replace", name, ErrHardlinked, nil)
	case snap.nlink() > 1:
		res, err := c.rewrite(name, data, snap)
		if err != nil {
			return nil, err
		}
		return &Staged{c: c, name: name, snap: snap, size: int64(len(data)), res: res, done: true}, nil
	}
	s := &Staged{c: c, name: name, snap: snap, size: int64(len(data))}
	tmp, f, err := c.writeTemp(name, data, snap, attrsAll, !c.FreshTimes, int64(len(data)), true, &s.res)
	if err != nil {
		return nil, err
	}
	s.tmp, s.f = tmp, f
	return s, nil
}

// StageCreate is the first half of Create: it creates the missing parent
// directories, checks name is absent (ErrExists) and writes the new
// content to an open temp. Commit links it to name, failing with ErrExists
// if name appeared in the meantime. On error nothing is left behind.
func (c *Committer) StageCreate(name string, data []byte, snap Snapshot) (*Staged, error) {
	if err := checkName(name); err != nil {
		return nil, newError("create", name, nil, err)
	}
	if !snap.Mode.IsRegular() {
		return nil, newError("create", name, ErrNotRegular, nil)
	}
	if dir := filepath.Dir(name); dir != "." {
		if err := c.FS.MkdirAll(dir, 0o755); err != nil {
			return nil, newError("create parent of", name, nil, err)
		}
	}
	if err := c.absent(name); err != nil {
		return nil, err
	}
	s := &Staged{c: c, create: true, name: name, snap: snap, size: int64(len(data))}
	tmp, f, err := c.writeTemp(name, data, snap, attrsMode, !c.FreshTimes, int64(len(data)), true, &s.res)
	if err != nil {
		return nil, err
	}
	s.tmp, s.f = tmp, f
	return s, nil
}

// Abort drops staged files that will not be committed: their temps are
// closed and removed, and each gets err as its result.
func Abort(batch []*Staged, err error) {
	for _, s := range batch {
		if s.done {
			continue
		}
		if s.f != nil {
			s.f.Close()
			s.f = nil
		}
		s.fail(err)
	}
}

// syncWorkers bounds the fsyncs Commit runs at once.
const syncWorkers = 32

// Commit makes a batch of staged files durable and visible (see the
// comment at the top of this file) and returns once every file has its
// outcome (Staged.Result). The files may belong to different Committers
// and directories.
func Commit(batch []*Staged) {
	// 1. Content: fsync every temp, several at a time, then close it.
	var todo []*Staged
	for _, s := range batch {
		if !s.done && s.f != nil {
			todo = append(todo, s)
		}
	}
	// Where the file system can be flushed whole (syncfs), one call per
	// file system replaces the batch's fsyncs: each temp's own fsync that
	// follows finds nothing left to write and only reports a write-back
	// error of that file, which syncfs alone could miss.
	fss := syncFSes(todo)
	for _, sf := range fss {
		if err := sf.SyncFS(); err != nil {
			fss = nil // fall back to full fsyncs
			break
		}
	}
	parallel(len(todo), func(i int) {
		s := todo[i]
		err := s.f.Sync()
		cerr := s.f.Close()
		s.f = nil
		switch {
		case err != nil:
			s.fail(newError("sync temp", s.name, nil, err))
		case cerr != nil:
			s.fail(newError("close temp", s.name, nil, cerr))
		}
	})
	// 2. Commit points, in order.
	type dirKey struct {
		c   *Committer
		dir string
	}
	dirs := map[dirKey][]*Staged{}
	var order []dirKey
	for _, s := range batch {
		if s.done {
			continue
		}
		if s.publish() {
			k := dirKey{s.c, filepath.Dir(s.name)}
			if dirs[k] == nil {
				order = append(order, k)
			}
			dirs[k] = append(dirs[k], s)
		}
	}
	// 3. Names: fsync each touched directory once (or the whole file
	// system once, where it can be).
	if fss != nil {
		ok := true
		for _, sf := range syncFSes(todo) {
			if sf.SyncFS() != nil {
				ok = false
			}
		}
		if ok {
			return
		}
	}
	parallel(len(order), func(i int) {
		k := order[i]
		if err := k.c.FS.SyncDir(k.dir); err != nil {
			for _, s := range dirs[k] {
				s.res.warn(WarnDirSync)
			}
		}
	})
}

// publish performs s's commit point; it reports whether s is now visible
// under its name (so its directory needs a sync).
func (s *Staged) publish() bool {
	c := s.c
	s.done = true
	if !s.create {
		if err := c.recheck(s.name, s.snap); err != nil {
			s.err, s.res = c.dropTemp(s.tmp, err), Result{}
			return false
		}
		if err := c.FS.Rename(s.tmp, s.name); err != nil {
			s.err, s.res = c.dropTemp(s.tmp, newError("rename temp over", s.name, nil, err)), Result{}
			return false
		}
		return true
	}
	err := c.FS.Link(s.tmp, s.name)
	switch {
	case err == nil:
		if err := c.FS.Remove(s.tmp); err != nil {
			s.res.warn(WarnTempLeft)
		}
	case errors.Is(err, fs.ErrExist):
		s.err, s.res = c.dropTemp(s.tmp, newError("create", s.name, ErrExists, nil)), Result{}
		return false
	case errors.Is(err, errors.ErrUnsupported) || errors.Is(err, fs.ErrPermission):
		// No hard links here: check, then rename (racy, see Create).
		if err := c.absent(s.name); err != nil {
			s.err, s.res = c.dropTemp(s.tmp, err), Result{}
			return false
		}
		if err := c.FS.Rename(s.tmp, s.name); err != nil {
			s.err, s.res = c.dropTemp(s.tmp, newError("rename temp to", s.name, nil, err)), Result{}
			return false
		}
	default:
		s.err, s.res = c.dropTemp(s.tmp, newError("link temp to", s.name, nil, err)), Result{}
		return false
	}
	return true
}

// fail ends s with err, removing its temp.
func (s *Staged) fail(err error) {
	s.done = true
	s.res = Result{}
	s.err = s.c.dropTemp(s.tmp, err)
}

// parallel runs fn(0..n-1) on up to syncWorkers goroutines.
func parallel(n int, fn func(i int)) {
	switch {
	case n == 0:
		return
	case n == 1:
		fn(0)
		return
	}
	w := min(n, syncWorkers)
	var next sync.Mutex
	i := 0
	var wg sync.WaitGroup
	for range w {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				next.Lock()
				k := i
				i++
				next.Unlock()
				if k >= n {
					return
				}
				fn(k)
			}
		}()
	}
	wg.Wait()
}

// fsSyncer is an FS that can flush its whole file system at once.
type fsSyncer interface{ SyncFS() error }

// UseSyncFS selects syncfs(2) for a batch where every FS offers it (Linux,
// RootFS). Tests and benchmarks turn it off to exercise per-file fsyncs.
var UseSyncFS = os.Getenv("PHOTOSCRUB_SYNC") != "fsync"

// syncFSes returns one syncer per distinct FS of the batch, or nil unless
// every one can sync its file system.
func syncFSes(batch []*Staged) []fsSyncer {
	if !UseSyncFS || len(batch) < 2 {
		return nil
	}
	var out []fsSyncer
	seen := map[*Committer]bool{}
	for _, s := range batch {
		if seen[s.c] {
			continue
		}
		seen[s.c] = true
		sf, ok := s.c.FS.(fsSyncer)
		if !ok {
			return nil
		}
		out = append(out, sf)
	}
	return out
}
