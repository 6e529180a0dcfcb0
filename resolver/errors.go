package resolver

import "github.com/multienv/multienv/config"

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

// Fault is why resolution failed: its kind and what the front door words
// it from, each field set only for the kinds that have it. The value of a
// variable named like a secret is never kept: Value is empty, Hidden is
// set and nothing is suggested.
type Fault struct {
	// Kind is one of the kinds above; errors.Is matches it.
	Kind error
	// ErrProtected: the id chosen, its environment, the rule that chose
	// it from Source (a variable, or "default"), and the runtime variable
	// when it forced the runtime.
	ID, Env, Rule, Source, ForcedBy string
	// ErrProtected and ErrNothingSet: the runtime.
	Runtime string
	Group   config.Group
	// ErrNothingSet: the rules that applied and the variables they read.
	Rules, Tried []string
	// A bad value: the variable, the value read (empty when Hidden), what
	// is wrong with it, and the closest accepted value.
	Variable, Value, Reason, Suggestion string
	Hidden                              bool
	// The accepted values, or the conditions of a protected environment's
	// allow.
	Allowed []string
}

// Error is the kind: the front door words the rest.
func (f *Fault) Error() string {
	if f.Kind == nil {
		return "a fault of no kind"
	}
	return f.Kind.Error()
}

// Unwrap returns the kind.
func (f *Fault) Unwrap() error { return f.Kind }
