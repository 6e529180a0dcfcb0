package resolver

import "slices"

// Inputs are what the resolver knows of the process. It never reads the
// process itself: the caller passes these in, which keeps resolution pure,
// testable and safe for concurrent use.
type Inputs struct {
	// Lookup returns the value of an environment variable and whether it is
	// set, like os.LookupEnv. Nil means an empty environment.
	Lookup func(name string) (value string, ok bool)
	// Args are the process arguments (os.Args).
	Args []string
	// FileExists reports whether a file exists. Nil means none does.
	FileExists func(path string) bool
	// ReadPayload returns the content of the event payload file at path
	// (the value of the runtime's event_file variable, such as GitHub's
	// GITHUB_EVENT_PATH). The resolver asks at most once a resolution, and
	// only when a source of the runtime detected reads the payload. Nil
	// means there is no payload.
	ReadPayload func(path string) ([]byte, error)
}

// MapLookup returns a Lookup backed by m, for tests and for callers that
// hold the environment as a map.
func MapLookup(m map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		v, ok := m[name]
		return v, ok
	}
}

func (f *Inputs) lookup(name string) (string, bool) {
	if f.Lookup == nil {
		return "", false
	}
	return f.Lookup(name)
}

func (f *Inputs) hasArg(name string) bool {
	return slices.ContainsFunc(f.Args, func(a string) bool {
		return a == name || len(a) > len(name) && a[len(name)] == '=' && a[:len(name)] == name
	})
}
