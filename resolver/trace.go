package resolver

import (
	"slices"

	"github.com/multienv/multienv/config"
	"github.com/multienv/multienv/internal/text"
)

// Trace records how a resolution went, for `resolver explain`. It holds the
// values only of the variables that supply environment ids, and not even
// those when a variable's name says it holds a secret; the signals'
// variables are named, never read out, as they may hold secrets.
//
// The methods that fill a Trace accept a nil receiver and then do nothing,
// so that Resolve pays nothing for tracing.
type Trace struct {
	// RuntimeVariable is the variable that forces the runtime.
	RuntimeVariable string
	// Forced is true when the runtime variable named the runtime.
	Forced bool
	// Runtime is the runtime detected, with its group and origin (the file,
	// or the built-in catalog).
	Runtime, Origin string
	Group           config.Group
	// Signal is the signal that matched; nil when forced or for the
	// fallback runtime.
	Signal config.Signal
	// Passed counts the runtimes tried before the one detected.
	Passed int
	// Facts are the CI facts of the build, indexed by config.Fact.
	Facts config.Facts
	// Payload says how reading the event payload went, when a source asked
	// for it ("read from the file GITHUB_EVENT_PATH names", or why not);
	// empty when none did.
	Payload string
	// Rules lists every rule, in order, and what it did.
	Rules []RuleStep
	// Allow is the check of the protected environment chosen, if it was.
	Allow *AllowStep
}

// AllowStep is the check of a protected environment.
type AllowStep struct {
	Env string
	// Conditions describes the allow's conditions; Held is the index of
	// the one that held, or -1.
	Conditions []string
	Held       int
}

// RuleStep is what one rule did.
type RuleStep struct {
	Rule string
	// Applies tells whether the rule applies to the runtime.
	Applies bool
	// Groups and Runtimes are what the rule applies to.
	Groups   []config.Group
	Runtimes []string
	// Vars are the variables read, in order.
	Vars []VarStep
	// When describes the rule's conditions; Held is the index of the one
	// that held, or -1 when none did (the rule then yields nothing). Both
	// are empty (Held 0) for a rule without conditions.
	When []string
	Held int
	// Default is the rule's default, or empty. For a template, Filled is
	// the id it made, or empty when a fact it needs is empty.
	Default string
	Filled  string
	// Yielded is true for the rule that decided; Source says from what: a
	// variable, or "default".
	Yielded bool
	Source  string
}

// VarStep is one variable a rule read.
type VarStep struct {
	Name string
	Set  bool
	// Value is the value read; empty when Hidden.
	Value string
	// Hidden is true when the variable is set, not empty, and its name says
	// it holds a secret (text.Hidden): its value is not kept.
	Hidden bool
}

func (t *Trace) forced(rt *config.Runtime) {
	if t == nil {
		return
	}
	t.Forced = true
	t.Runtime, t.Group, t.Origin = rt.Name, rt.Group, rt.Origin
}

func (t *Trace) detected(rt *config.Runtime, sig config.Signal, passed int) {
	if t == nil {
		return
	}
	t.Runtime, t.Group, t.Origin, t.Signal, t.Passed = rt.Name, rt.Group, rt.Origin, cloneSignal(sig), passed
}

// skipped records rules that do not apply to the runtime.
func (t *Trace) skipped(rules []config.Rule) {
	if t == nil {
		return
	}
	for i := range rules {
		t.rule(&rules[i], false)
	}
}

// rule records a rule tried; the step it returns is valid until the next.
func (t *Trace) rule(rule *config.Rule, applies bool) *RuleStep {
	if t == nil {
		return nil
	}
	t.Rules = append(t.Rules, RuleStep{Rule: rule.Name, Applies: applies, Groups: slices.Clone(rule.Groups), Runtimes: slices.Clone(rule.Runtimes),
		Default: rule.Default})
	return &t.Rules[len(t.Rules)-1]
}

func (s *RuleStep) variable(name, value string, set bool) {
	if s == nil {
		return
	}
	v := VarStep{Name: name, Set: set, Value: value, Hidden: text.Hidden(name, value)}
	if v.Hidden {
		v.Value = ""
	}
	s.Vars = append(s.Vars, v)
}

// build records the facts of the build.
func (t *Trace) build(facts *config.Facts, b *build) {
	if t == nil {
		return
	}
	t.Facts, t.Payload = *facts, b.payloadNote()
}

// when records which of a rule's conditions held.
func (s *RuleStep) when(conds []config.Condition, held int) {
	if s == nil {
		return
	}
	s.When, s.Held = describe(conds), held
}

// template records the id a template made, if any.
func (s *RuleStep) template(filled string, ok bool) {
	if s == nil || !ok {
		return
	}
	s.Filled = filled
}

// allow records the check of a protected environment.
func (t *Trace) allow(env *config.Env, held int) {
	if t == nil {
		return
	}
	t.Allow = &AllowStep{Env: env.Name, Held: held, Conditions: describe(env.Allow)}
}

func (s *RuleStep) yield(source string) {
	if s == nil {
		return
	}
	s.Yielded, s.Source = true, source
}

// cloneSignal copies a signal of the Config, so that a Trace shares nothing
// with it.
func cloneSignal(sig config.Signal) config.Signal {
	if sig == nil {
		return nil
	}
	out := make(config.Signal, len(sig))
	for i, c := range sig {
		c.Values = slices.Clone(c.Values)
		out[i] = c
	}
	return out
}
