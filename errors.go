package multienv

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/multienv/multienv/config"
	"github.com/multienv/multienv/internal/text"
	"github.com/multienv/multienv/resolver"
)

// The kinds of error, for errors.Is: constants, so that no importer can
// reassign one, each the one its layer raises under the front door's name.
const (
	// ErrInvalidConfig: the configuration cannot be found, read or checked
	// (a *ConfigError, or an error of Locate).
	ErrInvalidConfig = config.ErrInvalid
	// ErrInvalidName: a value is not NAME or NAME-INSTANCE in lower-case
	// letters and digits (a *ValueError).
	ErrInvalidName = resolver.ErrInvalidName
	// ErrUnknownEnvironment: a well-formed value names no declared
	// environment, or an instance of one that has none (a *ValueError).
	ErrUnknownEnvironment = resolver.ErrUnknownEnvironment
	// ErrUnknownRuntime: the runtime variable names no runtime (a *ValueError).
	ErrUnknownRuntime = resolver.ErrUnknownRuntime
	// ErrNothingSet: no rule yielded an environment (a *NothingSetError).
	ErrNothingSet = resolver.ErrNothingSet
	// ErrProtected: a rule chose a protected environment where its allow
	// admits no one (a *ProtectedError).
	ErrProtected = resolver.ErrProtected
	// ErrNoValue: no value has the key (a *KeyError).
	ErrNoValue = Error("no such value")
	// ErrValueType: the value is not of the type asked for (a *KeyError).
	ErrValueType = Error("value of another type")
)

// Error is the type of the front door's own constant errors.
type Error string

func (s Error) Error() string { return string(s) }

// ProtectedError is a protected environment (one with allow), or an
// instance of it, chosen where none of the allow's conditions holds:
// USER_ENV_NAME=prd on a laptop, when production is allowed only from CI on
// a tag. No variable that names an environment overrides it.
type ProtectedError struct {
	// ID is the id chosen (prd, sbx-101) and Env its environment.
	ID, Env string
	// Runtime and Group are the runtime detected.
	Runtime string
	Group   Group
	// Rule chose the id from Source: a variable, or "default".
	Rule, Source string
	// Allowed describes the allow's conditions, one of which must hold.
	Allowed []string
	// ForcedBy is the runtime variable when it forced the runtime, which
	// then satisfies only a table with forced = true; else empty.
	ForcedBy string
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
	// Kind is ErrInvalidName, ErrUnknownEnvironment or ErrUnknownRuntime.
	Kind error
	// Variable is the variable that supplied the value; empty for
	// Config.Lookup.
	Variable string
	// Value is the value read; empty when Hidden.
	Value string
	// Hidden is true when the variable's name says it holds a secret: the
	// value is neither kept nor printed, and nothing close is suggested.
	Hidden bool
	// Reason says what is wrong, after the quoted value.
	Reason string
	// Allowed lists the accepted values (sbx, sbx-<id>, prd).
	Allowed []string
	// Hint, when set, is printed instead of Allowed: where to find them.
	Hint string
	// Suggestion is the closest accepted value, or empty.
	Suggestion string
}

// Error names the variable, quotes the value (cut to 64 characters) or says
// it is hidden, says what is wrong, lists the allowed values (at most 20)
// or where to find them, and suggests the closest.
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
		tail = "; " + e.Hint
	}
	if !e.Hidden {
		tail += text.DidYouMean(e.Suggestion)
	}
	return value + " " + e.Reason + tail
}

// Unwrap returns Kind, so that errors.Is matches it.
func (e *ValueError) Unwrap() error { return e.Kind }

// NothingSetError is no rule yielding an environment: in a CI job or an
// application, no variable named one.
type NothingSetError struct {
	// Runtime and Group are the runtime detected.
	Runtime string
	Group   Group
	// Rules are the rules that applied to the runtime, in order.
	Rules []string
	// Tried are the variables those rules read, in order, each once.
	Tried []string
	// Allowed lists the accepted environment ids.
	Allowed []string
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
		e.Hint = "run 'resolver runtimes' for the list" // too many for one line
	}
	return e
}

// ConfigError is a configuration that cannot be read or does not pass the
// checks (syntax, schema, semantics): every problem found, sorted by
// position. When the file could not be read it wraps why (errors.Is(err,
// fs.ErrNotExist) for a missing file).
type ConfigError struct {
	Problems []Problem
	err      *config.Error
}

// Error returns the problems, one a line.
func (e *ConfigError) Error() string { return e.err.Error() }

// Unwrap returns the checks' error, which matches ErrInvalidConfig and
// wraps the cause of a file that could not be read.
func (e *ConfigError) Unwrap() error { return e.err }

func configError(err error) error {
	var ce *config.Error
	if errors.As(err, &ce) {
		return &ConfigError{Problems: problemsOf(ce.Problems, SeverityError), err: ce}
	}
	return err
}

// Problem is one finding about a configuration file, at its position; an
// object of `resolver check --format json`.
type Problem struct {
	File string `json:"file"`
	// Line and Col start at 1; 0 when unknown.
	Line int `json:"line"`
	Col  int `json:"column"`
	// Severity is SeverityError for a problem of a *ConfigError and
	// SeverityWarning for one of Config.Warnings.
	Severity string `json:"severity"`
	// Path is the key path, such as envs[1].name; empty for the whole file.
	Path    string `json:"path"`
	Message string `json:"message"`
}

// The severities of a Problem.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// String formats the problem as one safe line, FILE:LINE:COL: PATH: message,
// as compilers and go vet do; the column, then the line, are left out when
// unknown.
func (p Problem) String() string {
	return config.Problem{File: p.File, Line: p.Line, Col: p.Col, Path: p.Path, Message: p.Message}.String()
}

func problemsOf(ps []config.Problem, severity string) []Problem {
	return each(ps, func(p config.Problem) Problem {
		return Problem{File: p.File, Line: p.Line, Col: p.Col, Severity: severity, Path: p.Path, Message: p.Message}
	})
}
