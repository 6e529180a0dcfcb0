package multienv_test

import (
	"errors"
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

// TestRuleStepTemplate: in a trace, the step of a rule whose default has
// a placeholder is a template; a plain default, or none, is not.
func TestRuleStepTemplate(t *testing.T) {
	c, err := multienv.LoadBytes("multienv.toml", []byte(`version = 1
catalog = false

[[envs]]
name = "sbx"
kind = "sandbox"
instances = true

[[envs]]
name = "prd"
kind = "production"

[[runtimes]]
name = "laptop"
group = "local"

[[rules]]
name = "pr"
groups = ["local"]
when = [{ pr = true }]
default = "sbx-pr{pr_number}"

[[rules]]
name = "branch"
groups = ["local"]
when = [{ pr = true }]
default = "sbx-{branch}"

[[rules]]
name = "named"
groups = ["local"]
from = ["USER_ENV_NAME"]

[[rules]]
name = "plain"
groups = ["local"]
default = "sbx"
`))
	if err != nil {
		t.Fatal(err)
	}
	_, trace, err := c.Explain(multienv.Inputs{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"pr": true, "branch": true, "named": false, "plain": false}
	if len(trace.Rules) != len(want) {
		t.Fatalf("the trace has %d rules, want %d: %+v", len(trace.Rules), len(want), trace.Rules)
	}
	for _, step := range trace.Rules {
		if got := step.Template(); got != want[step.Rule] {
			t.Errorf("rule %s (default %q): Template() = %v, want %v", step.Rule, step.Default, got, want[step.Rule])
		}
	}
}

// TestTraceListsRulesAfterTheLast: when no rule yields, the trace holds
// every rule, those after the last that applies passed over.
func TestTraceListsRulesAfterTheLast(t *testing.T) {
	c, err := multienv.LoadBytes("multienv.toml", []byte(`version = 1
catalog = false

[[envs]]
name = "sbx"
kind = "sandbox"

[[envs]]
name = "prd"
kind = "production"

[[runtimes]]
name = "lambda"
group = "app"
when = [{ set = ["AWS_LAMBDA_FUNCTION_NAME"] }]

[[runtimes]]
name = "laptop"
group = "local"

[[rules]]
name = "named"
groups = ["local"]
from = ["USER_ENV_NAME"]

[[rules]]
name = "apps"
groups = ["app"]
default = "sbx"
`))
	if err != nil {
		t.Fatal(err)
	}
	_, trace, err := c.Explain(multienv.Inputs{})
	if !errors.Is(err, multienv.ErrNothingSet) {
		t.Fatalf("got %v, want an error matching ErrNothingSet", err)
	}
	type step struct {
		rule    string
		applies bool
	}
	var got []step
	for _, s := range trace.Rules {
		got = append(got, step{s.Rule, s.Applies})
	}
	if want := []step{{"named", true}, {"apps", false}}; !slices.Equal(got, want) {
		t.Errorf("trace rules = %+v, want %+v", got, want)
	}
}
