// Package safefile commits rewritten photo files so that a failure at any
// step leaves either the untouched original or the complete new file in
// place, never a partial file.
//
// It implements the per-file commit protocol of photoscrub's hazards notes
// (§4.1 "The commit protocol", modelled on ExifTool's SetImageInfo write path,
// restic's restorer and google/renameio):
//
//  1. check free space (Statfs ≥ len(data) + Committer.Margin);
//  2. create a temp file in the SAME directory with O_CREATE|O_EXCL|O_WRONLY,
//     mode 0600 and a hidden random name ".<base>.photoscrub-tmp-<16 hex>";
//  3. write all bytes, then on the open handle: chown (a refused chown is a
//     warning), user.* xattrs (optional, Linux), chmod LAST (chown may clear
//     setuid/setgid), fsync, close (both errors checked);
//  4. copy the original's atime/mtime onto the temp;
//  5. re-check the original (Lstat: type, size, mtime, ctime, dev, inode,
//     link count) and abort with ErrChanged if anything moved;
//  6. rename the temp over the original (the atomic commit point);
//  7. fsync the directory.
//
// On any failure before step 6 the temp is removed and the original is
// byte-identical. After step 6 there is nothing to undo: a failing directory
// fsync is reported as the warning "directory not synced", not as an error,
// because the new content is already visible under the original name and
// reporting the file as failed would be false.
//
// Files with several hard links are refused (ErrHardlinked) unless
// Committer.Hardlinks is Rewrite, which follows ExifTool's
// -overwrite_original_in_place: a complete temp is written and fsynced first,
// then the original inode is overwritten and truncated, and the temp is only
// removed once the overwrite is fsynced. If the overwrite fails the temp is
// kept and the error (ErrOverwriteFailed) names it.
//
// ENOSPC and EDQUOT at any step yield an error wrapping ErrNoSpace: the caller
// should stop the run.
//
// Every path handed to an FS is relative to its root (filepath.IsLocal);
// RootFS confines all operations to an *os.Root, and each one to a handle on
// the directory it works in (dircache.go), so that a path is not resolved
// again for every step of a commit. Error strings name only the
// base name of the file concerned and fixed wording; underlying *fs.PathError
// and *os.LinkError wrappers are removed so that no directory names leak,
// while errors.Is on the errno still works.
//
// Supported platforms are Linux and macOS. Other platforms (Windows) build and
// are best-effort: there is no owner, ctime, inode or free-space information,
// directory fsync is a no-op and stale temps are never removed automatically.
package safefile
