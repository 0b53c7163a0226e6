package photoscrub_test

import (
	"fmt"
	"strings"

	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/photoscrub"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// A photo taken on a phone held upright, with its GPS position and a
// comment: Inspect names every trace by category, place and tag, never by
// value.
func ExampleInspect() {
	photo, err := testimg.JPEG(testimg.JPEGOptions{Orientation: 6, GPS: true, Comment: true})
	if err != nil {
		panic(err)
	}
	in, err := photoscrub.Inspect(photo)
	if err != nil {
		panic(err)
	}
	fmt.Println("format:", in.Format, "orientation:", in.Orientation)
	for _, f := range in.Findings {
		fmt.Printf("%s at %s: %s\n", f.Category, f.Where, strings.Join(f.Tags, " "))
	}
	// Output:
	// format: jpeg orientation: 6
	// location at APP1 Exif/GPS IFD: GPSAltitude GPSAltitudeRef GPSAreaInformation GPSDateStamp GPSImgDirection GPSImgDirectionRef GPSLatitude GPSLatitudeRef GPSLongitude GPSLongitudeRef GPSProcessingMethod GPSTimeStamp GPSVersionID
	// comment at COM: Comment
}

// Clean rebuilds the file without its metadata, keeping the display
// orientation and the colour profile; the result inspects clean.
func ExampleClean() {
	photo := testimg.PNG(testimg.PNGOptions{Text: true, Time: true, ICC: true, Orientation: 6})
	before, _ := photoscrub.Inspect(photo)
	for _, f := range before.Findings {
		fmt.Printf("before: %s at %s: %s\n", f.Category, f.Where, strings.Join(f.Tags, " "))
	}
	clean, err := photoscrub.Clean(photo, meta.DefaultKeep)
	if err != nil {
		panic(err)
	}
	after, _ := photoscrub.Inspect(clean)
	fmt.Println("after:", len(after.Findings), "findings, orientation", after.Orientation)
	// Output:
	// before: identity at PNG tEXt: Author
	// before: comment at PNG tEXt: Comment
	// before: other at PNG iCCP: profile name
	// before: other at PNG tIME: modification time
	// after: 0 findings, orientation 6
}
