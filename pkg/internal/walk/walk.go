// Package walk streams the candidate files of photoscrub's input roots in a
// deterministic order (lexical, depth first, as io/fs.WalkDir) through
// os.Root handles, so that nothing outside a root is ever reached. It never
// follows a symbolic link: links, FIFOs, sockets and devices are yielded as
// candidates with a skip reason so the report can say so, without ever being
// opened. It stats each entry once (lstat, from the directory walk).
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
	Own func(fi fs.FileInfo, name string) bool
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
		err := fs.WalkDir(r.FS(), ".", func(p string, d fs.DirEntry, err error) error {
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
			if err != nil {
				if p == "." {
					return err
				}
				if e := fn(Candidate{Root: i, Rel: p, Skip: SkipUnreadable}); e != nil {
					return e
				}
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if p != "." && excluded(o.Exclude, p) {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if p != "." && o.Own != nil {
					if fi, err := d.Info(); err == nil && o.Own(fi, d.Name()) {
						return fs.SkipDir
					}
				}
				return nil
			}
			fi, err := d.Info()
			if err != nil {
				return fn(Candidate{Root: i, Rel: p, Skip: SkipUnreadable})
			}
			c := Candidate{Root: i, Rel: p, Info: fi, Skip: classify(fi)}
			if c.Skip == "" && o.Own != nil && o.Own(fi, d.Name()) {
				return nil
			}
			return fn(c)
		})
		if err != nil {
			return err
		}
	}
	return nil
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
