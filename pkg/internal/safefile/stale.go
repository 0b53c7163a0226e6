package safefile

import (
	"crypto/rand"
	"encoding/hex"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

const (
	tempMarker = ".photoscrub-tmp-"
	tempRandLn = 16  // hex digits
	maxNameLen = 255 // NAME_MAX on Linux and macOS
)

// tempName returns a fresh temp base name ".<base>.photoscrub-tmp-<16 hex>"
// for base, shortening base at a rune boundary to stay within NAME_MAX.
func tempName(base string) string {
	var b [tempRandLn / 2]byte
	rand.Read(b[:]) // never fails (crypto/rand, Go ≥ 1.24)
	room := maxNameLen - 1 - len(tempMarker) - tempRandLn
	if len(base) > room {
		cut := room
		for cut > 0 && !utf8.RuneStart(base[cut]) {
			cut--
		}
		base = base[:cut]
	}
	return "." + base + tempMarker + hex.EncodeToString(b[:])
}

// IsTemp reports whether the base name of name has the exact form of a temp
// file written by this package: ".<base>.photoscrub-tmp-<16 lowercase hex>".
// Walkers use it to skip (and report) such files.
func IsTemp(name string) bool {
	b := filepath.Base(name)
	if len(b) < 1+1+len(tempMarker)+tempRandLn || b[0] != '.' {
		return false
	}
	suffix := b[len(b)-tempRandLn:]
	for i := 0; i < len(suffix); i++ {
		c := suffix[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return strings.HasSuffix(b[:len(b)-tempRandLn], tempMarker)
}

// FindStale lists the temp files (per IsTemp) directly in directory dir of
// fsys, as names relative to the FS root, in directory order. It does not
// recurse; the walker calls it (or IsTemp) per directory.
func FindStale(fsys FS, dir string) ([]string, error) {
	ents, err := fsys.ReadDir(dir)
	if err != nil {
		return nil, newError("read directory", dir, nil, err)
	}
	var out []string
	for _, e := range ents {
		if IsTemp(e.Name()) {
			out = append(out, path.Join(filepath.ToSlash(dir), e.Name()))
		}
	}
	return out, nil
}

// RemoveStale removes the stale temp file name left by a killed run. It
// refuses unless name matches IsTemp and is a regular file, not a symlink
// (else ErrNotRegular), owned by the effective user (else fs.ErrPermission);
// on platforms without owner information it never removes anything.
func RemoveStale(fsys FS, name string) error {
	if !IsTemp(name) {
		return newError("remove stale temp", name, ErrNotRegular, nil)
	}
	fi, err := fsys.Lstat(name)
	if err != nil {
		return newError("remove stale temp", name, nil, err)
	}
	s := SnapshotOf(fi)
	if !fi.Mode().IsRegular() {
		return newError("remove stale temp", name, ErrNotRegular, nil)
	}
	if !s.HasSys || s.UID != currentUID() {
		return newError("remove stale temp", name, nil, fs.ErrPermission)
	}
	if err := fsys.Remove(name); err != nil {
		return newError("remove stale temp", name, nil, err)
	}
	return nil
}

func baseName(name string) string { return filepath.Base(name) }
