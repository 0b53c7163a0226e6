package corpus

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Residual runs the independent yardstick, tools/residual.py beside the
// corpus (ExifTool plus raw container checks), over the files under out,
// and fails t with its report when any of them still holds metadata. what
// names the outputs in that message ("scrubbed outputs"). It logs the
// checker's summary line; when exiftool or the checker is absent
// it logs that the check was skipped and returns.
func Residual(t testing.TB, out, what string) {
	t.Helper()
	tool, ok := Path("../tools/residual.py")
	if _, err := exec.LookPath("exiftool"); err != nil {
		t.Log("exiftool absent: residual check skipped")
		return
	}
	if _, err := os.Stat(tool); !ok || err != nil {
		t.Log("residual.py absent: residual check skipped")
		return
	}
	cmd := exec.Command("python3", tool, out)
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Run(); err != nil {
		t.Errorf("residual.py found metadata left in %s (%v):\n%s", what, err, buf.String())
	}
	t.Logf("residual.py: %s", lastLine(buf.String()))
}

// lastLine is the last non-empty line of s, trimmed.
func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}
