package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/internal/text"
)

// fullDisk fails every write after the first n bytes, as /dev/full or a
// full disk does.
type fullDisk struct{ n int }

func (f *fullDisk) Write(p []byte) (int, error) {
	if len(p) <= f.n {
		f.n -= len(p)
		return len(p), nil
	}
	n := f.n
	f.n = 0
	return n, errors.New("no space left on device")
}

// Output that cannot be written whole fails the command with exit 3 and
// says why on stderr, whatever the command and however much got out.
func TestOutputNotWritten(t *testing.T) {
	dir := hermeticDir(t)
	for _, args := range [][]string{
		{"current"}, {"current", "--json"}, {"explain", "--json"}, {"list"}, {"list", "--json"},
		{"runtimes"}, {"schema"}, {"export"}, {"check", "--default", "--format", "json"}, {"help"}, {"--version"},
	} {
		for _, room := range []int{0, 1} {
			var stderr bytes.Buffer
			e := &invocation{args: args, lookup: func(string) (string, bool) { return "", false }, dir: dir,
				stdout: &fullDisk{room}, stderr: &stderr, inputs: multienv.EnvInputs(nil)}
			code := runWithDeadline(t, e, 10*time.Second)
			if code != exitConfig || !strings.Contains(stderr.String(), "resolver: cannot write the output: no space left on device") {
				t.Errorf("%q with %d bytes of room: exit %d, stderr %q; want exit 3 and why", args, room, code, stderr.String())
			}
		}
	}
	// Commands that would exit 1 or 3 with output: the failed write is
	// said too, and the exit is 3.
	flow, broken := filepath.Join("..", "..", "examples", "github-flow.toml"), filepath.Join(dir, "broken.toml")
	if err := os.WriteFile(broken, []byte("version = 1\nnope = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"--config", flow, "diff", "sbx", "prd"}, {"--config", flow, "diff", "--json", "sbx", "prd"}, {"check", "--format", "json", broken},
	} {
		var stderr bytes.Buffer
		e := &invocation{args: args, lookup: func(string) (string, bool) { return "", false }, dir: dir,
			stdout: &fullDisk{0}, stderr: &stderr, inputs: multienv.EnvInputs(nil)}
		code := runWithDeadline(t, e, 10*time.Second)
		if code != exitConfig || !strings.Contains(stderr.String(), "resolver: cannot write the output: no space left on device") {
			t.Errorf("%q: exit %d, stderr %q; want exit 3 and why", args, code, stderr.String())
		}
	}
}

// The facts line of explain holds whole facts only: those that do not fit
// are counted, so that no cut falls inside a value or one of its escapes.
func TestFactsLine(t *testing.T) {
	if got, want := factsLine(map[string]string{"fork": "false", "branch": "main", "event": "push"}),
		`branch="main", fork=false, event="push"`; got != want {
		t.Errorf("factsLine = %s; want %s", got, want)
	}
	hostile := strings.Repeat("\x01", 100) // 64 shown, each as \x01
	facts := map[string]string{}
	for _, k := range []string{"pr_number", "branch", "base_branch", "tag", "commit", "build", "build_url", "repo", "event"} {
		facts[k] = hostile
	}
	facts["fork"] = "true"
	quoted := `"` + strings.Repeat(`\x01`, 64) + `"...`
	// 271, 268 and 273 bytes with their separators fit in 900; tag's 265 more do not.
	want := "pr_number=" + quoted + ", branch=" + quoted + ", base_branch=" + quoted + " and 7 more (explain --json has them all)"
	if got := factsLine(facts); got != want {
		t.Errorf("factsLine of hostile facts =\n%s\nwant\n%s", got, want)
	}
}

// A fact is data: current --json carries a branch of any length whole, and
// fails with exit 3, naming it, past the one limit of data (CONTRACT §10).
func TestLongFactWhole(t *testing.T) {
	dir := hermeticDir(t)
	for _, tc := range []struct {
		n    int
		code int
	}{{1000, exitOK}, {text.MaxData, exitOK}, {text.MaxData + 1, exitConfig}} {
		branch := strings.Repeat("b", tc.n)
		vars := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request", "GITHUB_HEAD_REF": branch, "ENV_NAME": "tst"}
		var stdout, stderr bytes.Buffer
		in := multienv.EnvInputs(vars)
		e := &invocation{args: []string{"current", "--json"}, lookup: in.Lookup, dir: dir, stdout: &stdout, stderr: &stderr, inputs: in}
		code := runWithDeadline(t, e, 10*time.Second)
		if code != tc.code {
			t.Fatalf("branch of %d bytes: exit %d, stderr %q; want %d", tc.n, code, stderr.String(), tc.code)
		}
		if code == exitOK && !strings.Contains(stdout.String(), `"branch": "`+branch+`"`) {
			t.Errorf("branch of %d bytes: not carried whole", tc.n)
		}
		if code != exitOK && (stdout.Len() > 0 || !strings.Contains(stderr.String(), "branch")) {
			t.Errorf("branch of %d bytes: stdout %d bytes, stderr %q; want nothing on stdout and the fact named", tc.n, stdout.Len(), stderr.String())
		}
	}
}

// TestExplainJSONCarriesCurrent: explain --json carries, at its top level,
// the keys current --json has by CONTRACT §4, §6, §9 and §11, with the
// same values.
func TestExplainJSONCarriesCurrent(t *testing.T) {
	vars := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push", "GITHUB_REF": "refs/heads/main",
		"GITHUB_REF_NAME": "main", "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567", "GITHUB_REPOSITORY": "acme/shop", "ENV_NAME": "tst"}
	keys := []string{"id", "env", "instance", "kind", "emoji", "runtime", "group", "pr", "source", "rule", "config",
		"pr_number", "branch", "base_branch", "tag", "commit", "build", "build_url", "repo", "fork", "event", "values"}
	got := map[string]map[string]any{}
	for _, command := range []string{"current", "explain"} {
		in := multienv.EnvInputs(vars)
		var stdout, stderr bytes.Buffer
		e := &invocation{args: []string{command, "--json"}, lookup: in.Lookup, dir: t.TempDir(), stdout: &stdout, stderr: &stderr, inputs: in}
		if code := runWithDeadline(t, e, 20*time.Second); code != exitOK {
			t.Fatalf("%s --json: exit %d: %s", command, code, stderr.String())
		}
		var m map[string]any
		if err := json.Unmarshal(stdout.Bytes(), &m); err != nil {
			t.Fatalf("%s --json: %v", command, err)
		}
		got[command] = m
	}
	if got["current"]["id"] != "tst" || got["current"]["branch"] != "main" || got["current"]["event"] != "push" {
		t.Fatalf("current --json: %v", got["current"])
	}
	for _, k := range keys {
		c, okC := got["current"][k]
		x, okX := got["explain"][k]
		if !okC || !okX || !reflect.DeepEqual(c, x) {
			t.Errorf("%s: current --json has %v (%v), explain --json %v (%v)", k, c, okC, x, okX)
		}
	}
}
