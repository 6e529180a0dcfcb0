package config

import (
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

// pointer joins path segments into a JSON pointer.
func pointer(segs []string) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteByte('/')
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(s))
	}
	return b.String()
}

// indexPositions parses data with go-toml's AST parser and records where
// every key, table header and value starts. A syntax error stops the index
// where it occurs; what was indexed before stays usable.
func indexPositions(data []byte) positions {
	ix := positions{}
	var p unstable.Parser
	p.Reset(data)
	pos := func(r unstable.Range) position {
		s := p.Shape(r)
		return position{s.Start.Line, s.Start.Column}
	}
	arrays := map[string]int{} // array-of-tables pointer -> tables seen
	var table []string

	// headerPath resolves a table header's keys, stepping into the last
	// table of every array of tables on the way.
	headerPath := func(e *unstable.Node, isArray bool) ([]string, position) {
		var segs []string
		var first position
		it := e.Key()
		for it.Next() {
			k := it.Node()
			if len(segs) == 0 {
				first = pos(k.Raw)
			}
			segs = append(segs, string(k.Data))
			if n := arrays[pointer(segs)]; n > 0 && (!isArray || !it.IsLast()) {
				segs = append(segs, strconv.Itoa(n-1))
			}
		}
		return segs, first
	}

	var keyValue func(base []string, kv *unstable.Node)
	var value func(path []string, v *unstable.Node, at position)
	value = func(path []string, v *unstable.Node, at position) {
		ptr := pointer(path)
		sp := ix[ptr]
		sp.value = at
		if sp.key == (position{}) {
			sp.key = at
		}
		ix[ptr] = sp
		switch v.Kind {
		case unstable.InlineTable:
			it := v.Children()
			for it.Next() {
				keyValue(path, it.Node())
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
				value(append(path[:len(path):len(path)], strconv.Itoa(i)), c, cat)
				i++
			}
		}
	}
	keyValue = func(base []string, kv *unstable.Node) {
		path := base[:len(base):len(base)]
		var last unstable.Range
		it := kv.Key()
		for it.Next() {
			k := it.Node()
			path = append(path, string(k.Data))
			ptr := pointer(path)
			if _, seen := ix[ptr]; !seen {
				at := pos(k.Raw)
				ix[ptr] = span{key: at, value: at}
			}
			last = k.Raw
		}
		v := kv.Value()
		at := ix[pointer(path)].key
		if v.Raw.Length > 0 {
			at = pos(v.Raw)
		} else if last.Length > 0 {
			at = pos(valueStart(p.Data(), last))
		}
		sp := ix[pointer(path)]
		value(path, v, at)
		sp.value = ix[pointer(path)].value
		ix[pointer(path)] = sp
	}

	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			isArray := e.Kind == unstable.ArrayTable
			segs, at := headerPath(e, isArray)
			ptr := pointer(segs)
			if _, seen := ix[ptr]; !seen {
				ix[ptr] = span{key: at, value: at}
			}
			if isArray {
				n := arrays[ptr]
				arrays[ptr] = n + 1
				segs = append(segs, strconv.Itoa(n))
				ix[pointer(segs)] = span{key: at, value: at}
			}
			table = segs
		case unstable.KeyValue:
			keyValue(table, e)
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
// value. A pointer not in the file (a missing key) falls back to its
// nearest parent that is.
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
