package resolver

import (
	"slices"
	"strconv"
	"strings"

	"github.com/multienv/multienv/config"
	"github.com/multienv/multienv/internal/glob"
	"github.com/multienv/multienv/internal/payload"
)

// Input is what a fact source reads: the variables, the event payload, and
// whether the build is for a pull request.
type Input struct {
	Lookup func(string) (string, bool)
	// Payload returns the event payload, read when first asked for; nil
	// (or a nil func) when there is none.
	Payload func() *payload.Doc
	PR      bool
}

// maxFactVar is the longest fact a condition's pattern is matched against,
// in bytes: a longer one matches none, which bounds what matching the
// thousands of patterns a file may hold costs. A fact is data, kept whole
// however long; a source's one pattern captures from a value of any length
// when it has one wildcard (its capture) around literals, and else from a
// value of at most glob.MaxValue bytes.
const maxFactVar = 512

// admits reports whether a build that is a pull request, or not, passes f.
func admits(f config.PRFilter, pr bool) bool {
	return f == config.AnyBuild || (f == config.PROnly) == pr
}

// Read returns the fact the source s gives, or "" when it gives none: the
// value is unset, empty or does not match the pattern. It allocates
// nothing, but for a composed value.
func Read(s *config.FactSource, in *Input) string {
	if !admits(s.PR, in.PR) || in.Lookup == nil {
		return ""
	}
	v := raw(s, in)
	if v != "" && s.Pattern != nil {
		v, _ = s.Pattern.Capture(v) // none from one longer than glob.MaxValue, but for one wildcard
	}
	if v != "" && s.Map != nil {
		if m, ok := s.Map[v]; ok {
			return m
		}
		return s.Unmapped
	}
	return v
}

// raw returns the value a source reads, before its pattern and map.
func raw(s *config.FactSource, in *Input) string {
	switch {
	case s.Differs != nil:
		a, b := Read(&s.Differs[0], in), Read(&s.Differs[1], in)
		if a == "" || b == "" {
			return ""
		}
		return strconv.FormatBool(a != b)
	case s.Compose != nil:
		return compose(s.Compose, in.Lookup)
	case s.Payload != nil:
		if in.Payload == nil {
			return ""
		}
		return in.Payload().Field(*s.Payload)
	}
	v, _ := in.Lookup(s.Var)
	return v
}

// compose returns c with every variable replaced by its value, or "" when
// one is unset or empty. It allocates only the result (and, for one longer
// than maxFactVar, the buffer that grows to hold it).
func compose(c *config.Compose, lookup func(string) (string, bool)) string {
	var buf [maxFactVar]byte
	out := buf[:0]
	for _, p := range c.Parts {
		v := p.Text
		if p.Var != "" {
			if v, _ = lookup(p.Var); v == "" {
				return ""
			}
		}
		out = append(out, v...)
	}
	return string(out)
}

// commitLength is how much of a commit SHA {commit} keeps.
const commitLength = 7

// fill makes the id of template t: each fact in instance form (lower-cased,
// every character but a-z and 0-9 dropped, {commit} first cut to 7), cut so
// that the instance has at most 32 characters. It returns false when a fact
// is empty in instance form: the rule then yields nothing.
func fill(t *config.Template, facts *config.Facts) (string, bool) {
	var buf [128]byte // an id: a name, a dash and an instance of at most 32 characters
	out := append(append(buf[:0], t.Env...), '-')
	room := t.Room
	for _, p := range t.Parts {
		if !p.IsFact {
			out = append(out, p.Text...)
			continue
		}
		v := facts[p.Fact]
		if p.Fact == config.FactCommit {
			v = v[:min(len(v), commitLength)]
		}
		found := false // a character of instance form, written or cut
		for _, c := range []byte(v) {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
				found = true
				if room == 0 {
					break
				}
				out = append(out, c)
				room--
			}
		}
		if !found {
			return "", false
		}
	}
	return string(out), true
}

// meets reports whether every part of c holds for the build (its
// runtime's name and group, pull request or not, its facts) and the
// process f. It allocates nothing.
func (b *build) meets(f *Inputs, c *config.Condition) bool {
	rt, facts := b.rt, &b.facts
	switch {
	case len(c.Groups) > 0 && !slices.Contains(c.Groups, rt.Group),
		len(c.Runtimes) > 0 && !slices.Contains(c.Runtimes, rt.Name),
		!admits(c.PR, b.pr),
		!anyMatch(c.Branch, facts[config.FactBranch]),
		!anyMatch(c.BaseBranch, facts[config.FactBaseBranch]),
		!anyMatch(c.Tag, facts[config.FactTag]),
		c.Fork != "" && facts[config.FactFork] != c.Fork,
		len(c.Events) > 0 && (facts[config.FactEvent] == "" || !slices.Contains(c.Events, facts[config.FactEvent])):
		return false
	}
	return holds(f, c.Signal)
}

// anyMatch reports whether v matches one of the patterns, or there are
// none; an empty fact, or one longer than maxFactVar, matches no pattern.
func anyMatch(pats []*glob.Pattern, v string) bool {
	return len(pats) == 0 || v != "" && len(v) <= maxFactVar && slices.ContainsFunc(pats, func(p *glob.Pattern) bool { return p.Match(v) })
}

// holds reports whether every condition of sig holds.
func holds(f *Inputs, sig config.Signal) bool {
	for i := range sig {
		if !condHolds(f, &sig[i]) {
			return false
		}
	}
	return true
}

func condHolds(f *Inputs, c *config.Cond) bool {
	switch c.Op {
	case config.OpArg:
		return f.hasArg(c.Name)
	case config.OpFile:
		return f.FileExists != nil && f.FileExists(c.Name)
	}
	v, ok := f.lookup(c.Name)
	if !ok {
		return false
	}
	switch c.Op {
	case config.OpSet:
		return true
	case config.OpEquals:
		return slices.Contains(c.Values, v)
	case config.OpNotEquals:
		return !slices.Contains(c.Values, v)
	case config.OpContains:
		return slices.ContainsFunc(c.Values, func(s string) bool { return strings.Contains(v, s) })
	}
	return false
}
