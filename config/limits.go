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
	// maxWork bounds what reading and checking the file costs in all, in
	// steps of about a nanosecond. The tracker keeps every key of the
	// file, at every depth, in one list; it looks a key up from its
	// table's entry to the end of the list, and each table of an array of
	// tables after the first sweeps the whole list: each entry passed over
	// is a step (3,000 keys of 20 nested inline tables, 60,000 entries,
	// before 5,000 [[envs]] cost seconds). Each entry made is entryWork
	// steps more: a map or value the parser builds and every pass walks
	// (3,500 arrays of 48 inline tables took 2 seconds to check).
	maxWork   = 1_000_000_000
	entryWork = 8_000
)

// withinLimits reports whether c.data can be parsed in time and memory in
// proportion to its size; when it cannot, it reports why, at the position.
func withinLimits(c *collector) bool {
	s := limitScan{data: c.data, tables: map[tableKey]int{}, entries: map[tableKey]int{}, scope: []scope{{start: -1, parent: -1}}}
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
	scope   []scope          // id -> the table; 0 is the top level
	parts   [][]byte         // the parts of the header being read
	headers int              // the table headers read
	pairs   int              // the keys before each key in its table, summed (maxKeyPairs)
	// The tracker's list: entries made, live (not swept away with an
	// array's previous table) and fixed (in no array of tables: never
	// swept, so always before a table made after them); the work so far
	// (maxWork).
	made, live, fixed, work int
	msg                     string // the first limit passed, or ""
	at                      int    // where
}

// scope is a table as the tracker lists it.
type scope struct {
	keys   int // keys counted
	start  int // offset of its header; -1 for the top level
	parent int // the id of the table it is in; -1 for the top level
	below  int // the live entries in it, at every depth
	// The entries live before its own was made, and the fixed ones of
	// them: its place in the list is at most live, at least fixed.
	live, fixed int
	swept       bool // in an array of tables
}

// add makes n entries in table id, at every depth of it, at offset at.
func (s *limitScan) add(id, n, at int) {
	s.made, s.live = s.made+n, s.live+n
	s.pass(n*entryWork, at)
	if !s.scope[id].swept {
		s.fixed += n
	}
	for ; id >= 0; id = s.scope[id].parent {
		s.scope[id].below += n
	}
}

// sweep takes away the entries of the table id of an array of tables, as
// the tracker does when the header at offset at opens the array's next
// table, and returns where the array's entry is (scope's live and fixed).
func (s *limitScan) sweep(id, at int) (int, int) {
	s.pass(s.live, at)
	old := s.scope[id]
	s.live -= old.below
	for up := old.parent; up >= 0; up = s.scope[up].parent {
		s.scope[up].below -= old.below
	}
	return old.live, old.fixed
}

// pass counts n steps of work (maxWork), at offset at.
func (s *limitScan) pass(n, at int) {
	if s.work += n; s.work > maxWork && s.msg == "" {
		s.fail(at, "the file is too large to read in time: its keys, inline tables and arrays of tables, at every depth, and the lookups the parser makes among them, come to more than %d million steps (each key or table %d, each entry a lookup passes over one)",
			maxWork/1_000_000, entryWork)
	}
}

// after is the most entries after table id's in the list.
func (s *limitScan) after(id int) int { return s.live - s.scope[id].fixed }

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
			s.keyValue(table)
		}
	}
}

// count adds a key to the table id, found at offset at.
func (s *limitScan) count(id, at int) {
	if !s.paired(s.scope[id].keys, at) {
		return
	}
	if s.scope[id].keys++; s.scope[id].keys <= maxTableKeys || s.msg != "" {
		return
	}
	where := "the top level"
	if s.scope[id].start >= 0 {
		where, at = "this table", s.scope[id].start
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
	if !s.keyParts(start, "a table header") {
		return table
	}
	s.skipLine()
	if s.headers++; s.headers > maxTables {
		s.fail(start, "more than %d table headers in the file", maxTables)
		return table
	}
	id := 0
	for k, part := range s.parts {
		if array && k == len(s.parts)-1 {
			return s.element(id, part, start)
		}
		if _, seen := s.tables[tableKey{id, string(part)}]; !seen {
			s.count(id, start)
		}
		id = s.child(id, part, start)
	}
	return id
}

// child returns the table named part in table id, a header's or a dotted
// key's, found or made as the tracker looks it up; at is where it is named.
func (s *limitScan) child(id int, part []byte, at int) int {
	key := tableKey{id, string(part)}
	if next, seen := s.tables[key]; seen {
		s.pass(s.scope[next].live-s.scope[id].fixed, at) // found at its place
		return next
	}
	s.pass(s.after(id), at) // looked for to the end
	t := scope{start: at, parent: id, live: s.live, fixed: s.fixed, swept: s.scope[id].swept}
	s.add(id, 1, at)
	s.scope = append(s.scope, t)
	s.tables[key] = len(s.scope) - 1
	return len(s.scope) - 1
}

// element opens the next table of the array of tables named part in table
// id, at offset at: the tracker sweeps the array's previous table away.
func (s *limitScan) element(id int, part []byte, at int) int {
	key := tableKey{id, string(part)}
	if s.entries[key]++; s.entries[key] > maxTableKeys {
		s.fail(at, "more than %d tables in this array of tables", maxTableKeys)
		return id
	}
	t := scope{start: at, parent: id, live: s.live, fixed: s.fixed, swept: true}
	if prev, seen := s.tables[key]; seen {
		s.pass(s.scope[prev].live-s.scope[id].fixed, at)
		t.live, t.fixed = s.sweep(prev, at) // the array's one entry
	} else {
		s.count(id, at)
		s.pass(s.after(id), at)
		s.add(id, 1, at)
	}
	s.scope = append(s.scope, t)
	s.tables[key] = len(s.scope) - 1
	return len(s.scope) - 1
}

// keyParts reads the dotted parts of the key or header (what) at start
// into s.parts; it reports false for one it cannot read or of too many
// parts.
func (s *limitScan) keyParts(start int, what string) bool {
	s.parts = s.parts[:0]
	for {
		s.spaces()
		name, ok := s.key()
		if !ok {
			s.skipLine()
			return false
		}
		if len(s.parts) == maxKeyParts {
			s.fail(start, "%s of more than %d dotted parts", what, maxKeyParts)
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

// keyValue skips a key/value statement of table id: the tables its dotted
// key names, as a header's, then its key, then, in its value, the nesting
// and the keys of inline tables.
func (s *limitScan) keyValue(id int) {
	start := s.i
	if !s.keyParts(start, "a key") {
		return
	}
	for _, part := range s.parts[:len(s.parts)-1] {
		id = s.child(id, part, start)
	}
	s.pass(s.after(id), start)
	s.add(id, 1, start)
	if s.i < len(s.data) && s.data[s.i] == '=' {
		s.i++
		s.value(id)
	} else {
		s.skipLine() // no TOML: the parser stops here
	}
}

// open is an array or inline table not yet closed.
type open struct {
	inline bool
	keys   int
	at     int
	made   int  // the entries made before its own
	item   bool // an array's current item has begun; an inline table's key its value
	// An inline table's: where the key being read starts (-1 before it),
	// the tables its dotted parts make, and the prefixes made so far.
	key, parts int
	prefixes   map[string]bool
}

// value skips a value of table id, which ends at the first line end
// outside any array or inline table.
func (s *limitScan) value(id int) {
	var stack []open
	for s.i < len(s.data) && s.msg == "" {
		c := s.data[s.i]
		if len(stack) > 0 && !s.countIn(&stack[len(stack)-1], c, id) {
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
			stack = append(stack, open{inline: c == '{', at: s.i, made: s.made, key: -1})
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

// countIn counts what c adds to o, the innermost array or inline table of
// a value in table id: an inline table's key at its =, an array's item as it
// begins (so that 10,000 is the most with or without a trailing comma), each
// an entry of the tracker's but an array's item that is no array or inline
// table; false past the limit.
func (s *limitScan) countIn(o *open, c byte, id int) bool {
	switch {
	case o.inline:
		return s.countInline(o, c, id)
	case c == ',':
		o.item = false
	case !o.item && !strings.ContainsRune(" \t\r\n]#", rune(c)):
		o.item = true
		if c == '[' || c == '{' {
			s.add(id, 1, s.i)
		}
		if o.keys++; o.keys > maxTableKeys {
			s.fail(o.at, "this array has more than %d items", maxTableKeys)
			return false
		}
	}
	return true
}

// countInline is countIn for an inline table: a key's dotted parts are
// read up to its =, each prefix a table made once, and its value (o.item)
// runs from there to its comma.
func (s *limitScan) countInline(o *open, c byte, id int) bool {
	switch {
	case !o.item && o.key < 0 && c != ' ' && c != '\t':
		o.key = s.i
	case c == '.' && !o.item:
		if prefix := string(s.data[o.key:s.i]); !o.prefixes[prefix] {
			if o.prefixes == nil {
				o.prefixes = map[string]bool{}
			}
			o.prefixes[prefix] = true
			o.parts++
		}
	case c == ',':
		o.item, o.parts, o.key = false, 0, -1
	case c == '=':
		o.item = true
		s.pass(s.made-o.made, s.i)
		s.add(id, 1+o.parts, s.i)
		if !s.paired(o.keys, s.i) {
			return false
		}
		if o.keys++; o.keys > maxTableKeys {
			s.fail(o.at, "this inline table has more than %d keys", maxTableKeys)
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
