package report

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// schemaJSON is the published schema of report lines (docs/report.schema.json
// links to this file).
//
//go:embed report.schema.json
var schemaJSON []byte

var (
	schemaOnce   sync.Once
	schemaParsed *jsonSchema
	schemaErr    error
)

// ValidateLine checks one report line against the published JSON Schema
// (report.schema.json, JSON Schema 2020-12). Verify checks the chain; this
// checks the shape, for tools and tests that consume reports.
func ValidateLine(line []byte) error {
	schemaOnce.Do(func() { schemaParsed, schemaErr = parseSchema(schemaJSON) })
	if schemaErr != nil {
		return schemaErr
	}
	return schemaParsed.validateLine(line)
}

// A validator for the subset of JSON jsonSchema 2020-12 that
// docs/report.schema.json uses: $ref (local #/$defs/...), oneOf, const,
// enum, type, minimum, pattern, required, properties,
// additionalProperties:false, items. Any other keyword fails, which keeps
// the schema inside the subset.
type jsonSchema struct{ root map[string]any }

// parseSchema reads a schema document.
func parseSchema(b []byte) (*jsonSchema, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var root map[string]any
	if err := d.Decode(&root); err != nil {
		return nil, err
	}
	return &jsonSchema{root}, nil
}

var annotations = []string{"$schema", "$id", "title", "description", "$defs"}

func (s *jsonSchema) validate(sch map[string]any, x any, at string) error {
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

// validateLine checks one JSON document (a report line) against the schema.
func (s *jsonSchema) validateLine(line []byte) error {
	d := json.NewDecoder(bytes.NewReader(line))
	d.UseNumber()
	var x any
	if err := d.Decode(&x); err != nil {
		return err
	}
	return s.validate(s.root, x, "$")
}
