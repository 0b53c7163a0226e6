package report

import (
	"strings"
	"testing"
)

// A re-encode refusal is not an unsupported format: the advice must send
// the user to the lossless mode, not to an image editor.
func TestAdviceReencodeRefusal(t *testing.T) {
	refused := &File{Status: StatusUnsupported, Reason: ReasonUnsupportedFormat, Format: "heif", Method: "reencode"}
	if a := Advice(refused, "scrub"); !strings.Contains(a, "--mode lossless") {
		t.Errorf("advice for a re-encode refusal = %q, want it to name --mode lossless", a)
	}
	if w := Why(refused); strings.Contains(w, "cannot be rewritten") {
		t.Errorf("why for a re-encode refusal = %q: the file can be rewritten losslessly", w)
	}
	raw := &File{Status: StatusUnsupported, Reason: ReasonUnsupportedFormat, Format: "raw"}
	if a := Advice(raw, "scrub"); strings.Contains(a, "--mode lossless") {
		t.Errorf("advice for an unsupported format = %q must not send the user to lossless mode", a)
	}
}
