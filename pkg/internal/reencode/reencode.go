// Package reencode scrubs a photo by decoding its pixels and encoding them
// again with no metadata but the rebuilt ICC profile. EXIF orientation is
// applied to the pixels, the image is optionally fitted within a maximum
// dimension (--max-dimension) or covered and centre-cropped to an exact
// size (--fit), and the output is written in the input's format when an
// encoder exists, or in Options.Format.
//
// Codecs: JPEG, PNG, GIF and TIFF by Go (image/*, golang.org/x/image/tiff,
// plus this package's own readers for BigTIFF and JPEG-compressed TIFF);
// WebP, HEIF/HEIC and AVIF by libwebp, libheif/libde265 and libavif compiled
// to WebAssembly and run by wazero (github.com/gen2brain/{webp,heic,avif}):
// no cgo, one static binary. Each WebAssembly module is compiled once per
// process (on first use) and instantiated per call. There is no HEVC
// encoder: a HEIF input without Options.Format returns ErrNoEncoder, and the
// caller falls back to the verified lossless rebuild.
//
// Speed: a JPEG that is neither resized nor converted keeps its YCbCr
// planes end to end (decode to planes, orientation by moving plane samples,
// encode from planes), with no RGBA round trip.
//
// Memory: a grid HEIF (phone photos) is decoded a few tiles per
// WebAssembly call into one Go image (heifgrid.go), so its peak is that
// image plus one batch, and the file's deadline is checked between
// batches; other HEIFs are decoded whole, at about 40 bytes a pixel.
//
// Decompression bombs are refused before decoding: the format's own
// header gives the dimensions, which must fit the pixel limit, and the
// decode waits on a weighted semaphore shared by all workers for its share
// of the memory budget.
package reencode

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"strings"

	"github.com/disintegration/imaging"
	"golang.org/x/sync/semaphore"

	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/internal/jpegtran"
)

// Errors returned by Reencode.
var (
	ErrUnsupported = errors.New("re-encode not supported for this format")
	ErrTooLarge    = errors.New("image exceeds the pixel or memory limit")
	ErrDecode      = errors.New("image data does not decode")
	// ErrNoEncoder: the input decodes but its format has no encoder
	// (HEIF: no HEVC encoder) and no output format was chosen.
	ErrNoEncoder = errors.New("no encoder for this format")
)

// FrameError refuses an input with several frames (animated GIF or WebP,
// AVIF sequence) whose re-encode would keep one: the lossless rebuild
// keeps them all, and the pipeline falls back to it. It wraps
// ErrUnsupported.
type FrameError struct{ What string }

func (e *FrameError) Error() string {
	return ErrUnsupported.Error() + ": " + e.What + "; use --mode lossless"
}

func (e *FrameError) Unwrap() error { return ErrUnsupported }

// bytesPerPixel estimates the peak memory of one decode by Go: the
// decoded image, the decoder's own buffers and the transformed copy.
const bytesPerPixel = 4 * 3

// wasmBytesPerPixel is the same for a WebAssembly codec: the module's
// linear memory (a Go slice grown by appending) holds the coded input, the
// codec's frame buffers and its output, then Go copies the output out.
// Measured peak RSS of one whole-image HEIC decode and JPEG encode, less
// the 64 MB of a process that decodes a tiny one: 185 MB for 12 MP, 413
// MB for 24.5 MP, 311 MB for a 16 MP HDR HEIF, 1.6 GB for a 50 MP 10-bit
// HEIF (15 to 33 bytes a pixel). A grid HEIF decoded tile by tile
// (heifgrid.go) costs a Go decode's bytesPerPixel plus one batch of tiles.
const wasmBytesPerPixel = 40

// avifEncBytesPerPixel and webpEncBytesPerPixel are the WebAssembly
// encoders' share: measured peak RSS of a 6.5 MP HEIC (decoded tile by
// tile) written as AVIF 556 MB, as WebP 266 MB, as JPEG 82 MB.
const (
	avifEncBytesPerPixel = 80
	webpEncBytesPerPixel = 32
	// webpLosslessEncBytesPerPixel: a lossless WebP (VP8L, decoded in Go
	// to its exact pixels) re-encoded losslessly, 1,440×900: peak RSS
	// 254-287 MB, 64 MB of it the process (about 170 bytes a pixel over
	// the Go decode's bytesPerPixel).
	webpLosslessEncBytesPerPixel = 170
)

// HardMaxBytes is the most decoded-pixel memory one image may need
// whatever the options say (about 350 MP): a decompression bomb must be
// refused before its first allocation, and Go cannot recover from running
// out of memory.
const HardMaxBytes = 4 << 30

// Options configure a re-encode.
type Options struct {
	Quality      int   // JPEG, WebP and AVIF quality 1..100 (0: 92)
	MaxDimension int   // fit within N×N; 0 = keep size
	MaxPixels    int64 // refuse images with more pixels
	Orientation  int   // EXIF orientation to apply (0/1 = none)
	// Fit, when both are positive, scales the (oriented) image to cover
	// Fit.X×Fit.Y and crops the centre to exactly that size. It wins over
	// MaxDimension.
	Fit image.Point
	// Coefficients takes, for JPEG to JPEG with no resize, the
	// coefficient-domain path (package jpegtran): the quantized DCT
	// coefficients are kept, turned by the orientation when the size
	// allows, and every coded byte is regenerated with optimised Huffman
	// tables; Quality does not apply. Variants it cannot take (progressive,
	// arithmetic, a turn across a partial MCU) use the pixel path, with a
	// warning.
	Coefficients bool
	// Format is the output format (JPEG, PNG, WebP or AVIF; GIF and TIFF
	// too); Unknown or "" keeps the input's format.
	Format format.Format
	// Budget is shared by all workers; its weight is bytes. Nil: no budget.
	Budget *semaphore.Weighted
	// BudgetBytes is the total size of Budget. An image that needs more
	// than the whole budget waits until it can take all of it, so it runs
	// alone; MaxBytes, not the budget, refuses images.
	BudgetBytes int64
	// MaxBytes refuses images whose decode would need more memory than
	// this (0: HardMaxBytes).
	MaxBytes int64
	// ICC is the colour profile to embed (already rebuilt by the icc
	// package from the original's profile, never the original's bytes);
	// nil embeds none.
	ICC []byte
}

// Result is a re-encoded file.
type Result struct {
	Data     []byte
	Format   format.Format // the output's format
	Warnings []string
	// ICCKept tells whether Options.ICC was embedded (JPEG, PNG, WebP
	// and AVIF outputs can; TIFF and GIF ones cannot, and then say so in
	// a warning).
	ICCKept bool
	// Path names the route taken: "coefficients" (JPEG DCT coefficients,
	// package jpegtran), "ycbcr" (JPEG planes end to end) or "rgba"
	// (decode to pixels, transform, encode).
	Path string
}

// CanEncode reports whether Reencode can write format f.
func CanEncode(f format.Format) bool {
	switch f {
	case format.JPEG, format.PNG, format.GIF, format.TIFF, format.WebP, format.AVIF:
		return true
	}
	return false
}

// CanDecode reports whether Reencode can read format f.
func CanDecode(f format.Format) bool {
	return CanEncode(f) || f == format.HEIF
}

// OutputFormat is the format Reencode writes for input f with option
// target, and false when there is none (no encoder, no target).
func OutputFormat(f, target format.Format) (format.Format, bool) {
	if target != "" && target != format.Unknown {
		return target, CanEncode(target)
	}
	return f, CanEncode(f)
}

// Reencode decodes data (of format f), applies orientation and resizing and
// encodes it again with no metadata but the ICC profile.
func Reencode(ctx context.Context, f format.Format, data []byte, o Options) (Result, error) {
	var res Result
	if !CanDecode(f) {
		return res, fmt.Errorf("%w: %s", ErrUnsupported, f)
	}
	out, ok := OutputFormat(f, o.Format)
	if !ok {
		if o.Format != "" && o.Format != format.Unknown {
			return res, fmt.Errorf("%w: cannot write %s", ErrUnsupported, o.Format)
		}
		return res, fmt.Errorf("%w: %s", ErrNoEncoder, f)
	}
	res.Format = out
	var doc *heifDoc // the item structure of a HEIF, parsed once
	if f == format.HEIF {
		doc, _ = parseHEIF(data)
		if heifTransformed(doc, data) {
			o.Orientation = 1 // libheif (or the tile route) applies irot/imir
		}
	}
	if err := refuseMultiFrame(f, data); err != nil {
		return res, err
	}
	cfg, err := decodeConfig(f, data)
	if err != nil {
		return res, err
	}
	px := int64(cfg.Width) * int64(cfg.Height)
	var pages []tiffPage
	if f == format.TIFF {
		// Every page of the main chain is re-encoded; reduced-resolution
		// copies (thumbnails) are dropped, as they may show what a crop
		// removed.
		all, err := tiffChain(data)
		if err != nil {
			return res, fmt.Errorf("%w: header", ErrDecode)
		}
		for i, p := range all {
			if i == 0 || !p.reduced {
				pages = append(pages, p)
			}
		}
		if n := len(all) - len(pages); n > 0 {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%d reduced-resolution page(s) (thumbnails) dropped", n))
		}
		if len(pages) > 1 && out != format.TIFF {
			return res, fmt.Errorf("%w: multi-page TIFF (%d pages) cannot be written as one %s image; omit --format or use --mode lossless", ErrUnsupported, len(pages), out)
		}
		px = max(px, tiffPixels(pages))
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return res, fmt.Errorf("%w: zero dimension", ErrDecode)
	}
	if f == format.HEIF && cfg.Width < heifMinWidth {
		return res, fmt.Errorf("%w: HEIF narrower than %d pixels (the bundled decoder misreads the chroma of narrow images)", ErrUnsupported, heifMinWidth)
	}
	if o.MaxPixels > 0 && px > o.MaxPixels {
		return res, fmt.Errorf("%w: %d×%d is over %d pixels", ErrTooLarge, cfg.Width, cfg.Height, o.MaxPixels)
	}
	per := int64(bytesPerPixel)
	var grid *heifGrid
	if doc != nil {
		if g, err := doc.planGrid(); err == nil && int64(g.outW)*int64(g.outH) <= px {
			grid = g
		}
	}
	if wasmCodec(f) && grid == nil && f != format.WebP {
		per = wasmBytesPerPixel // WebP decodes in Go (codecDecode)
	}
	switch out {
	case format.AVIF:
		per += avifEncBytesPerPixel
	case format.WebP:
		per += webpEncBytesPerPixel
		if f == format.WebP && webpLossless(data) {
			per += webpLosslessEncBytesPerPixel - webpEncBytesPerPixel
		}
	}
	weight := px * per
	if grid != nil {
		weight += grid.batchPeak() // one batch's module at a time
	}
	maxBytes := o.MaxBytes
	if maxBytes <= 0 || maxBytes > HardMaxBytes {
		maxBytes = HardMaxBytes
	}
	if wasmCodec(f) || wasmCodec(out) {
		// The WebAssembly codecs' extra buffers are ours to bound, not
		// the user's pixel limit: compare the Go share only.
		if px*bytesPerPixel > maxBytes || weight > HardMaxBytes {
			return res, fmt.Errorf("%w: needs %d MiB, limit is %d MiB", ErrTooLarge, weight>>20, maxBytes>>20)
		}
	} else if weight > maxBytes {
		return res, fmt.Errorf("%w: needs %d MiB, limit is %d MiB", ErrTooLarge, weight>>20, maxBytes>>20)
	}
	if o.Budget != nil {
		if o.BudgetBytes > 0 && weight > o.BudgetBytes {
			weight = o.BudgetBytes // run alone
		}
		if err := o.Budget.Acquire(ctx, weight); err != nil {
			return res, err
		}
		defer o.Budget.Release(weight)
	}
	switch cfg.ColorModel {
	case color.RGBA64Model, color.NRGBA64Model, color.Gray16Model:
		res.Warnings = append(res.Warnings, "16-bit samples reduced to 8-bit")
	}
	q := o.Quality
	if q < 1 || q > 100 {
		q = 92
	}
	if f == format.JPEG && out == format.JPEG && o.Coefficients && !resized(cfg, o) {
		t, err := jpegtran.Transcode(data, o.Orientation)
		if err == nil {
			res.Data, res.Path = t, "coefficients"
			if o.ICC != nil {
				res.Data, res.ICCKept = withJPEGICC(res.Data, o.ICC), true
			}
			return res, nil
		}
		msg := "coefficient path not taken: malformed entropy-coded data"
		if errors.Is(err, jpegtran.ErrUnsupported) {
			msg = "coefficient path not taken: " + strings.TrimPrefix(err.Error(), jpegtran.ErrUnsupported.Error()+": ")
		}
		res.Warnings = append(res.Warnings, msg+"; pixels re-encoded at --quality")
	}
	var img image.Image
	if len(pages) > 0 {
		imgs := make([]image.Image, 0, len(pages))
		for i, p := range pages {
			m, err := decodePage(data, p, i == 0)
			if err != nil && i > 0 && !errors.Is(err, ErrUnsupported) {
				// A later IFD that is no decodable image (missing
				// dimensions, no strips): not a page to keep.
				res.Warnings = append(res.Warnings, fmt.Sprintf("IFD %d is not a decodable image: dropped", i+1))
				continue
			}
			if err != nil {
				return res, decodeErr(err)
			}
			po := o
			if i > 0 {
				po.Orientation = p.orientation
			}
			var t image.Image
			t, res.Path = transform(m, po, out)
			imgs = append(imgs, t)
			if err := ctx.Err(); err != nil {
				return res, err
			}
		}
		if out == format.TIFF {
			res.Data = encodeTIFFPages(imgs, o.ICC)
			res.ICCKept = o.ICC != nil
			return res, nil
		}
		img = imgs[0]
	} else {
		var m image.Image
		if f == format.HEIF {
			m, err = decodeHEIF(ctx, data, grid)
		} else {
			m, err = decode(f, data)
		}
		if err != nil {
			return res, err
		}
		if err := ctx.Err(); err != nil {
			return res, err
		}
		img, res.Path = transform(m, o, out)
		if f == format.JPEG {
			// The decoded planes go back to jpegtran's pool when this
			// returns: nothing returned refers to them.
			defer jpegtran.Release(m)
		}
	}
	res.Data, err = encode(out, img, q, f == format.WebP && webpLossless(data))
	if err != nil {
		return res, err
	}
	switch {
	case o.ICC == nil:
	case out == format.JPEG:
		res.Data, res.ICCKept = withJPEGICC(res.Data, o.ICC), true
	case out == format.PNG:
		res.Data, res.ICCKept = withPNGICC(res.Data, o.ICC), true
	case out == format.WebP:
		res.Data, res.ICCKept = withWebPICC(res.Data, o.ICC, img.Bounds().Size(), !opaque(img))
	case out == format.AVIF:
		res.Data, res.ICCKept = withAVIFICC(res.Data, o.ICC)
	}
	if o.ICC != nil && !res.ICCKept {
		res.Warnings = append(res.Warnings, fmt.Sprintf("colour profile not kept: the %s encoder cannot embed one", out))
	}
	return res, nil
}

// resized reports whether --fit or --max-dimension changes the size of an
// image of cfg's size.
func resized(cfg image.Config, o Options) bool {
	if o.Fit.X > 0 && o.Fit.Y > 0 {
		return true
	}
	return o.MaxDimension > 0 && (cfg.Width > o.MaxDimension || cfg.Height > o.MaxDimension)
}

// transform applies orientation, then --fit or --max-dimension, and
// prepares img for the encoder of format out. JPEG to JPEG without resize
// stays in YCbCr planes.
func transform(img image.Image, o Options, out format.Format) (image.Image, string) {
	resize := o.Fit.X > 0 && o.Fit.Y > 0
	if !resize && o.MaxDimension > 0 {
		b := img.Bounds()
		w, h := b.Dx(), b.Dy()
		resize = w > o.MaxDimension || h > o.MaxDimension
	}
	if yc, ok := img.(*image.YCbCr); ok && !resize && out == format.JPEG {
		if r, ok := orientYCbCr(yc, o.Orientation); ok {
			return r, "ycbcr"
		}
	}
	img = orient(img, o.Orientation)
	switch {
	case o.Fit.X > 0 && o.Fit.Y > 0:
		img = imaging.Fill(img, o.Fit.X, o.Fit.Y, imaging.Center, imaging.Lanczos)
	case o.MaxDimension > 0:
		n := o.MaxDimension
		b := img.Bounds()
		if b.Dx() > n || b.Dy() > n {
			img = imaging.Fit(img, n, n, imaging.Lanczos)
		}
	}
	if out == format.JPEG && !opaque(img) {
		img = flatten(img) // JPEG has no alpha: composite on white
	}
	return img, "rgba"
}

func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// flatten composites img over white.
func flatten(img image.Image) image.Image {
	b := img.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(dst, dst.Bounds(), img, b.Min, draw.Over)
	return dst
}
