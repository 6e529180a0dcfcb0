package config

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/multienv/multienv/examples"
	"github.com/multienv/multienv/internal/testconf"
)

// sourceKindsSeed holds every kind of fact source and the fork and event
// conditions.
const sourceKindsSeed = testconf.File + `allow = [{ fork = false, event = ["push", "tag"] }]
[[runtimes]]
name = "forge"
group = "ci"
when = [{ set = ["FORGE"] }]
event_file = "FORGE_EVENT_PATH"
pr_number = [{ payload = "pull_request.number", pr = true }, "FORGE_PR"]
build_url = [{ compose = "${FORGE_SERVER}/$${FORGE_REPO}/runs/${FORGE_RUN}", pattern = "https://{**}" }]
fork = [{ differs = [{ payload = "pull_request.head.repo.full_name" }, { var = "FORGE_REPO" }] }, { var = "FORGE_FORK", map = { yes = "true", no = "false" } }]
event = [{ var = "FORGE_EVENT", map = { commit = "push", cron = "schedule" } }, { payload = "action" }]
[[rules]]
name = "all"
groups = ["ci"]
when = [{ fork = true }, { event = ["pull_request"] }]
default = "sbx-pr{pr_number}"
`

// FuzzLoad: no input makes the loader panic; every failure is a *Error
// whose problems have positions inside the file; every success is a
// configuration the resolver can rely on.
func FuzzLoad(f *testing.F) {
	f.Add(examples.Default())
	for _, seed := range []string{"version = inf", "version = nan", "version = 1.0", "[a]\n[[a.b]]", "x = [[[[[[[[]]]]]]]]", sourceKindsSeed} {
		f.Add([]byte(seed))
	}
	files, _ := filepath.Glob("testdata/*/*.toml")
	for _, file := range files {
		data, _ := os.ReadFile(file)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("fuzz.toml", data)
		if err != nil {
			ce, ok := err.(*Error)
			if !ok || len(ce.Problems) == 0 {
				t.Fatalf("error %T %v is not a *Error with problems", err, err)
			}
			lines := 1
			for _, b := range data {
				if b == '\n' {
					lines++
				}
			}
			for _, p := range ce.Problems {
				if p.Line < 1 || p.Line > lines || p.Message == "" {
					t.Fatalf("problem %v outside the file's %d lines", p, lines)
				}
			}
			return
		}
		names := map[string]bool{}
		for _, e := range cfg.Envs {
			names[e.Name] = true
		}
		for _, r := range cfg.Rules {
			if r.Default == "" {
				continue
			}
			if r.Template != nil {
				if i := slices.IndexFunc(cfg.Envs, func(e Env) bool { return e.Name == r.Template.Env }); i < 0 || !cfg.Envs[i].Instances {
					t.Fatalf("rule %s's template %q names no environment with instances", r.Name, r.Default)
				}
				continue
			}
			name, _, ok := splitID(r.Default)
			if !ok || !names[name] {
				t.Fatalf("rule %s defaults to undeclared %q", r.Name, r.Default)
			}
		}
		if n := len(cfg.Runtimes); n == 0 || len(cfg.Runtimes[n-1].When) != 0 {
			t.Fatal("the runtimes do not end with a fallback")
		}
		if !slices.ContainsFunc(cfg.Envs, func(e Env) bool { return e.Kind == KindSandbox }) {
			t.Fatal("no sandbox")
		}
	})
}
