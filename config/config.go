// Package config reads a multienv TOML file into a checked, typed Config.
//
// Loading runs passes that add what they find to one collector: limits,
// syntax, the JSON Schema, decoding, the semantic rules the schema cannot
// express, then, on a file without problems, lint. Every problem found, with
// its file, line, column and key path, is in one *Error; what works but is
// likely a mistake is in Config.Warnings.
package config

import (
	"slices"
	"strconv"
	"strings"
)

// Kind says what an environment is for.
type Kind string

// The kinds of environment.
const (
	KindDevops     Kind = "devops"
	KindSandbox    Kind = "sandbox"
	KindWorkload   Kind = "workload"
	KindProduction Kind = "production"
)

// Group is the family of a runtime.
type Group string

// The runtime groups.
const (
	GroupLocal Group = "local"
	GroupCI    Group = "ci"
	GroupApp   Group = "app"
)

// defaultRuntimeVariable forces the runtime when a file names no other.
const defaultRuntimeVariable = "USER_RUNTIME_NAME"

// DefaultFile is the File of the embedded default configuration.
const DefaultFile = "(default)"

// Env is a declared environment.
type Env struct {
	Name        string `json:"name"`
	Emoji       string `json:"emoji"`
	Kind        Kind   `json:"kind"`
	Description string `json:"description"`
	Instances   bool   `json:"instances"`
	// Allow, when not empty, protects the environment: a rule may yield it
	// only when one of the conditions holds.
	Allow []Condition `json:"-"`
	// Values are the values the environment sets over [values], or nil.
	Values map[string]any `json:"-"`
	// Origin is the file that declared the environment first.
	Origin string `json:"-"`
	// ValueFiles names, for each dotted leaf key of Values, the file that
	// set it last; nil when one file sets them all (Origin).
	ValueFiles map[string]string `json:"-"`
}

// Op is the test a condition applies.
type Op uint8

// The condition operators, in the order a signal lists them.
const (
	OpSet       Op = iota // the variable is present
	OpEquals              // the variable is present and equals one of Values
	OpNotEquals           // the variable is present and differs from all of Values
	OpContains            // the variable is present and contains one of Values
	OpArg                 // the process arguments hold Name, or Name=...
	OpFile                // the file Name exists
)

// opKeys are the TOML keys of the operators, indexed by Op.
var opKeys = [...]string{"set", "equals", "not_equals", "contains", "arg", "file"}

// Key is the TOML key that spells the operator; empty for no operator.
func (o Op) Key() string {
	if int(o) >= len(opKeys) {
		return ""
	}
	return opKeys[o]
}

// Cond is one condition of a signal.
type Cond struct {
	Op     Op
	Name   string   // variable name, argument or file path
	Values []string // for OpEquals, OpNotEquals and OpContains
}

// String describes the condition without any value read from the process.
func (c Cond) String() string {
	q := make([]string, len(c.Values))
	for i, v := range c.Values {
		q[i] = strconv.Quote(v)
	}
	values := strings.Join(q, ", ")
	if len(q) != 1 {
		values = "one of " + values
	}
	switch c.Op {
	case OpSet:
		return c.Name + " is set"
	case OpEquals:
		return c.Name + " equals " + values
	case OpNotEquals:
		switch {
		case len(c.Values) == 1 && c.Values[0] == "":
			return c.Name + " is set and not empty"
		case len(c.Values) == 1:
			return c.Name + " is set and differs from " + values
		}
		return c.Name + " is set and is none of " + strings.Join(q, ", ")
	case OpContains:
		return c.Name + " contains " + values
	case OpArg:
		return "argument " + c.Name + " is given"
	case OpFile:
		return "file " + c.Name + " exists"
	}
	return "?"
}

// Signal is one way to recognise a runtime: all its conditions must hold.
type Signal []Cond

// String joins the conditions with "and".
func (s Signal) String() string { return strings.Join(texts(s), " and ") }

// Runtime is a place code runs in, and how to recognise it.
type Runtime struct {
	Name        string
	Group       Group
	Description string
	// When lists alternative signals; an empty When always matches.
	When []Signal
	// PR lists the signals that the job builds a pull request.
	PR []Signal
	// Facts lists, for each fact, the sources it is read from, tried in
	// order: the first that gives a value is the fact.
	Facts [NumFacts][]FactSource
	// EventFile is the variable that names the event payload file (GitHub's
	// GITHUB_EVENT_PATH), which payload sources read; empty when none.
	EventFile string
	// Origin is the file the runtime was declared in, or CatalogOrigin.
	Origin string
}

// Rule is a resolution rule.
type Rule struct {
	Name     string
	Groups   []Group
	Runtimes []string
	// From lists the variables tried in order; empty counts as unset.
	From []string
	// Default is the environment id used when no variable of From is set;
	// empty when the rule has none.
	Default string
	// Template is Default read as a template (sbx-pr{pr_number}), or nil
	// when Default holds no placeholder.
	Template *Template
	// When, when not empty, lists alternative conditions: the rule applies
	// only when one of them holds.
	When []Condition
	// Origin is the file the rule (as it stands) was declared in.
	Origin string
}

// AppliesTo reports whether the rule names the runtime's group or the
// runtime itself. It takes pointers, so that the engine asks it for every
// rule of a resolution without copying either.
func (r *Rule) AppliesTo(rt *Runtime) bool {
	return slices.Contains(r.Groups, rt.Group) || slices.Contains(r.Runtimes, rt.Name)
}

// Config is a loaded, checked configuration.
type Config struct {
	// File is the file the configuration came from, or DefaultFile.
	File string
	// RuntimeVariable is the variable that forces the runtime.
	RuntimeVariable string
	// Catalog reports whether the built-in runtime catalog is in use.
	Catalog bool
	Envs    []Env
	// Runtimes is the effective detection order: the file's own runtimes,
	// then the catalog's.
	Runtimes []Runtime
	Rules    []Rule
	// Values are [values]: every value a service reads, with its default;
	// nil when the file declares none.
	Values map[string]any
	// Warnings are findings that do not stop the configuration from working.
	Warnings []Problem
	// Files are the files the configuration was merged from, bases first
	// and File last; nil for a file that extends nothing.
	Files []string
	// ValueFiles names, for each dotted leaf key of Values, the file that
	// set it last; nil when File sets them all.
	ValueFiles map[string]string
}

// KindFits reports whether a value of kind got (as KindOf words it) may
// stand where one of kind want is declared: the same kind, or an integer
// where a float is, as TOML writes 1 for 1.0.
func KindFits(want, got string) bool { return got == want || want == "a float" && got == "an integer" }

// Workloads returns the environments that are not of kind devops, in order.
func (c *Config) Workloads() []Env {
	var out []Env
	for _, e := range c.Envs {
		if e.Kind != KindDevops {
			out = append(out, e)
		}
	}
	return out
}
