package gifext

// The LZW proof: an image's data sub-blocks are decoded as GIF's variable
// length LZW (LSB first, codes of litWidth+1 up to 12 bits, clear and end
// codes, deferred clear when the table is full) to the end code, counting
// the pixels each code stands for, so that the extent of the coded data
// is known to the byte. Only string lengths are tracked: no pixel is
// produced, the proof is linear in the coded size.

// span is a run of bytes in the file.
type span struct{ off, len int }

// lzwProof is the result of decoding one image's LZW data.
type lzwProof struct {
	// subs is the number of sub-blocks holding proven data and last the
	// proven length of the last of them.
	subs, last int
	// pixels is the number of pixels the codes decode to.
	pixels uint64
	// endCode reports whether an end code closed the data.
	endCode bool
}

// proveLZW decodes the data of the sub-blocks subs (their data spans)
// with minimum code size litWidth and a frame of want pixels.
func proveLZW(data []byte, subs []span, litWidth int, want uint64) (lzwProof, error) {
	var p lzwProof
	if litWidth < 2 || litWidth > 8 {
		return p, FormatError("LZW minimum code size out of range")
	}
	var lens [4096]uint32
	clear := 1 << litWidth
	eoi := clear + 1
	for i := 0; i < clear; i++ {
		lens[i] = 1
	}
	width := litWidth + 1
	next := clear + 2
	prev := -1
	var bits uint32
	nbits := 0
	for si, s := range subs {
		for bi := 0; bi < s.len; bi++ {
			bits |= uint32(data[s.off+bi]) << nbits
			nbits += 8
			for nbits >= width {
				code := int(bits & (1<<width - 1))
				bits >>= width
				nbits -= width
				switch {
				case code == clear:
					width, next, prev = litWidth+1, clear+2, -1
					continue
				case code == eoi:
					p.subs, p.last, p.endCode = si+1, bi+1, true
					return p, nil
				case prev < 0:
					if code > clear {
						return p, FormatError("invalid LZW code")
					}
					p.pixels++
				default:
					var l uint32
					switch {
					case code < next:
						l = lens[code]
					case code == next && next < 4096:
						l = lens[prev] + 1
					default:
						return p, FormatError("invalid LZW code")
					}
					p.pixels += uint64(l)
					if next < 4096 {
						lens[next] = lens[prev] + 1
						next++
						if next == 1<<width && width < 12 {
							width++
						}
					}
				}
				if p.pixels > want {
					return p, FormatError("LZW data holds more pixels than the frame")
				}
				prev = code
			}
		}
	}
	// No end code: the data ran out (giflib and image/gif accept this).
	p.subs = len(subs)
	if len(subs) > 0 {
		p.last = subs[len(subs)-1].len
	}
	return p, nil
}
