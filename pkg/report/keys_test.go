package report

import (
	"bytes"
	"crypto/ed25519"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestKeys(t *testing.T) {
	dir := t.TempDir()
	priv, pubPath := filepath.Join(dir, "report.key"), filepath.Join(dir, "report.pub")
	pub, err := GenerateKey(priv, pubPath)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(priv); fi.Mode().Perm() != 0o600 {
		t.Errorf("private key mode %v", fi.Mode().Perm())
	}
	sk, err := LoadPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := LoadPublicKey(pubPath)
	if err != nil {
		t.Fatal(err)
	}
	if !pk.Equal(pub) || !sk.Public().(ed25519.PublicKey).Equal(pub) {
		t.Fatal("loaded keys differ")
	}
	data, _ := buildReport(t, Options{SignKey: sk}, sampleFiles())
	if res, err := Verify(bytes.NewReader(data), pk); err != nil || !res.SignatureChecked {
		t.Errorf("Verify: %v %+v", err, res)
	}
	// Never overwrite either file; a refused generation leaves nothing new.
	before, _ := os.ReadFile(priv)
	if _, err := GenerateKey(priv, filepath.Join(dir, "new.pub")); err == nil {
		t.Error("existing private key overwritten")
	}
	if _, err := GenerateKey(filepath.Join(dir, "new.key"), pubPath); err == nil {
		t.Error("existing public key overwritten")
	}
	after, _ := os.ReadFile(priv)
	for _, p := range []string{"new.key", "new.pub"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			t.Errorf("%s left behind", p)
		}
	}
	if !bytes.Equal(before, after) {
		t.Error("private key changed")
	}
	// A private key readable by others is refused.
	os.Chmod(priv, 0o644)
	if _, err := LoadPrivateKey(priv); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("group-readable key: %v", err)
	}
	if _, err := LoadPublicKey(priv); err == nil {
		t.Error("private key read as public key")
	}
}

// TestKeysOpenSSL uses OpenSSL as an oracle for the key file formats.
func TestKeysOpenSSL(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not installed")
	}
	dir := t.TempDir()
	priv, pubPath := filepath.Join(dir, "k"), filepath.Join(dir, "k.pub")
	if _, err := GenerateKey(priv, pubPath); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(openssl, "pkey", "-in", priv, "-pubout").Output()
	if err != nil {
		t.Skipf("openssl cannot read Ed25519 keys: %v", err)
	}
	want, _ := os.ReadFile(pubPath)
	if !bytes.Equal(out, want) {
		t.Errorf("openssl derives\n%s\nwe wrote\n%s", out, want)
	}
	// A key made by OpenSSL loads.
	osk := filepath.Join(dir, "o.key")
	if err := exec.Command(openssl, "genpkey", "-algorithm", "ed25519", "-out", osk).Run(); err != nil {
		t.Skip(err)
	}
	os.Chmod(osk, 0o600)
	if _, err := LoadPrivateKey(osk); err != nil {
		t.Error(err)
	}
}
