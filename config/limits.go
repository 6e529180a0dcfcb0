package config

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/multienv/multienv/internal/position"
)

// The limits below are far beyond any real file. A file past one is
// reported before go-toml parses it: go-toml's duplicate-key tracker pays,
// for each new key or table header, in proportion to those already seen, so
// a table of 100,000 keys would take most of a minute.
const (
	// maxTableKeys bounds the keys of one table (its key/value lines and
	// the sub-tables its headers name, or an inline table's keys), the items
	// of an array and the tables of an array of tables: each is checked
	// against the schema, and 100,000 empty [[envs]] would draw a quarter of
	// a million problems.
	maxTableKeys = 10000
	// maxKeyParts bounds the dotted parts of a key or a table header: each
	// part is a level of nesting for every library the tree goes through.
	maxKeyParts = 100
	// maxNesting bounds how deeply arrays and inline tables nest.
	maxNesting = 100
	// maxTables bounds the table headers of a file.
	maxTables = 30000
	// maxKeyPairs bounds what the duplicate-key tracker pays in all: each
	// key costs the keys before it in its table, so one full table asks
	// for 50,000,000 and many tables of 9,999 keys would ask for as much
	// each, seconds of parsing.
	maxKeyPairs = 60_000_000
)

// withinLimits reports whether c.data can be parsed in time and memory in
// proportion to its size; when it cannot, it reports why, at the position.
func withinLimits(c *collector) bool {
	s := limitScan{data: c.data, tables: map[tableKey]int{}, entries: map[tableKey]int{}, keys: []int{0}, starts: []int{-1}}
	s.run()
	if s.msg == "" {
		return true
	}
	at := position.At(c.data, s.at)
	c.problems = append(c.problems, Problem{File: c.name, Line: at.Line, Col: at.Col, Message: s.msg})
	return false
}

// tableKey names a table by its parent's id and its own name.
type tableKey struct {
	parent int
	name   string
}

// limitScan is a quick pass over the bytes that counts keys per table and
// measures nesting. It follows TOML closely enough that strings and comments
// do not mislead it; what it cannot read, it skips, for go-toml to report.
type limitScan struct {
	data    []byte
	i       int
	tables  map[tableKey]int // tables named by headers -> id
	entries map[tableKey]int // the tables of each array of tables
	keys    []int            // id -> keys counted
	starts  []int            // id -> offset of its header; -1 for the top level
	parts   [][]byte         // the parts of the header being read
	headers int              // the table headers read
	pairs   int              // the keys before each key in its table, summed (maxKeyPairs)
	msg     string           // the first limit passed, or ""
	at      int              // where
}

func (s *limitScan) fail(at int, format string, args ...any) {
	s.msg, s.at = fmt.Sprintf(format, args...)+"; no configuration needs so many", at
}

func (s *limitScan) run() {
	table := 0
	for s.i < len(s.data) && s.msg == "" {
		switch c := s.data[s.i]; c {
		case ' ', '\t', '\r', '\n':
			s.i++
		case '#':
			s.skipLine()
		case '[':
			table = s.header(table)
		default:
			s.count(table, s.i)
			s.keyValue()
		}
	}
}

// count adds a key to the table id, found at offset at.
func (s *limitScan) count(id, at int) {
	if !s.paired(s.keys[id], at) {
		return
	}
	if s.keys[id]++; s.keys[id] <= maxTableKeys || s.msg != "" {
		return
	}
	where := "the top level"
	if s.starts[id] >= 0 {
		where, at = "this table", s.starts[id]
	}
	s.fail(at, "%s has more than %d keys", where, maxTableKeys)
}

func (s *limitScan) skipLine() {
	for s.i < len(s.data) && s.data[s.i] != '\n' {
		s.i++
	}
}

// header reads [a.b] or [[a.b]] and returns the id of the table it opens;
// a header it cannot read leaves the table as it was.
func (s *limitScan) header(table int) int {
	start := s.i
	s.i++
	array := s.i < len(s.data) && s.data[s.i] == '['
	if array {
		s.i++
	}
	if !s.headerParts(start) {
		return table
	}
	s.skipLine()
	if s.headers++; s.headers > maxTables {
		s.fail(start, "more than %d table headers in the file", maxTables)
		return table
	}
	id := 0
	for k, part := range s.parts {
		key := tableKey{id, string(part)}
		next, seen := s.tables[key]
		if !seen {
			s.count(id, start)
		}
		entry := array && k == len(s.parts)-1 // a new table of the array
		if entry {
			if s.entries[key]++; s.entries[key] > maxTableKeys {
				s.fail(start, "more than %d tables in this array of tables", maxTableKeys)
				return table
			}
		}
		if !seen || entry {
			next = len(s.keys)
			s.keys, s.starts = append(s.keys, 0), append(s.starts, start)
			s.tables[key] = next
		}
		id = next
	}
	return id
}

// headerParts reads the dotted parts of the header at start into s.parts;
// it reports false for one it cannot read or of too many parts.
func (s *limitScan) headerParts(start int) bool {
	s.parts = s.parts[:0]
	for {
		s.spaces()
		name, ok := s.key()
		if !ok {
			s.skipLine()
			return false
		}
		if len(s.parts) == maxKeyParts {
			s.fail(start, "a table header of more than %d dotted parts", maxKeyParts)
			return false
		}
		s.parts = append(s.parts, name)
		s.spaces()
		if s.i == len(s.data) || s.data[s.i] != '.' {
			return true
		}
		s.i++
	}
}

func (s *limitScan) spaces() {
	for s.i < len(s.data) && (s.data[s.i] == ' ' || s.data[s.i] == '\t') {
		s.i++
	}
}

// key reads one part of a key: bare, "basic" or 'literal'. A quoted part
// is named as TOML reads it, unquoted and unescaped, so that ab, "ab", 'ab'
// and "\u0061b" name one table, as they do for the parser.
func (s *limitScan) key() ([]byte, bool) {
	start := s.i
	if s.i < len(s.data) && (s.data[s.i] == '"' || s.data[s.i] == '\'') {
		if !s.str() {
			return nil, false
		}
		return unquoteKey(s.data[start:s.i]), true
	}
	for s.i < len(s.data) && isBareKeyByte(s.data[s.i]) {
		s.i++
	}
	return s.data[start:s.i], s.i > start
}

func isBareKeyByte(c byte) bool {
	return c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// keyValue skips a key/value statement, counting the dotted parts of its
// key and, in its value, the nesting and the keys of inline tables.
func (s *limitScan) keyValue() {
	start, parts := s.i, 1
	for s.i < len(s.data) && s.data[s.i] != '=' && s.data[s.i] != '\n' {
		switch s.data[s.i] {
		case '"', '\'':
			if !s.str() {
				return
			}
			continue
		case '.':
			if parts++; parts > maxKeyParts {
				s.fail(start, "a key of more than %d dotted parts", maxKeyParts)
				return
			}
		}
		s.i++
	}
	if s.i < len(s.data) && s.data[s.i] == '=' {
		s.i++
		s.value()
	}
}

// open is an array or inline table not yet closed.
type open struct {
	inline bool
	keys   int
	at     int
	item   bool // an array's current item has begun
}

// value skips a value, which ends at the first line end outside any array
// or inline table.
func (s *limitScan) value() {
	var stack []open
	for s.i < len(s.data) && s.msg == "" {
		c := s.data[s.i]
		if len(stack) > 0 && !s.countIn(&stack[len(stack)-1], c) {
			return
		}
		switch c {
		case '"', '\'':
			if !s.str() {
				return
			}
			continue
		case '#':
			s.skipLine()
			continue
		case '\n':
			if len(stack) == 0 {
				return
			}
		case '[', '{':
			if len(stack) == maxNesting {
				s.fail(s.i, "arrays and inline tables nested more than %d deep", maxNesting)
				return
			}
			stack = append(stack, open{inline: c == '{', at: s.i})
		case ']', '}':
			if len(stack) == 0 {
				s.skipLine()
				return
			}
			stack = stack[:len(stack)-1]
		}
		s.i++
	}
}

// paired adds a key found at at after before others of its table to the
// pairs; false past maxKeyPairs.
func (s *limitScan) paired(before, at int) bool {
	if s.pairs += before; s.pairs <= maxKeyPairs || s.msg != "" {
		return s.msg == ""
	}
	s.fail(at, "the tables of this file have too many keys together (each key is compared with those before it in its table, at most %d million times in all; one table of 10,000 keys makes 50 million)",
		maxKeyPairs/1_000_000)
	return false
}

// countIn counts what c adds to o, the innermost array or inline table: an
// inline table's key at its =, an array's item as it begins (so that 10,000
// is the most with or without a trailing comma); false past the limit.
func (s *limitScan) countIn(o *open, c byte) bool {
	switch {
	case o.inline && c == '=':
		if !s.paired(o.keys, s.i) {
			return false
		}
		if o.keys++; o.keys > maxTableKeys {
			s.fail(o.at, "this inline table has more than %d keys", maxTableKeys)
			return false
		}
	case o.inline:
	case c == ',':
		o.item = false
	case !o.item && !strings.ContainsRune(" \t\r\n]#", rune(c)):
		o.item = true
		if o.keys++; o.keys > maxTableKeys {
			s.fail(o.at, "this array has more than %d items", maxTableKeys)
			return false
		}
	}
	return true
}

// str skips a string that starts at s.i, basic or literal, on one line or
// on many; it reports false, at the end of the line, for one not closed.
func (s *limitScan) str() bool {
	q := s.data[s.i]
	end := []byte{q, q, q} // the quotes that close the string
	multi := bytes.HasPrefix(s.data[s.i:], end)
	if !multi {
		end = end[:1]
	}
	for s.i += len(end); s.i < len(s.data); s.i++ {
		switch c := s.data[s.i]; {
		case c == '\\' && q == '"':
			s.i++
		case c == '\n' && !multi:
			return false
		case c == q && bytes.HasPrefix(s.data[s.i:], end):
			// A closing """ may be followed by up to two more quotes,
			// which belong to the string.
			s.i += len(end)
			for k := 0; multi && k < 2 && s.i < len(s.data) && s.data[s.i] == q; k++ {
				s.i++
			}
			return true
		}
	}
	return false
}

// unquoteKey returns the name a quoted key q spells; an escape TOML rejects
// is kept as written, for the parser to report.
func unquoteKey(q []byte) []byte {
	body := q[1 : len(q)-1]
	if q[0] == '\'' || bytes.IndexByte(body, '\\') < 0 {
		return body
	}
	out := make([]byte, 0, len(body))
	for i := 0; i < len(body); i++ {
		if body[i] != '\\' || i+1 == len(body) {
			out = append(out, body[i])
			continue
		}
		var n int
		out, n = appendEscape(out, body[i+1:])
		i += n
	}
	return out
}

// appendEscape appends what the escape e, past its backslash, spells, and
// returns how many bytes of e it took.
func appendEscape(out, e []byte) ([]byte, int) {
	c := e[0]
	if k := strings.IndexByte("btnfre", c); k >= 0 {
		return append(out, "\b\t\n\f\r\x1b"[k]), 1
	}
	k := strings.IndexByte("xuU", c)
	if k < 0 {
		return append(out, c), 1
	}
	n := [...]int{2, 4, 8}[k] // the hex digits of \xXX, \uXXXX, \UXXXXXXXX
	if len(e) > n {
		if r, err := strconv.ParseUint(string(e[1:1+n]), 16, 32); err == nil {
			return utf8.AppendRune(out, rune(r)), 1 + n
		}
	}
	return append(out, '\\', c), 1
}
