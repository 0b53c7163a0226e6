package serve

import (
	"strings"
	"testing"
)

func TestTokens(t *testing.T) {
	for _, bad := range []string{"", "portal short", "bad name! tokentokentokentoken", "a tok-aaaaaaaaaaaaaaaa\na tok-bbbbbbbbbbbbbbbb"} {
		if _, err := ParseTokens([]byte(bad)); err == nil {
			t.Errorf("token file %q accepted", bad)
		} else if strings.Contains(err.Error(), "tok-") {
			t.Errorf("error %q shows a token", err)
		}
	}
	tk, err := ParseTokens([]byte("a tok-aaaaaaaaaaaaaaaa\nb:tok-bbbbbbbbbbbbbbbb\n"))
	if err != nil {
		t.Fatal(err)
	}
	for h, want := range map[string]string{"Bearer tok-aaaaaaaaaaaaaaaa": "a", "Bearer tok-bbbbbbbbbbbbbbbb": "b", "Bearer tok-cccccccccccccccc": "", "tok-aaaaaaaaaaaaaaaa": "", "": ""} {
		if got, _ := tk.Authenticate(h); got != want {
			t.Errorf("%q: %q, want %q", h, got, want)
		}
	}
}
