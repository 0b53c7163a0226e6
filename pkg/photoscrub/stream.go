package photoscrub

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"io"

	"golang.org/x/sync/semaphore"

	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/internal/reencode"
	"github.com/photoscrub/photoscrub/pkg/internal/scrub"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Errors of Scrub besides ErrUnsupported and ErrVerify. Every error Scrub
// returns wraps exactly one of them (or the context's error), and its text
// is photoscrub's own wording, never a value read from the file.
var (
	// ErrTooLarge: the input is longer than Options.MaxBytes.
	ErrTooLarge = errors.New("input larger than the limit")
	// ErrParse: the container is malformed.
	ErrParse = errors.New("the file cannot be parsed")
	// ErrDecode: re-encode mode and the pixels do not decode.
	ErrDecode = errors.New("the image data do not decode")
	// ErrLimit: re-encode mode and the image is over the pixel or memory limit.
	ErrLimit = errors.New("the image exceeds the pixel or memory limit")
)

// Options configure Scrub.
type Options struct {
	// Keep says what a lossless rebuild keeps besides the pixels
	// (meta.DefaultKeep: orientation and ICC profile).
	Keep meta.Keep
	// InspectOnly inspects and writes nothing (a scan): Result.Status is
	// "clean" or "would-scrub".
	InspectOnly bool
	// Reencode decodes and encodes the pixels again instead of rebuilding
	// the container losslessly.
	Reencode bool
	// Format, in re-encode mode, is the output format ("jpeg", "png",
	// "webp", "avif", "gif", "tiff"); "" keeps the input's.
	Format string
	// Fit, in re-encode mode and when both are positive, scales the image
	// to cover Fit.X×Fit.Y and crops the centre to exactly that size (as
	// scrub --fit); it wins over MaxDimension.
	Fit image.Point
	// Quality is the JPEG quality of a re-encode (1..100; 0: 92).
	Quality int
	// MaxDimension, in re-encode mode, fits the image within N×N pixels.
	MaxDimension int
	// MaxPixels refuses to decode larger images (0: no limit but the
	// hard memory limit).
	MaxPixels int64
	// MaxBytes refuses inputs longer than this with ErrTooLarge, checked
	// while reading (0: no limit).
	MaxBytes int64
	// Budget, when set, bounds the decoded-pixel memory of concurrent
	// re-encodes; its weight is bytes, BudgetBytes its size.
	Budget      *semaphore.Weighted
	BudgetBytes int64
}

// Result describes what Scrub did. It never holds a metadata value.
type Result struct {
	// Status is "scrubbed" (findings removed, output verified), "clean"
	// (nothing to remove: the output is the input) or, with InspectOnly,
	// "would-scrub".
	Status string
	// Format is the input's format; OutputFormat and ContentType the
	// output's (they differ from the input's only with Options.Format).
	Format, OutputFormat, ContentType string
	// Findings lists what the input holds; Removed what the output no
	// longer holds (category, place, tag names only).
	Findings, Removed []meta.Finding
	// Method is "lossless" or "reencode" when a new file was built.
	Method string
	// Verified is true when the output was re-parsed and verified.
	Verified bool
	// Orientation is the input's EXIF orientation (0 when absent).
	Orientation int
	// SizeIn, SizeOut and the SHA-256 digests (hex) of input and output.
	SizeIn, SizeOut     int64
	SHA256In, SHA256Out string
	// Warnings are photoscrub's own notes about the output.
	Warnings []string
}

// Categories returns the distinct categories of Removed, in taxonomy order.
func (r *Result) Categories() []meta.Category {
	var out []meta.Category
	for _, c := range meta.Categories {
		for _, f := range r.Removed {
			if f.Category == c {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

var contentTypes = map[format.Format]string{
	format.JPEG: "image/jpeg", format.PNG: "image/png", format.GIF: "image/gif",
	format.WebP: "image/webp", format.TIFF: "image/tiff", format.HEIF: "image/heif", format.AVIF: "image/avif",
}

// ContentType returns the media type of a format name ("jpeg" ...), or
// application/octet-stream.
func ContentType(f string) string {
	if ct, ok := contentTypes[format.Format(f)]; ok {
		return ct
	}
	return "application/octet-stream"
}

// Scrub reads one photo from r (at most opts.MaxBytes), cleans it as Clean
// does (or re-encodes it) and, only when the output verified, writes it to
// w. Nothing is written to w on error: never the original, never a part.
// A clean input is written back unchanged. Scrub is safe for concurrent
// use; serve and watch are built on it.
func Scrub(ctx context.Context, r io.Reader, w io.Writer, opts Options) (Result, error) {
	data, err := readLimited(r, opts.MaxBytes)
	if err != nil {
		return Result{}, err
	}
	res, out, err := ScrubBytes(ctx, data, opts)
	if err != nil {
		return res, err
	}
	if w != nil && !opts.InspectOnly {
		if _, err := w.Write(out); err != nil {
			return res, fmt.Errorf("write: %w", err)
		}
	}
	return res, nil
}

// readLimited reads r whole, failing with ErrTooLarge past max bytes.
func readLimited(r io.Reader, max int64) ([]byte, error) {
	if max <= 0 {
		b, err := io.ReadAll(r)
		if err != nil {
			return nil, fmt.Errorf("read: %w", err)
		}
		return b, nil
	}
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, max+1))
	if err != nil {
		var mbe interface{ Limit() int64 }
		if errors.As(err, &mbe) {
			return nil, ErrTooLarge
		}
		return nil, fmt.Errorf("read: %w", err)
	}
	if n > max {
		return nil, ErrTooLarge
	}
	return buf.Bytes(), nil
}

// ScrubBytes is Scrub over bytes already in memory; it returns the output
// (data itself for a clean file) instead of writing it.
func ScrubBytes(ctx context.Context, data []byte, opts Options) (Result, []byte, error) {
	res := Result{SizeIn: int64(len(data))}
	sum := sha256.Sum256(data)
	res.SHA256In = hex.EncodeToString(sum[:])
	f := scrub.Sniff(data)
	res.Format = string(f)
	res.ContentType = ContentType(res.Format)
	if !scrub.Supported(f) {
		return res, nil, fmt.Errorf("%w: %s", ErrUnsupported, f)
	}
	parsed, err := scrub.Parse(f, data)
	if parsed != nil {
		res.Findings, res.Orientation = parsed.Inspection.Findings, parsed.Inspection.Orientation
		res.Warnings = append(res.Warnings, parsed.Inspection.Warnings...)
	}
	if err != nil {
		if errors.Is(err, scrub.ErrUnsupported) {
			return res, nil, fmt.Errorf("%w: this %s variant cannot be fully parsed", ErrUnsupported, f)
		}
		return res, nil, fmt.Errorf("%w: cannot parse the %s structure", ErrParse, f)
	}
	if opts.InspectOnly {
		res.Status = "clean"
		if len(res.Findings) > 0 {
			res.Status = "would-scrub"
		}
		return res, nil, nil
	}
	if !scrub.Rewritable(f) {
		return res, nil, fmt.Errorf("%w: %s files are inspected but not rewritten", ErrUnsupported, f)
	}
	if opts.Format != "" && opts.Format != string(f) && !opts.Reencode {
		return res, nil, fmt.Errorf("%w: conversion from %s to another format needs re-encode mode", ErrUnsupported, f)
	}
	res.OutputFormat = res.Format
	if err := ctx.Err(); err != nil {
		return res, nil, err
	}
	out := data
	if len(res.Findings) > 0 || !opts.Keep.ICC || !opts.Keep.Orientation || opts.Reencode {
		if opts.Reencode {
			out, err = reencodeVerified(ctx, data, parsed, opts, &res)
		} else {
			res.Method = "lossless"
			out, err = parsed.Lossless(opts.Keep)
		}
		if err != nil {
			return res, nil, classify(f, err)
		}
		res.Verified = true
		res.Removed = res.Findings
	}
	if bytes.Equal(out, data) {
		res.Status = "clean"
	} else {
		res.Status = "scrubbed"
	}
	res.SizeOut = int64(len(out))
	sum = sha256.Sum256(out)
	res.SHA256Out = hex.EncodeToString(sum[:])
	return res, out, nil
}

// reencodeVerified re-encodes data through reencode.Scrub, as scrub
// --mode reencode does: verified with the parser of the output's format,
// or the verified lossless rebuild where re-encoding cannot keep the
// image, said in a warning.
func reencodeVerified(ctx context.Context, data []byte, parsed *scrub.Parsed, opts Options, res *Result) ([]byte, error) {
	res.Method = "reencode"
	v, err := reencode.Scrub(ctx, parsed, data, reencode.Options{
		Quality: opts.Quality, MaxDimension: opts.MaxDimension, MaxPixels: opts.MaxPixels,
		Fit: opts.Fit, Format: format.Format(opts.Format),
		Budget: opts.Budget, BudgetBytes: opts.BudgetBytes, MaxBytes: opts.MaxPixels * 12,
	}, opts.Keep)
	if err != nil {
		return nil, err
	}
	if v.Lossless {
		res.Method = "lossless"
	}
	if v.Converted {
		res.OutputFormat, res.ContentType = string(v.Format), ContentType(string(v.Format))
	}
	res.Warnings = append(res.Warnings, v.Warnings...)
	return v.Data, nil
}

// classify maps a rebuild or re-encode error to Scrub's errors, in
// photoscrub's own words.
func classify(f format.Format, err error) error {
	switch {
	case errors.Is(err, scrub.ErrUnsupported), errors.Is(err, reencode.ErrUnsupported), errors.Is(err, reencode.ErrNoEncoder):
		return fmt.Errorf("%w: this %s variant cannot be rewritten in this mode", ErrUnsupported, f)
	case errors.Is(err, scrub.ErrVerify):
		return fmt.Errorf("%w: the %s output failed verification", ErrVerify, f)
	case errors.Is(err, reencode.ErrTooLarge):
		return ErrLimit
	case errors.Is(err, reencode.ErrDecode):
		return ErrDecode
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return fmt.Errorf("%w: cannot rebuild the %s structure", ErrParse, f)
}
