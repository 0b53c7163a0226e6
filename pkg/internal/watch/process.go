package watch

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"time"

	"github.com/photoscrub/photoscrub/pkg/photoscrub"
	"github.com/photoscrub/photoscrub/pkg/report"
)

// process cleans one settled file. Its error is fatal (the report).
func (w *watcher) process(ctx context.Context, rel string) error {
	start := time.Now()
	rec := report.File{Path: rel, Format: "unknown", Verification: report.VerifyNotRun}
	f, err := w.drop.OpenFile(rel, readOnlyNoFollow, 0)
	if err != nil {
		return nil // gone, or a link: nothing to do
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil
	}
	before := snapOf(fi, start)
	var data []byte
	if fi.Size() > w.cfg.MaxFileSize {
		rec.SizeBefore = fi.Size()
		f.Close()
		rec.Status, rec.Reason, rec.Error = report.StatusSkipped, report.ReasonTooLarge,
			fmt.Sprintf("larger than --max-file-size (%d bytes); moved to the quarantine", w.cfg.MaxFileSize)
		return w.quarantineFile(rel, nil, before, &rec, start)
	}
	data, err = io.ReadAll(io.LimitReader(f, w.cfg.MaxFileSize+1))
	f.Close()
	if err != nil {
		return nil // retried at the next rescan
	}
	rec.SizeBefore = int64(len(data))
	res, out, err := photoscrub.ScrubBytes(ctx, data, w.cfg.Options)
	rec.Format, rec.Findings, rec.SHA256Before, rec.Warnings, rec.Method = res.Format, res.Findings, res.SHA256In, res.Warnings, res.Method
	if rec.Format == "" {
		rec.Format = "unknown"
	}
	if err != nil {
		// A file that stopped changing may still be written to (a client
		// that pauses): a failure is confirmed once, a settle time later,
		// before the file is quarantined.
		w.mu.Lock()
		prev, seen := w.failures[rel]
		w.failures[rel] = before
		w.mu.Unlock()
		if !seen || !prev.same(before) {
			go func() {
				time.Sleep(w.cfg.Settle)
				w.mark(rel)
			}()
			return nil
		}
		w.mu.Lock()
		delete(w.failures, rel)
		w.mu.Unlock()
		classify(&rec, err)
		return w.quarantineFile(rel, data, before, &rec, start)
	}
	w.mu.Lock()
	delete(w.failures, rel)
	w.mu.Unlock()
	if res.Verified {
		rec.Verification = report.VerifyPassed
	}
	rec.Removed = res.Removed
	rec.SizeAfter, rec.SHA256After = res.SizeOut, res.SHA256Out
	rec.Status = report.StatusClean
	if res.Status == "scrubbed" {
		rec.Status = report.StatusScrubbed
	}
	name, err := commit(w.out, rel, out, 0o644)
	if err != nil {
		w.log.Error("cannot write the clean copy; the original stays in the drop folder", "path", rel, "error", cause(err))
		return nil
	}
	if name != rel {
		rec.Warnings = append(rec.Warnings, "an output of the same name exists; written as "+name)
	}
	if !w.unchanged(rel, before) {
		// Rewritten while we cleaned it: the copy we wrote is of the
		// earlier content; the new content is processed again.
		rec.Warnings = append(rec.Warnings, "the original changed while it was cleaned; left in the drop folder")
		return w.record(&rec, start, rel)
	}
	if w.cfg.KeepOriginals {
		if _, err := commit(w.quar, rel, data, 0o600); err != nil {
			w.log.Error("cannot keep the original in the quarantine; it stays in the drop folder", "path", rel, "error", cause(err))
			rec.Warnings = append(rec.Warnings, "original could not be moved to the quarantine; left in the drop folder")
			return w.record(&rec, start, rel)
		}
		rec.Warnings = append(rec.Warnings, "original kept in the quarantine")
	}
	if err := w.record(&rec, start, rel); err != nil {
		return err
	}
	return w.removeOriginal(rel)
}

func classify(rec *report.File, err error) {
	switch {
	case errors.Is(err, photoscrub.ErrUnsupported):
		rec.Status, rec.Reason = report.StatusUnsupported, report.ReasonUnsupportedFormat
		rec.Error = "this format or variant cannot be cleaned"
		if rec.Format == "unknown" || rec.Format == "empty" {
			rec.Reason, rec.Error = report.ReasonNotImage, "content is not a recognised image format"
		}
	case errors.Is(err, photoscrub.ErrVerify):
		rec.Status, rec.Reason, rec.Verification = report.StatusFailed, report.ReasonVerify, report.VerifyFailed
		rec.Error = "output failed verification and was not written"
	case errors.Is(err, photoscrub.ErrDecode):
		rec.Status, rec.Reason, rec.Error = report.StatusFailed, report.ReasonDecode, "image data does not decode"
	case errors.Is(err, photoscrub.ErrLimit):
		rec.Status, rec.Reason, rec.Error = report.StatusFailed, report.ReasonTooLarge, "image exceeds the pixel or memory limit"
	default:
		rec.Status, rec.Reason, rec.Error = report.StatusFailed, report.ReasonParse, fmt.Sprintf("cannot parse the %s structure", rec.Format)
	}
	if rec.Reason == report.ReasonNotImage {
		rec.Status = report.StatusSkipped
	}
	rec.Error += "; moved to the quarantine"
}

// quarantineFile moves a file that cannot be cleaned into the quarantine,
// records it, and removes it from the drop folder.
func (w *watcher) quarantineFile(rel string, data []byte, before snap, rec *report.File, start time.Time) error {
	if data == nil {
		var err error
		if data, err = w.drop.ReadFile(rel); err != nil {
			return nil
		}
	}
	if _, err := commit(w.quar, rel, data, 0o600); err != nil {
		w.log.Error("cannot move a file to the quarantine; it stays in the drop folder", "path", rel, "error", cause(err))
		return nil
	}
	if !w.unchanged(rel, before) {
		rec.Warnings = append(rec.Warnings, "the original changed meanwhile; left in the drop folder")
		return w.record(rec, start, rel)
	}
	if err := w.record(rec, start, rel); err != nil {
		return err
	}
	return w.removeOriginal(rel)
}

func (w *watcher) unchanged(rel string, before snap) bool {
	fi, err := w.drop.Lstat(rel)
	return err == nil && before.same(snapOf(fi, before.taken))
}

func (w *watcher) record(rec *report.File, start time.Time, rel string) error {
	rec.DurationMS = float64(time.Since(start).Microseconds()) / 1000
	w.log.Info("file", "path", rel, "status", string(rec.Status), "reason", string(rec.Reason), "format", rec.Format,
		"categories", categoryNames(rec), "duration_ms", rec.DurationMS)
	if w.cfg.Report == nil {
		return nil
	}
	if err := w.cfg.Report.WriteFileSync(rec); err != nil {
		w.log.Error("report not writable; stopping (the original stays in the drop folder)", "path", rel)
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

func categoryNames(rec *report.File) string {
	var out []string
	seen := map[string]bool{}
	for _, f := range rec.Findings {
		if !seen[string(f.Category)] {
			seen[string(f.Category)] = true
			out = append(out, string(f.Category))
		}
	}
	return strings.Join(out, ",")
}

// removeOriginal removes rel from the drop folder and syncs its directory.
func (w *watcher) removeOriginal(rel string) error {
	if err := w.drop.Remove(rel); err != nil && !errors.Is(err, fs.ErrNotExist) {
		w.log.Error("cannot remove the original from the drop folder", "path", rel, "error", cause(err))
		return nil
	}
	syncDir(w.drop, path.Dir(rel))
	return nil
}

// commit writes data at rel under root durably: a temp file in the same
// directory, fsync, rename without replacing, fsync of the directory. When
// rel exists with the same bytes (a restart after a crash), nothing is
// written; with other bytes, the first free "name-N.ext" is used. It
// returns the name written.
func commit(root *os.Root, rel string, data []byte, perm os.FileMode) (string, error) {
	dir := path.Dir(rel)
	if err := root.MkdirAll(dir, 0o755|perm&0o700); err != nil {
		return "", err
	}
	ext := path.Ext(rel)
	stem := strings.TrimSuffix(rel, ext)
	for n := 0; n < 1000; n++ {
		name := rel
		if n > 0 {
			name = fmt.Sprintf("%s-%d%s", stem, n, ext)
		}
		if old, err := root.ReadFile(name); err == nil {
			if bytes.Equal(old, data) {
				return name, nil
			}
			continue
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		var rb [8]byte
		rand.Read(rb[:])
		tmp := path.Join(dir, ".photoscrub-"+hex.EncodeToString(rb[:])+".tmp")
		f, err := root.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, perm)
		if err != nil {
			return "", err
		}
		_, werr := f.Write(data)
		if werr == nil {
			werr = f.Sync()
		}
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			root.Remove(tmp)
			return "", werr
		}
		// Link, not rename: it never replaces a file that appeared meanwhile.
		if err := root.Link(tmp, name); err != nil {
			if errors.Is(err, fs.ErrExist) {
				root.Remove(tmp)
				continue
			}
			// File systems without hard links: rename, after checking
			// the name is still free.
			if _, serr := root.Lstat(name); !errors.Is(serr, fs.ErrNotExist) {
				root.Remove(tmp)
				continue
			}
			if err := root.Rename(tmp, name); err != nil {
				root.Remove(tmp)
				return "", err
			}
		} else {
			root.Remove(tmp)
		}
		syncDir(root, dir)
		return name, nil
	}
	return "", errors.New("too many outputs of the same name")
}

func syncDir(root *os.Root, dir string) {
	if d, err := root.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// cause is the OS reason of err, without the path (paths are fine in the
// log, but the OS wording is enough).
func cause(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err.Error()
	}
	return "i/o error"
}
