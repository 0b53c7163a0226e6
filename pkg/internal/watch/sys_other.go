//go:build !unix

package watch

import "os"

// readOnlyNoFollow: these platforms have no O_NOFOLLOW; os.Root keeps the
// open inside the drop folder and process refuses anything but a regular
// file.
const readOnlyNoFollow = os.O_RDONLY

// inodeOf returns 0: no inode number here (size and time still settle a
// file).
func inodeOf(fi os.FileInfo) uint64 { return 0 }
