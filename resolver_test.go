package multienv_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/internal/testconf"
)

// seedRuntime is one runtime of CONTRACT §3, as the contract states it; the
// tests check the embedded default against this table, not against itself.
type seedRuntime struct {
	name, group string
	env         map[string]string // a minimal environment that shows its signal
	args        []string
}

var seedRuntimes = []seedRuntime{
	{"aws_codebuild", "ci", map[string]string{"CODEBUILD_BUILD_ID": "proj:1"}, nil},
	{"github_action", "ci", map[string]string{"GITHUB_ACTION": "__run"}, nil},
	{"gitlab_ci", "ci", map[string]string{"CI_PROJECT_ID": "42"}, nil},
	{"bitbucket_pipeline", "ci", map[string]string{"BITBUCKET_BUILD_NUMBER": "7"}, nil},
	{"circleci", "ci", map[string]string{"CIRCLECI": "true"}, nil},
	{"jenkins", "ci", map[string]string{"BUILD_TAG": "jenkins-job-1", "EXECUTOR_NUMBER": "0"}, nil},
	{"aws_lambda", "app", map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "fn"}, nil},
	{"aws_batch", "app", map[string]string{"AWS_BATCH_JOB_ID": "job"}, nil},
	{"aws_glue", "app", nil, []string{"script.py", "--JOB_RUN_ID", "jr_1"}},
	{"aws_cloud9", "local", map[string]string{"C9": "1"}, nil},
	{"aws_ec2", "app", map[string]string{"IS_AWS_EC2": "yes"}, nil},
	{"aws_ecs", "app", map[string]string{"IS_AWS_ECS_TASK": "yes"}, nil},
	{"glue_container", "app", map[string]string{"IS_GLUE_CONTAINER": "true"}, nil},
	{"ci", "ci", map[string]string{"CI": "true"}, nil},
	{"local", "local", map[string]string{}, nil},
}

func loadDefault(t testing.TB) *multienv.Config {
	t.Helper()
	cfg, err := multienv.Default()
	if err != nil {
		t.Fatalf("embedded default: %v", err)
	}
	return cfg
}

func inputs(env map[string]string, args []string) multienv.Inputs {
	f := multienv.EnvInputs(env)
	f.Args = args
	return f
}

func merged(maps ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// envValue is one way a variable can be set in the matrix.
type envValue struct {
	label string
	value string
	set   bool
}

var envValues = []envValue{
	{"unset", "", false},
	{"empty", "", true},
	{"valid", "prd", true},
	{"valid-sbx", "sbx", true},
	{"instance", "sbx-101", true},
	{"upper", "PRD", true},
	{"space", " prd", true},
	{"unknown", "qa", true},
	{"dash", "sbx-", true},
	{"no-instances", "tst-1", true},
	{"long", strings.Repeat("a", 64<<10), true},
	{"instance32", "sbx-" + strings.Repeat("7", 32), true},
	{"instance33", "sbx-" + strings.Repeat("7", 33), true},
	{"newline", "prd\nrm -rf /", true},
	{"escape", "\x1b[31mprd", true},
}

// idPattern is an environment id as CONTRACT §5 bounds it: an instance id
// is at most 32 characters.
var idPattern = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]{1,32})?$`)

// expectation is what CONTRACT §3 says for one case.
type expectation struct {
	id, source, rule string
	err              error
	errVar           string
}

// contractOutcome computes the expected outcome from the contract's words:
// local: USER_ENV_NAME else sbx; ci and app: USER_ENV_NAME else ENV_NAME,
// neither is an error; every value must be a declared environment or an
// instance of sbx, the one environment with instances.
func contractOutcome(group string, user, env envValue) expectation {
	check := func(variable, v string) expectation {
		if !idPattern.MatchString(v) {
			return expectation{err: multienv.ErrInvalidName, errVar: variable}
		}
		name, instance, _ := strings.Cut(v, "-")
		if !slices.Contains([]string{"devops", "sbx", "tst", "stg", "prd"}, name) || instance != "" && name != "sbx" {
			return expectation{err: multienv.ErrUnknownEnvironment, errVar: variable}
		}
		rule := "local"
		if group != "local" {
			rule = "deployed"
		}
		return expectation{id: v, source: variable, rule: rule}
	}
	if user.set && user.value != "" {
		return check("USER_ENV_NAME", user.value)
	}
	if group == "local" {
		return expectation{id: "sbx", source: "default", rule: "local"}
	}
	if env.set && env.value != "" {
		return check("ENV_NAME", env.value)
	}
	return expectation{err: multienv.ErrNothingSet}
}

// TestDefaultMatrix resolves every runtime of CONTRACT §3, detected or
// forced, against every way USER_ENV_NAME and ENV_NAME can be set.
func TestDefaultMatrix(t *testing.T) {
	cfg := loadDefault(t)
	cases := 0
	for _, rt := range seedRuntimes {
		for _, forced := range []bool{false, true} {
			for _, user := range envValues {
				for _, env := range envValues {
					base := rt.env
					if forced {
						base = map[string]string{"USER_RUNTIME_NAME": rt.name}
					}
					vars := merged(base)
					if user.set {
						vars["USER_ENV_NAME"] = user.value
					}
					if env.set {
						vars["ENV_NAME"] = env.value
					}
					args := rt.args
					if forced {
						args = nil
					}
					name := fmt.Sprintf("%s/forced=%v/user=%s/env=%s", rt.name, forced, user.label, env.label)
					cases++
					checkCase(t, cfg, name, inputs(vars, args), rt, contractOutcome(rt.group, user, env))
				}
			}
		}
	}
	t.Logf("%d cases", cases)
}

func checkCase(t *testing.T, cfg *multienv.Config, name string, f multienv.Inputs, rt seedRuntime, want expectation) {
	t.Helper()
	res, err := cfg.Resolve(f)
	if want.err != nil {
		if !errors.Is(err, want.err) {
			t.Errorf("%s: got %q, err %v; want error %v", name, res.ID, err, want.err)
			return
		}
		checkMessage(t, name, err, want.errVar, f)
		return
	}
	if err != nil {
		t.Errorf("%s: unexpected error %v", name, err)
		return
	}
	if res.ID != want.id || res.Runtime != rt.name || string(res.Group) != rt.group || res.Source != want.source || res.Rule != want.rule {
		t.Errorf("%s: got id=%q runtime=%s group=%s source=%s rule=%s; want id=%q runtime=%s group=%s source=%s rule=%s",
			name, res.ID, res.Runtime, res.Group, res.Source, res.Rule, want.id, rt.name, rt.group, want.source, want.rule)
	}
	env, instance, _ := strings.Cut(want.id, "-")
	if res.Env.Name != env || res.Instance != instance {
		t.Errorf("%s: got env=%q instance=%q; want %q %q", name, res.Env.Name, res.Instance, env, instance)
	}
}

// checkMessage holds an error to CONTRACT §4: the variable named, the value
// quoted with %q and cut to 64 characters, the allowed names listed.
func checkMessage(t *testing.T, name string, err error, variable string, f multienv.Inputs) {
	t.Helper()
	msg := err.Error()
	if strings.Contains(msg, "\n") {
		t.Errorf("%s: message spans lines: %q", name, msg)
	}
	if len(msg) > 600 {
		t.Errorf("%s: message is %d bytes long", name, len(msg))
	}
	if variable == "" {
		return
	}
	value, _ := f.Lookup(variable)
	cut := value
	if r := []rune(value); len(r) > 64 {
		cut = string(r[:64])
	}
	if !strings.HasPrefix(msg, variable+"="+fmt.Sprintf("%q", cut)) {
		t.Errorf("%s: message %q does not start with %s=%q", name, msg, variable, cut)
	}
	if !strings.Contains(msg, "allowed: devops, sbx, sbx-<id>, tst, stg, prd") {
		t.Errorf("%s: message %q does not list the allowed names", name, msg)
	}
	var ve *multienv.ValueError
	if !errors.As(err, &ve) || ve.Variable != variable || ve.Value != value {
		t.Errorf("%s: errors.As gives %+v; want a ValueError for %s", name, ve, variable)
	}
}

func TestSuggestions(t *testing.T) {
	cfg := loadDefault(t)
	for _, tc := range []struct{ value, want string }{
		{"PRD", `did you mean "prd"?`},
		{" prd", `did you mean "prd"?`},
		{"prod", `did you mean "prd"?`},
		{"SBX-101", `did you mean "sbx-101"?`},
		{"stage", `did you mean "stg"?`},
		{"qa", ""},
	} {
		_, err := cfg.Resolve(multienv.EnvInputs(map[string]string{"USER_ENV_NAME": tc.value}))
		if err == nil {
			t.Fatalf("%q: no error", tc.value)
		}
		has := strings.Contains(err.Error(), "did you mean")
		if tc.want == "" && has || tc.want != "" && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %q; want suggestion %q", tc.value, err, tc.want)
		}
	}
}

// An id mistyped with an underscore for the dash, or a separator before
// the name, gets the id meant.
func TestSuggestionsForSeparators(t *testing.T) {
	cfg := loadDefault(t)
	for value, want := range map[string]string{"sbx_101": "sbx-101", "SBX_101": "sbx-101", "-tst": "tst", "_prd": "prd", "--stg": "stg"} {
		_, err := cfg.Resolve(multienv.EnvInputs(map[string]string{"USER_ENV_NAME": value}))
		if err == nil || !strings.HasSuffix(err.Error(), `did you mean "`+want+`"?`) {
			t.Errorf("%q: got %v; want the suggestion %q", value, err, want)
		}
	}
}

// TestDeliberateDifferences pins D1–D4 of CONTRACT §3, where multienv
// differs from the seed on purpose.
func TestDeliberateDifferences(t *testing.T) {
	cfg := loadDefault(t)
	t.Run("D1 unknown USER_ENV_NAME on a laptop is an error", func(t *testing.T) {
		_, err := cfg.Resolve(multienv.EnvInputs(map[string]string{"USER_ENV_NAME": "dev"}))
		if !errors.Is(err, multienv.ErrUnknownEnvironment) {
			t.Errorf("got %v; want ErrUnknownEnvironment", err)
		}
	})
	t.Run("D2 sbx-101 is an instance of sbx", func(t *testing.T) {
		res, err := cfg.Resolve(multienv.EnvInputs(map[string]string{"USER_ENV_NAME": "sbx-101"}))
		if err != nil || res.Env.Name != "sbx" || res.Instance != "101" || res.ID != "sbx-101" {
			t.Errorf("got %+v, %v; want sbx instance 101", res, err)
		}
	})
	t.Run("D3 CI=true alone is a CI runtime", func(t *testing.T) {
		_, err := cfg.Resolve(multienv.EnvInputs(map[string]string{"CI": "true"}))
		if !errors.Is(err, multienv.ErrNothingSet) {
			t.Errorf("got %v; want ErrNothingSet", err)
		}
		rt, err := cfg.Runtime(multienv.EnvInputs(map[string]string{"CI": "true"}))
		if err != nil || rt.Name != "ci" || rt.Group != "ci" {
			t.Errorf("got %+v, %v; want runtime ci", rt, err)
		}
		for _, off := range []string{"", "0", "false"} {
			rt, _ := cfg.Runtime(multienv.EnvInputs(map[string]string{"CI": off}))
			if rt.Name != "local" {
				t.Errorf("CI=%q: got runtime %s; want local", off, rt.Name)
			}
		}
	})
	t.Run("D4 cloud9 is local and glue_container is app", func(t *testing.T) {
		for env, group := range map[string]multienv.Group{"C9": "local", "IS_GLUE_CONTAINER": "app"} {
			v := "1"
			if env == "IS_GLUE_CONTAINER" {
				v = "true"
			}
			rt, _ := cfg.Runtime(multienv.EnvInputs(map[string]string{env: v}))
			if rt.Group != group {
				t.Errorf("%s: got group %s; want %s", env, rt.Group, group)
			}
		}
		if rt, _ := cfg.Runtime(multienv.EnvInputs(map[string]string{"IS_GLUE_CONTAINER": "false"})); rt.Name != "local" {
			t.Errorf("IS_GLUE_CONTAINER=false: got %s; want local", rt.Name)
		}
	})
}

// TestDetectionOrder: when several signals show, the first runtime of the
// contract's order wins.
func TestDetectionOrder(t *testing.T) {
	cfg := loadDefault(t)
	for i, first := range seedRuntimes[:len(seedRuntimes)-1] {
		for _, later := range seedRuntimes[i+1 : len(seedRuntimes)-1] {
			f := inputs(merged(first.env, later.env), append(slices.Clone(first.args), later.args...))
			rt, err := cfg.Runtime(f)
			if err != nil || rt.Name != first.name {
				t.Errorf("%s + %s: got %s, %v; want %s", first.name, later.name, rt.Name, err, first.name)
			}
		}
	}
}

// TestCIOnPlatforms: a job with CI set on a generic application platform
// (a Kubernetes pod running Tekton, Argo or a Jenkins agent; a Nomad
// allocation; a Cloud Foundry task) is a CI job, while the seed's own
// runtimes keep their place before any CI (CONTRACT §3).
func TestCIOnPlatforms(t *testing.T) {
	cfg := loadDefault(t)
	k8s := map[string]string{"KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"}
	for _, tc := range []struct {
		name, want string
		env        map[string]string
	}{
		{"a pod", "kubernetes", k8s},
		{"a pod with CI=true", "ci", merged(k8s, map[string]string{"CI": "true"})},
		{"a pod with CI=1", "ci", merged(k8s, map[string]string{"CI": "1"})},
		{"a pod with CI=false", "kubernetes", merged(k8s, map[string]string{"CI": "false"})},
		{"a Nomad job with CI", "ci", map[string]string{"NOMAD_ALLOC_ID": "a1", "NOMAD_JOB_NAME": "build", "CI": "true"}},
		{"Cloud Foundry with CI", "ci", map[string]string{"VCAP_APPLICATION": "{}", "CI": "true"}},
		{"Lambda with CI: the seed's order", "aws_lambda", map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "f", "CI": "true"}},
		{"ECS with CI: the seed's order", "aws_ecs", map[string]string{"IS_AWS_ECS_TASK": "1", "CI": "true"}},
		{"a Glue container with CI: the seed's order", "glue_container", map[string]string{"IS_GLUE_CONTAINER": "true", "CI": "true"}},
	} {
		rt, err := cfg.Runtime(multienv.EnvInputs(tc.env))
		if err != nil || rt.Name != tc.want {
			t.Errorf("%s: got %s, %v; want %s", tc.name, rt.Name, err, tc.want)
		}
	}
}

func TestUnknownRuntime(t *testing.T) {
	cfg := loadDefault(t)
	_, err := cfg.Resolve(multienv.EnvInputs(map[string]string{"USER_RUNTIME_NAME": "githubaction"}))
	if !errors.Is(err, multienv.ErrUnknownRuntime) {
		t.Fatalf("got %v; want ErrUnknownRuntime", err)
	}
	// The allowed names (CONTRACT §4), the first 20 of the 87 in detection
	// order, bounded for one line (issue 7), a pointer to the whole list
	// and a suggestion.
	for _, part := range []string{`USER_RUNTIME_NAME="githubaction" is not a known runtime; allowed: aws_codebuild, `,
		", github_action, ", " and 67 more; run 'resolver runtimes' for the list", `did you mean "github_action"?`} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("message %q lacks %q", err, part)
		}
	}
	for _, name := range []string{"aws_glue", "aws_lambda"} {
		if strings.Contains(err.Error(), name) {
			t.Errorf("message %q lists runtime %s, past the first 20", err, name)
		}
	}
	// An empty override counts as unset.
	if res, err := cfg.Resolve(multienv.EnvInputs(map[string]string{"USER_RUNTIME_NAME": ""})); err != nil || res.Runtime != "local" {
		t.Errorf("empty USER_RUNTIME_NAME: got %+v, %v; want local", res, err)
	}
}

func TestNothingSetNamesEverything(t *testing.T) {
	cfg := loadDefault(t)
	_, err := cfg.Resolve(multienv.EnvInputs(map[string]string{"GITHUB_ACTION": "x", "ENV_NAME": ""}))
	var ns *multienv.NothingSetError
	if !errors.As(err, &ns) {
		t.Fatalf("got %v; want a NothingSetError", err)
	}
	if ns.Runtime != "github_action" || !slices.Equal(ns.Tried, []string{"USER_ENV_NAME", "ENV_NAME"}) {
		t.Errorf("got %+v", ns)
	}
	for _, part := range []string{"github_action", "USER_ENV_NAME", "ENV_NAME"} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("message %q lacks %q", err, part)
		}
	}
}

func TestCheck(t *testing.T) {
	cfg := loadDefault(t)
	for _, tc := range []struct {
		id       string
		env, ins string
		err      error
	}{
		{"prd", "prd", "", nil},
		{"sbx-7", "sbx", "7", nil},
		{"sbx-abc1", "sbx", "abc1", nil},
		{"Prd", "", "", multienv.ErrInvalidName},
		{"sbx-1-2", "", "", multienv.ErrInvalidName},
		{"stg-2", "", "", multienv.ErrUnknownEnvironment},
		{"dev", "", "", multienv.ErrUnknownEnvironment},
		{"", "", "", multienv.ErrInvalidName},
	} {
		env, ins, err := cfg.Lookup(tc.id)
		if !errors.Is(err, tc.err) || err == nil && (env.Name != tc.env || ins != tc.ins) {
			t.Errorf("Check(%q) = %s, %q, %v; want %s, %q, %v", tc.id, env.Name, ins, err, tc.env, tc.ins, tc.err)
		}
	}
}

func TestEnvironments(t *testing.T) {
	cfg := loadDefault(t)
	var names, workloads []string
	for _, e := range cfg.Environments() {
		names = append(names, e.Emoji+e.Name+":"+string(e.Kind))
	}
	for _, e := range cfg.Workloads() {
		workloads = append(workloads, e.Name)
	}
	if want := []string{"🔧devops:devops", "📦sbx:sandbox", "🧪tst:workload", "🎸stg:workload", "🏭prd:production"}; !slices.Equal(names, want) {
		t.Errorf("Environments: got %v; want %v", names, want)
	}
	if want := []string{"sbx", "tst", "stg", "prd"}; !slices.Equal(workloads, want) {
		t.Errorf("Workloads: got %v; want %v", workloads, want)
	}
	if cfg.File() != "(default)" || len(cfg.Warnings()) != 0 {
		t.Errorf("File %q, warnings %v", cfg.File(), cfg.Warnings())
	}
}

func TestLoadErrors(t *testing.T) {
	_, err := multienv.LoadBytes("bad.toml", []byte("version = 1\nnope = true\n"))
	if !errors.Is(err, multienv.ErrInvalidConfig) {
		t.Fatalf("got %v; want ErrInvalidConfig", err)
	}
	var ce *multienv.ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("got %T; want *multienv.ConfigError", err)
	}
	problems := ce.Problems
	if len(problems) != 1 || problems[0].Line != 2 || problems[0].Col != 1 || !strings.Contains(problems[0].Message, `"nope"`) {
		t.Errorf("got %v; want one problem at 2:1 naming nope", problems)
	}
	_, err = multienv.Load(filepath.Join(t.TempDir(), "does-not-exist.toml"))
	if !errors.Is(err, multienv.ErrInvalidConfig) || !errors.Is(err, fs.ErrNotExist) || !errors.As(err, &ce) {
		t.Errorf("missing file: got %v (%T); want a *ConfigError that is ErrInvalidConfig and wraps fs.ErrNotExist", err, err)
	}
}

func TestExplainTrace(t *testing.T) {
	cfg := loadDefault(t)
	res, trace, err := cfg.Explain(multienv.EnvInputs(map[string]string{"BUILD_TAG": "t", "EXECUTOR_NUMBER": "1", "ENV_NAME": "stg", "SECRET": "hunter2"}))
	if err != nil || res.ID != "stg" {
		t.Fatalf("got %+v, %v", res, err)
	}
	if trace.Runtime != "jenkins" || trace.Signal != "BUILD_TAG is set and EXECUTOR_NUMBER is set" || trace.Passed != 6 {
		t.Errorf("runtime step: %+v", trace)
	}
	if len(trace.Rules) != 2 || trace.Rules[0].Applies || !trace.Rules[1].Applies || !trace.Rules[1].Yielded {
		t.Fatalf("rule steps: %+v", trace.Rules)
	}
	vars := trace.Rules[1].Vars
	if len(vars) != 2 || vars[0].Set || vars[1].Name != "ENV_NAME" || vars[1].Value != "stg" {
		t.Errorf("variables: %+v", vars)
	}
	if strings.Contains(fmt.Sprintf("%+v", trace), "hunter2") {
		t.Error("the trace holds a value no rule reads")
	}
}

// TestConcurrentResolve shares one Config between goroutines (run with -race).
func TestConcurrentResolve(t *testing.T) {
	cfg := loadDefault(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("sbx-%d", i)
			for range 200 {
				res, err := cfg.Resolve(multienv.EnvInputs(map[string]string{"USER_ENV_NAME": id}))
				if err != nil || res.ID != id {
					t.Errorf("got %q, %v; want %s", res.ID, err, id)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestFileSignal: ProcessInputs' file probe looks at the real file system:
// a runtime whose signal names files is detected when they all exist, and
// not when one is missing. The file is the only fact the configuration
// reads (no catalog, a variable map), so the process's own environment
// cannot decide.
func TestFileSignal(t *testing.T) {
	dir := t.TempDir()
	present := filepath.Join(dir, "present")
	also := filepath.Join(dir, "also")
	missing := filepath.Join(dir, "missing")
	for _, p := range []string{present, also} {
		if err := os.WriteFile(p, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name        string
		files       []string
		runtime, id string
	}{
		{"the file exists", []string{present}, "marked", "prd"},
		{"every file exists", []string{present, also}, "marked", "prd"},
		{"the file is missing", []string{missing}, "plain", "sbx"},
		{"one file of two is missing", []string{present, missing}, "plain", "sbx"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			quoted := make([]string, len(tc.files))
			for i, f := range tc.files {
				quoted[i] = fmt.Sprintf("%q", f)
			}
			cfg, err := multienv.LoadBytes("file.toml", []byte("version = 1\ncatalog = false\n"+testconf.Tables+`
[[runtimes]]
name = "marked"
group = "app"
when = [{ file = [`+strings.Join(quoted, ", ")+`] }]

[[runtimes]]
name = "plain"
group = "local"

[[rules]]
name = "app"
groups = ["app"]
default = "prd"
`))
			if err != nil {
				t.Fatal(err)
			}
			f := multienv.Inputs{Lookup: nil, FileExists: multienv.ProcessInputs().FileExists}
			res, err := cfg.Resolve(f)
			if err != nil || res.Runtime != tc.runtime || res.ID != tc.id {
				t.Errorf("got runtime %q id %q, %v; want runtime %s id %s", res.Runtime, res.ID, err, tc.runtime, tc.id)
			}
		})
	}
}

// TestLongRefKeepsItsFact: a ref of thousands of bytes keeps its branch or
// tag whole (CONTRACT §10: a fact is never cut or rewritten), and a tag's
// push is still the event tag: the catalog's refs/heads/{**} and
// refs/tags/{**} capture from a value of any length.
func TestLongRefKeepsItsFact(t *testing.T) {
	cfg := loadDefault(t)
	long := strings.Repeat("b", 5000)
	for _, tc := range []struct{ ref, branch, tag, event string }{
		{"refs/heads/" + long, long, "", multienv.EventPush},
		{"refs/tags/" + long, "", long, multienv.EventTag},
	} {
		env := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_ACTION": "x", "GITHUB_EVENT_NAME": "push", "GITHUB_REF": tc.ref, "ENV_NAME": "tst"}
		res, err := cfg.Resolve(multienv.EnvInputs(env))
		if err != nil || res.Branch != tc.branch || res.Tag != tc.tag || res.Event != tc.event {
			t.Errorf("%.20s...: got branch of %d bytes, tag of %d, event %q, %v; want %d, %d, %q",
				tc.ref, len(res.Branch), len(res.Tag), res.Event, err, len(tc.branch), len(tc.tag), tc.event)
		}
	}
}
