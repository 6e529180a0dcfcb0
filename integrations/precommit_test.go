package integrations_test

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// hook returns the resolver-check hook of .pre-commit-hooks.yaml.
func hook(t *testing.T) map[string]any {
	t.Helper()
	v, err := parseYAML(readRepoFile(t, ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatalf(".pre-commit-hooks.yaml: %v", err)
	}
	hooks, ok := v.([]any)
	if !ok {
		t.Fatalf(".pre-commit-hooks.yaml: want a list of hooks, got %T", v)
	}
	for _, h := range hooks {
		if m, ok := h.(map[string]any); ok && m["id"] == "resolver-check" {
			return m
		}
	}
	t.Fatal(".pre-commit-hooks.yaml: no hook with id resolver-check")
	return nil
}

func TestPreCommitHookFile(t *testing.T) {
	h := hook(t)
	for key, want := range map[string]string{
		"language": "golang", // pre-commit runs 'go install ./...' in its clone
		"entry":    "resolver check",
	} {
		if h[key] != want {
			t.Errorf("%s: got %q, want %q", key, h[key], want)
		}
	}
	for _, key := range []string{"name", "description"} {
		if s, _ := h[key].(string); s == "" {
			t.Errorf("%s: missing", key)
		}
	}
	// pre-commit's default is true; an explicit false would check nothing.
	if v, ok := h["pass_filenames"]; ok && v != "true" {
		t.Errorf("pass_filenames: got %q, want true", v)
	}
	// pre-commit splits entry with shlex; without quotes, that is on spaces.
	if entry, _ := h["entry"].(string); strings.ContainsAny(entry, `"'\`) {
		t.Errorf("entry %q: quotes or backslashes, which this test does not split as pre-commit does", entry)
	}

	files, _ := h["files"].(string)
	re, err := regexp.Compile(files) // pre-commit: Python's re.search, the same for this syntax
	if err != nil {
		t.Fatalf("files %q: %v", files, err)
	}
	for _, tt := range []struct {
		path string
		want bool
	}{
		{"multienv.toml", true},
		{"deploy/multienv.toml", true},
		{"a/b/c/multienv.toml", true},
		{"multienv.toml.bak", false},
		{"xmultienv.toml", false},
		{"deploy/xmultienv.toml", false},
		{"multienv_toml", false},
		{"multienv.toml/inside", false},
		{"examples/envs.toml", false},
	} {
		if got := re.MatchString(tt.path); got != tt.want {
			t.Errorf("files %q matches %q: got %t, want %t", files, tt.path, got, tt.want)
		}
	}
}

// TestPreCommitHook installs the hook's repository as pre-commit does (go
// install ./..., into a directory of its own), then runs entry, the hook's
// args and the staged files in one call, as pre-commit does, in a
// repository of the test's.
func TestPreCommitHook(t *testing.T) {
	ctx := deadline(t, 3*time.Minute)
	h := hook(t)
	entry := strings.Fields(h["entry"].(string))
	if len(entry) == 0 {
		t.Fatal("entry is empty")
	}

	bin := t.TempDir()
	install := run(t, ctx, repoRoot(t), append(os.Environ(), "GOBIN="+bin),
		"go", "install", "-buildvcs=false", "./...")
	if install.code != 0 {
		t.Fatalf("go install ./...: exit %d\n%s", install.code, install.stderr)
	}
	exe := filepath.Join(bin, entry[0])
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	if _, err := os.Stat(exe); err != nil {
		t.Fatalf("entry %q: go install ./... installs no such command: %v", h["entry"], err)
	}

	good := exampleConfig(t)
	broken, line := brokenConfig(t)
	repo := t.TempDir()
	writeFiles(t, repo, map[string]string{
		"multienv.toml":              good,
		"services/api/multienv.toml": good,
		"deploy/multienv.toml":       broken,
	})
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	env := []string{"PATH=" + bin, "HOME=" + home}

	okLine := func(file string) string { return `(?m)^` + regexp.QuoteMeta(file) + `: ok: ` }
	problem := `(?m)^deploy/multienv\.toml:` + strconv.Itoa(line) + `:1: `
	empty := `\A\z`
	tests := []struct {
		name       string
		args       []string // the hook's args in .pre-commit-config.yaml
		files      []string
		wantCode   int
		wantStdout []string // regular expressions
		wantStderr []string
	}{
		{"good file", nil, []string{"multienv.toml"}, 0,
			[]string{okLine("multienv.toml")}, []string{empty}},
		{"broken file", nil, []string{"deploy/multienv.toml"}, 3,
			[]string{empty}, []string{problem}},
		{"strict from args", []string{"--strict"}, []string{"multienv.toml"}, 0,
			[]string{okLine("multienv.toml")}, []string{empty}},
		// pre-commit passes every staged file that matches in one call:
		// check needs each checked, and the worst status.
		{"two good files", nil, []string{"multienv.toml", "services/api/multienv.toml"}, 0,
			[]string{okLine("multienv.toml"), okLine("services/api/multienv.toml")}, []string{empty}},
		// A failure prints nothing on stdout: the ok lines go with the problems.
		{"good then broken", nil, []string{"multienv.toml", "deploy/multienv.toml"}, 3,
			[]string{empty}, []string{problem, okLine("multienv.toml")}},
		{"broken then good", nil, []string{"deploy/multienv.toml", "services/api/multienv.toml"}, 3,
			[]string{empty}, []string{problem, okLine("services/api/multienv.toml")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(append(append([]string{}, entry[1:]...), tt.args...), tt.files...)
			r := run(t, ctx, repo, env, exe, args...)
			if r.code != tt.wantCode {
				t.Errorf("%s %s: exit %d, want %d", entry[0], strings.Join(args, " "), r.code, tt.wantCode)
			}
			for _, re := range tt.wantStdout {
				if !regexp.MustCompile(re).MatchString(r.stdout) {
					t.Errorf("stdout does not match %s", re)
				}
			}
			for _, re := range tt.wantStderr {
				if !regexp.MustCompile(re).MatchString(r.stderr) {
					t.Errorf("stderr does not match %s", re)
				}
			}
			if t.Failed() {
				t.Logf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
			}
		})
	}
}
