package config

import (
	"slices"
	"strings"

	"github.com/multienv/multienv/internal/text"
)

// The facts a rule's default may hold as placeholders, and their keys, for
// messages and suggestions.
var (
	templateFacts    = []Fact{FactPRNumber, FactBranch, FactTag, FactCommit}
	placeholderNames = []string{"pr_number", "branch", "tag", "commit"}
)

// Template is a rule's default that holds placeholders, such as
// sbx-pr{pr_number}: an environment name, then the instance's fixed text
// and facts, which are made into instance form.
type Template struct {
	// Env is the environment's name (sbx).
	Env string
	// Parts are the instance's fixed text and facts, in order.
	Parts []TemplatePart
	// Room is how many characters of the instance the facts may fill: 32
	// less the fixed text.
	Room int
}

// TemplatePart is fixed text, or (IsFact set) a fact.
type TemplatePart struct {
	Text   string
	Fact   Fact
	IsFact bool
}

// isTemplate reports whether a default holds a placeholder.
func isTemplate(s string) bool { return strings.ContainsAny(s, "{}") }

// parseTemplate reads a default with placeholders (isTemplate: a brace makes
// one, or a fault); it says what is wrong, after the quoted default, when it
// cannot give a valid id.
func parseTemplate(s string) (*Template, string) {
	name, instance, dashed := strings.Cut(s, "-")
	if !dashed || !validName(name) {
		return nil, "is not a template of an instance id: it must start with an environment that has instances and a dash (sbx-pr{pr_number})"
	}
	t := &Template{Env: name}
	fixed := 0
	for i := 0; i < len(instance); {
		kind, part, n := nextBrace(instance[i:], false)
		i += n
		switch kind {
		case strayBrace, unclosedBrace:
			return nil, braceFaults[kind]
		case fixedText:
			t.Parts = append(t.Parts, TemplatePart{Text: part})
			fixed += len(part)
		default:
			k := slices.Index(placeholderNames, part)
			if k < 0 {
				return nil, unknownPlaceholder(part, placeholderNames, "")
			}
			t.Parts = append(t.Parts, TemplatePart{Fact: templateFacts[k], IsFact: true})
		}
	}
	for _, p := range t.Parts {
		if !p.IsFact && !lowerAlnum(p.Text) {
			return nil, "has fixed text " + text.Quote(p.Text) + " that is not lower-case letters and digits, as an instance id must be"
		}
	}
	if fixed >= maxInstance {
		return nil, "leaves no room for its placeholders: an instance id has at most 32 characters"
	}
	t.Room = maxInstance - fixed
	return t, ""
}

// bracePart is what nextBrace reads of templates and string values, where
// {name} is a placeholder.
type bracePart uint8

const (
	fixedText     bracePart = iota // text without braces, or a literal brace
	placeholder                    // {name}: the part is the name
	strayBrace                     // a } that closes no placeholder
	unclosedBrace                  // a { never closed: the part is the rest
)

// braceFaults word the faults of brace syntax.
var braceFaults = [...]string{strayBrace: "has a } that closes no placeholder", unclosedBrace: "has a { that is never closed"}

// nextBrace reads the part that s starts with, and returns how many bytes
// of s it takes. When doubled, {{ and }} stand for a literal brace.
func nextBrace(s string, doubled bool) (bracePart, string, int) {
	i := strings.IndexAny(s, "{}")
	switch {
	case i < 0:
		return fixedText, s, len(s)
	case i > 0:
		return fixedText, s[:i], i
	case doubled && len(s) > 1 && s[1] == s[0]:
		return fixedText, s[:1], 2
	case s[0] == '}':
		return strayBrace, s[:1], 1
	}
	if end := strings.IndexByte(s, '}'); end >= 0 {
		return placeholder, s[1:end], end + 1
	}
	return unclosedBrace, s, len(s)
}

// unknownPlaceholder says that {name} is none of the known placeholders;
// more follows their list.
func unknownPlaceholder(name string, known []string, more string) string {
	msg := "has an unknown placeholder " + text.Quote("{"+name+"}") + "; known: {" + strings.Join(known, "}, {") + "}" + more
	if s := text.Closest(name, known); s != "" {
		msg += text.DidYouMean("{" + s + "}")
	}
	return msg
}
