package multienv

import (
	"os"
	"slices"

	"github.com/multienv/multienv/config"
	"github.com/multienv/multienv/resolver"
)

// Kind says what an environment is for.
type Kind = config.Kind

// The kinds of environment.
const (
	// KindDevops: builds and artifacts, never deployed to.
	KindDevops = config.KindDevops
	// KindSandbox: a developer's or a ticket's environment (sbx, sbx-101).
	KindSandbox = config.KindSandbox
	// KindWorkload: a shared environment code is deployed to (tst, stg).
	KindWorkload = config.KindWorkload
	// KindProduction: production (prd).
	KindProduction = config.KindProduction
)

// Group is the family of a runtime; rules pick the environment by group.
type Group = config.Group

// The groups of runtimes.
const (
	// GroupLocal: a laptop or a dev box.
	GroupLocal = config.GroupLocal
	// GroupCI: a CI vendor's job.
	GroupCI = config.GroupCI
	// GroupApp: an application platform (Lambda, Kubernetes, Cloud Run...).
	GroupApp = config.GroupApp
)

// Environment is a declared environment.
type Environment struct {
	// Name is the environment's name: sbx, prd.
	Name string `json:"name"`
	// Emoji is shown beside the name by `resolver list`; it may be empty.
	Emoji string `json:"emoji"`
	Kind  Kind   `json:"kind"`
	// Description is one line of text; it may be empty.
	Description string `json:"description"`
	// Instances is true when the environment has instances (sbx-101).
	Instances bool `json:"instances"`
}

// Result is the answer: the environment and how it was reached.
type Result struct {
	// ID is the environment id as given: sbx, sbx-101, prd.
	ID string
	// Env is the declared environment; for sbx-101, sbx.
	Env Environment
	// Instance is the instance id (101), or empty.
	Instance string
	// Runtime and Group are the detected runtime.
	Runtime string
	Group   Group
	// PR is true when the CI runtime's pull-request signal holds.
	PR bool
	// Branch is the branch the CI runtime builds, or empty when unknown.
	Branch string
	// Source is the variable that supplied the value, or "default".
	Source string
	// Rule is the rule that decided.
	Rule string
}

func resultOf(r resolver.Result) Result {
	return Result{ID: r.ID, Env: Environment(r.Env), Instance: r.Instance, Runtime: r.Runtime, Group: r.Group,
		PR: r.PR, Branch: r.Branch, Source: r.Source, Rule: r.Rule}
}

func environmentsOf(envs []config.Env) []Environment {
	out := make([]Environment, len(envs))
	for i, e := range envs {
		out[i] = Environment(e)
	}
	return out
}

// Facts are what resolution reads of a process: its variables, arguments
// and files. Resolution reads nothing else, which keeps it pure, testable
// and safe for concurrent use.
type Facts struct {
	// Lookup returns the value of an environment variable and whether it is
	// set, like os.LookupEnv. Nil means an empty environment.
	Lookup func(name string) (value string, ok bool)
	// Args are the process arguments (os.Args).
	Args []string
	// FileExists reports whether a file exists. Nil means none does.
	FileExists func(path string) bool
}

// ProcessFacts returns the facts of the running process: its environment,
// arguments and file system.
func ProcessFacts() Facts {
	return Facts{
		Lookup: os.LookupEnv,
		Args:   os.Args,
		FileExists: func(path string) bool {
			_, err := os.Stat(path)
			return err == nil
		},
	}
}

// EnvFacts returns facts made of the variables in env only, for tests and
// for callers that hold the environment as a map.
func EnvFacts(env map[string]string) Facts {
	return Facts{Lookup: resolver.MapLookup(env)}
}

// Runtime is a place code runs in, and how it is recognised.
type Runtime struct {
	Name  string
	Group Group
	// Description names the vendor or platform.
	Description string
	// Origin is the file that declared the runtime, or CatalogOrigin.
	Origin string
	// When lists the alternative signals that recognise the runtime, as
	// written in the file (`set GITHUB_ACTION`); empty for the runtime
	// taken when no other matches.
	When []string
	// PR lists the alternative signals that a CI job builds a pull request.
	PR []string
	// Branch lists the variables that name the branch, tried in order.
	Branch []string
}

func runtimeOf(rt *config.Runtime) Runtime {
	return Runtime{Name: rt.Name, Group: rt.Group, Description: rt.Description, Origin: rt.Origin,
		When: signals(rt.When), PR: signals(rt.PR), Branch: clone(rt.Branch)}
}

func runtimesOf(rts []config.Runtime) []Runtime {
	out := make([]Runtime, len(rts))
	for i := range rts {
		out[i] = runtimeOf(&rts[i])
	}
	return out
}

func (rt Runtime) clone() Runtime {
	rt.When, rt.PR, rt.Branch = clone(rt.When), clone(rt.PR), clone(rt.Branch)
	return rt
}

func signals(sigs []config.Signal) []string {
	out := make([]string, len(sigs))
	for i, s := range sigs {
		out[i] = s.String()
	}
	return out
}

// clone copies s, and gives an empty slice for an empty one, so that JSON
// shows [] rather than null.
func clone[T any](s []T) []T {
	if len(s) == 0 {
		return []T{}
	}
	return slices.Clone(s)
}

// Rule is a resolution rule: for the runtimes it applies to, the first of
// From that is set and not empty gives the environment id, else Default.
type Rule struct {
	Name string
	// Groups and Runtimes are what the rule applies to: a runtime of one of
	// the groups, or one named.
	Groups   []Group
	Runtimes []string
	// From lists the variables tried in order; an empty one counts as unset.
	From []string
	// Default is the environment id used when no variable of From is set;
	// empty when the rule has none.
	Default string
}

// Trace records how a resolution went, step by step, as `resolver explain`
// shows it. It holds the values only of the variables that supply
// environment ids, and not even those when a variable's name says it holds
// a secret; the signals' variables are named, never read out.
type Trace struct {
	// RuntimeVariable is the variable that forces the runtime.
	RuntimeVariable string
	// Forced is true when the runtime variable named the runtime.
	Forced bool
	// Runtime is the runtime detected; empty when the runtime variable
	// named none. Origin is the file that declared it, or CatalogOrigin.
	Runtime, Origin string
	Group           Group
	// Signal is the signal that matched, as written in the file; empty when
	// the runtime was forced or is the one taken when no other matches.
	Signal string
	// Passed counts the runtimes tried before the one detected.
	Passed int
	// Rules lists every rule, in order, and what it did.
	Rules []RuleStep
}

// RuleStep is what one rule did.
type RuleStep struct {
	Rule string
	// Applies tells whether the rule applies to the runtime.
	Applies bool
	// Groups and Runtimes are what the rule applies to.
	Groups   []Group
	Runtimes []string
	// Vars are the variables read, in order.
	Vars []VarStep
	// Default is the rule's default, or empty.
	Default string
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
	// it holds a secret (it contains SECRET, TOKEN, PASSWORD, PASSWD,
	// PRIVATE, CREDENTIAL, API_KEY or ACCESS_KEY): its value is not kept.
	Hidden bool
}

func traceOf(t *resolver.Trace) *Trace {
	out := &Trace{RuntimeVariable: t.RuntimeVariable, Forced: t.Forced, Runtime: t.Runtime, Origin: t.Origin,
		Group: t.Group, Passed: t.Passed, Rules: make([]RuleStep, len(t.Rules))}
	if t.Signal != nil {
		out.Signal = t.Signal.String()
	}
	for i, s := range t.Rules {
		step := RuleStep{Rule: s.Rule, Applies: s.Applies, Groups: clone(s.Groups), Runtimes: clone(s.Runtimes),
			Vars: make([]VarStep, len(s.Vars)), Default: s.Default, Yielded: s.Yielded, Source: s.Source}
		for j, v := range s.Vars {
			step.Vars[j] = VarStep(v)
		}
		out.Rules[i] = step
	}
	return out
}
