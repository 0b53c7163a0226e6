package reencode

import "image"

// orientYCbCr applies EXIF orientation o to the planes of m, sample by
// sample, without leaving YCbCr: a JPEG re-encoded at the same size never
// goes through RGBA. It reports false for subsampling ratios whose turned
// form image.YCbCr cannot hold (4:1:1, 4:1:0).
func orientYCbCr(m *image.YCbCr, o int) (*image.YCbCr, bool) {
	if o < 2 || o > 8 {
		return m, true
	}
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	ratio := m.SubsampleRatio
	turn := o >= 5
	if turn {
		switch ratio {
		case image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio420:
		case image.YCbCrSubsampleRatio422:
			ratio = image.YCbCrSubsampleRatio440
		case image.YCbCrSubsampleRatio440:
			ratio = image.YCbCrSubsampleRatio422
		default:
			return nil, false
		}
	}
	dw, dh := w, h
	if turn {
		dw, dh = h, w
	}
	dst := image.NewYCbCr(image.Rect(0, 0, dw, dh), ratio)
	// Plane sizes of the source, from the offsets image.YCbCr uses.
	cw := (m.COffset(b.Max.X-1, b.Min.Y) - m.COffset(b.Min.X, b.Min.Y)) + 1
	ch := 1
	if h > 1 {
		ch = (m.COffset(b.Min.X, b.Max.Y-1)-m.COffset(b.Min.X, b.Min.Y))/m.CStride + 1
	}
	y0 := m.YOffset(b.Min.X, b.Min.Y)
	c0 := m.COffset(b.Min.X, b.Min.Y)
	plane(dst.Y, dst.YStride, m.Y[y0:], m.YStride, w, h, o)
	plane(dst.Cb, dst.CStride, m.Cb[c0:], m.CStride, cw, ch, o)
	plane(dst.Cr, dst.CStride, m.Cr[c0:], m.CStride, cw, ch, o)
	return dst, true
}

// plane writes src (w×h samples, row stride ss) turned by orientation o
// into dst (row stride ds).
func plane(dst []byte, ds int, src []byte, ss, w, h, o int) {
	switch o {
	case 2: // mirror horizontally
		for y := 0; y < h; y++ {
			s, d := src[y*ss:y*ss+w], dst[y*ds:y*ds+w]
			for x := range d {
				d[x] = s[w-1-x]
			}
		}
	case 3: // rotate 180
		for y := 0; y < h; y++ {
			s, d := src[y*ss:y*ss+w], dst[(h-1-y)*ds:(h-1-y)*ds+w]
			for x := range d {
				d[x] = s[w-1-x]
			}
		}
	case 4: // mirror vertically
		for y := 0; y < h; y++ {
			copy(dst[(h-1-y)*ds:(h-1-y)*ds+w], src[y*ss:y*ss+w])
		}
	default:
		// Turned: the output is h wide, w high. Walk the source row by
		// row (sequential reads) in 8-row bands so that writes stay
		// within a few cache lines per output row.
		for y0 := 0; y0 < h; y0 += 8 {
			y1 := min(h, y0+8)
			for x := 0; x < w; x++ {
				dy := x // 5, 6
				if o == 7 || o == 8 {
					dy = w - 1 - x
				}
				row := dst[dy*ds:]
				for y := y0; y < y1; y++ {
					dx := y // 5, 8
					if o == 6 || o == 7 {
						dx = h - 1 - y
					}
					row[dx] = src[y*ss+x]
				}
			}
		}
	}
}
