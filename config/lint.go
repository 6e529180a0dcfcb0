package config

import (
	"fmt"
	"maps"
	"slices"

	"github.com/multienv/multienv/internal/text"
)

// lint is the last pass, on a configuration without problems (so names are
// unique; envs indexes the environments). It warns of what works but is
// likely a mistake: a rule that can only yield a protected environment where
// its allow forbids it, a pull request that reaches a guarded environment,
// rules that can never apply and environments that no rule can reach.
func lint(c *collector, cfg *Config, envs map[string]int) {
	cov := newCoverage(cfg)
	unreachableProtected(c, cfg, envs, cov.byName)
	prReach(c, cfg, envs)
	reached, fromVariable := map[string]bool{}, false
	for i, r := range cfg.Rules {
		if cov.covers(r) {
			c.warn(fmt.Sprintf("/rules/%d", i), true, "rule %q can never apply: rule %s always yields first for every runtime it applies to", r.Name, cov.coveredBy(r))
			continue
		}
		reached[r.yields()] = true
		fromVariable = fromVariable || len(r.From) > 0 // a variable can name any environment
		// Only a rule that always yields covers those after it: one with
		// conditions or a template may yield nothing.
		if r.Default != "" && r.Template == nil && len(r.When) == 0 {
			cov.add(i, r)
		}
	}
	for i, e := range cfg.Envs {
		if !fromVariable && !reached[e.Name] {
			c.warn(fmt.Sprintf("/envs/%d", i), true, "environment %q cannot be reached: no rule reads a variable and no rule defaults to it", e.Name)
		}
	}
}

// unreachableProtected warns where a rule reads no variable and yields an
// environment whose allow admits, by its groups and runtimes (the other keys
// hold or not at run time), none of the runtimes the rule applies to. Each
// allow is indexed once, so that it is linear in the file; rts indexes the
// runtimes by name.
func unreachableProtected(c *collector, cfg *Config, envs, rts map[string]int) {
	admits := map[int]*admission{} // by environment, built on need
	for i, r := range cfg.Rules {
		ei, ok := envs[r.yields()]
		if len(r.From) > 0 || !ok || len(cfg.Envs[ei].Allow) == 0 {
			continue
		}
		if admits[ei] == nil {
			admits[ei] = newAdmission(cfg, cfg.Envs[ei].Allow, rts)
		}
		if !admits[ei].anyOf(cfg, r, rts) {
			c.warn(fmt.Sprintf("/rules/%d/default", i), false,
				"rule %q can only yield %s, whose allow admits none of the runtimes the rule applies to: resolution would always fail there", r.Name, text.Quote(cfg.Envs[ei].Name))
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

func newAdmission(cfg *Config, allow []Condition, rts map[string]int) *admission {
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
				if k, ok := rts[n]; ok && (len(c.Groups) == 0 || slices.Contains(c.Groups, cfg.Runtimes[k].Group)) {
					a.names[n] = true
					a.nameGroup[cfg.Runtimes[k].Group] = true
				}
			}
		}
	}
	return a
}

// anyOf reports whether the allow admits some runtime the rule applies to.
func (a *admission) anyOf(cfg *Config, r Rule, rts map[string]int) bool {
	if a.all {
		return true
	}
	for _, g := range r.Groups {
		if a.groups[g] || a.nameGroup[g] {
			return true
		}
	}
	for _, n := range r.Runtimes {
		if k, ok := rts[n]; ok && (a.groups[cfg.Runtimes[k].Group] || a.names[n]) {
			return true
		}
	}
	return false
}

// prReach warns where a table of conditions on branch or base_branch,
// without pr = false, leads to a workload or production environment: a
// rule's when, where the rule defaults to one, or the environment's own
// allow. A pull request meets such a table: whoever opens one names its
// source branch, main included, and picks the branch it targets.
func prReach(c *collector, cfg *Config, envs map[string]int) {
	guarded := func(env *Env) bool { return env.Kind == KindWorkload || env.Kind == KindProduction }
	for i, r := range cfg.Rules {
		if ei, ok := envs[r.yields()]; ok && guarded(&cfg.Envs[ei]) {
			env := &cfg.Envs[ei]
			for j := range r.When {
				if why := prMeets(&r.When[j]); why != "" {
					c.warn(fmt.Sprintf("/rules/%d/when/%d", i, j), false,
						"a pull request meets this condition (%s), and rule %q then yields %s (%s); add pr = false to the table unless pull requests are to reach it", why, r.Name, text.Quote(env.Name), env.Kind)
				}
			}
		}
	}
	for i := range cfg.Envs {
		env := &cfg.Envs[i]
		for j := range env.Allow {
			if why := prMeets(&env.Allow[j]); why != "" && guarded(env) {
				c.warn(fmt.Sprintf("/envs/%d/allow/%d", i, j), false,
					"a pull request meets this table of %s's allow (%s); add pr = false to the table unless pull requests are to reach %s", text.Quote(env.Name), why, env.Kind)
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

// maxCoverers bounds the rules a shadowing warning names.
const maxCoverers = 10

// coverage tracks, rule after rule, the first rule that always yields on
// each runtime: a rule marks each runtime of the groups it names (until the
// group has none left open) and each runtime it names, as Rule.AppliesTo
// defines. A rule is answered for in time proportional to the groups and
// runtimes it names, so that lint is linear in the file.
type coverage struct {
	cfg     *Config
	byName  map[string]int  // runtime name -> its index
	members map[Group][]int // group -> its runtimes, in order
	coverer []int           // runtime -> the first rule that always yields there, or -1
	open    map[Group]int   // group -> its runtimes without a coverer
	frozen  map[Group][]cover
}

// cover is a rule and the first runtime it covers, in detection order.
type cover struct{ runtime, rule int }

func newCoverage(cfg *Config) *coverage {
	c := &coverage{cfg: cfg, byName: make(map[string]int, len(cfg.Runtimes)), members: map[Group][]int{},
		coverer: make([]int, len(cfg.Runtimes)), open: map[Group]int{}, frozen: map[Group][]cover{}}
	for k, rt := range cfg.Runtimes {
		c.coverer[k], c.byName[rt.Name] = -1, k
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
		if k, ok := c.byName[name]; ok && c.coverer[k] < 0 {
			return false
		}
	}
	return true
}

// add records that rule i, r, always yields on the runtimes it applies to.
func (c *coverage) add(i int, r Rule) {
	for _, g := range r.Groups {
		if c.open[g] > 0 { // else every runtime of g is marked already
			for _, k := range c.members[g] {
				c.mark(k, i)
			}
		}
	}
	for _, name := range r.Runtimes {
		if k, ok := c.byName[name]; ok {
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
	first := map[int]int{} // rule -> the first runtime it covers
	note := func(cv cover) {
		if at, ok := first[cv.rule]; !ok || cv.runtime < at {
			first[cv.rule] = cv.runtime
		}
	}
	more := false
	for _, g := range r.Groups {
		covers := c.groupCovers(g)
		more = more || len(covers) > maxCoverers
		for _, cv := range covers[:min(len(covers), maxCoverers)] {
			note(cv)
		}
	}
	for _, name := range r.Runtimes {
		if k, ok := c.byName[name]; ok {
			note(cover{k, c.coverer[k]})
		}
	}
	rules := slices.SortedFunc(maps.Keys(first), func(a, b int) int { return first[a] - first[b] })
	names := make([]string, min(len(rules), maxCoverers))
	for i := range names {
		names[i] = c.cfg.Rules[rules[i]].Name
	}
	if more || len(rules) > maxCoverers {
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
