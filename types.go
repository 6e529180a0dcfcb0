package multienv

import (
	"bytes"
	"encoding/json"
	"os"

	"github.com/multienv/multienv/config"
	"github.com/multienv/multienv/internal/text"
	"github.com/multienv/multienv/resolver"
)

// Kind says what an environment is for.
type Kind = config.Kind

// The kinds of environment.
const (
	KindDevops     = config.KindDevops     // builds and artifacts, never deployed to
	KindSandbox    = config.KindSandbox    // a developer's or a ticket's environment (sbx, sbx-101)
	KindWorkload   = config.KindWorkload   // a shared environment code is deployed to (tst, stg)
	KindProduction = config.KindProduction // production (prd)
)

// Group is the family of a runtime; rules pick the environment by group.
type Group = config.Group

// The groups of runtimes.
const (
	GroupLocal = config.GroupLocal // a laptop or a dev box
	GroupCI    = config.GroupCI    // a CI vendor's job
	GroupApp   = config.GroupApp   // an application platform (Lambda, Kubernetes, Cloud Run...)
)

// Fork says whether a pull request comes from a fork (its head repository
// is not its base repository). Unknown is never false; in JSON it is null.
type Fork uint8

// The values of Fork.
const (
	ForkUnknown    = Fork(config.ForkUnknown)    // the vendor does not say, or the build is no pull request
	SameRepository = Fork(config.SameRepository) // the vendor says head and base are the same repository
	FromFork       = Fork(config.FromFork)       // the vendor says they are not
)

// forkOf reads the fork fact; any other text is ForkUnknown.
func forkOf(fact string) Fork {
	switch fact {
	case "true":
		return FromFork
	case "false":
		return SameRepository
	}
	return ForkUnknown
}

// Known reports whether the vendor said.
func (f Fork) Known() bool { return f == FromFork || f == SameRepository }

// String is "true", "false" or "unknown".
func (f Fork) String() string { return config.Fork(f).String() }

// MarshalJSON gives true, false, or null when unknown.
func (f Fork) MarshalJSON() ([]byte, error) { return config.Fork(f).MarshalJSON() }

// The values of Result.Event: what started a CI job, whatever the vendor.
const (
	EventPush        = config.EventPush        // a push of a branch
	EventPullRequest = config.EventPullRequest // a pull (merge) request
	EventTag         = config.EventTag         // a push of a tag
	EventSchedule    = config.EventSchedule    // a scheduled job
	EventManual      = config.EventManual      // started by a person, from the vendor's interface
	EventAPI         = config.EventAPI         // started through the vendor's API or a trigger
	EventOther       = config.EventOther       // anything else the vendor names
)

// Environment is a declared environment, an object of `resolver list --json`.
type Environment struct {
	Name        string `json:"name"`        // sbx, prd
	Emoji       string `json:"emoji"`       // shown beside the name; may be empty
	Kind        Kind   `json:"kind"`        // what the environment is for
	Description string `json:"description"` // one line of text; may be empty
	Instances   bool   `json:"instances"`   // whether it has instances (sbx-101)
	Protected   bool   `json:"protected"`   // whether it has an allow (see Config.Allow)
	Origin      string `json:"-"`           // the file that declared it, or DefaultFile
}

func environmentOf(e config.Env) Environment {
	return Environment{Name: e.Name, Emoji: e.Emoji, Kind: e.Kind, Description: e.Description, Instances: e.Instances,
		Protected: len(e.Allow) > 0, Origin: e.Origin}
}

// Result is the answer: the environment and how it was reached. Its JSON
// is the object `resolver current --json` prints, values aside.
type Result struct {
	ID       string      // the environment id as given: sbx, sbx-101, prd
	Env      Environment // the declared environment; for sbx-101, sbx
	Instance string      // the instance id (101), or empty
	Runtime  string      // the runtime detected
	Group    Group       // the runtime's group
	PR       bool        // whether a pull request is built: its signal holds, its number is known, or the event is one
	// The CI facts, each empty when unknown: PRNumber (123); Branch, the
	// branch built (on a pull request, its source); BaseBranch, the one a
	// pull request targets; Tag; Commit, the full SHA; Build, the vendor's
	// build number or id; BuildURL, the build's page; Repo, as owner/name.
	PRNumber, Branch, BaseBranch, Tag, Commit, Build, BuildURL, Repo string

	Fork   Fork   // whether the pull request comes from a fork
	Event  string // what started the job (EventPush...), or empty when unknown
	Source string // the variable that supplied the value, or "default"
	Rule   string // the rule that decided
	Config string // the file the configuration came from, or DefaultFile
}

// MarshalJSON gives the keys of CONTRACT §4, §6 and §11 in their order,
// the environment's flattened into them.
func (r Result) MarshalJSON() ([]byte, error) {
	return object("id", r.ID, "env", r.Env.Name, "instance", r.Instance, "kind", r.Env.Kind, "emoji", r.Env.Emoji,
		"description", r.Env.Description, "runtime", r.Runtime, "group", r.Group, "pr", r.PR, "pr_number", r.PRNumber,
		"branch", r.Branch, "base_branch", r.BaseBranch, "tag", r.Tag, "commit", r.Commit, "build", r.Build,
		"build_url", r.BuildURL, "repo", r.Repo, "fork", r.Fork, "event", r.Event, "source", r.Source, "rule", r.Rule,
		"config", r.Config)
}

// object encodes keys and values, given in turn, as a JSON object in that order, HTML unescaped.
func object(pairs ...any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	b.WriteByte('{')
	for i, x := range pairs {
		if i > 0 {
			b.WriteByte(",:"[i%2]) // a comma before a key, a colon before a value
		}
		if err := enc.Encode(x); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1) // the newline Encode ends with
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Inputs are all that resolution reads of a process, which keeps it pure,
// testable and safe for concurrent use.
type Inputs struct {
	Lookup     func(name string) (value string, ok bool) // as os.LookupEnv; nil means an empty environment
	Args       []string                                  // the process arguments (os.Args)
	FileExists func(path string) bool                    // whether a file exists; nil means none does
	// ReadPayload reads the CI vendor's event payload file (GITHUB_EVENT_PATH
	// names GitHub's), at most once, when a fact asks for it; nil means none.
	ReadPayload func(path string) ([]byte, error)
}

// MaxPayloadSize is the largest event payload file read (1 MiB); a larger one's facts are unknown.
const MaxPayloadSize = config.MaxPayloadSize

// ReadPayloadFile reads an event payload file: a regular file of at most
// MaxPayloadSize bytes, opened without blocking, so that no pipe or device
// in its place makes resolution wait or read for ever.
func ReadPayloadFile(path string) ([]byte, error) { return config.ReadPayload(path) }

// ProcessInputs returns the inputs of the running process, its payload read with ReadPayloadFile.
func ProcessInputs() Inputs {
	return Inputs{
		Lookup: os.LookupEnv,
		Args:   os.Args,
		FileExists: func(path string) bool {
			_, err := os.Stat(path)
			return err == nil
		},
		ReadPayload: ReadPayloadFile,
	}
}

// EnvInputs returns inputs made of the variables in env, for tests and
// callers that hold the environment as a map: no arguments and no file but
// the event payload file env names (set ReadPayload to nil to read none).
func EnvInputs(env map[string]string) Inputs {
	return Inputs{Lookup: resolver.MapLookup(env), ReadPayload: ReadPayloadFile}
}

// Runtime is a place code runs in, and how it is recognised; an object of
// `resolver runtimes --json`.
type Runtime struct {
	Name        string
	Group       Group
	Description string   // the vendor or platform
	Origin      string   // the file that declared the runtime, or CatalogOrigin
	When        []string // the alternative signals that recognise it (`set GITHUB_ACTION`); empty for the fallback
	PR          []string // the alternative signals that a CI job builds a pull request
	EventFile   string   // the variable naming the event payload file (GITHUB_EVENT_PATH), or empty
	// Facts lists, by fact key (FactKeys), the sources of each fact, in the
	// order tried, as text (GITHUB_REF matching "refs/pull/{}/merge").
	Facts map[string][]string
}

func runtimeOf(rt config.Runtime) Runtime {
	out := Runtime{Name: rt.Name, Group: rt.Group, Description: rt.Description, Origin: rt.Origin, EventFile: rt.EventFile,
		When: each(rt.When, config.Signal.String), PR: each(rt.PR, config.Signal.String), Facts: map[string][]string{}}
	for f, srcs := range rt.Facts {
		if len(srcs) > 0 {
			out.Facts[config.Fact(f).Key()] = each(srcs, config.FactSource.String)
		}
	}
	return out
}

// MarshalJSON gives its fields but EventFile, and branch, which repeats
// Facts["branch"] as it was before the other facts.
func (rt Runtime) MarshalJSON() ([]byte, error) {
	return object("name", rt.Name, "group", rt.Group, "description", rt.Description, "origin", rt.Origin,
		"when", rt.When, "pr", rt.PR, "branch", clone(rt.Facts["branch"]), "facts", rt.Facts)
}

// each maps s through f into a slice that is never nil (JSON [], not null).
func each[S, T any](s []S, f func(S) T) []T {
	out := make([]T, len(s))
	for i, x := range s {
		out[i] = f(x)
	}
	return out
}

// clone copies s into a slice that is never nil.
func clone[T any](s []T) []T { return append([]T{}, s...) }

// Rule is a resolution rule: for the runtimes it applies to, the first of
// From that is set and not empty gives the environment id, else Default.
type Rule struct {
	Name     string
	Groups   []Group  // the groups whose runtimes the rule applies to
	Runtimes []string // the runtimes it applies to by name
	From     []string // the variables tried in order; an empty one counts as unset
	Default  string   // the id when no variable of From is set, or empty; may be a template (sbx-pr{pr_number})
	When     []string // the alternative conditions, if any, one of which must hold for the rule to apply
	Origin   string   // the file that declared the rule as it stands (a base's, or one replacing it by name)
}

func ruleOf(r config.Rule) Rule {
	return Rule{Name: r.Name, Groups: clone(r.Groups), Runtimes: clone(r.Runtimes), From: clone(r.From), Default: r.Default,
		When: each(r.When, config.Condition.String), Origin: r.Origin}
}

// Trace records each step of a resolution, as `resolver explain` shows it;
// its JSON holds the members detection, facts, payload, rules and allow of
// `resolver explain --json`. Of variables it holds the values only of those
// that supply environment ids, and none whose name says it holds a secret;
// a signal's variables are named, never read out.
type Trace struct {
	RuntimeVariable string            // the variable that forces the runtime
	Forced          bool              // whether the runtime variable named the runtime
	Runtime         string            // the runtime detected; empty when the runtime variable named none
	Origin          string            // the file that declared it, or CatalogOrigin
	Group           Group             // its group
	Signal          string            // the signal that matched, as written; empty when forced or none matched
	Passed          int               // the runtimes tried before the one detected
	Payload         string            // how reading the event payload went, or why not; empty when not asked
	Facts           map[string]string // the known CI facts, by key (FactKeys); fork as "true" or "false"
	Rules           []RuleStep        // every rule, in order, and what it did
	Allow           *AllowStep        // the check of the protected environment a rule chose, or nil
}

// MarshalJSON gives the runtime's detection as one object, then the steps.
func (t Trace) MarshalJSON() ([]byte, error) {
	rt, err := object("name", t.Runtime, "group", t.Group, "origin", t.Origin, "forced", t.Forced, "signal", t.Signal,
		"passed", t.Passed)
	if err != nil {
		return nil, err
	}
	return object("detection", json.RawMessage(rt), "facts", t.Facts, "payload", t.Payload, "rules", t.Rules, "allow", t.Allow)
}

// AllowStep is the check of a protected environment.
type AllowStep struct {
	Env        string   `json:"env"`
	Conditions []string `json:"conditions"` // the conditions of its allow, described
	Held       int      `json:"held"`       // the index of the one that held, or -1
}

// RuleStep is what one rule did.
type RuleStep struct {
	Rule     string
	Applies  bool      // whether the rule applies to the runtime
	Groups   []Group   // the groups the rule applies to
	Runtimes []string  // the runtimes the rule applies to
	Vars     []VarStep // the variables read, in order
	When     []string  // the rule's conditions, described, if it has any
	Held     int       // the index of the condition that held, or -1: the rule was passed over
	Default  string    // the rule's default, or empty
	Filled   string    // the id a template Default made, or empty when a fact it needs is empty
	Yielded  bool      // whether the rule decided
	Source   string    // what it decided from: a variable, or "default"
	template bool      // whether Default is a template
}

// MarshalJSON gives held only for a rule with conditions that applies (else
// null), and leaves Groups and Runtimes out.
func (s RuleStep) MarshalJSON() ([]byte, error) {
	var held *int
	if len(s.When) > 0 && s.Applies {
		held = &s.Held
	}
	return object("name", s.Rule, "applies", s.Applies, "when", s.When, "held", held, "vars", s.Vars,
		"default", s.Default, "filled", s.Filled, "yielded", s.Yielded, "source", s.Source)
}

// Template reports whether Default is a template (sbx-pr{pr_number}).
func (s RuleStep) Template() bool { return s.template }

// FactKeys returns the keys of the CI facts (pr_number, branch...) in the
// order output lists them, in a new slice.
func FactKeys() []string {
	keys := make([]string, config.NumFacts)
	for f := range config.NumFacts {
		keys[f] = f.Key()
	}
	return keys
}

// VarStep is one variable a rule read.
type VarStep struct {
	Name  string `json:"name"`
	Set   bool   `json:"set"`
	Value string `json:"value"` // the value read; empty when Hidden
	// Hidden: the variable is set, not empty, and named like a secret (SECRET,
	// TOKEN, PASSWORD, PRIVATE, API_KEY... or the word PASS or JWT).
	Hidden bool `json:"hidden"`
}

// hooks fill t with the steps of a resolution of cfg.
func (t *Trace) hooks(cfg *config.Config) *resolver.Hooks {
	var rule *config.Rule // the rule of the last step
	step := func() *RuleStep { return &t.Rules[len(t.Rules)-1] }
	return &resolver.Hooks{
		Runtime: func(i int, forced bool, signal config.Signal) {
			rt := &cfg.Runtimes[i]
			t.Forced, t.Runtime, t.Origin, t.Group, t.Signal = forced, rt.Name, rt.Origin, rt.Group, signal.String()
			if !forced {
				t.Passed = i // a forced runtime passes over none
			}
		},
		Facts: func(facts config.Facts, payload string) {
			t.Payload = payload
			for f, v := range facts {
				if v != "" {
					t.Facts[config.Fact(f).Key()] = v
				}
			}
		},
		Rule: func(k int, applies bool) {
			rule = &cfg.Rules[k]
			t.Rules = append(t.Rules, RuleStep{Rule: rule.Name, Applies: applies, Groups: clone(rule.Groups), Runtimes: clone(rule.Runtimes),
				Vars: []VarStep{}, When: []string{}, Default: rule.Default, template: rule.Template != nil})
		},
		When: func(held int) { s := step(); s.When, s.Held = each(rule.When, config.Condition.String), held },
		Variable: func(name, value string, set bool) {
			v := VarStep{Name: name, Set: set, Value: value, Hidden: text.Hidden(name, value)}
			if v.Hidden {
				v.Value = ""
			}
			step().Vars = append(step().Vars, v)
		},
		Filled: func(id string) { step().Filled = id },
		Allow: func(env, held int) {
			e := &cfg.Envs[env]
			t.Allow = &AllowStep{Env: e.Name, Conditions: each(e.Allow, config.Condition.String), Held: held}
		},
		Yielded: func(source string) { s := step(); s.Yielded, s.Source = true, source },
	}
}
