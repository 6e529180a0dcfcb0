package config

import (
	"errors"
	"strings"

	"github.com/multienv/multienv/internal/text"
)

// Compose is a fact made of several variables: a template such as
// ${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID},
// where each ${NAME} is the value of a variable and $$ is a literal $. It
// gives nothing when any variable it names is unset or empty: a URL with a
// part missing is no URL.
type Compose struct {
	text string
	// Parts are fixed text, or (Var set) a variable, in order.
	Parts []ComposePart
}

// ComposePart is fixed text, or (Var set) a variable.
type ComposePart struct {
	Text, Var string
}

// maxComposeVars bounds the variables one template names.
const maxComposeVars = 16

// ParseCompose reads a compose template; the error says what is wrong,
// after the quoted template.
func ParseCompose(s string) (*Compose, error) {
	c := &Compose{text: s}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			c.Parts = append(c.Parts, ComposePart{Text: lit.String()})
			lit.Reset()
		}
	}
	vars := 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] != '$':
			lit.WriteByte(s[i])
		case strings.HasPrefix(s[i+1:], "$"):
			lit.WriteByte('$')
			i++
		case !strings.HasPrefix(s[i+1:], "{"):
			return nil, errors.New("has a $ that starts no ${NAME} (write $$ for a literal $)")
		default:
			name, _, closed := strings.Cut(s[i+2:], "}")
			if !closed {
				return nil, errors.New("has a ${ that is never closed")
			}
			if !validVariable(name) {
				return nil, errors.New("names " + text.Quote(name) + ", which is no variable name (a letter or underscore, then letters, digits and underscores)")
			}
			flush()
			c.Parts = append(c.Parts, ComposePart{Var: name})
			vars++
			i += len(name) + 2
		}
	}
	flush()
	switch {
	case vars == 0:
		return nil, errors.New("names no variable: a fact that is always the same text is no fact (write ${NAME} for a variable)")
	case vars > maxComposeVars:
		return nil, errors.New("names more than 16 variables")
	}
	return c, nil
}

// mustCompose reads a template of the built-in catalog, which the tests
// check like any file's.
func mustCompose(s string) *Compose {
	c, err := ParseCompose(s)
	if err != nil {
		panic("catalog compose " + s + ": " + err.Error())
	}
	return c
}

// validVariable reports whether s is a variable name, as the schema has it.
func validVariable(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i, c := range []byte(s) {
		if c != '_' && !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z') && !(i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// String is the template as written.
func (c *Compose) String() string { return c.text }

// Vars are the variables the template names, in order.
func (c *Compose) Vars() []string {
	var out []string
	for _, p := range c.Parts {
		if p.Var != "" {
			out = append(out, p.Var)
		}
	}
	return out
}
