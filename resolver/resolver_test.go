package resolver

import (
	"errors"
	"strings"
	"testing"

	"github.com/multienv/multienv/config"
)

// testConfig declares runtimes that exercise every kind of condition.
const testConfig = `version = 1
catalog = false

[[envs]]
name = "sbx"
kind = "sandbox"
instances = true

[[envs]]
name = "prd"
kind = "production"

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
name = "local"
groups = ["local"]
from = ["USER_ENV_NAME"]
default = "sbx"

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
			rt, err := r.Runtime(Facts{Lookup: MapLookup(tc.env), Args: tc.args, FileExists: tc.file})
			if err != nil || rt.Name != tc.want {
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
			res, err := r.Resolve(Facts{Lookup: MapLookup(env)})
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
			res, err := r.Resolve(Facts{Lookup: MapLookup(tc.env), Args: tc.args})
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

func TestErrorMessages(t *testing.T) {
	r := newTest(t)
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"USER_ENV_NAME": "PRD"}, `USER_ENV_NAME="PRD" is not a valid environment id (NAME or NAME-INSTANCE: a lower-case letter, then lower-case letters and digits); allowed: sbx, sbx-<id>, prd; did you mean "prd"?`},
		{map[string]string{"USER_ENV_NAME": "prd-1"}, `USER_ENV_NAME="prd-1" is not a declared environment: prd has no instances; allowed: sbx, sbx-<id>, prd; did you mean "prd"?`},
		{map[string]string{"KIND": "x"}, `no environment for runtime valued (group ci): USER_ENV_NAME and ENV_NAME are unset or empty; set one to one of: sbx, sbx-<id>, prd`},
		{map[string]string{"USER_RUNTIME_NAME": "lap"}, `USER_RUNTIME_NAME="lap" is not a known runtime; allowed: both, valued, argued, filed, laptop; did you mean "laptop"?`},
	} {
		_, err := r.Resolve(Facts{Lookup: MapLookup(tc.env)})
		if err == nil || err.Error() != tc.want {
			t.Errorf("got  %v\nwant %s", err, tc.want)
		}
	}
}

func TestNoRuleApplies(t *testing.T) {
	cfg, err := config.Parse("t.toml", []byte(strings.Replace(testConfig, `groups = ["ci", "app"]`, `groups = ["app"]`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(cfg).Resolve(Facts{Lookup: MapLookup(map[string]string{"KIND": "x", "ENV_NAME": "prd"})})
	if !errors.Is(err, ErrNothingSet) || !strings.Contains(err.Error(), "no rule applies to runtime valued") {
		t.Errorf("got %v", err)
	}
}

func TestNilFacts(t *testing.T) {
	res, err := newTest(t).Resolve(Facts{})
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
		res, err := r.Resolve(Facts{Lookup: MapLookup(vars), Args: []string{other}})
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
		if err != nil || env2 != res.Env || instance != res.Instance {
			t.Fatalf("result %+v names no declared environment: %v", res, err)
		}
	})
}
