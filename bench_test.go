package multienv_test

import (
	"fmt"
	"testing"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/examples"
)

// ciEnvironment is a GitHub Actions job's environment: about 40 variables.
func ciEnvironment() map[string]string {
	env := map[string]string{
		"CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_ACTION": "__run", "GITHUB_ACTOR": "octocat",
		"GITHUB_EVENT_NAME": "pull_request", "GITHUB_HEAD_REF": "feature/login", "GITHUB_REF_NAME": "42/merge",
		"GITHUB_REPOSITORY": "acme/api", "GITHUB_RUN_ID": "1658821493", "GITHUB_RUN_NUMBER": "12",
		"GITHUB_SHA": "ffac537e6cbbf934b08745a378932722df287a53", "GITHUB_WORKFLOW": "CI",
		"GITHUB_WORKSPACE": "/home/runner/work/api/api", "RUNNER_OS": "Linux", "RUNNER_ARCH": "X64",
		"RUNNER_NAME": "GitHub Actions 2", "RUNNER_TEMP": "/home/runner/work/_temp",
		"HOME": "/home/runner", "PATH": "/usr/local/bin:/usr/bin:/bin", "SHELL": "/bin/bash",
		"USER": "runner", "LANG": "C.UTF-8", "ENV_NAME": "tst",
	}
	for i := len(env); i < 40; i++ {
		env[fmt.Sprintf("APP_SETTING_%02d", i)] = "value"
	}
	return env
}

func BenchmarkResolve(b *testing.B) {
	cfg, err := multienv.Default()
	if err != nil {
		b.Fatal(err)
	}
	facts := multienv.EnvFacts(ciEnvironment())
	b.ReportAllocs()
	for b.Loop() {
		res, err := cfg.Resolve(facts)
		if err != nil || res.ID != "tst" {
			b.Fatalf("got %q, %v; want tst", res.ID, err)
		}
	}
}

// BenchmarkResolveLocal resolves on a laptop: every runtime is tried
// before the fallback, the slowest path.
func BenchmarkResolveLocal(b *testing.B) {
	cfg, err := multienv.Default()
	if err != nil {
		b.Fatal(err)
	}
	facts := multienv.EnvFacts(map[string]string{"HOME": "/home/dev", "PATH": "/usr/bin", "SHELL": "/bin/zsh"})
	b.ReportAllocs()
	for b.Loop() {
		if res, err := cfg.Resolve(facts); err != nil || res.ID != "sbx" {
			b.Fatalf("got %q, %v; want sbx", res.ID, err)
		}
	}
}

// BenchmarkLoadDefault parses the embedded default and runs every check:
// syntax, schema (compiled once per process) and semantics.
func BenchmarkLoadDefault(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := multienv.LoadBytes("examples/multienv.toml", examples.Default); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDefault loads the embedded default as Detect and the CLI do,
// without the schema pass the test suite has already made.
func BenchmarkDefault(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := multienv.Default(); err != nil {
			b.Fatal(err)
		}
	}
}
