package config

import (
	"fmt"
	"github.com/multienv/multienv/internal/text"
	"slices"
	"strings"
)

// CatalogSource is the Origin of runtimes that come from the built-in catalog.
const CatalogSource = "(catalog)"

// Catalog returns the built-in runtimes, in detection order. They are
// catalog/runtimes.toml compiled into Go (catalog_gen.go), so that no
// process pays for parsing them; the test suite checks the TOML against the
// schema and the generated code against the TOML. Each call returns a new
// copy, the caller's to change.
func Catalog() []Runtime { return catalogData() }

// merge appends the catalog's runtimes after the file's own; a runtime of
// the file replaces the catalog's runtime of the same name.
func (l *loader) merge(cfg *Config) {
	if !cfg.Catalog {
		return
	}
	own := make(map[string]bool, len(cfg.Runtimes))
	for _, r := range cfg.Runtimes {
		own[r.Name] = true
	}
	// The catalog's runtimes are copied: a Config's runtimes are its own,
	// and a change to one reaches neither the catalog nor another Config.
	// catalogData builds it anew, when the Config is made, not when the
	// package is initialised.
	catalog := catalogData()
	cfg.Runtimes = slices.Grow(cfg.Runtimes, len(catalog))
	for _, r := range catalog {
		if !own[r.Name] {
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
	l.checkValues(cfg)
	if len(l.problems) == 0 {
		l.lint(cfg)
	}
}

// unlessSettled reports a problem at ptr (key: at the key) when the schema
// found none. After schema problems what later passes find may follow from
// them, and a file that is still being written would get a line for every
// section not yet there.
func (l *loader) unlessSettled(ptr string, key bool, format string, args ...any) {
	if len(l.settled) == 0 {
		l.report(ptr, key, format, args...)
	}
}

func (l *loader) checkEnvs(cfg *Config) {
	if len(cfg.Envs) == 0 {
		l.unlessSettled("/envs", true, "no environments: declare at least a sandbox and a production environment with [[envs]]")
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
			l.unlessSettled("/envs", true, "no environment of kind %s: declare at least one", k)
		}
	}
}

func (l *loader) checkRuntimes(cfg *Config) {
	seen := map[string]int{}
	for i, r := range cfg.Runtimes {
		if r.Origin == CatalogSource {
			break // the catalog's runtimes come after the file's own
		}
		if j, dup := seen[r.Name]; dup {
			l.report(fmt.Sprintf("/runtimes/%d/name", i), false, "duplicate runtime name %q (first declared as runtimes[%d])", r.Name, j)
		} else {
			seen[r.Name] = i
		}
		if r.EventFile == "" {
			for f, srcs := range r.Facts {
				for j := range srcs {
					if srcs[j].readsPayload() {
						l.report(fmt.Sprintf("/runtimes/%d/%s/%d", i, Fact(f).Key(), j), false,
							"a payload source reads the event payload file, which runtime %q does not name: add event_file = \"VARIABLE\", the variable that holds the file's path", r.Name)
					}
				}
			}
		}
	}
	last := len(cfg.Runtimes) - 1
	if last < 0 {
		l.unlessSettled("/runtimes", true, "no runtimes: declare some, ending with one without `when`, or keep the built-in catalog")
		return
	}
	for i, r := range cfg.Runtimes[:last] {
		if len(r.When) == 0 && r.Origin != CatalogSource {
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

func (l *loader) checkRules(cfg *Config) {
	if len(cfg.Rules) == 0 {
		l.unlessSettled("/rules", true, "no rules: declare at least one [[rules]]")
		return
	}
	groups := map[Group]bool{}
	for _, rt := range cfg.Runtimes {
		groups[rt.Group] = true
	}
	// After the schema flagged something in a section (a name that is not
	// one, a misspelt key, a section under a misspelt name), a reference to
	// it may fail for that reason alone: such a consequence is no finding.
	envsFlagged, runtimesFlagged := l.flaggedUnder("/envs"), l.flaggedUnder("/runtimes")
	refs := runtimeRefs{cfg: cfg}
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
			if !groups[g] {
				l.report(fmt.Sprintf("%s/groups/%d", ptr, j), false, "no runtime is in group %q", g)
			}
		}
		if !runtimesFlagged {
			refs.check(l, ptr, r.Runtimes)
		}
		if len(r.From) == 0 && r.Default == "" {
			l.report(ptr, true, "rule %q never yields: give it `from` variables or a `default`", r.Name)
		}
		if r.Default != "" && !envsFlagged {
			l.checkDefault(cfg, &cfg.Rules[i], ptr)
		}
	}
	l.checkProtected(cfg)
}

// checkDefault checks the default of r, the rule at ptr: an environment
// id or a template of one, which it then sets.
func (l *loader) checkDefault(cfg *Config, r *Rule, ptr string) {
	if !isTemplate(r.Default) {
		if msg := checkID(cfg, r.Default); msg != "" {
			l.report(ptr+"/default", false, "default %s", msg)
		}
		return
	}
	t, why := parseTemplate(r.Default)
	if why == "" {
		why = checkTemplateEnv(cfg, t)
	}
	if why != "" {
		l.report(ptr+"/default", false, "default %s %s", text.Quote(r.Default), why)
		return
	}
	r.Template = t
}

// runtimeRefs checks the runtimes a rule or an allow names against the
// runtimes there are, indexed on the first name checked.
type runtimeRefs struct {
	cfg   *Config
	known map[string]bool
	names []string
	hints text.Hints
}

// check reports each name of refs, the runtimes of the table at ptr, that
// no runtime has.
func (rr *runtimeRefs) check(l *loader, ptr string, refs []string) {
	for j, name := range refs {
		if rr.known == nil {
			rr.known = make(map[string]bool, len(rr.cfg.Runtimes))
			for _, rt := range rr.cfg.Runtimes {
				rr.names = append(rr.names, rt.Name)
				rr.known[rt.Name] = true
			}
		}
		if !rr.known[name] {
			l.report(fmt.Sprintf("%s/runtimes/%d", ptr, j), false, "unknown runtime %q%s", name, rr.hints.Hint(name, rr.names))
		}
	}
}

// flaggedUnder reports whether the schema flagged what declares the names
// of section: the section itself, one of its entries, an entry's name, or
// a top-level key that looks like the section misspelt.
func (l *loader) flaggedUnder(section string) bool {
	for ptr := range l.settled {
		rest, ok := strings.CutPrefix(ptr, section)
		switch {
		case ok && (rest == "" || rest[0] == '/'):
			parts := strings.Split(strings.TrimPrefix(rest, "/"), "/")
			if rest == "" || len(parts) == 1 || len(parts) == 2 && parts[1] == "name" {
				return true
			}
		case strings.Count(ptr, "/") == 1 && text.Closest(ptr[1:], []string{section[1:]}) != "":
			return true
		}
	}
	return false
}

// checkTemplateEnv says what is wrong with the environment a template
// names, or "" when it is declared and has instances.
func checkTemplateEnv(cfg *Config, t *Template) string {
	ix := cfg.idIndex()
	i, ok := ix.envs[t.Env]
	switch {
	case !ok:
		return "names " + text.Quote(t.Env) + ", which is not a declared environment; declared: " + ix.list + text.DidYouMean(text.Closest(t.Env, ix.withInstances))
	case !cfg.Envs[i].Instances:
		return "names an instance of " + text.Quote(t.Env) + ", which has no instances"
	}
	return ""
}

// yields returns the environment a rule's default names, or "" when it
// has none (or it is wrong, which is reported elsewhere).
func (r *Rule) yields() string {
	if r.Template != nil {
		return r.Template.Env
	}
	name, _, _ := splitID(r.Default)
	return name
}

// checkProtected warns where a rule can only ever yield an environment
// whose allow forbids it on every runtime the rule applies to: the rule
// reads no variable, and no condition of the allow admits any of those
// runtimes (by its groups and runtimes; the other keys hold or not at run
// time). It is linear in the file: what each allow admits is indexed once.
func (l *loader) checkProtected(cfg *Config) {
	l.allowRuntimes(cfg)
	var admits map[string]*admission // by environment name, built on need
	byName := map[string]*Runtime{}
	for i, r := range cfg.Rules {
		env := r.yields()
		if len(r.From) > 0 || env == "" {
			continue
		}
		ei, ok := cfg.idIndex().envs[env]
		if !ok || len(cfg.Envs[ei].Allow) == 0 {
			continue
		}
		if admits == nil {
			admits = map[string]*admission{}
			for k := range cfg.Runtimes {
				if _, dup := byName[cfg.Runtimes[k].Name]; !dup {
					byName[cfg.Runtimes[k].Name] = &cfg.Runtimes[k]
				}
			}
		}
		a := admits[env]
		if a == nil {
			a = newAdmission(cfg.Envs[ei].Allow, byName)
			admits[env] = a
		}
		if !a.anyOf(r, byName) {
			l.warn(fmt.Sprintf("/rules/%d/default", i), false,
				"rule %q can only yield %s, whose allow admits none of the runtimes the rule applies to: resolution would always fail there", r.Name, text.Quote(env))
		}
	}
}

// allowRuntimes reports a runtime an allow names that no runtime is, as a
// rule's runtimes are: the environment would be out of reach there.
func (l *loader) allowRuntimes(cfg *Config) {
	if l.flaggedUnder("/runtimes") {
		return
	}
	refs := runtimeRefs{cfg: cfg}
	for i, e := range cfg.Envs {
		for j, c := range e.Allow {
			if len(c.Runtimes) > 0 {
				refs.check(l, fmt.Sprintf("/envs/%d/allow/%d", i, j), c.Runtimes)
			}
		}
	}
}

// admission is what an environment's allow admits, by runtime group and
// name, whatever the other keys of its conditions say.
type admission struct {
	all       bool
	groups    map[Group]bool // every runtime of the group
	names     map[string]bool
	nameGroup map[Group]bool // some runtime of the group, admitted by name
}

func newAdmission(allow []Condition, byName map[string]*Runtime) *admission {
	a := &admission{groups: map[Group]bool{}, names: map[string]bool{}, nameGroup: map[Group]bool{}}
	for _, c := range allow {
		switch {
		case len(c.Groups) == 0 && len(c.Runtimes) == 0:
			a.all = true
		case len(c.Runtimes) == 0:
			for _, g := range c.Groups {
				a.groups[g] = true
			}
		default:
			for _, n := range c.Runtimes {
				if rt := byName[n]; rt != nil && (len(c.Groups) == 0 || slices.Contains(c.Groups, rt.Group)) {
					a.names[n] = true
					a.nameGroup[rt.Group] = true
				}
			}
		}
	}
	return a
}

// anyOf reports whether the allow admits some runtime the rule applies to.
func (a *admission) anyOf(r Rule, byName map[string]*Runtime) bool {
	if a.all {
		return true
	}
	for _, g := range r.Groups {
		if a.groups[g] || a.nameGroup[g] {
			return true
		}
	}
	for _, n := range r.Runtimes {
		if rt := byName[n]; rt != nil && (a.groups[rt.Group] || a.names[n]) {
			return true
		}
	}
	return false
}

// lint finds what works but is likely a mistake: rules that can never
// apply and environments that no rule can reach.
func (l *loader) lint(cfg *Config) {
	l.checkPRReach(cfg)
	cov := newCoverage(cfg)
	live := make([]bool, len(cfg.Rules))
	for i, r := range cfg.Rules {
		if cov.covers(r) {
			l.warn(fmt.Sprintf("/rules/%d", i), true, "rule %q can never apply: rule %s always yields first for every runtime it applies to", r.Name, cov.coveredBy(r))
			continue
		}
		live[i] = true
		// Only a rule that always yields covers those after it: one with
		// conditions or a template may yield nothing.
		if r.Default != "" && r.Template == nil && len(r.When) == 0 {
			cov.add(i, r)
		}
	}
	reached := map[string]bool{}
	for i, r := range cfg.Rules {
		if live[i] && len(r.From) > 0 {
			return // a variable can name any environment
		}
		if live[i] {
			reached[r.yields()] = true
		}
	}
	for i, e := range cfg.Envs {
		if !reached[e.Name] {
			l.warn(fmt.Sprintf("/envs/%d", i), true, "environment %q cannot be reached: no rule reads a variable and no rule defaults to it", e.Name)
		}
	}
}

// checkPRReach warns where a table of conditions on branch or base_branch,
// without pr = false, leads to a workload or production environment: a
// rule's when, where the rule defaults to one, or the environment's own
// allow. A pull request meets such a table: whoever opens one names its
// source branch, main included, and picks the branch it targets.
func (l *loader) checkPRReach(cfg *Config) {
	kinds := make(map[string]Kind, len(cfg.Envs))
	for _, e := range cfg.Envs {
		kinds[e.Name] = e.Kind
	}
	guarded := func(k Kind) bool { return k == KindWorkload || k == KindProduction }
	for i, r := range cfg.Rules {
		env := r.yields()
		if !guarded(kinds[env]) {
			continue
		}
		for j := range r.When {
			if why := prMeets(&r.When[j]); why != "" {
				l.warn(fmt.Sprintf("/rules/%d/when/%d", i, j), false,
					"a pull request meets this condition (%s), and rule %q then yields %s (%s); add pr = false to the table unless pull requests are to reach it", why, r.Name, text.Quote(env), kinds[env])
			}
		}
	}
	for i, e := range cfg.Envs {
		if !guarded(e.Kind) {
			continue
		}
		for j := range e.Allow {
			if why := prMeets(&e.Allow[j]); why != "" {
				l.warn(fmt.Sprintf("/envs/%d/allow/%d", i, j), false,
					"a pull request meets this table of %s's allow (%s); add pr = false to the table unless pull requests are to reach %s", text.Quote(e.Name), why, e.Kind)
			}
		}
	}
}

// prMeets says how a pull request can meet the condition on its branches,
// or "" when it cannot (pr = false, or no such condition).
func prMeets(c *Condition) string {
	switch {
	case c.PR == NotPR:
		return ""
	case len(c.Branch) > 0:
		return "whoever opens one names its source branch, which branch matches"
	case len(c.BaseBranch) > 0:
		return "base_branch is the branch it targets"
	}
	return ""
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = text.Quote(n)
	}
	return strings.Join(q, ", ")
}

// maxCoverers bounds the rules a shadowing warning names.
const maxCoverers = 10

// coverage tracks, rule after rule, the first rule that always yields (it
// has a default) on each runtime: a rule that names a group marks every
// runtime of it, once, and one that names a runtime marks the runtimes of
// that name. Each runtime is marked once and a rule is answered for in
// time proportional to the groups and runtimes it names, so that lint is
// linear in the size of a file. Rule.AppliesTo stays the definition: a
// rule applies to the runtimes of its groups and to those it names.
type coverage struct {
	cfg      *Config
	byName   map[string]int  // runtime name -> its first index
	sameName []int           // runtime index -> next index of that name, or -1
	members  map[Group][]int // group -> its runtimes, in order
	coverer  []int           // runtime -> the first rule that always yields there, or -1
	open     map[Group]int   // group -> its runtimes without a coverer
	marked   map[Group]bool  // the groups a rule has marked
	frozen   map[Group][]cover
}

// cover is a rule that covers a runtime: the first runtime it covers, in
// detection order, among those a group holds.
type cover struct{ runtime, rule int }

func newCoverage(cfg *Config) *coverage {
	c := &coverage{cfg: cfg, byName: make(map[string]int, len(cfg.Runtimes)), sameName: make([]int, len(cfg.Runtimes)),
		members: map[Group][]int{}, coverer: make([]int, len(cfg.Runtimes)), open: map[Group]int{}, marked: map[Group]bool{},
		frozen: map[Group][]cover{}}
	last := make(map[string]int, len(cfg.Runtimes))
	for k, rt := range cfg.Runtimes {
		c.coverer[k], c.sameName[k] = -1, -1
		if j, ok := last[rt.Name]; ok {
			c.sameName[j] = k
		} else {
			c.byName[rt.Name] = k
		}
		last[rt.Name] = k
		c.members[rt.Group] = append(c.members[rt.Group], k)
		c.open[rt.Group]++
	}
	return c
}

// covers reports whether an earlier rule always yields on every runtime r
// applies to.
func (c *coverage) covers(r Rule) bool {
	for _, g := range r.Groups {
		if c.open[g] > 0 {
			return false
		}
	}
	for _, name := range r.Runtimes {
		for k, ok := c.byName[name]; ok && k >= 0; k = c.sameName[k] {
			if c.coverer[k] < 0 {
				return false
			}
		}
	}
	return true
}

// add records that rule i, r, always yields on the runtimes it applies to.
func (c *coverage) add(i int, r Rule) {
	for _, g := range r.Groups {
		if !c.marked[g] {
			c.marked[g] = true
			for _, k := range c.members[g] {
				c.mark(k, i)
			}
		}
	}
	for _, name := range r.Runtimes {
		for k, ok := c.byName[name]; ok && k >= 0; k = c.sameName[k] {
			c.mark(k, i)
		}
	}
}

func (c *coverage) mark(k, rule int) {
	if c.coverer[k] < 0 {
		c.coverer[k] = rule
		c.open[c.cfg.Runtimes[k].Group]--
	}
}

// coveredBy names the rules that cover the runtimes r applies to, each
// once, in the order of the first runtime each covers; r must be covered.
func (c *coverage) coveredBy(r Rule) string {
	first := map[int]int{} // rule -> first runtime it covers
	note := func(cv cover) {
		if at, ok := first[cv.rule]; !ok || cv.runtime < at {
			first[cv.rule] = cv.runtime
		}
	}
	more := false
	for _, g := range r.Groups {
		covers := c.groupCovers(g)
		if len(covers) > maxCoverers {
			covers, more = covers[:maxCoverers], true
		}
		for _, cv := range covers {
			note(cv)
		}
	}
	for _, name := range r.Runtimes {
		for k, ok := c.byName[name]; ok && k >= 0; k = c.sameName[k] {
			note(cover{k, c.coverer[k]})
		}
	}
	rules := make([]cover, 0, len(first))
	for rule, at := range first {
		rules = append(rules, cover{at, rule})
	}
	slices.SortFunc(rules, func(a, b cover) int { return a.runtime - b.runtime })
	if len(rules) > maxCoverers {
		rules, more = rules[:maxCoverers], true
	}
	names := make([]string, len(rules))
	for i, cv := range rules {
		names[i] = c.cfg.Rules[cv.rule].Name
	}
	if more {
		return quoteAll(names) + " and others"
	}
	return quoteAll(names)
}

// groupCovers returns the rules that cover the runtimes of group g, each
// with the first runtime it covers, in that order. Every runtime of g must
// be covered: what covers them no longer changes, so the answer is kept.
func (c *coverage) groupCovers(g Group) []cover {
	if covers, ok := c.frozen[g]; ok {
		return covers
	}
	var covers []cover
	seen := map[int]bool{}
	for _, k := range c.members[g] {
		if rule := c.coverer[k]; !seen[rule] {
			seen[rule] = true
			covers = append(covers, cover{k, rule})
		}
	}
	c.frozen[g] = covers
	return covers
}
