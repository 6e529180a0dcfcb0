package schema

import (
	"cmp"
	"fmt"
	"maps"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/multienv/multienv/internal/position"
)

//go:generate go run ../internal/schemagen -o validate_gen.go envs.schema.json
//go:generate go run ../internal/schemagen -prefix kw -o keywords_gen_test.go testdata/keywords.schema.json

// A Violation is a keyword of the schema that a value of the document
// fails, with nothing failing below it: a leaf of the validation.
type Violation struct {
	// Instance is the JSON pointer of the value (/envs/0/name). A key
	// checked by propertyNames is the table's pointer and the key; the
	// empty key, as the JSON Schema validators of Go place it, adds no
	// segment, so a value under it is at its table's pointer.
	Instance string
	// Keyword is the location of the keyword in the schema document, a
	// JSON pointer whose segments are escaped as in a URI
	// (/$defs/env/properties/name/pattern); a boolean schema false is at
	// its own location.
	Keyword string
	// Path is the keyword's location along the evaluation path, through
	// each $ref (/properties/envs/items/$ref/properties/name/pattern).
	Path string
	// Message says what failed, in the JSON Schema validator's words
	// ("length must be <= 32, but got 40").
	Message string
}

// A Validator checks a document (JSON values: map[string]any, []any,
// string, bool, nil, float64 or int64) against envs.schema.json. It returns
// every violation, or an error when the document cannot be checked at all.
type Validator func(doc any) ([]Violation, error)

// A Judge is how a file is read and checked against the schema. Its zero
// value is the library's own: koanf's TOML parser and Validate, the
// generated validator. Package schema/reference gives the other, which
// `resolver check` uses: koanf's loader and the JSON Schema validator.
type Judge struct {
	// Parse turns the TOML text into a tree of values; nil is koanf's TOML
	// parser.
	Parse func(data []byte) (map[string]any, error)
	// Validate checks the tree; nil is Validate.
	Validate Validator
}

// Validate checks doc against envs.schema.json with the schema's nodes,
// compiled from it into validate_gen.go, so that it links no JSON Schema
// library and compiles nothing until a check needs a pattern.
func Validate(doc any) ([]Violation, error) { return run(doc, nodes) }

// run checks doc against the schema whose nodes are nodes, the root first.
func run(doc any, nodes []node) ([]Violation, error) {
	c := &checker{nodes: nodes}
	c.apply(0, doc)
	if c.err != nil {
		return nil, c.err
	}
	slices.SortStableFunc(c.out, func(a, b Violation) int { return strings.Compare(a.Instance, b.Instance) })
	return c.out, nil
}

// checker collects the violations of one validation.
type checker struct {
	nodes []node
	out   []Violation
	err   error
	at    []place  // where the value checked is in the document
	path  []string // the keywords applied so far, each a location in its node
}

// place is a segment of the location of a value in the document: a key,
// or an index when index >= 0.
type place struct {
	key   string
	index int
}

// A node is a subschema, compiled by internal/schemagen into data: the
// checks of its keywords, in the order the JSON Schema validator the tests
// compare with makes them. The generated nodes are statically initialised
// and refer to each other by index, the root first.
type node struct {
	loc    string // its location in the schema document, a JSON pointer escaped as in a URI
	checks []check
}

// A check is a keyword of a node, or one entry of a keyword that lists
// several (a property, a pattern, a prefix item, a subschema of allOf).
type check struct {
	op    op
	rel   string      // the keyword's location in its node: maxLength, properties/name
	msg   string      // the message, or its format
	n     int         // type: the set of types; a count's bound; a prefix item's index; items: the first index
	fails int         // a bound: the outcomes of comparing with it that fail the check
	num   string      // a number's bound, as the schema writes it
	value any         // const: the value; enum: the list of values
	key   string      // properties: the key
	names []string    // required: the keys
	re    *lazyRegexp // pattern, patternProperties
	sub   int         // the subschema applied, an index into the nodes
	of    []check     // anyOf, oneOf: their subschemas; if: then and else (opThen, opElse), those present
}

// An op is what a check checks. Those up to opIf apply to every value, the
// others to a table, an array, a string or a number, and pass any other.
type op uint8

const (
	opFalse op = iota // the schema false
	opType            // n is the set of types
	opConst
	opEnum
	opRef // $ref and each subschema of allOf
	opNot
	opAnyOf
	opOneOf
	opIf
	opThen
	opElse

	opPropertyCount // minProperties, maxProperties
	opRequired
	opProperty
	opPropertyNames
	opPatternProperty
	opAdditional   // additionalProperties, a schema
	opNoAdditional // additionalProperties: false

	opItemCount // minItems, maxItems
	opUniqueItems
	opPrefixItem
	opItems

	opLength // minLength, maxLength
	opPattern

	opBound // minimum, maximum and their exclusive forms
	opMultipleOf
)

// The outcomes of comparing a value with a bound: a set of them is the
// fails of a check.
const (
	below = 1 << iota
	equal
	above
)

// outcome is the outcome of a comparison, d as cmp.Compare gives it.
func outcome(d int) int { return 1 << (d + 1) }

// apply checks v against the node at index n, reporting whether it passes.
func (c *checker) apply(n int, v any) bool {
	nd := &c.nodes[n]
	ok := true
	for i := range nd.checks {
		k := &nd.checks[i]
		if !c.check(nd, k, v) {
			if k.op == opType {
				return false // the validator checks nothing more of a value of another type
			}
			ok = false
		}
	}
	return ok
}

// applyAt applies the subschema of k to v.
func (c *checker) applyAt(k *check, v any) bool {
	c.path = append(c.path, k.rel)
	held := c.apply(k.sub, v)
	c.path = c.path[:len(c.path)-1]
	return held
}

// applyUnder applies the subschema of k to x, the value under key, or at
// index i when i >= 0, of the value checked. The empty key adds no segment
// to the instance (see Violation.Instance).
func (c *checker) applyUnder(k *check, x any, key string, i int) bool {
	depth := len(c.at)
	if key != "" || i >= 0 {
		c.at = append(c.at, place{key, i})
	}
	held := c.applyAt(k, x)
	c.at = c.at[:depth]
	return held
}

// holds reports whether v passes the subschema of k, recording nothing.
func (c *checker) holds(k *check, v any) bool {
	mark := len(c.out)
	held := c.applyAt(k, v)
	c.out = c.out[:mark]
	return held
}

// check makes the check k of nd on v.
func (c *checker) check(nd *node, k *check, v any) bool {
	switch {
	case k.op < opRef:
		return c.value(nd, k, v)
	case k.op < opPropertyCount:
		return c.inPlace(nd, k, v)
	case k.op < opItemCount:
		m, isMap := v.(map[string]any)
		return !isMap || c.table(nd, k, m)
	case k.op < opLength:
		a, isArray := v.([]any)
		return !isArray || c.array(nd, k, a)
	case k.op < opBound:
		s, isString := v.(string)
		return !isString || c.text(nd, k, s)
	}
	return !isNumber(v) || c.number(nd, k, v)
}

func (c *checker) value(nd *node, k *check, v any) bool {
	switch k.op {
	case opFalse:
		return c.fail(nd, k, "not allowed")
	case opType:
		return c.hasType(v, k.n) || c.fail(nd, k, k.msg+c.jsonType(v))
	case opConst:
		return c.equal(v, k.value) || c.fail(nd, k, k.msg)
	}
	for _, x := range k.value.([]any) { // opEnum
		if c.equal(v, x) {
			return true
		}
	}
	return c.fail(nd, k, k.msg)
}

func (c *checker) inPlace(nd *node, k *check, v any) bool {
	switch k.op {
	case opRef:
		return c.applyAt(k, v)
	case opNot:
		return !c.holds(k, v) || c.fail(nd, k, "not failed")
	case opAnyOf:
		mark := len(c.out)
		for i := range k.of {
			if c.applyAt(&k.of[i], v) {
				c.out = c.out[:mark]
				return true
			}
		}
		return false
	case opOneOf:
		return c.oneOf(nd, k, v)
	}
	held, ok := c.holds(k, v), true // opIf
	for i := range k.of {
		if (k.of[i].op == opThen) == held && !c.applyAt(&k.of[i], v) {
			ok = false
		}
	}
	return ok
}

// oneOf checks that v passes exactly one subschema of k; it stops at the
// second that v passes.
func (c *checker) oneOf(nd *node, k *check, v any) bool {
	mark, matched := len(c.out), -1
	for i := range k.of {
		if !c.applyAt(&k.of[i], v) {
			continue
		}
		if matched >= 0 {
			c.out = c.out[:mark]
			return c.fail(nd, k, fmt.Sprintf("valid against schemas at indexes %d and %d", matched, i))
		}
		matched = i
	}
	if matched < 0 {
		return false
	}
	c.out = c.out[:mark]
	return true
}

func (c *checker) table(nd *node, k *check, m map[string]any) bool {
	switch k.op {
	case opPropertyCount:
		return c.count(nd, k, len(m))
	case opRequired:
		var missing []string
		for _, key := range k.names {
			if _, has := m[key]; !has {
				missing = append(missing, key)
			}
		}
		return len(missing) == 0 || c.fail(nd, k, "missing properties: "+quoteAll(missing))
	case opProperty:
		x, has := m[k.key]
		return !has || c.applyUnder(k, x, k.key, -1)
	case opNoAdditional:
		extra := extraKeys(m, nd.known)
		return len(extra) == 0 || c.fail(nd, k, "additionalProperties "+quoteAll(extra)+" not allowed")
	}
	return c.eachKey(nd, k, m)
}

// eachKey applies the subschema of k (propertyNames, patternProperties,
// additionalProperties) to the keys or values it applies to.
func (c *checker) eachKey(nd *node, k *check, m map[string]any) bool {
	ok := true
	for key, x := range m {
		switch {
		case k.op == opPropertyNames:
			x = key
		case k.op == opPatternProperty && !k.re.MatchString(key), k.op == opAdditional && nd.known(key):
			continue
		}
		if !c.applyUnder(k, x, key, -1) {
			ok = false
		}
	}
	return ok
}

// known reports whether the properties or patternProperties of nd name key.
func (nd *node) known(key string) bool {
	for i := range nd.checks {
		k := &nd.checks[i]
		if k.op == opProperty && k.key == key || k.op == opPatternProperty && k.re.MatchString(key) {
			return true
		}
	}
	return false
}

func (c *checker) array(nd *node, k *check, a []any) bool {
	switch k.op {
	case opItemCount:
		return c.count(nd, k, len(a))
	case opUniqueItems:
		j, i, dup := c.duplicate(a)
		return !dup || c.fail(nd, k, fmt.Sprintf("items at index %d and %d are equal", j, i))
	case opPrefixItem:
		return k.n >= len(a) || c.applyUnder(k, a[k.n], "", k.n)
	}
	ok := true
	for i := k.n; i < len(a); i++ { // opItems
		if !c.applyUnder(k, a[i], "", i) {
			ok = false
		}
	}
	return ok
}

func (c *checker) text(nd *node, k *check, s string) bool {
	if k.op == opLength {
		return c.count(nd, k, utf8.RuneCountInString(s))
	}
	return k.re.MatchString(s) || c.fail(nd, k, k.msg)
}

func (c *checker) number(nd *node, k *check, v any) bool {
	if k.op == opMultipleOf {
		return multipleOf(v, k.num) || c.fail(nd, k, fmt.Sprint(v)+k.msg)
	}
	d, known := compare(v, k.num)
	return !known || k.fails&outcome(d) == 0 || c.fail(nd, k, k.msg+fmt.Sprint(v))
}

// count checks a count of properties, items or characters against the
// bound of k.
func (c *checker) count(nd *node, k *check, got int) bool {
	return k.fails&outcome(cmp.Compare(got, k.n)) == 0 || c.fail(nd, k, fmt.Sprintf(k.msg, k.n, got))
}

// fail records that the value checked fails the check k of nd, and
// returns false.
func (c *checker) fail(nd *node, k *check, msg string) bool {
	var inst, path string
	for _, p := range c.at {
		if p.index >= 0 {
			inst += "/" + strconv.Itoa(p.index)
		} else {
			inst += "/" + position.EscapeSegment(p.key)
		}
	}
	for _, seg := range c.path {
		path += "/" + seg
	}
	keyword := nd.loc
	if k.rel != "" {
		keyword += "/" + k.rel
		path += "/" + k.rel
	}
	c.out = append(c.out, Violation{Instance: inst, Keyword: keyword, Path: path, Message: msg})
	return false
}

// The JSON types, as a set.
const (
	typeNull = 1 << iota
	typeBoolean
	typeObject
	typeArray
	typeNumber
	typeString
	typeInteger
)

// jsonType names the JSON type of v; a Go value of no JSON type stops the
// validation with an error.
func (c *checker) jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64, float32, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	if c.err == nil {
		c.err = fmt.Errorf("invalid JSON type %T", v)
	}
	return "invalid"
}

// hasType reports whether v is of one of the types of set.
func (c *checker) hasType(v any, set int) bool {
	var t int
	switch c.jsonType(v) {
	case "null":
		t = typeNull
	case "boolean":
		t = typeBoolean
	case "number":
		t = typeNumber
		if set&typeInteger != 0 && isInteger(v) {
			return true
		}
	case "string":
		t = typeString
	case "array":
		t = typeArray
	case "object":
		t = typeObject
	}
	return set&t != 0
}

// isNumber reports whether v is a JSON number.
func isNumber(v any) bool {
	switch v.(type) {
	case float64, float32, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return true
	}
	return false
}

// isInteger reports whether the number v has no fractional part (1.0 is
// an integer, as JSON Schema says).
func isInteger(v any) bool {
	r := rat(v)
	return r != nil && r.IsInt()
}

// rat is the exact value of the number v, as the validators compare
// numbers; nil for inf and nan.
func rat(v any) *big.Rat {
	r, ok := new(big.Rat).SetString(fmt.Sprint(v))
	if !ok {
		return nil
	}
	return r
}

// compare compares the number v with the decimal bound; ok is false when v
// has no exact value.
func compare(v any, bound string) (cmp int, ok bool) {
	r, b := rat(v), rat(number(bound))
	if r == nil || b == nil {
		return 0, false
	}
	return r.Cmp(b), true
}

// multipleOf reports whether the number v is a multiple of m.
func multipleOf(v any, m string) bool {
	r, d := rat(v), rat(number(m))
	return r == nil || d == nil || new(big.Rat).Quo(r, d).IsInt()
}

// number is a number of the schema (in const and enum), kept as written.
type number string

// An object is a table of the schema (in const and enum), its members
// sorted by key: unlike a map, it can be statically initialised.
type object []member

type member struct {
	key   string
	value any
}

// equal reports whether a, a value of the document, equals b, one of the
// document or of the schema: numbers by value (1 equals 1.0), arrays item
// by item, tables key by key.
func (c *checker) equal(a, b any) bool {
	switch y := b.(type) {
	case number:
		if !isNumber(a) {
			c.jsonType(a)
			return false
		}
		x, z := rat(a), rat(string(y))
		return x != nil && z != nil && x.Cmp(z) == 0
	case object:
		m, isMap := a.(map[string]any)
		if !isMap {
			c.jsonType(a)
			return false
		}
		return len(m) == len(y) && !slices.ContainsFunc(y, func(e member) bool {
			x, has := m[e.key]
			return !has || !c.equal(x, e.value)
		})
	}
	if ta, tb := c.jsonType(a), c.jsonType(b); ta != tb {
		return false
	}
	switch x := a.(type) {
	case []any:
		return slices.EqualFunc(x, b.([]any), c.equal)
	case map[string]any:
		return maps.EqualFunc(x, b.(map[string]any), c.equal)
	}
	if isNumber(a) {
		x, y := rat(a), rat(b)
		return x != nil && y != nil && x.Cmp(y) == 0
	}
	return a == b
}

// duplicate returns the indexes of the first pair of equal items: the
// first item equal to an earlier one, and the earliest such. A long array
// is compared through a canonical form of each item, in linear time.
func (c *checker) duplicate(items []any) (int, int, bool) {
	if len(items) <= 20 {
		for i := 1; i < len(items); i++ {
			for j := 0; j < i; j++ {
				if c.equal(items[i], items[j]) {
					return j, i, true
				}
			}
		}
		return 0, 0, false
	}
	seen := make(map[string]int, len(items))
	var b strings.Builder
	for i, item := range items {
		b.Reset()
		c.canonical(&b, item)
		if j, ok := seen[b.String()]; ok {
			return j, i, true
		}
		seen[b.String()] = i
	}
	return 0, 0, false
}

// canonical writes a form of v that two values share exactly when equal
// says they are equal.
func (c *checker) canonical(b *strings.Builder, v any) {
	switch c.jsonType(v) {
	case "number":
		if r := rat(v); r != nil {
			b.WriteString("n" + r.RatString() + ";")
			return
		}
		b.WriteString("n" + fmt.Sprint(v) + ";")
	case "string":
		b.WriteString("s" + strconv.Quote(v.(string)))
	case "array":
		b.WriteByte('[')
		for _, x := range v.([]any) {
			c.canonical(b, x)
		}
		b.WriteByte(']')
	case "object":
		m := v.(map[string]any)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b.WriteByte('{')
		for _, k := range keys {
			b.WriteString(strconv.Quote(k))
			c.canonical(b, m[k])
		}
		b.WriteByte('}')
	default:
		fmt.Fprintf(b, "%v;", v)
	}
}

// quote single-quotes s, as the validators' messages do.
func quote(s string) string {
	s = strconv.Quote(s)
	s = strings.ReplaceAll(s, `\"`, `"`)
	s = strings.ReplaceAll(s, `'`, `\'`)
	return "'" + s[1:len(s)-1] + "'"
}

// quoteAll quotes each name and joins them with commas.
func quoteAll(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = quote(n)
	}
	return strings.Join(out, ", ")
}

// extraKeys returns the keys of m that known rejects, sorted.
func extraKeys(m map[string]any, known func(string) bool) []string {
	var out []string
	for k := range m {
		if !known(k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// lazyRegexp is a pattern of the schema, compiled when first used.
type lazyRegexp struct {
	expr string
	once sync.Once
	re   *regexp.Regexp
}

func (l *lazyRegexp) MatchString(s string) bool {
	l.once.Do(func() { l.re = regexp.MustCompile(l.expr) })
	return l.re.MatchString(s)
}
