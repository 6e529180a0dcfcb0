// Package mutate makes variants of a document of JSON values, one change
// each, for tests that feed two implementations the same inputs and compare
// what they say: every value replaced by values of each type, every key
// removed, an unknown key added, arrays shortened and given duplicates,
// strings made long, empty or upper-case.
package mutate

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Samples are the values each value of a document is replaced with: one
// or more of every JSON type TOML can write, at the edges schemas draw.
func Samples() []any {
	return []any{"", "x", "Prd", "a/b~c", strings.Repeat("a", 300), int64(0), int64(-1), int64(7), int64(1) << 40,
		1.5, 1.0, true, false, []any{}, []any{"a"}, []any{int64(1), int64(1)}, []any{map[string]any{}},
		map[string]any{}, map[string]any{"a": "b"}, map[string]any{"Z": []any{}}}
}

// Each calls visit with each variant of doc, and a word for it; doc is
// not changed. When every is more than 1, only every every-th value of the
// document is changed (a large document, sampled).
func Each(doc any, samples []any, every int, visit func(what string, variant any)) {
	n := 0
	var walk func(path string, v any, set func(any) any)
	walk = func(path string, v any, set func(any) any) {
		if n++; every <= 1 || n%every == 0 {
			for i, s := range samples {
				visit(path+" = sample "+strconv.Itoa(i), set(s))
			}
			switch v := v.(type) {
			case string:
				for i, s := range []string{strings.Repeat(v, 40), strings.ToUpper(v), v + "-", " " + v} {
					visit(path+" = string "+strconv.Itoa(i), set(s))
				}
			case map[string]any:
				for _, k := range slices.Sorted(maps.Keys(v)) {
					cp := maps.Clone(v)
					delete(cp, k)
					visit(path+" without "+k, set(cp))
				}
				for _, k := range []string{"zz_unknown", "", "Bad Key"} {
					visit(path+" with "+strconv.Quote(k), set(with(v, k, int64(1))))
				}
			case []any:
				if len(v) > 0 {
					visit(path+" shortened", set(v[1:]))
					visit(path+" doubled", set(append(slices.Clone(v), v[0])))
				}
			}
		}
		switch v := v.(type) {
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(v)) {
				walk(path+"/"+k, v[k], func(x any) any { return set(with(v, k, x)) })
			}
		case []any:
			for i, c := range v {
				walk(path+"/"+strconv.Itoa(i), c, func(x any) any { return set(slices.Replace(slices.Clone(v), i, i+1, x)) })
			}
		}
	}
	walk("", doc, func(x any) any { return x })
}

func with(m map[string]any, k string, v any) map[string]any {
	cp := make(map[string]any, len(m)+1)
	maps.Copy(cp, m)
	cp[k] = v
	return cp
}

// Nodes counts the values of doc, doc included: Each makes about
// len(Samples()) variants of each.
func Nodes(doc any) int {
	n := 1
	switch v := doc.(type) {
	case map[string]any:
		for _, c := range v {
			n += Nodes(c)
		}
	case []any:
		for _, c := range v {
			n += Nodes(c)
		}
	}
	return n
}
