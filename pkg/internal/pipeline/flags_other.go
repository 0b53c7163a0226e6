//go:build !unix

package pipeline

import "os"

// readOnlyNoFollow: os.Root refuses to follow links that leave the root;
// these platforms have no O_NOFOLLOW (the FileInfo checks that follow
// refuse anything but a regular file).
const readOnlyNoFollow = os.O_RDONLY
