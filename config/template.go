package config

import (
	"strings"

	"github.com/multienv/multienv/internal/text"
)

// templateFact returns the fact a rule's default may hold as the
// placeholder {key}.
func templateFact(key string) (Fact, bool) {
	switch key {
	case "pr_number":
		return FactPRNumber, true
	case "branch":
		return FactBranch, true
	case "tag":
		return FactTag, true
	case "commit":
		return FactCommit, true
	}
	return 0, false
}

// placeholderNames lists them, for messages and suggestions.
var placeholderNames = []string{"pr_number", "branch", "tag", "commit"}

// commitLength is how much of a commit SHA {commit} keeps.
const commitLength = 7

// Template is a rule's default that holds placeholders, such as
// sbx-pr{pr_number}: the environment name and the fixed part of the
// instance, then facts made into instance form.
type Template struct {
	// Env is the environment's name (sbx); the placeholders are all in
	// the instance.
	Env string
	// parts alternate fixed text and facts: a part with a fact has no text.
	parts []templatePart
}

type templatePart struct {
	text   string
	fact   Fact
	isFact bool
}

// IsTemplate reports whether a default holds a placeholder.
func IsTemplate(s string) bool { return strings.ContainsAny(s, "{}") }

// parseTemplate reads a default with placeholders; it says what is wrong,
// after the quoted default, when it cannot give a valid id.
func parseTemplate(s string) (*Template, string) {
	name, instance, dashed := strings.Cut(s, "-")
	if !dashed || !validName(name) {
		return nil, "is not a template of an instance id: it must start with an environment that has instances and a dash (sbx-pr{pr_number})"
	}
	t := &Template{Env: name}
	fixed := 0
	for rest := instance; rest != ""; {
		open := strings.IndexByte(rest, '{')
		if close := strings.IndexByte(rest, '}'); close >= 0 && (open < 0 || close < open) {
			return nil, "has a } that closes no placeholder"
		}
		if open < 0 {
			t.parts = append(t.parts, templatePart{text: rest})
			fixed += len(rest)
			break
		}
		if open > 0 {
			t.parts = append(t.parts, templatePart{text: rest[:open]})
			fixed += open
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return nil, "has a { that is never closed"
		}
		key := rest[open+1 : open+end]
		f, ok := templateFact(key)
		if !ok {
			msg := "has an unknown placeholder " + text.Quote("{"+key+"}") + "; known: {pr_number}, {branch}, {tag}, {commit}"
			if s := text.Closest(key, placeholderNames); s != "" {
				msg += "; did you mean " + text.Quote("{"+s+"}") + "?"
			}
			return nil, msg
		}
		t.parts = append(t.parts, templatePart{fact: f, isFact: true})
		rest = rest[open+end+1:]
	}
	for _, p := range t.parts {
		if !p.isFact && !lowerAlnum(p.text) {
			return nil, "has fixed text " + text.Quote(p.text) + " that is not lower-case letters and digits, as an instance id must be"
		}
	}
	if fixed >= maxInstance {
		return nil, "leaves no room for its placeholders: an instance id has at most 32 characters"
	}
	if len(t.parts) == 1 && !t.parts[0].isFact || fixed == len(instance) {
		return nil, "holds no placeholder"
	}
	return t, ""
}

// Fill makes the id: each fact in instance form (lower-cased, every
// character but a-z and 0-9 dropped, {commit} first cut to 7 characters),
// cut so that the instance has at most 32 characters. It returns false when
// a fact is empty, or empty once made into instance form: the rule then
// yields nothing.
func (t *Template) Fill(facts *Facts) (string, bool) {
	var b strings.Builder
	b.Grow(len(t.Env) + 1 + maxInstance)
	b.WriteString(t.Env)
	b.WriteByte('-')
	room := maxInstance
	for _, p := range t.parts {
		if !p.isFact {
			room -= len(p.text)
		}
	}
	for _, p := range t.parts {
		if !p.isFact {
			b.WriteString(p.text)
			continue
		}
		v := facts[p.fact]
		if p.fact == FactCommit && len(v) > commitLength {
			v = v[:commitLength]
		}
		found := false // a character of instance form, written or cut
		for i := 0; i < len(v); i++ {
			c := v[i]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
				found = true
				if room == 0 {
					break
				}
				b.WriteByte(c)
				room--
			}
		}
		if !found {
			return "", false
		}
	}
	return b.String(), true
}

// String gives the template back as written.
func (t *Template) String() string {
	var b strings.Builder
	b.WriteString(t.Env)
	b.WriteByte('-')
	for _, p := range t.parts {
		if p.isFact {
			b.WriteString("{" + p.fact.Key() + "}")
		} else {
			b.WriteString(p.text)
		}
	}
	return b.String()
}
