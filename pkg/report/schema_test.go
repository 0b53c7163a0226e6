package report

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// loadSchema returns the embedded schema, checking it is the file the
// docs link to.
func loadSchema(t testing.TB) *jsonSchema {
	t.Helper()
	b, err := os.ReadFile("../../docs/report.schema.json")
	if err != nil || !bytes.Equal(b, schemaJSON) {
		t.Fatalf("docs/report.schema.json is not the embedded schema (%v)", err)
	}
	s, err := parseSchema(b)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// validateReport checks every line of a report against the schema.
func validateReport(t testing.TB, data []byte) {
	t.Helper()
	s := loadSchema(t)
	for i, l := range splitLines(data) {
		if err := s.validateLine(l); err != nil {
			t.Errorf("line %d does not match docs/report.schema.json: %v\n%s", i, err, l)
		}
	}
}

func TestSchemaAcceptsReports(t *testing.T) {
	for _, opts := range []Options{{}, {SignKey: testKey}, {RedactKey: bytes.Repeat([]byte{1}, 32)}} {
		data, _ := buildReport(t, opts, sampleFiles())
		validateReport(t, data)
	}
}

// TestSchemaRejects proves the schema and validator can fail.
func TestSchemaRejects(t *testing.T) {
	s := loadSchema(t)
	data, _ := buildReport(t, Options{}, sampleFiles())
	l := splitLines(data)
	file, seal := string(l[1]), string(l[len(l)-1])
	for name, line := range map[string]string{
		"extra property":   strings.Replace(file, `"path":`, `"gps":"51.5,-0.1","path":`, 1),
		"bad status":       strings.Replace(file, `"status":"scrubbed"`, `"status":"done"`, 1),
		"bad reason":       strings.Replace(string(l[3]), `"reason":"symlink"`, `"reason":"because"`, 1),
		"missing required": strings.Replace(file, `"verification":"passed",`, ``, 1),
		"bad category":     strings.Replace(file, `"category":"location"`, `"category":"secret"`, 1),
		"bad hash":         strings.Replace(file, `"sha256_before":"1111`, `"sha256_before":"X111`, 1),
		"negative count":   strings.Replace(seal, `"files":5`, `"files":-5`, 1),
		"bad type":         strings.Replace(seal, `"type":"summary"`, `"type":"seal"`, 1),
		"string for int":   strings.Replace(seal, `"exit_code":0`, `"exit_code":"0"`, 1),
		"local time":       strings.Replace(seal, `05:00Z`, `05:00+01:00`, 1),
		"header seq":       strings.Replace(string(l[0]), `"seq":0`, `"seq":1`, 1),
	} {
		if line == file || line == seal {
			t.Fatalf("%s: replacement did not apply", name)
		}
		if err := s.validateLine([]byte(line)); err == nil {
			t.Errorf("%s: schema accepted %s", name, line)
		}
	}
}
