package config

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/multienv/multienv/internal/envfile"
	"github.com/multienv/multienv/internal/position"
	"github.com/multienv/multienv/internal/text"
)

// A value of [values] or of an environment's values is one of: string,
// int64, float64, bool, []any (of those) or map[string]any (a table, whose
// keys are value keys). Tables merge key by key; everything else replaces.

// valuePlaceholders are what a string value may hold: the resolved id, its
// environment's name and its instance.
var valuePlaceholders = [...]string{"id", "env", "instance"}

// fills are the texts of the placeholders, in valuePlaceholders' order.
type fills [len(valuePlaceholders)]string

// checkValues checks [values] and every environment's values: declared keys
// of the declared type, known placeholders, secret-like keys (a warning), and
// what export would refuse (valueText, exportIssues).
func (ck *checker) checkValues(cfg *Config) {
	// Values nested deeper than anyone writes would make every walk below
	// build long pointers: stop there, once.
	if d := depth(cfg.Values); d > maxValueDepth {
		ck.report("/values", true, "values nest more than %d tables or arrays deep", maxValueDepth)
		return
	}
	for i, e := range cfg.Envs {
		if d := depth(e.Values); d > maxValueDepth {
			ck.report(fmt.Sprintf("/envs/%d/values", i), true, "values nest more than %d tables or arrays deep", maxValueDepth)
			return
		}
	}
	longest := longestFill(cfg.Envs)
	(&valueWalk{ck, true, true, longest}).walk(cfg.Values, "/values", "", true)
	for i, e := range cfg.Envs {
		if e.Values == nil {
			continue
		}
		ptr := fmt.Sprintf("/envs/%d/values", i)
		if cfg.Values == nil {
			ck.report(ptr, true, "environment %q sets values, but the file declares none: declare them, with their defaults, in [values]", e.Name)
		} else {
			ck.override(cfg.Values, e.Values, ptr, "values")
		}
		(&valueWalk{ck, false, cfg.Values != nil, longest}).walk(e.Values, ptr, "", true)
	}
	// What export refuses with the default prefix or with none, at each key.
	cfg.exportIssues(func(ptr, msg string) { ck.report(ptr, true, "%s", msg) }, envfile.DefaultPrefix, "")
}

// valueWalk checks the strings and keys of [values] (declared) or of an
// environment's values: placeholders (when [values] exists), a declared key
// named like a secret, and valueText.
type valueWalk struct {
	ck                     *checker
	declared, placeholders bool
	longest                fills
}

// walk checks v, at ptr and dotted key; exported: not inside an array.
func (w *valueWalk) walk(v any, ptr, key string, exported bool) {
	switch v := v.(type) {
	case string:
		if w.placeholders {
			if why := checkPlaceholders(v); why != "" {
				w.ck.report(ptr, false, "%s %s", text.Quote(v), why)
			}
		}
		w.ck.valueText(v, ptr, key, exported, w.longest)
	case []any:
		for i, e := range v {
			w.walk(e, fmt.Sprintf("%s/%d", ptr, i), key, false)
		}
	case map[string]any:
		for _, k := range keysOf(v) {
			kptr, sub := ptr+"/"+position.EscapeSegment(k), k
			if key != "" {
				sub = key + "." + k
			}
			if w.declared && text.IsSecretName(k) {
				w.ck.warn(kptr, true, "value %s is named like a secret: values are printed (get, export, current --json) and kept in the repository; keep secrets in a secret store and read them at run time", text.Quote(k))
			}
			w.walk(v[k], kptr, sub, exported)
		}
	}
}

// maxValueDepth is how deep values may nest, tables and arrays counted.
const maxValueDepth = 32

// depth is how deep v nests in tables and arrays (reading's limits bound it).
func depth(v any) int {
	deepest := 0
	switch c := v.(type) {
	case map[string]any:
		for _, e := range c {
			deepest = max(deepest, 1+depth(e))
		}
	case []any:
		for _, e := range c {
			deepest = max(deepest, 1+depth(e))
		}
	}
	return deepest
}

// undeclared is the hint of a key that [values] does not declare: the
// declared key it looks like, else where to declare it.
func undeclared(k string, declared map[string]any) hint {
	return func(try bool) string {
		if try {
			if s := text.DidYouMean(text.Closest(k, keysOf(declared))); s != "" {
				return s
			}
		}
		return "; declare it there with its default"
	}
}

// override checks that set holds only keys of declared, each of its type;
// path names the declared table in messages.
func (ck *checker) override(declared, set map[string]any, ptr, path string) {
	for _, k := range keysOf(set) {
		kptr := ptr + "/" + position.EscapeSegment(k)
		want, ok := declared[k]
		if !ok {
			ck.reportHinted(undeclared(k, declared), kptr, true, "%s is not declared in [%s]", text.Quote(k), path)
			continue
		}
		got := set[k]
		if !KindFits(KindOf(want), KindOf(got)) {
			ck.report(kptr, false, "expected %s, as [%s] declares %s, found %s", KindOf(want), path, text.Quote(k), describe(got))
			continue
		}
		if wt, ok := want.(map[string]any); ok {
			ck.override(wt, got.(map[string]any), kptr, path+"."+k)
		}
	}
}

// KindOf words the type of a value, for messages and for comparing types.
func KindOf(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return "a value"
}

// checkPlaceholders says what is wrong with the placeholders of s, or "".
func checkPlaceholders(s string) string {
	for i := 0; i < len(s); {
		kind, name, n := nextBrace(s[i:], true)
		i += n
		switch {
		case kind == strayBrace:
			return braceFaults[kind] + "; write }} for a literal }"
		case kind == unclosedBrace:
			return braceFaults[kind] + "; write {{ for a literal {"
		case kind == placeholder && !slices.Contains(valuePlaceholders[:], name):
			return unknownPlaceholder(name, valuePlaceholders[:], "; write {{ and }} for literal braces")
		}
	}
	return ""
}

// fillPlaceholders fills the placeholders of s with with, and makes {{ and
// }} single braces; any other brace stays.
func fillPlaceholders(s string, with fills) string {
	if !strings.ContainsAny(s, "{}") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		kind, part, n := nextBrace(s[i:], true)
		switch k := slices.Index(valuePlaceholders[:], part); {
		case kind != placeholder:
			b.WriteString(part)
		case k >= 0:
			b.WriteString(with[k])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// ValuesOf returns the values of id, of environment env (an index in Envs)
// and instance: [values] with the environment's merged in, tables key by
// key, other values replaced, placeholders filled, sharing nothing with the
// Config. By dotted key of each value but tables, origin says where it comes
// from ("the default" or "environment NAME", then " in FILE" when there are
// bases, then ", with placeholders filled") and file the file that set it.
func (c *Config) ValuesOf(env int, id, instance string) (tree map[string]any, origin, file map[string]string) {
	e := &c.Envs[env]
	with := fills{id, e.Name, instance}
	tree, origin, file = make(map[string]any, len(c.Values)), map[string]string{}, map[string]string{}
	layer := func(over map[string]any, from, setBy string, files map[string]string) {
		overlay(tree, over, "", func(t map[string]any, k, key string, v any) {
			filled := false
			t[k] = copyValue(v, func(s string) string {
				f := fillPlaceholders(s, with)
				filled = filled || f != s
				return f
			})
			file[key], origin[key] = cmp.Or(files[key], setBy), from
			if len(c.Files) > 1 {
				origin[key] += " in " + file[key]
			}
			if filled {
				origin[key] += ", with placeholders filled"
			}
		})
	}
	layer(c.Values, "the default", c.File, c.ValueFiles)
	if c.Values != nil { // else check has refused the environment's
		layer(e.Values, "environment "+e.Name, cmp.Or(e.Origin, c.File), e.ValueFiles)
	}
	return tree, origin, file
}

// overlay merges over into dst, tables key by key, and calls set for
// every other value with the table it goes in, its key and its dotted key.
func overlay(dst, over map[string]any, prefix string, set func(t map[string]any, k, key string, v any)) {
	for k, v := range over {
		t, isTable := v.(map[string]any)
		if !isTable {
			set(dst, k, prefix+k, v)
			continue
		}
		if _, ok := dst[k].(map[string]any); !ok {
			dst[k] = make(map[string]any, len(t))
		}
		overlay(dst[k].(map[string]any), t, prefix+k+".", set)
	}
}

// CopyValue copies tables and arrays, so that no caller shares them.
func CopyValue(v any) any { return copyValue(v, nil) }

// copyValue is CopyValue, each string s made f(s) when f is not nil.
func copyValue(v any, f func(string) string) any {
	switch v := v.(type) {
	case string:
		if f != nil {
			return f(v)
		}
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = copyValue(e, f)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = copyValue(e, f)
		}
		return out
	}
	return v
}
