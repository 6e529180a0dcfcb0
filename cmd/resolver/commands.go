package main

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/internal/text"
	"github.com/multienv/multienv/schema/reference"
)

var cmdCurrent = &command{
	name:    "current",
	summary: "print the current environment id (sbx, sbx-101, prd)",
	usage:   "[--json] [-- ARGS...]",
	flags:   []flagDef{jsonFlag},
	maxArgs: processArgs,
	help: `Prints the resolved environment id and a newline, nothing else. With --json,
prints one JSON object: id, env, instance, kind, emoji, description, runtime,
group, pr, branch, source, rule, config.

On failure nothing is printed on stdout, so that in a 'set -e' script
ENV_NAME=$(resolver current) stops instead of carrying an empty value.

ARGS after -- stand for the process arguments that some runtimes are
recognised by (an AWS Glue job's --JOB_RUN_ID): a wrapper script passes "$@".

Examples:
  ENV_NAME=$(resolver current)
  ENV_NAME=$(resolver current -- "$@")
  USER_ENV_NAME=sbx-101 resolver current
  resolver current --json | jq -r .runtime`,
	run: func(e *invocation, o *options) int {
		cfg, code := e.open(o)
		if cfg == nil {
			return code
		}
		res, err := cfg.Resolve(e.inputs)
		if err != nil {
			return e.resolveError(err)
		}
		if o.json {
			return e.writeJSON(currentJSON(cfg, res))
		}
		fmt.Fprintln(e.stdout, text.Escape(res.ID))
		return exitOK
	},
}

// currentJSON is the object `current --json` prints: the result (the keys
// of CONTRACT §4, the CI facts of §6 and §11), then its values, merged and
// filled (§9); {} when the file declares none. The facts are never read
// from a variable named like a secret (the resolver skips such sources),
// so they are printed as they are.
func currentJSON(cfg *multienv.Config, r multienv.Result) joined {
	values := map[string]any{}
	if v, err := cfg.Values(r); err == nil {
		values = jsonValue(v.Map()).(map[string]any)
	}
	return joined{r, struct {
		Values map[string]any `json:"values"`
	}{values}}
}

var cmdList = &command{
	name:    "list",
	summary: "list the declared environments",
	usage:   "[--json]",
	flags:   []flagDef{jsonFlag},
	help: `Lists the declared environments in order: emoji and name, kind and
description. With --json, prints a JSON array of objects with name, emoji,
kind, description and instances.

Examples:
  resolver list
  resolver list --json | jq -r '.[].name'`,
	run: listing((*multienv.Config).Environments, func(declared multienv.Environment) [3]string {
		// The emoji are data here, as in --json: printed whether or not
		// stdout is a terminal.
		name := declared.Name
		if declared.Instances {
			name += " (" + declared.Name + "-<id>)"
		}
		if declared.Emoji != "" {
			name = declared.Emoji + " " + name
		}
		return [3]string{name, string(declared.Kind), declared.Description}
	}),
}

// listing is the run of a command that lists what the configuration
// declares: as JSON with --json, else as a table, one row a thing, its
// cells escaped.
func listing[T any](of func(*multienv.Config) []T, row func(T) [3]string) func(*invocation, *options) int {
	return func(e *invocation, o *options) int {
		cfg, code := e.open(o)
		if cfg == nil {
			return code
		}
		things := of(cfg)
		if o.json {
			return e.writeJSON(things)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		for _, t := range things {
			r := row(t)
			fmt.Fprintf(tw, "%s\t%s\t%s\n", text.Escape(r[0]), text.Escape(r[1]), text.Escape(r[2]))
		}
		tw.Flush()
		return exitOK
	}
}

var cmdSchema = &command{
	name:    "schema",
	summary: "print the JSON Schema of the TOML format",
	help: `Prints the JSON Schema (draft 2020-12) that configuration files are checked
against. Editors that read JSON Schema for TOML use it for help and
completion: put '#:schema ./envs.schema.json' on the first line of the file.

Example:
  resolver schema > envs.schema.json`,
	run: func(e *invocation, o *options) int {
		e.raw.Write(multienv.Schema())
		return exitOK
	},
}

var cmdCheck = &command{
	name:    "check",
	summary: "check a configuration file: syntax, schema, semantics",
	usage:   "[--strict] [--format text|json|github] [--default | FILE...]",
	flags:   []flagDef{strictFlag, defaultFlag},
	formats: formats,
	maxArgs: manyFiles,
	help: `Checks FILE; without one, the file --config or $MULTIENV_CONFIG names, else
the multienv.toml discovery finds (from the current directory up to the
repository root). When there is none, check says where it looked and exits
3: a CI job whose file is elsewhere must not pass having checked nothing.
--default checks the embedded default instead.

What is checked, in order:
  1. TOML syntax.
  2. The JSON Schema ('resolver schema'): every key known, at every level;
     types; the forms of names (environments, runtimes, rules, variables);
     enum values (kind, group); lengths.
  3. The rules the schema cannot express: unique names; references between
     sections (a rule's runtimes and groups, defaults naming a declared
     environment or an instance of one with instances); the last runtime
     without 'when'; no control characters, invalid UTF-8 or bidirectional
     controls in names, emoji and descriptions; instance ids of at most 32
     characters; patterns of rule conditions, allow and fact sources (a
     fact's pattern holds one capture, {} or {**}); template defaults
     (known placeholders, an environment with instances); values (an
     environment sets only keys [values] declares, each of the declared
     type; known placeholders in strings; no NUL; no key exporting as
     export's own ID, ENV, INSTANCE or KIND, as another key's name, or, with
     the default prefix or none, as a name a shell, loader, runtime, CI
     runner or this file gives meaning to: PATH, LD_*, GITHUB_*, ENV_NAME).
  4. Warnings: a rule that can never apply, an environment no rule can
     reach, a rule that can only choose a protected environment where its
     allow admits none of the rule's runtimes, a variable
     named like a secret (SECRET, TOKEN, PASSWORD, ...) read for a value
     that would be printed (a rule's from, a fact's source), a value key
     named like a secret, a value a format of export cannot carry exactly
     (for dotenv: a CR, ${...}, \\, or a quote with one of " \ $ and the
     backquote), a value longer than the 65,536 bytes data is printed in.

Problems are printed one a line as FILE:LINE:COL: message, sorted by
position, as compilers and go vet print them (at most 50, then how many
more), and the exit status is 3. Warnings are printed as
FILE:LINE:COL: warning: message and fail only with --strict. On success
one summary line goes to stdout.

--format chooses the report; the exit status is the same in each:
  text    the default: the lines above.
  json    one JSON array on stdout, [] when there is nothing to report, of
          objects with file, line, column, severity ("error" or
          "warning"), path (the key, as envs[1].name; "" for the whole
          file) and message; line and column are 0 when unknown. Every
          problem, in file order: a file that loads has only warnings, one
          that does not only errors. A file not found or not readable is
          one error at line 0.
  github  GitHub Actions workflow commands on stdout, which annotate the
          file in the pull request, one a problem (at most 50):
            ::error file=F,line=L,col=C,title=resolver check::MESSAGE
          ::warning for a warning; line and col left out when unknown; F
          relative to the current directory when under it; values escaped
          as GitHub's actions/toolkit does (and any control character as
          %XX). On success, the summary line follows.
json and github print on stdout even when the exit status is 3: the report
is the output asked for. Why --strict failed goes to stderr.

Examples:
  resolver check
  resolver check --strict deploy/multienv.toml
  resolver check --default
  resolver check --format github
  resolver check --format json | jq -r '.[] | "\(.line): \(.message)"'`,
	run: runCheck,
}

// manyFiles is how many FILEs check takes: pre-commit passes every staged
// file in one call.
const manyFiles = 1 << 16

// runCheck checks the FILEs given (none: the one --config or discovery
// names; --default: the embedded default), each in turn, and exits with
// the worst status; one JSON array holds the findings of them all.
func runCheck(e *invocation, o *options) int {
	if msg := choiceProblem(o.format, formats); msg != "" {
		return e.usageError("check: %s", msg)
	}
	if o.dflt && (len(o.args) > 0 || o.config != "") {
		other := "--config"
		if len(o.args) > 0 {
			other = "a FILE"
		}
		return e.usageError("check: --default and %s: check one or the other", other)
	}
	files := o.args
	if len(files) == 0 {
		files = []string{o.config}
	}
	c := &checker{invocation: e, format: o.format, strict: o.strict, report: []multienv.Problem{}}
	worst := exitOK
	for _, file := range files {
		worst = max(worst, c.check(file, o.dflt))
	}
	if c.format == formatJSON {
		worst = max(worst, e.writeJSON(c.report))
	}
	return worst
}

// checker checks configuration files and reports them in one format; the
// findings of the JSON report are gathered here, to print as one array.
type checker struct {
	*invocation
	format string
	strict bool
	report []multienv.Problem
}

// check checks one file (flagPath, or the one discovery finds), or the
// embedded default, and reports it.
func (c *checker) check(flagPath string, dflt bool) int {
	loc, code := c.locate(flagPath, dflt)
	if code != exitOK {
		return code
	}
	// check judges the file with koanf's loader and the full JSON Schema
	// validator; the library's own path reports the same problems (the
	// tests hold them to it).
	cfg, err := multienv.OpenWith(loc, reference.Judge())
	if err != nil {
		return c.failure(loc.Path, err)
	}
	return c.checked(cfg, loc.Path != "")
}

// locate finds the file check judges: none for --default. When there is
// none to find, it reports why and returns exitConfig.
func (c *checker) locate(flagPath string, dflt bool) (multienv.Location, int) {
	if dflt {
		return multienv.Location{}, exitOK
	}
	loc, err := multienv.Locate(flagPath, c.lookup, c.dir)
	if err != nil {
		return loc, c.failure("", err)
	}
	if loc.Path != "" {
		return loc, exitOK
	}
	msg := fmt.Sprintf("no %s found, so discovery ends at the %s; name the file to check, or check the embedded default with 'resolver check --default'",
		multienv.FileName, text.Escape(loc.How))
	if c.format == formatText {
		c.errorf("check: %s", msg)
		return loc, exitConfig
	}
	return loc, c.failure("", errors.New(msg))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

var cmdRuntimes = &command{
	name:    "runtimes",
	summary: "list the runtimes in detection order, with their signals",
	usage:   "[--json]",
	flags:   []flagDef{jsonFlag},
	help: `Lists the effective runtimes in detection order (the file's own, then the
built-in catalog's), each with its group, where it comes from, and the signals
that recognise it. The first runtime whose signal holds is the runtime.

Examples:
  resolver runtimes
  resolver runtimes --json | jq -r '.[] | select(.group == "ci") | .name'`,
	run: listing((*multienv.Config).Runtimes, func(rt multienv.Runtime) [3]string {
		when := "always (no other runtime matched)"
		if len(rt.When) > 0 {
			when = strings.Join(rt.When, "; or ")
		}
		return [3]string{rt.Name, string(rt.Group), when}
	}),
}
