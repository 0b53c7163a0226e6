package reencode

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
)

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
	out := make([]byte, 0, len(enc)+len(profile)+18*n)
	out = append(out, enc[:2]...)
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

// iccChunkMax is the profile bytes one APP2 segment carries (65535 less
// the length field, the ICC_PROFILE identifier and the two sequence bytes).
const iccChunkMax = 65535 - 2 - 14
