// Package irb classifies Photoshop image resource blocks (Adobe Photoshop
// File Formats Specification, "Image Resource Blocks") and the IPTC-IIM
// records they carry (IPTC IIM 4.2) into photoscrub findings.
//
// PLACEHOLDER: the real implementation is being written.
package irb

import (
	"errors"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// InspectIRB classifies a sequence of 8BIM resource blocks.
func InspectIRB(data []byte, where string, set *meta.Set) error {
	set.Add(meta.Unparsed, where)
	return errors.New("irb: not implemented")
}

// InspectIIM classifies raw IPTC-IIM datasets.
func InspectIIM(data []byte, where string, set *meta.Set) error {
	set.Add(meta.Unparsed, where)
	return errors.New("irb: not implemented")
}
