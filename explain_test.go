package multienv_test

import (
	"slices"
	"testing"

	"github.com/multienv/multienv"
)

// TestFactKeys: the CI facts in the order of CONTRACT §6's table, then
// §11's (pr, a boolean, is no fact of its own: a number is known).
func TestFactKeys(t *testing.T) {
	want := []string{"pr_number", "branch", "base_branch", "tag", "commit", "build", "build_url", "repo", "fork", "event"}
	got := multienv.FactKeys()
	if !slices.Equal(got, want) {
		t.Fatalf("FactKeys() = %q, want %q", got, want)
	}
	got[0] = "changed"
	if multienv.FactKeys()[0] != want[0] {
		t.Error("FactKeys returns a slice the caller can change for everyone")
	}
}

// TestRuleStepTemplate: a default with a placeholder is a template; a
// plain id, or none, is not.
func TestRuleStepTemplate(t *testing.T) {
	for _, tt := range []struct {
		dflt string
		want bool
	}{
		{"sbx-pr{pr_number}", true},
		{"{branch}", true},
		{"sbx", false},
		{"", false},
	} {
		if got := (multienv.RuleStep{Default: tt.dflt}).Template(); got != tt.want {
			t.Errorf("RuleStep{Default: %q}.Template() = %v, want %v", tt.dflt, got, tt.want)
		}
	}
}
