package safefile

import (
	"io/fs"
	"time"
)

// Snapshot records the state of an original file when it was read. The
// commit refuses to replace the file if this state has changed (ErrChanged),
// and copies mode, owner and times from it onto the new file.
type Snapshot struct {
	Size    int64
	Mode    fs.FileMode
	ModTime time.Time

	// The fields below are valid only when HasSys is set (Linux, macOS).
	HasSys   bool
	ATime    time.Time
	CTime    time.Time
	UID, GID int
	Dev, Ino uint64
	Nlink    uint64
}

// SnapshotOf captures fi, which should come from Stat on the open handle the
// original was read through (or from Lstat).
func SnapshotOf(fi fs.FileInfo) Snapshot {
	s := Snapshot{Size: fi.Size(), Mode: fi.Mode(), ModTime: fi.ModTime(), UID: -1, GID: -1}
	fillSys(&s, fi)
	return s
}

// sameFile reports whether cur is the same inode as s (when known).
func (s Snapshot) sameFile(cur Snapshot) bool {
	if s.HasSys && cur.HasSys {
		return s.Dev == cur.Dev && s.Ino == cur.Ino
	}
	return true
}

// unchanged reports whether cur describes the same, unmodified regular file
// as s: type, size, mtime, and where known dev, inode, ctime and link count.
func (s Snapshot) unchanged(cur Snapshot) bool {
	if !cur.Mode.IsRegular() || cur.Size != s.Size || !cur.ModTime.Equal(s.ModTime) ||
		cur.Mode != s.Mode || !s.sameFile(cur) {
		return false
	}
	if s.HasSys && cur.HasSys {
		return cur.CTime.Equal(s.CTime) && cur.Nlink == s.Nlink
	}
	return true
}

// atime returns the access time to restore (the mtime when unknown).
func (s Snapshot) atime() time.Time {
	if s.HasSys {
		return s.ATime
	}
	return s.ModTime
}

// nlink returns the link count, 1 when unknown.
func (s Snapshot) nlink() uint64 {
	if s.HasSys {
		return s.Nlink
	}
	return 1
}
