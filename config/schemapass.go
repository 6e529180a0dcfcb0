package config

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/multienv/multienv/internal/position"
	"github.com/multienv/multienv/internal/text"
	"github.com/multienv/multienv/schema"
)

// checkSchema is the schema pass: it reports each violation of the JSON
// Schema in the file's terms and flags where it is.
func checkSchema(c *collector, tree map[string]any, v schema.Validator) {
	violations, err := validate(v, tree)
	if err != nil {
		c.report("", false, "%v", err)
		return
	}
	for _, vi := range violations {
		schemaLeaf(c, tree, vi)
	}
}

// validate runs the schema validator, turning a panic inside it into an
// error: no input may crash Load.
func validate(v schema.Validator, tree map[string]any) (violations []schema.Violation, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the file cannot be checked against the schema: %v", r)
		}
	}()
	return v(tree)
}

// schemaDoc returns the schema as plain JSON values, read on the first
// problem that needs to say what the schema says, never at start-up (a
// package variable set by a call would run at init).
func schemaDoc() any {
	schemaOnce.Do(func() { _ = json.Unmarshal(schema.JSON(), &schemaTree) })
	return schemaTree
}

var (
	schemaOnce sync.Once
	schemaTree any
)

// schemaLeaf reports one violation of the schema.
func schemaLeaf(c *collector, tree map[string]any, e schema.Violation) {
	i := strings.LastIndexByte(e.Keyword, '/')
	parent, keyword := e.Keyword[:i], e.Keyword[i+1:]
	rule, _ := position.Lookup(schemaDoc(), e.Keyword)
	node, _ := position.Lookup(schemaDoc(), parent)
	ptr := e.Instance
	value, _ := position.Lookup(tree, ptr)
	list, _ := value.([]any)
	str, _ := value.(string)

	if i := strings.Index(e.Path, "/propertyNames/"); i >= 0 {
		propertyName(c, ptr, e.Path[:i], keyword, rule, what(node))
		return
	}

	// incomplete: the table holding ptr may seem to lack something for it.
	incomplete, msg := true, e.Message
	switch keyword {
	case "additionalProperties":
		unknownKeys(c, ptr, node, value)
		return
	case "required":
		missingKeys(c, ptr, rule, value)
		return
	case "type":
		msg = fmt.Sprintf("expected %s, found %s", typeNames(rule), describe(value))
	case "enum":
		incomplete, msg = false, notInEnum(value, str, rule)
	case "const":
		incomplete, msg = false, fmt.Sprintf("must be %s, found %s", show(rule), show(value))
	case "pattern":
		incomplete, msg = false, fmt.Sprintf("%s is not a valid %s: it must match %v", show(value), what(node), rule)
	case "maxLength":
		incomplete, msg = false, fmt.Sprintf("%s is too long: %d characters, at most %v", show(value), utf8.RuneCountInString(str), rule)
	case "minItems", "minProperties", "minLength":
		msg = "must not be empty"
		if n, ok := rule.(float64); ok && n > 1 && keyword == "minItems" {
			msg = fmt.Sprintf("must have at least %v items, found %d", n, len(list))
		} else if strings.HasSuffix(parent, "/$defs/signals") {
			msg = emptySignals
		}
	case "maxItems":
		msg = fmt.Sprintf("must have at most %v items, found %d", rule, len(list))
	}
	c.flag(ptr, incomplete)
	c.add(ptr, false, msg)
}

// unknownKeys reports each key of the table at ptr that node, its schema,
// does not have.
func unknownKeys(c *collector, ptr string, node, value any) {
	props, _ := position.Lookup(node, "/properties")
	allowed := keysOf(props)
	obj, _ := value.(map[string]any)
	for _, k := range keysOf(obj) {
		if slices.Contains(allowed, k) {
			continue
		}
		// The closest known key, when one is close, else the schema's few.
		hint := text.DidYouMean(text.Closest(k, allowed))
		if hint == "" {
			hint = "; expected one of: " + strings.Join(allowed, ", ")
		}
		c.flag(ptr+"/"+position.EscapeSegment(k), true)
		c.add(ptr+"/"+position.EscapeSegment(k), true, "unknown key "+text.Quote(k)+hint)
	}
}

// missingKeys reports each key of required the table at ptr lacks.
func missingKeys(c *collector, ptr string, required, value any) {
	obj, _ := value.(map[string]any)
	names, _ := required.([]any)
	for _, n := range names {
		if s, _ := n.(string); s != "" {
			if _, ok := obj[s]; !ok {
				c.flag(ptr+"/"+position.EscapeSegment(s), true)
				c.add(ptr, true, fmt.Sprintf("missing required key %q", s))
			}
		}
	}
}

// emptySignals is the problem of `when = []` or `pr = []`.
const emptySignals = "must not be empty: no signal of an empty list can hold; give at least one, or leave the key out"

// propertyName reports a key that fails propertyNames, at the key. The
// validator places the key at ptr, the table's pointer and the key, except
// for the empty key, which it leaves out: ptr is then the table's own, as
// objPath, the evaluation path to the table's schema, tells by its depth.
func propertyName(c *collector, ptr, objPath, keyword string, rule any, noun string) {
	name := position.UnescapeSegment(ptr[strings.LastIndexByte(ptr, '/')+1:])
	keyPtr := ptr
	if instanceDepth(objPath) == strings.Count(ptr, "/") {
		name, keyPtr = "", ptr+"/"
	}
	c.flag(keyPtr, false)
	msg := fmt.Sprintf("%s is not a valid %s: it must match %v", text.Quote(name), noun, rule)
	if keyword == "maxLength" {
		msg = fmt.Sprintf("%s is too long for a %s: %d characters, at most %v", text.Quote(name), noun, utf8.RuneCountInString(name), rule)
	}
	c.add(keyPtr, true, msg)
}

// instanceDepth is how many levels of the document an evaluation path
// descends: properties/NAME, additionalProperties and items each one.
func instanceDepth(path string) int {
	segs, n := strings.Split(path, "/"), 0
	for i := 1; i < len(segs); i++ {
		switch segs[i] {
		case "properties":
			i++ // the property's name
			n++
		case "additionalProperties", "items":
			n++
		}
	}
	return n
}

// what names the value a schema node describes, from its description's
// first phrase ("Environment name: ..." gives "environment name").
func what(node any) string {
	d, _ := node.(map[string]any)["description"].(string)
	d, _, _ = strings.Cut(d, ":")
	d, _, _ = strings.Cut(d, ".")
	if d == "" {
		return "value"
	}
	d = strings.ToLower(d[:1]) + d[1:]
	return strings.TrimPrefix(strings.TrimPrefix(d, "an "), "a ")
}

// notInEnum words a value (str if a string) that is none of an enum's strings.
func notInEnum(value any, str string, enum any) string {
	list, _ := enum.([]any)
	names := make([]string, len(list))
	for i, v := range list {
		names[i], _ = v.(string)
	}
	msg := fmt.Sprintf("%s is not one of: %s", show(value), strings.Join(names, ", "))
	if near := text.Closest(str, names); near != str { // "" is close to nothing
		return msg + text.DidYouMean(near)
	}
	return msg
}

// typeNames words a schema "type", a name or a list of them, in TOML terms.
func typeNames(rule any) string {
	names := map[string]string{"object": "a table", "array": "an array", "string": "a string",
		"boolean": "a boolean", "integer": "an integer", "number": "a number"}
	list, _ := rule.([]any) // the schema's types are a name or a list of names
	if s, isStr := rule.(string); isStr {
		list = []any{s}
	}
	return joinWords(list, func(t any) string {
		s, _ := t.(string)
		return names[s]
	}, " or ")
}
