// Package integrations_test tests the files that plug resolver into other
// tools: the pre-commit hook (.pre-commit-hooks.yaml) and the GitHub Action
// (action.yml), each run the way its tool runs it.
package integrations_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// repoRoot returns the repository root, the parent of this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no repository root at %s: %v", root, err)
	}
	return root
}

// readRepoFile returns the content of a file of the repository.
func readRepoFile(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// deadline returns the context for a test's child processes: it ends after
// limit, and before the test binary's own deadline, so that a hung child
// fails its test with the child's output rather than the whole binary.
func deadline(t *testing.T, limit time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	t.Cleanup(cancel)
	if d, ok := t.Deadline(); ok {
		ctx, cancel = context.WithDeadline(ctx, d.Add(-10*time.Second))
		t.Cleanup(cancel)
	}
	return ctx
}

// result is what a child process did.
type result struct {
	code           int // the exit status; -1 when it did not exit normally
	stdout, stderr string
}

// run runs the command and returns what it did; only a failure to start it,
// or the deadline, fails the test.
func run(t *testing.T, ctx context.Context, dir string, env []string, name string, args ...string) result {
	t.Helper()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, env
	cmd.WaitDelay = 10 * time.Second // a grandchild holding the pipes cannot hang the test
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{code: -1, stdout: stdout.String(), stderr: stderr.String()}
	if ctx.Err() != nil {
		t.Fatalf("%s %s: %v\nstdout:\n%s\nstderr:\n%s", name, strings.Join(args, " "), ctx.Err(), r.stdout, r.stderr)
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	r.code = cmd.ProcessState.ExitCode()
	return r
}

// goEnv returns, as KEY=value, the settings of the go command that a build
// in an otherwise empty environment needs to find this test's caches and
// proxy: it then builds offline when the module cache holds what it needs.
func goEnv(t *testing.T, ctx context.Context) []string {
	t.Helper()
	keys := []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOFLAGS", "GOPROXY", "GONOPROXY",
		"GOSUMDB", "GONOSUMDB", "GOPRIVATE", "GOTOOLCHAIN", "CGO_ENABLED"}
	r := run(t, ctx, repoRoot(t), os.Environ(), "go", append([]string{"env", "-json"}, keys...)...)
	if r.code != 0 {
		t.Fatalf("go env: exit %d\n%s", r.code, r.stderr)
	}
	var values map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &values); err != nil {
		t.Fatalf("go env -json: %v", err)
	}
	var env []string
	for _, k := range keys {
		if v := values[k]; v != "" {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// writeFiles writes files (slash-separated names relative to dir).
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// exampleConfig returns examples/multienv.toml, which checks clean.
func exampleConfig(t *testing.T) string {
	t.Helper()
	s := readRepoFile(t, "examples/multienv.toml")
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return s
}

// brokenConfig returns the example with an unknown key added as its last
// line, and that line's number: check reports FILE:LINE:1.
func brokenConfig(t *testing.T) (string, int) {
	t.Helper()
	s := exampleConfig(t)
	return s + "colour = \"red\"\n", strings.Count(s, "\n") + 1
}
