package serve

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// clientName is the shape of a client name in --token-file (and in the
// report's client field).
var clientName = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// Tokens maps bearer tokens to client names. Tokens are kept as SHA-256
// digests and compared in constant time; a name, never a token, is what
// reaches the report, the logs and the metrics.
type Tokens struct {
	names   []string
	digests [][32]byte
}

// LoadTokens reads a token file: one "NAME TOKEN" pair per line (or
// "NAME:TOKEN"), blank lines and lines starting with '#' ignored. Names are
// 1-64 of [A-Za-z0-9._-] and unique; tokens are at least 16 characters.
// Errors name the line, never its content.
func LoadTokens(path string) (*Tokens, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the token file: %w", err)
	}
	return ParseTokens(b)
}

// ParseTokens parses the content of a token file (see LoadTokens).
func ParseTokens(b []byte) (*Tokens, error) {
	t := &Tokens{}
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, tok, ok := strings.Cut(line, " ")
		if !ok {
			name, tok, ok = strings.Cut(line, ":")
		}
		tok = strings.TrimSpace(tok)
		switch {
		case !ok:
			return nil, fmt.Errorf("token file line %d: want NAME TOKEN", n)
		case !clientName.MatchString(name):
			return nil, fmt.Errorf("token file line %d: the name must be 1-64 letters, digits, '.', '_' or '-'", n)
		case len(tok) < 16 || strings.ContainsAny(tok, " \t"):
			return nil, fmt.Errorf("token file line %d: the token must be at least 16 characters, without spaces", n)
		case seen[name]:
			return nil, fmt.Errorf("token file line %d: the name is used twice", n)
		}
		seen[name] = true
		t.names = append(t.names, name)
		t.digests = append(t.digests, sha256.Sum256([]byte(tok)))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("cannot read the token file: %w", err)
	}
	if len(t.names) == 0 {
		return nil, fmt.Errorf("the token file holds no token")
	}
	return t, nil
}

// Authenticate checks an Authorization header value and returns the
// client's name. Every token is compared (in constant time, on digests of
// equal length) whatever matches, so timing tells nothing.
func (t *Tokens) Authenticate(authorization string) (string, bool) {
	tok, ok := strings.CutPrefix(authorization, "Bearer ")
	if !ok || tok == "" {
		return "", false
	}
	d := sha256.Sum256([]byte(tok))
	found := -1
	for i := range t.digests {
		if subtle.ConstantTimeCompare(d[:], t.digests[i][:]) == 1 {
			found = i
		}
	}
	if found < 0 {
		return "", false
	}
	return t.names[found], true
}
