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

// Fork says whether a pull request comes from a fork (its head repository
// is not its base repository): FromFork, SameRepository, or ForkUnknown
// when the vendor does not say or the build is no pull request. Unknown is
// never false. In JSON it is true, false or null.
type Fork uint8

// The values of Fork.
const (
	ForkUnknown    = Fork(config.ForkUnknown)    // the vendor does not say, or the build is no pull request
	SameRepository = Fork(config.SameRepository) // the vendor says head and base are the same repository
	FromFork       = Fork(config.FromFork)       // the vendor says they are not
)

// Known reports whether the vendor said.
func (f Fork) Known() bool { return f != ForkUnknown }

// String is "true", "false" or "unknown".
func (f Fork) String() string { return config.Fork(f).String() }

// MarshalJSON gives true, false, or null when unknown.
func (f Fork) MarshalJSON() ([]byte, error) { return config.Fork(f).MarshalJSON() }

// The values of Result.Event: what started a CI job, the same for every
// vendor.
const (
	EventPush        = config.EventPush        // a push of a branch
	EventPullRequest = config.EventPullRequest // a pull (merge) request
	EventTag         = config.EventTag         // a push of a tag
	EventSchedule    = config.EventSchedule    // a scheduled job
	EventManual      = config.EventManual      // started by a person, from the vendor's interface
	EventAPI         = config.EventAPI         // started through the vendor's API or a trigger
	EventOther       = config.EventOther       // anything else the vendor names
)

// Environment is a declared environment. Its JSON is an object of
// `resolver list --json`.
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
	// Protected is true when the environment has an allow: a rule may
	// choose it only where one of its conditions holds (Config.Allow
	// describes them).
	Protected bool `json:"protected"`
	// Origin is the file that declared the environment (a base's, when
	// the configuration extends one), or DefaultFile.
	Origin string `json:"-"`
}

func environmentOf(e config.Env) Environment {
	return Environment{Name: e.Name, Emoji: e.Emoji, Kind: e.Kind, Description: e.Description, Instances: e.Instances,
		Protected: len(e.Allow) > 0, Origin: e.Origin}
}

// Result is the answer: the environment and how it was reached. Its JSON
// is the object `resolver current --json` prints, values aside.
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
	// PR is true when the build is for a pull request: the CI runtime's
	// pull-request signal holds, a pull-request number is known, or the
	// event is a pull request.
	PR bool
	// The CI facts, read from the vendor's documented variables; each is
	// empty when unknown. PRNumber is the pull request's number (123);
	// Branch the branch built, on a pull request its source branch;
	// BaseBranch the branch a pull request targets; Tag the git tag built;
	// Commit the full commit SHA; Build the vendor's build number or id;
	// BuildURL the URL of the build's page; Repo the repository as
	// owner/name.
	PRNumber, Branch, BaseBranch, Tag, Commit, Build, BuildURL, Repo string
	// Fork says whether the pull request comes from a fork, where the
	// vendor (or its event payload) says so.
	Fork Fork
	// Event is what started the job (EventPush, EventPullRequest,
	// EventTag...), or empty when the vendor does not say.
	Event string
	// Source is the variable that supplied the value, or "default".
	Source string
	// Rule is the rule that decided.
	Rule string
	// Config is the file the configuration came from, or DefaultFile
	// for the embedded default.
	Config string
}

// forkOf reads the fork fact.
func forkOf(v string) Fork {
	switch v {
	case "true":
		return FromFork
	case "false":
		return SameRepository
	}
	return ForkUnknown
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

// object encodes a JSON object of the keys and values given in turn, in
// that order, HTML characters as they are: the JSON of the types whose
// object is not their struct.
func object(pairs ...any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	b.WriteByte('{')
	for i, x := range pairs {
		if err := enc.Encode(x); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1) // the newline Encode ends with
		if i%2 == 0 {
			b.WriteByte(':')
		} else if i < len(pairs)-1 {
			b.WriteByte(',')
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Inputs are what resolution reads of a process: its variables, arguments
// and files. Resolution reads nothing else, which keeps it pure, testable
// and safe for concurrent use.
type Inputs struct {
	// Lookup returns the value of an environment variable and whether it is
	// set, like os.LookupEnv. Nil means an empty environment.
	Lookup func(name string) (value string, ok bool)
	// Args are the process arguments (os.Args).
	Args []string
	// FileExists reports whether a file exists. Nil means none does.
	FileExists func(path string) bool
	// ReadPayload returns the content of the CI vendor's event payload file
	// at path (GitHub's GITHUB_EVENT_PATH names it), which some facts are
	// read from. Resolution asks at most once, and only when the runtime
	// detected has a fact source that reads the payload. Nil means there is
	// no payload. ReadPayloadFile is the one ProcessInputs uses.
	ReadPayload func(path string) ([]byte, error)
}

// MaxPayloadSize is the largest event payload file ReadPayloadFile reads
// (1 MiB); the facts of a larger one are unknown.
const MaxPayloadSize = config.MaxPayloadSize

// ReadPayloadFile reads an event payload file: a regular file of at most
// MaxPayloadSize bytes, opened without blocking, so that a named pipe or a
// device in its place cannot make resolution wait or read for ever.
func ReadPayloadFile(path string) ([]byte, error) { return config.ReadPayload(path) }

// ProcessInputs returns the inputs of the running process: its environment,
// arguments, file system and event payload file.
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

// EnvInputs returns inputs made of the variables in env, for tests and for
// callers that hold the environment as a map: no arguments, no file
// exists, but the event payload file a variable of env names (GitHub's
// GITHUB_EVENT_PATH) is read as ProcessInputs reads it, since env says
// where it is. Set ReadPayload to nil to read none.
func EnvInputs(env map[string]string) Inputs {
	return Inputs{Lookup: resolver.MapLookup(env), ReadPayload: ReadPayloadFile}
}

// Runtime is a place code runs in, and how it is recognised. Its JSON is
// an object of `resolver runtimes --json`.
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
	// EventFile is the variable that names the vendor's event payload file
	// (GITHUB_EVENT_PATH), which some facts are read from; empty when none.
	EventFile string
	// Facts lists, for each CI fact it reports (pr_number, branch,
	// base_branch, tag, commit, build, build_url, repo, fork, event), its sources in the
	// order they are tried, each described as text (GITHUB_REF matching
	// "refs/pull/{}/merge").
	Facts map[string][]string
}

func runtimeOf(rt *config.Runtime) Runtime {
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
	branch := rt.Facts["branch"]
	if branch == nil {
		branch = []string{}
	}
	return object("name", rt.Name, "group", rt.Group, "description", rt.Description, "origin", rt.Origin,
		"when", rt.When, "pr", rt.PR, "branch", branch, "facts", rt.Facts)
}

// each converts every element of s with f; none gives an empty slice, so
// that JSON shows [] rather than null.
func each[S, T any](s []S, f func(S) T) []T {
	out := make([]T, len(s))
	for i, x := range s {
		out[i] = f(x)
	}
	return out
}

// clone copies s, and gives an empty slice for an empty one, so that JSON
// shows [] rather than null.
func clone[T any](s []T) []T { return append([]T{}, s...) }

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
	// empty when the rule has none. It may be a template of an instance
	// (sbx-pr{pr_number}).
	Default string
	// When describes the rule's alternative conditions, if it has any: it
	// applies only when one of them holds.
	When []string
	// Origin is the file that declared the rule as it stands (a base's,
	// or the file that extends it and replaced it by name).
	Origin string
}

func ruleOf(r config.Rule) Rule {
	return Rule{Name: r.Name, Groups: clone(r.Groups), Runtimes: clone(r.Runtimes), From: clone(r.From), Default: r.Default,
		When: each(r.When, config.Condition.String), Origin: r.Origin}
}

// Trace records how a resolution went, step by step, as `resolver explain`
// shows it; its JSON holds the members runtime, facts, payload, rules and
// allow of `resolver explain --json`. It holds the values only of the variables that supply
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
	// Payload says how reading the CI vendor's event payload went, when a
	// fact source asked for it: "read from the file GITHUB_EVENT_PATH
	// names", or why it was not; empty when no source asked.
	Payload string
	// Facts are the CI facts of the build that are known, by key
	// (pr_number, branch, base_branch, tag, commit, build, build_url, repo,
	// fork as "true" or "false", event).
	Facts map[string]string
	// Rules lists every rule, in order, and what it did.
	Rules []RuleStep
	// Allow is the check of the protected environment a rule chose, or nil
	// when the environment is not protected (or no rule chose one).
	Allow *AllowStep
}

// MarshalJSON gives the runtime as one object, then the steps.
func (t Trace) MarshalJSON() ([]byte, error) {
	rt, err := object("name", t.Runtime, "group", t.Group, "origin", t.Origin, "forced", t.Forced, "signal", t.Signal,
		"passed", t.Passed)
	if err != nil {
		return nil, err
	}
	return object("runtime", json.RawMessage(rt), "facts", t.Facts, "payload", t.Payload, "rules", t.Rules, "allow", t.Allow)
}

// AllowStep is the check of a protected environment.
type AllowStep struct {
	Env string `json:"env"`
	// Conditions describes the conditions of its allow; Held is the index
	// of the one that held, or -1 when none did.
	Conditions []string `json:"conditions"`
	Held       int      `json:"held"`
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
	// When describes the rule's conditions, if it has any; Held is the
	// index of the one that held, or -1 when none did and the rule was
	// passed over.
	When []string
	Held int
	// Default is the rule's default, or empty. For a template
	// (sbx-pr{pr_number}), Filled is the id it made, or empty when a fact
	// it needs is empty and the rule yielded nothing.
	Default string
	Filled  string
	// Yielded is true for the rule that decided; Source says from what: a
	// variable, or "default".
	Yielded bool
	Source  string
	// template is whether Default is a template.
	template bool
}

// MarshalJSON names the rule name, and gives held only for a rule with
// conditions that applies (null otherwise); Groups and Runtimes are left
// out.
func (s RuleStep) MarshalJSON() ([]byte, error) {
	var held *int
	if len(s.When) > 0 && s.Applies {
		held = &s.Held
	}
	return object("name", s.Rule, "applies", s.Applies, "when", s.When, "held", held, "vars", s.Vars,
		"default", s.Default, "filled", s.Filled, "yielded", s.Yielded, "source", s.Source)
}

// Template reports whether the rule's default is a template
// (sbx-pr{pr_number}), which gives an id only when the facts it names are
// known.
func (s RuleStep) Template() bool { return s.template }

// FactKeys returns the keys of the CI facts (pr_number, branch, ...) in
// the order output lists them, as Trace.Facts and Result hold them: a new
// slice on each call.
func FactKeys() []string {
	keys := make([]string, config.NumFacts)
	for f := range config.NumFacts {
		keys[f] = f.Key()
	}
	return keys
}

// VarStep is one variable a rule read.
type VarStep struct {
	Name string `json:"name"`
	Set  bool   `json:"set"`
	// Value is the value read; empty when Hidden.
	Value string `json:"value"`
	// Hidden is true when the variable is set, not empty, and its name says
	// it holds a secret (it contains SECRET, TOKEN, PASSWORD, PASSWD,
	// PRIVATE, CREDENTIAL, API_KEY or ACCESS_KEY): its value is not kept.
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
