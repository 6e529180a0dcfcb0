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

// The faults of a pattern: constants, which cost nothing at start-up.
const (
	errEmpty     = fault("is empty")
	errLong      = fault("is longer than 256 characters") // maxLen
	errBackslash = fault(`ends with a lone \`)
	errCapture   = fault("has a capture; a capture is allowed only in a fact's pattern")
	errNoCapture = fault("has no capture; a fact's pattern takes one, {} or {**}")
)

// fault is an error of a pattern.
type fault string

func (f fault) Error() string { return string(f) }

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

// Pattern is a compiled pattern: its text and its tokens, two bytes each,
// so that it costs memory in proportion to its length. Its zero value
// matches nothing. A Pattern never changes once compiled: it is safe for
// concurrent use.
type Pattern struct {
	src  string
	toks []token
	caps int
}

// compile parses s into a Pattern.
func compile(s string) (Pattern, error) {
	var toks [maxLen]token
	n, caps, err := parse(s, &toks)
	if err != nil {
		return Pattern{}, err
	}
	p := Pattern{src: s, toks: make([]token, n), caps: caps}
	copy(p.toks, toks[:n])
	return p, nil
}

// Compile compiles a pattern of a rule condition. It fails on an empty
// pattern, one longer than 256 bytes, one that ends with a lone \ and one
// with a capture. An error's text reads after the quoted pattern, as in
// `"a\\" ends with a lone \`.
func Compile(s string) (Pattern, error) {
	p, err := compile(s)
	if err == nil && p.caps > 0 {
		return Pattern{}, errCapture
	}
	return p, err
}

// CompileCapture compiles a fact's pattern: as Compile, but the pattern must
// have exactly one capture, {} or {**}.
func CompileCapture(s string) (Pattern, error) {
	p, err := compile(s)
	if err != nil {
		return Pattern{}, err
	}
	switch caps := p.caps; caps {
	case 0:
		return Pattern{}, errNoCapture
	case 1:
		return p, nil
	case 2:
		return Pattern{}, errors.New("has two captures; a pattern takes one")
	}
	return Pattern{}, fmt.Errorf("has %d captures; a pattern takes one", p.caps)
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

// run matches the pattern against all of v. It returns -1, -1 when it does
// not match; else where the capture starts and ends, or 0, -1 for a
// pattern without capture.
//
// The value's bytes that the pattern's literal prefix and suffix name are
// compared first; the middle goes through automata of the tokens before
// the capture (a) and after it (b), each a set of states in a few words,
// stepped a byte at a time with shifts and masks. Without capture, a is
// all the middle. With one, a backward run of b marks every end e for
// which b matches mid[e:], and a forward run of a finds the least start s
// for which a matches mid[:s] and a marked end lies past s, within the
// same slash-free run for {}: the greatest such end is the capture's.
func (p Pattern) run(v string) (int, int) {
	toks, n, caps := p.toks, len(p.toks), p.caps
	if n == 0 || v == "" || len(v) > MaxValue {
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
	if len(t) <= 1 { // all literal, or a prefix and a suffix around one star or capture
		switch {
		case len(t) == 0 && mid != "", caps == 1 && mid == "",
			len(t) == 1 && t[0].kind != dstar && t[0].kind != capAny && strings.IndexByte(mid, '/') >= 0:
			return -1, -1
		case caps == 1:
			return lo, lo + len(mid)
		}
		return 0, -1
	}
	// The masks of the automata, in a small array for the usual patterns:
	// the middle starts and ends with a star or capture, so its literals
	// take at most len(t)-1 classes, each of one word up to 63 tokens.
	var s, e int
	if len(t) < 63 {
		var buf [64]uint64
		s, e = scan(mid, t, caps, buf[:])
	} else {
		var buf [(maxLen + 2) * maxWords]uint64
		s, e = scan(mid, t, caps, buf[:])
	}
	if s >= 0 && e >= 0 {
		s, e = lo+s, lo+e
	}
	return s, e
}

// scan matches the middle of a value against the tokens t of the middle
// of a pattern with caps captures, with buf for the automata's masks, and
// returns as run does, relative to mid.
func scan(mid string, t []token, caps int, buf []uint64) (int, int) {
	k := len(t) // the capture's token
	for i := range t {
		if t[i].kind >= capOne {
			k = i
		}
	}
	a, buf := build(t[:k], false, buf)
	if caps == 0 {
		whole := false
		a.walk(mid, false, func(p int) { whole = p == len(mid) })
		if whole {
			return 0, -1
		}
		return -1, -1
	}
	b, _ := build(t[k+1:], true, buf)
	var ends [MaxValue/64 + 1]uint64 // bit e: b matches mid[e:]
	b.walk(mid, true, func(e int) { ends[e/64] |= 1 << (e % 64) })
	slashes := t[k].kind == capAny
	s, e := -1, -1
	tried := -1 // the end of the run of the last start tried
	a.walk(mid, false, func(at int) {
		if s >= 0 || at == len(mid) || at < tried || !slashes && mid[at] == '/' {
			return
		}
		end := len(mid) // where the capture's run ends
		if !slashes {
			if j := strings.IndexByte(mid[at:], '/'); j >= 0 {
				end = at + j
			}
		}
		tried = end
		for x := end; x > at; x-- {
			if ends[x/64]&(1<<(x%64)) != 0 {
				s, e = at, x
				return
			}
		}
	})
	return s, e
}

// MaxValue is the longest value a pattern matches, in bytes: a capture
// marks the ends of a value in a fixed array.
const MaxValue = 4096

const maxWords = (maxLen + 64) / 64 // the words of a set of states

// machine is the automaton of a run of tokens without capture: state i
// has matched the first i tokens, and is bit i%64 of word i/64.
type machine struct {
	n, w  int
	class [256]uint8       // the class of each byte: 0, no literal names it
	adv   []uint64         // w words per class: the states whose literal is of the class
	star  [maxWords]uint64 // the states of a *, which reads any byte but '/'
	dstar [maxWords]uint64 // the states of a **, which reads any byte
}

// build makes the machine of toks, in reverse order when backward, with
// its masks in buf, and returns it with what is left of buf.
func build(toks []token, backward bool, buf []uint64) (machine, []uint64) {
	m := machine{n: len(toks), w: len(toks)/64 + 1}
	classes := 1
	for i := range toks {
		t := toks[i]
		if backward {
			t = toks[len(toks)-1-i]
		}
		w, bit := i/64, uint64(1)<<(i%64)
		switch t.kind {
		case star:
			m.star[w] |= bit
		case dstar:
			m.dstar[w] |= bit
		default:
			if m.class[t.c] == 0 {
				m.class[t.c] = uint8(classes)
				classes++
			}
			buf[int(m.class[t.c])*m.w+w] |= bit
		}
	}
	m.adv = buf[: classes*m.w : classes*m.w]
	return m, buf[classes*m.w:]
}

// close adds to s the states an empty match reaches: the one after each
// star. No two stars are adjacent, so one step is enough.
func (m *machine) close(s *[maxWords]uint64) bool {
	var carry, live uint64
	for k := range m.w {
		e := s[k] & (m.star[k] | m.dstar[k])
		s[k] |= e<<1 | carry
		carry = e >> 63
		live |= s[k]
	}
	return live != 0
}

// step moves s by the byte c, and reports whether any state is left: a
// literal's state moves to the next, a star's stays.
func (m *machine) step(s *[maxWords]uint64, c byte) bool {
	adv := m.adv[int(m.class[c])*m.w:]
	var carry uint64
	for k := range m.w {
		x := s[k]
		moved := x & adv[k]
		y := moved<<1 | carry | x&m.dstar[k]
		if c != '/' {
			y |= x & m.star[k]
		}
		carry = moved >> 63
		s[k] = y
	}
	return m.close(s)
}

func (m *machine) accepts(s *[maxWords]uint64) bool { return s[m.n/64]&(1<<(m.n%64)) != 0 }

// walk runs the machine over v, forward from 0, or backward from len(v),
// and calls at with each position p where it has matched v[:p] (forward)
// or v[p:] (backward), in the order it reads them.
func (m *machine) walk(v string, backward bool, at func(p int)) {
	var s [maxWords]uint64
	s[0] = 1
	live := m.close(&s)
	for i := 0; i <= len(v) && live; i++ {
		p := i
		if backward {
			p = len(v) - i
		}
		if m.accepts(&s) {
			at(p)
		}
		if i < len(v) {
			if backward {
				live = m.step(&s, v[p-1])
			} else {
				live = m.step(&s, v[p])
			}
		}
	}
}
