package integrations_test

import (
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// action is what this test reads of action.yml: a composite action whose
// steps are bash scripts.
type action struct {
	inputs  map[string]string // name → default
	outputs map[string]string // name → value, an expression
	steps   []actionStep
}

type actionStep struct {
	name, id, workdir, run string
	env                    map[string]string
}

// loadAction reads action.yml, and fails the test on anything this runner
// does not do as GitHub does: a step that is no bash script, an expression
// in a script (inputs reach scripts through env only), a key it ignores.
func loadAction(t *testing.T) *action {
	t.Helper()
	v, err := parseYAML(readRepoFile(t, "action.yml"))
	if err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	top := mapping(t, v, "action.yml")
	a := &action{inputs: map[string]string{}, outputs: map[string]string{}}
	for name, in := range mapping(t, top["inputs"], "inputs") {
		m := mapping(t, in, "inputs."+name)
		a.inputs[name] = str(t, m["default"], "inputs."+name+".default")
	}
	for name, out := range mapping(t, top["outputs"], "outputs") {
		m := mapping(t, out, "outputs."+name)
		a.outputs[name] = str(t, m["value"], "outputs."+name+".value")
	}
	runs := mapping(t, top["runs"], "runs")
	if runs["using"] != "composite" {
		t.Fatalf("runs.using: got %q, want composite", runs["using"])
	}
	steps, ok := runs["steps"].([]any)
	if !ok || len(steps) == 0 {
		t.Fatal("runs.steps: want a list of steps")
	}
	known := []string{"name", "id", "shell", "working-directory", "env", "run"}
	for i, s := range steps {
		where := fmt.Sprintf("runs.steps[%d]", i)
		m := mapping(t, s, where)
		for key := range m {
			if !slices.Contains(known, key) {
				t.Fatalf("%s.%s: this test runs steps with only %v", where, key, known)
			}
		}
		if m["shell"] != "bash" {
			t.Fatalf("%s.shell: got %q, want bash", where, m["shell"])
		}
		step := actionStep{
			name:    str(t, m["name"], where+".name"),
			id:      str(t, m["id"], where+".id"),
			workdir: str(t, m["working-directory"], where+".working-directory"),
			run:     str(t, m["run"], where+".run"),
			env:     map[string]string{},
		}
		if step.run == "" {
			t.Fatalf("%s.run: empty", where)
		}
		if strings.Contains(step.run, "${{") {
			t.Errorf("%s.run: an expression in the script; pass it through env", where)
		}
		if m["env"] != nil && m["env"] != "" {
			for k, v := range mapping(t, m["env"], where+".env") {
				step.env[k] = str(t, v, where+".env."+k)
			}
		}
		a.steps = append(a.steps, step)
	}
	return a
}

func mapping(t *testing.T, v any, where string) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s: want a mapping, got %#v", where, v)
	}
	return m
}

func str(t *testing.T, v any, where string) string {
	t.Helper()
	if v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		t.Fatalf("%s: want a string, got %#v", where, v)
	}
	return s
}

var expression = regexp.MustCompile(`\$\{\{(.*?)\}\}`)

// expand replaces each ${{ name }} in s by vars[name]; a name not in vars
// is an error, so that an expression GitHub would read differently from
// this test fails it.
func expand(s string, vars map[string]string) (string, error) {
	var err error
	out := expression.ReplaceAllStringFunc(s, func(m string) string {
		name := strings.TrimSpace(expression.FindStringSubmatch(m)[1])
		v, ok := vars[name]
		if !ok && err == nil {
			err = fmt.Errorf("expression %s: this test knows only %v", m, slices.Sorted(maps.Keys(vars)))
		}
		return v
	})
	if strings.Contains(out, "${{") {
		return "", fmt.Errorf("an unterminated expression in %q", s)
	}
	return out, err
}

// job is one run of the action: the files of the workspace, the inputs
// given with 'with', and what the job's event and env set.
type job struct {
	files     map[string]string // the workspace, which also holds a .git
	with      map[string]string
	event     string // GITHUB_EVENT_NAME
	headRef   string // GITHUB_HEAD_REF, set on pull_request
	refName   string // GITHUB_REF_NAME
	ref       string // GITHUB_REF; empty: unset
	payload   string // the event payload file's content (GITHUB_EVENT_PATH); empty: no file
	envName   string // ENV_NAME; empty: unset
	runnerEnv []string
	actionRef string   // github.action_ref: the ref of uses: multienv/multienv@REF
	toolCache string   // RUNNER_TOOL_CACHE; empty: one of the job's own
	unset     []string // variables of the runner this job lacks
	// actionPath is where the runner checked the action out; empty: this
	// repository.
	actionPath string
}

// stepRun is what one step did.
type stepRun struct {
	code    int
	log     string // stdout then stderr
	outputs string // the content of its GITHUB_OUTPUT file
	envFile string // the content of its GITHUB_ENV file
	path    string // the content of its GITHUB_PATH file
}

// runAction runs the steps of a as GitHub runs a composite action's bash
// steps: each script in a file, run by 'bash --noprofile --norc -eo
// pipefail FILE' in its working directory, with its own GITHUB_OUTPUT
// file; a directory a step adds to GITHUB_PATH is on PATH for the steps
// after it; the first step that fails ends the run. It returns what the steps
// that ran did, and the action's outputs when every step succeeded.
func runAction(t *testing.T, a *action, j job) ([]stepRun, map[string]string) {
	t.Helper()
	ctx := deadline(t, 3*time.Minute)
	root := t.TempDir()
	workspace := filepath.Join(root, "workspace")
	temp := filepath.Join(root, "runner_temp")
	home := filepath.Join(root, "home")
	toolCache := j.toolCache
	if toolCache == "" {
		toolCache = filepath.Join(root, "toolcache")
	}
	for _, d := range []string{filepath.Join(workspace, ".git"), temp, home, toolCache} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFiles(t, workspace, j.files)

	actionPath := j.actionPath
	if actionPath == "" {
		actionPath = repoRoot(t)
	}
	vars := map[string]string{"github.action_path": actionPath, "github.workspace": workspace, "github.action_ref": j.actionRef, "runner.temp": temp}
	for name, dflt := range a.inputs {
		vars["inputs."+name] = dflt
	}
	for name, v := range j.with {
		if _, ok := a.inputs[name]; !ok {
			t.Fatalf("with.%s: the action has no such input", name)
		}
		vars["inputs."+name] = v
	}

	path := os.Getenv("PATH")
	base := []string{
		"HOME=" + home,
		"CI=true",
		"GITHUB_ACTIONS=true",
		"GITHUB_ACTION=__run",
		"GITHUB_ACTION_PATH=" + actionPath,
		"GITHUB_EVENT_NAME=" + j.event,
		"GITHUB_REF_NAME=" + j.refName,
		"GITHUB_HEAD_REF=" + j.headRef,
		"GITHUB_WORKSPACE=" + workspace,
		"RUNNER_TEMP=" + temp,
		"RUNNER_TOOL_CACHE=" + toolCache,
		"RUNNER_OS=" + runnerOS[runtime.GOOS],
		"RUNNER_ARCH=" + runnerArch[runtime.GOARCH],
	}
	if j.envName != "" {
		base = append(base, "ENV_NAME="+j.envName)
	}
	if j.ref != "" {
		base = append(base, "GITHUB_REF="+j.ref)
	}
	if j.payload != "" {
		event := filepath.Join(root, "event.json")
		writeFiles(t, root, map[string]string{"event.json": j.payload})
		base = append(base, "GITHUB_EVENT_PATH="+event)
	}
	base = append(base, j.runnerEnv...)

	var runs []stepRun
	for i, s := range a.steps {
		dir := workspace
		if s.workdir != "" {
			var err error
			if dir, err = expand(s.workdir, vars); err != nil {
				t.Fatalf("step %q: working-directory: %v", s.name, err)
			}
		}
		script := filepath.Join(temp, fmt.Sprintf("step%d.sh", i))
		output := filepath.Join(temp, fmt.Sprintf("set_output_%d", i))
		envFile := filepath.Join(temp, fmt.Sprintf("set_env_%d", i))
		pathFile := filepath.Join(temp, fmt.Sprintf("add_path_%d", i))
		writeFiles(t, temp, map[string]string{filepath.Base(script): s.run, filepath.Base(output): "", filepath.Base(envFile): "", filepath.Base(pathFile): ""})
		env := append(slices.Clone(base), "PATH="+path, "GITHUB_OUTPUT="+output, "GITHUB_ENV="+envFile, "GITHUB_PATH="+pathFile)
		for k, v := range s.env {
			v, err := expand(v, vars)
			if err != nil {
				t.Fatalf("step %q: env.%s: %v", s.name, k, err)
			}
			env = append(env, k+"="+v) // the step's env wins, as on GitHub
		}
		env = slices.DeleteFunc(env, func(kv string) bool {
			k, _, _ := strings.Cut(kv, "=")
			return slices.Contains(j.unset, k)
		})
		r := run(t, ctx, dir, env, "bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		out, err := os.ReadFile(output)
		if err != nil {
			t.Fatal(err)
		}
		envOut, err := os.ReadFile(envFile)
		if err != nil {
			t.Fatal(err)
		}
		pathOut, err := os.ReadFile(pathFile)
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, stepRun{code: r.code, log: r.stdout + r.stderr, outputs: string(out), envFile: string(envOut), path: string(pathOut)})
		if r.code != 0 {
			return runs, nil
		}
		// The runner puts each line first on PATH, the last one first.
		for _, dir := range strings.Split(strings.TrimSuffix(string(pathOut), "\n"), "\n") {
			if dir != "" {
				path = dir + string(os.PathListSeparator) + path
			}
		}
		if s.id == "" {
			continue
		}
		values, err := parseOutputs(string(out))
		if err != nil {
			t.Fatalf("step %q: GITHUB_OUTPUT: %v", s.name, err)
		}
		for k, v := range values {
			vars["steps."+s.id+".outputs."+k] = v
		}
	}
	outputs := map[string]string{}
	for name, value := range a.outputs {
		v, err := expand(value, vars)
		if err != nil {
			t.Fatalf("outputs.%s: %v", name, err)
		}
		outputs[name] = v
	}
	return runs, outputs
}

// runnerOS and runnerArch are the RUNNER_OS and RUNNER_ARCH of a runner
// on each platform, as GitHub documents them.
var (
	runnerOS   = map[string]string{"linux": "Linux", "darwin": "macOS", "windows": "Windows"}
	runnerArch = map[string]string{"amd64": "X64", "arm64": "ARM64", "386": "X86", "arm": "ARM"}
)

// parseOutputs reads a GITHUB_OUTPUT file as the runner does: name=value
// lines, and name<<DELIMITER blocks.
func parseOutputs(s string) (map[string]string, error) {
	out := map[string]string{}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if line == "" {
			continue
		}
		if name, delim, ok := strings.Cut(line, "<<"); ok && !strings.Contains(name, "=") {
			end := slices.Index(lines[i+1:], delim)
			if end < 0 {
				return nil, fmt.Errorf("%s: no closing %s", name, delim)
			}
			out[name] = strings.Join(lines[i+1:i+1+end], "\n")
			i += end + 1
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("line %q: neither name=value nor name<<DELIMITER", line)
		}
		out[name] = value
	}
	return out, nil
}

// TestAction runs action.yml's steps as GitHub would, in workspaces of the
// test's, with the variables the runner sets.
func TestAction(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash, which the action's steps run in")
	}
	a := loadAction(t)
	wantOutputs := []string{"id", "env", "instance", "kind", "runtime", "pr"}
	if got := slices.Sorted(maps.Keys(a.outputs)); !slices.Equal(got, slices.Sorted(slices.Values(wantOutputs))) {
		t.Fatalf("outputs: got %v, want %v", got, wantOutputs)
	}
	// CONTRACT section 11: pr is true whenever a pull-request number is
	// known, not only on a pull_request event; the output says so.
	top, err := parseYAML(readRepoFile(t, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	prOut := mapping(t, mapping(t, mapping(t, top, "action.yml")["outputs"], "outputs")["pr"], "outputs.pr")
	if d := str(t, prOut["description"], "outputs.pr.description"); !strings.Contains(d, "whenever a pull-request number is known") ||
		!strings.Contains(d, "pull_request_target") {
		t.Errorf("outputs.pr.description %q: want it true whenever a pull-request number is known (pull_request_target too)", d)
	}
	goenv := goEnv(t, deadline(t, time.Minute))
	needCurl(t)
	srv := serveRelease(t, testRelease(t), nil)
	// Built from source, the action builds with a module cache of its own: it fills it from
	// this machine's, so that the test needs no network.
	for _, kv := range goenv {
		if cache, ok := strings.CutPrefix(kv, "GOMODCACHE="); ok {
			proxy := "file://" + filepath.ToSlash(filepath.Join(cache, "cache", "download"))
			for _, kv := range goenv {
				if p, ok := strings.CutPrefix(kv, "GOPROXY="); ok && p != "" {
					proxy += "," + p
				}
			}
			goenv = append(goenv, "GOPROXY="+proxy)
		}
	}

	good := exampleConfig(t)
	broken, line := brokenConfig(t)
	withQA := strings.Replace(good, `name = "tst"`, `name = "qa"`, 1)
	if withQA == good {
		t.Fatal(`examples/multienv.toml has no name = "tst" to rename`)
	}
	// The resolved environment's description is in the JSON too: a
	// description that looks like JSON must not be read as its keys.
	lookalike := regexp.MustCompile(`(?m)^(name = "stg"\n(?:.*\n)*?description = ).*$`).
		ReplaceAllString(good, `${1}'"id": "prd", "env": "prd", "pr": true, "runtime": "x\\"'`)
	if lookalike == good {
		t.Fatal(`examples/multienv.toml: no description of stg to replace`)
	}
	warned := good + "\n[[runtimes]]\nname = \"token\"\ngroup = \"ci\"\nwhen = [{ set = [\"TOKEN_CI\"] }]\nbranch = [\"DEPLOY_TOKEN\"]\n"
	// Values, one of them built to end its heredoc early and add a variable.
	withValues := good + "\n[values]\nbucket = \"acme-{id}\"\nnote = \"a\\nMULTIENV_EOF\\nINJECTED=1\"\ndb = { port = 5432 }\n" +
		"[values.app]\nid = \"prd\"\nruntime = \"python3.12\"\npr = true\nenv = \"x\"\ninstance = \"9\"\n"

	push := job{event: "push", refName: "main"}
	pr := job{event: "pull_request", refName: "7/merge", headRef: "feature/login"}
	// pull_request_target from a fork's main: GITHUB_REF is the base
	// branch's; the number is in the event payload GitHub writes.
	target := job{event: "pull_request_target", refName: "main", ref: "refs/heads/main", headRef: "main",
		payload: `{"number": 7, "pull_request": {"number": 7, "head": {"ref": "main", "repo": {"full_name": "mallory/shop"}}, "base": {"ref": "main", "repo": {"full_name": "acme/shop"}}}}`}
	targetNoPayload := target
	targetNoPayload.payload = ""
	schedule := job{event: "schedule", refName: "main", ref: "refs/heads/main"}
	recipe, err := os.ReadFile(filepath.Join(repoRoot(t), "examples", "github-flow.toml"))
	if err != nil {
		t.Fatal(err)
	}
	flow := string(recipe)
	tests := []struct {
		name    string
		job     job
		files   map[string]string
		with    map[string]string
		envName string
		// On success, the resolve step's GITHUB_OUTPUT, exactly; else
		// the step that fails and what its log shows.
		want     string
		failStep string
		failLog  string
		// jobEnv are variables the job's env adds.
		jobEnv []string
		// wantEnv are variables the resolve step must add to GITHUB_ENV.
		wantEnv map[string]string
	}{
		{name: "values exported", job: push, files: map[string]string{"multienv.toml": withValues}, envName: "stg",
			want: "id=stg\nenv=stg\ninstance=\nkind=workload\nruntime=github_action\npr=false\n",
			wantEnv: map[string]string{"MULTIENV_ID": "stg", "MULTIENV_ENV": "stg", "MULTIENV_INSTANCE": "", "MULTIENV_KIND": "workload",
				"MULTIENV_BUCKET": "acme-stg", "MULTIENV_NOTE": "a\nMULTIENV_EOF\nINJECTED=1", "MULTIENV_DB_PORT": "5432",
				"MULTIENV_APP_ID": "prd", "MULTIENV_APP_RUNTIME": "python3.12", "MULTIENV_APP_PR": "true", "MULTIENV_APP_ENV": "x",
				"MULTIENV_APP_INSTANCE": "9"}},
		{name: "values not exported", job: push, files: map[string]string{"multienv.toml": withValues}, envName: "stg",
			with: map[string]string{"export": "false"},
			want: "id=stg\nenv=stg\ninstance=\nkind=workload\nruntime=github_action\npr=false\n", wantEnv: map[string]string{}},
		{name: "export neither true nor false", job: push, files: map[string]string{"multienv.toml": good}, envName: "stg",
			with:     map[string]string{"export": "yes"},
			failStep: "resolve", failLog: `(?m)^::error title=multienv::input export must be "true" or "false", not yes$`},
		{name: "push", job: push, files: map[string]string{"multienv.toml": good}, envName: "stg",
			want: "id=stg\nenv=stg\ninstance=\nkind=workload\nruntime=github_action\npr=false\n"},
		{name: "built from source", job: push, files: map[string]string{"multienv.toml": good}, envName: "stg",
			with: map[string]string{"install-mode": "source"},
			want: "id=stg\nenv=stg\ninstance=\nkind=workload\nruntime=github_action\npr=false\n"},
		{name: "built from source whatever GOFLAGS says", job: job{event: "push", refName: "main", runnerEnv: []string{"GOFLAGS=-mod=vendor -tags=nonexistent"}},
			files: map[string]string{"multienv.toml": good}, envName: "stg", with: map[string]string{"install-mode": "source"},
			want: "id=stg\nenv=stg\ninstance=\nkind=workload\nruntime=github_action\npr=false\n"},
		{name: "no GITHUB_ENV to export to", job: job{event: "push", refName: "main", unset: []string{"GITHUB_ENV"}},
			files: map[string]string{"multienv.toml": good}, envName: "stg",
			failStep: "install", failLog: `(?m)^::error title=multienv::GITHUB_ENV is not set or names no file: the action writes to it$`},
		{name: "no GITHUB_PATH to install to", job: job{event: "push", refName: "main", unset: []string{"GITHUB_PATH"}},
			files: map[string]string{"multienv.toml": good}, envName: "stg",
			failStep: "install", failLog: `(?m)^::error title=multienv::GITHUB_PATH is not set or names no file: the action writes to it$`},
		{name: "install-mode neither binary nor source", job: push, files: map[string]string{"multienv.toml": good}, envName: "stg",
			with:     map[string]string{"install-mode": "go"},
			failStep: "install", failLog: `(?m)^::error title=multienv::input install-mode must be "binary" or "source", not go$`},
		{name: "description like JSON", job: push, files: map[string]string{"multienv.toml": lookalike}, envName: "stg",
			want: "id=stg\nenv=stg\ninstance=\nkind=workload\nruntime=github_action\npr=false\n"},
		{name: "pull request with an instance", job: pr, files: map[string]string{"multienv.toml": good}, envName: "sbx-7",
			want: "id=sbx-7\nenv=sbx\ninstance=7\nkind=sandbox\nruntime=github_action\npr=true\n"},
		// qa is declared only in deploy/multienv.toml: both check and
		// current read the file the input names.
		{name: "config input", job: push, files: map[string]string{"deploy/multienv.toml": withQA},
			with: map[string]string{"config": "deploy/multienv.toml"}, envName: "qa",
			want: "id=qa\nenv=qa\ninstance=\nkind=workload\nruntime=github_action\npr=false\n"},
		{name: "warnings pass", job: push, files: map[string]string{"multienv.toml": warned}, envName: "prd",
			want: "id=prd\nenv=prd\ninstance=\nkind=production\nruntime=github_action\npr=false\n"},
		{name: "warnings fail strict", job: push, files: map[string]string{"multienv.toml": warned},
			with: map[string]string{"strict": "true"}, envName: "prd",
			failStep: "check", failLog: `(?m)^::warning file=multienv\.toml,line=\d+,col=\d+,title=resolver check::.*DEPLOY_TOKEN`},
		{name: "strict neither true nor false", job: push, files: map[string]string{"multienv.toml": good},
			with: map[string]string{"strict": "yes\n::warning::x"}, envName: "prd",
			failStep: "check", failLog: `(?m)^::error title=multienv::input strict must be "true" or "false", not \$'yes\\n::warning::x'$`},
		{name: "broken file", job: push, files: map[string]string{"multienv.toml": broken}, envName: "stg",
			failStep: "check", failLog: `(?m)^::error file=multienv\.toml,line=` + strconv.Itoa(line) + `,col=1,title=resolver check::.*colour: unknown key`},
		{name: "no file", job: push, envName: "stg",
			failStep: "check", failLog: `(?m)^::error title=resolver check::no multienv\.toml found`},
		// Built from source, the job's GOFLAGS do not reach the build: a
		// -toolexec that fails every tool would fail it.
		{name: "the job's GOFLAGS", job: push, files: map[string]string{"multienv.toml": good}, envName: "prd",
			jobEnv: []string{"GOFLAGS=-toolexec=false -mod=vendor"}, with: map[string]string{"install-mode": "source"},
			want: "id=prd\nenv=prd\ninstance=\nkind=production\nruntime=github_action\npr=false\n"},
		// Nor does the job's C compiler: the build is pure Go. (New C flags
		// would make the go command compile net's C files with CC.)
		{name: "the job's C compiler", job: push, files: map[string]string{"multienv.toml": good}, envName: "prd",
			jobEnv: []string{"CGO_ENABLED=1", "CC=/nonexistent/cc", "CGO_CFLAGS=-DMULTIENV_JOB_FLAGS"}, with: map[string]string{"install-mode": "source"},
			want: "id=prd\nenv=prd\ninstance=\nkind=production\nruntime=github_action\npr=false\n"},
		// Without the files the runner names, nothing is written, and the
		// error names what is missing.
		{name: "no GITHUB_OUTPUT", job: job{event: "push", refName: "main", unset: []string{"GITHUB_OUTPUT"}},
			files: map[string]string{"multienv.toml": good}, envName: "prd",
			failStep: "install", failLog: `(?m)^::error title=multienv::GITHUB_OUTPUT is not set or names no file: the action writes to it$`},
		{name: "no environment", job: push, files: map[string]string{"multienv.toml": good},
			failStep: "resolve", failLog: `(?m)^resolver: no environment for runtime github_action`},
		// The GitHub-flow recipe: a pull_request_target job gets its
		// sandbox, told production or not; without its payload it fails;
		// a scheduled job must name its environment, not production.
		{name: "pull_request_target", job: target, files: map[string]string{"multienv.toml": flow}, envName: "prd",
			want: "id=sbx-pr7\nenv=sbx\ninstance=pr7\nkind=sandbox\nruntime=github_action\npr=true\n"},
		{name: "pull_request_target without its payload", job: targetNoPayload, files: map[string]string{"multienv.toml": flow}, envName: "prd",
			failStep: "resolve", failLog: `(?m)^resolver: no environment for runtime github_action`},
		{name: "scheduled job told staging", job: schedule, files: map[string]string{"multienv.toml": flow}, envName: "stg",
			want: "id=stg\nenv=stg\ninstance=\nkind=workload\nruntime=github_action\npr=false\n"},
		{name: "scheduled job told production", job: schedule, files: map[string]string{"multienv.toml": flow}, envName: "prd",
			failStep: "resolve", failLog: `(?m)^resolver: "prd" is protected`},
		{name: "invalid environment", job: push, files: map[string]string{"multienv.toml": good}, envName: "PRD",
			failStep: "resolve", failLog: `(?m)^resolver: ENV_NAME="PRD" is not a valid environment id`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			j := tt.job
			with := map[string]string{"version": releaseVersion, "download-url": srv.url}
			maps.Copy(with, tt.with)
			j.files, j.with, j.envName, j.runnerEnv = tt.files, with, tt.envName, append(append(slices.Clone(goenv), j.runnerEnv...), tt.jobEnv...)
			runs, outputs := runAction(t, a, j)
			last := runs[len(runs)-1]
			defer func() {
				if t.Failed() {
					for i, r := range runs {
						t.Logf("step %q: exit %d\n%s", a.steps[i].name, r.code, r.log)
					}
				}
			}()
			if tt.failStep != "" {
				if last.code == 0 {
					t.Fatalf("every step succeeded, want step %q to fail", tt.failStep)
				}
				if got := a.steps[len(runs)-1].id; got != tt.failStep {
					t.Errorf("step %q failed, want step %q", got, tt.failStep)
				}
				if !regexp.MustCompile(tt.failLog).MatchString(last.log) {
					t.Errorf("the log of step %q does not match %s", tt.failStep, tt.failLog)
				}
				for i, r := range runs {
					if r.outputs != "" && (a.steps[i].id != "install" || r.code != 0) {
						t.Errorf("step %q wrote outputs %q", a.steps[i].name, r.outputs)
					}
				}
				if outputs != nil {
					t.Errorf("outputs %v after a failed step", outputs)
				}
				return
			}
			if last.code != 0 {
				t.Fatalf("step %q: exit %d", a.steps[len(runs)-1].name, last.code)
			}
			if last.outputs != tt.want {
				t.Errorf("GITHUB_OUTPUT of the last step:\n got %q\nwant %q", last.outputs, tt.want)
			}
			if tt.wantEnv != nil {
				got, err := parseOutputs(last.envFile)
				if err != nil {
					t.Fatalf("GITHUB_ENV: %v\n%s", err, last.envFile)
				}
				if !reflect.DeepEqual(got, tt.wantEnv) {
					t.Errorf("GITHUB_ENV: got %v\nwant %v", got, tt.wantEnv)
				}
			}
			for i, r := range runs[1 : len(runs)-1] {
				if r.outputs != "" {
					t.Errorf("step %q wrote outputs %q", a.steps[i+1].name, r.outputs)
				}
			}
			want, err := parseOutputs(tt.want)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(outputs, want) {
				t.Errorf("the action's outputs: got %v, want %v", outputs, want)
			}
		})
	}
}
