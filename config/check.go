package config

import (
	"fmt"
	"slices"
	"strings"
)

// CatalogSource is the Origin of runtimes that come from the built-in catalog.
const CatalogSource = "(catalog)"

// Catalog returns the built-in runtimes, in detection order. They are
// catalog/runtimes.toml compiled into Go (catalog_gen.go), so that no
// process pays for parsing them; the test suite checks the TOML against the
// schema and the generated code against the TOML.
func Catalog() []Runtime { return builtinRuntimes }

// merge appends the catalog's runtimes after the file's own; a runtime of
// the file replaces the catalog's runtime of the same name.
func (l *loader) merge(cfg *Config) {
	if !cfg.Catalog {
		return
	}
	own := len(cfg.Runtimes)
	for _, r := range builtinRuntimes {
		if !slices.ContainsFunc(cfg.Runtimes[:own], func(o Runtime) bool { return o.Name == r.Name }) {
			cfg.Runtimes = append(cfg.Runtimes, r)
		}
	}
}

// semantics checks what the schema cannot: unique names, references
// between sections, and the shape the resolver relies on.
func (l *loader) semantics(cfg *Config) {
	l.checkEnvs(cfg)
	l.checkRuntimes(cfg)
	l.checkRules(cfg)
	l.checkText(cfg)
	l.checkSecrets(cfg)
	if len(l.problems) == 0 {
		l.lint(cfg)
	}
}

// missing reports that a section lacks something the resolver needs, at
// the section's key (the root table when the file has none). After schema
// problems it says nothing: a file that is still being written would get a
// line for every section not yet there.
func (l *loader) missing(ptr, msg string) {
	if len(l.settled) == 0 {
		l.report(ptr, true, "%s", msg)
	}
}

func (l *loader) checkEnvs(cfg *Config) {
	if len(cfg.Envs) == 0 {
		l.missing("/envs", "no environments: declare at least a sandbox and a production environment with [[envs]]")
		return
	}
	seen := map[string]int{}
	kinds := map[Kind]bool{}
	for i, e := range cfg.Envs {
		ptr := fmt.Sprintf("/envs/%d", i)
		if j, dup := seen[e.Name]; dup {
			l.report(ptr+"/name", false, "duplicate environment name %q (first declared as envs[%d])", e.Name, j)
		} else {
			seen[e.Name] = i
		}
		kinds[e.Kind] = true
		// A kind the schema flagged (missing, misspelt) says nothing about
		// whether the environment may have instances.
		if e.Instances && e.Kind != KindSandbox && !l.isSettled(ptr+"/kind") {
			l.report(ptr+"/instances", false, "only sandbox environments may have instances; %q is of kind %s", e.Name, e.Kind)
		}
	}
	for _, k := range []Kind{KindSandbox, KindProduction} {
		if !kinds[k] {
			l.missing("/envs", fmt.Sprintf("no environment of kind %s: declare at least one", k))
		}
	}
}

func (l *loader) checkRuntimes(cfg *Config) {
	seen := map[string]int{}
	for i, r := range cfg.Runtimes {
		if r.Origin != cfg.Source {
			break // the catalog's runtimes come after the file's own
		}
		if j, dup := seen[r.Name]; dup {
			l.report(fmt.Sprintf("/runtimes/%d/name", i), false, "duplicate runtime name %q (first declared as runtimes[%d])", r.Name, j)
		} else {
			seen[r.Name] = i
		}
	}
	last := len(cfg.Runtimes) - 1
	if last < 0 {
		l.missing("/runtimes", "no runtimes: declare some, ending with one without `when`, or keep the built-in catalog")
		return
	}
	for i, r := range cfg.Runtimes[:last] {
		if len(r.When) == 0 && r.Origin == cfg.Source {
			hint := ""
			if cfg.Catalog {
				hint = " (the built-in catalog ends with its own: set catalog = false to declare yours)"
			}
			l.report(fmt.Sprintf("/runtimes/%d", i), true, "runtime %q has no `when`, so it always matches and hides every runtime after it; only the last runtime may%s", r.Name, hint)
		}
	}
	if r := cfg.Runtimes[last]; len(r.When) != 0 {
		l.report(fmt.Sprintf("/runtimes/%d/when", last), true, "the last runtime, %q, has a `when`: end the list with a runtime without one, so that some runtime always matches", r.Name)
	}
}

// runtimesOf returns, for each runtime of cfg, whether rule r applies to it.
func runtimesOf(cfg *Config, r Rule) []bool {
	applies := make([]bool, len(cfg.Runtimes))
	for i, rt := range cfg.Runtimes {
		applies[i] = r.AppliesTo(rt)
	}
	return applies
}

func (l *loader) checkRules(cfg *Config) {
	if len(cfg.Rules) == 0 {
		l.missing("/rules", "no rules: declare at least one [[rules]]")
		return
	}
	seen := map[string]int{}
	for i, r := range cfg.Rules {
		ptr := fmt.Sprintf("/rules/%d", i)
		if j, dup := seen[r.Name]; dup {
			l.report(ptr+"/name", false, "duplicate rule name %q (first declared as rules[%d])", r.Name, j)
		} else {
			seen[r.Name] = i
		}
		if len(r.Groups) == 0 && len(r.Runtimes) == 0 {
			l.report(ptr, true, "rule %q applies to nothing: give it `groups` or `runtimes`", r.Name)
		}
		for j, g := range r.Groups {
			if !slices.ContainsFunc(cfg.Runtimes, func(rt Runtime) bool { return rt.Group == g }) {
				l.report(fmt.Sprintf("%s/groups/%d", ptr, j), false, "no runtime is in group %q", g)
			}
		}
		for j, name := range r.Runtimes {
			if !slices.ContainsFunc(cfg.Runtimes, func(rt Runtime) bool { return rt.Name == name }) {
				l.report(fmt.Sprintf("%s/runtimes/%d", ptr, j), false, "unknown runtime %q%s", name, suggestRuntime(cfg, name))
			}
		}
		if len(r.From) == 0 && r.Default == "" {
			l.report(ptr, true, "rule %q never yields: give it `from` variables or a `default`", r.Name)
		}
		if r.Default != "" {
			if msg := checkID(cfg, r.Default); msg != "" {
				l.report(ptr+"/default", false, "default %s", msg)
			}
		}
	}
}

func suggestRuntime(cfg *Config, name string) string {
	names := make([]string, len(cfg.Runtimes))
	for i, rt := range cfg.Runtimes {
		names[i] = rt.Name
	}
	if s := Closest(name, names); s != "" {
		return fmt.Sprintf("; did you mean %q?", s)
	}
	return ""
}

// lint finds what works but is likely a mistake: rules that can never
// apply and environments that no rule can reach.
func (l *loader) lint(cfg *Config) {
	covered := make([]bool, len(cfg.Runtimes)) // an earlier rule always yields there
	coveredBy := make([]string, len(cfg.Runtimes))
	live := make([]bool, len(cfg.Rules))
	for i, r := range cfg.Rules {
		applies := runtimesOf(cfg, r)
		var by []string
		shadowed := true
		for k, a := range applies {
			if !a {
				continue
			}
			if !covered[k] {
				shadowed = false
				break
			}
			if !slices.Contains(by, coveredBy[k]) {
				by = append(by, coveredBy[k])
			}
		}
		if shadowed {
			l.warn(fmt.Sprintf("/rules/%d", i), true, "rule %q can never apply: rule %s always yields first for every runtime it applies to", r.Name, quoteAll(by))
			continue
		}
		live[i] = true
		if r.Default != "" {
			for k, a := range applies {
				if a && !covered[k] {
					covered[k], coveredBy[k] = true, r.Name
				}
			}
		}
	}
	for i, r := range cfg.Rules {
		if live[i] && len(r.From) > 0 {
			return // a variable can name any environment
		}
	}
	for i, e := range cfg.Envs {
		reached := false
		for j, r := range cfg.Rules {
			if name, _, _ := SplitID(r.Default); live[j] && name == e.Name {
				reached = true
			}
		}
		if !reached {
			l.warn(fmt.Sprintf("/envs/%d", i), true, "environment %q cannot be reached: no rule reads a variable and no rule defaults to it", e.Name)
		}
	}
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = Quote(n)
	}
	return strings.Join(q, ", ")
}
