package config

import (
	"fmt"
	"slices"
	"strings"
)

// ValidName reports whether s is a valid environment name: a lower-case
// letter, then lower-case letters and digits.
func ValidName(s string) bool {
	return s != "" && s[0] >= 'a' && s[0] <= 'z' && validInstance(s)
}

// IDForm words what an environment id looks like, for messages.
const IDForm = "NAME or NAME-INSTANCE: a lower-case letter, then lower-case letters and digits"

// validInstance reports whether s is a valid instance id: [a-z0-9]+.
func validInstance(s string) bool {
	if s == "" {
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
// sbx, 101). ok is false when id is neither NAME nor NAME-INSTANCE.
func SplitID(id string) (name, instance string, ok bool) {
	name, instance, dashed := strings.Cut(id, "-")
	if !ValidName(name) || dashed && !validInstance(instance) {
		return "", "", false
	}
	return name, instance, true
}

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
	var names []string
	for _, e := range cfg.Envs {
		if !slices.Contains(names, e.Name) {
			names = append(names, e.Name)
		}
	}
	return fmt.Sprintf("%s is not a declared environment; declared: %s", Quote(id), strings.Join(names, ", "))
}
