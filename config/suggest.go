package config

import "github.com/multienv/multienv/internal/text"

// maxSuggestions bounds the hints one check computes: past them, a name is
// reported without one, so that a file of 50,000 wrong names costs no more
// than its size.
const maxSuggestions = 100

// suggester gives "did you mean" hints, at most maxSuggestions of them.
type suggester struct{ given int }

// hint returns "; did you mean "x"?" for the candidate closest to s, or "".
func (s *suggester) hint(name string, candidates []string) string {
	if s.given >= maxSuggestions {
		return ""
	}
	s.given++
	if c := text.Closest(name, candidates); c != "" {
		return "; did you mean " + text.Quote(c) + "?"
	}
	return ""
}
