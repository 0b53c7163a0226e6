package safefile

import (
	"io"
	"os"
)

// rewrite implements Hardlinks: Rewrite for a file with several links
// (ExifTool's -overwrite_original_in_place): it writes and fsyncs a complete
// safety copy of data next to name, overwrites the original inode from
// offset 0, truncates it to len(data), fsyncs it, restores the times and
// only then removes the safety copy. The inode, and so every link, owner,
// mode and xattrs, is kept.
//
// Failures before the original is opened for writing leave it unchanged and
// remove the copy. Failures after that keep the copy and return an error
// wrapping ErrOverwriteFailed whose Kept field names it.
func (c *Committer) rewrite(name string, data []byte, snap Snapshot) (Result, error) {
	var res Result
	need := int64(len(data))
	if grow := int64(len(data)) - snap.Size; grow > 0 {
		need += grow
	}
	tmp, _, err := c.writeTemp(name, data, snap, attrsNone, false, need, false, &res)
	if err != nil {
		return Result{}, err
	}
	if err := c.recheck(name, snap); err != nil {
		return Result{}, c.dropTemp(tmp, err)
	}
	f, err := c.FS.OpenFile(name, os.O_WRONLY|oNonblock, 0)
	if err != nil {
		return Result{}, c.dropTemp(tmp, newError("open for overwrite", name, nil, err))
	}
	fi, err := f.Stat()
	if err != nil || !snap.unchanged(SnapshotOf(fi)) {
		f.Close()
		return Result{}, c.dropTemp(tmp, newError("open for overwrite", name, ErrChanged, err))
	}

	// From here on the original may be partly rewritten: keep the copy.
	fail := func(op string, err error) (Result, error) {
		e := newError(op, name, ErrOverwriteFailed, err)
		e.Kept = baseName(tmp)
		return Result{}, e
	}
	n, err := f.Write(data)
	if err == nil && n != len(data) {
		err = io.ErrShortWrite
	}
	if err != nil {
		f.Close()
		return fail("overwrite in place", err)
	}
	if err := f.Truncate(int64(len(data))); err != nil {
		f.Close()
		return fail("truncate in place", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fail("sync in place", err)
	}
	if err := f.Close(); err != nil {
		return fail("close in place", err)
	}

	// The original now durably holds the complete new content.
	res.preserve(PreservedMode)
	if snap.HasSys {
		res.preserve(PreservedOwner)
	}
	if c.Xattrs {
		res.preserve(PreservedXattrs)
	}
	if !c.FreshTimes {
		if err := c.FS.Chtimes(name, snap.atime(), snap.ModTime); err != nil {
			res.warn(WarnMtime)
		} else {
			res.preserve(PreservedMtime)
		}
	}
	if err := c.FS.Remove(tmp); err != nil {
		res.warn(WarnSafetyCopy)
	}
	c.syncDir(name, &res)
	return res, nil
}
