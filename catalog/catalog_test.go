package catalog_test

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/config"
)

// vector is one documented signal, from testdata/vectors.json. The vectors
// were written from the vendors' documentation and from ci-info 4.5.0's
// vendors.json, not from the catalog, so that they can disagree with it.
type vector struct {
	Runtime   string            `json:"runtime"`
	Group     string            `json:"group"`
	Env       map[string]string `json:"env"`
	Args      []string          `json:"args"`
	Files     []string          `json:"files"`
	PREnv     map[string]string `json:"pr_env"`
	NotPREnv  map[string]string `json:"not_pr_env"`
	BranchEnv map[string]string `json:"branch_env"`
	Branch    *string           `json:"branch"`
	Source    string            `json:"source"`
}

func vectors(t *testing.T) []vector {
	t.Helper()
	data, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(data, &vs); err != nil {
		t.Fatal(err)
	}
	return vs
}

func resolve(t *testing.T, v vector, extra ...map[string]string) multienv.Result {
	t.Helper()
	cfg, err := multienv.Default()
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"USER_ENV_NAME": "tst"}
	for _, m := range append([]map[string]string{v.Env}, extra...) {
		for k, val := range m {
			env[k] = val
		}
	}
	f := multienv.EnvInputs(env)
	f.Args = v.Args
	f.FileExists = func(p string) bool { return slices.Contains(v.Files, p) }
	res, err := cfg.Resolve(f)
	if err != nil {
		t.Fatalf("%s: %v", v.Runtime, err)
	}
	return res
}

// TestVectors: each documented signal alone is detected as its runtime,
// with its pull-request signal and branch.
func TestVectors(t *testing.T) {
	for _, v := range vectors(t) {
		t.Run(v.Runtime, func(t *testing.T) {
			res := resolve(t, v)
			if res.Runtime != v.Runtime || string(res.Group) != v.Group || res.ID != "tst" {
				t.Fatalf("got runtime %s (group %s), id %s; want %s (group %s), tst", res.Runtime, res.Group, res.ID, v.Runtime, v.Group)
			}
			if res.PR {
				t.Errorf("pr is true without the pull-request signal")
			}
			if v.PREnv != nil {
				if res := resolve(t, v, v.PREnv); !res.PR || res.Runtime != v.Runtime {
					t.Errorf("with %v: pr %v, runtime %s; want pr true", v.PREnv, res.PR, res.Runtime)
				}
			}
			if v.NotPREnv != nil {
				if res := resolve(t, v, v.NotPREnv); res.PR {
					t.Errorf("with %v: pr true; want false", v.NotPREnv)
				}
			}
			if v.Branch != nil {
				if res := resolve(t, v, v.BranchEnv); res.Branch != *v.Branch {
					t.Errorf("with %v: branch %q; want %q", v.BranchEnv, res.Branch, *v.Branch)
				}
			}
		})
	}
}

var ciInfoVendor = regexp.MustCompile(`ci-info 4\.5\.0 vendors\.json vendor "([^"]+)"`)

// TestCIInfoCoverage: every vendor ci-info 4.5 knows has a vector and a
// runtime of its own, and its 29 pull-request definitions are all there.
func TestCIInfoCoverage(t *testing.T) {
	vendors := map[string]string{}
	runtimes := map[string]bool{}
	prs := 0
	for _, v := range vectors(t) {
		m := ciInfoVendor.FindStringSubmatch(v.Source)
		if m == nil {
			continue
		}
		if prev, dup := vendors[m[1]]; dup {
			t.Errorf("vendor %s has two vectors (%s, %s)", m[1], prev, v.Runtime)
		}
		vendors[m[1]] = v.Runtime
		if runtimes[v.Runtime] {
			t.Errorf("runtime %s stands for two vendors", v.Runtime)
		}
		runtimes[v.Runtime] = true
		if v.Group != "ci" && v.Group != "app" {
			t.Errorf("vendor %s: group %s", m[1], v.Group)
		}
		if v.PREnv != nil {
			prs++
		}
	}
	if len(vendors) != 55 || prs != 29 {
		t.Errorf("%d ci-info vendors with %d pull-request signals; want 55 and 29", len(vendors), prs)
	}
}

// TestCounts: at least 20 application platforms and 3 dev boxes.
func TestCounts(t *testing.T) {
	groups := map[config.Group]int{}
	for _, rt := range config.Catalog() {
		groups[rt.Group]++
	}
	if groups[config.GroupApp] < 20 || groups[config.GroupLocal] < 4 {
		t.Errorf("got %v; want at least 20 app runtimes and 3 dev boxes besides local", groups)
	}
	have := map[string]bool{}
	for _, v := range vectors(t) {
		have[v.Runtime] = true
	}
	for _, rt := range config.Catalog() {
		if !have[rt.Name] && rt.Name != "local" {
			t.Errorf("runtime %s has no test vector", rt.Name)
		}
	}
}

// satisfy builds facts in which sig holds and nothing else is set.
func satisfy(sig config.Signal) (map[string]string, []string, []string) {
	env := map[string]string{}
	var args, files []string
	for _, c := range sig {
		switch c.Op {
		case config.OpSet:
			env[c.Name] = "1"
		case config.OpEquals, config.OpContains:
			env[c.Name] = c.Values[0]
		case config.OpNotEquals:
			env[c.Name] = "multienv-" + strings.Join(c.Values, "-") + "x"
		case config.OpArg:
			args = append(args, c.Name)
		case config.OpFile:
			files = append(files, c.Name)
		}
	}
	return env, args, files
}

// TestUnambiguous: every signal of every runtime, alone, is detected as
// that runtime: no runtime earlier in the order claims it first.
func TestUnambiguous(t *testing.T) {
	for _, rt := range config.Catalog() {
		for i, sig := range rt.When {
			env, args, files := satisfy(sig)
			res := resolve(t, vector{Runtime: rt.Name, Env: env, Args: args, Files: files})
			if res.Runtime != rt.Name {
				t.Errorf("%s signal %d (%s) is detected as %s", rt.Name, i, sig, res.Runtime)
			}
		}
	}
}

// TestDockerIsLocal: a container's marks, which laptops, dev containers
// and CI machines also show, never make a runtime.
func TestDockerIsLocal(t *testing.T) {
	v := vector{Env: map[string]string{"HOSTNAME": "3f4e5d6c7b8a", "container": "docker", "PATH": "/usr/bin", "HOME": "/root"},
		Files: []string{"/.dockerenv", "/run/.containerenv"}}
	if res := resolve(t, v); res.Runtime != "local" || res.ID != "tst" {
		t.Errorf("got %s, %s; want local", res.Runtime, res.ID)
	}
}
