package report

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
)

// maxKeyFile bounds the size of a key file we read.
const maxKeyFile = 64 << 10

// GenerateKey creates a new Ed25519 key pair and writes the private key to
// privPath (PKCS#8, PEM "PRIVATE KEY", mode 0600) and the public key to
// pubPath (PKIX, PEM "PUBLIC KEY", mode 0644), the formats of
// crypto/x509 and OpenSSL. Neither file is ever overwritten: if either
// exists, GenerateKey fails and leaves no new file behind.
func GenerateKey(privPath, pubPath string) (ed25519.PublicKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	p8, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	pk, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if _, err := os.Lstat(pubPath); err == nil {
		return nil, fmt.Errorf("report: %s already exists; keys are never overwritten", pubPath)
	}
	if err := writeNew(privPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8}), 0o600); err != nil {
		return nil, err
	}
	if err := writeNew(pubPath, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pk}), 0o644); err != nil {
		os.Remove(privPath)
		return nil, err
	}
	return pub, nil
}

func writeNew(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, mode)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("report: %s already exists; keys are never overwritten", path)
		}
		return fmt.Errorf("report: %w", err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// LoadPrivateKey reads an Ed25519 private key written by GenerateKey (or
// by "openssl genpkey -algorithm ed25519"). On Unix it refuses a key file
// that group or others may read, as ssh does.
func LoadPrivateKey(path string) (ed25519.PrivateKey, error) {
	der, err := readPEM(path, "PRIVATE KEY")
	if err != nil {
		return nil, err
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			return nil, fmt.Errorf("report: private key %s is accessible by others (mode %04o); chmod 600 it", path, fi.Mode().Perm())
		}
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("report: %s: not a PKCS#8 private key", path)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("report: %s: not an Ed25519 key", path)
	}
	return priv, nil
}

// LoadPublicKey reads an Ed25519 public key written by GenerateKey (PEM
// "PUBLIC KEY", as "openssl pkey -pubout" writes it).
func LoadPublicKey(path string) (ed25519.PublicKey, error) {
	der, err := readPEM(path, "PUBLIC KEY")
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("report: %s: not a PKIX public key", path)
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("report: %s: not an Ed25519 key", path)
	}
	return pub, nil
}

func readPEM(path, typ string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	defer f.Close()
	buf, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if len(buf) > maxKeyFile {
		return nil, fmt.Errorf("report: %s: too large for a key file", path)
	}
	b, _ := pem.Decode(buf)
	if b == nil || b.Type != typ {
		return nil, fmt.Errorf("report: %s: no PEM %q block", path, typ)
	}
	return b.Bytes, nil
}
