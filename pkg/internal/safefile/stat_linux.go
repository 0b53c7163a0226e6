//go:build linux

package safefile

import (
	"io/fs"
	"syscall"
	"time"
)

func fillSys(s *Snapshot, fi fs.FileInfo) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return
	}
	s.HasSys = true
	s.ATime = time.Unix(int64(st.Atim.Sec), int64(st.Atim.Nsec))
	s.CTime = time.Unix(int64(st.Ctim.Sec), int64(st.Ctim.Nsec))
	s.UID, s.GID = int(st.Uid), int(st.Gid)
	s.Dev, s.Ino, s.Nlink = uint64(st.Dev), uint64(st.Ino), uint64(st.Nlink)
}
