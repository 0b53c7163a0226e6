// Package walk streams the candidate files of photoscrub's input roots in a
// deterministic order (lexical, depth first, as io/fs.WalkDir) through
// os.Root handles, so that nothing outside a root is ever reached. It never
// follows a symbolic link: links, FIFOs, sockets and devices are yielded as
// candidates with a skip reason so the report can say so, without ever being
// opened. It stats each entry once (lstat, from the directory walk), or,
// with Options.Defer, leaves regular files to be stat'ed once opened
// (Candidate.Open, relative to a handle on their directory).
package walk

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Skip reasons for candidates that are not processed.
const (
	SkipSymlink    = "symlink"
	SkipNotRegular = "not-regular"
	SkipUnreadable = "io"
	SkipOwn        = "own-file"
)

// Candidate is one entry found under a root.
type Candidate struct {
	Root int    // index of the root argument
	Rel  string // slash-separated path relative to the root ("." never)
	// Info is the entry's lstat information (nil for an unreadable dir).
	Info fs.FileInfo
	// Skip is non-empty when the entry must not be processed.
	Skip string

	dir  *Dir   // the directory's handle (Options.Defer), nil otherwise
	name string // base name, with dir
}

// Options control the walk.
type Options struct {
	// Exclude holds glob patterns (path.Match syntax) matched against the
	// slash-separated relative path and against the base name; a matching
	// directory is not descended into.
	Exclude []string
	// Own is consulted for each regular file and directory; returning true
	// means the entry is one of photoscrub's own artefacts (report, temp,
	// backup, output directory) and it is skipped without being walked.
	// With Defer it is consulted for directories only: the caller checks
	// the files it opens.
	Own func(fi fs.FileInfo, name string) bool
	// Defer yields the regular files of the directory walk (by the type
	// their directory lists) without an lstat: Info is nil, Own is not
	// consulted, and the candidate holds its directory's handle, so that
	// Open reaches it with one openat and stats the open file. The caller
	// must Release every such candidate once done with it.
	Defer bool
}

// Root is an opened input root: a directory, or the directory holding a
// single-file argument.
type Root struct {
	*os.Root
	// File is the base name when the argument was a single file.
	File string
}

// Open opens every argument as a Root. A missing argument is an error
// naming it.
func Open(args []string) ([]Root, error) {
	roots := make([]Root, 0, len(args))
	for _, a := range args {
		fi, err := os.Lstat(a)
		if err != nil {
			closeAll(roots)
			return nil, &os.PathError{Op: "open", Path: a, Err: errors.Unwrap(err)}
		}
		dir, file := a, ""
		if !fi.IsDir() {
			dir, file = filepath.Dir(a), filepath.Base(a)
		}
		r, err := os.OpenRoot(dir)
		if err != nil {
			closeAll(roots)
			return nil, &os.PathError{Op: "open", Path: a, Err: errors.Unwrap(err)}
		}
		roots = append(roots, Root{Root: r, File: file})
	}
	return roots, nil
}

func closeAll(rs []Root) {
	for _, r := range rs {
		r.Close()
	}
}

// Walk calls fn for every candidate of every root, in order. It stops at
// the first error fn returns, or when ctx is done.
//
// Each directory is read through a handle of its own (an *os.Root opened
// from its parent's, with the directory checked to be the one its parent
// lists, not a symbolic link), so an entry is reached with one openat of
// its base name, never by resolving its path from the root again. At most
// one handle per level of the current path is open for the walk, plus those
// candidates hold (Options.Defer).
func Walk(ctx context.Context, roots []Root, o Options, fn func(Candidate) error) error {
	for i, r := range roots {
		if err := ctx.Err(); err != nil {
			return err
		}
		if r.File != "" {
			fi, err := r.Lstat(r.File)
			c := Candidate{Root: i, Rel: r.File, Info: fi}
			if err != nil {
				c.Skip = SkipUnreadable
			} else {
				c.Skip = classify(fi)
			}
			if err := fn(c); err != nil {
				return err
			}
			continue
		}
		top := &Dir{root: r.Root, shared: true}
		top.refs.Store(1)
		w := walker{ctx: ctx, root: i, o: o, fn: fn}
		err := w.dir(top, "")
		top.done()
		if err != nil {
			return err
		}
	}
	return nil
}

type walker struct {
	ctx  context.Context
	root int
	o    Options
	fn   func(Candidate) error
}

// dir walks the directory d, whose path relative to the root is rel ("" for
// the root itself). The caller owns d's reference.
func (w *walker) dir(d *Dir, rel string) error {
	ents, err := d.list()
	if err != nil {
		if rel == "" {
			return err
		}
		return w.fn(Candidate{Root: w.root, Rel: rel, Skip: SkipUnreadable})
	}
	for _, e := range ents {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		p := e.Name()
		if rel != "" {
			p = rel + "/" + p
		}
		if excluded(w.o.Exclude, p) {
			continue
		}
		if err := w.entry(d, p, e); err != nil {
			return err
		}
	}
	return nil
}

// entry handles one directory entry at path p of directory d.
func (w *walker) entry(d *Dir, p string, e fs.DirEntry) error {
	name := e.Name()
	t := e.Type()
	if t.IsRegular() && w.o.Defer {
		// Stat when opened (Candidate.Open): one fstat on the open file.
		d.refs.Add(1)
		if err := w.fn(Candidate{Root: w.root, Rel: p, dir: d, name: name}); err != nil {
			return err
		}
		return nil
	}
	fi, err := d.root.Lstat(name)
	if err != nil {
		return w.fn(Candidate{Root: w.root, Rel: p, Skip: SkipUnreadable})
	}
	if !fi.IsDir() {
		c := Candidate{Root: w.root, Rel: p, Info: fi, Skip: classify(fi)}
		if c.Skip == "" && w.o.Own != nil && w.o.Own(fi, name) {
			return nil
		}
		return w.fn(c)
	}
	if w.o.Own != nil && w.o.Own(fi, name) {
		return nil
	}
	sub, err := d.openDir(name, fi)
	if err != nil {
		return w.fn(Candidate{Root: w.root, Rel: p, Skip: SkipUnreadable})
	}
	err = w.dir(sub, p)
	sub.done()
	return err
}

func classify(fi fs.FileInfo) string {
	switch m := fi.Mode(); {
	case m&fs.ModeSymlink != 0:
		return SkipSymlink
	case !m.IsRegular():
		return SkipNotRegular
	}
	return ""
}

func excluded(globs []string, rel string) bool {
	base := path.Base(rel)
	for _, g := range globs {
		g = strings.TrimPrefix(filepath.ToSlash(g), "./")
		if ok, _ := path.Match(g, rel); ok {
			return true
		}
		if ok, _ := path.Match(g, base); ok {
			return true
		}
	}
	return false
}

// SkipOutside marks a listed path that is not a local path under the root.
const SkipOutside = "outside-root"

// List is Walk for an explicit list of paths relative to roots[i] (from
// --files-from): src yields them in order. A listed path that is absolute
// or climbs out of the root is yielded with SkipOutside and never opened.
func List(ctx context.Context, roots []Root, i int, src func(yield func(rel string) error) error, o Options, fn func(Candidate) error) error {
	r := roots[i]
	return src(func(rel string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		rel = filepath.ToSlash(filepath.Clean(rel))
		if !filepath.IsLocal(rel) {
			return fn(Candidate{Root: i, Rel: rel, Skip: SkipOutside})
		}
		if excluded(o.Exclude, rel) {
			return nil
		}
		fi, err := r.Lstat(rel)
		if err != nil {
			return fn(Candidate{Root: i, Rel: rel, Skip: SkipUnreadable})
		}
		if o.Own != nil && o.Own(fi, path.Base(rel)) {
			return nil
		}
		return fn(Candidate{Root: i, Rel: rel, Info: fi, Skip: classify(fi)})
	})
}
