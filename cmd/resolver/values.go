package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/internal/text"
)

var cmdGet = &command{
	name:    "get",
	summary: "print one value of the current environment",
	usage:   "[--env ID] KEY",
	env:     true,
	maxArgs: 1,
	help: `Prints the value of KEY ([values], merged with the resolved environment's own,
placeholders filled): a string as it is, anything else (a number, a boolean,
an array, a table) as JSON; then a newline. Dotted keys reach into tables
(db.host). A key with no value is a usage error (exit 2) with the closest
key; an environment that cannot be resolved exits 1, as for current.

--env ID prints the value for that environment id instead of the resolved
one (no rule is run, and no allow is checked: values are not secrets).

Examples:
  BUCKET=$(resolver get bucket)
  resolver get db.port
  resolver get --env prd replicas`,
	run: runGet,
}

// resolved returns the result whose values are asked for: the one --env
// names, else the resolved one. On failure it prints why and returns the
// exit code.
func (e *env) resolved(cfg *multienv.Config, o *options) (multienv.Result, int) {
	if o.env != "" {
		env, instance, err := cfg.Lookup(o.env)
		if err != nil {
			e.errorf("--env: %s", text.Escape(err.Error()))
			return multienv.Result{}, exitUsage
		}
		return multienv.Result{ID: o.env, Env: env, Instance: instance}, exitOK
	}
	res, err := cfg.Resolve(e.facts)
	if err != nil {
		return res, e.resolveError(err)
	}
	return res, exitOK
}

// values opens the configuration and returns the result whose values are
// asked for, with them; on failure it prints why and returns the exit code.
func (e *env) values(o *options) (multienv.Result, *multienv.Values, int) {
	cfg, code := e.open(o)
	if cfg == nil {
		return multienv.Result{}, nil, code
	}
	res, code := e.resolved(cfg, o)
	if code != exitOK {
		return res, nil, code
	}
	values, err := cfg.Values(res)
	if err != nil {
		e.errorf("%s", text.Escape(err.Error()))
		return res, nil, exitUnresolved
	}
	return res, values, exitOK
}

func runGet(e *env, o *options) int {
	if len(o.args) == 0 {
		return e.usageError("get: no KEY given")
	}
	_, values, code := e.values(o)
	if values == nil {
		return code
	}
	v, err := values.Get(o.args[0])
	if err != nil {
		return e.usageError("get: %s", text.Escape(err.Error()))
	}
	out, ok := v.(string)
	if !ok {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			e.errorf("%s", text.Escape(err.Error()))
			return exitUnresolved
		}
		out = strings.TrimSuffix(b.String(), "\n")
		if len(out) > maxValueLine {
			// Too long for one line: indented, one element a line.
			b.Reset()
			enc.SetIndent("", "  ")
			enc.Encode(v)
			out = strings.TrimSuffix(b.String(), "\n")
		}
	}
	if err := printable(o.args[0], out); err != nil {
		e.errorf("get: %s", err)
		return exitConfig
	}
	fmt.Fprintln(e.stdout, out)
	return exitOK
}

// The formats of export, the first the default.
var exportFormats = []string{"sh", "dotenv", "github"}

// defaultPrefix starts every name export prints.
const defaultPrefix = "MULTIENV_"

// validPrefix reports whether p may start a variable name: empty, or a
// letter or underscore, then letters, digits and underscores.
func validPrefix(p string) bool {
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

var cmdExport = &command{
	name:    "export",
	summary: "print the environment and its values as variables",
	usage:   "[--format sh|dotenv|github] [--prefix P] [--env ID]",
	formats: exportFormats,
	env:     true,
	prefix:  true,
	help: `Prints the resolved environment and every value that is no table or array as
variables, one a line, named PREFIX (MULTIENV_ unless --prefix says) then:
  ID, ENV, INSTANCE, KIND   the id (sbx-101), its environment (sbx), its
                            instance (101, or empty) and kind (sandbox)
  the value's key           upper-cased, dots made underscores: db.host is
                            MULTIENV_DB_HOST
Arrays are left out (read them with 'resolver get KEY'); a boolean is true
or false, a number as TOML writes it.

Formats, each quoted so that no value can run a command or add a variable:
  sh      export NAME='value', for eval in bash, zsh and POSIX shells; a
          value holding a control character is written $'...' (bash, zsh,
          ksh)
  dotenv  NAME='value', or NAME="value" with \\ \" \n \t \$ escaped when the
          value holds a quote or a control character (a .env file, docker
          compose's env_file)
  github  NAME<<DELIMITER, the value, DELIMITER: for $GITHUB_ENV and
          $GITHUB_OUTPUT, with a random delimiter the value does not hold

--env ID exports the values of that environment id instead of the resolved
one (no rule is run, and no allow is checked).

Examples:
  eval "$(resolver export)"
  resolver export --format dotenv > .env
  resolver export --format github >> "$GITHUB_ENV"
  resolver export --prefix APP_ --env stg`,
	run: runExport,
}

func runExport(e *env, o *options) int {
	if msg := choiceProblem(o.format, exportFormats); msg != "" {
		return e.usageError("export: %s", msg)
	}
	if !validPrefix(o.prefix) {
		return e.usageError("export: --prefix %s is not the start of a variable name: letters, digits and underscores, not starting with a digit", text.Quote(o.prefix))
	}
	res, values, code := e.values(o)
	if values == nil {
		return code
	}
	vars, code := exportVars(e, "export", o.prefix, res, values)
	if code != exitOK {
		return code
	}
	var b strings.Builder
	for _, nv := range vars {
		name := o.prefix + nv[0]
		switch o.format {
		case "sh":
			b.WriteString("export " + name + "=" + shValue(nv[1]) + "\n")
		case "dotenv":
			b.WriteString(name + "=" + dotenvValue(nv[1]) + "\n")
		case "github":
			delim, err := delimiter(nv[1])
			if err != nil {
				e.errorf("export: %s", text.Escape(err.Error()))
				return exitUnresolved
			}
			b.WriteString(name + "<<" + delim + "\n" + githubValue(nv[1]) + "\n" + delim + "\n")
		}
	}
	// The quoting above is what makes the output safe to eval; it is data,
	// written as it is.
	e.raw.Write([]byte(b.String()))
	return exitOK
}

// exportVars returns the variables export gives res and its values, each
// name after prefix: ID, ENV, INSTANCE and KIND, then every scalar value.
// A value that cannot be exported is printed as the problem of command
// (export, run), and the exit code returned.
func exportVars(e *env, command, prefix string, res multienv.Result, values *multienv.Values) ([][2]string, int) {
	vars := [][2]string{{"ID", res.ID}, {"ENV", res.Env.Name}, {"INSTANCE", res.Instance}, {"KIND", string(res.Env.Kind)}}
	for _, key := range values.Keys() {
		v, _ := values.Get(key)
		s, ok := scalar(v)
		if !ok {
			continue
		}
		if err := printable(key, s); err != nil {
			e.errorf("%s: %s", command, err)
			return nil, exitConfig
		}
		if n := len(prefix + multienv.ExportName(key)); n > maxValueLine {
			e.errorf("%s: value %s exports as a name of %d bytes, more than the %d printed whole", command, text.Quote(key), n, maxValueLine)
			return nil, exitConfig
		}
		vars = append(vars, [2]string{multienv.ExportName(key), s})
	}
	return vars, exitOK
}

// maxValueLine is the longest line of a value get and export print: a
// value is data, never cut, and a longer line would break the output rule
// (check warns on such a value, with the same bound).
const maxValueLine = text.MaxValueLine

// printable says why the value of key cannot be printed whole, or nil.
func printable(key, v string) error {
	for line := range strings.SplitSeq(v, "\n") {
		if len(line) > maxValueLine {
			return fmt.Errorf("value %s has a line of %d bytes, more than the %d printed whole; read it with the Go library", text.Quote(key), len(line), maxValueLine)
		}
	}
	return nil
}

// githubValue is a value as a heredoc of GitHub's environment files takes
// it: its lines as they are, but a control character (a terminal could act
// on it) escaped as \xHH; the output rule holds here too.
func githubValue(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = text.Escape(l)
	}
	return strings.Join(lines, "\n")
}

// scalar gives a value that is no table or array as text.
func scalar(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case bool:
		return strconv.FormatBool(v), true
	case int64:
		return strconv.FormatInt(v, 10), true
	case float64:
		// As TOML writes it: a float keeps its point (1.0, not 1).
		f := strconv.FormatFloat(v, 'g', -1, 64)
		if !strings.ContainsAny(f, ".eEnI") {
			f += ".0"
		}
		return f, true
	}
	return "", false
}

// shValue quotes a value for the shell: in single quotes, where nothing is
// special but the quote itself, written '\”; a value with a control
// character (a terminal could act on it, raw) in $'...' with \xHH escapes.
func shValue(s string) string {
	if text.IsSafe(s) && !strings.ContainsAny(s, "\n\r\t") {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c == 0x7f || c >= 0x80:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// dotenvValue quotes a value for a .env file: single quotes (no
// interpolation) when it holds no quote and no control character, else
// double quotes with \\ \" \n \r \t and \$ escaped and any other control
// character as \xHH.
func dotenvValue(s string) string {
	if text.IsSafe(s) && !strings.ContainsAny(s, "'\n\r\t") {
		return "'" + s + "'"
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '"', '$', '`':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 || c == 0x7f {
				fmt.Fprintf(&b, `\x%02x`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return text.Escape(b.String())
}

// delimiter returns a heredoc delimiter for GitHub's environment files that
// the value does not hold, so that the value cannot end early and add a
// variable of its own.
func delimiter(value string) (string, error) {
	for range 8 {
		var r [12]byte
		if _, err := rand.Read(r[:]); err != nil {
			return "", err
		}
		d := "MULTIENV_EOF_" + hex.EncodeToString(r[:])
		if !strings.Contains(value, d) {
			return d, nil
		}
	}
	return "", errors.New("no delimiter found that the value does not hold")
}
