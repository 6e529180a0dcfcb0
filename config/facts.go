package config

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/multienv/multienv/internal/glob"
	"github.com/multienv/multienv/internal/payload"
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
	FactFork                   // "true" for a pull request from a fork, "false" from the same repository
	FactEvent                  // what started the job: one of Events
	NumFacts
)

// factKeys are the TOML keys (and JSON keys) of the facts, indexed by Fact.
var factKeys = [NumFacts]string{"pr_number", "branch", "base_branch", "tag", "commit", "build", "build_url", "repo", "fork", "event"}

// The values of the event fact, the same for every vendor.
const (
	EventPush        = "push"         // a push of a branch
	EventPullRequest = "pull_request" // a pull (merge) request
	EventTag         = "tag"          // a push of a tag
	EventSchedule    = "schedule"     // a scheduled job
	EventManual      = "manual"       // started by a person, from the vendor's interface
	EventAPI         = "api"          // started through the vendor's API or a trigger
	EventOther       = "other"        // anything else the vendor names
)

// events are the values of the event fact, in the contract's order.
var events = []string{EventPush, EventPullRequest, EventTag, EventSchedule, EventManual, EventAPI, EventOther}

// IsEvent reports whether s is one of Events.
func IsEvent(s string) bool { return slices.Contains(events, s) }

// Fork says whether a pull request comes from a fork: its head repository
// is not its base repository. Unknown is not false.
type Fork uint8

// The values of Fork.
const (
	ForkUnknown    Fork = iota // the vendor does not say, or the build is no pull request
	SameRepository             // the vendor says head and base are the same repository
	FromFork                   // the vendor says they are not
)

// String is "true", "false" or "unknown".
func (f Fork) String() string {
	switch f {
	case FromFork:
		return "true"
	case SameRepository:
		return "false"
	}
	return "unknown"
}

// MarshalJSON gives true, false, or null when unknown.
func (f Fork) MarshalJSON() ([]byte, error) {
	if s := f.String(); s != "unknown" {
		return []byte(s), nil
	}
	return []byte("null"), nil
}

// Key is the fact's key in a file and in JSON; empty for no fact.
func (f Fact) Key() string {
	if f >= NumFacts {
		return ""
	}
	return factKeys[f]
}

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

// FactSource is one place a fact is read from: a variable, several composed,
// a payload field or two sources compared; its whole value or the part a
// pattern captures, on every build or only on pull requests or the others.
type FactSource struct {
	// Var is the variable read when Compose, Payload and Differs are unset.
	Var string
	// Compose, when set, makes the value of several variables.
	Compose *Compose
	// Payload, when set, is a field of the event payload, the JSON file
	// the runtime's EventFile variable names.
	Payload *payload.Path
	// Differs, when set, holds two sources: the value is "true" when both
	// give a value and they differ, "false" when they are the same, nothing
	// when either gives none (a fork: head and base repositories differ).
	Differs []FactSource
	// Pattern, when set, must match the value; what it captures is the fact.
	Pattern *glob.Pattern
	// Map, when set, translates the value (the vendor's event names into
	// Events); a value it lacks becomes Unmapped, which may be empty.
	Map      map[string]string
	Unmapped string
	PR       PRFilter
}

// Vars are the variables the source reads.
func (s *FactSource) Vars() []string {
	switch {
	case s.Differs != nil:
		return append(s.Differs[0].Vars(), s.Differs[1].Vars()...)
	case s.Compose != nil:
		return s.Compose.Vars()
	case s.Payload != nil:
		return nil
	}
	return []string{s.Var}
}

// readsPayload reports whether the source reads the event payload.
func (s *FactSource) readsPayload() bool {
	return s.Payload != nil || s.Differs != nil && (s.Differs[0].readsPayload() || s.Differs[1].readsPayload())
}

// String describes the source: GITHUB_REF matching "refs/pull/{}/merge",
// on pull requests.
func (s FactSource) String() string {
	out := s.Var
	switch {
	case s.Differs != nil:
		out = "whether " + s.Differs[0].String() + " differs from " + s.Differs[1].String()
	case s.Compose != nil:
		out = "composed " + strconv.Quote(s.Compose.String())
	case s.Payload != nil:
		out = "payload " + s.Payload.String()
	}
	if s.Pattern != nil {
		out += " matching " + strconv.Quote(s.Pattern.String())
	}
	if s.Map != nil {
		keys := slices.Sorted(maps.Keys(s.Map))
		for i, k := range keys {
			keys[i] = k + " as " + s.Map[k]
		}
		if s.Unmapped != "" {
			keys = append(keys, "any other as "+s.Unmapped)
		}
		out += " (" + strings.Join(keys, ", ") + ")"
	}
	return out + s.PR.words(", on pull requests", ", except on pull requests")
}

// words is pr for PROnly, notPR for NotPR, and "" for any other filter.
func (f PRFilter) words(pr, notPR string) string {
	switch f {
	case PROnly:
		return pr
	case NotPR:
		return notPR
	}
	return ""
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

// mustPayload reads a payload path of the built-in catalog, which the
// tests check like any file's.
func mustPayload(s string) *payload.Path {
	p := payload.MustPath(s)
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
	// Fork, when not empty, is "true" or "false": the fork fact must be
	// known and that value. Unknown is neither.
	Fork string
	// Events: the event is one of these.
	Events []string
	// Groups and Runtimes (allow only), each when set: the runtime is of
	// one of the groups, and one of those named.
	Groups   []Group
	Runtimes []string
	// Forced (allow only): the table may hold for a runtime forced by the
	// runtime variable. Without it, a forced runtime satisfies no table:
	// whoever sets that variable names the runtime, and is not the runtime.
	Forced bool
}

// String describes the condition: "group ci and not a pull request and
// tag matches "v*"".
func (c Condition) String() string {
	quoted := func(p *glob.Pattern) string { return strconv.Quote(p.String()) }
	parts := slices.DeleteFunc([]string{
		joinOr("group ", c.Groups, func(g Group) string { return string(g) }),
		joinOr("runtime ", c.Runtimes, asIs),
		c.PR.words("a pull request", "not a pull request"),
		joinOr(FactBranch.Key()+" matches ", c.Branch, quoted),
		joinOr(FactBaseBranch.Key()+" matches ", c.BaseBranch, quoted),
		joinOr(FactTag.Key()+" matches ", c.Tag, quoted),
		forkWords(c.Fork),
		joinOr("event ", c.Events, asIs),
		c.Signal.String(),
	}, func(s string) bool { return s == "" })
	if c.Forced {
		parts = append(parts, "the runtime may be forced")
	}
	if len(parts) == 0 {
		return "always"
	}
	return strings.Join(parts, " and ")
}

// forkWords describes a condition's Fork ("" when it is not set).
func forkWords(fork string) string {
	switch fork {
	case "true":
		return "from a fork"
	case "false":
		return "known not from a fork"
	}
	return ""
}

// joinOr is prefix, then the words of xs joined by "or"; "" when xs is empty.
func joinOr[T any](prefix string, xs []T, word func(T) string) string {
	if len(xs) == 0 {
		return ""
	}
	return prefix + joinWords(xs, word, " or ")
}

// joinWords joins the words of xs with sep.
func joinWords[T any](xs []T, word func(T) string, sep string) string {
	words := make([]string, len(xs))
	for i, x := range xs {
		words[i] = word(x)
	}
	return strings.Join(words, sep)
}

// asIs is a word for joinOr that is the string itself.
func asIs(s string) string { return s }
