package config

import (
	"errors"
	"strings"

	"github.com/multienv/multienv/internal/text"
)

// The kinds of id fault, for errors.Is.
const (
	// ErrInvalidName: an id is not NAME or NAME-INSTANCE in lower-case
	// letters and digits.
	ErrInvalidName = sentinel("invalid environment name")
	// ErrUnknownEnvironment: a well-formed id names no declared
	// environment, or an instance of one that has none.
	ErrUnknownEnvironment = sentinel("unknown environment")
)

// maxInstance is the longest instance id: with the schema's bound on
// environment names, an id stays short, and so does every message quoting one.
const maxInstance = 32

// idForm words what an environment id looks like, for messages. The name
// rule is the schema's pattern for environment names (a test holds
// validName to it).
const idForm = "NAME or NAME-INSTANCE: a lower-case letter, then lower-case letters and digits; an INSTANCE at most 32 characters"

// validName reports whether s is a valid environment name.
func validName(s string) bool { return s != "" && s[0] >= 'a' && s[0] <= 'z' && lowerAlnum(s) }

// validInstance reports whether s is a valid instance id.
func validInstance(s string) bool { return s != "" && len(s) <= maxInstance && lowerAlnum(s) }

// lowerAlnum reports whether s holds only a-z and 0-9.
func lowerAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// splitID splits an environment id into its name and instance (sbx-101:
// sbx, 101); ok is false when id is not of idForm.
func splitID(id string) (name, instance string, ok bool) {
	name, instance, dashed := strings.Cut(id, "-")
	if !validName(name) || dashed && !validInstance(instance) {
		return "", "", false
	}
	return name, instance, true
}

// idFault says why an id names no declared environment, the same way for
// the file's checks and the resolver: Error says what is wrong, after the
// quoted id, and errors.Is matches its kind (ErrInvalidName or
// ErrUnknownEnvironment).
type idFault struct {
	kind   error
	reason string
}

func (f *idFault) Error() string { return f.reason }
func (f *idFault) Unwrap() error { return f.kind }

// FindID is the one check of an environment id: it returns the index in
// c.Envs of the environment id names (index maps each name to it) and the
// instance (sbx-101: sbx, 101), or an error that matches ErrInvalidName or
// ErrUnknownEnvironment. It allocates nothing when the id is good.
func (c *Config) FindID(index map[string]int, id string) (env int, instance string, err error) {
	name, instance, ok := splitID(id)
	if !ok {
		return 0, "", &idFault{ErrInvalidName, "is not a valid environment id (" + idForm + ")"}
	}
	i, ok := index[name]
	switch {
	case !ok:
		return 0, "", &idFault{ErrUnknownEnvironment, "is not a declared environment"}
	case instance != "" && !c.Envs[i].Instances:
		return 0, "", &idFault{ErrUnknownEnvironment, "names an instance of " + text.Quote(name) + ", which has no instances"}
	}
	return i, instance, nil
}

// maxListed is how many environment names a message lists.
const maxListed = 12

// idIndex answers checkID's questions without a pass over the
// environments for each default, so that checking a file stays linear in
// its size however many rules and environments it declares.
type idIndex struct {
	envs          map[string]int // name -> the first environment of that name
	names         []string       // distinct names, in declared order
	withInstances []string       // the names of those that have instances
	list          string         // names, as messages list them
}

func newIDIndex(c *Config) *idIndex {
	ix := &idIndex{envs: make(map[string]int, len(c.Envs))}
	for i, e := range c.Envs {
		if _, seen := ix.envs[e.Name]; seen {
			continue
		}
		ix.envs[e.Name] = i
		ix.names = append(ix.names, e.Name)
		if e.Instances {
			ix.withInstances = append(ix.withInstances, e.Name)
		}
	}
	ix.list = text.List(ix.names, maxListed)
	return ix
}

// checkID explains why id does not name a declared environment or one of
// its instances, with the hint that ends the message; it returns "" when
// it does. Only environments that can take the id are suggested: one with
// instances when it names an instance, which the hint keeps.
func (ck *checker) checkID(cfg *Config, id string) (string, hint) {
	_, _, err := cfg.FindID(ck.ids.envs, id)
	if err == nil {
		return "", nil
	}
	msg := text.Quote(id) + " " + err.Error()
	name, instance, _ := strings.Cut(id, "-")
	if _, declared := ck.ids.envs[name]; !errors.Is(err, ErrUnknownEnvironment) || declared {
		return msg, nil
	}
	fit := ck.ids.names
	if instance != "" {
		fit = ck.ids.withInstances
	}
	return msg + "; declared: " + ck.ids.list, func(try bool) string {
		c := ""
		if try {
			c = text.Closest(name, fit)
		}
		if c != "" && instance != "" {
			c += "-" + instance
		}
		return text.DidYouMean(c)
	}
}
