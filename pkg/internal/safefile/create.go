package safefile

import (
	"errors"
	"io/fs"
	"path/filepath"
)

// Create writes data as the new file name, creating missing parent
// directories (mode 0755), for output-directory mode: the FS is rooted at
// the output directory. It never overwrites an existing name (ErrExists).
// The file gets the permission bits (without setuid/setgid) and, unless
// FreshTimes, the atime/mtime of snap; the owner is the running user.
//
// The temp is committed with a hard link, which fails atomically when the
// name exists, and then unlinked. On file systems without hard links it
// falls back to Lstat-then-rename: a file created by someone else between
// the two calls would be replaced (documented race). On error no temp
// remains and name is not created.
func (c *Committer) Create(name string, data []byte, snap Snapshot) (Result, error) {
	return c.create(name, data, snap, attrsMode, !c.FreshTimes, 0o755)
}

// BackupTo writes original (the unmodified bytes that were read) as name in
// backupFS, a separate root the caller keeps outside every input tree, with
// the same protocol as Create. Backups hold personal data, so the file is
// mode 0600 and new directories 0700; the original mtime is kept. It never
// overwrites an existing backup (ErrExists), so the first, pristine copy
// wins.
func BackupTo(backupFS FS, name string, original []byte, snap Snapshot) (Result, error) {
	c := Committer{FS: backupFS}
	return c.create(name, original, snap, attrsNone, true, 0o700)
}

func (c *Committer) create(name string, data []byte, snap Snapshot, a attrs, times bool, dirPerm fs.FileMode) (Result, error) {
	if err := checkName(name); err != nil {
		return Result{}, newError("create", name, nil, err)
	}
	if !snap.Mode.IsRegular() {
		return Result{}, newError("create", name, ErrNotRegular, nil)
	}
	if dir := filepath.Dir(name); dir != "." {
		if err := c.FS.MkdirAll(dir, dirPerm); err != nil {
			return Result{}, newError("create parent of", name, nil, err)
		}
	}
	if err := c.absent(name); err != nil {
		return Result{}, err
	}
	var res Result
	tmp, _, err := c.writeTemp(name, data, snap, a, times, int64(len(data)), false, &res)
	if err != nil {
		return Result{}, err
	}
	err = c.FS.Link(tmp, name)
	switch {
	case err == nil:
		if err := c.FS.Remove(tmp); err != nil {
			res.warn(WarnTempLeft)
		}
	case errors.Is(err, fs.ErrExist):
		return Result{}, c.dropTemp(tmp, newError("create", name, ErrExists, nil))
	case errors.Is(err, errors.ErrUnsupported) || errors.Is(err, fs.ErrPermission):
		// No hard links here: check, then rename (racy, see above).
		if err := c.absent(name); err != nil {
			return Result{}, c.dropTemp(tmp, err)
		}
		if err := c.FS.Rename(tmp, name); err != nil {
			return Result{}, c.dropTemp(tmp, newError("rename temp to", name, nil, err))
		}
	default:
		return Result{}, c.dropTemp(tmp, newError("link temp to", name, nil, err))
	}
	c.syncDir(name, &res)
	return res, nil
}

// absent returns nil if name does not exist, ErrExists if it does.
func (c *Committer) absent(name string) error {
	_, err := c.FS.Lstat(name)
	switch {
	case err == nil:
		return newError("create", name, ErrExists, nil)
	case errors.Is(err, fs.ErrNotExist):
		return nil
	default:
		return newError("create", name, nil, err)
	}
}
