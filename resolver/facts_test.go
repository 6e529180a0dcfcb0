package resolver

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/multienv/multienv/config"
)

// factsConfig declares one CI runtime whose facts come from every kind of
// source, and rules that decide from them.
const factsConfig = `version = 1
catalog = false

[[envs]]
name = "sbx"
kind = "sandbox"
instances = true

[[envs]]
name = "stg"
kind = "workload"

[[envs]]
name = "prd"
kind = "production"
allow = [{ groups = ["ci"], pr = false, tag = ["v*"] }]

[[runtimes]]
name = "box"
group = "ci"
when = [{ set = ["BOX"] }]
pr = [{ equals = { BOX_EVENT = "pr" } }]
pr_number = [{ var = "BOX_REF", pattern = "refs/pull/{}/head" }]
branch = [{ var = "BOX_SOURCE", pr = true }, { var = "BOX_BRANCH", pr = false }]
base_branch = [{ var = "BOX_BRANCH", pr = true }]
tag = ["BOX_TAG"]
commit = ["BOX_SHA"]
build = ["BOX_BUILD"]
build_url = ["BOX_URL"]
repo = [{ var = "BOX_REPO_URL", pattern = "https://*/{**}.git" }]

[[runtimes]]
name = "laptop"
group = "local"

[[rules]]
name = "laptop"
groups = ["local"]
from = ["USER_ENV_NAME"]
default = "sbx"

[[rules]]
name = "pr"
groups = ["ci"]
when = [{ pr = true }]
default = "sbx-pr{pr_number}"

[[rules]]
name = "release"
groups = ["ci"]
when = [{ tag = "v*" }]
default = "prd"

[[rules]]
name = "main"
groups = ["ci"]
when = [{ branch = ["main", "release/**"] }, { base_branch = "main", equals = { BOX_FORCE = "stg" } }]
default = "stg"

[[rules]]
name = "commit"
groups = ["ci"]
when = [{ branch = "feature/*" }]
default = "sbx-c{commit}"

[[rules]]
name = "told"
groups = ["ci"]
from = ["ENV_NAME"]
`

func factsResolver(t *testing.T) *Resolver {
	t.Helper()
	cfg, err := config.Parse("facts.toml", []byte(factsConfig))
	if err != nil {
		t.Fatal(err)
	}
	return New(cfg)
}

func TestFacts(t *testing.T) {
	r := factsResolver(t)
	for _, tc := range []struct {
		name string
		env  map[string]string
		want Result // the facts, the id and the rule
	}{
		{"pull request", map[string]string{"BOX": "1", "BOX_EVENT": "pr", "BOX_REF": "refs/pull/314/head", "BOX_SOURCE": "fix/Crash",
			"BOX_BRANCH": "main", "BOX_SHA": "0123456789abcdef", "BOX_BUILD": "77", "BOX_URL": "https://box.example/b/77",
			"BOX_REPO_URL": "https://git.example/acme/shop.git"},
			Result{ID: "sbx-pr314", Rule: "pr", PR: true, PRNumber: "314", Branch: "fix/Crash", BaseBranch: "main",
				Commit: "0123456789abcdef", Build: "77", BuildURL: "https://box.example/b/77", Repo: "acme/shop"}},
		// Off a pull request the source branch and the base are not read.
		{"push to main", map[string]string{"BOX": "1", "BOX_SOURCE": "stale", "BOX_BRANCH": "main"},
			Result{ID: "stg", Rule: "main", Branch: "main"}},
		{"push to a release branch", map[string]string{"BOX": "1", "BOX_BRANCH": "release/2.1"},
			Result{ID: "stg", Rule: "main", Branch: "release/2.1"}},
		// The vendor puts the tag in its branch variable: no branch there.
		{"release tag", map[string]string{"BOX": "1", "BOX_TAG": "v2.1.0", "BOX_BRANCH": "v2.1.0"},
			Result{ID: "prd", Rule: "release", Tag: "v2.1.0"}},
		{"feature branch, by commit", map[string]string{"BOX": "1", "BOX_BRANCH": "feature/x", "BOX_SHA": "ABCDEF0123456789"},
			Result{ID: "sbx-cabcdef0", Rule: "commit", Branch: "feature/x", Commit: "ABCDEF0123456789"}},
		// * does not cross a slash: feature/x/y is no feature/*.
		{"deep branch", map[string]string{"BOX": "1", "BOX_BRANCH": "feature/x/y", "ENV_NAME": "sbx-9"},
			Result{ID: "sbx-9", Rule: "told", Branch: "feature/x/y"}},
		// A pull request without a number: the template yields nothing, and
		// the second table of main's when holds, every key of it.
		{"forced to staging", map[string]string{"BOX": "1", "BOX_EVENT": "pr", "BOX_REF": "refs/heads/x", "BOX_BRANCH": "main", "BOX_FORCE": "stg"},
			Result{ID: "stg", Rule: "main", PR: true, BaseBranch: "main"}},
		{"not forced", map[string]string{"BOX": "1", "BOX_EVENT": "pr", "BOX_REF": "refs/heads/x", "BOX_BRANCH": "main", "ENV_NAME": "sbx-2"},
			Result{ID: "sbx-2", Rule: "told", PR: true, BaseBranch: "main"}},
		// A pull request into develop: base_branch = "main" does not hold,
		// though everything else of that table does.
		{"pull request into develop", map[string]string{"BOX": "1", "BOX_EVENT": "pr", "BOX_REF": "refs/heads/x", "BOX_BRANCH": "develop", "BOX_FORCE": "stg", "ENV_NAME": "sbx-4"},
			Result{ID: "sbx-4", Rule: "told", PR: true, BaseBranch: "develop"}},
		// A fact is kept whole, as data (CONTRACT §10), but a pattern is
		// matched only against one of at most maxFactVar (512) bytes: a
		// longer branch matches no branch pattern.
		{"a branch of 512 bytes", map[string]string{"BOX": "1", "BOX_BRANCH": "release/" + strings.Repeat("a", 504)},
			Result{ID: "stg", Rule: "main", Branch: "release/" + strings.Repeat("a", 504)}},
		{"a branch of 513 bytes", map[string]string{"BOX": "1", "BOX_BRANCH": "release/" + strings.Repeat("a", 505), "ENV_NAME": "sbx-5"},
			Result{ID: "sbx-5", Rule: "told", Branch: "release/" + strings.Repeat("a", 505)}},
		// A pattern that does not match gives no fact; a template whose fact
		// is empty yields nothing, and the next rule decides.
		{"no pull request number", map[string]string{"BOX": "1", "BOX_EVENT": "pr", "BOX_REF": "refs/heads/x", "ENV_NAME": "stg"},
			Result{ID: "stg", Rule: "told", PR: true}},
		{"a repository URL of another shape", map[string]string{"BOX": "1", "BOX_REPO_URL": "git@git.example:acme/shop.git", "ENV_NAME": "stg"},
			Result{ID: "stg", Rule: "told"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := resolve(r, Inputs{Lookup: MapLookup(tc.env)})
			if err != nil {
				t.Fatal(err)
			}
			got := res
			got.Env, got.Instance, got.Runtime, got.Group, got.Source, got.Config = config.Env{}, "", "", "", "", ""
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestTemplateInstanceForm(t *testing.T) {
	cfg, err := config.Parse("t.toml", []byte(`version = 1
[[envs]]
name = "sbx"
kind = "sandbox"
instances = true
[[envs]]
name = "prd"
kind = "production"
[[rules]]
name = "branch"
groups = ["local"]
default = "sbx-b{branch}x"
`))
	if err != nil {
		t.Fatal(err)
	}
	rule := cfg.Rules[0].Template
	for _, tc := range []struct{ branch, want string }{
		{"Feature/Login_Page-2", "sbx-bfeatureloginpage2x"},
		{"ünïcode", "sbx-bncodex"},
		{strings.Repeat("a", 40), "sbx-b" + strings.Repeat("a", 30) + "x"}, // 32 characters in all
		{"///", ""},
		{"", ""},
	} {
		var facts config.Facts
		facts[config.FactBranch] = tc.branch
		got, ok := fill(rule, &facts)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("branch %q: got %q, %v; want %q", tc.branch, got, ok, tc.want)
		}
	}
}

func TestProtected(t *testing.T) {
	r := factsResolver(t)
	allowed := []string{`group ci and not a pull request and tag matches "v*"`}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want Fault
	}{
		{"laptop", map[string]string{"USER_ENV_NAME": "prd"},
			Fault{Kind: ErrProtected, ID: "prd", Env: "prd", Runtime: "laptop", Group: "local", Rule: "laptop", Source: "USER_ENV_NAME", Allowed: allowed}},
		{"CI without a tag", map[string]string{"BOX": "1", "BOX_BRANCH": "hotfix", "ENV_NAME": "prd"},
			Fault{Kind: ErrProtected, ID: "prd", Env: "prd", Runtime: "box", Group: "ci", Rule: "told", Source: "ENV_NAME", Allowed: allowed}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := resolve(r, Inputs{Lookup: MapLookup(tc.env)})
			var f *Fault
			if !errors.Is(err, ErrProtected) || !errors.As(err, &f) || !reflect.DeepEqual(*f, tc.want) {
				t.Fatalf("got %+v; want %+v", f, tc.want)
			}
			_, trace, _ := explain(r, Inputs{Lookup: MapLookup(tc.env)})
			if trace.Allow == nil || trace.Allow.Held != -1 || trace.Allow.Env != "prd" {
				t.Errorf("trace.Allow = %+v; want prd, none held", trace.Allow)
			}
		})
	}
}

// TestProtectedForced: a runtime forced by the runtime variable passes an
// allow only where it says it may; a release not forced passes, and the
// trace says which condition held.
func TestProtectedForced(t *testing.T) {
	r := factsResolver(t)
	allowed := []string{`group ci and not a pull request and tag matches "v*"`}
	forced := func(src string) *Resolver {
		t.Helper()
		cfg, err := config.Parse("forced.toml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		return New(cfg)
	}
	release := map[string]string{"USER_RUNTIME_NAME": "box", "BOX_TAG": "v1.0.0"}
	// A runtime forced by the runtime variable satisfies no table of allow
	// that does not say it may: the same release, forced, is refused.
	_, err := resolve(r, Inputs{Lookup: MapLookup(release)})
	want := Fault{Kind: ErrProtected, ID: "prd", Env: "prd", Runtime: "box", Group: "ci", Rule: "release", Source: "default", ForcedBy: "USER_RUNTIME_NAME", Allowed: allowed}
	if f, ok := err.(*Fault); !ok || !reflect.DeepEqual(*f, want) {
		t.Errorf("a forced release: got  %+v\nwant %+v", err, want)
	}
	may := forced(strings.Replace(factsConfig, `tag = ["v*"] }]`, `tag = ["v*"], forced = true }]`, 1))
	if res, err := resolve(may, Inputs{Lookup: MapLookup(release)}); err != nil || res.ID != "prd" {
		t.Errorf("forced = true: got %q, %v; want prd", res.ID, err)
	}
	// runtime_variable = "" switches forcing off: box is not detected (BOX
	// is unset), so the laptop's rule decides.
	off := forced(strings.Replace(factsConfig, "catalog = false", "catalog = false\nruntime_variable = \"\"", 1))
	if res, err := resolve(off, Inputs{Lookup: MapLookup(release)}); err != nil || res.ID != "sbx" || res.Runtime != "laptop" {
		t.Errorf(`runtime_variable = "": got %q on %s, %v; want sbx on laptop`, res.ID, res.Runtime, err)
	}
	_, trace, err := explain(r, Inputs{Lookup: MapLookup(map[string]string{"BOX": "1", "BOX_TAG": "v1.0.0"})})
	if err != nil || trace.Allow == nil || trace.Allow.Held != 0 {
		t.Errorf("a release: %v, %+v", err, trace.Allow)
	}
}

// Rules with conditions cost nothing when they succeed: deciding from the
// facts allocates nothing but the id a template makes.
func TestFactsAllocations(t *testing.T) {
	r := factsResolver(t)
	f := Inputs{Lookup: MapLookup(map[string]string{"BOX": "1", "BOX_TAG": "v2.1.0", "BOX_BRANCH": "v2.1.0", "BOX_SHA": "abc",
		"BOX_REPO_URL": "https://git.example/acme/shop.git"})}
	if n := testing.AllocsPerRun(100, func() { resolve(r, f) }); n != 0 {
		t.Errorf("a release resolves with %v allocations; want 0", n)
	}
}
