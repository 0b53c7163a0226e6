package pngchunk

import (
	"bytes"
	"crypto/sha256"
	"hash"

	"github.com/photoscrub/photoscrub/pkg/internal/exifmeta"
	"github.com/photoscrub/photoscrub/pkg/meta"
)

// iccName is the profile name written into a kept iCCP chunk: the
// original name is free text and is not copied.
const iccName = "ICC profile"

// Strip rebuilds the container from an allowlist, keeping only what
// decoding and display need (IHDR, PLTE, tRNS, IDAT, IEND, the colour, HDR
// and APNG chunks, an iCCP per keep.ICC under a neutral profile name, and
// a minimal eXIf holding Orientation per keep.Orientation). Kept chunks are
// copied verbatim; nothing after IEND survives. It never returns a partial
// file: error or full output.
func Strip(data []byte, keep meta.Keep) ([]byte, error) {
	f, err := walk(data)
	if err != nil {
		return nil, err
	}
	orient := 0
	if keep.Orientation {
		for _, c := range f.chunks {
			if c.typ == "eXIf" && c.crcOK && len(c.data) > 0 {
				o := exifmeta.Orientation(exifmeta.TrimPrefix(c.data))
				if o >= 1 && o <= 8 {
					if o != 1 {
						orient = o
					}
					break
				}
			}
		}
	}
	out := make([]byte, 0, len(data)+64)
	out = append(out, signature...)
	wroteICC, wroteIDAT := false, false
	for _, c := range f.chunks {
		if !c.crcOK {
			continue
		}
		switch c.typ {
		case "IDAT":
			if !wroteIDAT && orient != 0 {
				out = appendChunk(out, "eXIf", exifmeta.Minimal(orient))
			}
			wroteIDAT = true
			out = append(out, c.raw...)
		case "IHDR", "PLTE", "IEND":
			out = append(out, c.raw...)
		case "iCCP":
			body, ok := iccpBody(c.data)
			if !keep.ICC || wroteICC || !ok || wroteIDAT {
				continue
			}
			d := make([]byte, 0, len(iccName)+1+len(body))
			d = append(append(append(d, iccName...), 0), body...)
			out = appendChunk(out, "iCCP", d)
			wroteICC = true
		default:
			if keptLen(c) {
				out = append(out, c.raw...)
			}
		}
	}
	return out, nil
}

// imageParts hashes the coded image data of a walked file: IHDR, PLTE,
// tRNS and acTL by value, the IDAT stream, and the APNG fcTL/fdAT sequence.
type imageParts struct {
	fixed map[string][]byte
	idat  hash.Hash
	anim  hash.Hash
}

func partsOf(f *file) imageParts {
	p := imageParts{fixed: map[string][]byte{}, idat: sha256.New(), anim: sha256.New()}
	for _, c := range f.chunks {
		if !c.crcOK {
			continue
		}
		switch c.typ {
		case "IHDR", "PLTE", "tRNS", "acTL":
			if _, dup := p.fixed[c.typ]; !dup && (c.typ == "IHDR" || c.typ == "PLTE" || keptLen(c)) {
				p.fixed[c.typ] = c.data
			}
		case "IDAT":
			p.idat.Write(c.data)
		case "fcTL", "fdAT":
			if keptLen(c) {
				p.anim.Write(c.raw)
			}
		}
	}
	return p
}

// SameImage returns nil when out carries exactly the same coded image data
// as orig (IHDR, PLTE, tRNS, the concatenated IDAT data and the APNG
// acTL/fcTL/fdAT sequence), and a FormatError naming the first difference
// otherwise.
func SameImage(orig, out []byte) error {
	fo, err := walk(orig)
	if err != nil {
		return err
	}
	fn, err := walk(out)
	if err != nil {
		return err
	}
	a, b := partsOf(fo), partsOf(fn)
	for _, t := range []string{"IHDR", "PLTE", "tRNS", "acTL"} {
		x, okx := a.fixed[t]
		y, oky := b.fixed[t]
		if okx != oky || !bytes.Equal(x, y) {
			return FormatError(t + " differs")
		}
	}
	if !bytes.Equal(a.idat.Sum(nil), b.idat.Sum(nil)) {
		return FormatError("IDAT data differs")
	}
	if !bytes.Equal(a.anim.Sum(nil), b.anim.Sum(nil)) {
		return FormatError("APNG frame data differs")
	}
	return nil
}

// ICCChunk returns the first sound iCCP chunk of a PNG as a whole chunk
// (length, type, data, CRC) under the neutral profile name Strip writes,
// or nil when there is none. The re-encoder uses it to carry the colour
// profile over without the free-text name.
func ICCChunk(data []byte) []byte {
	f, err := walk(data)
	if err != nil {
		return nil
	}
	for _, c := range f.chunks {
		if c.typ != "iCCP" || !c.crcOK {
			continue
		}
		body, ok := iccpBody(c.data)
		if !ok {
			return nil
		}
		d := append(append([]byte(iccName), 0), body...)
		return appendChunk(nil, "iCCP", d)
	}
	return nil
}
