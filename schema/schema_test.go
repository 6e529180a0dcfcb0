package schema

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestEveryPropertyDescribed: editors show a property's description as help,
// so every property at every level has one, and every object is strict.
func TestEveryPropertyDescribed(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(JSON(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema is %v; want draft 2020-12", doc["$schema"])
	}
	var walk func(path string, node any)
	walk = func(path string, node any) {
		m, ok := node.(map[string]any)
		if !ok {
			return
		}
		if props, ok := m["properties"].(map[string]any); ok {
			if m["additionalProperties"] != false {
				t.Errorf("%s: not strict (additionalProperties is not false)", path)
			}
			for name, p := range props {
				if d, _ := p.(map[string]any)["description"].(string); d == "" {
					t.Errorf("%s.%s: no description", path, name)
				}
			}
		}
		for k, v := range m {
			walk(path+"/"+k, v)
		}
	}
	walk("#", doc)
}

// TestBounds: every string the tools print from a file has a length bound
// that its description states, so that editors show it and no output line
// grows without limit; alternative signals are never empty (an empty list
// would never hold).
func TestBounds(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(JSON(), &doc); err != nil {
		t.Fatal(err)
	}
	defs := doc["$defs"].(map[string]any)
	node := func(path ...string) map[string]any {
		var n any = defs
		for _, p := range path {
			n = n.(map[string]any)[p]
		}
		return n.(map[string]any)
	}
	for _, tc := range []struct {
		path []string
		max  float64
	}{
		{[]string{"env", "properties", "name"}, 32},
		{[]string{"env", "properties", "emoji"}, 16},
		{[]string{"text"}, 240},
		{[]string{"snake"}, 64},
		{[]string{"variable"}, 128},
	} {
		n := node(tc.path...)
		if n["maxLength"] != tc.max {
			t.Errorf("%v: maxLength %v; want %v", tc.path, n["maxLength"], tc.max)
		}
		if d, _ := n["description"].(string); !strings.Contains(d, fmt.Sprintf("at most %v", tc.max)) {
			t.Errorf("%v: the description does not say %q: %s", tc.path, fmt.Sprintf("at most %v", tc.max), d)
		}
	}
	for _, p := range []string{"env", "runtime"} {
		if ref := node(p, "properties", "description")["$ref"]; ref != "#/$defs/text" {
			t.Errorf("%s.description is %v; want the bounded #/$defs/text", p, ref)
		}
	}
	if node("signals")["minItems"] != float64(1) {
		t.Error("signals may be empty")
	}
}
