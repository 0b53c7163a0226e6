// Package reencode scrubs a photo by decoding its pixels and encoding them
// again with no metadata at all (Go's encoders write none), through
// github.com/disintegration/imaging. EXIF orientation is applied to the
// pixels, the image is optionally fitted within a maximum dimension, and the
// ICC profile of a JPEG or PNG is embedded again (ICC.1 Annex B for JPEG
// APP2, PNG 3rd ed. iCCP). JPEG stays JPEG, PNG stays PNG, GIF stays GIF and
// TIFF stays TIFF; WebP, HEIF and AVIF cannot be encoded by Go and are
// refused as unsupported for this mode.
//
// Decompression bombs are refused before decoding: the format's own
// DecodeConfig gives the dimensions, which must fit the pixel limit, and the
// decode waits on a weighted semaphore shared by all workers for its share
// of the memory budget.
package reencode

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"github.com/disintegration/imaging"
	"golang.org/x/image/tiff"
	"golang.org/x/sync/semaphore"

	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/internal/gifext"
)

// Errors returned by Reencode.
var (
	ErrUnsupported = errors.New("re-encode not supported for this format")
	ErrTooLarge    = errors.New("image exceeds the pixel or memory limit")
	ErrDecode      = errors.New("image data does not decode")
)

// bytesPerPixel estimates the peak memory of one decode: the decoded
// NRGBA image, the decoder's own buffers and the transformed copy.
const bytesPerPixel = 4 * 3

// HardMaxBytes is the most decoded-pixel memory one image may need
// whatever the options say (about 350 MP): a decompression bomb must be
// refused before its first allocation, and Go cannot recover from running
// out of memory.
const HardMaxBytes = 4 << 30

// Options configure a re-encode.
type Options struct {
	Quality      int   // JPEG quality 1..100
	MaxDimension int   // fit within N×N; 0 = keep size
	MaxPixels    int64 // refuse images with more pixels
	Orientation  int   // EXIF orientation to apply (0/1 = none)
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
	Warnings []string
	// ICCKept tells whether Options.ICC was embedded (JPEG and PNG
	// encoders can; TIFF and GIF ones cannot, and then say so in a
	// warning).
	ICCKept bool
}

// Reencode decodes data (of format f), applies orientation and resizing and
// encodes it again in the same format with no metadata but the ICC profile.
func Reencode(ctx context.Context, f format.Format, data []byte, o Options) (Result, error) {
	var res Result
	cfg, err := decodeConfig(f, data)
	if err != nil {
		return res, err
	}
	px := int64(cfg.Width) * int64(cfg.Height)
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return res, fmt.Errorf("%w: zero dimension", ErrDecode)
	}
	if o.MaxPixels > 0 && px > o.MaxPixels {
		return res, fmt.Errorf("%w: %d×%d is over %d pixels", ErrTooLarge, cfg.Width, cfg.Height, o.MaxPixels)
	}
	if f == format.GIF {
		// image/gif decodes the first frame only: re-encoding would drop
		// the animation. The lossless mode keeps every frame.
		if n, _ := gifext.Frames(data); n > 1 {
			return res, fmt.Errorf("%w: animated GIF", ErrUnsupported)
		}
	}
	weight := px * bytesPerPixel
	maxBytes := o.MaxBytes
	if maxBytes <= 0 || maxBytes > HardMaxBytes {
		maxBytes = HardMaxBytes
	}
	if weight > maxBytes {
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
	img, err := decode(f, data)
	if err != nil {
		return res, err
	}
	img = orient(img, o.Orientation)
	if n := o.MaxDimension; n > 0 {
		b := img.Bounds()
		if b.Dx() > n || b.Dy() > n {
			img = imaging.Fit(img, n, n, imaging.Lanczos)
		}
	}
	var buf bytes.Buffer
	switch f {
	case format.JPEG:
		q := o.Quality
		if q < 1 || q > 100 {
			q = 92
		}
		err = imaging.Encode(&buf, img, imaging.JPEG, imaging.JPEGQuality(q))
	case format.PNG:
		err = imaging.Encode(&buf, img, imaging.PNG)
	case format.GIF:
		err = imaging.Encode(&buf, img, imaging.GIF)
	case format.TIFF:
		err = tiff.Encode(&buf, img, &tiff.Options{Compression: tiff.Deflate, Predictor: true})
	}
	if err != nil {
		return res, fmt.Errorf("encode: %w", err)
	}
	res.Data = buf.Bytes()
	switch {
	case o.ICC == nil:
	case f == format.JPEG:
		res.Data, res.ICCKept = withJPEGICC(res.Data, o.ICC), true
	case f == format.PNG:
		res.Data, res.ICCKept = withPNGICC(res.Data, o.ICC), true
	default:
		res.Warnings = append(res.Warnings, fmt.Sprintf("colour profile not kept: the %s encoder cannot embed one", f))
	}
	return res, nil
}

func decodeConfig(f format.Format, data []byte) (image.Config, error) {
	r := bytes.NewReader(data)
	var cfg image.Config
	var err error
	switch f {
	case format.JPEG:
		cfg, err = jpeg.DecodeConfig(r)
	case format.PNG:
		cfg, err = png.DecodeConfig(r)
	case format.GIF:
		cfg, err = gif.DecodeConfig(r)
	case format.TIFF:
		cfg, err = tiff.DecodeConfig(r)
	default:
		return cfg, fmt.Errorf("%w: %s", ErrUnsupported, f)
	}
	if err != nil {
		return cfg, fmt.Errorf("%w: header", ErrDecode)
	}
	return cfg, nil
}

func decode(f format.Format, data []byte) (img image.Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: decoder panic", ErrDecode)
		}
	}()
	r := io.LimitReader(bytes.NewReader(data), int64(len(data)))
	switch f {
	case format.JPEG:
		img, err = jpeg.Decode(r)
	case format.PNG:
		img, err = png.Decode(r)
	case format.GIF:
		img, err = gif.Decode(r)
	case format.TIFF:
		img, err = tiff.Decode(r)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: pixels", ErrDecode)
	}
	return img, nil
}

// orient applies EXIF orientation o (CIPA DC-008 Table 4) to img.
func orient(img image.Image, o int) image.Image {
	switch o {
	case 2:
		return imaging.FlipH(img)
	case 3:
		return imaging.Rotate180(img)
	case 4:
		return imaging.FlipV(img)
	case 5:
		return imaging.Transpose(img)
	case 6:
		return imaging.Rotate270(img)
	case 7:
		return imaging.Transverse(img)
	case 8:
		return imaging.Rotate90(img)
	}
	return img
}

// iccChunkMax is the profile bytes one APP2 segment carries (65535 less
// the length field, the ICC_PROFILE identifier and the two sequence bytes).
const iccChunkMax = 65535 - 2 - 14

// withJPEGICC inserts profile as ICC_PROFILE APP2 segments (ICC.1 Annex
// B.4) right after SOI of enc.
func withJPEGICC(enc, profile []byte) []byte {
	if len(profile) == 0 || len(enc) < 2 {
		return enc
	}
	n := (len(profile) + iccChunkMax - 1) / iccChunkMax
	if n > 255 {
		return enc
	}
	out := append([]byte{}, enc[:2]...)
	for i := 0; i < n; i++ {
		part := profile[i*iccChunkMax : min(len(profile), (i+1)*iccChunkMax)]
		out = append(out, 0xFF, 0xE2)
		out = binary.BigEndian.AppendUint16(out, uint16(2+14+len(part)))
		out = append(out, "ICC_PROFILE\x00"...)
		out = append(out, byte(i+1), byte(n))
		out = append(out, part...)
	}
	return append(out, enc[2:]...)
}

// withPNGICC inserts profile as an iCCP chunk (PNG 3rd ed. 11.3.2.3) right
// after IHDR of enc.
func withPNGICC(enc, profile []byte) []byte {
	if len(profile) == 0 || len(enc) < 33 {
		return enc
	}
	var z bytes.Buffer
	z.WriteString("ICC profile\x00\x00")
	zw := zlib.NewWriter(&z)
	zw.Write(profile)
	zw.Close()
	body := z.Bytes()
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(body)))
	chunk = append(chunk, "iCCP"...)
	chunk = append(chunk, body...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	at := 8 + 12 + int(binary.BigEndian.Uint32(enc[8:]))
	out := append([]byte{}, enc[:at]...)
	out = append(out, chunk...)
	return append(out, enc[at:]...)
}
