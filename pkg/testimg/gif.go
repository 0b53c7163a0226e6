package testimg

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
)

// GIFOptions selects what GIF plants around a real, decodable GIF89a.
type GIFOptions struct {
	// Markers supplies every value; the zero value means DefaultMarkers().
	Markers Markers
	// Width and Height of the image (default 20×12).
	Width, Height int
	// Frames is the number of frames (default 1); each frame after the
	// first gets a graphic control extension with a delay.
	Frames int
	// Loop writes the NETSCAPE2.0 looping extension (needs Frames > 1).
	Loop bool
	// Comment writes a comment extension holding the Comment marker.
	Comment bool
	// PlainText writes a plain text extension holding the Description marker.
	PlainText bool
	// XMP writes an "XMP DataXMP" application extension holding
	// XMPPacket followed by the 258-byte magic trailer.
	XMP bool
	// UnknownApp writes an application extension "PSMKAPP1" "0.1" whose
	// sub-blocks hold the AppText marker.
	UnknownApp bool
	// ICC writes an "ICCRGBG1012" application extension with a small
	// profile.
	ICC bool
	// Trailer appends the Trailer marker after the GIF trailer byte.
	Trailer bool
}

// AllGIF returns GIFOptions with every metadata kind switched on and two
// looping frames.
func AllGIF() GIFOptions {
	return GIFOptions{Frames: 2, Loop: true, Comment: true, PlainText: true, XMP: true,
		UnknownApp: true, ICC: true, Trailer: true}
}

// GIFSubBlocks returns p as GIF data sub-blocks (≤255 bytes each) with the
// terminating zero-length block.
func GIFSubBlocks(p []byte) []byte {
	var b []byte
	for len(p) > 0 {
		n := min(len(p), 255)
		b = append(b, byte(n))
		b = append(b, p[:n]...)
		p = p[n:]
	}
	return append(b, 0)
}

// GIFAppExtension returns an application extension with the 8-byte
// identifier id, 3-byte authentication code auth and data as sub-blocks.
func GIFAppExtension(id, auth string, data []byte) []byte {
	b := append([]byte{0x21, 0xFF, 11}, id...)
	b = append(b, auth...)
	return append(b, GIFSubBlocks(data)...)
}

// GIFXMPMagicTrailer returns the 258-byte XMP "magic trailer" (0x01,
// 0xFF down to 0x00, then the block terminator).
func GIFXMPMagicTrailer() []byte {
	t := []byte{0x01}
	for i := 255; i >= 0; i-- {
		t = append(t, byte(i))
	}
	return append(t, 0)
}

// GIF returns a GIF89a (encoded by image/gif) with the extensions selected
// by o spliced in after the global colour table, a plain text extension
// before the trailer, and the trailer marker after it.
func GIF(o GIFOptions) []byte {
	m := o.Markers.orDefault()
	w, h := o.Width, o.Height
	if w <= 0 || h <= 0 {
		w, h = 20, 12
	}
	frames := max(o.Frames, 1)
	pal := color.Palette{color.RGBA{0, 0, 0, 255}, color.RGBA{255, 0, 0, 255},
		color.RGBA{0, 255, 0, 255}, color.RGBA{0, 0, 255, 255}}
	g := &gif.GIF{LoopCount: -1, Config: image.Config{ColorModel: pal, Width: w, Height: h}}
	if o.Loop {
		g.LoopCount = 0
	}
	for f := range frames {
		img := image.NewPaletted(image.Rect(0, 0, w, h), pal)
		for y := range h {
			for x := range w {
				img.SetColorIndex(x, y, uint8((x/3+y/2+f)%4))
			}
		}
		g.Image = append(g.Image, img)
		g.Delay = append(g.Delay, 10*f)
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		panic(err)
	}
	base := buf.Bytes()
	head := 13
	if base[10]&0x80 != 0 {
		head += 3 << (base[10]&7 + 1)
	}
	out := append([]byte(nil), base[:head]...)
	if o.ICC {
		out = append(out, GIFAppExtension("ICCRGBG1", "012", pnICCProfile())...)
	}
	if o.Comment {
		out = append(out, 0x21, 0xFE)
		out = append(out, GIFSubBlocks([]byte(m.Comment))...)
	}
	if o.XMP {
		out = append(out, 0x21, 0xFF, 11)
		out = append(out, "XMP DataXMP"...)
		out = append(out, XMPPacket(XMPOptions{Markers: m})...)
		out = append(out, GIFXMPMagicTrailer()...)
	}
	if o.UnknownApp {
		out = append(out, GIFAppExtension("PSMKAPP1", "0.1", []byte(m.AppText))...)
	}
	out = append(out, base[head:len(base)-1]...)
	if o.PlainText {
		out = append(out, 0x21, 0x01, 12, 0, 0, 0, 0, byte(w), 0, byte(h), 0, 8, 8, 1, 0)
		out = append(out, GIFSubBlocks([]byte(m.Description))...)
	}
	out = append(out, 0x3B)
	if o.Trailer {
		out = append(out, m.Trailer...)
	}
	return out
}
