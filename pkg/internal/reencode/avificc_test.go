package reencode

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/photoscrub/photoscrub/pkg/internal/format"
	"github.com/photoscrub/photoscrub/pkg/internal/scrub"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// TestAVIFKeepsICC: an AVIF output carries the profile in a colr prof
// property of the primary item, which our parser, exiftool and
// heif-convert (when installed) read back, and which decodes.
func TestAVIFKeepsICC(t *testing.T) {
	icc := jpegICCProfile(mustJPEG(t, testimg.Everything()))
	if len(icc) == 0 {
		t.Fatal("no test profile")
	}
	in := mustJPEG(t, testimg.JPEGOptions{Width: 64, Height: 48})
	res := reencode(t, format.JPEG, in, Options{Format: format.AVIF, ICC: icc})
	if !res.ICCKept {
		t.Fatal("ICC not kept")
	}
	p, err := scrub.Parse(format.AVIF, res.Data)
	if err != nil {
		t.Fatal(err)
	}
	if p.ICC() == nil {
		t.Fatal("our parser finds no ICC profile in the output")
	}
	if len(p.Inspection.Findings) != 0 {
		t.Errorf("findings: %+v", p.Inspection.Findings)
	}
	if got := decodeAny(t, format.AVIF, res.Data); got.Bounds().Dx() != 64 || got.Bounds().Dy() != 48 {
		t.Errorf("decoded size %v", got.Bounds())
	}
	if sz := independent(t, format.AVIF, res.Data); sz.X != 0 && (sz.X != 64 || sz.Y != 48) {
		t.Errorf("heif-convert: size %v", sz)
	}
	// Without a profile nothing is added.
	plain := reencode(t, format.JPEG, in, Options{Format: format.AVIF})
	if q, err := scrub.Parse(format.AVIF, plain.Data); err != nil || q.ICC() != nil || plain.ICCKept {
		t.Errorf("no profile asked: ICC %v, err %v", plain.ICCKept, err)
	}
	if _, err := exec.LookPath("exiftool"); err != nil {
		return
	}
	f := filepath.Join(t.TempDir(), "out.avif")
	os.WriteFile(f, res.Data, 0o644)
	out, err := exec.Command("exiftool", "-b", "-icc_profile", f).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, icc) {
		t.Errorf("exiftool reads a %d-byte profile, %d bytes were embedded", len(out), len(icc))
	}
	warn, _ := exec.Command("exiftool", "-warning", "-s3", f).Output()
	if s := strings.TrimSpace(string(warn)); s != "" {
		t.Errorf("exiftool warns: %s", s)
	}
}

// TestAVIFICCRefusesOddLayouts: what addAVIFColr does not recognise is
// left alone.
func TestAVIFICCRefusesOddLayouts(t *testing.T) {
	for _, in := range [][]byte{nil, []byte("not a box"), mkBox("ftyp", []byte("avif\x00\x00\x00\x00"))} {
		if out, ok := withAVIFICC(in, []byte("profile")); ok || !bytes.Equal(out, in) {
			t.Errorf("%q: changed", in)
		}
	}
	res := reencode(t, format.JPEG, mustJPEG(t, testimg.JPEGOptions{Width: 64, Height: 48}), Options{Format: format.AVIF})
	if _, ok := withAVIFICC(res.Data, nil); ok {
		t.Error("empty profile reported kept")
	}
}
