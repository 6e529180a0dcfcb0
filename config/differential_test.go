package config

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	gotoml "github.com/pelletier/go-toml/v2"

	"github.com/knadh/koanf/parsers/toml/v2"
	"github.com/multienv/multienv/internal/mutate"

	"github.com/multienv/multienv/schema"
	"github.com/multienv/multienv/schema/reference"
)

// corpus returns the files both validators are fed: the broken and warned
// corpora, the examples and the catalog.
func corpus(t testing.TB) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	add := func(path string) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		files[path] = data
	}
	for _, root := range []string{"testdata", "../examples"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".toml") {
				add(path)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	add("../catalog/runtimes.toml")
	if len(files) < 40 {
		t.Fatalf("only %d files in the corpus", len(files))
	}
	return files
}

// outcome is what loading a file says, one line a problem or warning, in
// order of position (problems at one position sorted by message: the JSON
// Schema validator reports them in map order).
func outcome(name string, data []byte, j schema.Judge) []string {
	cfg, err := parseWith(name, data, j, nil)
	var lines []string
	var ps []Problem
	if err != nil {
		lines = append(lines, "rejected")
		ce, ok := err.(*Error)
		if !ok {
			return append(lines, "not a *Error: "+err.Error())
		}
		ps = ce.Problems
	} else {
		lines = append(lines, "accepted")
		ps = cfg.Warnings
		lines = append(lines, fmt.Sprintf("%d envs, %d runtimes, %d rules", len(cfg.Envs), len(cfg.Runtimes), len(cfg.Rules)))
	}
	for _, p := range ps {
		lines = append(lines, fmt.Sprintf("%d:%d: %s: %s", p.Line, p.Col, p.Path, p.Message))
	}
	slices.SortStableFunc(lines[1:], func(a, b string) int {
		var la, ca, lb, cb int
		fmt.Sscanf(a, "%d:%d:", &la, &ca)
		fmt.Sscanf(b, "%d:%d:", &lb, &cb)
		if la != lb {
			return la - lb
		}
		if ca != cb {
			return ca - cb
		}
		return strings.Compare(a, b)
	})
	return lines
}

// differ returns how the generated validator's outcome differs from the
// JSON Schema validator's on the file, or "".
func differ(name string, data []byte) string {
	g, j := outcome(name, data, schema.Judge{Validate: schema.Validate}), outcome(name, data, reference.Judge())
	if slices.Equal(g, j) {
		return ""
	}
	return fmt.Sprintf("generated validator:\n\t%s\nJSON Schema validator:\n\t%s", strings.Join(g, "\n\t"), strings.Join(j, "\n\t"))
}

// violations lists what a validator finds in a tree, sorted (the JSON
// Schema validator lists the keys of additionalProperties in map order).
func violations(tree map[string]any, v schema.Validator) []string {
	vs, err := v(tree)
	if err != nil {
		return []string{"error: " + err.Error()}
	}
	out := make([]string, len(vs))
	for i, x := range vs {
		msg := x.Message
		if rest, ok := strings.CutPrefix(msg, "additionalProperties "); ok {
			names := strings.Split(strings.TrimSuffix(rest, " not allowed"), ", ")
			slices.Sort(names)
			msg = strings.Join(names, ", ")
		}
		out[i] = x.Instance + " | " + x.Keyword + " | " + x.Path + " | " + msg
	}
	slices.Sort(out)
	return out
}

// TestDifferentialCorpus: on every file of the corpora, the generated
// validator and the JSON Schema validator agree on acceptance, on each
// problem's position and message, and on each violation of the schema.
func TestDifferentialCorpus(t *testing.T) {
	rejected := 0
	for name, data := range corpus(t) {
		if d := differ(name, data); d != "" {
			t.Errorf("%s:\n%s", name, d)
		}
		if outcome(name, data, schema.Judge{Validate: schema.Validate})[0] == "rejected" {
			rejected++
		}
		own, ownErr := toml.Parser().Unmarshal(data)
		koanfs, koanfErr := reference.Parse(data)
		if (ownErr == nil) != (koanfErr == nil) || fmt.Sprintf("%#v", own) != fmt.Sprintf("%#v", koanfs) {
			t.Errorf("%s: koanf's loader and its TOML parser disagree:\nparser: %v %v\nloader: %v %v", name, ownErr, own, koanfErr, koanfs)
		}
		if tree, ok := syntax(&collector{name: name, data: data}, nil); ok {
			g, j := violations(tree, schema.Validate), violations(tree, reference.Validate)
			if !slices.Equal(g, j) {
				t.Errorf("%s: violations differ\ngenerated:\n\t%s\nJSON Schema validator:\n\t%s", name, strings.Join(g, "\n\t"), strings.Join(j, "\n\t"))
			}
		}
	}
	if rejected < 30 {
		t.Errorf("only %d files of the corpus are rejected: the broken corpus is not being read", rejected)
	}
}

// TestDifferentialMutations: the same, on variants of each file of the
// corpora with one value replaced, a key removed or added, an array
// shortened or given a duplicate. Each file gives about perFile variants
// (its values sampled evenly); every fourth is written back as TOML and
// loaded both ways, so that positions and messages are compared too.
func TestDifferentialMutations(t *testing.T) {
	perFile := 240
	if raceEnabled {
		perFile = 80
	}
	variants, written, schemaFindings := 0, 0, 0
	for name, data := range corpus(t) {
		tree, ok := syntax(&collector{name: name, data: data}, nil)
		if !ok {
			continue
		}
		for _, piece := range pieces(tree) {
			every := max(1, mutate.Nodes(piece)*len(mutate.Samples())*len(pieces(tree))/perFile)
			mutate.Each(piece, mutate.Samples(), every, func(what string, variant any) {
				variants++
				doc, _ := variant.(map[string]any)
				if doc == nil {
					return
				}
				g, j := violations(doc, schema.Validate), violations(doc, reference.Validate)
				if !slices.Equal(g, j) {
					t.Fatalf("%s, %s: violations differ\ngenerated:\n\t%s\nJSON Schema validator:\n\t%s", name, what, strings.Join(g, "\n\t"), strings.Join(j, "\n\t"))
				}
				if len(g) > 0 {
					schemaFindings++
				}
				if variants%4 != 0 {
					return
				}
				text, err := gotoml.Marshal(doc)
				if err != nil {
					return // a value TOML cannot write here
				}
				written++
				if d := differ(name, text); d != "" {
					t.Fatalf("%s, %s:\n%s\n%s", name, what, text, d)
				}
			})
		}
	}
	if written < variants/8 || schemaFindings < variants/4 {
		t.Fatalf("%d variants, %d written as TOML, %d with schema findings: too few to compare", variants, written, schemaFindings)
	}
	t.Logf("%d variants, %d written as TOML, %d with schema findings", variants, written, schemaFindings)
}

// pieces splits a file of many runtimes (the catalog) into files of one
// runtime each, which check alike but cost a fraction to vary and validate.
func pieces(tree map[string]any) []map[string]any {
	rts, _ := tree["runtimes"].([]any)
	if len(rts) < 10 {
		return []map[string]any{tree}
	}
	out := make([]map[string]any, len(rts))
	for i, rt := range rts {
		out[i] = map[string]any{"version": int64(1), "catalog": false, "runtimes": []any{rt}}
	}
	return out
}

// FuzzDifferential: on any input, both validators give the same outcome.
//
//	go test ./config -run '^$' -fuzz FuzzDifferential -fuzztime 60s
func FuzzDifferential(f *testing.F) {
	for _, data := range corpus(f) {
		f.Add(data)
	}
	f.Add([]byte("version = 1\n[[envs]]\nname = \"\"\n\"\" = 1\n[values]\n\"\" = { \"\" = 2 }\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if d := differ("fuzz.toml", data); d != "" {
			t.Fatal(d)
		}
	})
}
