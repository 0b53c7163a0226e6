// Package xmp classifies XMP packets (ISO 16684-1) into photoscrub findings.
//
// PLACEHOLDER: the real implementation is being written.
package xmp

import (
	"errors"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Inspect classifies the XMP packet and adds its findings to set under where.
// Any packet yields at least one finding. A non-nil error means the packet
// could not be fully parsed; an Unparsed finding has then been added.
func Inspect(packet []byte, where string, set *meta.Set) error {
	set.Add(meta.Unparsed, where)
	return errors.New("xmp: not implemented")
}
