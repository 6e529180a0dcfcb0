package catalog_test

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/config"
)

// signal is one vector of testdata/signals.json: a whole environment that
// holds one documented alternative alone (one `when` signal, one
// pull-request condition, one branch variable), with the answer the
// vendor's documentation gives. The vectors are written by hand from the
// documents named in Source, not from runtimes.toml, so that dropping an
// alternative from the catalog turns exactly one of them red.
type signal struct {
	Name    string            `json:"name"`
	Kind    string            `json:"kind"` // when, pr, not_pr, branch
	Runtime string            `json:"runtime"`
	Group   string            `json:"group"`
	Env     map[string]string `json:"env"`
	Args    []string          `json:"args"`
	Files   []string          `json:"files"`
	// Payload, when set, is the event payload file's content, which the
	// facts of the environment's event file variable read.
	Payload json.RawMessage `json:"payload"`
	PR      bool            `json:"pr"`
	Branch  string          `json:"branch"`
	Source  string          `json:"source"`
	// Disagrees, when set, says why the catalog answers otherwise than the
	// vendor documents. Such a vector is skipped while it fails and is an
	// error once it passes, so that the mark is dropped with the fix.
	Disagrees string `json:"disagrees"`
}

func signals(t *testing.T) []signal {
	t.Helper()
	data, err := os.ReadFile("testdata/signals.json")
	if err != nil {
		t.Fatal(err)
	}
	var ss []signal
	if err := json.Unmarshal(data, &ss); err != nil {
		t.Fatal(err)
	}
	return ss
}

// resolveSignal resolves s's environment alone (plus USER_ENV_NAME, so that
// resolution succeeds whatever the runtime) with the embedded default.
func resolveSignal(t *testing.T, cfg *multienv.Config, s signal) (multienv.Result, error) {
	t.Helper()
	env := map[string]string{"USER_ENV_NAME": "tst"}
	for k, v := range s.Env {
		if k == "USER_ENV_NAME" {
			t.Fatalf("%s: the vector sets USER_ENV_NAME itself", s.Name)
		}
		env[k] = v
	}
	f := multienv.EnvInputs(env)
	f.Args = s.Args
	files := s.Files
	f.FileExists = func(p string) bool { return slices.Contains(files, p) }
	f.ReadPayload = payloadReader(s.Payload)
	return cfg.Resolve(f)
}

// mismatch describes how res differs from what s documents, or is empty.
func mismatch(s signal, res multienv.Result) string {
	var msg string
	if res.Runtime != s.Runtime || string(res.Group) != s.Group {
		msg += " runtime " + res.Runtime + " (group " + string(res.Group) + "), want " + s.Runtime + " (group " + s.Group + ");"
	}
	if res.PR != s.PR {
		if s.PR {
			msg += " pr false, want true;"
		} else {
			msg += " pr true, want false;"
		}
	}
	if res.Branch != s.Branch {
		msg += " branch " + quote(res.Branch) + ", want " + quote(s.Branch) + ";"
	}
	if res.ID != "tst" {
		msg += " id " + quote(res.ID) + ", want \"tst\";"
	}
	return msg
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

// TestSignals: each documented alternative, alone, gives its runtime, group,
// pull-request answer and branch.
func TestSignals(t *testing.T) {
	cfg, err := multienv.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range signals(t) {
		t.Run(s.Name, func(t *testing.T) {
			res, err := resolveSignal(t, cfg, s)
			if err != nil {
				t.Fatalf("env %v: %v", s.Env, err)
			}
			m := mismatch(s, res)
			switch {
			case s.Disagrees != "" && m != "":
				t.Skipf("catalog disagrees with %s:%s (%s)", s.Source, m, s.Disagrees)
			case s.Disagrees != "":
				t.Errorf("env %v now gives what the vendor documents; drop its \"disagrees\" mark", s.Env)
			case m != "":
				t.Errorf("env %v:%s\nsource: %s", s.Env, m, s.Source)
			}
		})
	}
}

// TestSignalsWellFormed: the vectors say where they come from, have unique
// names and known kinds, and agree with their kind: a `when` vector has no
// pull request and no branch, a pr vector has pr, a branch vector a branch.
func TestSignalsWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range signals(t) {
		if seen[s.Name] {
			t.Errorf("%s: two vectors have this name", s.Name)
		}
		seen[s.Name] = true
		if s.Source == "" {
			t.Errorf("%s: no source", s.Name)
		}
		if s.Runtime == "" || s.Group == "" {
			t.Errorf("%s: no runtime or group", s.Name)
		}
		ok := true
		switch s.Kind {
		case "when":
			ok = !s.PR && s.Branch == ""
		case "pr":
			ok = s.PR && s.Branch == ""
		case "not_pr":
			ok = !s.PR && s.Branch == ""
		case "branch":
			ok = s.Branch != "" // a source read on pull requests only has pr true
		default:
			t.Errorf("%s: unknown kind %q", s.Name, s.Kind)
		}
		if !ok {
			t.Errorf("%s: pr %v, branch %q do not fit kind %s", s.Name, s.PR, s.Branch, s.Kind)
		}
	}
}

// TestSignalsCoverCatalog: every alternative of the catalog has a vector of
// its own: a runtime with n `when` signals has at least n `when` vectors,
// and likewise for pull-request signals and branch variables. A new
// alternative without a documented vector is reported here.
func TestSignalsCoverCatalog(t *testing.T) {
	count := map[string]map[string]int{}
	for _, s := range signals(t) {
		if count[s.Runtime] == nil {
			count[s.Runtime] = map[string]int{}
		}
		count[s.Runtime][s.Kind]++
	}
	for _, rt := range config.Catalog() {
		c := count[rt.Name]
		for _, k := range []struct {
			kind string
			n    int
		}{{"when", len(rt.When)}, {"pr", len(rt.PR)}, {"branch", len(rt.Facts[config.FactBranch])}} {
			if c[k.kind] < k.n {
				t.Errorf("runtime %s: %d %s alternatives, %d vectors in testdata/signals.json", rt.Name, k.n, k.kind, c[k.kind])
			}
		}
	}
}
