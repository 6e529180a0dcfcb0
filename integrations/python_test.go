package integrations_test

import (
	"encoding/json"
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

// hermetic returns the environment of a child that installs or runs a
// package: PATH, and a HOME and TMPDIR of the test's own; no CI variable,
// no proxy, no pip or npm setting of this machine.
func hermetic(t *testing.T, path string) []string {
	t.Helper()
	home, tmp := t.TempDir(), t.TempDir()
	env := []string{"PATH=" + path, "HOME=" + home, "TMPDIR=" + tmp, "LANG=C.UTF-8"}
	if runtime.GOOS == "windows" {
		env = append(env, "SYSTEMROOT="+os.Getenv("SYSTEMROOT"), "USERPROFILE="+home, "TEMP="+tmp, "TMP="+tmp)
	}
	return env
}

// project returns a directory holding .git, and files: a repository of
// its own, so that discovery reads nothing above it.
func project(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, files)
	return dir
}

// valuesConfig is the example with values, for detect() to return.
func valuesConfig(t *testing.T) string {
	return exampleConfig(t) + "\n[values]\nbucket = \"acme-{id}\"\nreplicas = 1\n"
}

// python3 returns the interpreter python3 on PATH runs (a shim such as
// pyenv's needs the real HOME; the interpreter it runs does not).
func python3(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3 on PATH: the Python package is not tested")
	}
	r := run(t, deadline(t, 30*time.Second), t.TempDir(), os.Environ(), "python3", "-c", "import sys; print(sys.executable)")
	exe := strings.TrimSpace(r.stdout)
	if r.code != 0 || exe == "" {
		t.Skipf("python3 does not run: exit %d\n%s", r.code, r.stderr)
	}
	return exe
}

// TestPythonWheel builds the wheel of this platform's release archive with
// python/build_wheel.py, installs it with pip into a fresh virtual
// environment from the file alone, then runs resolver from PATH and the
// module's detect().
func TestPythonWheel(t *testing.T) {
	t.Parallel()
	py := python3(t)
	dist := testRelease(t)
	ctx := deadline(t, 4*time.Minute)
	root := t.TempDir()
	env := hermetic(t, os.Getenv("PATH"))

	venv := filepath.Join(root, "venv")
	if r := run(t, ctx, root, env, py, "-m", "venv", venv); r.code != 0 {
		t.Skipf("python3 -m venv failed (Debian: install python3-venv): exit %d\n%s", r.code, r.stderr)
	}
	bin := filepath.Join(venv, "bin")
	if runtime.GOOS == "windows" {
		bin = filepath.Join(venv, "Scripts")
	}
	vpy := filepath.Join(bin, "python")
	if r := run(t, ctx, root, env, vpy, "-m", "pip", "--version"); r.code != 0 {
		t.Skipf("no pip in the virtual environment (Debian: install python3-venv and python3-pip): exit %d\n%s", r.code, r.stderr)
	}

	wheels := filepath.Join(root, "wheels")
	r := run(t, ctx, root, env, py, filepath.Join(repoRoot(t), "python", "build_wheel.py"), "--out", wheels,
		filepath.Join(dist, archiveName(t)))
	if r.code != 0 {
		t.Fatalf("build_wheel.py: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	wheel := strings.TrimSpace(r.stdout)
	wantName := map[string]string{
		"linux_amd64":   "multienv-0.0.1rc1-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.musllinux_1_1_x86_64.whl",
		"linux_arm64":   "multienv-0.0.1rc1-py3-none-manylinux_2_17_aarch64.manylinux2014_aarch64.musllinux_1_1_aarch64.whl",
		"darwin_amd64":  "multienv-0.0.1rc1-py3-none-macosx_11_0_x86_64.whl",
		"darwin_arm64":  "multienv-0.0.1rc1-py3-none-macosx_11_0_arm64.whl",
		"windows_amd64": "multienv-0.0.1rc1-py3-none-win_amd64.whl",
		"windows_arm64": "multienv-0.0.1rc1-py3-none-win_arm64.whl",
	}[hostPlatform(t)]
	if filepath.Base(wheel) != wantName {
		t.Errorf("wheel: got %s, want %s", filepath.Base(wheel), wantName)
	}

	// From the file alone: no index, no cache, no configuration of pip.
	r = run(t, ctx, root, append(env, "PIP_CONFIG_FILE="+os.DevNull, "PIP_NO_INPUT=1"), vpy, "-m", "pip", "install",
		"--no-index", "--no-cache-dir", "--disable-pip-version-check", wheel)
	if r.code != 0 {
		t.Fatalf("pip install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// pip put resolver on the virtual environment's PATH.
	venvEnv := hermetic(t, bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	r = run(t, ctx, root, venvEnv, vpy, "-c", "import shutil; print(shutil.which('resolver'))")
	resolver := strings.TrimSpace(r.stdout)
	if r.code != 0 || filepath.Dir(resolver) != bin {
		t.Fatalf("resolver on PATH: got %q (exit %d), want one in %s\n%s", resolver, r.code, bin, r.stderr)
	}
	empty := project(t, nil)
	if r := run(t, ctx, empty, venvEnv, resolver, "current"); r.code != 0 || r.stdout != "sbx\n" {
		t.Errorf("resolver current: exit %d, stdout %q, want sbx\n%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, ctx, empty, venvEnv, resolver, "--version"); r.stdout != "resolver "+releaseVersion+" (commit "+releaseCommit+")\n" {
		t.Errorf("resolver --version: %q", r.stdout)
	}

	// python -m multienv runs the same resolver.
	if r := run(t, ctx, empty, venvEnv, vpy, "-m", "multienv", "current"); r.code != 0 || r.stdout != "sbx\n" {
		t.Errorf("python -m multienv current: exit %d, stdout %q\n%s", r.code, r.stdout, r.stderr)
	}

	// The README's example, in a repository with values.
	withValues := project(t, map[string]string{"multienv.toml": valuesConfig(t), "example.py": readmeSnippet(t, "python")})
	r = run(t, ctx, withValues, append(slices.Clone(venvEnv), "USER_ENV_NAME=sbx-101"), vpy, "example.py")
	if r.code != 0 || r.stdout != "sbx-101 sandbox acme-sbx-101\n" {
		t.Errorf("the README's Python example: exit %d, stdout %q\n%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, ctx, withValues, append(slices.Clone(venvEnv), "USER_ENV_NAME=PRD"), vpy, "example.py")
	if r.code != 1 || !strings.HasPrefix(r.stderr, `resolver: USER_ENV_NAME="PRD"`) || !strings.HasSuffix(r.stderr, "(exit 1)\n") {
		t.Errorf("the README's Python example, unresolved: exit %d, stderr %q", r.code, r.stderr)
	}

	// Result has a field for every key current --json prints.
	r = run(t, ctx, empty, venvEnv, vpy, "-c", `
import dataclasses, multienv
fields = {f.name for f in dataclasses.fields(multienv.Result)}
print(" ".join(sorted(k for k in multienv.detect().raw if k not in fields)))
`)
	if r.code != 0 || r.stdout != "\n" {
		t.Errorf("keys of current --json that multienv.Result lacks: exit %d, %q\n%s", r.code, r.stdout, r.stderr)
	}

	// python -m multienv on a binary that is not there or cannot be run:
	// a message and the status a shell gives, not a traceback.
	for _, tt := range badBinaries(t) {
		if tt.code != 126 {
			continue
		}
		r := run(t, ctx, empty, append(slices.Clone(venvEnv), "MULTIENV_RESOLVER_PATH="+tt.path), vpy, "-m", "multienv", "current")
		if r.code != 126 || !regexp.MustCompile(`^multienv: .*`+strings.TrimPrefix(tt.msg, "^")).MatchString(strings.TrimSuffix(r.stderr, "\n")) || strings.Contains(r.stderr, "Traceback") {
			t.Errorf("python -m multienv, %s: exit %d, stderr %q, want 126 and a message matching %s", tt.name, r.code, r.stderr, tt.msg)
		}
		tt.checkNotRun(t)
	}
	if r := run(t, ctx, empty, append(slices.Clone(venvEnv), "MULTIENV_RESOLVER_PATH="+filepath.Join(empty, "nothing")), vpy, "-m", "multienv", "current"); r.code != 127 ||
		!strings.HasPrefix(r.stderr, "multienv: MULTIENV_RESOLVER_PATH=") || strings.Contains(r.stderr, "Traceback") {
		t.Errorf("python -m multienv, no binary: exit %d, stderr %q, want 127", r.code, r.stderr)
	}

	// detect(), from a directory of the test with its own multienv.toml;
	// argv[1] holds its keyword arguments, as JSON.
	script := `
import dataclasses, json, sys
import multienv
out = {}
try:
    r = multienv.detect(**json.loads(sys.argv[1]))
    out["type"] = type(r).__name__
    out["dataclass"] = dataclasses.is_dataclass(r)
    out["fields"] = {k: getattr(r, k) for k in ("id", "env", "instance", "kind", "runtime", "group", "pr", "source", "config", "values", "fork", "event", "description")}
except multienv.ResolverError as e:
    out["error"] = type(e).__name__
    out["message"] = e.message
    out["exit_code"] = e.exit_code
json.dump(out, sys.stdout)
`
	type outcome struct {
		Type      string         `json:"type"`
		Dataclass bool           `json:"dataclass"`
		Fields    map[string]any `json:"fields"`
		Error     string         `json:"error"`
		Message   string         `json:"message"`
		ExitCode  int            `json:"exit_code"`
	}
	broken, line := brokenConfig(t)
	// The caller's directory, with a resolver binary in bin/: a relative
	// MULTIENV_RESOLVER_PATH is found from it, whatever cwd detect() gets.
	caller := t.TempDir()
	if err := os.Mkdir(filepath.Join(caller, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	extractResolver(t, dist, filepath.Join(caller, "bin"))
	sbx := map[string]any{
		"id": "sbx", "env": "sbx", "instance": "", "kind": "sandbox", "runtime": "local", "group": "local",
		"pr": false, "source": "default", "config": "(default)", "values": map[string]any{},
		"fork": nil, "event": "", "description": description(t, "sbx")}
	tests := []struct {
		name   string
		dir    string
		vars   []string
		kwargs string // JSON
		want   outcome
		msg    string // a regular expression the error's message matches
	}{
		{name: "default", dir: empty, want: outcome{Type: "Result", Dataclass: true, Fields: sbx}},
		{name: "an instance and values", dir: withValues, vars: []string{"USER_ENV_NAME=sbx-101"},
			want: outcome{Type: "Result", Dataclass: true, Fields: map[string]any{
				"id": "sbx-101", "env": "sbx", "instance": "101", "kind": "sandbox", "runtime": "local", "group": "local",
				"pr": false, "source": "USER_ENV_NAME", "config": filepath.Join(withValues, "multienv.toml"),
				"values": map[string]any{"bucket": "acme-sbx-101", "replicas": 1.0},
				"fork":   nil, "event": "", "description": description(t, "sbx")}}},
		// CONTRACT section 11: fork and event, of a pull request from a fork.
		{name: "a pull request from a fork", dir: empty, vars: prPayload(t),
			want: outcome{Type: "Result", Dataclass: true, Fields: map[string]any{
				"id": "sbx-7", "env": "sbx", "instance": "7", "kind": "sandbox", "runtime": "github_action", "group": "ci",
				"pr": true, "source": "ENV_NAME", "config": "(default)", "values": map[string]any{},
				"fork": true, "event": "pull_request", "description": description(t, "sbx")}}},
		{name: "a push", dir: empty, vars: []string{"GITHUB_ACTIONS=true", "GITHUB_EVENT_NAME=push", "GITHUB_REF_NAME=main", "ENV_NAME=stg"},
			want: outcome{Type: "Result", Dataclass: true, Fields: map[string]any{
				"id": "stg", "env": "stg", "instance": "", "kind": "workload", "runtime": "github_action", "group": "ci",
				"pr": false, "source": "ENV_NAME", "config": "(default)", "values": map[string]any{},
				"fork": nil, "event": "push", "description": description(t, "stg")}}},
		{name: "relative MULTIENV_RESOLVER_PATH", dir: caller, vars: []string{"MULTIENV_RESOLVER_PATH=" + filepath.Join("bin", filepath.Base(resolver))},
			kwargs: `{"cwd": ` + strconv.Quote(empty) + `}`, want: outcome{Type: "Result", Dataclass: true, Fields: sbx}},
		{name: "cwd not there", dir: empty, kwargs: `{"cwd": ` + strconv.Quote(filepath.Join(empty, "gone")) + `}`,
			want: outcome{Error: "ResolverError", ExitCode: 2}, msg: `^cwd '[^']*gone' is not a directory$`},
		{name: "binary named by MULTIENV_RESOLVER_PATH missing", dir: empty, vars: []string{"MULTIENV_RESOLVER_PATH=" + filepath.Join(empty, "nothing")},
			want: outcome{Error: "ResolverNotFoundError", ExitCode: 127},
			msg:  `^MULTIENV_RESOLVER_PATH='[^']*nothing' names no file$`},
		// Arguments no process can be given are the caller's error.
		{name: "a NUL in config", dir: empty, kwargs: `{"config": "a\u0000b"}`,
			want: outcome{Error: "ResolverError", ExitCode: 2}, msg: `^resolver: cannot be run with these arguments: .*null`},
		{name: "a NUL in a variable", dir: empty, kwargs: `{"env": {"USER_ENV_NAME": "prd\u0000x"}}`,
			want: outcome{Error: "ResolverError", ExitCode: 2}, msg: `^resolver: cannot be run with these arguments: .*null`},
		{name: "unresolved", dir: empty, vars: []string{"USER_ENV_NAME=PRD"},
			want: outcome{Error: "ResolverError", ExitCode: 1},
			msg:  `^resolver: USER_ENV_NAME="PRD" is not a valid environment id.*\bprd\b`},
		{name: "invalid file", dir: project(t, map[string]string{"multienv.toml": broken}),
			want: outcome{Error: "ResolverError", ExitCode: 3},
			msg:  `(?m)^.*multienv\.toml:` + strconv.Itoa(line) + `:1: .*colour: unknown key`},
	}
	bad := badBinaries(t)
	for _, b := range bad {
		kwargs := ""
		if b.timeout {
			kwargs = `{"timeout": 1}`
		}
		tests = append(tests, struct {
			name   string
			dir    string
			vars   []string
			kwargs string
			want   outcome
			msg    string
		}{name: b.name, dir: empty, vars: []string{"MULTIENV_RESOLVER_PATH=" + b.path}, kwargs: kwargs,
			want: outcome{Error: "ResolverError", ExitCode: b.code}, msg: b.msg})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kwargs := tt.kwargs
			if kwargs == "" {
				kwargs = "{}"
			}
			r := run(t, ctx, tt.dir, append(slices.Clone(venvEnv), tt.vars...), vpy, "-c", script, kwargs)
			if r.code != 0 {
				t.Fatalf("python: exit %d\n%s", r.code, r.stderr)
			}
			var got outcome
			if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
				t.Fatalf("%v: %s", err, r.stdout)
			}
			msg := got.Message
			got.Message = ""
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
			if tt.msg != "" && !regexp.MustCompile(tt.msg).MatchString(msg) {
				t.Errorf("message %q does not match %s", msg, tt.msg)
			}
		})
	}
	for _, b := range bad {
		b.checkNotRun(t)
	}

	// A pre-release PEP 440 has no spelling for is a wheel pip installs,
	// with the version TestPythonWheelVersion's table gives it.
	data, err := os.ReadFile(filepath.Join(dist, archiveName(t)))
	if err != nil {
		t.Fatal(err)
	}
	nightly := filepath.Join(t.TempDir(), strings.Replace(archiveName(t), strings.TrimPrefix(releaseVersion, "v"), "0.0.2-nightly.5", 1))
	if err := os.WriteFile(nightly, data, 0o644); err != nil {
		t.Fatal(err)
	}
	r = run(t, ctx, root, env, py, filepath.Join(repoRoot(t), "python", "build_wheel.py"), "--out", wheels, nightly)
	if r.code != 0 {
		t.Fatalf("build_wheel.py %s: exit %d\n%s%s", filepath.Base(nightly), r.code, r.stdout, r.stderr)
	}
	wheel = strings.TrimSpace(r.stdout)
	if !strings.HasPrefix(filepath.Base(wheel), "multienv-0.0.2.dev0+nightly.5-py3-none-") {
		t.Errorf("wheel of %s: %s", filepath.Base(nightly), filepath.Base(wheel))
	}
	r = run(t, ctx, root, append(env, "PIP_CONFIG_FILE="+os.DevNull, "PIP_NO_INPUT=1"), vpy, "-m", "pip", "install",
		"--no-index", "--no-cache-dir", "--disable-pip-version-check", "--force-reinstall", wheel)
	if r.code != 0 {
		t.Fatalf("pip install %s: exit %d\n%s%s", filepath.Base(wheel), r.code, r.stdout, r.stderr)
	}
	r = run(t, ctx, root, venvEnv, vpy, "-c", "import importlib.metadata as m; print(m.version('multienv'))")
	if r.code != 0 || r.stdout != "0.0.2.dev0+nightly.5\n" {
		t.Errorf("the installed version: exit %d, stdout %q\n%s", r.code, r.stdout, r.stderr)
	}
}

// TestPythonWheelVersion checks the PEP 440 version build_wheel.py gives
// each version a release takes (internal/release and the Action take any
// -PRERELEASE of [0-9A-Za-z.-]): PEP 440's own spelling of a pre-release
// it knows, else a development release keeping the name as a local label.
// pip's own version parser (packaging, vendored in pip) must read each as
// valid and already in normal form.
func TestPythonWheelVersion(t *testing.T) {
	t.Parallel()
	py := python3(t)
	ctx := deadline(t, time.Minute)
	tests := map[string]string{ // semantic version → PEP 440; "" refused
		"1.2.3":                  "1.2.3",
		"0.0.1-rc.1":             "0.0.1rc1",
		"1.2.3-alpha.2":          "1.2.3a2",
		"1.2.3-a1":               "1.2.3a1",
		"1.2.3-beta":             "1.2.3b0",
		"1.2.3-beta.11":          "1.2.3b11",
		"1.2.3-RC.2":             "1.2.3rc2",
		"1.2.3-c.3":              "1.2.3rc3",
		"1.2.3-pre":              "1.2.3rc0",
		"1.2.3-preview.1":        "1.2.3rc1",
		"1.2.3-dev.4":            "1.2.3.dev4",
		"1.2.3-nightly.20240101": "1.2.3.dev0+nightly.20240101",
		"1.2.3-rc.1.2":           "1.2.3.dev0+rc.1.2",
		"1.2.3-x-y.Z":            "1.2.3.dev0+x.y.z",
		"1.2.3-0.3.7":            "1.2.3.dev0+0.3.7",
		"1.2.3-01":               "1.2.3.dev0+1",
		"1.2.3+build.5":          "",
		"1.2":                    "",
		"01.2.3":                 "",
		"1.2.3-":                 "",
		"1.2.3-a_b":              "",
	}
	versions := slices.Sorted(maps.Keys(tests))
	in, err := json.Marshal(versions)
	if err != nil {
		t.Fatal(err)
	}
	script := `
import json, sys
sys.path.insert(0, sys.argv[1])
import build_wheel
try:
    from pip._vendor.packaging.version import Version
except ImportError:
    Version = None
out = {}
for v in json.loads(sys.argv[2]):
    try:
        p = build_wheel.pep440(v)
    except build_wheel.BuildError:
        out[v] = {"pep440": ""}
        continue
    out[v] = {"pep440": p, "normal": str(Version(p)) if Version else None}
json.dump(out, sys.stdout)
`
	r := run(t, ctx, t.TempDir(), hermetic(t, os.Getenv("PATH")), py, "-B", "-c", script, filepath.Join(repoRoot(t), "python"), string(in))
	if r.code != 0 {
		t.Fatalf("python: exit %d\n%s", r.code, r.stderr)
	}
	var got map[string]struct {
		PEP440 string  `json:"pep440"`
		Normal *string `json:"normal"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	checked := 0
	for _, v := range versions {
		g := got[v]
		if g.PEP440 != tests[v] {
			t.Errorf("pep440(%q): got %q, want %q", v, g.PEP440, tests[v])
		}
		if g.Normal != nil {
			checked++
			if *g.Normal != g.PEP440 {
				t.Errorf("pep440(%q) = %q: pip reads it as %q", v, g.PEP440, *g.Normal)
			}
		}
	}
	if checked == 0 {
		t.Log("no pip in python3: the versions are not checked with pip's parser")
	}
}
