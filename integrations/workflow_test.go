package integrations_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestReleaseWorkflow reads .github/workflows/release.yml: it runs on
// version tags, each script is bash that parses, and it makes the assets of
// every platform with the tools of this repository.
func TestReleaseWorkflow(t *testing.T) {
	v, err := parseYAML(readRepoFile(t, ".github/workflows/release.yml"))
	if err != nil {
		t.Fatalf("release.yml: %v", err)
	}
	top := mapping(t, v, "release.yml")
	on := mapping(t, top["on"], "on")
	push := mapping(t, on["push"], "on.push")
	if tags, ok := push["tags"].([]any); !ok || len(tags) != 1 || tags[0] != "v[0-9]+.[0-9]+.[0-9]+*" {
		t.Errorf("on.push.tags: %#v", push["tags"])
	}
	job := mapping(t, mapping(t, top["jobs"], "jobs")["release"], "jobs.release")
	steps, _ := job["steps"].([]any)
	var scripts strings.Builder
	for i, s := range steps {
		m := mapping(t, s, "steps")
		script := str(t, m["run"], "run")
		if script == "" {
			continue
		}
		if strings.Contains(script, "${{") {
			t.Errorf("steps[%d].run: an expression in the script; pass it through env", i)
		}
		scripts.WriteString(script + "\n")
		if _, err := exec.LookPath("bash"); err == nil {
			r := run(t, deadline(t, 10*time.Second), t.TempDir(), []string{"PATH=" + os.Getenv("PATH")}, "bash", "-n", "-c", script)
			if r.code != 0 {
				t.Errorf("steps[%d].run: bash -n: %s", i, r.stderr)
			}
		}
	}
	for _, want := range append([]string{"go run ./internal/release -version", "python3 python/build_wheel.py",
		"node npm/build.js", "npm pack", "go run ./internal/release -checksums", "gh release create"}, releasePlatforms...) {
		if !strings.Contains(scripts.String(), want) {
			t.Errorf("release.yml: no %q", want)
		}
	}
}
