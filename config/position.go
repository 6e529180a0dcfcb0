package config

import (
	"sort"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// position is a line and column in a file, both from 1.
type position struct{ line, col int }

// span holds where a key and its value start.
type span struct{ key, value position }

// positions maps a JSON pointer (/envs/0/name) to where it is written in
// the TOML text. It is built only when there is a problem to report.
type positions map[string]span

// maxIndexDepth bounds the pointers indexed: the format's deepest key,
// /runtimes/0/when/0/equals/VAR/0, has 7 segments. A problem deeper than
// this is placed at its nearest indexed parent, which keeps the index
// linear in the size of a file however deeply it nests.
const maxIndexDepth = 12

// maxPointer bounds the length of a pointer the index goes under, so that
// one long key does not make every pointer below it as long: the index
// stays linear in the size of a file however long its keys.
const maxPointer = 256

// tooDeep is the depth of a table whose pointer the index does not hold:
// nothing under it is indexed either.
const tooDeep = maxIndexDepth + 1

// child returns the pointer to seg under ptr, which is depth segments deep,
// and whether the index holds it: not past maxIndexDepth, nor under a
// pointer longer than maxPointer.
func child[S ~string | ~[]byte](ptr string, depth int, seg S) (string, bool) {
	if depth >= maxIndexDepth || len(ptr) > maxPointer {
		return ptr, false
	}
	return ptr + "/" + escapeSegment(string(seg)), true
}

// escapeSegment escapes a key for a JSON pointer (~ and /).
func escapeSegment(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// unescapeSegment undoes escapeSegment.
func unescapeSegment(s string) string {
	if !strings.Contains(s, "~") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

// pointer joins path segments into a JSON pointer.
func pointer(segs []string) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteByte('/')
		b.WriteString(escapeSegment(s))
	}
	return b.String()
}

// lines finds the line and column of a byte offset.
type lines []int // the offset at which each line starts

func newLines(data []byte) lines {
	ls := lines{0}
	for i, b := range data {
		if b == '\n' {
			ls = append(ls, i+1)
		}
	}
	return ls
}

func (ls lines) at(offset int) position {
	i := sort.Search(len(ls), func(i int) bool { return ls[i] > offset }) - 1
	return position{i + 1, offset - ls[i] + 1}
}

// indexPositions parses data with go-toml's AST parser and records where
// every key, table header and value starts, down to maxIndexDepth. A syntax
// error stops the index where it occurs; what was indexed before stays
// usable.
func indexPositions(data []byte) positions {
	ix := positions{}
	var p unstable.Parser
	p.Reset(data)
	ls := newLines(data)
	pos := func(r unstable.Range) position { return ls.at(int(r.Offset)) }
	record := func(ptr string, at position) {
		if _, seen := ix[ptr]; !seen {
			ix[ptr] = span{key: at, value: at}
		}
	}
	arrays := map[string]int{} // array-of-tables pointer -> tables seen
	table, tableDepth := "", 0

	// header resolves a table header's keys to a pointer, stepping into the
	// last table of every array of tables on the way, and records each
	// table it names, implicit parents included.
	header := func(e *unstable.Node, isArray bool) (string, int, position) {
		ptr, depth, first := "", 0, position{}
		it := e.Key()
		for it.Next() {
			k := it.Node()
			if first == (position{}) {
				first = pos(k.Raw)
			}
			next, ok := child(ptr, depth, k.Data)
			if !ok {
				return ptr, tooDeep, first
			}
			ptr, depth = next, depth+1
			record(ptr, pos(k.Raw))
			if n := arrays[ptr]; n > 0 && (!isArray || !it.IsLast()) {
				if ptr, ok = child(ptr, depth, strconv.Itoa(n-1)); !ok {
					return ptr, tooDeep, first
				}
				depth++
			}
		}
		return ptr, depth, first
	}

	var keyValue func(base string, depth int, kv *unstable.Node)
	var value func(ptr string, depth int, v *unstable.Node, at position)
	value = func(ptr string, depth int, v *unstable.Node, at position) {
		sp := ix[ptr]
		sp.value = at
		if sp.key == (position{}) {
			sp.key = at
		}
		ix[ptr] = sp
		if depth >= maxIndexDepth {
			return
		}
		switch v.Kind {
		case unstable.InlineTable:
			it := v.Children()
			for it.Next() {
				keyValue(ptr, depth, it.Node())
			}
		case unstable.Array:
			it := v.Children()
			i := 0
			for it.Next() {
				c := it.Node()
				if c.Kind == unstable.Comment {
					continue
				}
				cat := at
				if c.Raw.Length > 0 {
					cat = pos(c.Raw)
				}
				value(ptr+"/"+strconv.Itoa(i), depth+1, c, cat)
				i++
			}
		}
	}
	keyValue = func(ptr string, depth int, kv *unstable.Node) {
		var last unstable.Range
		it := kv.Key()
		for it.Next() {
			k := it.Node()
			next, ok := child(ptr, depth, k.Data)
			if !ok {
				return
			}
			ptr, depth = next, depth+1
			record(ptr, pos(k.Raw))
			last = k.Raw
		}
		v := kv.Value()
		at := ix[ptr].key
		if v.Raw.Length > 0 {
			at = pos(v.Raw)
		} else if last.Length > 0 {
			at = pos(valueStart(p.Data(), last))
		}
		key := ix[ptr].key
		value(ptr, depth, v, at)
		sp := ix[ptr]
		sp.key = key
		ix[ptr] = sp
	}

	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			isArray := e.Kind == unstable.ArrayTable
			ptr, depth, at := header(e, isArray)
			if isArray && depth != tooDeep {
				n := arrays[ptr]
				arrays[ptr] = n + 1
				var ok bool
				if ptr, ok = child(ptr, depth, strconv.Itoa(n)); ok {
					depth++
					ix[ptr] = span{key: at, value: at}
				} else {
					depth = tooDeep
				}
			}
			table, tableDepth = ptr, depth
		case unstable.KeyValue:
			keyValue(table, tableDepth, e)
		}
	}
	return ix
}

// valueStart returns the range just after `key =`, where the value starts.
func valueStart(data []byte, key unstable.Range) unstable.Range {
	i := int(key.Offset + key.Length)
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '=') {
		i++
	}
	if i >= len(data) {
		return key
	}
	return unstable.Range{Offset: uint32(i), Length: 1}
}

// find returns where ptr is written: its key when key is true, else its
// value. A pointer not in the file (a missing key, or one nested deeper
// than the index goes) falls back to its nearest parent that is.
func (ix positions) find(ptr string, key bool) position {
	for {
		if sp, ok := ix[ptr]; ok {
			if key {
				return sp.key
			}
			return sp.value
		}
		if ptr == "" {
			return position{}
		}
		ptr = ptr[:strings.LastIndexByte(ptr, '/')]
		key = true
	}
}
