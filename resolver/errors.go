package resolver

import (
	"fmt"
	"strings"

	"github.com/multienv/multienv/config"
	"github.com/multienv/multienv/internal/text"
)

// The kinds of resolution error, for errors.Is: constants, which no
// importer can reassign and which cost nothing at start-up.
const (
	// ErrUnknownEnvironment: a well-formed value names no declared
	// environment, or an instance of one that has none.
	ErrUnknownEnvironment = config.ErrUnknownEnvironment
	// ErrInvalidName: a value is not NAME or NAME-INSTANCE in lower-case
	// letters and digits.
	ErrInvalidName = config.ErrInvalidName
	// ErrNothingSet: no rule yielded an environment for the runtime.
	ErrNothingSet = sentinel("no environment set")
	// ErrUnknownRuntime: the runtime variable names no known runtime.
	ErrUnknownRuntime = sentinel("unknown runtime")
	// ErrProtected: a rule chose a protected environment where its allow
	// admits no one.
	ErrProtected = sentinel("protected environment")
)

// sentinel is an error that is a constant.
type sentinel string

func (s sentinel) Error() string { return string(s) }

// ProtectedError is returned when a rule yields an environment (or an
// instance of it) whose allow has no condition that holds.
type ProtectedError struct {
	// ID is the id chosen (prd, sbx-101) and Env its environment.
	ID, Env string
	// Runtime and Group are the runtime detected.
	Runtime string
	Group   config.Group
	// Rule chose the id from Source: a variable, or "default".
	Rule, Source string
	// Allowed describes the conditions of the environment's allow, one of
	// which must hold.
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
	allowed := e.Allowed
	more := ""
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

// runtimesHint is what an error about a runtime name says in place of the
// list of runtimes, which is too long for one line.
const runtimesHint = "run 'resolver runtimes' for the list"

// maxAllowed is how many accepted values an error lists.
const maxAllowed = 20

// ValueError is a value read from a variable that is not acceptable.
type ValueError struct {
	// Kind is ErrUnknownEnvironment, ErrInvalidName or ErrUnknownRuntime.
	Kind error
	// Variable is the variable that supplied the value.
	Variable string
	// Value is the value read; empty when Hidden.
	Value string
	// Hidden is true when the variable's name says it holds a secret
	// (text.IsSecretName): the value is neither kept nor printed, and
	// nothing close to it is suggested.
	Hidden bool
	// Reason says what is wrong, after the quoted value.
	Reason string
	// Allowed lists the accepted values.
	Allowed []string
	// Hint, when set, is printed instead of Allowed: where to find them.
	Hint string
	// Suggestion is the closest accepted value, or empty.
	Suggestion string
}

// Error names the variable, quotes the value (cut to text.MaxQuoted
// characters) or says it is hidden, lists the allowed values (at most
// maxAllowed of them) or says where to find them, and suggests the
// closest.
func (e *ValueError) Error() string {
	var b strings.Builder
	if e.Variable != "" {
		b.WriteString(text.Escape(e.Variable))
		b.WriteByte('=')
	}
	if e.Hidden {
		b.WriteString(text.Redacted)
	} else {
		b.WriteString(text.Quote(e.Value))
	}
	b.WriteByte(' ')
	b.WriteString(e.Reason)
	if e.Hint != "" {
		b.WriteString("; ")
		b.WriteString(e.Hint)
	} else {
		b.WriteString("; allowed: ")
		b.WriteString(text.List(e.Allowed, maxAllowed))
	}
	if !e.Hidden {
		b.WriteString(text.DidYouMean(e.Suggestion))
	}
	return b.String()
}

// Unwrap returns the kind, so that errors.Is matches it.
func (e *ValueError) Unwrap() error { return e.Kind }

// NothingSetError is returned when no rule yields an environment.
type NothingSetError struct {
	Runtime string
	Group   config.Group
	// Rules are the rules that applied to the runtime, in order.
	Rules []string
	// Tried are the variables those rules read, in order, each once.
	Tried []string
	// Allowed lists the accepted environment ids.
	Allowed []string
}

// Error names the runtime and every variable tried.
func (e *NothingSetError) Error() string {
	where := fmt.Sprintf("runtime %s (group %s)", e.Runtime, e.Group)
	if len(e.Rules) == 0 {
		return "no rule applies to " + where + ", so no environment can be chosen"
	}
	if len(e.Tried) == 0 {
		return "no environment for " + where + ": rule " + strings.Join(e.Rules, ", ") + " gave none"
	}
	vars := strings.Join(e.Tried, " and ")
	if len(e.Tried) > 2 {
		vars = strings.Join(e.Tried[:len(e.Tried)-1], ", ") + " and " + e.Tried[len(e.Tried)-1]
	}
	verb := "is"
	if len(e.Tried) > 1 {
		verb = "are"
	}
	return fmt.Sprintf("no environment for %s: %s %s unset or empty; set %s to one of: %s",
		where, vars, verb, map[bool]string{true: "it", false: "one"}[len(e.Tried) == 1], text.List(e.Allowed, maxAllowed))
}

// Unwrap returns ErrNothingSet.
func (e *NothingSetError) Unwrap() error { return ErrNothingSet }
