package multienv_test

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/catalog"
	"github.com/multienv/multienv/config"
	"github.com/multienv/multienv/examples"
	"github.com/multienv/multienv/resolver"
	"github.com/multienv/multienv/schema"
)

// parsePackage parses the non-test Go files of the package in dir.
func parsePackage(t *testing.T, dir string) []*ast.File {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}

// go doc shows an alias as "type X = pkg.Y" and nothing of Y's fields, so
// the front door defines every struct a user reads; the only aliases are
// the string types whose values it lists as constants.
func TestFrontDoorDefinesItsTypes(t *testing.T) {
	var aliases []string
	for _, f := range parsePackage(t, ".") {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, s := range g.Specs {
				if ts := s.(*ast.TypeSpec); ts.Assign.IsValid() && ts.Name.IsExported() {
					aliases = append(aliases, ts.Name.Name)
				}
			}
		}
	}
	slices.Sort(aliases)
	if want := []string{"Group", "Kind"}; !slices.Equal(aliases, want) {
		t.Errorf("exported aliases %v; want only %v", aliases, want)
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[multienv.Kind](), reflect.TypeFor[multienv.Group]()} {
		if typ.Kind() != reflect.String {
			t.Errorf("%v is a %v; an alias is kept only for a string type", typ, typ.Kind())
		}
	}
}

// No package of the module exports a variable an importer could change,
// but the errors matched with errors.Is.
func TestNoExportedMutableState(t *testing.T) {
	for _, dir := range []string{".", "config", "resolver", "schema", "catalog", "examples"} {
		for _, f := range parsePackage(t, dir) {
			for _, d := range f.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.VAR {
					continue
				}
				for _, s := range g.Specs {
					for _, n := range s.(*ast.ValueSpec).Names {
						if n.IsExported() && !strings.HasPrefix(n.Name, "Err") {
							t.Errorf("%s: exported variable %s", dir, n.Name)
						}
					}
				}
			}
		}
	}
}

// What a Config hands out is a copy: changing it changes nothing.
func TestConfigHandsOutCopies(t *testing.T) {
	cfg := loadDefault(t)
	envs := cfg.Environments()
	envs[0].Name = "changed"
	rts := cfg.Runtimes()
	rts[0].Name, rts[0].When[0], rts[0].Facts["branch"][0] = "changed", "changed", "changed"
	rules := cfg.Rules()
	rules[1].From[0] = "changed"
	if e := cfg.Environments()[0]; e.Name != "devops" {
		t.Errorf("Environments()[0] = %q after a change to a copy", e.Name)
	}
	if rt := cfg.Runtimes()[0]; rt.Name != "aws_codebuild" || rt.When[0] == "changed" || rt.Facts["branch"][0] == "changed" {
		t.Errorf("Runtimes()[0] = %+v after a change to a copy", rt)
	}
	if r := cfg.Rules()[1]; r.From[0] != "USER_ENV_NAME" {
		t.Errorf("Rules()[1].From = %v after a change to a copy", r.From)
	}
	detected, err := cfg.Runtime(multienv.EnvInputs(map[string]string{"CODEBUILD_BUILD_ID": "b"}))
	if err != nil {
		t.Fatal(err)
	}
	detected.When[0] = "changed"
	if rt := cfg.Runtimes()[0]; rt.When[0] == "changed" {
		t.Errorf("Runtime's When shares the Config's")
	}
	res, err := cfg.Resolve(multienv.EnvInputs(map[string]string{"CI": "true", "ENV_NAME": "prd"}))
	if err != nil || res.ID != "prd" {
		t.Errorf("Resolve after the changes: %v, %v", res.ID, err)
	}
	doc := multienv.Schema()
	doc[0] = 'X'
	if multienv.Schema()[0] != '{' {
		t.Errorf("Schema() shares its bytes")
	}
}

// The embedded files are read through functions; the bytes of one call
// are the caller's to change.
func TestEmbeddedFilesAreCopies(t *testing.T) {
	for name, get := range map[string]func() []byte{
		"examples.Default": examples.Default, "catalog.TOML": catalog.TOML, "schema.JSON": schema.JSON,
	} {
		first := get()
		want := string(first)
		first[0] ^= 0xff
		if got := string(get()); got != want {
			t.Errorf("%s: a change to the bytes of one call shows in the next", name)
		}
	}
}

// Each layer owns what it hands out: a change to what config, resolver or
// the front door returns reaches neither the built-in catalog, nor another
// Config, nor the Config it came from.
func TestLayersShareNothing(t *testing.T) {
	ghEnv := map[string]string{"GITHUB_ACTION": "x", "ENV_NAME": "tst"}
	detects := func(when string) {
		t.Helper()
		for name, load := range map[string]func() (*multienv.Config, error){
			"multienv.Default": multienv.Default,
			"multienv.Load":    func() (*multienv.Config, error) { return multienv.Load("examples/github-flow.toml") },
		} {
			cfg, err := load()
			if err != nil {
				t.Fatal(err)
			}
			if rt, err := cfg.Runtime(multienv.EnvInputs(ghEnv)); err != nil || rt.Name != "github_action" {
				t.Errorf("%s: %s after a change to %s: got %s, %v; want github_action", when, name, when, rt.Name, err)
			}
		}
		def, err := config.Default()
		if err != nil {
			t.Fatal(err)
		}
		if rt, err := resolver.New(def).Runtime(resolver.Inputs{Lookup: resolver.MapLookup(ghEnv)}); err != nil || def.Runtimes[rt].Name != "github_action" {
			t.Errorf("config.Default after a change to %s: got %v, %v; want github_action", when, rt, err)
		}
	}
	mutate := func(rts []config.Runtime) {
		for i := range rts {
			for _, sig := range rts[i].When {
				for k := range sig {
					sig[k].Name = "CHANGED"
					if len(sig[k].Values) > 0 {
						sig[k].Values[0] = "changed"
					}
				}
			}
			for f := range rts[i].Facts {
				for k := range rts[i].Facts[f] {
					rts[i].Facts[f][k].Var = "CHANGED"
				}
			}
		}
	}
	loaded, err := config.Load("examples/github-flow.toml")
	if err != nil {
		t.Fatal(err)
	}
	mutate(loaded.Runtimes)
	detects("config.Load(...).Runtimes")
	mutate(config.Catalog())
	detects("config.Catalog()")
	if config.Catalog()[2].When[0][0].Name != "GITHUB_ACTION" {
		t.Errorf("config.Catalog() shares its runtimes")
	}

	// A Trace holds nothing of its Config's rules and signals.
	cfg, err := config.Load("examples/github-flow.toml")
	if err != nil {
		t.Fatal(err)
	}
	r := resolver.New(cfg)
	release := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push", "GITHUB_REF": "refs/tags/v1.0.0"}
	front, err := multienv.Load("examples/github-flow.toml")
	if err != nil {
		t.Fatal(err)
	}
	res, trace, err := front.Explain(multienv.EnvInputs(release))
	if err != nil || res.ID != "prd" {
		t.Fatalf("got %q, %v; want prd", res.ID, err)
	}
	for i := range trace.Rules {
		for k := range trace.Rules[i].Groups {
			trace.Rules[i].Groups[k] = "changed"
		}
	}
	if again, err := front.Resolve(multienv.EnvInputs(release)); err != nil || again.ID != "prd" || again.Runtime != "github_action" {
		t.Errorf("after changing a trace: got %q on %s, %v; want prd on github_action", again.ID, again.Runtime, err)
	}
	if d, err := r.Resolve(resolver.Inputs{Lookup: resolver.MapLookup(release)}, nil); err != nil || d.ID != "prd" || cfg.Runtimes[d.Runtime].Name != "github_action" {
		t.Errorf("the engine: got %q on %d, %v; want prd on github_action", d.ID, d.Runtime, err)
	}
	if g := front.Rules()[0].Groups; g[0] != "local" {
		t.Errorf("the trace shares the rules' groups: %v", g)
	}
	// The front door says the environment is protected all the same.
	fres, err := front.Resolve(multienv.EnvInputs(release))
	if err != nil || !fres.Env.Protected {
		t.Errorf("front door: got %+v, %v; want prd, protected", fres.Env, err)
	}
	if e, _, err := front.Lookup("prd"); err != nil || !e.Protected {
		t.Errorf("Lookup(prd): got %+v, %v; want protected", e, err)
	}
}

// Config.Values refuses a result this Config does not give: an id that
// names another environment or instance than the result says.
func TestValuesRefusesForeignResults(t *testing.T) {
	cfg, err := multienv.Load("examples/github-flow.toml")
	if err != nil {
		t.Fatal(err)
	}
	prd := multienv.Environment{Name: "prd", Kind: multienv.KindProduction}
	sbx := multienv.Environment{Name: "sbx", Kind: multienv.KindSandbox, Instances: true}
	for _, tc := range []struct {
		name string
		res  multienv.Result
		ok   bool
	}{
		{"prd-evil, said to be prd", multienv.Result{ID: "prd-evil", Env: prd}, false},
		{"sbx-7, said to be prd", multienv.Result{ID: "sbx-7", Env: prd, Instance: "7"}, false},
		{"sbx-7, said to be instance 8", multienv.Result{ID: "sbx-7", Env: sbx, Instance: "8"}, false},
		{"an id of no environment", multienv.Result{ID: "qa", Env: multienv.Environment{Name: "qa"}}, false},
		{"sbx-7", multienv.Result{ID: "sbx-7", Env: sbx, Instance: "7"}, true},
		{"prd", multienv.Result{ID: "prd", Env: prd}, true},
	} {
		v, err := cfg.Values(tc.res)
		if tc.ok != (err == nil) {
			t.Errorf("%s: got %v, %v; want ok = %v", tc.name, v, err, tc.ok)
			continue
		}
		if err == nil {
			if b, _ := v.String("bucket"); b != "acme-"+tc.res.ID+"-assets" {
				t.Errorf("%s: bucket %q", tc.name, b)
			}
		} else if !errors.Is(err, multienv.ErrUnknownEnvironment) && !errors.Is(err, multienv.ErrInvalidName) {
			t.Errorf("%s: %v is not a ValueError of an environment", tc.name, err)
		}
	}
}
