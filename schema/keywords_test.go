package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/multienv/multienv/internal/mutate"
)

// judge compiles a schema file with the full JSON Schema validator and
// returns a Validator of it that flattens its error tree into leaves, as
// package reference does for envs.schema.json.
func judge(t testing.TB, file string) Validator {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	id, _ := doc["$id"].(string)
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	if err := c.AddResource(id, strings.NewReader(string(data))); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	return func(v any) ([]Violation, error) {
		err := s.Validate(v)
		var ve *jsonschema.ValidationError
		if err == nil {
			return nil, nil
		}
		if !errors.As(err, &ve) {
			return nil, err
		}
		var out []Violation
		var walk func(*jsonschema.ValidationError)
		walk = func(e *jsonschema.ValidationError) {
			for _, c := range e.Causes {
				walk(c)
			}
			if len(e.Causes) > 0 {
				return
			}
			kw := e.AbsoluteKeywordLocation[strings.IndexByte(e.AbsoluteKeywordLocation, '#')+1:]
			inst := e.InstanceLocation
			if inst != "" {
				segs := strings.Split(inst[1:], "/")
				for i, s := range segs {
					segs[i], _ = url.PathUnescape(s)
				}
				inst = "/" + strings.Join(segs, "/")
			}
			out = append(out, Violation{Instance: inst, Keyword: kw, Path: e.KeywordLocation, Message: e.Message})
		}
		walk(ve)
		return out, nil
	}
}

// canonical lists violations one a line, sorted. The judge lists the keys
// of an additionalProperties violation in map order; they are sorted here.
func canonical(vs []Violation) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		msg := v.Message
		if rest, ok := strings.CutPrefix(msg, "additionalProperties "); ok && strings.HasSuffix(rest, " not allowed") {
			names := strings.Split(strings.TrimSuffix(rest, " not allowed"), ", ")
			slices.Sort(names)
			msg = "additionalProperties " + strings.Join(names, ", ") + " not allowed"
		}
		out[i] = fmt.Sprintf("%s | %s | %s | %s", v.Instance, v.Keyword, v.Path, msg)
	}
	slices.Sort(out)
	return out
}

// agree fails the test when the two validators differ on doc.
func agree(t *testing.T, what string, doc any, generated, judged Validator) (violations int) {
	t.Helper()
	g, gerr := generated(doc)
	j, jerr := judged(doc)
	if (gerr == nil) != (jerr == nil) {
		t.Fatalf("%s: generated error %v, judge error %v", what, gerr, jerr)
	}
	gc, jc := canonical(g), canonical(j)
	if !slices.Equal(gc, jc) {
		t.Fatalf("%s: %s\ngenerated:\n\t%s\njudge:\n\t%s", what, show(doc), strings.Join(gc, "\n\t"), strings.Join(jc, "\n\t"))
	}
	return len(g)
}

// tomlTypes gives a decoded document the types of a parsed TOML file: an
// integer is an int64, any other number a float64.
func tomlTypes(v any) any {
	switch v := v.(type) {
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return i
		}
		f, _ := v.Float64()
		return f
	case []any:
		for i := range v {
			v[i] = tomlTypes(v[i])
		}
	case map[string]any:
		for k := range v {
			v[k] = tomlTypes(v[k])
		}
	}
	return v
}

func show(doc any) string {
	b, _ := json.Marshal(doc)
	return string(b)
}

// keywordDocs pass and fail each keyword of testdata/keywords.schema.json.
var keywordDocs = []string{
	`{"id": "abc"}`,
	`{}`,
	`[]`,
	`"text"`,
	`{"id": "a"}`,
	`{"id": "abcdefghij"}`,
	`{"id": "ABC"}`,
	`{"id": 5}`,
	`{"id": "ab", "many": "a"}`,
	`{"id": "ab", "many": 1.0}`,
	`{"id": "ab", "many": 2}`,
	`{"id": "ab", "many": null}`,
	`{"id": "ab", "many": true}`,
	`{"id": "ab", "version": 1}`,
	`{"id": "ab", "version": 1.0}`,
	`{"id": "ab", "version": "1"}`,
	`{"id": "ab", "point": {"x": 1.0, "y": [true, "z"]}}`,
	`{"id": "ab", "point": {"x": 1, "y": [true]}}`,
	`{"id": "ab", "choice": [1, 2]}`,
	`{"id": "ab", "choice": {"a": "c"}}`,
	`{"id": "ab", "count": 10}`,
	`{"id": "ab", "count": 9.5}`,
	`{"id": "ab", "count": 11}`,
	`{"id": "ab", "count": -1}`,
	`{"id": "ab", "count": 0.25}`,
	`{"id": "ab", "above": -3}`,
	`{"id": "ab", "above": 2.5}`,
	`{"id": "ab", "tags": []}`,
	`{"id": "ab", "tags": ["a", "b", "a"]}`,
	`{"id": "ab", "tags": ["a", "b", "c", "d"]}`,
	`{"id": "ab", "tags": ["A", "toolong", 3]}`,
	`{"id": "ab", "pair": ["a", 1]}`,
	`{"id": "ab", "pair": [1, "a", "extra"]}`,
	`{"id": "ab", "tuple": ["second", 2]}`,
	`{"id": "ab", "vars": {"X_A": 1, "X_B": "s", "Ab": "long", "bad-name": "x", "toolongname": 1, "": "e"}}`,
	`{"id": "ab", "shape": "name"}`,
	`{"id": "ab", "shape": "ab"}`,
	`{"id": "ab", "shape": {"kind": "circle"}}`,
	`{"id": "ab", "shape": {"kind": "oval"}}`,
	`{"id": "ab", "shape": 3}`,
	`{"id": "ab", "any": true}`,
	`{"id": "ab", "any": 3}`,
	`{"id": "ab", "any": "Tag"}`,
	`{"id": "ab", "all": "no"}`,
	`{"id": "ab", "all": "x"}`,
	`{"id": "ab", "all": 1}`,
	`{"id": "ab", "not": []}`,
	`{"id": "ab", "cond": {"kind": "pr"}}`,
	`{"id": "ab", "cond": {"kind": "pr", "number": "7"}}`,
	`{"id": "ab", "cond": {"kind": "push", "number": 7}}`,
	`{"id": "ab", "onlythen": 5}`,
	`{"id": "ab", "never": 1}`,
	`{"id": "ab", "always": {"x": []}}`,
	`{"id": "ab", "tree": {"a": {"b": "", "long": {"toolong": 1}}, "c": 5}}`,
	`{"id": "ab", "tree": {"": {"": ""}}}`,
	`{"id": "ab", "unknown": 1, "zz": 2, "count": 1, "tags": ["a"], "pair": ["a", 1], "any": 5, "all": "xy", "not": 1, "cond": {}}`,
}

// TestKeywordsAgree: the validator generated from testdata/keywords.schema.json
// (every keyword the generator knows) reports what the JSON Schema validator
// reports, on documents that pass and fail each keyword and on every
// variant of them.
func TestKeywordsAgree(t *testing.T) {
	judged := judge(t, "testdata/keywords.schema.json")
	generated := func(doc any) ([]Violation, error) { return run(doc, kwnodes) }
	failing, variants := 0, 0
	for _, src := range keywordDocs {
		var doc any
		dec := json.NewDecoder(strings.NewReader(src))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		doc = tomlTypes(doc)
		if agree(t, src, doc, generated, judged) > 0 {
			failing++
		}
		mutate.Each(doc, append(mutate.Samples(), nil), 1, func(what string, variant any) {
			variants++
			agree(t, src+": "+what, variant, generated, judged)
		})
	}
	if failing < len(keywordDocs)/2 {
		t.Errorf("only %d of %d documents fail: the table does not exercise the keywords", failing, len(keywordDocs))
	}
	t.Logf("%d documents, %d variants", len(keywordDocs), variants)
}
