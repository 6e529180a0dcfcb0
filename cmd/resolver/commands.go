package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/config"
	"github.com/multienv/multienv/schema"
)

var cmdCurrent = &command{
	name:        "current",
	summary:     "print the current environment id (sbx, sbx-101, prd)",
	usage:       "[--json] [-- ARGS...]",
	json:        true,
	processArgs: true,
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
	run: func(e *env, o *options) int {
		cfg, code := e.open(o)
		if cfg == nil {
			return code
		}
		res, err := cfg.Resolve(e.facts)
		if err != nil {
			return e.resolveError(err)
		}
		if o.json {
			return e.writeJSON(resultJSON(cfg, res))
		}
		fmt.Fprintln(e.stdout, res.ID)
		return exitOK
	},
}

// currentJSON is the object `current --json` prints.
type currentJSON struct {
	ID          string `json:"id"`
	Env         string `json:"env"`
	Instance    string `json:"instance"`
	Kind        string `json:"kind"`
	Emoji       string `json:"emoji"`
	Description string `json:"description"`
	Runtime     string `json:"runtime"`
	Group       string `json:"group"`
	PR          bool   `json:"pr"`
	Branch      string `json:"branch"`
	Source      string `json:"source"`
	Rule        string `json:"rule"`
	Config      string `json:"config"`
}

func resultJSON(cfg *multienv.Config, r multienv.Result) currentJSON {
	return currentJSON{ID: r.ID, Env: r.Env.Name, Instance: r.Instance, Kind: string(r.Env.Kind), Emoji: r.Env.Emoji,
		Description: r.Env.Description, Runtime: r.Runtime, Group: string(r.Group), PR: r.PR, Branch: r.Branch,
		Source: r.Source, Rule: r.Rule, Config: cfg.Source()}
}

var cmdList = &command{
	name:    "list",
	summary: "list the declared environments",
	usage:   "[--json]",
	json:    true,
	help: `Lists the declared environments in order, with kind and description (and
emoji, on a terminal). With --json, prints a JSON array of objects with name,
emoji, kind, description and instances.

Examples:
  resolver list
  resolver list --json | jq -r '.[].name'`,
	run: func(e *env, o *options) int {
		cfg, code := e.open(o)
		if cfg == nil {
			return code
		}
		envs := cfg.Environments()
		if o.json {
			if envs == nil {
				envs = []multienv.Environment{}
			}
			return e.writeJSON(envs)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		for _, env := range envs {
			name := env.Name
			if env.Instances {
				name += " (" + env.Name + "-<id>)"
			}
			if e.terminal && env.Emoji != "" {
				name = env.Emoji + " " + name
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", name, env.Kind, env.Description)
		}
		tw.Flush()
		return exitOK
	},
}

var cmdSchema = &command{
	name:    "schema",
	summary: "print the JSON Schema of the TOML format",
	help: `Prints the JSON Schema (draft 2020-12) that configuration files are checked
against. Editors that read JSON Schema for TOML use it for help and
completion: put '#:schema ./envs.schema.json' on the first line of the file.

Example:
  resolver schema > envs.schema.json`,
	run: func(e *env, o *options) int {
		e.stdout.Write(schema.JSON)
		return exitOK
	},
}

var cmdCheck = &command{
	name:    "check",
	summary: "check a configuration file: syntax, schema, semantics",
	usage:   "[--strict] [FILE]",
	strict:  true,
	maxArgs: 1,
	help: `Checks FILE, else the file discovery finds (or the embedded default): TOML
syntax, the JSON Schema, then the rules the schema cannot express. Prints every
problem as FILE:LINE:COL: message, sorted by position, and exits 3. On success
prints one summary line. Warnings (a rule that can never apply, an environment
no rule can reach) are printed but fail only with --strict.

Examples:
  resolver check
  resolver check --strict deploy/multienv.toml`,
	run: func(e *env, o *options) int {
		if len(o.args) == 1 {
			o.config = o.args[0]
		}
		cfg, code := e.open(o)
		if cfg == nil {
			return code
		}
		warnings := cfg.Warnings()
		for _, w := range warnings {
			if w.Path != "" {
				w.Path = "warning: " + w.Path
			} else {
				w.Message = "warning: " + w.Message
			}
			e.errorf("%s", w)
		}
		if o.strict && len(warnings) > 0 {
			e.errorf("%s: %d warning(s) and --strict", cfg.Source(), len(warnings))
			return exitConfig
		}
		d := cfg.Definition()
		fmt.Fprintf(e.stdout, "%s: ok: %s, %s, %s\n", cfg.Source(),
			plural(len(d.Envs), "environment"), plural(len(d.Runtimes), "runtime"), plural(len(d.Rules), "rule"))
		return exitOK
	},
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
	json:    true,
	help: `Lists the effective runtimes in detection order (the file's own, then the
built-in catalog's), each with its group, where it comes from, and the signals
that recognise it. The first runtime whose signal holds is the runtime.

Examples:
  resolver runtimes
  resolver runtimes --json | jq -r '.[] | select(.group == "ci") | .name'`,
	run: func(e *env, o *options) int {
		cfg, code := e.open(o)
		if cfg == nil {
			return code
		}
		rts := cfg.Definition().Runtimes
		if o.json {
			out := make([]runtimeJSON, len(rts))
			for i, rt := range rts {
				out[i] = newRuntimeJSON(rt)
			}
			return e.writeJSON(out)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		for _, rt := range rts {
			when := "always (no other runtime matched)"
			if len(rt.When) > 0 {
				when = config.AnySignal(rt.When)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", rt.Name, rt.Group, when)
		}
		tw.Flush()
		return exitOK
	},
}

type runtimeJSON struct {
	Name        string   `json:"name"`
	Group       string   `json:"group"`
	Description string   `json:"description"`
	Origin      string   `json:"origin"`
	When        []string `json:"when"`
	PR          []string `json:"pr"`
	Branch      []string `json:"branch"`
}

func newRuntimeJSON(rt config.Runtime) runtimeJSON {
	strs := func(sigs []config.Signal) []string {
		out := make([]string, len(sigs))
		for i, s := range sigs {
			out[i] = s.String()
		}
		return out
	}
	branch := rt.Branch
	if branch == nil {
		branch = []string{}
	}
	return runtimeJSON{Name: rt.Name, Group: string(rt.Group), Description: rt.Description, Origin: rt.Origin,
		When: strs(rt.When), PR: strs(rt.PR), Branch: branch}
}
