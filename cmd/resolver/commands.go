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
	run: withConfig(func(e *invocation, o *options, cfg *multienv.Config) int {
		res, err := cfg.Resolve(e.inputs)
		if err != nil {
			return e.resolveError(err)
		}
		if o.json {
			return e.writeJSON(currentJSON(cfg, res))
		}
		fmt.Fprintln(e.stdout, text.Escape(res.ID))
		return exitOK
	}),
}

// withConfig is the run of a command that reads the configuration: it
// opens it, or prints why it cannot and exits 3.
func withConfig(run func(*invocation, *options, *multienv.Config) int) func(*invocation, *options) int {
	return func(e *invocation, o *options) int {
		cfg, code := e.open(o)
		if cfg == nil {
			return code
		}
		return run(e, o, cfg)
	}
}

// currentJSON is the object `current --json` prints: the result (CONTRACT
// §4, §6 and §11; no fact is read from a variable named like a secret),
// then its values (§9), {} when the file declares none.
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
	run: listing((*multienv.Config).Environments, func(declared multienv.Environment) [3]string {
		// The emoji are data here, as in --json, terminal or not.
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
// declares: as JSON with --json, else as a table, its cells escaped.
func listing[T any](of func(*multienv.Config) []T, row func(T) [3]string) func(*invocation, *options) int {
	return withConfig(func(e *invocation, o *options, cfg *multienv.Config) int {
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
	})
}

var cmdSchema = &command{
	name:    "schema",
	summary: "print the JSON Schema of the TOML format",
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
	maxArgs: manyArgs,
	run:     runCheck,
}

// runCheck checks the FILEs given (none: the one --config or discovery
// names; --default: the embedded default), each in turn, and exits with
// the worst status; one JSON array holds the findings of them all.
func runCheck(e *invocation, o *options) int {
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
	c := &checker{invocation: e, options: o, report: []multienv.Problem{}}
	worst := exitOK
	for _, file := range files {
		worst = max(worst, c.check(file, o.dflt))
	}
	if c.format == formatJSON {
		worst = max(worst, e.writeJSON(c.report))
	}
	// The ok lines are data on success; text output fails with nothing on
	// stdout, so then they go with the problems.
	w := e.stdout
	if worst != exitOK && c.format == formatText {
		w = e.stderr
	}
	for _, line := range c.oks {
		fmt.Fprint(w, line)
	}
	return worst
}

// checker checks files and reports them in one format (options' format,
// strict), gathering the findings of the JSON report to print as one array.
type checker struct {
	*invocation
	*options
	report []multienv.Problem
	oks    []string // the ok line of each file that passed, to print last
}

// check checks and reports one file (flagPath, or the one discovery
// finds), or the embedded default, with koanf's loader and the full JSON
// Schema validator: the tests hold the library's own path to the same.
func (c *checker) check(flagPath string, dflt bool) int {
	var loc multienv.Location
	if !dflt {
		var err error
		if loc, err = multienv.Locate(flagPath, c.lookup, c.dir); err != nil {
			return c.failure("", err)
		}
		if loc.Path == "" {
			msg := fmt.Sprintf("no %s found, so discovery ends at the %s; name the file to check, or check the embedded default with 'resolver check --default'",
				multienv.FileName, loc.How) // How escapes its paths
			if c.format == formatText {
				return c.fail(exitConfig, "check: %s", msg)
			}
			return c.failure("", errors.New(msg))
		}
	}
	cfg, err := multienv.OpenWith(loc, reference.Judge())
	if err != nil {
		return c.failure(loc.Path, err)
	}
	return c.checked(cfg, loc.Path != "")
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
	run: listing((*multienv.Config).Runtimes, func(rt multienv.Runtime) [3]string {
		when := "always (no other runtime matched)"
		if len(rt.When) > 0 {
			when = strings.Join(rt.When, "; or ")
		}
		return [3]string{rt.Name, string(rt.Group), when}
	}),
}
