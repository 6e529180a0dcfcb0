package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/multienv/multienv/internal/position"
	"github.com/multienv/multienv/internal/text"
)

// A value of [values] or of an environment's values is one of: string,
// int64, float64, bool, []any (of those) or map[string]any (a table, whose
// keys are value keys). Tables merge key by key; everything else replaces.

// valuePlaceholders are what a string value may hold: the resolved id, its
// environment's name and its instance.
var valuePlaceholders = []string{"id", "env", "instance"}

// checkValues checks [values] and every environment's values: an
// environment sets only keys [values] declares, each with a value of the
// declared type; strings hold only known placeholders; keys that look like
// secrets draw a warning; and what export would refuse (valueText,
// checkExports).
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
	if cfg.Values != nil {
		(&valueWalk{ck, true, true, longest}).walk(cfg.Values, "/values", "", true)
	}
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
	ck.checkExports(cfg)
}

// valueWalk checks the strings and keys of a table of values, [values]
// (declared) or an environment's: the placeholders of every string (when
// the file declares [values] to check them against), a key named like a
// secret in [values], and what export makes of every string (valueText).
type valueWalk struct {
	ck                     *checker
	declared, placeholders bool
	longest                fillLen
}

// walk checks v, at ptr: key is its dotted key, and exported says whether
// export prints it (not inside an array).
//
// Values are printed (get, export, current --json), and a file in a
// repository is no place for a secret: hence the warning on a key named
// like one.
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

// depth is how deep v nests, counting tables and arrays, without
// recursion (a hostile file nests as deep as the limits allow).
func depth(v any) int {
	type item struct {
		v any
		d int
	}
	deepest := 0
	stack := []item{{v, 0}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		deepest = max(deepest, it.d)
		if it.d > maxValueDepth {
			return it.d // deep enough to say no
		}
		switch c := it.v.(type) {
		case map[string]any:
			for _, e := range c {
				stack = append(stack, item{e, it.d + 1})
			}
		case []any:
			for _, e := range c {
				stack = append(stack, item{e, it.d + 1})
			}
		}
	}
	return deepest
}

// undeclared is the hint of a key that [values] does not declare: the
// declared key it looks like, else where to declare it.
func undeclared(k string, names []string) hint {
	return func(try bool) string {
		if try {
			if s := text.DidYouMean(text.Closest(k, names)); s != "" {
				return s
			}
		}
		return "; declare it there with its default"
	}
}

// override checks that an environment's table sets only declared keys, each
// of the declared type. path names the declared table for messages.
func (ck *checker) override(declared, set map[string]any, ptr, path string) {
	var names []string // the declared keys, listed on the first unknown one
	for _, k := range keysOf(set) {
		kptr := ptr + "/" + position.EscapeSegment(k)
		want, ok := declared[k]
		if !ok {
			if names == nil {
				names = keysOf(declared)
			}
			ck.reportHinted(undeclared(k, names), kptr, true, "%s is not declared in [%s]", text.Quote(k), path)
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
		case kind == placeholder && !slices.Contains(valuePlaceholders, name):
			return unknownPlaceholder(name, valuePlaceholders, "; write {{ and }} for literal braces")
		}
	}
	return ""
}

// ExpandPlaceholders replaces {id}, {env} and {instance} in s, and {{ and
// }} by single braces. s is a checked value: every placeholder is known.
func ExpandPlaceholders(s, id, env, instance string) string {
	if !strings.ContainsAny(s, "{}") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		kind, name, n := nextBrace(s[i:], true)
		switch {
		case kind != placeholder: // a brace that is no placeholder stays
			b.WriteString(name)
		case name == "id":
			b.WriteString(id)
		case name == "env":
			b.WriteString(env)
		case name == "instance":
			b.WriteString(instance)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// ExportName is the variable a value exports as, after the prefix: its
// dotted key upper-cased, dots made underscores (db.host: DB_HOST).
func ExportName(key string) string {
	return strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// MergedValues returns the values of environment env (an index in Envs):
// [values] with the environment's own merged in, tables key by key, arrays
// and other values replaced. The result shares nothing with the Config.
// Strings keep their placeholders; ExpandPlaceholders fills them.
func (c *Config) MergedValues(env int) map[string]any {
	if c.Values == nil {
		return map[string]any{}
	}
	out := CopyValue(c.Values).(map[string]any)
	if env >= 0 && env < len(c.Envs) && c.Envs[env].Values != nil {
		mergeInto(out, c.Envs[env].Values)
	}
	return out
}

// mergeInto merges over into dst: a table into a table key by key,
// anything else replacing.
func mergeInto(dst, over map[string]any) {
	for k, v := range over {
		if t, ok := v.(map[string]any); ok {
			if d, ok := dst[k].(map[string]any); ok {
				mergeInto(d, t)
				continue
			}
		}
		dst[k] = CopyValue(v)
	}
}

// CopyValue copies tables and arrays, so that no caller shares them.
func CopyValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = CopyValue(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = CopyValue(e)
		}
		return out
	}
	return v
}
