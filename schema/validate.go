package schema

import (
	"fmt"
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
	// Instance is the JSON pointer of the value (/envs/0/name); a key
	// checked by propertyNames is at the table's pointer plus the key. The
	// empty key adds no segment, as Go's JSON Schema validators place it.
	Instance string
	// Keyword is the keyword's location in the schema document, a JSON
	// pointer with URI-escaped segments (/$defs/env/properties/name/pattern);
	// a schema false is at its own location.
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
// value is the library's own: koanf's TOML parser and Validate; package
// schema/reference gives the one `resolver check` uses.
type Judge struct {
	// Parse turns the TOML text into a tree; nil is koanf's TOML parser.
	Parse func(data []byte) (map[string]any, error)
	// Validate checks the tree; nil is Validate.
	Validate Validator
}

// Validate checks doc against envs.schema.json by interpreting its nodes
// (validate_gen.go): it links no JSON Schema library and compiles nothing
// until a check needs a pattern.
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

// A node is a subschema as internal/schemagen writes it: the checks of its
// keywords, in the order of the JSON Schema validator the tests compare
// with. The nodes are statically initialised and name each other by index.
type node struct {
	loc    string // its location in the schema document, a JSON pointer escaped as in a URI
	checks []check
}

// A check is a keyword of a node, or one property of properties.
type check struct {
	op    op
	rel   string      // the keyword's location in its node: maxLength, properties/name
	msg   string      // enum: the message; a count: its format
	n     int         // a count: the least allowed
	max   bool        // a count: n is the most allowed
	value []any       // enum: the values, each a null, a bool, a string or a number
	key   string      // properties: the key
	names []string    // type: the JSON types; required: the keys
	re    *lazyRegexp // pattern
	sub   int         // $ref, properties, propertyNames, additionalProperties, items: the subschema, an index into the nodes
}

// An op is what a check checks. Those up to opRef apply to every value,
// the others to a table, an array or a string, and pass any other value.
type op uint8

const (
	opFalse op = iota // the schema false
	opType
	opEnum // enum, and const as an enum of one value
	opRef

	opPropertyCount // minProperties, maxProperties
	opRequired
	opProperty
	opPropertyNames
	opAdditional   // additionalProperties, a schema
	opNoAdditional // additionalProperties: false

	opItemCount // minItems, maxItems
	opItems

	opLength // minLength, maxLength
	opPattern
)

// checker collects the violations of one validation.
type checker struct {
	nodes []node
	out   []Violation
	err   error
	at    []string // the keys and indices that lead to the value checked
	path  []string // the keywords applied so far, each a location in its node
}

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

// applyUnder applies the subschema of k to x, the value at seg (a key or
// an index) in the value checked; the empty key adds no segment, so a $ref
// applies to the value checked itself.
func (c *checker) applyUnder(k *check, x any, seg string) bool {
	depth := len(c.at)
	if seg != "" {
		c.at = append(c.at, seg)
	}
	c.path = append(c.path, k.rel)
	held := c.apply(k.sub, x)
	c.path = c.path[:len(c.path)-1]
	c.at = c.at[:depth]
	return held
}

// check makes the check k of nd on v.
func (c *checker) check(nd *node, k *check, v any) bool {
	switch x := v.(type) {
	case map[string]any:
		if k.op >= opPropertyCount && k.op < opItemCount {
			return c.table(nd, k, x)
		}
	case []any:
		if k.op >= opItemCount && k.op < opLength {
			return c.array(nd, k, x)
		}
	case string:
		if k.op == opLength {
			return c.count(nd, k, utf8.RuneCountInString(x))
		}
		if k.op == opPattern {
			return k.re.MatchString(x) || c.fail(nd, k, "does not match pattern "+quote(k.re.expr))
		}
	}
	return k.op > opRef || c.value(nd, k, v)
}

// value makes a check that applies to every value.
func (c *checker) value(nd *node, k *check, v any) bool {
	switch k.op {
	case opFalse:
		return c.fail(nd, k, "not allowed")
	case opType:
		t := c.jsonType(v)
		return slices.Contains(k.names, t) ||
			t == "number" && slices.Contains(k.names, "integer") && isInteger(v) ||
			c.fail(nd, k, "expected "+strings.Join(k.names, " or ")+", but got "+t)
	case opRef:
		return c.applyUnder(k, v, "")
	}
	equal := func(x any) bool { return c.equal(v, x) }
	return slices.ContainsFunc(k.value, equal) || c.fail(nd, k, k.msg) // opEnum
}

// table makes a check of a table.
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
		return !has || c.applyUnder(k, x, k.key)
	case opNoAdditional:
		extra := nd.unknown(m)
		return len(extra) == 0 || c.fail(nd, k, "additionalProperties "+quoteAll(extra)+" not allowed")
	}
	ok := true // propertyNames, additionalProperties
	for key, x := range m {
		if k.op == opPropertyNames {
			x = key
		} else if nd.known(key) {
			continue
		}
		ok = c.applyUnder(k, x, key) && ok
	}
	return ok
}

// known reports whether the properties of nd name key.
func (nd *node) known(key string) bool {
	return slices.ContainsFunc(nd.checks, func(k check) bool { return k.op == opProperty && k.key == key })
}

// unknown returns the keys of m, sorted, that the properties of nd do not name.
func (nd *node) unknown(m map[string]any) []string {
	var out []string
	for key := range m {
		if !nd.known(key) {
			out = append(out, key)
		}
	}
	slices.Sort(out)
	return out
}

// array makes a check of an array.
func (c *checker) array(nd *node, k *check, a []any) bool {
	if k.op == opItemCount {
		return c.count(nd, k, len(a))
	}
	ok := true
	for i, x := range a {
		ok = c.applyUnder(k, x, strconv.Itoa(i)) && ok
	}
	return ok
}

// count checks a count of properties, items or characters against k.
func (c *checker) count(nd *node, k *check, got int) bool {
	outside := k.max && got > k.n || !k.max && got < k.n
	return !outside || c.fail(nd, k, fmt.Sprintf(k.msg, k.n, got))
}

// fail records that the value checked fails the check k of nd; it returns false.
func (c *checker) fail(nd *node, k *check, msg string) bool {
	var path string
	for _, seg := range c.path {
		path += "/" + seg
	}
	keyword := nd.loc
	if k.rel != "" {
		keyword += "/" + k.rel
		path += "/" + k.rel
	}
	c.out = append(c.out, Violation{Instance: position.Pointer(c.at), Keyword: keyword, Path: path, Message: msg})
	return false
}

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

// isInteger reports whether the number v has no fractional part (1.0
// too), as JSON Schema says.
func isInteger(v any) bool {
	r := rat(v)
	return r != nil && r.IsInt()
}

// rat is the exact value of the number v, as the validators compare
// numbers; nil for inf and nan.
func rat(v any) *big.Rat {
	r, _ := new(big.Rat).SetString(fmt.Sprint(v))
	return r
}

// number is a number of the schema (in enum), kept as written.
type number string

// equal reports whether a, a value of the document, equals b, a value of
// enum: numbers by value (1 equals 1.0).
func (c *checker) equal(a, b any) bool {
	t := c.jsonType(a) // also for its error, when a is of no JSON type
	if n, isNum := b.(number); isNum && t == "number" {
		x, y := rat(a), rat(string(n))
		return x != nil && y != nil && x.Cmp(y) == 0
	}
	return a == b
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
