package config

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/knadh/koanf/parsers/toml/v2"
	gotoml "github.com/pelletier/go-toml/v2"

	"github.com/multienv/multienv/internal/text"
	"github.com/multienv/multienv/schema"
)

// Load reads, parses and checks the TOML file at path, merged over its
// bases: those given, then those the file names with extends. The file is
// parsed by koanf's TOML parser and checked by schema.Validate, the
// validator generated from the schema.
func Load(path string, bases ...Base) (*Config, error) {
	return LoadWith(path, schema.Judge{}, bases...)
}

// LoadWith is Load with the file read and checked by j.
func LoadWith(path string, j schema.Judge, bases ...Base) (*Config, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, &Error{Problems: []Problem{{File: path, Message: err.Error()}}, cause: err}
	}
	return ParseWith(path, data, j, bases...)
}

// Parse checks data, the TOML text of the file named name, against the
// syntax, the schema and the semantic rules, merged over its bases: those
// given, then those the file names with extends, relative to the
// directory of name. The name is used in messages and as the Source of
// the result. The file is parsed by koanf's TOML parser and checked by
// schema.Validate, the validator generated from the schema.
func Parse(name string, data []byte, bases ...Base) (*Config, error) {
	return ParseWith(name, data, schema.Judge{}, bases...)
}

// ParseWith is Parse with the file read and checked by j, such as the
// reference judge of package schema/reference; both report the same
// problems.
func ParseWith(name string, data []byte, j schema.Judge, bases ...Base) (*Config, error) {
	if j.Validate == nil {
		j.Validate = schema.Validate
	}
	return parseWith(name, data, j, bases)
}

// loader carries one file through the passes and collects its problems.
type loader struct {
	name     string
	data     []byte
	problems []Problem
	warnings []Problem
	// ix places problems at line and column; it is built on the first
	// problem, so a file without any never pays for it.
	ix positions
	// settled holds the pointers the schema pass found wrong. When it is
	// not empty the later passes still run, so that every problem is found
	// at once, but say nothing at or under those pointers: the schema
	// already did.
	settled map[string]bool
	// incomplete holds the tables in which the schema found a key unknown,
	// missing, of the wrong type or empty: what such a table seems to lack
	// (a rule that applies to nothing after a misspelt `groups`) is a
	// consequence, not a finding, so nothing is reported at the table itself.
	incomplete map[string]bool
	// flags collects, during the schema pass, what settle turns into
	// settled and incomplete.
	flags []schemaFlag
	// route, when set, finds the file and pointer a pointer of a merged
	// configuration is at (see merger.route).
	route func(ptr string) (*loader, string)
}

// schemaFlag is a pointer the schema found wrong, and whether the table holding
// it may therefore seem to lack something.
type schemaFlag struct {
	ptr        string
	incomplete bool
}

// settle turns the schema pass's flags into settled and incomplete.
func (l *loader) settle() {
	l.settled = make(map[string]bool, len(l.flags))
	l.incomplete = map[string]bool{}
	for _, f := range l.flags {
		l.settled[f.ptr] = true
		if f.incomplete && f.ptr != "" {
			l.incomplete[f.ptr[:strings.LastIndexByte(f.ptr, '/')]] = true
		}
	}
}

// report records a problem at a JSON pointer; key says whether to point at
// the key rather than its value.
//
// After schema problems, nothing is reported at or under a pointer the
// schema flagged, nor at the key of a table it found incomplete: such a
// report says what the table as a whole lacks.
func (l *loader) report(ptr string, key bool, format string, args ...any) {
	if l.isSettled(ptr) || key && l.incomplete[ptr] {
		return
	}
	p := l.problem(ptr, key, fmt.Sprintf(format, args...))
	p.ptr = ptr
	l.problems = append(l.problems, p)
}

// isSettled reports whether the schema pass found ptr, or a parent, wrong.
func (l *loader) isSettled(ptr string) bool {
	if len(l.settled) == 0 {
		return false
	}
	for {
		if l.settled[ptr] {
			return true
		}
		if ptr == "" {
			return false
		}
		ptr = ptr[:strings.LastIndexByte(ptr, '/')]
	}
}

func (l *loader) warn(ptr string, key bool, format string, args ...any) {
	l.warnings = append(l.warnings, l.problem(ptr, key, fmt.Sprintf(format, args...)))
}

func (l *loader) problem(ptr string, key bool, msg string) Problem {
	if l.route != nil {
		o, p := l.route(ptr)
		return o.problem(p, key, msg)
	}
	if l.ix == nil {
		l.ix = indexPositions(l.data)
	}
	at := l.ix.find(ptr, key)
	if at.line == 0 || at.col == 0 {
		at = position{1, 1} // the root table, which starts the file
	}
	return Problem{File: l.name, Line: at.line, Col: at.col, Path: displayPath(ptr), Message: msg}
}

// displayPath turns /envs/0/name into envs[0].name.
func displayPath(ptr string) string {
	if ptr == "" {
		return ""
	}
	var b strings.Builder
	for _, seg := range strings.Split(ptr[1:], "/") {
		seg = unescapeSegment(seg)
		if seg != "" && strings.Trim(seg, "0123456789") == "" {
			b.WriteString("[" + seg + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		if isBareKey(seg) && len(seg) <= text.MaxQuoted {
			b.WriteString(seg)
		} else {
			b.WriteString(text.Quote(seg))
		}
	}
	return b.String()
}

func isBareKey(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func (l *loader) failed() error {
	if len(l.problems) == 0 {
		return nil
	}
	sortProblems(l.problems)
	return &Error{Problems: l.problems}
}

// parse runs the passes. j.Validate is nil only for the files embedded in
// the binary, whose schema check the test suite makes once and for all.
func parse(name string, data []byte, j schema.Judge) (*Config, error) {
	l, _, cfg, err := readPart(name, data, j)
	if err != nil {
		return nil, err
	}
	return l.finish(cfg)
}

// readPart runs the passes of one file that need nothing but the file:
// limits, syntax, version, schema (unless j.Validate is nil) and decoding.
// It returns the loader, the tree and the decoded file, or the error when
// the file cannot go on; a loader may hold problems still (after schema
// problems the later passes run, to find every problem at once).
func readPart(name string, data []byte, j schema.Judge) (*loader, map[string]any, *Config, error) {
	// Editors on some systems start a UTF-8 file with a byte order mark,
	// which TOML does not allow; it carries no content, so it is dropped.
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	l := &loader{name: name, data: data}
	if !l.withinLimits() {
		return nil, nil, nil, l.failed()
	}
	tree, ok := l.syntax(j.Parse)
	if !ok {
		return nil, nil, nil, l.failed()
	}
	if !l.version(tree) {
		return nil, nil, nil, l.failed()
	}
	if j.Validate != nil {
		l.validateSchema(tree, j.Validate)
		l.settle()
		if _, has := tree["version"]; has && l.settled["/version"] {
			return nil, nil, nil, l.onlyAt("/version")
		}
	}
	cfg := l.decode(tree)
	if err := l.failed(); err != nil && len(l.settled) == 0 {
		return nil, nil, nil, err
	}
	return l, tree, cfg, nil
}

// finish adds the catalog to a decoded configuration and runs the
// semantic passes.
func (l *loader) finish(cfg *Config) (*Config, error) {
	l.merge(cfg)
	l.semantics(cfg)
	cfg.ids = nil
	if err := l.failed(); err != nil {
		return nil, err
	}
	sortProblems(l.warnings)
	cfg.Warnings = l.warnings
	return cfg, nil
}

// version reports whether the file may be read as version 1: it declares
// 1, or nothing (the schema reports a missing version with the rest). A
// float 1.0, which JSON Schema takes for the integer 1, is reported here.
// A file of another version is read no further: its keys may mean
// something else there, so only the version is reported.
func (l *loader) version(tree map[string]any) bool {
	if v, ok := tree["version"].(float64); ok {
		l.report("/version", false, "expected the integer 1, found %s", describe(v))
		return false
	}
	return true
}

// onlyAt drops every problem but those at ptr, and returns the error.
func (l *loader) onlyAt(ptr string) error {
	l.problems = slices.DeleteFunc(l.problems, func(p Problem) bool { return p.ptr != ptr })
	return l.failed()
}

// syntax parses the TOML with parse (nil: koanf's TOML parser) and
// returns the tree with JSON types.
func (l *loader) syntax(parse func([]byte) (map[string]any, error)) (map[string]any, bool) {
	if parse == nil {
		parse = toml.Parser().Unmarshal
	}
	tree, err := parse(l.data)
	if err != nil {
		var de *gotoml.DecodeError
		if errors.As(err, &de) {
			line, col := de.Position()
			msg := strings.TrimPrefix(de.Error(), "toml: ")
			if key := de.Key(); len(key) > 0 {
				msg += " (key " + strings.Join(key, ".") + ")"
			}
			l.problems = append(l.problems, Problem{File: l.name, Line: line, Col: col, Message: "syntax error: " + msg})
		} else {
			l.problems = append(l.problems, Problem{File: l.name, Line: 1, Col: 1, Message: "syntax error: " + strings.TrimPrefix(err.Error(), "toml: ")})
		}
		return nil, false
	}
	if tree == nil {
		tree = map[string]any{}
	}
	l.jsonTypes(tree, nil)
	return tree, len(l.problems) == 0
}

// jsonTypes reports the TOML values JSON has no type for (dates and times),
// which no key of the format takes. path is built into a pointer only for
// such a value.
func (l *loader) jsonTypes(v any, path []string) {
	switch v := v.(type) {
	case map[string]any:
		for k, c := range v {
			switch c.(type) {
			case string, bool, int64:
				continue
			}
			l.jsonTypes(c, append(path, k))
		}
	case []any:
		for i, c := range v {
			switch c.(type) {
			case string, bool, int64:
				continue
			}
			l.jsonTypes(c, append(path, strconv.Itoa(i)))
		}
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			l.report(pointer(path), false, "inf and nan are not valid values here")
		}
	case time.Time, gotoml.LocalDate, gotoml.LocalTime, gotoml.LocalDateTime:
		l.report(pointer(path), false, "a date or time is not a valid value here")
	}
}

// validateSchema checks the tree against the JSON Schema.
func (l *loader) validateSchema(tree map[string]any, v schema.Validator) {
	violations, err := validate(v, tree)
	if err != nil {
		l.report("", false, "%v", err)
		return
	}
	for _, vi := range violations {
		l.schemaLeaf(tree, vi)
	}
}

// validate runs the schema validator, turning a panic inside it into an
// error: no input may crash the loader.
func validate(v schema.Validator, tree map[string]any) (violations []schema.Violation, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the file cannot be checked against the schema: %v", r)
		}
	}()
	return v(tree)
}

// Default returns the embedded default configuration, examples/multienv.toml.
// Its Source is DefaultSource. It is the file loaded and compiled into Go
// (default_gen.go; the test suite checks one against the other), so that a
// process starting with it parses no TOML.
func Default() (*Config, error) {
	cfg := defaultConfig()
	(&loader{name: DefaultSource}).merge(cfg)
	return cfg, nil
}
