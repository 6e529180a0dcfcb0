// Package glob matches the patterns of a multienv file: the branch and tag
// patterns of its rule conditions, and the patterns that pull a CI fact (a
// pull request's number, a repository's name) out of a ref or a URL. It
// keeps to the part of GitHub Actions' branch and tag filters they need,
// plus one capture. One engine matches them all, without allocating, in time
// proportional to the pattern's length times the value's.
//
// In a pattern, * matches any run of characters without a slash, possibly
// empty, ** matches any run of characters, and \ followed by any character
// matches that character; every other character, ?, [, ], +, ! and { } among
// them, matches itself. A run of three or more stars is a **. A pattern
// matches the whole value, and an empty value matches no pattern, not even *
// or **. Unlike GitHub's path filters, **/ does not match an empty run of
// directories: **/x does not match x.
//
// A fact's pattern also has exactly one capture: {} captures a run of one or
// more characters without a slash, {**} a run of one or more characters of any
// kind. A { or } that is not part of {} or {**} is literal; \{} is a literal
// {}. When a value can be captured in several ways, the capture that starts
// leftmost wins, and of those the longest: {}* captures all of "abc", *{}
// too, and {**}/** captures "a/b" from "a/b/c".
package glob

import (
	"fmt"
	"slices"
	"strings"
)

// The bounds keep a match's state in fixed arrays on the stack.
const (
	maxLen   = 256                // the longest pattern, in bytes
	MaxValue = 4096               // the longest value a pattern of two wildcards or more matches, in bytes
	maxWords = (maxLen + 64) / 64 // the words of a set of states
)

// The faults of a pattern.
const (
	errEmpty     = fault("is empty")
	errLong      = fault("is longer than 256 characters") // maxLen
	errBackslash = fault(`ends with a lone \`)
	errCapture   = fault("has a capture; a capture is allowed only in a fact's pattern")
	errNoCapture = fault("has no capture; a fact's pattern takes one, {} or {**}")
	errTwo       = fault("has two captures; a pattern takes one")
)

type fault string // an error of a pattern

func (f fault) Error() string { return string(f) }

type kind uint8 // what a token of a pattern matches

const (
	lit    kind = iota // the byte c
	star               // *: a run without '/'
	dstar              // **: any run
	capOne             // {}: a run of one or more bytes without '/'
	capAny             // {**}: a run of one or more bytes
)

type token struct {
	kind kind
	c    byte
}

// Pattern is a compiled pattern. Its zero value matches nothing. It is safe
// for concurrent use.
type Pattern struct {
	src  string
	toks []token
}

// Compile compiles a pattern of a rule condition. It fails on an empty
// pattern, one longer than 256 bytes, one that ends with a lone \ and one
// with a capture. An error's text reads after the quoted pattern, as in
// `"a\\" ends with a lone \`.
func Compile(s string) (Pattern, error) { return compile(s, false) }

// CompileCapture compiles a fact's pattern: as Compile, but the pattern must
// have exactly one capture, {} or {**}.
func CompileCapture(s string) (Pattern, error) { return compile(s, true) }

// compile reads s into a Pattern, with one capture or none. A run of stars
// is one token, so no two stars are adjacent.
func compile(s string, capture bool) (Pattern, error) {
	if len(s) > maxLen {
		return Pattern{}, errLong
	}
	var toks [maxLen]token
	n, caps := 0, 0
	for i := 0; i < len(s); n++ {
		t, size := token{lit, s[i]}, 1
		switch rest := s[i:]; {
		case rest == `\`:
			return Pattern{}, errBackslash
		case rest[0] == '\\':
			t.c, size = rest[1], 2
		case rest[0] == '*':
			size = len(rest) - len(strings.TrimLeft(rest, "*"))
			t.kind = star + kind(min(size, 2)-1)
		case strings.HasPrefix(rest, "{}"):
			t.kind, size, caps = capOne, 2, caps+1
		case strings.HasPrefix(rest, "{**}"):
			t.kind, size, caps = capAny, 4, caps+1
		}
		toks[n], i = t, i+size
	}
	switch {
	case s == "":
		return Pattern{}, errEmpty
	case !capture && caps > 0:
		return Pattern{}, errCapture
	case capture && caps == 0:
		return Pattern{}, errNoCapture
	case caps == 2:
		return Pattern{}, errTwo
	case caps > 2:
		return Pattern{}, fmt.Errorf("has %d captures; a pattern takes one", caps)
	}
	return Pattern{src: s, toks: append(make([]token, 0, n), toks[:n]...)}, nil
}

// String returns the pattern as it was written.
func (p Pattern) String() string { return p.src }

// Match reports whether the pattern matches all of v. For a fact's pattern,
// it reports whether Capture would succeed. It allocates nothing.
func (p Pattern) Match(v string) bool {
	s, _ := p.run(v)
	return s >= 0
}

// Capture matches a fact's pattern against all of v and returns the part of
// v, not a copy, that its capture matched: the leftmost, and of those the
// longest. It returns "", false when the pattern does not match, and for a
// pattern without capture. It allocates nothing.
func (p Pattern) Capture(v string) (string, bool) {
	s, e := p.run(v)
	if e < 0 {
		return "", false
	}
	return v[s:e], true
}

// run matches the pattern against all of v: -1, -1 when it does not match,
// else where the capture starts and ends, or 0, -1 for a pattern without.
func (p Pattern) run(v string) (int, int) {
	t := p.toks
	if len(t) == 0 || v == "" {
		return -1, -1
	}
	lo, hi := 0, len(t) // the tokens of the middle, past the literal prefix and suffix
	for ; lo < hi && t[lo].kind == lit; lo++ {
		if lo == len(v) || v[lo] != t[lo].c {
			return -1, -1
		}
	}
	for ; hi > lo && t[hi-1].kind == lit; hi-- {
		if j := len(v) - len(t) + hi - 1; j < lo || v[j] != t[hi-1].c {
			return -1, -1
		}
	}
	s, e := middle(v[lo:len(v)-len(t)+hi], t[lo:hi])
	if e >= 0 {
		s, e = lo+s, lo+e
	}
	return s, e
}

// middle matches mid, the value between the literal prefix and suffix,
// against t, the tokens between them, as run does. Past one token, t starts
// and ends with a star or capture: its literals take at most len(t)+1
// classes, of one word each below 63 tokens, so a small array holds them.
func middle(mid string, t []token) (int, int) {
	switch {
	case len(t) == 0 && mid != "", len(t) == 1 && t[0].kind >= capOne && mid == "",
		len(t) == 1 && (t[0].kind == star || t[0].kind == capOne) && strings.IndexByte(mid, '/') >= 0,
		len(t) > 1 && len(mid) > MaxValue: // one wildcard takes no state, so no bound (refs/heads/{**})
		return -1, -1
	case len(t) == 1 && t[0].kind >= capOne:
		return 0, len(mid)
	case len(t) <= 1:
		return 0, -1
	case len(t) < 63:
		var buf [64]uint64
		return scan(mid, t, buf[:])
	}
	var buf [(maxLen + 2) * maxWords]uint64
	return scan(mid, t, buf[:])
}

// scan matches mid against t with machines of the tokens before the capture
// (a, all of t without one) and after it (b), their masks in buf: a marks
// each start s where it matches mid[:s], b each end e where it matches
// mid[e:]; the least start with an end past it (in its slash-free run for
// {}) and its greatest end are the capture's. A failed start fails its run.
func scan(mid string, t []token, buf []uint64) (int, int) {
	k := slices.IndexFunc(t, func(t token) bool { return t.kind >= capOne }) // the capture
	if k < 0 {
		if a, _ := build(t, false, buf); a.walk(mid, false, nil) {
			return 0, -1
		}
		return -1, -1
	}
	a, buf := build(t[:k], false, buf)
	b, _ := build(t[k+1:], true, buf)
	var starts, ends [MaxValue/64 + 1]uint64 // bit p: position p of mid
	a.walk(mid, false, &starts)
	b.walk(mid, true, &ends)
	tried := 0 // the end of the run of the last start tried
	for s := range len(mid) {
		if s < tried || starts[s/64]&(1<<(s%64)) == 0 {
			continue
		}
		tried = len(mid)
		if j := strings.IndexByte(mid[s:], '/'); j >= 0 && t[k].kind == capOne {
			tried = s + j
		}
		for e := tried; e > s; e-- {
			if ends[e/64]&(1<<(e%64)) != 0 {
				return s, e
			}
		}
	}
	return -1, -1
}

// machine is the automaton of tokens without capture: state i, bit i%64 of
// word i/64, has matched the first i tokens.
type machine struct {
	n, w  int
	class [256]uint8          // the class of each byte: 0, no literal names it
	adv   []uint64            // w words per class: the states whose literal is of the class
	stay  [2][maxWords]uint64 // the states that stay on a byte but '/' (those of * and **), and on '/'
}

// build makes the machine of toks, reversed when backward, with its masks in
// buf, and returns it with what is left of buf.
func build(toks []token, backward bool, buf []uint64) (machine, []uint64) {
	m := machine{n: len(toks), w: len(toks)/64 + 1}
	classes := 1
	for i := range toks {
		t := toks[i]
		if backward {
			t = toks[len(toks)-1-i]
		}
		w, bit := i/64, uint64(1)<<(i%64)
		switch {
		case t.kind == dstar:
			m.stay[1][w] |= bit
			fallthrough
		case t.kind == star:
			m.stay[0][w] |= bit
		case m.class[t.c] == 0:
			m.class[t.c], classes = uint8(classes), classes+1
			fallthrough
		default:
			buf[int(m.class[t.c])*m.w+w] |= bit
		}
	}
	m.adv = buf[: classes*m.w : classes*m.w]
	return m, buf[classes*m.w:]
}

// walk runs the machine over v, forward or backward; it marks, unless marks
// is nil, each p where it matched v[:p] (v[p:] backward), and reports
// whether it matched all of v.
func (m *machine) walk(v string, backward bool, marks *[MaxValue/64 + 1]uint64) bool {
	s := [maxWords]uint64{1}
	for i := 0; ; i++ {
		// The state after each star's: no two stars are adjacent.
		var carry, live uint64
		for k := range m.w {
			e := s[k] & m.stay[0][k]
			s[k] |= e<<1 | carry
			carry, live = e>>63, live|s[k]
		}
		p, next, done := i, i, s[m.n/64]&(1<<(m.n%64)) != 0 // a position, the byte after it
		if backward {
			p, next = len(v)-i, len(v)-1-i
		}
		if done && marks != nil {
			marks[p/64] |= 1 << (p % 64)
		}
		if live == 0 || i == len(v) {
			return done
		}
		// A literal's state moves to the next, a star's stays.
		adv, stay := m.adv[int(m.class[v[next]])*m.w:], &m.stay[0]
		if v[next] == '/' {
			stay = &m.stay[1]
		}
		carry = 0
		for k := range m.w {
			moved := s[k] & adv[k]
			s[k], carry = moved<<1|carry|s[k]&stay[k], moved>>63
		}
	}
}
