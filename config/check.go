package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/multienv/multienv/internal/text"
)

// semantics is the pass that checks what the schema cannot: unique names,
// references between sections, and the shape the resolver relies on. It
// returns the index of the environments it built, which lint reads too.
func semantics(c *collector, cfg *Config) *idIndex {
	ck := &checker{collector: c, ids: newIDIndex(cfg)}
	ck.checkEnvs(cfg)
	ck.checkRuntimes(cfg)
	ck.checkRules(cfg)
	ck.checkRuntimeRefs(cfg)
	ck.checkText(cfg)
	ck.checkValues(cfg)
	return ck.ids
}

// checker is the semantic pass over one configuration.
type checker struct {
	*collector
	ids *idIndex // the environments by name
}

func (ck *checker) checkEnvs(cfg *Config) {
	if len(cfg.Envs) == 0 {
		ck.unlessSettled("/envs", true, "no environments: declare at least a sandbox and a production environment with [[envs]]")
		return
	}
	seen := map[string]int{}
	kinds := map[Kind]bool{}
	for i, e := range cfg.Envs {
		ptr := fmt.Sprintf("/envs/%d", i)
		ck.unique(seen, "envs", "environment", i, e.Name)
		kinds[e.Kind] = true
		// A kind the schema flagged (missing, misspelt) says nothing about
		// whether the environment may have instances.
		if e.Instances && e.Kind != KindSandbox && !ck.isSettled(ptr+"/kind") {
			ck.report(ptr+"/instances", false, "only sandbox environments may have instances; %q is of kind %s", e.Name, e.Kind)
		}
	}
	for _, k := range []Kind{KindSandbox, KindProduction} {
		if !kinds[k] {
			ck.unlessSettled("/envs", true, "no environment of kind %s: declare at least one", k)
		}
	}
}

// checkRuntimes checks the file's runtimes and their order. A variable named
// like a secret draws a warning as the runtime variable (the resolver never
// prints its value) or a fact source (checkSources).
func (ck *checker) checkRuntimes(cfg *Config) {
	if text.IsSecretName(cfg.RuntimeVariable) {
		ck.warn("/runtime_variable", false,
			"%s is named like a secret: a runtime name that is not known is quoted in the error, so the resolver never prints this one; force the runtime with another variable", text.Quote(cfg.RuntimeVariable))
	}
	seen := map[string]int{}
	for i, r := range cfg.Runtimes {
		if r.Origin == CatalogOrigin {
			break // the catalog's runtimes come after the file's own
		}
		ck.unique(seen, "runtimes", "runtime", i, r.Name)
		ck.checkSources(i, &r)
	}
	last := len(cfg.Runtimes) - 1
	if last < 0 {
		ck.unlessSettled("/runtimes", true, "no runtimes: declare some, ending with one without `when`, or keep the built-in catalog")
		return
	}
	hint := ""
	if cfg.Catalog {
		hint = " (the built-in catalog ends with its own: set catalog = false to declare yours)"
	}
	for i, r := range cfg.Runtimes[:last] {
		if len(r.When) == 0 && r.Origin != CatalogOrigin {
			ck.report(fmt.Sprintf("/runtimes/%d", i), true, "runtime %q has no `when`, so it always matches and hides every runtime after it; only the last runtime may%s", r.Name, hint)
		}
	}
	if r := cfg.Runtimes[last]; len(r.When) != 0 {
		// The catalog's own last runtime is then one the file replaced.
		catalog := Catalog()
		fallback := catalog[len(catalog)-1].Name
		if i := slices.IndexFunc(cfg.Runtimes, func(rt Runtime) bool { return rt.Name == fallback }); r.Origin == CatalogOrigin && i >= 0 {
			if len(cfg.Runtimes[i].When) > 0 { // else reported above: it hides the catalog's runtimes
				ck.report(fmt.Sprintf("/runtimes/%d/when", i), true, "runtime %q replaces the built-in catalog's last runtime, which has no `when` so that some runtime always matches: drop this `when`, or name the runtime differently", fallback)
			}
			return
		}
		ck.report(fmt.Sprintf("/runtimes/%d/when", last), true, "the last runtime, %q, has a `when`: end the list with a runtime without one, so that some runtime always matches", r.Name)
	}
}

// checkSources checks the fact sources of r, runtime i: a payload source
// needs the event file, and a source named like a secret is never read, for
// a fact is printed.
func (ck *checker) checkSources(i int, r *Runtime) {
	for f, srcs := range r.Facts {
		for j := range srcs {
			ptr, vars := fmt.Sprintf("/runtimes/%d/%s/%d", i, Fact(f).Key(), j), srcs[j].Vars()
			if r.EventFile == "" && srcs[j].readsPayload() {
				ck.report(ptr, false, "a payload source reads the event payload file, which runtime %q does not name: add event_file = \"VARIABLE\", the variable that holds the file's path", r.Name)
			}
			if k := slices.IndexFunc(vars, text.IsSecretName); k >= 0 {
				ck.warn(ptr, false, "%s is named like a secret: a %s is printed (by explain and current --json), so this variable is never read as one", text.Quote(vars[k]), strings.ReplaceAll(Fact(f).Key(), "_", " "))
			}
		}
	}
}

func (ck *checker) checkRules(cfg *Config) {
	if len(cfg.Rules) == 0 {
		ck.unlessSettled("/rules", true, "no rules: declare at least one [[rules]]")
		return
	}
	groups := map[Group]bool{}
	for _, rt := range cfg.Runtimes {
		groups[rt.Group] = true
	}
	// After the schema flagged something in the environments (a name that
	// is not one, a misspelt key, a section under a misspelt name), a
	// default may fail for that reason alone: such a consequence is no finding.
	envsFlagged := ck.flaggedUnder("/envs")
	seen := map[string]int{}
	for i, r := range cfg.Rules {
		ptr := fmt.Sprintf("/rules/%d", i)
		ck.unique(seen, "rules", "rule", i, r.Name)
		if len(r.Groups) == 0 && len(r.Runtimes) == 0 {
			ck.report(ptr, true, "rule %q applies to nothing: give it `groups` or `runtimes`", r.Name)
		}
		for j, g := range r.Groups {
			if !groups[g] {
				ck.report(fmt.Sprintf("%s/groups/%d", ptr, j), false, "no runtime is in group %q", g)
			}
		}
		if len(r.From) == 0 && r.Default == "" {
			ck.report(ptr, true, "rule %q never yields: give it `from` variables or a `default`", r.Name)
		}
		// What from reads is the answer, which is printed: the resolver never
		// reads a variable named like a secret there.
		for j, v := range r.From {
			if text.IsSecretName(v) {
				ck.report(fmt.Sprintf("%s/from/%d", ptr, j), false,
					"%s is named like a secret: what from reads is the answer, printed by current, export and the Action, so such a variable is never read; read the environment from another variable", text.Quote(v))
			}
		}
		if r.Default != "" && !envsFlagged {
			ck.checkDefault(cfg, &cfg.Rules[i], ptr)
		}
	}
}

// checkDefault checks the default of r, the rule at ptr: an environment
// id or a template of one, which it then sets.
func (ck *checker) checkDefault(cfg *Config, r *Rule, ptr string) {
	if !isTemplate(r.Default) {
		if msg, h := ck.checkID(cfg, r.Default); msg != "" {
			ck.reportHinted(h, ptr+"/default", false, "default %s", msg)
		}
		return
	}
	t, why := parseTemplate(r.Default)
	var h hint
	if why == "" {
		switch i, ok := ck.ids.envs[t.Env]; {
		case !ok:
			why = "names " + text.Quote(t.Env) + ", which is not a declared environment; declared: " + ck.ids.list
			h = didYouMean(t.Env, ck.ids.withInstances)
		case !cfg.Envs[i].Instances:
			why = "names an instance of " + text.Quote(t.Env) + ", which has no instances"
		}
	}
	if why != "" {
		ck.reportHinted(h, ptr+"/default", false, "default %s %s", text.Quote(r.Default), why)
		return
	}
	r.Template = t
}

// checkRuntimeRefs reports a runtime that a rule or an allow names and no
// runtime is. A file without rules (reported) is not checked, nor one whose
// runtimes the schema flagged: a reference may then fail for that alone.
func (ck *checker) checkRuntimeRefs(cfg *Config) {
	if len(cfg.Rules) == 0 || ck.flaggedUnder("/runtimes") {
		return
	}
	var known map[string]bool // made on the first name checked
	var names []string
	check := func(ptr string, refs []string) {
		for j, name := range refs {
			if known == nil {
				known = make(map[string]bool, len(cfg.Runtimes))
				for _, rt := range cfg.Runtimes {
					names = append(names, rt.Name)
					known[rt.Name] = true
				}
			}
			if !known[name] {
				ck.reportHinted(didYouMean(name, names), fmt.Sprintf("%s/runtimes/%d", ptr, j), false, "unknown runtime %q", name)
			}
		}
	}
	for i, r := range cfg.Rules {
		check(fmt.Sprintf("/rules/%d", i), r.Runtimes)
	}
	for i, e := range cfg.Envs {
		for j, c := range e.Allow {
			check(fmt.Sprintf("/envs/%d/allow/%d", i, j), c.Runtimes)
		}
	}
}

// yields returns the environment a rule's default names (sbx of sbx-101 or
// of sbx-pr{pr_number}), or "" when it has none (or it is wrong, which is
// reported elsewhere). A template is read here when the checks have not
// read it yet, as when bases merge.
func (r *Rule) yields() string {
	t := r.Template
	if t == nil && isTemplate(r.Default) {
		t, _ = parseTemplate(r.Default)
	}
	if t != nil {
		return t.Env
	}
	name, _, _ := splitID(r.Default)
	return name
}

func quoteAll(names []string) string { return joinWords(names, text.Quote, ", ") }
