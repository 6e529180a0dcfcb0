package config

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The limits below are far beyond any real file. A file past one is
// reported before go-toml parses it: go-toml's duplicate-key tracker pays,
// for each new key, in proportion to the keys already seen, so a table of
// 100,000 keys would take most of a minute.
const (
	// maxTableKeys bounds the keys of one table: its key/value lines and
	// the sub-tables its headers name, or the keys of an inline table. It
	// bounds the items of an array, and the tables of an array of tables,
	// too: each is checked against the schema, and a file of 100,000 empty
	// [[envs]] would draw a quarter of a million problems.
	maxTableKeys = 10000
	// maxKeyParts bounds the dotted parts of a key or a table header: each
	// part is a level of nesting for every library the tree goes through.
	maxKeyParts = 100
	// maxNesting bounds how deeply arrays and inline tables nest.
	maxNesting = 100
	// maxTables bounds the table headers of a file, whatever tables they
	// name: go-toml's duplicate-key tracker pays, for each header, in
	// proportion to the tables before it.
	maxTables = 30000
)

// withinLimits reports whether l.data can be parsed in time and memory in
// proportion to its size; when it cannot, it reports why, at the position.
func (l *loader) withinLimits() bool {
	s := limitScan{data: l.data, tables: map[tableKey]int{}, entries: map[tableKey]int{}, keys: []int{0}, starts: []int{-1}}
	s.run()
	if s.msg == "" {
		return true
	}
	at := newLines(l.data).at(s.at)
	l.problems = append(l.problems, Problem{File: l.name, Line: at.line, Col: at.col, Message: s.msg})
	return false
}

// tableKey names a table by its parent's id and its own name.
type tableKey struct {
	parent int
	name   string
}

// limitScan is a quick pass over the bytes that counts keys per table and
// measures nesting. It follows TOML closely enough that strings and
// comments do not mislead it, but it is not a parser: what it cannot read,
// it skips, and go-toml reports afterwards.
type limitScan struct {
	data   []byte
	i      int
	tables map[tableKey]int // tables named by headers -> id
	// entries counts the tables of each array of tables.
	entries map[tableKey]int
	keys    []int    // id -> keys counted
	starts  []int    // id -> offset of its header; -1 for the top level
	parts   [][]byte // the parts of the header being read
	headers int      // the table headers read
	msg     string   // the first limit passed, or ""
	at      int      // where
}

func (s *limitScan) fail(at int, format string, args ...any) {
	s.msg, s.at = fmt.Sprintf(format, args...), at
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
	s.keys[id]++
	if s.keys[id] <= maxTableKeys || s.msg != "" {
		return
	}
	if s.starts[id] < 0 {
		s.fail(at, "the top level has more than %d keys; no configuration needs so many", maxTableKeys)
		return
	}
	s.fail(s.starts[id], "this table has more than %d keys; no configuration needs so many", maxTableKeys)
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
	s.parts = s.parts[:0]
	for {
		s.spaces()
		name, ok := s.key()
		if !ok {
			s.skipLine()
			return table
		}
		if len(s.parts) == maxKeyParts {
			s.fail(start, "a table header of more than %d dotted parts; no configuration needs so many", maxKeyParts)
			return table
		}
		s.parts = append(s.parts, name)
		s.spaces()
		if s.i < len(s.data) && s.data[s.i] == '.' {
			s.i++
			continue
		}
		break
	}
	s.skipLine()
	if s.headers++; s.headers > maxTables {
		s.fail(start, "more than %d table headers in the file; no configuration needs so many", maxTables)
		return table
	}
	id := 0
	for k, part := range s.parts {
		key := tableKey{id, string(part)}
		next, seen := s.tables[key]
		if !seen {
			s.count(id, start)
		}
		if array && k == len(s.parts)-1 {
			if s.entries[key]++; s.entries[key] > maxTableKeys {
				s.fail(start, "more than %d tables in this array of tables; no configuration needs so many", maxTableKeys)
				return table
			}
		}
		if !seen || array && k == len(s.parts)-1 {
			next = len(s.keys)
			s.keys, s.starts = append(s.keys, 0), append(s.starts, start)
			s.tables[key] = next
		}
		id = next
	}
	return id
}

func (s *limitScan) spaces() {
	for s.i < len(s.data) && (s.data[s.i] == ' ' || s.data[s.i] == '\t') {
		s.i++
	}
}

// key reads one part of a key: bare, "basic" or 'literal'. A quoted part
// is named as TOML reads it, its quotes removed and its escapes decoded, so
// that ab, "ab", 'ab' and "\u0061b" name one table, as they do for the
// parser.
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
				s.fail(start, "a key of more than %d dotted parts; no configuration needs so many", maxKeyParts)
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
		// An array's items are counted as they begin, so that 10,000 is
		// the most, with or without a trailing comma.
		if n := len(stack) - 1; n >= 0 && !stack[n].inline && !stack[n].item && !strings.ContainsRune(" \t\r\n,]#", rune(c)) {
			stack[n].item = true
			if stack[n].keys++; stack[n].keys > maxTableKeys {
				s.fail(stack[n].at, "this array has more than %d items; no configuration needs so many", maxTableKeys)
				return
			}
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
				s.fail(s.i, "arrays and inline tables nested more than %d deep; no configuration needs so many", maxNesting)
				return
			}
			stack = append(stack, open{inline: c == '{', at: s.i})
		case ']', '}':
			if len(stack) == 0 {
				s.skipLine()
				return
			}
			stack = stack[:len(stack)-1]
		case ',':
			if n := len(stack) - 1; n >= 0 && !stack[n].inline {
				stack[n].item = false
			}
		case '=':
			if n := len(stack) - 1; n >= 0 && stack[n].inline {
				if stack[n].keys++; stack[n].keys > maxTableKeys {
					s.fail(stack[n].at, "this inline table has more than %d keys; no configuration needs so many", maxTableKeys)
					return
				}
			}
		}
		s.i++
	}
}

// str skips a string that starts at s.i, basic or literal, on one line or
// on many; it reports false, at the end of the line, for one not closed.
func (s *limitScan) str() bool {
	q := s.data[s.i]
	multi := s.i+2 < len(s.data) && s.data[s.i+1] == q && s.data[s.i+2] == q
	if multi {
		s.i += 3
	} else {
		s.i++
	}
	for s.i < len(s.data) {
		c := s.data[s.i]
		switch {
		case c == '\\' && q == '"':
			s.i += 2
			continue
		case c == '\n' && !multi:
			return false
		case c == q && !multi:
			s.i++
			return true
		case c == q && s.i+2 < len(s.data) && s.data[s.i+1] == q && s.data[s.i+2] == q:
			// A closing """ may be followed by up to two more quotes,
			// which belong to the string.
			s.i += 3
			for k := 0; k < 2 && s.i < len(s.data) && s.data[s.i] == q; k++ {
				s.i++
			}
			return true
		}
		s.i++
	}
	return false
}

// unquoteKey returns the name a quoted key q spells: a literal key's text,
// or a basic key's with its escapes decoded. An escape TOML rejects is kept
// as written: the parser reports it.
func unquoteKey(q []byte) []byte {
	if len(q) < 2 || q[0] == '\'' || bytes.IndexByte(q, '\\') < 0 {
		return q[1 : len(q)-1]
	}
	body := q[1 : len(q)-1]
	out := make([]byte, 0, len(body))
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' || i+1 == len(body) {
			out = append(out, c)
			continue
		}
		i++
		switch e := body[i]; e {
		case 'b':
			out = append(out, '\b')
		case 't':
			out = append(out, '\t')
		case 'n':
			out = append(out, '\n')
		case 'f':
			out = append(out, '\f')
		case 'r':
			out = append(out, '\r')
		case 'e':
			out = append(out, 0x1b)
		case 'u', 'U', 'x':
			n := 4
			switch e {
			case 'x':
				n = 2
			case 'U':
				n = 8
			}
			if i+1+n > len(body) {
				out = append(out, '\\', e)
				continue
			}
			r, err := strconv.ParseUint(string(body[i+1:i+1+n]), 16, 32)
			if err != nil {
				out = append(out, '\\', e)
				continue
			}
			out = utf8.AppendRune(out, rune(r))
			i += n
		default:
			out = append(out, e)
		}
	}
	return out
}
