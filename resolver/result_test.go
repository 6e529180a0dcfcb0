package resolver

import (
	"testing"

	"github.com/multienv/multienv/config"
)

// Result is what the tests read of a Decision: the names it points at in
// the Config, and the facts by name.
type Result struct {
	ID       string
	Env      config.Env
	Instance string
	Runtime  string
	Group    config.Group
	PR       bool

	PRNumber, Branch, BaseBranch, Tag, Commit, Build, BuildURL, Repo string

	Fork         config.Fork
	Event        string
	Source, Rule string
	Config       string
}

// Trace is what the tests read of the hooks: the rules tried, the allow
// checked and the facts.
type Trace struct {
	Facts config.Facts
	Rules []RuleStep
	Allow *AllowStep
}

// RuleStep is a rule the hooks reported.
type RuleStep struct {
	Rule    string
	Applies bool
	Vars    []VarStep
	Yielded bool
}

// VarStep is a variable a rule read.
type VarStep struct {
	Name, Value string
	Set         bool
}

// AllowStep is the check of a protected environment.
type AllowStep struct {
	Env  string
	Held int
}

var forks = map[string]config.Fork{"true": config.FromFork, "false": config.SameRepository}

// resolve resolves f with r and words the decision as a Result.
func resolve(r *Resolver, f Inputs) (Result, error) {
	d, err := r.Resolve(f, nil)
	return resultOf(r, d, err)
}

func resultOf(r *Resolver, d Decision, err error) (Result, error) {
	if err != nil {
		return Result{}, err
	}
	rt, fs, rule := &r.cfg.Runtimes[d.Runtime], &d.Facts, d.Source
	if d.Rule >= 0 {
		rule = r.cfg.Rules[d.Rule].Name
	}
	return Result{ID: d.ID, Env: r.cfg.Envs[d.Env], Instance: d.Instance, Runtime: rt.Name, Group: rt.Group, PR: d.PR,
		PRNumber: fs[config.FactPRNumber], Branch: fs[config.FactBranch], BaseBranch: fs[config.FactBaseBranch],
		Tag: fs[config.FactTag], Commit: fs[config.FactCommit], Build: fs[config.FactBuild], BuildURL: fs[config.FactBuildURL],
		Repo: fs[config.FactRepo], Fork: forks[fs[config.FactFork]], Event: fs[config.FactEvent], Source: d.Source, Rule: rule,
		Config: r.cfg.File}, nil
}

// explain resolves f with r and records what the hooks report.
func explain(r *Resolver, f Inputs) (Result, *Trace, error) {
	t := &Trace{}
	step := func() *RuleStep { return &t.Rules[len(t.Rules)-1] }
	h := &Hooks{
		Facts: func(facts config.Facts, _ string) { t.Facts = facts },
		Rule: func(k int, applies bool) {
			t.Rules = append(t.Rules, RuleStep{Rule: r.cfg.Rules[k].Name, Applies: applies})
		},
		Variable: func(name, value string, set bool) {
			step().Vars = append(step().Vars, VarStep{Name: name, Value: value, Set: set})
		},
		Allow:   func(env, held int) { t.Allow = &AllowStep{Env: r.cfg.Envs[env].Name, Held: held} },
		Yielded: func(string) { step().Yielded = true },
	}
	d, err := r.Resolve(f, h)
	res, err := resultOf(r, d, err)
	return res, t, err
}

// TestZeroFault: a Fault of no kind says so, and unwraps to nothing.
func TestZeroFault(t *testing.T) {
	f := &Fault{}
	if got := f.Error(); got != "a fault of no kind" {
		t.Errorf("Error() = %q", got)
	}
	if f.Unwrap() != nil {
		t.Error("Unwrap() is not nil")
	}
}
