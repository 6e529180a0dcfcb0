package resolver

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/multienv/multienv/config"
	"github.com/multienv/multienv/internal/testconf"
)

// testConfig declares runtimes that exercise every kind of condition.
const testConfig = "version = 1\ncatalog = false\n" + testconf.Tables + `
[[runtimes]]
name = "both"
group = "ci"
when = [{ set = ["A", "B"] }]
pr = [{ equals = { EVENT = ["pr", "mr"] } }, { not_equals = { PR_NUMBER = ["", "false"] } }]
branch = ["HEAD_BRANCH", "BRANCH"]

[[runtimes]]
name = "valued"
group = "ci"
when = [{ equals = { KIND = "x" } }, { contains = { NODE = ["/heroku/", "/dyno/"] } }]

[[runtimes]]
name = "argued"
group = "app"
when = [{ arg = ["--RUN_ID"] }]

[[runtimes]]
name = "filed"
group = "app"
when = [{ file = ["/etc/marker"], not_equals = { OFF = "1" } }]

[[runtimes]]
name = "laptop"
group = "local"

[[rules]]
name = "argued"
runtimes = ["argued"]
default = "prd"

[[rules]]
name = "deployed"
groups = ["ci", "app"]
from = ["USER_ENV_NAME", "ENV_NAME"]
`

func newTest(t testing.TB) *Resolver {
	t.Helper()
	cfg, err := config.Parse("test.toml", []byte(testConfig))
	if err != nil {
		t.Fatal(err)
	}
	return New(cfg)
}

func TestConditions(t *testing.T) {
	r := newTest(t)
	exists := func(p string) bool { return p == "/etc/marker" }
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		file func(string) bool
		want string
	}{
		{"set needs all", map[string]string{"A": ""}, nil, nil, "laptop"},
		{"set, empty counts", map[string]string{"A": "", "B": ""}, nil, nil, "both"},
		{"equals", map[string]string{"KIND": "x"}, nil, nil, "valued"},
		{"equals is exact", map[string]string{"KIND": "X"}, nil, nil, "laptop"},
		{"contains any", map[string]string{"NODE": "/app/dyno/node"}, nil, nil, "valued"},
		{"contains none", map[string]string{"NODE": "/usr/bin/node"}, nil, nil, "laptop"},
		{"arg alone", nil, []string{"job.py", "--RUN_ID", "7"}, nil, "argued"},
		{"arg with value", nil, []string{"job.py", "--RUN_ID=7"}, nil, "argued"},
		{"arg prefix is not the arg", nil, []string{"--RUN_IDX"}, nil, "laptop"},
		{"file and not_equals unset", nil, nil, exists, "laptop"},
		{"file and not_equals", map[string]string{"OFF": "0"}, nil, exists, "filed"},
		{"not_equals differs not", map[string]string{"OFF": "1"}, nil, exists, "laptop"},
		{"no file probe", map[string]string{"OFF": "0"}, nil, nil, "laptop"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rt, err := r.Runtime(Inputs{Lookup: MapLookup(tc.env), Args: tc.args, FileExists: tc.file})
			if err != nil || r.cfg.Runtimes[rt].Name != tc.want {
				t.Errorf("got %v, %v; want %s", rt, err, tc.want)
			}
		})
	}
}

func TestPullRequestAndBranch(t *testing.T) {
	r := newTest(t)
	base := map[string]string{"A": "1", "B": "1", "ENV_NAME": "prd"}
	for _, tc := range []struct {
		name   string
		extra  map[string]string
		pr     bool
		branch string
	}{
		{"no signal", nil, false, ""},
		{"event pr", map[string]string{"EVENT": "pr"}, true, ""},
		{"event push", map[string]string{"EVENT": "push"}, false, ""},
		{"number", map[string]string{"PR_NUMBER": "12"}, true, ""},
		{"number false", map[string]string{"PR_NUMBER": "false"}, false, ""},
		{"head branch first", map[string]string{"HEAD_BRANCH": "feat", "BRANCH": "main"}, false, "feat"},
		{"empty head branch skipped", map[string]string{"HEAD_BRANCH": "", "BRANCH": "main"}, false, "main"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range base {
				env[k] = v
			}
			for k, v := range tc.extra {
				env[k] = v
			}
			res, err := resolve(r, Inputs{Lookup: MapLookup(env)})
			if err != nil || res.PR != tc.pr || res.Branch != tc.branch {
				t.Errorf("got pr=%v branch=%q err=%v; want pr=%v branch=%q", res.PR, res.Branch, err, tc.pr, tc.branch)
			}
		})
	}
}

func TestRulePaths(t *testing.T) {
	r := newTest(t)
	for _, tc := range []struct {
		name                     string
		env                      map[string]string
		args                     []string
		id, source, rule, errKey string
	}{
		{"runtime rule default", nil, []string{"--RUN_ID"}, "prd", "default", "argued", ""},
		{"runtime rule comes first", map[string]string{"USER_ENV_NAME": "sbx"}, []string{"--RUN_ID"}, "prd", "default", "argued", ""},
		{"group rule default", nil, nil, "sbx", "default", "local", ""},
		{"group rule variable", map[string]string{"USER_ENV_NAME": "sbx-9"}, nil, "sbx-9", "USER_ENV_NAME", "local", ""},
		{"second variable", map[string]string{"KIND": "x", "USER_ENV_NAME": "", "ENV_NAME": "prd"}, nil, "prd", "ENV_NAME", "deployed", ""},
		{"first variable wins", map[string]string{"KIND": "x", "USER_ENV_NAME": "sbx", "ENV_NAME": "prd"}, nil, "sbx", "USER_ENV_NAME", "deployed", ""},
		{"bad first variable is not skipped", map[string]string{"KIND": "x", "USER_ENV_NAME": "nope", "ENV_NAME": "prd"}, nil, "", "", "", "unknown"},
		{"nothing set", map[string]string{"KIND": "x"}, nil, "", "", "", "nothing"},
		{"forced runtime", map[string]string{"USER_RUNTIME_NAME": "argued"}, nil, "prd", "default", "argued", ""},
		{"forced unknown", map[string]string{"USER_RUNTIME_NAME": "Argued"}, nil, "", "", "", "runtime"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := resolve(r, Inputs{Lookup: MapLookup(tc.env), Args: tc.args})
			want := map[string]error{"unknown": ErrUnknownEnvironment, "nothing": ErrNothingSet, "runtime": ErrUnknownRuntime}[tc.errKey]
			if want != nil {
				if !errors.Is(err, want) {
					t.Errorf("got %+v, %v; want %v", res, err, want)
				}
				return
			}
			if err != nil || res.ID != tc.id || res.Source != tc.source || res.Rule != tc.rule {
				t.Errorf("got %s/%s/%s, %v; want %s/%s/%s", res.ID, res.Source, res.Rule, err, tc.id, tc.source, tc.rule)
			}
		})
	}
}

// TestFaults: a failed resolution says what failed in the engine's terms,
// which the front door words (its tests check the messages).
func TestFaults(t *testing.T) {
	r := newTest(t)
	for _, tc := range []struct {
		env  map[string]string
		want Fault
	}{
		{map[string]string{"USER_ENV_NAME": "PRD"}, Fault{Kind: ErrInvalidName, Variable: "USER_ENV_NAME", Value: "PRD", Suggestion: "prd"}},
		{map[string]string{"USER_ENV_NAME": "prd-1"}, Fault{Kind: ErrUnknownEnvironment, Variable: "USER_ENV_NAME", Value: "prd-1", Suggestion: "prd"}},
		{map[string]string{"KIND": "x"}, Fault{Kind: ErrNothingSet, Runtime: "valued", Group: "ci", Tried: []string{"USER_ENV_NAME", "ENV_NAME"}}},
		{map[string]string{"USER_RUNTIME_NAME": "lap"}, Fault{Kind: ErrUnknownRuntime, Variable: "USER_RUNTIME_NAME", Value: "lap", Suggestion: "laptop"}},
		{map[string]string{"USER_RUNTIME_NAME": "zzz"}, Fault{Kind: ErrUnknownRuntime, Variable: "USER_RUNTIME_NAME", Value: "zzz"}},
	} {
		_, err := resolve(r, Inputs{Lookup: MapLookup(tc.env)})
		if got := faultOf(err); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%v: got  %+v\nwant %+v", tc.env, got, tc.want)
		}
	}
}

// faultOf is what err says of the kind, the value and the runtime.
func faultOf(err error) Fault {
	var f *Fault
	if !errors.As(err, &f) {
		return Fault{Reason: fmt.Sprint("not a fault: ", err)}
	}
	return Fault{Kind: f.Kind, Variable: f.Variable, Value: f.Value, Hidden: f.Hidden, Suggestion: f.Suggestion, Runtime: f.Runtime, Group: f.Group, Tried: f.Tried}
}

func TestNoRuleApplies(t *testing.T) {
	cfg, err := config.Parse("t.toml", []byte(strings.Replace(testConfig, `groups = ["ci", "app"]`, `groups = ["app"]`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = resolve(New(cfg), Inputs{Lookup: MapLookup(map[string]string{"KIND": "x", "ENV_NAME": "prd"})})
	var f *Fault
	if !errors.Is(err, ErrNothingSet) || !errors.As(err, &f) || f.Runtime != "valued" || f.Rules != nil || f.Tried != nil {
		t.Errorf("got %+v; want nothing set on valued, no rule applying", err)
	}
}

// TestNothingSetNamesOnlyRulesThatApplied: a rule whose when holds in no
// table did not apply (CONTRACT §7), so the fault neither names it nor
// counts the variables it reads as tried: ENV_NAME is set here, and saying
// "set ENV_NAME" would not help.
func TestNothingSetNamesOnlyRulesThatApplied(t *testing.T) {
	deployed := "[[rules]]\nname = \"deployed\"\ngroups = [\"ci\", \"app\"]\nfrom = [\"USER_ENV_NAME\", \"ENV_NAME\"]\n"
	cfg, err := config.Parse("t.toml", []byte(strings.Replace(testConfig, deployed, "", 1)+`
[[rules]]
name = "pushed"
runtimes = ["both"]
when = [{ pr = false }]
from = ["ENV_NAME"]

[[rules]]
name = "reviewed"
runtimes = ["both"]
when = [{ pr = true }]
from = ["REVIEW_ENV"]
`))
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"A": "1", "B": "1", "EVENT": "pr", "ENV_NAME": "prd"}
	_, err = resolve(New(cfg), Inputs{Lookup: MapLookup(env)})
	var f *Fault
	if !errors.As(err, &f) || f.Kind != ErrNothingSet || !slices.Equal(f.Rules, []string{"reviewed"}) || !slices.Equal(f.Tried, []string{"REVIEW_ENV"}) {
		t.Errorf("got %+v; want nothing set, rule reviewed only, REVIEW_ENV tried", err)
	}
}

// TestNothingSetTriesNoSecret: a variable named like a secret, which a
// configuration built by hand in Go may put in a rule's from, is never
// read, so the fault does not name it among the variables tried.
func TestNothingSetTriesNoSecret(t *testing.T) {
	cfg, err := config.Parse("t.toml", []byte(testConfig))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Rules[len(cfg.Rules)-1].From = []string{"AWS_SECRET_ACCESS_KEY", "ENV_NAME"}
	_, err = resolve(New(cfg), Inputs{Lookup: MapLookup(map[string]string{"KIND": "x", "AWS_SECRET_ACCESS_KEY": "prd"})})
	var f *Fault
	if !errors.As(err, &f) || f.Kind != ErrNothingSet || !slices.Equal(f.Tried, []string{"ENV_NAME"}) {
		t.Errorf("got %+v; want nothing set, ENV_NAME alone tried", err)
	}
}

func TestNilFacts(t *testing.T) {
	res, err := resolve(newTest(t), Inputs{})
	if err != nil || res.ID != "sbx" || res.Runtime != "laptop" {
		t.Errorf("got %+v, %v", res, err)
	}
}

// FuzzResolve: no value of the variables makes resolution panic, and every
// success names a declared environment.
func FuzzResolve(f *testing.F) {
	f.Add("", "", "", "")
	f.Add("PRD", "prd", "", "1")
	f.Add("sbx-101", "", "laptop", "")
	f.Add("", "sbx-", "both", "x")
	f.Add("\x1b[31m", "a\nb", "nope", "--RUN_ID")
	r := newTest(f)
	f.Fuzz(func(t *testing.T, user, env, runtime, other string) {
		vars := map[string]string{"USER_ENV_NAME": user, "ENV_NAME": env, "USER_RUNTIME_NAME": runtime, "KIND": other, "NODE": other, "A": other, "B": other}
		res, err := resolve(r, Inputs{Lookup: MapLookup(vars), Args: []string{other}})
		if err != nil {
			if !errors.Is(err, ErrInvalidName) && !errors.Is(err, ErrUnknownEnvironment) && !errors.Is(err, ErrNothingSet) && !errors.Is(err, ErrUnknownRuntime) {
				t.Fatalf("untyped error %v", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("message spans lines: %q", err)
			}
			return
		}
		env2, instance, err := r.Lookup("", res.ID)
		if err != nil || r.cfg.Envs[env2].Name != res.Env.Name || instance != res.Instance {
			t.Fatalf("result %+v names no declared environment: %v", res, err)
		}
	})
}

// applyingConfig has rules that name groups, runtimes, both, and the same
// group or runtime twice, so that which rules apply to a runtime
// meets every case config.Rule.AppliesTo defines.
const applyingConfig = `version = 1
catalog = false

[[envs]]
name = "sbx"
kind = "sandbox"

[[envs]]
name = "prd"
kind = "production"

[[runtimes]]
name = "a1"
group = "app"
when = [{ set = ["A1"] }]

[[runtimes]]
name = "c1"
group = "ci"
when = [{ set = ["C1"] }]

[[runtimes]]
name = "a2"
group = "app"
when = [{ set = ["A2"] }]

[[runtimes]]
name = "laptop"
group = "local"

[[rules]]
name = "byname"
runtimes = ["a2", "a2"]
from = ["X"]

[[rules]]
name = "both"
groups = ["app"]
runtimes = ["a1", "c1"]
from = ["X"]

[[rules]]
name = "twice"
groups = ["ci", "ci"]
from = ["X"]

[[rules]]
name = "local"
groups = ["local"]
from = ["X"]

[[rules]]
name = "all"
groups = ["local", "ci", "app"]
default = "sbx"
`

// TestApplyingRules checks the trace, which lists every rule with whether
// it applies, against the definition, config.Rule.AppliesTo, for every
// rule and runtime.
func TestApplyingRules(t *testing.T) {
	for _, src := range []string{testConfig, applyingConfig} {
		cfg, err := config.Parse("index.toml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		r := New(cfg)
		for _, rt := range cfg.Runtimes {
			_, trace, _ := explain(r, Inputs{Lookup: MapLookup(map[string]string{cfg.RuntimeVariable: rt.Name})})
			if len(trace.Rules) != len(cfg.Rules) && !slices.ContainsFunc(trace.Rules, func(s RuleStep) bool { return s.Yielded }) {
				t.Errorf("%s: the trace lists %d rules of %d, and none yielded", rt.Name, len(trace.Rules), len(cfg.Rules))
			}
			for k, step := range trace.Rules {
				if step.Rule != cfg.Rules[k].Name || step.Applies != cfg.Rules[k].AppliesTo(&rt) {
					t.Errorf("%s: trace step %d is %s applies=%v; want %s applies=%v", rt.Name, k, step.Rule, step.Applies, cfg.Rules[k].Name, cfg.Rules[k].AppliesTo(&rt))
				}
			}
		}
	}
}

func TestApplyingResolution(t *testing.T) {
	cfg, err := config.Parse("index.toml", []byte(applyingConfig))
	if err != nil {
		t.Fatal(err)
	}
	r := New(cfg)
	for _, tc := range []struct {
		env        map[string]string
		rule, id   string
		tried      int // rules in the trace
		nothingSet bool
	}{
		{map[string]string{"A2": "1", "X": "prd"}, "byname", "prd", 1, false},
		{map[string]string{"A1": "1", "X": "prd"}, "both", "prd", 2, false},
		{map[string]string{"C1": "1", "X": "prd"}, "both", "prd", 2, false},
		{map[string]string{"C1": "1"}, "all", "sbx", 5, false},
		{map[string]string{"X": "prd"}, "local", "prd", 4, false},
	} {
		res, trace, err := explain(r, Inputs{Lookup: MapLookup(tc.env)})
		if err != nil || res.Rule != tc.rule || res.ID != tc.id || len(trace.Rules) != tc.tried {
			t.Errorf("%v: got rule %s id %s, %d rules traced, %v; want %s, %s, %d", tc.env, res.Rule, res.ID, len(trace.Rules), err, tc.rule, tc.id, tc.tried)
		}
	}
}

// TestSecretsNeverPrinted: a variable whose name says it holds a secret is
// never read by from (config rejects such a file; a configuration built by
// hand gets the same), so its value is in no answer, error or trace, and
// never read as a branch.
func TestSecretsNeverPrinted(t *testing.T) {
	src := strings.Replace(testConfig, `branch = ["HEAD_BRANCH", "BRANCH"]`, `branch = ["GITHUB_TOKEN", "BRANCH"]`, 1)
	cfg, err := config.Parse("secret.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := config.Parse("secret.toml", []byte(strings.Replace(src, `from = ["USER_ENV_NAME", "ENV_NAME"]`, `from = ["AWS_SECRET_ACCESS_KEY", "ENV_NAME"]`, 1))); err == nil {
		t.Fatal("a secret-named from variable loads")
	}
	deployed := &cfg.Rules[len(cfg.Rules)-1]
	if deployed.Name != "deployed" {
		t.Fatalf("the last rule is %s", deployed.Name)
	}
	deployed.From = []string{"AWS_SECRET_ACCESS_KEY", "ENV_NAME"}
	r := New(cfg)
	ci := map[string]string{"A": "1", "B": "1"}
	with := func(extra map[string]string) Inputs {
		env := maps.Clone(ci)
		maps.Copy(env, extra)
		return Inputs{Lookup: MapLookup(env)}
	}
	for _, secret := range []string{"sbx-hunter2secret", "prd", "PRD-wJalrXUtnFEMI", "stg"} {
		for _, extra := range []map[string]string{{}, {"ENV_NAME": "prd", "GITHUB_TOKEN": "ghp_x", "BRANCH": "main"}} {
			env := maps.Clone(extra)
			env["AWS_SECRET_ACCESS_KEY"] = secret
			res, trace, err := explain(r, with(env))
			if extra["ENV_NAME"] == "" {
				if !errors.Is(err, ErrNothingSet) {
					t.Errorf("%s: got %q, %v; want nothing set: the secret is never read", secret, res.ID, err)
				}
			} else if err != nil || res.ID != "prd" || res.Source != "ENV_NAME" || res.Branch != "main" {
				t.Errorf("%s: got %q from %s, branch %q, %v; want prd from ENV_NAME, branch main (GITHUB_TOKEN is never read as a branch)", secret, res.ID, res.Source, res.Branch, err)
			}
			checkSecretUnread(t, err, trace, "AWS_SECRET_ACCESS_KEY", "hunter2", "wJalr")
		}
	}
	res, err := resolve(r, with(map[string]string{"GITHUB_TOKEN": "ghp_x", "ENV_NAME": "prd"}))
	if err != nil || res.Branch != "" {
		t.Errorf("got branch %q, %v; want none: the only branch variable set is named like a secret", res.Branch, err)
	}
}

// checkSecretUnread: the error holds no part of the secret, and the trace
// never reads the variable that holds it.
func checkSecretUnread(t *testing.T, err error, trace *Trace, variable string, parts ...string) {
	t.Helper()
	f := fmt.Sprintf("%+v", faultOf(err))
	for _, part := range parts {
		if strings.Contains(f, part) {
			t.Errorf("the error holds the secret: %s", f)
		}
	}
	for _, step := range trace.Rules {
		for _, v := range step.Vars {
			if v.Name == variable {
				t.Errorf("trace reads %+v", v)
			}
		}
	}
}

// TestSecretRuntimeVariable: the value of a runtime variable named like a
// secret is neither kept nor matched against the runtimes' names.
func TestSecretRuntimeVariable(t *testing.T) {
	forced := strings.Replace(testConfig, "catalog = false", "catalog = false\nruntime_variable = \"RUNTIME_TOKEN\"", 1)
	cfg, err := config.Parse("forced.toml", []byte(forced))
	if err != nil {
		t.Fatal(err)
	}
	_, err = resolve(New(cfg), Inputs{Lookup: MapLookup(map[string]string{"RUNTIME_TOKEN": "laptob"})})
	if got, want := faultOf(err), (Fault{Kind: ErrUnknownRuntime, Variable: "RUNTIME_TOKEN", Hidden: true}); !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

// manyConfig declares envs environments and runtimes runtimes, the
// runtimes named prod, prow and rt0, rt1, ...
func manyConfig(t *testing.T, envs, runtimes int) *config.Config {
	t.Helper()
	var b strings.Builder
	b.WriteString("version = 1\ncatalog = false\n\n[[envs]]\nname = \"sbx\"\nkind = \"sandbox\"\n\n[[envs]]\nname = \"prd\"\nkind = \"production\"\n")
	for i := range envs - 2 {
		fmt.Fprintf(&b, "\n[[envs]]\nname = \"e%d\"\nkind = \"workload\"\n", i)
	}
	b.WriteString("\n[[runtimes]]\nname = \"heroku\"\ngroup = \"app\"\nwhen = [{ set = [\"P\"] }]\n")
	b.WriteString("\n[[runtimes]]\nname = \"prow\"\ngroup = \"ci\"\nwhen = [{ set = [\"PROW\"] }]\n")
	for i := range runtimes - 3 {
		fmt.Fprintf(&b, "\n[[runtimes]]\nname = \"rt%d\"\ngroup = \"ci\"\nwhen = [{ set = [\"R%d\"] }]\n", i, i)
	}
	b.WriteString("\n[[runtimes]]\nname = \"laptop\"\ngroup = \"local\"\n\n[[rules]]\nname = \"all\"\ngroups = [\"local\", \"ci\", \"app\"]\nfrom = [\"ENV\"]\ndefault = \"sbx\"\n")
	cfg, err := config.Parse("many.toml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestBoundedSuggestions: a bad runtime name gets a suggestion only when
// one is close; the value is kept whole (the front door cuts what it
// prints), and every environment is accepted.
func TestBoundedSuggestions(t *testing.T) {
	r := New(manyConfig(t, 30, 90))
	long := strings.Repeat("x", 70000)
	for _, tc := range []struct {
		variable, value, suggestion string
		kind                        error
	}{
		{"USER_RUNTIME_NAME", "prd", "", ErrUnknownRuntime},
		{"USER_RUNTIME_NAME", "lptop", "laptop", ErrUnknownRuntime},
		{"USER_RUNTIME_NAME", "rt77 ", "rt77", ErrUnknownRuntime},
		{"USER_RUNTIME_NAME", long, "", ErrUnknownRuntime},
		{"ENV", "nope", "", ErrUnknownEnvironment},
		{"ENV", "e9x", "e9", ErrUnknownEnvironment},
	} {
		_, err := resolve(r, Inputs{Lookup: MapLookup(map[string]string{tc.variable: tc.value})})
		want := Fault{Kind: tc.kind, Variable: tc.variable, Value: tc.value, Suggestion: tc.suggestion}
		if got := faultOf(err); !reflect.DeepEqual(got, want) {
			t.Errorf("got  %.80v\nwant %.80v", got, want)
		}
		if f := (*Fault)(nil); errors.As(err, &f) && tc.kind == ErrUnknownEnvironment && len(f.Allowed) != 30 {
			t.Errorf("%s: %d accepted values; want the 30 environments", tc.value, len(f.Allowed))
		}
	}
}

// TestResolveAllocatesNothing: resolution is free of allocation on
// success, whichever rule decides.
func TestResolveAllocatesNothing(t *testing.T) {
	r := New(manyConfig(t, 4, 200))
	for _, env := range []map[string]string{{"R150": "1", "ENV": "prd"}, {}, {"P": "1"}, {"USER_RUNTIME_NAME": "rt3", "ENV": "sbx"}} {
		f := Inputs{Lookup: MapLookup(env)}
		if n := testing.AllocsPerRun(50, func() {
			if _, err := resolve(r, f); err != nil {
				t.Fatal(err)
			}
		}); n != 0 {
			t.Errorf("%v: %v allocations a resolution; want 0", env, n)
		}
	}
}
