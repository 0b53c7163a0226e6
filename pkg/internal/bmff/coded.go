package bmff

import (
	"github.com/photoscrub/photoscrub/pkg/internal/container"
)

// piece is one classified run of an item's data, in logical offsets (the
// item's extents concatenated).
type piece struct {
	off, len int
	kind     container.Kind
	part     string
}

// HEVC NAL unit types (ITU-T H.265 Table 7-1) that matter here.
const (
	nalVPS       = 32
	nalPPS       = 34
	nalAUD       = 35
	nalFD        = 38
	nalPrefixSEI = 39
	nalSuffixSEI = 40
)

// hevcNALKind classifies an HEVC NAL unit type: VCL units and parameter
// sets are coded data; SEI units are metadata (they carry no pixels);
// access unit delimiters, filler, end of sequence/bitstream and reserved
// or unspecified types are slack.
func hevcNALKind(typ int) (container.Kind, string) {
	switch {
	case typ <= 31:
		return container.Coded, "HEVC VCL NAL unit"
	case typ >= nalVPS && typ <= nalPPS:
		return container.Coded, "HEVC parameter set NAL unit"
	case typ == nalPrefixSEI || typ == nalSuffixSEI:
		return container.Meta, "HEVC SEI NAL unit"
	}
	return container.Slack, "HEVC non-coding NAL unit"
}

// hevcNALType returns the type of the NAL unit nal (at least 2 bytes:
// forbidden_zero_bit 0, nuh_temporal_id_plus1 not 0), or -1.
func hevcNALType(nal []byte) int {
	if len(nal) < 2 || nal[0]&0x80 != 0 || nal[1]&7 == 0 {
		return -1
	}
	return int(nal[0]>>1) & 63
}

// hevcPieces splits length-prefixed HEVC data (ISO/IEC 14496-15: each NAL
// unit preceded by its length in lengthSize bytes) into NAL units. A
// length that runs past the data, or a malformed NAL header, is an error.
func hevcPieces(d []byte, lengthSize int) ([]piece, error) {
	var ps []piece
	pos := 0
	for pos < len(d) {
		if len(d)-pos < lengthSize {
			ps = append(ps, piece{pos, len(d) - pos, container.Slack, "bytes after the last NAL unit"})
			break
		}
		n := 0
		for i := 0; i < lengthSize; i++ {
			n = n<<8 | int(d[pos+i])
			if n > len(d) {
				return nil, FormatError("NAL unit length runs past the item data")
			}
		}
		if n > len(d)-pos-lengthSize {
			return nil, FormatError("NAL unit length runs past the item data")
		}
		if len(ps) >= maxItemData/2 {
			return nil, FormatError("too many NAL units")
		}
		if n == 0 {
			ps = append(ps, piece{pos, lengthSize, container.Slack, "empty NAL unit"})
			pos += lengthSize
			continue
		}
		t := hevcNALType(d[pos+lengthSize : pos+lengthSize+n])
		if t < 0 {
			return nil, FormatError("malformed HEVC NAL unit header")
		}
		k, part := hevcNALKind(t)
		ps = append(ps, piece{pos, lengthSize + n, k, part})
		pos += lengthSize + n
	}
	return ps, nil
}

// AV1 OBU types (AV1 Bitstream & Decoding Process Specification 5.3.1).
const (
	obuSeqHdr      = 1
	obuTD          = 2
	obuFrameHdr    = 3
	obuTileGroup   = 4
	obuMetadata    = 5
	obuFrame       = 6
	obuRedundant   = 7
	obuTileList    = 8
	obuPadding     = 15
	maxLEB128Bytes = 8
)

// av1OBUKind classifies an OBU type: sequence headers, frame headers,
// tile groups, frames and tile lists are coded data; metadata OBUs are
// metadata; temporal delimiters (which AV1-ISOBMFF items must not hold),
// padding and reserved types are slack.
func av1OBUKind(typ int) (container.Kind, string) {
	switch typ {
	case obuSeqHdr, obuFrameHdr, obuTileGroup, obuFrame, obuRedundant, obuTileList:
		return container.Coded, "AV1 OBU"
	case obuMetadata:
		return container.Meta, "AV1 metadata OBU"
	}
	return container.Slack, "AV1 non-coding OBU"
}

// obuPieces splits AV1 data (low-overhead bitstream format: OBU headers
// with obu_has_size_field, or a last OBU without one) into OBUs.
func obuPieces(d []byte) ([]piece, error) {
	var ps []piece
	pos := 0
	for pos < len(d) {
		h := d[pos]
		if h&0x80 != 0 || h&1 != 0 {
			return nil, FormatError("malformed AV1 OBU header")
		}
		typ := int(h>>3) & 15
		hdr := 1
		if h&4 != 0 { // obu_extension_flag
			hdr = 2
		}
		if len(d)-pos < hdr {
			return nil, FormatError("truncated AV1 OBU header")
		}
		size := len(d) - pos - hdr
		if h&2 != 0 { // obu_has_size_field
			v, n, ok := leb128(d[pos+hdr:])
			if !ok || v > uint64(len(d)-pos-hdr-n) {
				return nil, FormatError("AV1 OBU size runs past the data")
			}
			hdr += n
			size = int(v)
		}
		if len(ps) >= maxItemData/2 {
			return nil, FormatError("too many OBUs")
		}
		k, part := av1OBUKind(typ)
		ps = append(ps, piece{pos, hdr + size, k, part})
		pos += hdr + size
	}
	return ps, nil
}

// leb128 decodes an unsigned LEB128 value of at most 8 bytes.
func leb128(b []byte) (v uint64, n int, ok bool) {
	for i := 0; i < maxLEB128Bytes && i < len(b); i++ {
		v |= uint64(b[i]&0x7F) << (7 * i)
		if b[i]&0x80 == 0 {
			return v, i + 1, true
		}
	}
	return 0, 0, false
}

// gridPieces validates an ImageGrid descriptor (ISO/IEC 23008-12 6.6.2.3):
// version 0, flags bit 0 choosing 16- or 32-bit output sizes, rows and
// columns matching the n inputs. It returns its exact length.
func gridPieces(d []byte, n int) ([]piece, error) {
	if len(d) < 4 || d[0] != 0 || d[1] > 1 {
		return nil, FormatError("grid descriptor of an unknown version")
	}
	l := 4 + 4
	if d[1]&1 != 0 {
		l = 4 + 8
	}
	if len(d) < l {
		return nil, FormatError("grid descriptor too short")
	}
	if (int(d[2])+1)*(int(d[3])+1) != n {
		return nil, FormatError("grid size does not match its inputs")
	}
	return tail([]piece{{0, l, container.Kept, "grid descriptor"}}, l, len(d)), nil
}

// overlayPieces validates an ImageOverlay descriptor (6.6.2.4) for n
// inputs.
func overlayPieces(d []byte, n int) ([]piece, error) {
	if len(d) < 2 || d[0] != 0 || d[1] > 1 {
		return nil, FormatError("overlay descriptor of an unknown version")
	}
	fs := 2
	if d[1]&1 != 0 {
		fs = 4
	}
	l := 2 + 8 + 2*fs + n*2*fs
	if len(d) < l {
		return nil, FormatError("overlay descriptor too short")
	}
	return tail([]piece{{0, l, container.Kept, "overlay descriptor"}}, l, len(d)), nil
}

// tail appends a slack piece for the bytes after a descriptor.
func tail(ps []piece, l, n int) []piece {
	if n > l {
		ps = append(ps, piece{l, n - l, container.Slack, "bytes after an image descriptor"})
	}
	return ps
}
