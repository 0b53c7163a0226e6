package reencode

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"

	"github.com/disintegration/imaging"

	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/internal/gifext"
	"github.com/photoscrub/photoscrub/pkg/internal/jpegtran"
)

// encode writes img as format f at quality q (JPEG, lossy WebP, AVIF);
// lossless asks WebP for its lossless mode.
func encode(f format.Format, img image.Image, q int, lossless bool) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	switch f {
	case format.JPEG:
		switch m := img.(type) {
		case *image.YCbCr:
			// Planes in, one pass with the T.81 Annex K tables out
			// (package jpegtran, as cjpeg and Pillow by default).
			return jpegtran.EncodeYCbCr(m, q), nil
		case *image.Gray:
			return jpegtran.EncodeGray(m, q), nil
		case *image.RGBA:
			err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: q})
		default:
			err = imaging.Encode(&buf, img, imaging.JPEG, imaging.JPEGQuality(q))
		}
	case format.PNG:
		err = imaging.Encode(&buf, img, imaging.PNG)
	case format.GIF:
		if p, ok := img.(*image.Paletted); ok {
			err = gif.Encode(&buf, p, nil)
		} else {
			err = imaging.Encode(&buf, img, imaging.GIF)
		}
	case format.TIFF:
		return encodeTIFFPages([]image.Image{img}, nil), nil
	case format.WebP:
		return encodeWebP(img, q, lossless)
	case format.AVIF:
		return encodeAVIF(img, q)
	default:
		return nil, fmt.Errorf("%w: cannot write %s", ErrUnsupported, f)
	}
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	return buf.Bytes(), nil
}

// refuseMultiFrame refuses inputs whose re-encode would keep one frame of
// several: the lossless mode keeps them all.
func refuseMultiFrame(f format.Format, data []byte) error {
	switch f {
	case format.GIF:
		// image/gif decodes the first frame only: re-encoding would drop
		// the animation.
		if n, _ := gifext.Frames(data); n > 1 {
			return &FrameError{fmt.Sprintf("animated GIF (%d frames)", n)}
		}
	case format.WebP:
		if webpAnimated(data) {
			return &FrameError{"animated WebP"}
		}
	case format.AVIF:
		if len(data) >= 12 && string(data[4:8]) == "ftyp" && string(data[8:12]) == "avis" {
			return &FrameError{"AVIF image sequence"}
		}
	}
	return nil
}

func decodeConfig(f format.Format, data []byte) (cfg image.Config, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: decoder panic", ErrDecode)
		}
	}()
	r := bytes.NewReader(data)
	switch f {
	case format.JPEG:
		cfg, err = jpeg.DecodeConfig(r)
	case format.PNG:
		cfg, err = png.DecodeConfig(r)
	case format.GIF:
		cfg, err = gif.DecodeConfig(r)
	case format.TIFF:
		cfg, err = tiffConfig(data)
	case format.WebP, format.HEIF, format.AVIF:
		cfg, err = codecConfig(f, data)
	default:
		return cfg, fmt.Errorf("%w: %s", ErrUnsupported, f)
	}
	if errors.Is(err, ErrUnsupported) {
		return cfg, err
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
	r := bytes.NewReader(data)
	switch f {
	case format.JPEG:
		// Baseline JPEG to planes with this project's entropy decoder
		// (own AAN inverse DCT, within one level of image/jpeg); image/jpeg for the rest
		// (progressive, CMYK, RGB) and for whatever it refuses.
		if img, err = jpegtran.Decode(data); err != nil {
			img, err = jpeg.Decode(r)
		}
	case format.PNG:
		img, err = png.Decode(r)
	case format.GIF:
		img, err = gif.Decode(r)
	case format.TIFF:
		img, err = tiffDecode(data)
	case format.WebP, format.HEIF, format.AVIF:
		img, err = codecDecode(f, data)
	}
	if err == nil && img == nil {
		err = ErrDecode
	}
	if err != nil {
		return nil, decodeErr(err)
	}
	return img, nil
}

// decodeErr classes a decoder's error: ErrUnsupported and ErrDecode pass,
// anything else is ErrDecode.
func decodeErr(err error) error {
	if errors.Is(err, ErrUnsupported) || errors.Is(err, ErrDecode) {
		return err
	}
	return fmt.Errorf("%w: pixels", ErrDecode)
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
