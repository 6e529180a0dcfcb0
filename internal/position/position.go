// Package position places a JSON pointer (/envs/0/name) of a TOML file at
// the line and column it is written at, and is the one home of JSON
// pointers: their escaping and the values they name.
package position

import (
	"bytes"
	"cmp"
	"sort"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// Position is a line and column in a file, both from 1.
type Position struct{ Line, Col int }

// span holds where a key and its value start.
type span struct{ key, value Position }

// Index maps a JSON pointer to where it is written in the TOML text. It is
// built only when a problem must be placed, so a file without any never
// pays for it.
type Index map[string]span

// The index holds no pointer deeper than maxIndexDepth segments (the
// format's deepest, /runtimes/0/when/0/equals/VAR/0, has 7), nor under one
// longer than maxPointer bytes, so it stays linear in the size of a file
// however deep it nests and however long its keys. A problem past them is
// placed at its nearest indexed parent. tooDeep is the depth of a table
// the index does not hold: nothing under it is indexed either.
const (
	maxIndexDepth = 12
	maxPointer    = 256
	tooDeep       = maxIndexDepth + 1
)

// child returns the pointer to seg under ptr, which is depth segments deep,
// and its depth; or ptr and tooDeep when the index does not hold it.
func child[S ~string | ~[]byte](ptr string, depth int, seg S) (string, int) {
	if depth >= maxIndexDepth || len(ptr) > maxPointer {
		return ptr, tooDeep
	}
	return ptr + "/" + EscapeSegment(string(seg)), depth + 1
}

// EscapeSegment escapes a key for a JSON pointer (~ and /).
func EscapeSegment(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// UnescapeSegment undoes EscapeSegment.
func UnescapeSegment(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

// Pointer joins path segments into a JSON pointer.
func Pointer(segs []string) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteByte('/')
		b.WriteString(EscapeSegment(s))
	}
	return b.String()
}

// Lookup returns the value at ptr in doc, of plain JSON values, if any. It
// allocates nothing for a pointer without escapes.
func Lookup(doc any, ptr string) (any, bool) {
	if ptr == "" {
		return doc, true
	}
	for seg := range strings.SplitSeq(ptr[1:], "/") {
		var ok bool
		if doc, ok = Step(doc, UnescapeSegment(seg)); !ok {
			return nil, false
		}
	}
	return doc, true
}

// Step returns the value under seg, an unescaped segment, in doc: the
// value of a key of a table, or an element of an array, whose index is
// written as RFC 6901 says, in digits without a leading zero.
func Step(doc any, seg string) (any, bool) {
	switch d := doc.(type) {
	case map[string]any:
		v, ok := d[seg]
		return v, ok
	case []any:
		if i, err := strconv.Atoi(seg); err == nil && i >= 0 && i < len(d) && seg == strconv.Itoa(i) {
			return d[i], true
		}
	}
	return nil, false
}

// At returns where the byte at offset of data is.
func At(data []byte, offset int) Position { return newLines(data).at(offset) }

// lines holds the offset at which each line starts.
type lines []int

func newLines(data []byte) lines {
	ls := lines{0}
	for i, b := range data {
		if b == '\n' {
			ls = append(ls, i+1)
		}
	}
	return ls
}

func (ls lines) at(offset int) Position {
	i := sort.Search(len(ls), func(i int) bool { return ls[i] > offset }) - 1
	return Position{i + 1, offset - ls[i] + 1}
}

// Build records where every key, table header and value of data starts. A
// syntax error stops the index where it occurs; what came before is kept.
func Build(data []byte) Index {
	// Sized for a value every two bytes, the most a file holds (1,1,1),
	// so that the map of a large file is not grown and copied again and
	// again.
	x := indexer{ix: make(Index, len(data)/2), data: data, lines: newLines(data), arrays: map[string]int{}}
	var p unstable.Parser
	p.Reset(data)
	table, depth := "", 0
	for p.NextExpression() {
		switch e := p.Expression(); e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table, depth = x.table(e)
		case unstable.KeyValue:
			x.keyValue(table, depth, e)
		}
	}
	return x.ix
}

type indexer struct {
	ix     Index
	data   []byte
	lines  lines
	arrays map[string]int // array-of-tables pointer -> tables seen
}

func (x *indexer) pos(r unstable.Range) Position { return x.lines.at(int(r.Offset)) }

// record places ptr at at, unless it is placed already.
func (x *indexer) record(ptr string, at Position) {
	if _, seen := x.ix[ptr]; !seen {
		x.ix[ptr] = span{key: at, value: at}
	}
}

// table indexes a table header, stepping into the last table of every
// array of tables on the way and recording each table it names, implicit
// parents included. It returns the pointer and depth of the table the
// header opens: for an array of tables, its new last table.
func (x *indexer) table(e *unstable.Node) (ptr string, depth int) {
	isArray := e.Kind == unstable.ArrayTable
	var first Position
	it := e.Key()
	for it.Next() {
		k := it.Node()
		first = cmp.Or(first, x.pos(k.Raw))
		if ptr, depth = child(ptr, depth, k.Data); depth == tooDeep {
			return ptr, depth
		}
		x.record(ptr, x.pos(k.Raw))
		if n := x.arrays[ptr]; n > 0 && (!isArray || !it.IsLast()) {
			ptr, depth = child(ptr, depth, strconv.Itoa(n-1)) // tooDeep ends the next turn
		}
	}
	if isArray && depth != tooDeep {
		x.arrays[ptr]++
		if ptr, depth = child(ptr, depth, strconv.Itoa(x.arrays[ptr]-1)); depth != tooDeep {
			x.ix[ptr] = span{key: first, value: first}
		}
	}
	return ptr, depth
}

// keyValue indexes each part of a key under the table at ptr, then its value.
func (x *indexer) keyValue(ptr string, depth int, kv *unstable.Node) {
	var last unstable.Range
	it := kv.Key()
	for it.Next() {
		k := it.Node()
		if ptr, depth = child(ptr, depth, k.Data); depth == tooDeep {
			return
		}
		x.record(ptr, x.pos(k.Raw))
		last = k.Raw
	}
	v, at := kv.Value(), x.ix[ptr].key
	if v.Raw.Length == 0 && last.Length > 0 {
		at = x.pos(valueStart(x.data, last))
	}
	x.value(ptr, depth, v, at)
}

// value indexes a value at ptr, written where its range starts (at when
// it has none), and what it holds.
func (x *indexer) value(ptr string, depth int, v *unstable.Node, at Position) {
	if v.Raw.Length > 0 {
		at = x.pos(v.Raw)
	}
	x.ix[ptr] = span{key: cmp.Or(x.ix[ptr].key, at), value: at}
	if depth >= maxIndexDepth {
		return
	}
	it, i := v.Children(), 0
	for it.Next() {
		switch c := it.Node(); {
		case v.Kind == unstable.InlineTable:
			x.keyValue(ptr, depth, c)
		case v.Kind == unstable.Array && c.Kind != unstable.Comment:
			x.value(ptr+"/"+strconv.Itoa(i), depth+1, c, at)
			i++
		}
	}
}

// valueStart returns the range just after `key =`, where the value starts.
func valueStart(data []byte, key unstable.Range) unstable.Range {
	end := min(int(key.Offset+key.Length), len(data))
	i := len(data) - len(bytes.TrimLeft(data[end:], " \t="))
	if i >= len(data) {
		return key
	}
	return unstable.Range{Offset: uint32(i), Length: 1}
}

// Find returns where ptr is written: its key when key is true, else its
// value. A pointer not in the file (a missing key, or one nested deeper
// than the index goes) falls back to its nearest parent that is.
func (ix Index) Find(ptr string, key bool) Position {
	for {
		if sp, ok := ix[ptr]; ok {
			if key {
				return sp.key
			}
			return sp.value
		}
		if ptr == "" {
			return Position{}
		}
		ptr = ptr[:strings.LastIndexByte(ptr, '/')]
		key = true
	}
}
