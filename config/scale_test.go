package config

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/multienv/multienv/internal/position"
)

// shadowModel is lint's shadowing rule written the plain way, rule by
// runtime with Rule.AppliesTo: for each rule in order, the names of the
// earlier rules that always yield first on every runtime it applies to,
// or nil when it can apply somewhere.
func shadowModel(cfg *Config) [][]string {
	coveredBy := make([]string, len(cfg.Runtimes))
	out := make([][]string, len(cfg.Rules))
	for i, r := range cfg.Rules {
		by, shadowed := []string{}, true
		for k, rt := range cfg.Runtimes {
			if !r.AppliesTo(&rt) {
				continue
			}
			if coveredBy[k] == "" {
				shadowed = false
				break
			}
			if !slices.Contains(by, coveredBy[k]) {
				by = append(by, coveredBy[k])
			}
		}
		if shadowed {
			out[i] = by
			continue
		}
		if r.Default != "" {
			for k, rt := range cfg.Runtimes {
				if r.AppliesTo(&rt) && coveredBy[k] == "" {
					coveredBy[k] = r.Name
				}
			}
		}
	}
	return out
}

// TestLintMatchesModel compares lint's indexed shadowing with the plain
// model on random files of rules that name groups, runtimes or both.
func TestLintMatchesModel(t *testing.T) {
	groups := []Group{GroupLocal, GroupCI, GroupApp}
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		cfg := &Config{Envs: []Env{{Name: "sbx", Kind: KindSandbox}, {Name: "prd", Kind: KindProduction}}}
		for k := range 1 + rng.IntN(8) {
			cfg.Runtimes = append(cfg.Runtimes, Runtime{Name: fmt.Sprintf("rt%d", k), Group: groups[rng.IntN(3)]})
		}
		for i := range 1 + rng.IntN(14) {
			r := Rule{Name: fmt.Sprintf("r%d", i), From: []string{"X"}}
			if rng.IntN(2) == 0 {
				r.Default, r.From = "sbx", nil
			}
			for range rng.IntN(3) {
				r.Groups = append(r.Groups, groups[rng.IntN(3)])
			}
			for range rng.IntN(3) {
				r.Runtimes = append(r.Runtimes, cfg.Runtimes[rng.IntN(len(cfg.Runtimes))].Name)
			}
			if len(r.Groups)+len(r.Runtimes) == 0 {
				r.Groups = []Group{cfg.Runtimes[0].Group}
			}
			cfg.Rules = append(cfg.Rules, r)
		}
		want := map[string]bool{}
		for i, by := range shadowModel(cfg) {
			if by != nil {
				want[fmt.Sprintf("rule %q can never apply: rule %s always yields first for every runtime it applies to", cfg.Rules[i].Name, quoteAll(by))] = true
			}
		}
		l := &collector{name: "m.toml", ix: position.Index{}}
		lint(l, cfg, newIDIndex(cfg).envs)
		got := map[string]bool{}
		for _, w := range l.warnings {
			if strings.Contains(w.Message, "can never apply") {
				got[w.Message] = true
			}
		}
		if !mapsEqual(got, want) {
			t.Fatalf("trial %d: rules %+v on runtimes %+v:\ngot  %v\nwant %v", trial, cfg.Rules, cfg.Runtimes, got, want)
		}
	}
}

func mapsEqual(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// scaleFile declares sbx and prd, the runtimes given as name:group, and
// the rules given as TOML bodies.
func scaleFile(runtimes []string, rules ...string) []byte {
	var b strings.Builder
	b.WriteString("version = 1\ncatalog = false\n[[envs]]\nname = \"sbx\"\nkind = \"sandbox\"\n[[envs]]\nname = \"prd\"\nkind = \"production\"\n")
	for i, rt := range runtimes {
		name, group, _ := strings.Cut(rt, ":")
		fmt.Fprintf(&b, "[[runtimes]]\nname = %q\ngroup = %q\n", name, group)
		if i < len(runtimes)-1 {
			fmt.Fprintf(&b, "when = [{ set = [\"V%d\"] }]\n", i)
		}
	}
	for _, r := range rules {
		b.WriteString("[[rules]]\n" + r + "\n")
	}
	return []byte(b.String())
}

// TestShadowingLists: a shadowed rule names the rules that cover it in the
// order of the runtimes they cover, at most ten of them.
func TestShadowingLists(t *testing.T) {
	var rts, rules []string
	for i := range 12 {
		rts = append(rts, fmt.Sprintf("c%d:ci", i))
	}
	for i := 11; i >= 0; i-- { // each runtime covered by its own rule, the last runtime first
		rules = append(rules, fmt.Sprintf("name = \"r%d\"\nruntimes = [\"c%d\"]\ndefault = \"sbx\"", i, i))
	}
	rts = append(rts, "laptop:local")
	for _, tc := range []struct {
		name  string
		rules []string
		want  string
	}{
		{"group covered rule by rule", append(slices.Clone(rules), "name = \"ci\"\ngroups = [\"ci\"]\nfrom = [\"X\"]", "name = \"l\"\ngroups = [\"local\"]\nfrom = [\"X\"]"),
			`rule "ci" can never apply: rule "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9" and others always yields first for every runtime it applies to`},
		{"named and grouped", []string{"name = \"a\"\nruntimes = [\"c5\"]\ndefault = \"sbx\"", "name = \"b\"\ngroups = [\"ci\"]\ndefault = \"prd\"",
			"name = \"c\"\nruntimes = [\"c7\", \"c5\"]\nfrom = [\"X\"]", "name = \"l\"\ngroups = [\"local\"]\nfrom = [\"X\"]"},
			`rule "c" can never apply: rule "a", "b" always yields first for every runtime it applies to`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("s.toml", scaleFile(rts, tc.rules...))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range cfg.Warnings {
				if strings.Contains(w.Message, "can never apply") {
					got = append(got, w.Message)
				}
			}
			if len(got) != 1 || got[0] != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestSuggestionsCapped: the first 50 unknown runtimes of a file get a
// did-you-mean, the rest none; a far name gets none at all.
func TestSuggestionsCapped(t *testing.T) {
	var names []string
	for i := range 150 {
		names = append(names, fmt.Sprintf("\"laptopmachi%c%c\"", 'a'+i/26, 'a'+i%26))
	}
	data := scaleFile([]string{"prow:ci", "laptopmachine:local"}, "name = \"r\"\ngroups = [\"local\"]\nruntimes = ["+strings.Join(names, ", ")+", \"prd\"]\ndefault = \"sbx\"")
	_, err := Parse("c.toml", data)
	ce, ok := err.(*Error)
	if !ok {
		t.Fatalf("got %v; want problems", err)
	}
	hinted, unknown := 0, 0
	for _, p := range ce.Problems {
		if strings.Contains(p.Message, "unknown runtime") {
			unknown++
		}
		if strings.Contains(p.Message, `did you mean "laptopmachine"?`) {
			hinted++
		}
		if strings.Contains(p.Message, `"prd"`) && strings.Contains(p.Message, "did you mean") {
			t.Errorf("%s: prd is two edits from prow, too far for a three-letter name", p)
		}
	}
	if unknown != 151 || hinted != 50 {
		t.Errorf("got %d unknown runtimes, %d with a suggestion; want 151, 50", unknown, hinted)
	}
}
