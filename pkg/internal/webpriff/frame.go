package webpriff

import "github.com/photoscrub/photoscrub/pkg/internal/container"

// alph proves the ALPH chunk payload body[s:e] of a w×h image.
func (f *File) alph(body []byte, s, e, w, h int) (*alphData, error) {
	p := body[s:e]
	if len(p) < 1 {
		return nil, FormatError("empty ALPH chunk")
	}
	c, filt, pre, rsv := p[0]&3, p[0]>>2&3, p[0]>>4&3, p[0]>>6
	_ = filt // all four filtering methods are defined
	if c > 1 || pre > 1 || rsv != 0 {
		return nil, FormatError("ALPH header out of range")
	}
	a := &alphData{hdr: p[0]}
	var n int
	if c == 0 {
		n = w * h
		if len(p)-1 < n {
			return nil, FormatError("ALPH raw data shorter than the image")
		}
	} else {
		end, dirty, bits, err := decodeVP8LImage(p[1:], 0, w, h)
		if err != nil {
			return nil, err
		}
		n = end
		if dirty {
			// The unused high bits of the last byte are not zero: that
			// byte is slack, rebuilt with those bits cleared.
			a.data = append([]byte(nil), p[1:1+n]...)
			a.data[n-1] &= byte(1)<<(uint(bits)%8) - 1
			f.add(s-8, 9, container.Kept, "ALPH chunk header")
			f.add(s+1, n-1, container.Coded, "ALPH data")
			f.add(s+n, 1, container.Slack, "ALPH data last byte")
			a.pad = f.tail(s+1+n, p[1+n:], "ALPH lossless")
			return a, nil
		}
	}
	a.data = p[1 : 1+n]
	f.add(s-8, 9, container.Kept, "ALPH chunk header")
	f.add(s+1, n, container.Coded, "ALPH data")
	if c == 0 {
		f.add(s+1+n, len(p)-1-n, container.Slack, "bytes past the ALPH data")
	} else {
		a.pad = f.tail(s+1+n, p[1+n:], "ALPH lossless")
	}
	return a, nil
}

// frame parses the ANMF payload body[s:e].
func (f *File) frame(body []byte, s, e int) error {
	p := body[s:e]
	if len(p) < anmfHeader {
		return FormatError("ANMF chunk shorter than its frame header")
	}
	var fr frame
	copy(fr.hdr[:], p[:anmfHeader])
	fr.hdr[15] &= 3
	x, y := 2*int(get24(p[0:])), 2*int(get24(p[3:]))
	w, h := 1+int(get24(p[6:])), 1+int(get24(p[9:]))
	if x+w > f.canvasW || y+h > f.canvasH {
		return FormatError("animation frame outside the canvas")
	}
	f.add(s, 15, container.Kept, "ANMF frame header")
	f.kept(s+15, 1, p[15]&^3 == 0, "ANMF frame flags")
	sub := body[:e]
	var alph []int
	for pos := s + anmfHeader; pos < e; {
		id, cs, ce, err := f.chunkAt(sub, pos)
		if err != nil {
			return err
		}
		switch {
		case id == "ALPH" && alph == nil && fr.pic.w == 0:
			alph = []int{cs, ce}
		case (id == "VP8 " || id == "VP8L") && fr.pic.w == 0:
			pic, err := f.picture(id, sub, cs, ce, alph != nil)
			if err != nil {
				return err
			}
			f.add(pos, 8, container.Kept, "RIFF chunk header")
			if pic.w != w || pic.h != h {
				return FormatError("animation frame size differs from its bitstream")
			}
			if alph != nil {
				if pic.vp8 != nil {
					if pic.alph, err = f.alph(sub, alph[0], alph[1], w, h); err != nil {
						return err
					}
				} else {
					f.add(alph[0]-8, alph[1]-alph[0]+8, container.Slack, "ALPH chunk of a lossless image")
				}
				alph = nil
			}
			fr.pic = pic
		default:
			f.metaChunk(id, pos, sub[cs:ce], whereFrame)
		}
		pos = f.pad(sub, cs, ce)
	}
	if alph != nil {
		f.add(alph[0]-8, alph[1]-alph[0]+8, container.Slack, "ALPH chunk without an image")
	}
	if fr.pic.w == 0 {
		return FormatError("animation frame without a bitstream")
	}
	f.frames = append(f.frames, fr)
	return nil
}
