package catalog_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/config"
	"github.com/multienv/multienv/internal/payload"
	"github.com/multienv/multienv/internal/text"
	"github.com/multienv/multienv/resolver"
)

// payloadReader reads data as the event payload file, whatever its path;
// no data is no file.
func payloadReader(data json.RawMessage) func(string) ([]byte, error) {
	return func(string) ([]byte, error) {
		if data == nil {
			return nil, fs.ErrNotExist
		}
		return data, nil
	}
}

// factVector is one vector of testdata/facts.json: a build's environment as
// the vendor sets it (its detection variable included), one CI fact and
// the value the vendor's documentation gives it; an empty Want says the
// fact must be unknown (the branch of a tag build, the base branch off a
// pull request). The vectors are written from the documents named in
// Source, not from runtimes.toml.
type factVector struct {
	Name    string            `json:"name"`
	Runtime string            `json:"runtime"`
	Env     map[string]string `json:"env"`
	// Payload, when set, is the event payload file's content: the runtime's
	// event_file variable, set in Env, names it.
	Payload json.RawMessage `json:"payload"`
	Fact    string          `json:"fact"`
	Want    string          `json:"want"`
	Source  string          `json:"source"`
}

func factVectors(t *testing.T) []factVector {
	t.Helper()
	data, err := os.ReadFile("testdata/facts.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []factVector
	if err := json.Unmarshal(data, &vs); err != nil {
		t.Fatal(err)
	}
	return vs
}

// factOf returns fact key of res.
func factOf(res multienv.Result, key string) (string, bool) {
	switch key {
	case "pr_number":
		return res.PRNumber, true
	case "branch":
		return res.Branch, true
	case "base_branch":
		return res.BaseBranch, true
	case "tag":
		return res.Tag, true
	case "commit":
		return res.Commit, true
	case "build":
		return res.Build, true
	case "build_url":
		return res.BuildURL, true
	case "repo":
		return res.Repo, true
	case "fork":
		if !res.Fork.Known() {
			return "", true
		}
		return res.Fork.String(), true
	case "event":
		return res.Event, true
	}
	return "", false
}

// factKey returns the Fact spelt key.
func factKey(key string) (config.Fact, bool) {
	for f := range config.NumFacts {
		if f.Key() == key {
			return f, true
		}
	}
	return 0, false
}

// vectorEnv is v's environment plus ENV_NAME, which the embedded default
// reads in CI, so that resolution succeeds.
func vectorEnv(t *testing.T, v factVector) map[string]string {
	t.Helper()
	env := map[string]string{"ENV_NAME": "stg"}
	for k, val := range v.Env {
		if k == "ENV_NAME" || k == "USER_ENV_NAME" {
			t.Fatalf("%s: the vector sets %s itself", v.Name, k)
		}
		env[k] = val
	}
	return env
}

// resolveFacts resolves v's environment with the embedded default through
// the public front door.
func resolveFacts(t *testing.T, cfg *multienv.Config, v factVector) multienv.Result {
	t.Helper()
	f := multienv.EnvInputs(vectorEnv(t, v))
	f.ReadPayload = payloadReader(v.Payload)
	res, err := cfg.Resolve(f)
	if err != nil {
		t.Fatalf("%s: env %v: %v", v.Name, v.Env, err)
	}
	return res
}

// TestFacts: each vector's environment is detected as its runtime and
// gives the fact the vendor documents.
func TestFacts(t *testing.T) {
	cfg, err := multienv.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range factVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			res := resolveFacts(t, cfg, v)
			if res.Runtime != v.Runtime || res.ID != "stg" {
				t.Fatalf("env %v: runtime %s, id %q; want %s, \"stg\"", v.Env, res.Runtime, res.ID, v.Runtime)
			}
			got, ok := factOf(res, v.Fact)
			if !ok {
				t.Fatalf("unknown fact %q", v.Fact)
			}
			if got != v.Want {
				t.Errorf("env %v: %s %s, want %s\nsource: %s", v.Env, v.Fact, quote(got), quote(v.Want), v.Source)
			}
		})
	}
}

// TestFactsWellFormed: the vectors have unique names of the form
// runtime/fact/what, known facts, and say where they come from.
func TestFactsWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, v := range factVectors(t) {
		if seen[v.Name] {
			t.Errorf("%s: two vectors have this name", v.Name)
		}
		seen[v.Name] = true
		if _, ok := factKey(v.Fact); !ok {
			t.Errorf("%s: unknown fact %q", v.Name, v.Fact)
		}
		if !strings.HasPrefix(v.Name, v.Runtime+"/"+v.Fact+"/") || len(v.Name) == len(v.Runtime+"/"+v.Fact+"/") {
			t.Errorf("%s: name is not %s/%s/<what>", v.Name, v.Runtime, v.Fact)
		}
		if v.Source == "" {
			t.Errorf("%s: no source", v.Name)
		}
		if len(v.Env) == 0 {
			t.Errorf("%s: no environment", v.Name)
		}
	}
}

// deciding returns the index of the source of srcs that gives the fact in
// env, on a build that is (pr) or is not a pull request with the tag
// given, and the value it gives; -1 when none does. It reads as the
// resolver does: the first source with a value wins, and a branch or base
// branch equal to the tag is passed over.
func deciding(srcs []config.FactSource, f config.Fact, env map[string]string, data json.RawMessage, pr bool, tag string) (int, string) {
	doc, _ := payload.Parse(data)
	in := resolver.Input{Lookup: func(name string) (string, bool) { v, ok := env[name]; return v, ok },
		Payload: func() *payload.Doc { return doc }, PR: pr}
	for i := range srcs {
		v := resolver.Read(&srcs[i], &in)
		if v == "" || (f == config.FactBranch || f == config.FactBaseBranch) && v == tag {
			continue
		}
		if f == config.FactFork && v != "true" && v != "false" {
			continue
		}
		if f == config.FactEvent && v == "push" && tag != "" {
			v = "tag" // CONTRACT §11: a push of a tag is the event tag
		}
		return i, v
	}
	return -1, ""
}

// TestFactsCoverCatalog: every fact a catalog runtime reports has a vector
// with a value, and every source of it (each entry of its list) is the one
// that gives the fact in some vector of that fact with a value. A new
// source without a documented vector is reported here, and so is a source
// no vendor environment reaches. No source reads a variable named like a
// secret.
func TestFactsCoverCatalog(t *testing.T) {
	cfg, err := multienv.Default()
	if err != nil {
		t.Fatal(err)
	}
	catalog := map[string]config.Runtime{}
	for _, rt := range config.Catalog() {
		catalog[rt.Name] = rt
	}
	type key struct {
		runtime string
		fact    config.Fact
	}
	decided := map[key]map[int]bool{}
	for _, v := range factVectors(t) {
		rt, ok := catalog[v.Runtime]
		if !ok {
			t.Errorf("%s: no catalog runtime %s", v.Name, v.Runtime)
			continue
		}
		f, ok := factKey(v.Fact)
		if !ok {
			continue // TestFactsWellFormed says so
		}
		if v.Want == "" {
			continue
		}
		res := resolveFacts(t, cfg, v)
		i, val := deciding(rt.Facts[f], f, vectorEnv(t, v), v.Payload, res.PR, res.Tag)
		if got, _ := factOf(res, v.Fact); got != val {
			t.Errorf("%s: the resolver gives %s, reading the sources in order gives %s", v.Name, quote(got), quote(val))
		}
		if i < 0 || val != v.Want {
			continue // TestFacts says so
		}
		k := key{v.Runtime, f}
		if decided[k] == nil {
			decided[k] = map[int]bool{}
		}
		decided[k][i] = true
	}
	for _, rt := range config.Catalog() {
		for f, srcs := range rt.Facts {
			fact := config.Fact(f)
			d := decided[key{rt.Name, fact}]
			if len(srcs) > 0 && len(d) == 0 {
				t.Errorf("runtime %s reports %s, but no vector in testdata/facts.json gives it a value", rt.Name, fact.Key())
				continue
			}
			for i, s := range srcs {
				for _, name := range s.Vars() {
					if text.IsSecretName(name) {
						t.Errorf("runtime %s: %s source %d reads %s, named like a secret", rt.Name, fact.Key(), i, name)
					}
				}
				if !d[i] {
					t.Errorf("runtime %s: %s source %d (%s) gives the fact in no vector of testdata/facts.json", rt.Name, fact.Key(), i, s)
				}
			}
		}
	}
}
