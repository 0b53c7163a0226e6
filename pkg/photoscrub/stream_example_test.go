package photoscrub_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/photoscrub/photoscrub/pkg/meta"
	"github.com/photoscrub/photoscrub/pkg/photoscrub"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// An upload handler that never stores a photo with its GPS position: the
// body is scrubbed on arrival and only the verified clean bytes go on (here
// back to the client; a portal would store them). A photo that cannot be
// cleaned is refused, never passed through.
func ExampleScrub_uploadHandler() {
	upload := func(w http.ResponseWriter, r *http.Request) {
		var clean bytes.Buffer
		res, err := photoscrub.Scrub(r.Context(), r.Body, &clean, photoscrub.Options{
			Keep: meta.DefaultKeep, MaxBytes: 64 << 20,
		})
		switch {
		case errors.Is(err, photoscrub.ErrTooLarge):
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		case errors.Is(err, photoscrub.ErrUnsupported):
			http.Error(w, "unsupported format", http.StatusUnsupportedMediaType)
			return
		case err != nil:
			http.Error(w, "cannot be cleaned", http.StatusUnprocessableEntity)
			return
		}
		w.Header().Set("Content-Type", res.ContentType)
		w.Header().Set("Photoscrub-Status", res.Status)
		w.Write(clean.Bytes()) // store clean.Bytes(), never r.Body
	}
	srv := httptest.NewServer(http.HandlerFunc(upload))
	defer srv.Close()

	photo, _ := testimg.JPEG(testimg.JPEGOptions{GPS: true, Seed: 7})
	resp, err := http.Post(srv.URL, "image/jpeg", bytes.NewReader(photo))
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	after, _ := photoscrub.Inspect(body)
	fmt.Println(resp.StatusCode, resp.Header.Get("Photoscrub-Status"), len(after.Findings), "findings left")

	resp, _ = http.Post(srv.URL, "text/plain", strings.NewReader("not a photo"))
	resp.Body.Close()
	fmt.Println(resp.StatusCode)
	// Output:
	// 200 scrubbed 0 findings left
	// 415
}

// Scrub reports what it removed by category; nothing is written to w when
// the input cannot be cleaned.
func ExampleScrub() {
	photo, _ := testimg.JPEG(testimg.JPEGOptions{GPS: true, Comment: true, Seed: 3})
	var out bytes.Buffer
	res, err := photoscrub.Scrub(context.Background(), bytes.NewReader(photo), &out, photoscrub.Options{Keep: meta.DefaultKeep})
	fmt.Println(res.Status, res.Format, res.Categories(), res.Verified, err)
	out.Reset()
	_, err = photoscrub.Scrub(context.Background(), bytes.NewReader(photo[:len(photo)/2]), &out, photoscrub.Options{Keep: meta.DefaultKeep})
	fmt.Println(errors.Is(err, photoscrub.ErrParse), out.Len())
	_, err = photoscrub.Scrub(context.Background(), bytes.NewReader(photo), &out, photoscrub.Options{MaxBytes: 100})
	fmt.Println(errors.Is(err, photoscrub.ErrTooLarge))
	// Output:
	// scrubbed jpeg [location comment] true <nil>
	// true 0
	// true
}
