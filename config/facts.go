package config

import (
	"slices"
	"strconv"
	"strings"

	"github.com/multienv/multienv/internal/glob"
)

// Fact is one thing a CI runtime reports about its build, read from the
// vendor's documented variables.
type Fact uint8

// The facts, in the order output lists them.
const (
	FactPRNumber   Fact = iota // the pull request's number
	FactBranch                 // the branch built; on a pull request, its source branch
	FactBaseBranch             // on a pull request, the branch it targets
	FactTag                    // the git tag built
	FactCommit                 // the full commit SHA
	FactBuild                  // the vendor's build number or id
	FactBuildURL               // the URL of the build's page
	FactRepo                   // the repository, as owner/name
	NumFacts
)

// factKeys are the TOML keys (and JSON keys) of the facts, indexed by Fact.
var factKeys = [NumFacts]string{"pr_number", "branch", "base_branch", "tag", "commit", "build", "build_url", "repo"}

// Key is the key that spells the fact in a file and in JSON.
func (f Fact) Key() string { return factKeys[f] }

// Facts are the values of the facts of one build, indexed by Fact; an
// unknown fact is empty.
type Facts [NumFacts]string

// PRFilter restricts a source or a condition to pull-request builds, or to
// the others.
type PRFilter uint8

// The filters.
const (
	AnyBuild PRFilter = iota // no restriction
	PROnly                   // pr = true
	NotPR                    // pr = false
)

// Admits reports whether a build that is (pr) or is not a pull request
// passes the filter.
func (f PRFilter) Admits(pr bool) bool {
	return f == AnyBuild || (f == PROnly) == pr
}

// Source is one place a fact is read from: a variable, its whole value or
// the part a pattern captures, on every build or only on pull requests (or
// only on the others).
type Source struct {
	Var string
	// Pattern, when set, must match the value; what it captures is the fact.
	Pattern *glob.Pattern
	PR      PRFilter
}

// MaxFactVar is the longest variable a fact is read from, in bytes: a
// longer one gives no fact. It bounds what matching costs: a pattern's
// length times the value's, for each source and each condition's pattern.
const MaxFactVar = 512

// Read returns the fact the source gives, or "" when it gives none: the
// variable is unset, empty, longer than MaxFactVar or does not match the
// pattern. It allocates nothing.
func (s *Source) Read(lookup func(string) (string, bool), pr bool) string {
	if !s.PR.Admits(pr) || lookup == nil {
		return ""
	}
	v, _ := lookup(s.Var)
	if len(v) > MaxFactVar {
		return ""
	}
	if v == "" || s.Pattern == nil {
		return v
	}
	c, _ := s.Pattern.Capture(v)
	return c
}

// String describes the source: GITHUB_REF matching "refs/pull/{}/merge",
// on pull requests.
func (s Source) String() string {
	var b strings.Builder
	b.WriteString(s.Var)
	if s.Pattern != nil {
		b.WriteString(" matching ")
		b.WriteString(strconv.Quote(s.Pattern.String()))
	}
	switch s.PR {
	case PROnly:
		b.WriteString(", on pull requests")
	case NotPR:
		b.WriteString(", except on pull requests")
	}
	return b.String()
}

// mustCapture compiles a capture pattern of the built-in catalog, which
// the tests check like any file's.
func mustCapture(s string) *glob.Pattern {
	p, err := glob.CompileCapture(s)
	if err != nil {
		panic("catalog pattern " + s + ": " + err.Error())
	}
	return &p
}

// Condition is one table of a rule's `when` or an environment's `allow`:
// every part it sets must hold.
type Condition struct {
	// Signal holds the conditions on variables, arguments and files.
	Signal Signal
	// PR: the build is (PROnly) or is not (NotPR) for a pull request.
	PR PRFilter
	// Branch, BaseBranch and Tag: the fact matches one of the patterns.
	Branch, BaseBranch, Tag []*glob.Pattern
	// Groups and Runtimes (allow only): the runtime is of one of the
	// groups, or one of those named.
	Groups   []Group
	Runtimes []string
	// Forced (allow only): the table may hold for a runtime forced by the
	// runtime variable. Without it, a forced runtime satisfies no table:
	// whoever sets that variable names the runtime, and is not the runtime.
	Forced bool
}

// patternsOf gives the patterns a condition sets on fact f, for the facts
// that have them.
func (c *Condition) patternsOf(f Fact) []*glob.Pattern {
	switch f {
	case FactBranch:
		return c.Branch
	case FactBaseBranch:
		return c.BaseBranch
	case FactTag:
		return c.Tag
	}
	return nil
}

// conditionFacts are the facts a condition can test, in the order its
// description lists them.
var conditionFacts = [...]Fact{FactBranch, FactBaseBranch, FactTag}

// String describes the condition: "groups ci and pr = false and tag
// matches "v*"".
func (c Condition) String() string {
	var parts []string
	if len(c.Groups) > 0 {
		g := make([]string, len(c.Groups))
		for i, x := range c.Groups {
			g[i] = string(x)
		}
		parts = append(parts, "group "+strings.Join(g, " or "))
	}
	if len(c.Runtimes) > 0 {
		parts = append(parts, "runtime "+strings.Join(c.Runtimes, " or "))
	}
	switch c.PR {
	case PROnly:
		parts = append(parts, "a pull request")
	case NotPR:
		parts = append(parts, "not a pull request")
	}
	for _, f := range conditionFacts {
		pats := c.patternsOf(f)
		if len(pats) == 0 {
			continue
		}
		q := make([]string, len(pats))
		for i, p := range pats {
			q[i] = strconv.Quote(p.String())
		}
		parts = append(parts, f.Key()+" matches "+strings.Join(q, " or "))
	}
	if len(c.Signal) > 0 {
		parts = append(parts, c.Signal.String())
	}
	if c.Forced {
		parts = append(parts, "the runtime may be forced")
	}
	if len(parts) == 0 {
		return "always"
	}
	return strings.Join(parts, " and ")
}

// Holds reports whether every part of the condition holds for a build of
// runtime rt (its name and group), pull request or not, with facts; signal
// tells whether the condition's Signal holds (the caller reads the
// process). It allocates nothing.
func (c *Condition) Holds(rt *Runtime, pr bool, facts *Facts, signal func(Signal) bool) bool {
	if len(c.Groups) > 0 && !slices.Contains(c.Groups, rt.Group) {
		return false
	}
	if len(c.Runtimes) > 0 && !slices.Contains(c.Runtimes, rt.Name) {
		return false
	}
	if !c.PR.Admits(pr) {
		return false
	}
	for _, f := range conditionFacts {
		if pats := c.patternsOf(f); len(pats) > 0 && !anyMatch(pats, facts[f]) {
			return false
		}
	}
	return len(c.Signal) == 0 || signal(c.Signal)
}

// anyMatch reports whether v matches one of the patterns; an empty fact
// matches none.
func anyMatch(pats []*glob.Pattern, v string) bool {
	if v == "" {
		return false
	}
	for _, p := range pats {
		if p.Match(v) {
			return true
		}
	}
	return false
}
