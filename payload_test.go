package multienv_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/multienv/multienv"
)

// targetEvent is a pull_request_target payload from a fork, cut to the
// fields GitHub documents that the catalog reads
// (https://docs.github.com/en/webhooks/webhook-events-and-payloads#pull_request).
const targetEvent = `{"action": "opened", "number": 7, "pull_request": {"number": 7,
 "head": {"ref": "patch-1", "repo": {"full_name": "mallory/hello"}},
 "base": {"ref": "main", "repo": {"full_name": "octo/hello"}}}}`

// targetJob is a pull_request_target job's variables: GITHUB_REF is the
// base branch's ref, so the number is only in the payload.
func targetJob(eventPath string) map[string]string {
	return map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_ACTION": "__run", "GITHUB_EVENT_NAME": "pull_request_target",
		"GITHUB_REF": "refs/heads/main", "GITHUB_HEAD_REF": "patch-1", "GITHUB_BASE_REF": "main", "GITHUB_REPOSITORY": "octo/hello",
		"GITHUB_EVENT_PATH": eventPath, "ENV_NAME": "tst"}
}

// payloadFacts are a job's variables: EnvInputs reads the payload file
// that GITHUB_EVENT_PATH names, with the front door's own reader.
func payloadFacts(env map[string]string) multienv.Inputs { return multienv.EnvInputs(env) }

func TestPayloadFile(t *testing.T) {
	cfg, err := multienv.Default()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	event := filepath.Join(dir, "event.json")
	if err := os.WriteFile(event, []byte(targetEvent), 0o644); err != nil {
		t.Fatal(err)
	}
	res, trace, err := cfg.Explain(payloadFacts(targetJob(event)))
	if err != nil {
		t.Fatal(err)
	}
	if res.PRNumber != "7" || !res.PR || res.Fork != multienv.FromFork || res.Event != multienv.EventPullRequest || res.Branch != "patch-1" {
		t.Errorf("pr_number %q, pr %v, fork %v, event %q, branch %q; want 7, true, true, pull_request, patch-1",
			res.PRNumber, res.PR, res.Fork, res.Event, res.Branch)
	}
	if trace.Payload != "read from the file GITHUB_EVENT_PATH names" {
		t.Errorf("trace payload %q", trace.Payload)
	}

	// What cannot be read as a payload leaves its facts unknown, says why,
	// and fails nothing: the number stays unknown, the fork too.
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, []byte(`{"pull_request": {"number": 7}, "pad": "`+strings.Repeat("x", multienv.MaxPayloadSize)+`"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	notJSON := filepath.Join(dir, "not.json")
	if err := os.WriteFile(notJSON, []byte(`{"pull_request": {"number": 7}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, path, note string }{
		{"too large", big, "the file GITHUB_EVENT_PATH names was not read: cannot read the file: larger than 1 MiB"},
		{"missing", filepath.Join(dir, "none.json"), "the file GITHUB_EVENT_PATH names was not read: cannot read the file: no such file or directory"},
		{"a directory", dir, "the file GITHUB_EVENT_PATH names was not read: cannot read the file: not a regular file"},
		{"not JSON", notJSON, "the file GITHUB_EVENT_PATH names is not JSON: unexpected EOF"},
		{"unset", "", "GITHUB_EVENT_PATH is unset"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, trace, err := cfg.Explain(payloadFacts(targetJob(tc.path)))
			if err != nil {
				t.Fatal(err)
			}
			if res.PRNumber != "" || res.Fork != multienv.ForkUnknown || !res.PR {
				t.Errorf("pr_number %q, fork %v, pr %v; want unknown, unknown, true", res.PRNumber, res.Fork, res.PR)
			}
			if trace.Payload != tc.note {
				t.Errorf("trace payload %q, want %q", trace.Payload, tc.note)
			}
		})
	}
}

// The payload is read once, and only when a source needs it: not on a
// push, not by a runtime that names no payload file.
func TestPayloadReadOnlyWhenNeeded(t *testing.T) {
	cfg, err := multienv.Default()
	if err != nil {
		t.Fatal(err)
	}
	reads := 0
	read := func(string) ([]byte, error) { reads++; return []byte(targetEvent), nil }
	push := targetJob("/home/runner/work/_temp/_github_workflow/event.json")
	push["GITHUB_EVENT_NAME"], push["GITHUB_HEAD_REF"], push["GITHUB_BASE_REF"] = "push", "", ""
	gitlab := map[string]string{"GITLAB_CI": "true", "CI_PROJECT_ID": "1", "GITHUB_EVENT_PATH": "/tmp/event.json", "ENV_NAME": "tst"}
	for _, tc := range []struct {
		name  string
		env   map[string]string
		reads int
	}{{"pull_request_target", targetJob("/home/runner/work/_temp/_github_workflow/event.json"), 1}, {"push", push, 0}, {"gitlab", gitlab, 0}} {
		reads = 0
		f := multienv.EnvInputs(tc.env)
		f.ReadPayload = read
		if _, err := cfg.Resolve(f); err != nil {
			t.Fatal(err)
		}
		if reads != tc.reads {
			t.Errorf("%s: read %d times, want %d", tc.name, reads, tc.reads)
		}
	}
	// A reader that fails is no error of resolution.
	f := multienv.EnvInputs(targetJob("/x"))
	f.ReadPayload = func(string) ([]byte, error) { return nil, fs.ErrPermission }
	if res, err := cfg.Resolve(f); err != nil || res.PRNumber != "" {
		t.Errorf("got %q, %v", res.PRNumber, err)
	}
}
