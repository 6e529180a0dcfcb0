package config

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/multienv/multienv/internal/text"
)

// ErrInvalid is matched by errors.Is for every configuration that cannot be
// read or does not pass the checks.
const ErrInvalid = sentinel("invalid configuration")

// sentinel is an error that is a constant: no importer can reassign it, and
// it costs nothing when the program starts.
type sentinel string

func (s sentinel) Error() string { return string(s) }

// Problem is one finding about a configuration file.
type Problem struct {
	File string
	// Line and Col start at 1; 0 when unknown.
	Line, Col int
	// Path is the key path, such as envs[1].name; empty for the whole file.
	Path    string
	Message string
	hint    hint // the end of Message, until the problems are sorted
}

// String formats the problem as FILE:LINE:COL: message, the way compilers
// and go vet do; the column, then the line, are left out when unknown.
func (p Problem) String() string {
	s := text.Path(p.File)
	if p.Line > 0 {
		s += ":" + strconv.Itoa(p.Line)
		if p.Col > 0 {
			s += ":" + strconv.Itoa(p.Col)
		}
	}
	if p.Path != "" {
		s += ": " + text.EscapeCut(p.Path, 4*text.MaxQuoted) // whole in JSON, cut in a line
	}
	return s + ": " + text.Escape(p.Message) // this package's are safe already, others' may not be
}

// Error is the error of a configuration that could not be loaded. It holds
// every problem found, sorted by file and position.
type Error struct {
	Problems []Problem
	cause    error // why the file could not be read, or nil
}

// Error returns the problems, one a line.
func (e *Error) Error() string { return strings.Join(texts(e.Problems), "\n") }

// Is reports whether target is ErrInvalid.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

// Unwrap returns why the file could not be read (a missing file matches
// fs.ErrNotExist), or nil when it was read and its content is at fault.
func (e *Error) Unwrap() error { return e.cause }

func sortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
}

// keysOf returns the keys of a table, sorted: the order problems are found in.
func keysOf(v any) []string {
	m, _ := v.(map[string]any)
	return slices.Sorted(maps.Keys(m))
}

// texts gives each of xs as written.
func texts[T fmt.Stringer](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = x.String()
	}
	return out
}

// describe names the TOML type of a value.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "nothing"
	case string:
		return "string " + show(v)
	case bool:
		return "boolean " + strconv.FormatBool(v)
	case int64, int:
		return fmt.Sprintf("integer %v", v)
	case float64:
		return fmt.Sprintf("float %v", v)
	case []any:
		return "array"
	case map[string]any:
		return "table"
	}
	return fmt.Sprintf("%T", v)
}

// show prints a value from the file, quoted and cut as values are everywhere.
func show(v any) string {
	if s, ok := v.(string); ok {
		return text.Quote(s)
	}
	if f, ok := v.(float64); ok && f == float64(int64(f)) {
		return strconv.FormatInt(int64(f), 10)
	}
	return fmt.Sprint(v)
}
