package reencode

import (
	"bytes"
	"image"
	"image/draw"
	_ "image/jpeg"
	"os"
	"strconv"
	"testing"

	"github.com/disintegration/imaging"
)

// TestWriteGridHEIC writes, for bench/reencode, a grid HEIC as phones
// make them: the picture PHOTOSCRUB_GRID_SRC (a JPEG) scaled to
// PHOTOSCRUB_GRID_SIZE (default 5712x4284, a 24 MP iPhone photo), cut into
// 512×512 tiles that heif-enc encodes, assembled into one grid item written
// to PHOTOSCRUB_GRID_OUT. It is skipped unless PHOTOSCRUB_GRID_OUT is set
// (and when heif-enc is absent); the written file must plan as a grid and
// its first batch must decode.
func TestWriteGridHEIC(t *testing.T) {
	out, src := os.Getenv("PHOTOSCRUB_GRID_OUT"), os.Getenv("PHOTOSCRUB_GRID_SRC")
	if out == "" || src == "" {
		t.Skip("PHOTOSCRUB_GRID_OUT and PHOTOSCRUB_GRID_SRC not set (bench/reencode sets them)")
	}
	w, h := 5712, 4284
	if s := os.Getenv("PHOTOSCRUB_GRID_SIZE"); s != "" {
		if _, err := fmtSscan(s, &w, &h); err != nil {
			t.Fatalf("PHOTOSCRUB_GRID_SIZE %q: want WxH", s)
		}
	}
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := image.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	full := imaging.Resize(m, w, h, imaging.Linear)
	const tile = 512
	cols, rows := (w+tile-1)/tile, (h+tile-1)/tile
	var pics []image.Image
	for r := range rows {
		for c := range cols {
			q := image.NewNRGBA(image.Rect(0, 0, tile, tile))
			// Tiles past the picture's edge are padded opaque: a
			// transparent pixel would make heif-enc add an alpha image.
			draw.Draw(q, q.Bounds(), image.Black, image.Point{}, draw.Src)
			draw.Draw(q, q.Bounds(), full, image.Pt(c*tile, r*tile), draw.Over)
			pics = append(pics, q)
		}
	}
	tiles, hvcC, ispe, colr := heifEncTiles(t, pics, "80")
	var props [][]byte
	if colr != nil {
		props = append(props, colr)
	}
	file := gridFile(gridSpec{hvcC: hvcC, tileISPE: ispe, tiles: tiles, rows: rows, cols: cols, outW: w, outH: h, gridProps: props})
	if _, err := planHEIFGrid(file); err != nil {
		t.Fatalf("the written grid does not plan: %v", err)
	}
	if err := os.WriteFile(out, file, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %dx%d grid of %d×%d tiles, %d bytes", out, w, h, cols, rows, len(file))
}

// fmtSscan parses "WxH".
func fmtSscan(s string, w, h *int) (int, error) {
	a, b, ok := bytes.Cut([]byte(s), []byte("x"))
	if !ok {
		return 0, strconv.ErrSyntax
	}
	var err error
	if *w, err = strconv.Atoi(string(a)); err != nil || *w < 1 {
		return 0, strconv.ErrSyntax
	}
	if *h, err = strconv.Atoi(string(b)); err != nil || *h < 1 {
		return 0, strconv.ErrSyntax
	}
	return 2, nil
}
