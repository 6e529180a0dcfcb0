package config

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/multienv/multienv/internal/position"
	"github.com/multienv/multienv/internal/text"
)

// collector gathers the problems and warnings of one file, and what the
// schema pass found wrong.
type collector struct {
	name     string
	data     []byte
	problems []Problem
	warnings []Problem
	// ix places problems at line and column; built on the first problem.
	ix position.Index
	// settled holds the pointers the schema pass found wrong. The later
	// passes still run, so that every problem is found at once, but say
	// nothing at or under those pointers: the schema already did.
	settled map[string]bool
	// incomplete holds the tables in which the schema found a key unknown,
	// missing, of the wrong type or empty: what such a table seems to lack
	// (a rule that applies to nothing after a misspelt `groups`) follows
	// from that, so nothing is reported at the table itself.
	incomplete map[string]bool
	// route, when set, places a pointer of a merged configuration (merger.route).
	route func(ptr string) (*collector, string)
}

// flag records that the schema found ptr wrong; incomplete says whether the
// table holding it may seem to lack something for it, not only hold a bad value.
func (c *collector) flag(ptr string, incomplete bool) {
	if c.settled == nil {
		c.settled, c.incomplete = map[string]bool{}, map[string]bool{}
	}
	c.settled[ptr] = true
	if incomplete && ptr != "" {
		c.incomplete[ptr[:strings.LastIndexByte(ptr, '/')]] = true
	}
}

// schemaFound reports whether the schema pass found anything wrong.
func (c *collector) schemaFound() bool { return len(c.settled) > 0 }

// report records a problem at a JSON pointer; key says whether to point at
// the key rather than its value. Nothing is reported at or under a pointer
// the schema flagged, nor at the key of a table it found incomplete.
func (c *collector) report(ptr string, key bool, format string, args ...any) {
	if !c.isSettled(ptr) && !(key && c.incomplete[ptr]) {
		c.add(ptr, key, fmt.Sprintf(format, args...))
	}
}

// add records a problem whatever the schema found, as the schema pass does.
func (c *collector) add(ptr string, key bool, msg string) {
	c.problems = append(c.problems, c.problem(ptr, key, msg))
}

// hint is the end of a problem's message that may suggest what was meant:
// given try, it looks through what could be meant and returns a did-you-mean
// or what to say when there is none; else what to say without looking.
type hint func(try bool) string

// reportHinted is report, the message ended by h. Only the first
// text.MaxHints problems with a hint, in the order they are printed, look
// (see failed), so that a file of many wrong names costs no more than its
// size, and the hints are those of the problems shown first.
func (c *collector) reportHinted(h hint, ptr string, key bool, format string, args ...any) {
	n := len(c.problems)
	c.report(ptr, key, format, args...)
	if len(c.problems) > n {
		c.problems[n].hint = h
	}
}

// didYouMean is the hint that suggests the candidate closest to s.
func didYouMean(s string, candidates []string) hint {
	return func(try bool) string {
		if !try {
			return ""
		}
		return text.DidYouMean(text.Closest(s, candidates))
	}
}

// unlessSettled reports a problem when the schema found none: what later
// passes find may follow from the schema's problems, and a file still being
// written would get a line for every section not yet there.
func (c *collector) unlessSettled(ptr string, key bool, format string, args ...any) {
	if !c.schemaFound() {
		c.report(ptr, key, format, args...)
	}
}

// isSettled reports whether the schema pass found ptr, or a parent, wrong.
func (c *collector) isSettled(ptr string) bool {
	for len(c.settled) > 0 {
		if c.settled[ptr] {
			return true
		}
		if ptr == "" {
			return false
		}
		ptr = ptr[:strings.LastIndexByte(ptr, '/')]
	}
	return false
}

// flaggedUnder reports whether the schema flagged what declares the names
// of section: the section itself, one of its entries, an entry's name, or
// a top-level key that looks like the section misspelt.
func (c *collector) flaggedUnder(section string) bool {
	for ptr := range c.settled {
		rest, ok := strings.CutPrefix(ptr, section)
		switch {
		case ok && (rest == "" || rest[0] == '/'):
			parts := strings.Split(strings.TrimPrefix(rest, "/"), "/")
			if len(parts) == 1 || len(parts) == 2 && parts[1] == "name" {
				return true
			}
		case strings.Count(ptr, "/") == 1 && text.Closest(ptr[1:], []string{section[1:]}) != "":
			return true
		}
	}
	return false
}

func (c *collector) warn(ptr string, key bool, format string, args ...any) {
	c.warnings = append(c.warnings, c.problem(ptr, key, fmt.Sprintf(format, args...)))
}

func (c *collector) problem(ptr string, key bool, msg string) Problem {
	if c.route != nil {
		o, p := c.route(ptr)
		return o.problem(p, key, msg)
	}
	if c.ix == nil {
		c.ix = position.Build(c.data)
	}
	at := c.ix.Find(ptr, key)
	if at.Line == 0 || at.Col == 0 {
		at = position.Position{Line: 1, Col: 1} // the root table, which starts the file
	}
	return Problem{File: c.name, Line: at.Line, Col: at.Col, Path: displayPath(ptr), Message: msg}
}

// displayPath turns /envs/0/name into envs[0].name, a key that is not bare
// quoted, escaped and whole.
func displayPath(ptr string) string {
	if ptr == "" {
		return ""
	}
	var b strings.Builder
	for _, seg := range strings.Split(ptr[1:], "/") {
		seg = position.UnescapeSegment(seg)
		if seg != "" && strings.Trim(seg, "0123456789") == "" {
			b.WriteString("[" + seg + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		if seg != "" && !strings.ContainsFunc(seg, notBare) {
			b.WriteString(seg)
		} else {
			b.WriteString(strconv.Quote(seg)) // whole: JSON prints the path as it is, text cuts the line
		}
	}
	return b.String()
}

// notBare reports whether r may not stand in a bare TOML key.
func notBare(r rune) bool { return r >= 0x80 || !isBareKeyByte(byte(r)) }

// failed returns the problems, sorted, as an *Error, or nil.
func (c *collector) failed() error {
	if len(c.problems) == 0 {
		return nil
	}
	sortProblems(c.problems)
	tries := 0
	for i := range c.problems {
		if h := c.problems[i].hint; h != nil {
			c.problems[i].Message += h(tries < text.MaxHints)
			c.problems[i].hint = nil
			tries++
		}
	}
	return &Error{Problems: c.problems}
}

// unique records in seen that entry i of section is called name, or
// reports it a duplicate.
func (c *collector) unique(seen map[string]int, section, what string, i int, name string) {
	if j, dup := seen[name]; dup {
		c.duplicate(section, what, i, name, j)
		return
	}
	seen[name] = i
}

// duplicate reports that entry i of section, of whats (environment),
// repeats the name of entry first.
func (c *collector) duplicate(section, what string, i int, name string, first int) {
	c.report(fmt.Sprintf("/%s/%d/name", section, i), false, "duplicate %s name %q (first declared as %s[%d])", what, name, section, first)
}
