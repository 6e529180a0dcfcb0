// Package glob matches the patterns of a multienv file: the branch and tag
// patterns of its rule conditions, and the patterns that pull a CI fact, such
// as a pull request's number or a repository's name, out of a ref or a URL.
// It keeps to the part of GitHub Actions' branch and tag filters that such
// patterns need, plus one capture, and it matches without allocating, in time
// proportional to the pattern's length times the value's, whatever the input.
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

// maxLen is the longest pattern, in bytes: it bounds the states of a
// pattern's automaton, so that a match keeps them in a fixed array.
const maxLen = 256

const (
	maxStates = maxLen + 1            // a state per token, and the final one
	maxWords  = (maxStates + 63) / 64 // the words of a set of states
	smallVM   = 16                    // the states a small capture machine holds
	maxSegs   = 32                    // the slash-separated parts segments keeps
)

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

// Pattern is a compiled pattern. Its zero value matches nothing. A Pattern
// never changes once compiled: it is safe for concurrent use.
type Pattern struct {
	p *prog
}

// shape is how Match reads the middle of a value, between the pattern's
// literal prefix and suffix.
type shape uint8

const (
	general shape = iota // run the automaton
	empty                // the pattern is all literal: the middle is empty
	oneStar              // *: the middle has no '/'
	anyRun               // **: any middle
)

// prog is a compiled pattern. The value's prefix and suffix are compared
// with the pattern's literal ones; only the middle goes through automata.
type prog struct {
	src            string
	prefix, suffix string
	capture        kind  // capOne or capAny in a fact's pattern, else lit
	shape          shape // for a pattern without capture
	m              nfa   // without capture: the tokens of the middle
	a              nfa   // with: the tokens of the middle before the capture
	bRev           nfa   // the tokens after the capture, in reverse order
	b              []token
}

// Compile compiles a pattern of a rule condition. It fails on an empty
// pattern, one longer than 256 bytes, one that ends with a lone \ and one
// with a capture. An error's text reads after the quoted pattern, as in
// `"a\\" ends with a lone \`.
func Compile(s string) (Pattern, error) {
	toks, caps, err := parse(s)
	if err != nil {
		return Pattern{}, err
	}
	if caps > 0 {
		return Pattern{}, errCapture
	}
	return Pattern{build(s, toks)}, nil
}

// CompileCapture compiles a fact's pattern: as Compile, but the pattern must
// have exactly one capture, {} or {**}.
func CompileCapture(s string) (Pattern, error) {
	toks, caps, err := parse(s)
	if err != nil {
		return Pattern{}, err
	}
	switch caps {
	case 0:
		return Pattern{}, errNoCapture
	case 1:
		return Pattern{build(s, toks)}, nil
	case 2:
		return Pattern{}, errors.New("has two captures; a pattern takes one")
	}
	return Pattern{}, fmt.Errorf("has %d captures; a pattern takes one", caps)
}

// String returns the pattern as it was written.
func (p Pattern) String() string {
	if p.p == nil {
		return ""
	}
	return p.p.src
}

// Match reports whether the pattern matches all of v. For a fact's pattern,
// it reports whether Capture would succeed. It allocates nothing.
func (p Pattern) Match(v string) bool {
	g := p.p
	if g == nil || v == "" {
		return false
	}
	if g.capture != lit {
		_, ok := p.Capture(v)
		return ok
	}
	if len(v) < len(g.prefix)+len(g.suffix) || !strings.HasPrefix(v, g.prefix) || !strings.HasSuffix(v, g.suffix) {
		return false
	}
	mid := v[len(g.prefix) : len(v)-len(g.suffix)]
	switch g.shape {
	case empty:
		return mid == ""
	case oneStar:
		return strings.IndexByte(mid, '/') < 0
	case anyRun:
		return true
	}
	return g.m.match(mid)
}

// Capture matches a fact's pattern against all of v and returns the part of
// v that its capture matched: a substring of v, not a copy. Of several
// possible captures, it returns the one that starts leftmost, and of those
// the longest. It returns "", false when the pattern does not match, and for
// a pattern without capture. It allocates nothing.
func (p Pattern) Capture(v string) (string, bool) {
	g := p.p
	if g == nil || g.capture == lit || v == "" {
		return "", false
	}
	if len(v) <= len(g.prefix)+len(g.suffix) || !strings.HasPrefix(v, g.prefix) || !strings.HasSuffix(v, g.suffix) {
		return "", false
	}
	mid := v[len(g.prefix) : len(v)-len(g.suffix)]
	s, e := g.span(mid)
	if s < 0 {
		return "", false
	}
	return mid[s:e], true
}

// parse reads a pattern into tokens and counts its captures.
func parse(s string) ([]token, int, error) {
	if s == "" {
		return nil, 0, errEmpty
	}
	if len(s) > maxLen {
		return nil, 0, errLong
	}
	toks := make([]token, 0, len(s))
	caps := 0
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == '\\':
			if i+1 == len(s) {
				return nil, 0, errBackslash
			}
			toks = append(toks, token{lit, s[i+1]})
			i += 2
		case c == '*':
			j := i + 1
			for j < len(s) && s[j] == '*' {
				j++
			}
			k := star
			if j-i > 1 {
				k = dstar
			}
			// A run of stars is one token: no two stars are ever adjacent,
			// which is what lets the automaton close over a star in one step.
			toks = append(toks, token{kind: k})
			i = j
		case strings.HasPrefix(s[i:], "{}"):
			toks = append(toks, token{kind: capOne})
			caps++
			i += 2
		case strings.HasPrefix(s[i:], "{**}"):
			toks = append(toks, token{kind: capAny})
			caps++
			i += 4
		default:
			toks = append(toks, token{lit, c})
			i++
		}
	}
	return toks, caps, nil
}

// build compiles parsed tokens with at most one capture.
func build(src string, toks []token) *prog {
	g := &prog{src: src, capture: lit}
	i, j := 0, len(toks)
	for i < j && toks[i].kind == lit {
		i++
	}
	for j > i && toks[j-1].kind == lit {
		j--
	}
	g.prefix, g.suffix = literal(toks[:i]), literal(toks[j:])
	mid := toks[i:j]
	for k, t := range mid {
		if t.kind == capOne || t.kind == capAny {
			g.capture = t.kind
			g.a = newNFA(mid[:k])
			g.b = mid[k+1:]
			rev := make([]token, len(g.b))
			for n, t := range g.b {
				rev[len(rev)-1-n] = t
			}
			g.bRev = newNFA(rev)
			return g
		}
	}
	switch {
	case len(mid) == 0:
		g.shape = empty
	case len(mid) == 1 && mid[0].kind == star:
		g.shape = oneStar
	case len(mid) == 1 && mid[0].kind == dstar:
		g.shape = anyRun
	default:
		g.m = newNFA(mid)
	}
	return g
}

func literal(toks []token) string {
	b := make([]byte, len(toks))
	for i, t := range toks {
		b[i] = t.c
	}
	return string(b)
}

// span returns where the capture starts and ends in v, the middle of a
// value, or -1, -1. The capture is split off the pattern: a, before it, must
// match v[:s], and b, after it, v[e:]. It picks the least s, then the
// greatest e.
func (g *prog) span(v string) (int, int) {
	if g.capture == capAny {
		// v[s:e] is any non-empty run: the greatest e for which b matches
		// v[e:] serves every s < e, so the least such s with a matching v[:s]
		// is the answer. A backward then a forward pass, no storage.
		e := g.bRev.lastAcceptRev(v, 1, len(v))
		if e < 0 {
			return -1, -1
		}
		s := g.a.firstAccept(v, 0, e)
		if s < 0 {
			return -1, -1
		}
		return s, e
	}
	aEmpty, bEmpty := g.a.n == 0, len(g.b) == 0
	switch {
	case aEmpty && bEmpty: // {}: all of v
		if v == "" || strings.IndexByte(v, '/') >= 0 {
			return -1, -1
		}
		return 0, len(v)
	case aEmpty: // s is 0, e at most the first slash
		hi := strings.IndexByte(v, '/')
		if hi < 0 {
			hi = len(v)
		}
		if e := g.bRev.lastAcceptRev(v, 1, hi); e >= 0 {
			return 0, e
		}
		return -1, -1
	case bEmpty: // e is len(v), s after the last slash
		lo := strings.LastIndexByte(v, '/') + 1
		if s := g.a.firstAccept(v, lo, len(v)); s >= 0 {
			return s, len(v)
		}
		return -1, -1
	}
	// The capture falls in one segment of v between slashes, and which s
	// work there depends on both a forward and a backward reading: keep an
	// end per segment if there are few, else run a machine with registers.
	if n := strings.Count(v, "/") + 1; n <= maxSegs {
		return g.segments(v, n)
	}
	return g.vm(v, false)
}

// segments finds the span of a {} capture in v, which has n segments, when
// n <= maxSegs: a backward pass of b keeps, per segment, the greatest end e
// inside it for which b matches v[e:]; then a forward pass of a, up to the
// last segment with an end, finds the least start s for which a matches
// v[:s] and that end is past s.
func (g *prog) segments(v string, n int) (int, int) {
	var ends [maxSegs]int
	for k := range n {
		ends[k] = -1
	}
	last := -1 // the last segment with an end
	k := n - 1 // the segment of v[e-1]
	if g.bRev.nw == 1 {
		m := &g.bRev
		s := m.start[0]
		for e := len(v); e > 0 && s != 0; e-- {
			c := v[e-1]
			if c == '/' {
				k--
			} else if ends[k] < 0 && s&m.abit != 0 {
				ends[k], last = e, max(last, k)
			}
			s = m.step1(s, c)
		}
	} else {
		s := g.bRev.start
		for e := len(v); e > 0; e-- {
			c := v[e-1]
			if c == '/' {
				k--
			} else if ends[k] < 0 && g.bRev.accepts(&s) {
				ends[k], last = e, max(last, k)
			}
			if !g.bRev.step(&s, c) {
				break
			}
		}
	}
	k = 0 // the segment of v[s]
	if g.a.nw == 1 {
		m := &g.a
		s := m.start[0]
		for p := 0; p < len(v) && k <= last && s != 0; p++ {
			c := v[p]
			if c == '/' {
				k++
			} else if s&m.abit != 0 && p < ends[k] {
				return p, ends[k]
			}
			s = m.step1(s, c)
		}
		return -1, -1
	}
	s, alive := g.a.start, true
	for p := 0; p < len(v) && k <= last && alive; p++ {
		c := v[p]
		if c == '/' {
			k++
		} else if g.a.accepts(&s) && p < ends[k] {
			return p, ends[k]
		}
		alive = g.a.step(&s, c)
	}
	return -1, -1
}

// vm finds the capture's span in v by running the whole pattern forward, a
// with a set of states, the capture and b with registers that hold, per
// state, the best span (least start, then greatest end) of the runs that
// reach it. Whatever the past, a run in a state has the same futures, so the
// best span per state is enough. It takes no storage beyond a pair of
// registers per state of b, whatever the length of v. slashes makes the
// capture {**}: span only uses vm for a {} in a value of more than maxSegs
// segments, but the tests check it on every value, with both captures.
func (g *prog) vm(v string, slashes bool) (int, int) {
	n := len(g.b) + 1
	if n <= smallVM {
		var s, e [smallVM]int
		return g.run(v, slashes, s[:n], e[:n])
	}
	var s, e [maxStates]int
	return g.run(v, slashes, s[:n], e[:n])
}

// better reports whether span s, e beats the span cs, ce, where cs < 0 is no
// span.
func better(s, e, cs, ce int) bool {
	return cs < 0 || s < cs || s == cs && e > ce
}

// run is vm with registers S and E for the states of b.
func (g *prog) run(v string, slashes bool, S, E []int) (int, int) {
	b, last := g.b, len(S)-1
	for j := range S {
		S[j] = -1 // no run
	}
	as, aAlive := g.a.start, true
	cs := -1 // the start of the capture in progress, or -1
	for p := 0; p < len(v); p++ {
		c := v[p]
		// b reads c. A state j is reached from j-1 through a literal, or
		// stays through a star: going down, each reads old registers.
		for j := last; j >= 0; j-- {
			ns, ne := -1, 0
			if j > 0 && S[j-1] >= 0 && b[j-1].kind == lit && b[j-1].c == c {
				ns, ne = S[j-1], E[j-1]
			}
			if j < last && S[j] >= 0 {
				if k := b[j].kind; (k == dstar || k == star && c != '/') && better(S[j], E[j], ns, ne) {
					ns, ne = S[j], E[j]
				}
			}
			S[j], E[j] = ns, ne
		}
		// The capture reads c, or starts with it where a has matched v[:p];
		// one started earlier beats one starting now.
		if c == '/' && !slashes {
			cs = -1
		} else if cs < 0 && aAlive && g.a.accepts(&as) {
			cs = p
		}
		if aAlive {
			aAlive = g.a.step(&as, c)
		}
		alive := aAlive || cs >= 0
		if cs >= 0 && better(cs, p+1, S[0], E[0]) {
			S[0], E[0] = cs, p+1 // the capture may end after c
		}
		for j := 0; j < last; j++ {
			if S[j] < 0 {
				continue
			}
			alive = true
			if b[j].kind != lit && better(S[j], E[j], S[j+1], E[j+1]) {
				S[j+1], E[j+1] = S[j], E[j] // a star may match nothing
			}
		}
		if S[last] >= 0 {
			alive = true
		}
		if !alive {
			return -1, -1
		}
	}
	if S[last] < 0 {
		return -1, -1
	}
	return S[last], E[last]
}

// bitset is a set of states of an nfa: state i is bit i%64 of word i/64.
type bitset [maxWords]uint64

// classMasks are, for the bytes of one class, the states that read them.
type classMasks struct {
	adv  bitset // states whose literal is the byte: they move to the next
	loop bitset // states whose star takes the byte: they stay
}

// nfa is the automaton of a run of tokens without capture: state i has
// matched the first i tokens, state n all of them. A star's state also holds
// the next state (the star may match nothing); as no two stars are adjacent,
// that closure takes one step.
type nfa struct {
	n, nw int // tokens, words of a bitset in use
	aw    int // the word and bit of state n, the final one
	abit  uint64
	class [256]uint16 // the index in masks of each byte's class
	masks []classMasks
	eps   bitset // the states of stars
	start bitset
}

func newNFA(toks []token) nfa {
	m := nfa{n: len(toks), nw: len(toks)/64 + 1, aw: len(toks) / 64, abit: 1 << (len(toks) % 64)}
	// Class 0: the bytes no literal names but '/'; class 1: '/'; then one
	// per byte a literal names.
	m.masks = make([]classMasks, 2, 8)
	m.class['/'] = 1
	for _, t := range toks {
		if t.kind == lit && t.c != '/' && m.class[t.c] == 0 {
			m.class[t.c] = uint16(len(m.masks))
			m.masks = append(m.masks, classMasks{})
		}
	}
	for i, t := range toks {
		w, bit := i/64, uint64(1)<<(i%64)
		switch t.kind {
		case lit:
			m.masks[m.class[t.c]].adv[w] |= bit
		case star, dstar:
			m.eps[w] |= bit
			for k := range m.masks {
				if k != 1 || t.kind == dstar {
					m.masks[k].loop[w] |= bit
				}
			}
		}
	}
	m.start[0] = 1 | (m.eps[0]&1)<<1
	return m
}

func (m *nfa) accepts(s *bitset) bool { return s[m.aw]&m.abit != 0 }

// step1 moves the states x by the byte c, for an automaton of one word.
func (m *nfa) step1(x uint64, c byte) uint64 {
	cm := &m.masks[m.class[c]]
	y := (x&cm.adv[0])<<1 | x&cm.loop[0]
	return y | (y&m.eps[0])<<1
}

// step moves the states s by the byte c, in place, and reports whether any
// is left.
func (m *nfa) step(s *bitset, c byte) bool {
	if m.nw == 1 {
		s[0] = m.step1(s[0], c)
		return s[0] != 0
	}
	cm := &m.masks[m.class[c]]
	var carry, all uint64
	for w := 0; w < m.nw; w++ {
		x := s[w]
		adv := x & cm.adv[w]
		y := adv<<1 | carry | x&cm.loop[w]
		e := y & m.eps[w]
		y |= e << 1
		carry = adv>>63 | e>>63
		s[w] = y
		all |= y
	}
	return all != 0
}

// match reports whether the automaton matches all of v.
func (m *nfa) match(v string) bool {
	if m.nw > 1 {
		s := m.start
		for i := 0; i < len(v); i++ {
			if !m.step(&s, v[i]) {
				return false
			}
		}
		return m.accepts(&s)
	}
	s := m.start[0]
	for i := 0; i < len(v) && s != 0; i++ {
		s = m.step1(s, v[i])
	}
	return s&m.abit != 0
}

// firstAccept returns the least p in [lo, hi) for which the automaton
// matches v[:p], or -1.
func (m *nfa) firstAccept(v string, lo, hi int) int {
	if m.nw == 1 {
		s := m.start[0]
		for p := 0; p < hi && s != 0; p++ {
			if p >= lo && s&m.abit != 0 {
				return p
			}
			s = m.step1(s, v[p])
		}
		return -1
	}
	s := m.start
	for p := 0; p < hi; p++ {
		if p >= lo && m.accepts(&s) {
			return p
		}
		if !m.step(&s, v[p]) {
			return -1
		}
	}
	return -1
}

// lastAcceptRev, on the automaton of reversed tokens, returns the greatest
// e in [lo, hi] for which the tokens match v[e:], or -1.
func (m *nfa) lastAcceptRev(v string, lo, hi int) int {
	if hi < lo || len(v) < lo {
		return -1
	}
	if m.nw == 1 {
		s := m.start[0]
		for e := len(v); s != 0; e-- {
			if e <= hi && s&m.abit != 0 {
				return e
			}
			if e == lo {
				break
			}
			s = m.step1(s, v[e-1])
		}
		return -1
	}
	s := m.start
	for e := len(v); ; e-- {
		if e <= hi && m.accepts(&s) {
			return e
		}
		if e == lo || !m.step(&s, v[e-1]) {
			return -1
		}
	}
}
