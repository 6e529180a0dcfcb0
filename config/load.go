package config

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/knadh/koanf/parsers/toml/v2"
	gotoml "github.com/pelletier/go-toml/v2"

	"github.com/multienv/multienv/internal/position"
	"github.com/multienv/multienv/schema"
)

// Load reads, parses and checks the TOML file at path, merged over its
// bases: those given, then those the file names with extends. The file is
// parsed by koanf's TOML parser and checked by schema.Validate.
func Load(path string, bases ...Base) (*Config, error) {
	return LoadWith(path, schema.Judge{}, bases...)
}

// LoadWith is Load with the file read and checked by j, such as the
// reference judge of package schema/reference (both report the same
// problems); what j leaves nil is Load's.
func LoadWith(path string, j schema.Judge, bases ...Base) (*Config, error) {
	data, err := readFile(path, MaxFileSize)
	if err != nil {
		return nil, &Error{Problems: []Problem{{File: path, Message: err.Error()}}, cause: err}
	}
	if j.Validate == nil {
		j.Validate = schema.Validate
	}
	return parseWith(path, data, j, bases)
}

// Parse is Load for data, the TOML text of the file named name: the name is
// used in messages, as the File of the result and, by its directory, to
// place the bases the file names with extends.
func Parse(name string, data []byte, bases ...Base) (*Config, error) {
	return parseWith(name, data, schema.Judge{Validate: schema.Validate}, bases)
}

// Default returns the embedded default configuration, examples/multienv.toml,
// whose File is DefaultFile. It is compiled into Go (default_gen.go, which
// the tests check against the file), so that a process starting with it
// parses no TOML.
func Default() (*Config, error) {
	cfg := defaultConfig()
	mergeCatalog(cfg)
	return cfg, nil
}

// readPart runs the passes that need nothing but the file: limits, syntax,
// version, schema (unless j.Validate is nil) and decoding. After schema
// problems decoding still runs, to find every problem at once; an error is
// for a file that cannot go on, whose part holds only its collector.
func readPart(name string, data []byte, j schema.Judge) (*part, error) {
	// Some editors start a UTF-8 file with a byte order mark, which TOML
	// does not allow; it carries no content, so it is dropped.
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	p := &part{c: &collector{name: name, data: data}}
	if !withinLimits(p.c) {
		return p, p.c.failed()
	}
	tree, ok := syntax(p.c, j.Parse)
	if !ok || !version(p.c, tree) {
		return p, p.c.failed()
	}
	if j.Validate != nil {
		checkSchema(p.c, tree, j.Validate)
		// A file of another version is read no further, and only its
		// version is reported: its keys may mean something else there.
		if _, has := tree["version"]; has && p.c.settled["/version"] {
			p.c.problems = slices.DeleteFunc(p.c.problems, func(pr Problem) bool { return pr.Path != "version" })
			return p, p.c.failed()
		}
	}
	cfg := decode(p.c, tree)
	if err := p.c.failed(); err != nil && !p.c.schemaFound() {
		return p, err
	}
	p.tree, p.cfg = tree, cfg
	return p, nil
}

// finish adds the catalog to a decoded configuration and runs the
// semantic passes, then, on a configuration without problems, lint.
func finish(c *collector, cfg *Config) (*Config, error) {
	mergeCatalog(cfg)
	ids := semantics(c, cfg)
	if err := c.failed(); err != nil {
		return nil, err
	}
	lint(c, cfg, ids.envs)
	sortProblems(c.warnings)
	cfg.Warnings = c.warnings
	return cfg, nil
}

// version reports whether the file may be read as version 1: it declares
// 1, or nothing (the schema reports that). A float 1.0, which JSON Schema
// takes for the integer 1, is reported here.
func version(c *collector, tree map[string]any) bool {
	if v, ok := tree["version"].(float64); ok {
		c.report("/version", false, "expected the integer 1, found %s", describe(v))
		return false
	}
	return true
}

// syntax parses the TOML with parse (nil: koanf's TOML parser) and
// returns the tree with JSON types.
func syntax(c *collector, parse func([]byte) (map[string]any, error)) (map[string]any, bool) {
	if parse == nil {
		parse = toml.Parser().Unmarshal
	}
	tree, err := parse(c.data)
	if err != nil {
		at, msg := Problem{File: c.name, Line: 1, Col: 1}, err.Error()
		var de *gotoml.DecodeError
		if errors.As(err, &de) {
			at.Line, at.Col = de.Position()
			msg = de.Error()
			if key := de.Key(); len(key) > 0 {
				msg += " (key " + strings.Join(key, ".") + ")"
			}
		}
		at.Message = "syntax error: " + strings.TrimPrefix(msg, "toml: ")
		c.problems = append(c.problems, at)
		return nil, false
	}
	if tree == nil {
		tree = map[string]any{}
	}
	jsonTypes(c, tree, nil)
	return tree, len(c.problems) == 0
}

// jsonTypes reports the TOML values JSON has no type for (dates, times,
// inf and nan); path is built into a pointer only for such a value.
func jsonTypes(c *collector, v any, path []string) {
	switch v := v.(type) {
	case map[string]any:
		for k, ch := range v {
			switch ch.(type) {
			case string, bool, int64:
				continue
			}
			jsonTypes(c, ch, append(path, k))
		}
	case []any:
		for i, ch := range v {
			switch ch.(type) {
			case string, bool, int64:
				continue
			}
			jsonTypes(c, ch, append(path, strconv.Itoa(i)))
		}
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			c.report(position.Pointer(path), false, "inf and nan are not valid values here")
		}
	case time.Time, gotoml.LocalDate, gotoml.LocalTime, gotoml.LocalDateTime:
		c.report(position.Pointer(path), false, "a date or time is not a valid value here")
	}
}
