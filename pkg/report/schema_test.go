package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// A validator for the subset of JSON Schema 2020-12 that
// docs/report.schema.json uses: $ref (local #/$defs/...), oneOf, const,
// enum, type, minimum, pattern, required, properties,
// additionalProperties:false, items. Any other keyword fails, which keeps
// the schema inside the subset.
type schema struct{ root map[string]any }

func loadSchema(t testing.TB) *schema {
	t.Helper()
	b, err := os.ReadFile("../../docs/report.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var root map[string]any
	if err := d.Decode(&root); err != nil {
		t.Fatal(err)
	}
	return &schema{root}
}

var annotations = []string{"$schema", "$id", "title", "description", "$defs"}

func (s *schema) validate(sch map[string]any, x any, at string) error {
	for k, kv := range sch {
		var err error
		switch k {
		case "$ref":
			ref, _ := kv.(string)
			name, ok := strings.CutPrefix(ref, "#/$defs/")
			defs, _ := s.root["$defs"].(map[string]any)
			sub, found := defs[name].(map[string]any)
			if !ok || !found {
				return fmt.Errorf("schema: bad $ref %q", ref)
			}
			err = s.validate(sub, x, at)
		case "oneOf":
			n := 0
			var errs []string
			for _, sub := range kv.([]any) {
				if e := s.validate(sub.(map[string]any), x, at); e == nil {
					n++
				} else {
					errs = append(errs, e.Error())
				}
			}
			if n != 1 {
				err = fmt.Errorf("%s: %d oneOf branches match (%s)", at, n, strings.Join(errs, " | "))
			}
		case "const":
			if !reflect.DeepEqual(kv, x) {
				err = fmt.Errorf("%s: %v is not const %v", at, x, kv)
			}
		case "enum":
			if !slices.ContainsFunc(kv.([]any), func(e any) bool { return reflect.DeepEqual(e, x) }) {
				err = fmt.Errorf("%s: %v not in enum", at, x)
			}
		case "type":
			err = checkType(kv.(string), x, at)
		case "minimum":
			n, ok := x.(json.Number)
			if ok {
				v, _ := n.Float64()
				m, _ := kv.(json.Number).Float64()
				if v < m {
					err = fmt.Errorf("%s: %v below minimum %v", at, v, m)
				}
			}
		case "pattern":
			if str, ok := x.(string); ok && !regexp.MustCompile(kv.(string)).MatchString(str) {
				err = fmt.Errorf("%s: %q does not match %s", at, str, kv)
			}
		case "required":
			if obj, ok := x.(map[string]any); ok {
				for _, r := range kv.([]any) {
					if _, ok := obj[r.(string)]; !ok {
						err = fmt.Errorf("%s: missing %q", at, r)
						break
					}
				}
			}
		case "properties":
			if obj, ok := x.(map[string]any); ok {
				props := kv.(map[string]any)
				for name, v := range obj {
					if p, ok := props[name]; ok {
						if err = s.validate(p.(map[string]any), v, at+"."+name); err != nil {
							break
						}
					}
				}
			}
		case "additionalProperties":
			if kv != false {
				return fmt.Errorf("schema: only additionalProperties:false is supported")
			}
			if obj, ok := x.(map[string]any); ok {
				props, _ := sch["properties"].(map[string]any)
				for name := range obj {
					if _, ok := props[name]; !ok {
						err = fmt.Errorf("%s: unexpected property %q", at, name)
						break
					}
				}
			}
		case "items":
			if arr, ok := x.([]any); ok {
				for i, v := range arr {
					if err = s.validate(kv.(map[string]any), v, fmt.Sprintf("%s[%d]", at, i)); err != nil {
						break
					}
				}
			}
		default:
			if !slices.Contains(annotations, k) {
				return fmt.Errorf("schema: keyword %q outside the supported subset", k)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func checkType(typ string, x any, at string) error {
	ok := false
	switch typ {
	case "object":
		_, ok = x.(map[string]any)
	case "array":
		_, ok = x.([]any)
	case "string":
		_, ok = x.(string)
	case "boolean":
		_, ok = x.(bool)
	case "number":
		_, ok = x.(json.Number)
	case "integer":
		n, isNum := x.(json.Number)
		_, err := n.Int64()
		ok = isNum && err == nil
	default:
		return fmt.Errorf("schema: unsupported type %q", typ)
	}
	if !ok {
		return fmt.Errorf("%s: not of type %s", at, typ)
	}
	return nil
}

func (s *schema) validateLine(line []byte) error {
	d := json.NewDecoder(bytes.NewReader(line))
	d.UseNumber()
	var x any
	if err := d.Decode(&x); err != nil {
		return err
	}
	return s.validate(s.root, x, "$")
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
