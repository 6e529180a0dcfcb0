package schema

import (
	"encoding/json"
	"testing"
)

func TestCompiles(t *testing.T) {
	s, err := Compiled()
	if err != nil {
		t.Fatalf("schema does not compile: %v", err)
	}
	again, _ := Compiled()
	if s != again {
		t.Error("Compiled returned a different schema on the second call")
	}
}

// TestEveryPropertyDescribed: editors show a property's description as help,
// so every property at every level has one, and every object is strict.
func TestEveryPropertyDescribed(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(JSON, &doc); err != nil {
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
