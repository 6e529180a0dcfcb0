package config

import (
	"fmt"
	"strings"

	"github.com/multienv/multienv/internal/text"
)

// maxIDPart is the longest environment name, and the longest instance id,
// an environment id may hold: an id is at most 65 characters, which keeps
// every message that quotes one bounded.
const maxIDPart = 32

// ValidName reports whether s is a valid environment name: a lower-case
// letter, then lower-case letters and digits, at most 32 characters.
func ValidName(s string) bool {
	return s != "" && s[0] >= 'a' && s[0] <= 'z' && validInstance(s)
}

// IDForm words what an environment id looks like, for messages.
const IDForm = "NAME or NAME-INSTANCE: a lower-case letter, then lower-case letters and digits; each part at most 32 characters"

// validInstance reports whether s is a valid instance id: [a-z0-9]+, at
// most maxIDPart characters.
func validInstance(s string) bool {
	if s == "" || len(s) > maxIDPart {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// SplitID splits an environment id into its name and instance (sbx-101:
// sbx, 101). ok is false when id is neither NAME nor NAME-INSTANCE, or
// either part is longer than 32 characters.
func SplitID(id string) (name, instance string, ok bool) {
	name, instance, dashed := strings.Cut(id, "-")
	if !ValidName(name) || dashed && !validInstance(instance) {
		return "", "", false
	}
	return name, instance, true
}

// maxListed is how many environment names a message lists.
const maxListed = 12

// checkID explains why id does not name a declared environment or one of
// its instances; it returns "" when it does.
func checkID(cfg *Config, id string) string {
	name, instance, ok := SplitID(id)
	if !ok {
		return fmt.Sprintf("%s is not a valid environment id (%s)", Quote(id), IDForm)
	}
	for _, e := range cfg.Envs {
		if e.Name == name {
			if instance != "" && !e.Instances {
				return fmt.Sprintf("%s names an instance of %q, which has no instances", Quote(id), name)
			}
			return ""
		}
	}
	// Only environments that can take the id are suggested: one with
	// instances when it names an instance.
	var names, fit []string
	seen := make(map[string]bool, len(cfg.Envs))
	for _, e := range cfg.Envs {
		if seen[e.Name] {
			continue
		}
		seen[e.Name] = true
		names = append(names, e.Name)
		if instance == "" || e.Instances {
			fit = append(fit, e.Name)
		}
	}
	msg := fmt.Sprintf("%s is not a declared environment; declared: %s", Quote(id), listed(names))
	if s := Closest(name, fit); s != "" {
		if instance != "" {
			s += "-" + instance
		}
		msg += "; did you mean " + Quote(s) + "?"
	}
	return msg
}

// listed joins names, the first maxListed of them, escaped, so that a
// message stays one short line however many a file declares.
func listed(names []string) string {
	shown := names[:min(len(names), maxListed)]
	out := make([]string, len(shown))
	for i, n := range shown {
		out[i] = text.Escape(n)
	}
	if len(names) > maxListed {
		return fmt.Sprintf("%s and %d more", strings.Join(out, ", "), len(names)-maxListed)
	}
	return strings.Join(out, ", ")
}
