package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/photoscrub/photoscrub/pkg/report"
	"github.com/photoscrub/photoscrub/pkg/testimg"
)

// cmdArrival holds the helpers of the serve and watch scripts:
//
//	arrival waitaddr FILE         wait (20 s) for serve's --addr-file and set $ADDR
//	arrival gencert DIR           write DIR/cert.pem and DIR/key.pem for 127.0.0.1
//	arrival series BASE [N]       the report series BASE-*.jsonl verifies (and holds N file records)
//	arrival records BASE N        the series' files hold N file records in all (not verified)
//	arrival waitempty DIR SECS    wait until DIR holds no file but temp names
//	arrival count DIR N           DIR holds N regular files (recursively)
//	arrival genburst DIR N        write N photos with planted values under DIR/bNN/
//	arrival nodup DIR             no file of DIR is a renamed duplicate (name-1.ext)
func cmdArrival(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 1 {
		ts.Fatalf("usage: arrival SUBCOMMAND ...")
	}
	switch args[0] {
	case "waitaddr":
		p := ts.MkAbs(args[1])
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if b, err := os.ReadFile(p); err == nil && bytes.HasSuffix(b, []byte("\n")) {
				ts.Setenv("ADDR", strings.TrimSpace(string(b)))
				_, port, _ := net.SplitHostPort(strings.TrimSpace(string(b)))
				ts.Setenv("PORT", port)
				return
			}
		}
		ts.Fatalf("%s did not appear", args[1])
	case "gencert":
		dir := ts.MkAbs(args[1])
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		ts.Check(err)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
			IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"}, IsCA: true, BasicConstraintsValid: true,
			KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		ts.Check(err)
		kb, err := x509.MarshalECPrivateKey(key)
		ts.Check(err)
		ts.Check(os.MkdirAll(dir, 0o755))
		ts.Check(os.WriteFile(filepath.Join(dir, "cert.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644))
		ts.Check(os.WriteFile(filepath.Join(dir, "key.pem"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600))
	case "series":
		files, err := report.SeriesFiles(ts.MkAbs(args[1]))
		ts.Check(err)
		res, err := report.VerifySeries(files, nil)
		if (err != nil) != neg {
			ts.Fatalf("series of %d files: %v", len(files), res)
		}
		ts.Logf("%s", res)
		if len(args) > 2 && !neg {
			var n int64
			for _, f := range res.Files {
				n += f.Records - 2
			}
			if want, _ := strconv.ParseInt(args[2], 10, 64); n != want {
				ts.Fatalf("%d file records in the series, want %d", n, want)
			}
		}
	case "records":
		files, err := report.SeriesFiles(ts.MkAbs(args[1]))
		ts.Check(err)
		n := 0
		for _, p := range files {
			b, err := os.ReadFile(p)
			ts.Check(err)
			n += bytes.Count(b, []byte(`{"type":"file"`))
		}
		if want, _ := strconv.Atoi(args[2]); (n == want) == neg {
			ts.Fatalf("%d file records in %d files, want %d", n, len(files), want)
		}
	case "waitempty":
		secs, _ := strconv.Atoi(args[2])
		dir := ts.MkAbs(args[1])
		for deadline := time.Now().Add(time.Duration(secs) * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if len(arrivalFiles(dir, false)) == 0 {
				return
			}
		}
		ts.Fatalf("%s still holds %d files", args[1], len(arrivalFiles(dir, false)))
	case "count":
		n := len(arrivalFiles(ts.MkAbs(args[1]), true))
		if want, _ := strconv.Atoi(args[2]); (n == want) == neg {
			ts.Fatalf("%s holds %d files, want %d", args[1], n, want)
		}
	case "genburst":
		dir := ts.MkAbs(args[1])
		n, _ := strconv.Atoi(args[2])
		var photos [][]byte
		for s := 0; s < 16; s++ {
			o := testimg.Everything()
			o.Seed = int64(s + 1)
			b, err := testimg.JPEG(o)
			ts.Check(err)
			photos = append(photos, b)
		}
		for i := 0; i < n; i++ {
			d := filepath.Join(dir, fmt.Sprintf("b%02d", i%20))
			ts.Check(os.MkdirAll(d, 0o755))
			ts.Check(os.WriteFile(filepath.Join(d, fmt.Sprintf("img%05d.jpg", i)), photos[i%len(photos)], 0o644))
		}
	case "nodup":
		for _, p := range arrivalFiles(ts.MkAbs(args[1]), true) {
			if strings.Contains(filepath.Base(p), "-1.") {
				ts.Fatalf("duplicate output %s", p)
			}
		}
	default:
		ts.Fatalf("unknown arrival helper %q", args[0])
	}
}

func arrivalFiles(dir string, all bool) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if !all && (strings.HasPrefix(d.Name(), ".") || strings.HasSuffix(d.Name(), ".part") || strings.HasSuffix(d.Name(), ".filepart")) {
			return nil
		}
		out = append(out, p)
		return nil
	})
	return out
}
