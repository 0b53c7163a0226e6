package safefile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// HardlinkPolicy selects what Replace does with a file that has several
// hard links.
type HardlinkPolicy int

const (
	// Refuse returns ErrHardlinked and writes nothing (the default):
	// replacing one name would leave the old content under the others.
	Refuse HardlinkPolicy = iota
	// Rewrite overwrites the shared inode in place after writing a complete
	// safety copy, so every link sees the new content.
	Rewrite
)

// DefaultMargin is the free space required beyond the size of the new data
// when Committer.Margin is zero.
const DefaultMargin = 1 << 20

// Fixed wording used in Result.Preserved.
const (
	PreservedMode   = "mode"   // permission bits (and setuid/setgid/sticky) copied
	PreservedMtime  = "mtime"  // atime and mtime of the original restored
	PreservedOwner  = "owner"  // uid and gid of the original kept
	PreservedXattrs = "xattrs" // user.* extended attributes copied or kept
)

// Fixed wording used in Result.Warnings.
const (
	WarnOwner      = "owner not preserved"     // chown refused (not root)
	WarnXattrs     = "xattrs not preserved"    // xattr copy failed or unsupported
	WarnMtime      = "mtime not preserved"     // in-place rewrite could not restore times
	WarnDirSync    = "directory not synced"    // committed, but the rename may not survive a crash
	WarnTempLeft   = "temp file not removed"   // Create: extra link to the output left behind
	WarnSafetyCopy = "safety copy not removed" // in-place rewrite: complete temp copy left behind
)

// Committer writes verified output bytes to an FS with the protocol in the
// package documentation. The zero value (with FS set) refuses hard-linked
// and read-only files and keeps the original's atime/mtime. A Committer
// holds no state and is safe for concurrent use on different names.
type Committer struct {
	// FS is the file system all names are relative to.
	FS FS
	// Hardlinks selects the policy for files with several links.
	Hardlinks HardlinkPolicy
	// Force allows replacing files without the owner write bit.
	Force bool
	// FreshTimes leaves the new file's atime/mtime at the commit time
	// instead of copying the original's (copying is the default because
	// photo managers sort by mtime).
	FreshTimes bool
	// Xattrs copies the original's user.* extended attributes onto the new
	// file (Linux only; elsewhere the warning WarnXattrs is given).
	Xattrs bool
	// Margin is the free space required beyond len(data) before a temp is
	// created: 0 means DefaultMargin, negative means none.
	Margin int64
}

// Result tells what a successful commit preserved from the original and
// what it could not; both use the fixed wording constants above.
type Result struct {
	Preserved []string
	Warnings  []string
}

func (r *Result) preserve(s string) { r.Preserved = append(r.Preserved, s) }
func (r *Result) warn(s string)     { r.Warnings = append(r.Warnings, s) }

// attrs selects which attributes writeTemp copies onto the temp.
type attrs int

const (
	attrsAll  attrs = iota // owner, xattrs, full mode (Replace)
	attrsMode              // permission bits only (Create)
	attrsNone              // leave 0600 (backups, safety copies)
)

// Replace atomically replaces the regular file name with data. snap must
// describe the original as it was read (SnapshotOf on the read handle).
// On error the original is unchanged and no temp remains, except for
// ErrOverwriteFailed (see Hardlinks). Errors wrap ErrNotRegular,
// ErrReadOnly, ErrHardlinked, ErrChanged or ErrNoSpace where they apply.
func (c *Committer) Replace(name string, data []byte, snap Snapshot) (Result, error) {
	if err := checkName(name); err != nil {
		return Result{}, newError("replace", name, nil, err)
	}
	switch {
	case !snap.Mode.IsRegular():
		return Result{}, newError("replace", name, ErrNotRegular, nil)
	case snap.Mode.Perm()&0o200 == 0 && !c.Force:
		return Result{}, newError("replace", name, ErrReadOnly, nil)
	case snap.nlink() > 1 && c.Hardlinks != Rewrite:
		return Result{}, newError("replace", name, ErrHardlinked, nil)
	case snap.nlink() > 1:
		return c.rewrite(name, data, snap)
	}
	var res Result
	tmp, _, err := c.writeTemp(name, data, snap, attrsAll, !c.FreshTimes, int64(len(data)), false, &res)
	if err != nil {
		return Result{}, err
	}
	if err := c.recheck(name, snap); err != nil {
		return Result{}, c.dropTemp(tmp, err)
	}
	if err := c.FS.Rename(tmp, name); err != nil {
		return Result{}, c.dropTemp(tmp, newError("rename temp over", name, nil, err))
	}
	c.syncDir(name, &res)
	return res, nil
}

// writeTemp creates, fills, fsyncs and closes a temp file next to name and
// returns its name. On error nothing is left behind. need is the free space
// required (before the margin). With open, the temp is neither synced nor
// closed: its handle is returned for a batch to sync (see Stage*), and the
// times are set (by name) before that sync so that they are durable too.
func (c *Committer) writeTemp(name string, data []byte, snap Snapshot, a attrs, times bool, need int64, open bool, res *Result) (_ string, _ File, err error) {
	dir := filepath.Dir(name)
	if err := c.checkSpace(dir, name, need); err != nil {
		return "", nil, err
	}
	f, tmp, err := c.createTemp(dir, filepath.Base(name))
	if err != nil {
		return "", nil, newError("create temp", name, nil, err)
	}
	defer func() {
		if err != nil {
			if f != nil {
				f.Close()
			}
			err = c.dropTemp(tmp, err)
		}
	}()
	n, err := f.Write(data)
	if err == nil && n != len(data) {
		err = io.ErrShortWrite
	}
	if err != nil {
		return "", nil, newError("write temp", name, nil, err)
	}
	if err := c.copyAttrs(f, name, snap, a, res); err != nil {
		return "", nil, err
	}
	if !open {
		if err := f.Sync(); err != nil {
			return "", nil, newError("sync temp", name, nil, err)
		}
		err, f = f.Close(), nil
		if err != nil {
			return "", nil, newError("close temp", name, nil, err)
		}
	}
	if times {
		if err := c.FS.Chtimes(tmp, snap.atime(), snap.ModTime); err != nil {
			return "", nil, newError("set times on temp", name, nil, err)
		}
		res.preserve(PreservedMtime)
	}
	return tmp, f, nil
}

// copyAttrs applies owner, xattrs and mode (last) to the open temp.
func (c *Committer) copyAttrs(f File, name string, snap Snapshot, a attrs, res *Result) error {
	if a == attrsNone {
		return nil
	}
	ownerOK := false
	if a == attrsAll && snap.HasSys {
		if err := f.Chown(snap.UID, snap.GID); err == nil {
			ownerOK = true
		} else if !isRefusal(err) {
			return newError("set owner on temp", name, nil, err)
		} else if fi, serr := f.Stat(); serr == nil {
			cur := SnapshotOf(fi)
			ownerOK = cur.HasSys && cur.UID == snap.UID && cur.GID == snap.GID
		}
		if ownerOK {
			res.preserve(PreservedOwner)
		} else {
			res.warn(WarnOwner)
		}
	}
	if a == attrsAll && c.Xattrs {
		if err := c.copyXattrs(f, name, snap); err != nil {
			if isNoSpace(err) {
				return newError("copy xattrs to temp", name, nil, err)
			}
			res.warn(WarnXattrs)
		} else {
			res.preserve(PreservedXattrs)
		}
	}
	mode := snap.Mode & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
	if a == attrsMode || !ownerOK {
		mode &= fs.ModePerm | fs.ModeSticky // never setuid/setgid for another owner
	}
	if err := f.Chmod(mode); err != nil {
		return newError("set mode on temp", name, nil, err)
	}
	res.preserve(PreservedMode)
	return nil
}

// copyXattrs opens the original read-only, checks it is still the
// snapshotted inode and copies its user.* xattrs onto dst.
func (c *Committer) copyXattrs(dst File, name string, snap Snapshot) error {
	src, err := c.FS.OpenFile(name, os.O_RDONLY|oNonblock, 0)
	if err != nil {
		return err
	}
	defer src.Close()
	fi, err := src.Stat()
	if err != nil {
		return err
	}
	if !snap.sameFile(SnapshotOf(fi)) {
		return ErrChanged
	}
	return copyUserXattrs(src, dst)
}

// createTemp creates a new temp file with O_EXCL, retrying on name
// collisions.
func (c *Committer) createTemp(dir, base string) (File, string, error) {
	var err error
	for range 8 {
		tmp := filepath.Join(dir, tempName(base))
		var f File
		f, err = c.FS.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err == nil {
			return f, tmp, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	return nil, "", err
}

// checkSpace fails with ErrNoSpace unless dir has need+margin bytes free.
func (c *Committer) checkSpace(dir, name string, need int64) error {
	margin := c.Margin
	if margin == 0 {
		margin = DefaultMargin
	} else if margin < 0 {
		margin = 0
	}
	free, err := c.FS.FreeBytes(dir)
	if errors.Is(err, errors.ErrUnsupported) {
		return nil
	}
	if err != nil {
		return newError("check free space for", name, nil, err)
	}
	if need < 0 {
		need = 0
	}
	if free < uint64(need)+uint64(margin) {
		return newError("check free space for", name, ErrNoSpace, nil)
	}
	return nil
}

// recheck fails with ErrChanged unless name still matches snap.
func (c *Committer) recheck(name string, snap Snapshot) error {
	fi, err := c.FS.Lstat(name)
	if err != nil {
		return newError("re-check", name, ErrChanged, err)
	}
	if !snap.unchanged(SnapshotOf(fi)) {
		return newError("re-check", name, ErrChanged, nil)
	}
	return nil
}

// dropTemp removes a temp that must not survive and returns err, noting in
// it when the removal failed.
func (c *Committer) dropTemp(tmp string, err error) error {
	if rerr := c.FS.Remove(tmp); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
		var e *Error
		if errors.As(err, &e) {
			e.tempLeft = true
		}
	}
	return err
}

// syncDir fsyncs the directory of name; a failure is only a warning
// because the commit is already visible.
func (c *Committer) syncDir(name string, res *Result) {
	if err := c.FS.SyncDir(filepath.Dir(name)); err != nil {
		res.warn(WarnDirSync)
	}
}

// checkName requires a local, non-root path.
func checkName(name string) error {
	if !filepath.IsLocal(name) || filepath.Clean(name) == "." {
		return fs.ErrInvalid
	}
	return nil
}

// isRefusal reports whether a chown error means "not allowed here" (a
// warning) rather than an I/O failure (an error).
func isRefusal(err error) bool {
	return errors.Is(err, fs.ErrPermission) || errors.Is(err, errors.ErrUnsupported) ||
		errors.Is(err, syscall.EINVAL)
}
