package multienv

import (
	"fmt"
	"slices"
	"strings"

	"github.com/multienv/multienv/config"
	"github.com/multienv/multienv/internal/text"
	"github.com/multienv/multienv/resolver"
)

// The kinds of error, for errors.Is: constants, so that no importer can
// reassign one; each is its layer's, under the front door's name.
const (
	ErrInvalidConfig      = config.ErrInvalid              // the configuration cannot be found, read or checked (*ConfigError, or Locate's)
	ErrInvalidName        = resolver.ErrInvalidName        // a value is not NAME or NAME-INSTANCE in lower-case letters and digits (*ValueError)
	ErrUnknownEnvironment = resolver.ErrUnknownEnvironment // a well-formed value names no declared environment or instance (*ValueError)
	ErrUnknownRuntime     = resolver.ErrUnknownRuntime     // the runtime variable names no runtime (*ValueError)
	ErrNothingSet         = resolver.ErrNothingSet         // no rule yielded an environment (*NothingSetError)
	ErrProtected          = resolver.ErrProtected          // a rule chose a protected environment where its allow admits no one (*ProtectedError)
	ErrNoValue            = Error("no such value")         // no value has the key (*KeyError)
	ErrValueType          = Error("value of another type") // the value is not of the type asked for (*KeyError)
)

// Error is the type of the front door's own constant errors.
type Error string

func (s Error) Error() string { return string(s) }

// ProtectedError is a protected environment (one with allow), or its
// instance, chosen where no condition of the allow holds (USER_ENV_NAME=prd
// on a laptop, when production is allowed only from CI on a tag); no
// variable that names an environment overrides it.
type ProtectedError struct {
	ID, Env      string   // the id chosen (prd, sbx-101) and its environment
	Runtime      string   // the runtime detected
	Group        Group    // the runtime's group
	Rule, Source string   // the rule that chose the id, and from what: a variable, or "default"
	Allowed      []string // the allow's conditions, one of which must hold
	ForcedBy     string   // the runtime variable, if it forced the runtime (admitted only by forced = true)
}

// Error names the environment, the runtime and its group, what chose it,
// and what is allowed.
func (e *ProtectedError) Error() string {
	from := "the default of rule " + text.Escape(e.Rule)
	if e.Source != "default" {
		from = text.Escape(e.Source) + " (rule " + text.Escape(e.Rule) + ")"
	}
	allowed, more := e.Allowed, ""
	if len(allowed) > maxAllowed {
		allowed, more = allowed[:maxAllowed], fmt.Sprintf("; and %d more", len(allowed)-maxAllowed)
	}
	forced := ""
	if e.ForcedBy != "" {
		forced = ", forced by " + text.Escape(e.ForcedBy)
	}
	return fmt.Sprintf("%s is protected: runtime %s (group %s%s) may not choose it, as %s did; allowed only when: %s%s",
		text.Quote(e.ID), text.Escape(e.Runtime), text.Escape(string(e.Group)), forced, from, text.Escape(strings.Join(allowed, "; or ")), more)
}

// Unwrap returns ErrProtected.
func (e *ProtectedError) Unwrap() error { return ErrProtected }

// maxAllowed is how many accepted values an error lists.
const maxAllowed = 20

// ValueError is a value read from a variable that is not acceptable: PRD,
// prod, sbx-, or a runtime name that names no runtime.
type ValueError struct {
	Kind       error    // ErrInvalidName, ErrUnknownEnvironment or ErrUnknownRuntime
	Variable   string   // the variable that supplied the value; empty for Config.Lookup
	Value      string   // the value read; empty when Hidden
	Hidden     bool     // the variable is named like a secret: no value is kept or shown, nothing suggested
	Reason     string   // what is wrong, after the quoted value
	Allowed    []string // the accepted values (sbx, sbx-<id>, prd)
	Hint       string   // when set, printed after Allowed: where to find them all
	Suggestion string   // the closest accepted value, or empty
}

// Error names the variable, quotes the value (cut to 64 characters) unless
// hidden, says what is wrong, what is allowed (20 at most), and the closest.
func (e *ValueError) Error() string {
	value := text.Quote(e.Value)
	if e.Hidden {
		value = text.Redacted
	}
	if e.Variable != "" {
		value = text.Escape(e.Variable) + "=" + value
	}
	tail := "; allowed: " + text.List(e.Allowed, maxAllowed)
	if e.Hint != "" {
		tail += "; " + e.Hint
	}
	if !e.Hidden {
		tail += text.DidYouMean(e.Suggestion)
	}
	return value + " " + e.Reason + tail
}

// Unwrap returns Kind, so that errors.Is matches it.
func (e *ValueError) Unwrap() error { return e.Kind }

// NothingSetError is no rule yielding an environment: no variable named one.
type NothingSetError struct {
	Runtime string   // the runtime detected
	Group   Group    // the runtime's group
	Rules   []string // the rules that applied to the runtime, in order
	Tried   []string // the variables those rules read, in order, each once
	Allowed []string // the accepted environment ids
}

// Error names the runtime, every variable tried, and the allowed values.
func (e *NothingSetError) Error() string {
	where := fmt.Sprintf("runtime %s (group %s)", e.Runtime, e.Group)
	if len(e.Rules) == 0 {
		return "no rule applies to " + where + ", so no environment can be chosen"
	}
	if len(e.Tried) == 0 {
		return "no environment for " + where + ": rule " + strings.Join(e.Rules, ", ") + " gave none"
	}
	n := len(e.Tried)
	vars, verb, which := e.Tried[0], "is", "it"
	if n > 1 {
		vars, verb, which = strings.Join(e.Tried[:n-1], ", ")+" and "+e.Tried[n-1], "are", "one"
	}
	return fmt.Sprintf("no environment for %s: %s %s unset or empty; set %s to one of: %s",
		where, vars, verb, which, text.List(e.Allowed, maxAllowed))
}

// Unwrap returns ErrNothingSet.
func (e *NothingSetError) Unwrap() error { return ErrNothingSet }

// resolveError words the resolver's faults as the front door's errors.
func resolveError(err error) error {
	f, ok := err.(*resolver.Fault)
	if !ok {
		return err
	}
	// The engine's lists are the Config's: an error gets its own copy.
	f.Allowed = slices.Clone(f.Allowed)
	switch f.Kind {
	case ErrProtected:
		return &ProtectedError{ID: f.ID, Env: f.Env, Runtime: f.Runtime, Group: f.Group, Rule: f.Rule, Source: f.Source,
			Allowed: f.Allowed, ForcedBy: f.ForcedBy}
	case ErrNothingSet:
		return &NothingSetError{Runtime: f.Runtime, Group: f.Group, Rules: f.Rules, Tried: f.Tried, Allowed: f.Allowed}
	}
	e := &ValueError{Kind: f.Kind, Variable: f.Variable, Value: f.Value, Hidden: f.Hidden, Reason: f.Reason,
		Allowed: f.Allowed, Suggestion: f.Suggestion}
	if f.Kind == ErrUnknownRuntime {
		e.Hint = "run 'resolver runtimes' for the list" // the catalog's are too many for one line
	}
	return e
}

// ConfigError is a configuration that cannot be read or fails the checks
// (syntax, schema, semantics): every problem, sorted by position. It wraps
// why a file could not be read (fs.ErrNotExist for a missing file).
type ConfigError struct {
	Problems []Problem
	err      *config.Error
}

// Error returns the problems, one a line.
func (e *ConfigError) Error() string {
	if e.err == nil { // made outside this package: its Problems alone
		return strings.Join(each(e.Problems, Problem.String), "\n")
	}
	return e.err.Error()
}

// Unwrap returns the checks' error: ErrInvalidConfig, and any cause.
func (e *ConfigError) Unwrap() error {
	if e.err == nil {
		return ErrInvalidConfig
	}
	return e.err
}

// Problem is one finding about a configuration file, at its position; an
// object of `resolver check --format json`.
type Problem struct {
	File     string `json:"file"`
	Line     int    `json:"line"`     // from 1; 0 when unknown
	Col      int    `json:"column"`   // from 1; 0 when unknown
	Severity string `json:"severity"` // SeverityError (of a *ConfigError) or SeverityWarning (Config.Warnings)
	Path     string `json:"path"`     // the key path, such as envs[1].name; empty for the whole file
	Message  string `json:"message"`
}

// The severities of a Problem.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// String is the problem as one safe line, FILE:LINE:COL: PATH: message, as
// go vet prints it; an unknown column, then line, is left out.
func (p Problem) String() string {
	return config.Problem{File: p.File, Line: p.Line, Col: p.Col, Path: p.Path, Message: p.Message}.String()
}

func problemsOf(ps []config.Problem, severity string) []Problem {
	return each(ps, func(p config.Problem) Problem {
		return Problem{File: p.File, Line: p.Line, Col: p.Col, Severity: severity, Path: p.Path, Message: p.Message}
	})
}
