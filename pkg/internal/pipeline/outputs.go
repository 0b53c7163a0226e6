package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"

	"github.com/photoscrub/photoscrub/pkg/internal/safefile"
)

// errUpToDate says that the output under --out already holds exactly the
// bytes this run would write: a re-run is a no-op for that file.
var errUpToDate = errors.New("output already up to date")

// commitOut writes a file's output under --out, idempotently: a new name is
// created as before; an existing output with the same bytes is left alone
// (errUpToDate, recorded clean); a differing one is refused (ErrExists)
// unless Config.Overwrite, which replaces it atomically, keeping the
// input's modification time.
//
// With group commit (Config.batched) a new name is staged: the returned
// Staged is finished by the committer with its batch. An output that exists
// already takes the per-file path below.
func (p *proc) commitOut(r *Result, name string, out []byte, snap safefile.Snapshot) (safefile.Result, *safefile.Staged, error) {
	r.Output = filepath.ToSlash(name)
	var res safefile.Result
	var err error
	if p.cfg.batched() {
		var st *safefile.Staged
		st, err = p.out.StageCreate(name, out, snap)
		if err == nil {
			return res, st, nil
		}
	} else {
		res, err = p.out.Create(name, out, snap)
	}
	if !errors.Is(err, safefile.ErrExists) {
		return res, nil, err
	}
	same, cur, cerr := p.sameOutput(name, out)
	switch {
	case cerr != nil:
		return res, nil, err // cannot tell: refuse, as before
	case same:
		return safefile.Result{}, nil, errUpToDate
	case !p.cfg.Overwrite:
		return res, nil, err
	}
	res, err = p.outReplace.Replace(name, out, safefile.SnapshotOf(cur))
	if err != nil {
		return res, nil, err
	}
	if terr := p.out.FS.Chtimes(name, snap.ModTime, snap.ModTime); terr != nil {
		res.Warnings = append(res.Warnings, safefile.WarnMtime)
	}
	res.Warnings = append(res.Warnings, "replaced a different existing output (--overwrite)")
	return res, nil, nil
}

// sameOutput reports whether the regular file name under --out holds
// exactly want, and returns its FileInfo.
func (p *proc) sameOutput(name string, want []byte) (bool, os.FileInfo, error) {
	f, err := p.outRoot.OpenFile(name, readOnlyNoFollow, 0)
	if err != nil {
		return false, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return false, nil, err
	}
	if !fi.Mode().IsRegular() {
		return false, nil, errors.New("not a regular file")
	}
	if fi.Size() != int64(len(want)) {
		return false, fi, nil
	}
	got := make([]byte, len(want)+1)
	n, err := io.ReadFull(f, got)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return false, nil, err
	}
	return bytes.Equal(got[:n], want), fi, nil
}

// mustStop says why the run must stop after r ("" to go on): a full disk;
// a read-only file system; or, under --out, a permission refusal before
// any output was written (every later file would fail the same way).
func (p *proc) mustStop(r *Result, wrote int64) string {
	if r == nil {
		return ""
	}
	where := "the input"
	switch {
	case p.cfg.OutDir != "" && !p.cfg.InPlace:
		where = "the output directory " + p.cfg.OutDir
	case r.Root >= 0 && r.Root < len(p.cfg.Roots):
		where = p.cfg.Roots[r.Root]
	}
	switch {
	case r.Reason == ReasonNoSpace:
		return "no space left on device in " + where
	case r.cause == syscall.EROFS.Error():
		return fmt.Sprintf("cannot write to %s: %s", where, r.cause)
	case r.Reason == ReasonPermission && r.Output != "" && wrote == 0:
		return fmt.Sprintf("cannot write to %s: %s; no output was written", where, r.cause)
	}
	return ""
}

// ioError classifies a read-side failure with its OS reason.
func ioError(what string, err error) error {
	cause := causeOf(err)
	if errors.Is(err, os.ErrPermission) {
		return &readError{ReasonPermission, what + ": " + cause}
	}
	if cause == "" {
		return &readError{ReasonIO, what}
	}
	return &readError{ReasonIO, what + ": " + cause}
}

// causeOf is safefile.Cause with a fallback wording.
func causeOf(err error) string {
	if c := safefile.Cause(err); c != "" {
		return c
	}
	return "input/output error"
}
