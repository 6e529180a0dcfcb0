package config

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/multienv/multienv/schema"
)

// The schema defines the name rule; validName, which the resolver runs
// without a regexp so that resolving allocates nothing, must agree with it.
func TestNameRuleIsTheSchemas(t *testing.T) {
	var doc struct {
		Defs struct {
			Env struct {
				Properties struct {
					Name struct {
						Pattern string `json:"pattern"`
					} `json:"name"`
				} `json:"properties"`
			} `json:"env"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(schema.JSON(), &doc); err != nil {
		t.Fatal(err)
	}
	pattern := doc.Defs.Env.Properties.Name.Pattern
	if pattern == "" {
		t.Fatal("the schema has no pattern for an environment name")
	}
	re := regexp.MustCompile(pattern)
	names := []string{"", "a", "z", "sbx", "prd", "a1", "a0b9", "A", "Prd", "1a", "_a", "a_b", "a-b", "a b", "é", "a\n", "sbx101", "9", "aZ", "a.", "ab\x00"}
	for c := 0; c < 256; c++ {
		names = append(names, string(rune(c)), "a"+string(rune(c)))
	}
	for _, n := range names {
		if got, want := validName(n), re.MatchString(n); got != want {
			t.Errorf("validName(%q) = %v; the schema's %s says %v", n, got, pattern, want)
		}
	}
}
