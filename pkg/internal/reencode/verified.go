package reencode

import (
	"context"
	"errors"
	"fmt"

	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/internal/scrub"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Verified is the outcome of Scrub: a re-encoded, verified file, or the
// verified lossless rebuild when re-encoding could not keep the image.
type Verified struct {
	Data   []byte
	Format format.Format // the output's format
	// Lossless is set when the lossless rebuild was kept instead (no
	// encoder for the format, or an animation a re-encode would cut to
	// one frame); Warnings say why.
	Lossless bool
	// Converted is set when the output is in another format than the
	// input (Options.Format).
	Converted bool
	Warnings  []string
}

// Scrub re-encodes p (whose bytes are data) and verifies the output with
// the parser of the format it is written in: no finding, no unaccounted
// byte, and the ICC profile kept when keep promises it and the encoder
// can embed one. With no encoder for the input's format (HEIF without
// Options.Format) or an animation and no Options.Format, it returns the
// verified lossless rebuild instead and says so in a warning: never a
// silent gap. o.Orientation and o.ICC are taken from p.
func Scrub(ctx context.Context, p *scrub.Parsed, data []byte, o Options, keep meta.Keep) (Verified, error) {
	f := p.Format.Name
	o.Orientation = p.Inspection.Orientation
	o.ICC = nil
	if keep.ICC {
		o.ICC = p.ICC()
	}
	res, err := Reencode(ctx, f, data, o)
	var frames *FrameError
	var why string
	switch {
	case errors.Is(err, ErrNoEncoder) && o.Format == "":
		why = fmt.Sprintf("no %s encoder", f)
	case errors.As(err, &frames) && o.Format == "":
		why = frames.What + "; re-encoding would keep one frame"
	case err != nil:
		return Verified{}, err
	}
	if why != "" {
		out, err := p.Lossless(keep)
		if err != nil {
			return Verified{}, err
		}
		return Verified{Data: out, Format: f, Lossless: true,
			Warnings: []string{"re-encode fallback: " + why + "; the verified lossless rebuild was kept (--format jpeg|png|webp|avif re-encodes it)"}}, nil
	}
	v := Verified{Data: res.Data, Format: res.Format, Warnings: res.Warnings}
	vkeep := keep
	vkeep.ICC = vkeep.ICC && res.ICCKept // said in a warning
	if res.Format == f {
		return v, p.Verify(res.Data, vkeep, false)
	}
	v.Converted = true
	v.Warnings = append(v.Warnings, fmt.Sprintf("converted from %s to %s", f, res.Format))
	return v, verifyConverted(p, res.Format, res.Data, vkeep)
}

// verifyConverted verifies an output written in another format than the
// input's with its own format's parser: it parses, shows no finding and no
// unaccounted byte, and keeps the ICC profile when keep promises it.
func verifyConverted(orig *scrub.Parsed, f format.Format, out []byte, keep meta.Keep) error {
	got, err := scrub.Parse(f, out)
	if err != nil || got.File == nil {
		return fmt.Errorf("%w: %s output does not parse", scrub.ErrVerify, f)
	}
	if n := len(got.Inspection.Findings); n > 0 {
		return fmt.Errorf("%w: %s output still has %d finding(s)", scrub.ErrVerify, f, n)
	}
	if keep.ICC && orig.ICC() != nil && got.ICC() == nil {
		return fmt.Errorf("%w: ICC profile not kept", scrub.ErrVerify)
	}
	return nil
}
