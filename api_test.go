package multienv_test

import (
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

func fieldNames(typ reflect.Type) []string {
	var names []string
	for i := range typ.NumField() {
		if f := typ.Field(i); f.IsExported() {
			names = append(names, f.Name)
		}
	}
	return names
}

// The front door's types carry every field of the engine's: a field added
// to one and not the other fails here. (Environment, Facts, VarStep,
// ValueError and NothingSetError are converted, so the compiler holds them
// to the engine's.)
func TestFrontDoorMirrorsTheEngine(t *testing.T) {
	for _, tc := range []struct{ front, engine reflect.Type }{
		{reflect.TypeFor[multienv.Result](), reflect.TypeFor[resolver.Result]()},
		{reflect.TypeFor[multienv.Trace](), reflect.TypeFor[resolver.Trace]()},
		{reflect.TypeFor[multienv.RuleStep](), reflect.TypeFor[resolver.RuleStep]()},
		{reflect.TypeFor[multienv.Runtime](), reflect.TypeFor[config.Runtime]()},
		{reflect.TypeFor[multienv.Rule](), reflect.TypeFor[config.Rule]()},
		{reflect.TypeFor[multienv.Problem](), reflect.TypeFor[config.Problem]()},
	} {
		front, engine := fieldNames(tc.front), fieldNames(tc.engine)
		// A rule's Template is its Default, parsed.
		engine = slices.DeleteFunc(engine, func(n string) bool { return tc.engine == reflect.TypeFor[config.Rule]() && n == "Template" })
		slices.Sort(front)
		slices.Sort(engine)
		if !slices.Equal(front, engine) {
			t.Errorf("%v has fields %v; %v has %v", tc.front, front, tc.engine, engine)
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
	detected, err := cfg.Runtime(multienv.EnvFacts(map[string]string{"CODEBUILD_BUILD_ID": "b"}))
	if err != nil {
		t.Fatal(err)
	}
	detected.When[0] = "changed"
	if rt := cfg.Runtimes()[0]; rt.When[0] == "changed" {
		t.Errorf("Runtime's When shares the Config's")
	}
	res, err := cfg.Resolve(multienv.EnvFacts(map[string]string{"CI": "true", "ENV_NAME": "prd"}))
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
