package icc_test

import (
	"fmt"

	"github.com/photoscrub/photoscrub/pkg/internal/icc"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// A format package parses the profile once, reports it under the place it
// was found, and writes the rebuilt profile into its output; a profile
// that does not parse is reported and dropped.
func Example() {
	var stored []byte // e.g. the APP2 ICC_PROFILE chunks, concatenated
	var set meta.Set
	p, err := icc.Parse(stored)
	if err != nil {
		set.Add(meta.Unparsed, "APP2 ICC profile")
		fmt.Println(set.List())
		return
	}
	if !p.Report("APP2", &set) {
		fmt.Println("profile findings:", set.List())
	}
	_ = p.Rebuild() // what the output carries
	// Output: [{unparsed APP2 ICC profile []}]
}
