package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/internal/testconf"
)

// started is what run handed to the start hook.
type started struct {
	calls      int
	path       string
	argv, envv []string
}

// runCommand runs `resolver ARGS...` with the process environment environ
// (also what variables are looked up in) and a start hook that records
// the command instead of starting it, and exits with status.
func runCommand(t *testing.T, dir string, environ []string, status int, args ...string) (int, *started, string) {
	t.Helper()
	vars := map[string]string{}
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	s := &started{}
	var stdout, stderr bytes.Buffer
	e := &invocation{args: args, dir: dir, lookup: mapLookup(vars), stdout: &stdout, stderr: &stderr,
		inputs: multienv.Inputs{Lookup: mapLookup(vars)}, environ: func() []string { return slices.Clone(environ) },
		start: func(path string, argv, envv []string) (int, error) {
			s.calls++
			s.path, s.argv, s.envv = path, argv, envv
			return status, nil
		}}
	code := runWithDeadline(t, e, 10*time.Second)
	if stdout.Len() > 0 {
		t.Errorf("run printed on stdout: %q", stdout.String())
	}
	return code, s, stderr.String()
}

// The command gets exactly the variables export gives, hostile values
// byte for byte; a variable already set is replaced, the others kept.
func TestRunVariables(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("a command is found by its execute bit here; Windows finds it by its extension")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "multienv.toml")
	if err := os.WriteFile(path, []byte(hostileConfig(func(hostile) bool { return true })), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "tool"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	environ := []string{"PATH=relative:" + bin, "HOME=/home/x", "MULTIENV_ID=stale", "MULTIENV_SUBST=stale"}
	code, s, stderr := runCommand(t, dir, environ, 7, "--config", path, "run", "--env", "sbx-7", "--", "tool", "-x", "--", "a b")
	if code != 7 || s.calls != 1 {
		t.Fatalf("exit %d after %d starts: %s; want the command's 7 after one", code, s.calls, stderr)
	}
	if s.path != filepath.Join(bin, "tool") || !slices.Equal(s.argv, []string{"tool", "-x", "--", "a b"}) {
		t.Errorf("started %s %q; want %s with the arguments as given", s.path, s.argv, filepath.Join(bin, "tool"))
	}
	got := map[string]string{}
	for _, kv := range s.envv {
		k, v, _ := strings.Cut(kv, "=")
		if _, dup := got[k]; dup {
			t.Errorf("%s is set twice", k)
		}
		got[k] = v
	}
	mine := map[string]string{}
	for k, v := range got {
		if strings.HasPrefix(k, "MULTIENV_") {
			mine[k] = v
		}
	}
	checkVars(t, mine, wantExported(func(hostile) bool { return true }))
	if got["HOME"] != "/home/x" || got["PATH"] != "relative:"+bin {
		t.Errorf("the other variables were not kept: %q", s.envv)
	}
}

// Nothing is started when the environment cannot be resolved, when the
// configuration is invalid, or when the command is not found.
func TestRunRefuses(t *testing.T) {
	dir := t.TempDir()
	protected := testconf.File + `allow = [{ groups = ["ci"] }]
`
	good := filepath.Join(dir, "good.toml")
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(good, []byte(protected), 0o644)
	os.WriteFile(bad, []byte("version = 1\nenvz = 1\n"), 0o644)
	for _, tc := range []struct {
		name    string
		environ []string
		args    []string
		code    int
		stderr  string
	}{
		{"protected environment refused", []string{"USER_ENV_NAME=prd"}, []string{"--config", good, "run", "--", "/bin/sh", "-c", "exit 0"}, 1, "prd"},
		{"invalid name", []string{"USER_ENV_NAME=PRD"}, []string{"--config", good, "run", "--", "/bin/sh"}, 1, `"PRD"`},
		{"invalid configuration", nil, []string{"--config", bad, "run", "--", "/bin/sh"}, 3, "envz"},
		{"no command", nil, []string{"--config", good, "run"}, 2, "no COMMAND"},
		// --env names an environment as USER_ENV_NAME does: a protected
		// one this laptop is not admitted to is refused, and nothing runs.
		{"--env naming a protected environment", nil, []string{"--config", good, "run", "--env", "prd", "--", "/bin/sh"}, 1, `"prd"`},
		{"unknown --env", nil, []string{"--config", good, "run", "--env", "qa", "--", "/bin/sh"}, 2, `"qa"`},
		{"command not found", []string{"PATH=" + dir}, []string{"--config", good, "run", "--", "no-such-tool"}, 127, "command not found"},
		// A path that names no file, as sh -c /no/such/tool: exit 127.
		{"path not found", nil, []string{"--config", good, "run", "--", filepath.Join(dir, "no", "such-tool")}, 127, "command not found"},
		{"relative path not found", nil, []string{"--config", good, "run", "--", "./no-such-tool"}, 127, "command not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, s, stderr := runCommand(t, dir, tc.environ, 0, tc.args...)
			if code != tc.code || s.calls != 0 || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d after %d starts, stderr %q; want exit %d, nothing started, and %q", code, s.calls, stderr, tc.code, tc.stderr)
			}
		})
	}
}

// A command named by a relative path is looked for from the working
// directory resolver was given, and started by that name.
func TestRunRelativePath(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.toml")
	os.WriteFile(good, []byte(testconf.File), 0o644)
	os.MkdirAll(filepath.Join(dir, "bin"), 0o755)
	os.WriteFile(filepath.Join(dir, "bin", "tool"), []byte("#!/bin/sh\n"), 0o755)
	code, s, stderr := runCommand(t, dir, nil, 0, "--config", good, "run", "--", "bin/tool", "x")
	if code != 0 || s.calls != 1 || s.path != "bin/tool" {
		t.Errorf("exit %d after %d starts of %q, stderr %q; want bin/tool started once", code, s.calls, s.path, stderr)
	}
}

func TestEnvironment(t *testing.T) {
	for _, tc := range []struct {
		name string
		base []string
		vars [][2]string
		want []string
	}{
		{"empty", nil, [][2]string{{"ID", "sbx"}}, []string{"P_ID=sbx"}},
		{"replaced", []string{"A=1", "P_ID=old", "B=2"}, [][2]string{{"ID", "sbx"}}, []string{"A=1", "B=2", "P_ID=sbx"}},
		{"a name alone is kept", []string{"WEIRD", "P_IDX=1"}, [][2]string{{"ID", "a=b"}}, []string{"WEIRD", "P_IDX=1", "P_ID=a=b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := environWith(tc.base, "P_", tc.vars); !slices.Equal(got, tc.want) {
				t.Errorf("got %q; want %q", got, tc.want)
			}
		})
	}
}
