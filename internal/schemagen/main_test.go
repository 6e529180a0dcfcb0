package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestGeneratedIsCurrent: the committed validators are what the generator
// makes of the schemas today; after a change to a schema, run
// `go generate ./schema`.
func TestGeneratedIsCurrent(t *testing.T) {
	for _, tc := range []struct{ schema, prefix, code string }{
		{"../../schema/envs.schema.json", "", "../../schema/validate_gen.go"},
		{"../../schema/testdata/keywords.schema.json", "kw", "../../schema/keywords_gen_test.go"},
	} {
		data, err := os.ReadFile(tc.schema)
		if err != nil {
			t.Fatal(err)
		}
		name := tc.schema[strings.LastIndexByte(tc.schema, '/')+1:]
		want, err := generate(data, name, tc.prefix)
		if err != nil {
			t.Fatalf("%s: %v", tc.schema, err)
		}
		have, err := os.ReadFile(tc.code)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(have, want) {
			t.Errorf("%s is stale: it is not what the generator makes of %s; run: go generate ./schema", tc.code, tc.schema)
		}
	}
}

// TestRefuses: what the generator cannot check faithfully is an error that
// names the place and the keyword, never a check left out.
func TestRefuses(t *testing.T) {
	for _, tc := range []struct{ name, schema, want string }{
		{"unknown keyword", `{"type": "array", "contains": {"type": "string"}}`, `#: keyword "contains" is not supported`},
		{"nested unknown keyword", `{"properties": {"a": {"unevaluatedProperties": false}}}`, `#/properties/a: keyword "unevaluatedProperties" is not supported`},
		{"keyword under $defs", `{"$ref": "#/$defs/x", "$defs": {"x": {"dependentRequired": {}}}}`, `#/$defs/x: keyword "dependentRequired"`},
		{"misspelt keyword", `{"propertyName": {"maxLength": 3}}`, `keyword "propertyName" is not supported`},
		{"other draft", `{"$schema": "http://json-schema.org/draft-07/schema#"}`, "draft 2020-12 only"},
		{"unknown type", `{"type": ["string", "float"]}`, `type "float" is not a JSON Schema type`},
		{"negative length", `{"minLength": -1}`, "minLength must be a non-negative integer"},
		{"fractional count", `{"maxItems": 1.5}`, "maxItems must be a non-negative integer"},
		{"bad pattern", `{"pattern": "a(b"}`, "is not a valid regular expression"},
		{"remote ref", `{"$ref": "other.json#/x"}`, "inside the document only"},
		{"dangling ref", `{"$ref": "#/$defs/none"}`, `names nothing in the document`},
		{"ref cycle", `{"$ref": "#/$defs/a", "$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}}`, "never ending: #/$defs/a -> #/$defs/b -> #/$defs/a"},
		{"self ref", `{"properties": {"a": {"$ref": "#/properties/a"}}}`, "never ending: #/properties/a -> #/properties/a"},
		{"not a schema", `{"items": 3}`, "items is not a schema"},
		{"nested $id", `{"properties": {"a": {"$id": "x"}}}`, `keyword "$id" is not supported`},
		{"table const", `{"const": {"a": 1}}`, "const and enum values must be null, booleans, numbers or strings"},
		{"array in enum", `{"enum": ["a", [1]]}`, "const and enum values must be null, booleans, numbers or strings"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := generate([]byte(tc.schema), "test.json", "")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v; want an error with %q", err, tc.want)
			}
		})
	}
}

// TestAccepts: annotations and the keywords' edge forms generate code.
func TestAccepts(t *testing.T) {
	for _, schema := range []string{
		`true`, `false`, `{}`,
		`{"title": "t", "description": "d", "markdownDescription": "m", "default": 1, "deprecated": true, "examples": [1], "$comment": "c", "readOnly": true, "writeOnly": false, "format": "uri"}`,
		`{"properties": {"a": {"$ref": "#"}}}`,
		`{"properties": {"a/b~c": {"type": "string"}, "d e": true}}`,
	} {
		if _, err := generate([]byte(schema), "test.json", ""); err != nil {
			t.Errorf("%s: %v", schema, err)
		}
	}
}
