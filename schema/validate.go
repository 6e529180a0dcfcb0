package schema

import (
	"fmt"
	"maps"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

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

// Validate checks doc against envs.schema.json with the validator
// generated from it (validate_gen.go), which links no JSON Schema library
// and compiles nothing until a check needs a pattern.
func Validate(doc any) ([]Violation, error) { return run(doc, (*checker).root) }

// run checks doc with the generated function of a schema.
func run(doc any, schema func(*checker, any, *place, *trail) bool) ([]Violation, error) {
	c := &checker{}
	schema(c, doc, nil, nil)
	if c.err != nil {
		return nil, c.err
	}
	slices.SortStableFunc(c.out, func(a, b Violation) int { return strings.Compare(a.Instance, b.Instance) })
	return c.out, nil
}

// checker collects the violations of one validation.
type checker struct {
	out []Violation
	err error
}

// place is the location of a value in the document, as a chain of parents
// built on the stack: it is written out only for a violation.
type place struct {
	up    *place
	key   string
	index int // -1 for a key
}

// child is the place of the value under key k of the table at p. The empty
// key adds no segment (see Violation.Instance).
func (p *place) child(k string, into *place) *place {
	if k == "" {
		return p
	}
	*into = place{up: p, key: k, index: -1}
	return into
}

// item is the place of the value at index i of the array at p.
func (p *place) item(i int, into *place) *place {
	*into = place{up: p, index: i}
	return into
}

func (p *place) pointer() string {
	var segs []string
	for ; p != nil; p = p.up {
		if p.index >= 0 {
			segs = append(segs, strconv.Itoa(p.index))
		} else {
			segs = append(segs, position.EscapeSegment(p.key))
		}
	}
	return joinBackward(segs)
}

// joinBackward writes segs, last first, each after a slash.
func joinBackward(segs []string) string {
	var b strings.Builder
	for i := len(segs) - 1; i >= 0; i-- {
		b.WriteByte('/')
		b.WriteString(segs[i])
	}
	return b.String()
}

// trail is the evaluation path so far, a chain of keyword paths.
type trail struct {
	up  *trail
	seg string
}

func (t *trail) path(last string) string {
	var segs []string
	if last != "" {
		segs = append(segs, last)
	}
	for ; t != nil; t = t.up {
		segs = append(segs, t.seg)
	}
	return joinBackward(segs)
}

// fail records a violation of the keyword at keyword (in the schema) and
// rel (its path relative to the schema that holds it, empty for a boolean
// schema).
func (c *checker) fail(at *place, t *trail, keyword, rel, msg string) {
	c.out = append(c.out, Violation{Instance: at.pointer(), Keyword: keyword, Path: t.path(rel), Message: msg})
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

// equal reports whether two JSON values are equal: numbers by value
// (1 equals 1.0), arrays item by item, tables key by key.
func (c *checker) equal(a, b any) bool {
	if n, ok := b.(number); ok {
		if !isNumber(a) {
			c.jsonType(a)
			return false
		}
		b = string(n)
	} else if ta, tb := c.jsonType(a), c.jsonType(b); ta != tb {
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
