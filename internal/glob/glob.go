// Package glob matches the patterns of a multienv file: the branch and tag
// patterns of its rule conditions, and the patterns that pull a CI fact, such
// as a pull request's number or a repository's name, out of a ref or a URL.
// It keeps to the part of GitHub Actions' branch and tag filters that such
// patterns need, plus one capture. One engine does all of it: it matches
// without allocating, in time proportional to the pattern's length times the
// value's, whatever the input, and a compiled pattern holds nothing but its
// text.
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
	"errors"
	"fmt"
	"strings"
)

// maxLen is the longest pattern, in bytes: it bounds the tokens of a
// pattern, so that a match keeps its state in fixed arrays on the stack.
const maxLen = 256

var (
	errEmpty     = errors.New("is empty")
	errLong      = fmt.Errorf("is longer than %d characters", maxLen)
	errBackslash = errors.New(`ends with a lone \`)
	errCapture   = errors.New("has a capture; a capture is allowed only in a fact's pattern")
	errNoCapture = errors.New("has no capture; a fact's pattern takes one, {} or {**}")
)

// kind is what a token of a pattern matches.
type kind uint8

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

// Pattern is a compiled pattern: its text, checked. Its zero value matches
// nothing. A Pattern never changes once compiled: it is safe for concurrent
// use, and it costs no memory beyond its text.
type Pattern struct {
	src string
}

// Compile compiles a pattern of a rule condition. It fails on an empty
// pattern, one longer than 256 bytes, one that ends with a lone \ and one
// with a capture. An error's text reads after the quoted pattern, as in
// `"a\\" ends with a lone \`.
func Compile(s string) (Pattern, error) {
	var toks [maxLen]token
	_, caps, err := parse(s, &toks)
	if err != nil {
		return Pattern{}, err
	}
	if caps > 0 {
		return Pattern{}, errCapture
	}
	return Pattern{s}, nil
}

// CompileCapture compiles a fact's pattern: as Compile, but the pattern must
// have exactly one capture, {} or {**}.
func CompileCapture(s string) (Pattern, error) {
	var toks [maxLen]token
	_, caps, err := parse(s, &toks)
	if err != nil {
		return Pattern{}, err
	}
	switch caps {
	case 0:
		return Pattern{}, errNoCapture
	case 1:
		return Pattern{s}, nil
	case 2:
		return Pattern{}, errors.New("has two captures; a pattern takes one")
	}
	return Pattern{}, fmt.Errorf("has %d captures; a pattern takes one", caps)
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
// v that its capture matched: a substring of v, not a copy. Of several
// possible captures, it returns the one that starts leftmost, and of those
// the longest. It returns "", false when the pattern does not match, and for
// a pattern without capture. It allocates nothing.
func (p Pattern) Capture(v string) (string, bool) {
	s, e := p.run(v)
	if s < 0 || e < 0 {
		return "", false
	}
	return v[s:e], true
}

// parse reads a pattern into toks and returns how many tokens and
// captures it has. A run of stars is one token: no two stars are ever
// adjacent.
func parse(s string, toks *[maxLen]token) (int, int, error) {
	if s == "" {
		return 0, 0, errEmpty
	}
	if len(s) > maxLen {
		return 0, 0, errLong
	}
	n, caps := 0, 0
	for i := 0; i < len(s); n++ {
		switch c := s[i]; {
		case c == '\\':
			if i+1 == len(s) {
				return 0, 0, errBackslash
			}
			toks[n] = token{lit, s[i+1]}
			i += 2
		case c == '*':
			j := i + 1
			for j < len(s) && s[j] == '*' {
				j++
			}
			toks[n] = token{kind: star}
			if j-i > 1 {
				toks[n].kind = dstar
			}
			i = j
		case strings.HasPrefix(s[i:], "{}"):
			toks[n] = token{kind: capOne}
			caps++
			i += 2
		case strings.HasPrefix(s[i:], "{**}"):
			toks[n] = token{kind: capAny}
			caps++
			i += 4
		default:
			toks[n] = token{lit, c}
			i++
		}
	}
	return n, caps, nil
}

// span is what a run of the machine carries to a state: where the capture
// starts and ends, -1 while unknown. A state with s == dead holds no run.
type span struct{ s, e int32 }

const dead = -2

// better reports whether a beats b: b holds no run, or a's capture starts
// earlier, or as early and ends later.
func better(a, b span) bool {
	return b.s == dead || a.s < b.s || a.s == b.s && a.e > b.e
}

func keep(dst *span, a span) {
	if a.s != dead && better(a, *dst) {
		*dst = a
	}
}

// run matches the pattern against all of v. It returns -1, -1 when it does
// not match; else where the capture starts and ends, or 0, -1 for a
// pattern without capture.
//
// The value's bytes that the pattern's literal prefix and suffix name are
// compared first; the rest goes through one machine: state i has matched
// the first i tokens of the middle, and state n all of them. Each state
// keeps only the best span of the runs that reach it (the least start, then
// the greatest end): whatever the past, runs in one state have the same
// futures, so the best span there is the best overall. A capture is two
// states, before it (k) and inside it (in); a star's state also holds the
// next one, since the star may match nothing.
func (p Pattern) run(v string) (int, int) {
	var toks [maxLen]token
	n, caps, err := parse(p.src, &toks)
	if err != nil || v == "" {
		return -1, -1
	}
	lo, hi := 0, n // the tokens of the middle
	for lo < hi && toks[lo].kind == lit {
		lo++
	}
	for hi > lo && toks[hi-1].kind == lit {
		hi--
	}
	if len(v) < lo+n-hi {
		return -1, -1
	}
	for i := range lo {
		if v[i] != toks[i].c {
			return -1, -1
		}
	}
	for i := hi; i < n; i++ {
		if v[len(v)-(n-i)] != toks[i].c {
			return -1, -1
		}
	}
	mid, t := v[lo:len(v)-(n-hi)], toks[lo:hi]
	// Short patterns, the usual, keep their states in a small array.
	var s, e int
	if len(t) < 16 {
		var st [16]span
		s, e = exec(t, mid, st[:len(t)+1])
	} else {
		var st [maxLen + 1]span
		s, e = exec(t, mid, st[:len(t)+1])
	}
	switch {
	case s == dead:
		return -1, -1
	case caps == 0:
		return 0, -1
	}
	return lo + s, lo + e
}

// exec runs the machine of the tokens t over v, with st for the states,
// and returns the span of the final state: dead when it holds no run. One
// pass a byte, going up, reads each state's old span and its new one below
// it: a literal moves a run up by one, a star keeps it, and an empty match
// (a star, or the end of the capture) moves a new run up.
func exec(t []token, v string, st []span) (int, int) {
	n, k := len(t), -1 // k: the capture's token
	for i := range t {
		if t[i].kind >= capOne {
			k = i
		}
	}
	none := span{dead, -1}
	st[0] = span{-1, -1}
	for j := 1; j <= n; j++ {
		st[j] = none
		if t[j-1].kind == star || t[j-1].kind == dstar {
			keep(&st[j], st[j-1])
		}
	}
	in := none // inside the capture
	for at := 0; at < len(v); at++ {
		c := v[at]
		if k >= 0 && (c != '/' || t[k].kind == capAny) {
			if st[k].s != dead { // the capture starts with c
				keep(&in, span{int32(at), -1})
			}
		} else {
			in = none
		}
		alive := in.s != dead
		oldBelow, newBelow := none, none
		for j := 0; j <= n; j++ {
			old, x := st[j], none
			if j < n && old.s != dead && (t[j].kind == dstar || t[j].kind == star && c != '/') {
				x = old
			}
			if j > 0 {
				switch tk := t[j-1]; {
				case tk.kind == lit:
					if tk.c == c && oldBelow.s != dead {
						keep(&x, oldBelow)
					}
				case tk.kind == star || tk.kind == dstar:
					if newBelow.s != dead {
						keep(&x, newBelow)
					}
				case in.s != dead: // j == k+1: the capture may end here
					keep(&x, span{in.s, int32(at + 1)})
				}
			}
			st[j], oldBelow, newBelow = x, old, x
			alive = alive || x.s != dead
		}
		if !alive {
			return dead, 0
		}
	}
	return int(st[n].s), int(st[n].e)
}
