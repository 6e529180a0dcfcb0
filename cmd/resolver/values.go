package main

import (
	"fmt"
	"strings"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/internal/envfile"
	"github.com/multienv/multienv/internal/text"
)

var cmdGet = &command{
	name:    "get",
	summary: "print one value of the current environment",
	usage:   "[--env ID] KEY",
	flags:   []flagDef{envFlag},
	maxArgs: 1,
	run:     runGet,
}

// values opens the configuration and returns it, the result whose values
// are asked for (the one --env names, else the resolved one) and them, or
// prints why not and returns the exit code. guarded: a protected --env
// whose allow does not admit this job is refused, as from a variable.
func (e *invocation) values(o *options, guarded bool) (*multienv.Config, multienv.Result, *multienv.Values, int) {
	var res multienv.Result
	cfg, code := e.open(o)
	if cfg == nil {
		return nil, res, nil, code
	}
	var err error
	if o.env == "" {
		res, err = cfg.Resolve(e.inputs)
	} else {
		res.ID = o.env
		if res.Env, res.Instance, err = cfg.Lookup(o.env); err != nil {
			return nil, res, nil, e.fail(exitUsage, "--env: %s", text.Escape(err.Error()))
		}
		if guarded {
			res, err = cfg.ResolveAs(e.inputs, "--env", o.env)
		}
	}
	if err != nil {
		return nil, res, nil, e.resolveError(err)
	}
	values, err := cfg.Values(res)
	if err != nil {
		return nil, res, nil, e.fail(exitUnresolved, "%s", text.Escape(err.Error()))
	}
	return cfg, res, values, exitOK
}

func runGet(e *invocation, o *options) int {
	if len(o.args) == 0 {
		return e.usageError("get: no KEY given")
	}
	_, _, values, code := e.values(o, false)
	if values == nil {
		return code
	}
	key := o.args[0]
	v, err := values.Get(key)
	if err != nil {
		return e.usageError("get: %s", text.Escape(err.Error()))
	}
	if s, ok := v.(string); ok {
		if len(s) > text.MaxData {
			return e.tooLong("get", key, len(s))
		}
		return e.data([]byte(s + "\n"))
	}
	data, err := encodeJSON(jsonValue(v), false)
	if err == nil && len(data) > text.MaxLine {
		// Long for one line: indented, one element a line.
		data, err = encodeJSON(jsonValue(v), true)
	}
	if err != nil {
		return e.fail(exitConfig, "get: value %s: %s", text.Quote(key), text.Escape(err.Error()))
	}
	return e.data(data)
}

var cmdExport = &command{
	name:    "export",
	summary: "print the environment and its values as variables",
	usage:   "[--format sh|dotenv|github] [--prefix P] [--env ID]",
	formats: envfile.Formats,
	flags:   []flagDef{envFlag, prefixFlag},
	run:     runExport,
}

func runExport(e *invocation, o *options) int {
	if why := envfile.BadPrefix(o.prefix); why != "" {
		return e.usageError("export: --prefix %s %s", text.Quote(o.prefix), why)
	}
	vars, code := e.exportVars(o, "export", o.prefix, false)
	if vars == nil {
		return code
	}
	var b strings.Builder
	for _, kv := range vars {
		key, name, value := kv[0], o.prefix+kv[1], kv[2]
		line, err := envfile.Line(o.format, name, value)
		if err != nil {
			return e.fail(exitConfig, "export: value %s cannot be exported as %s: it %s; read it with get, or export another format", text.Quote(key), o.format, text.Escape(err.Error()))
		}
		b.WriteString(line)
	}
	// The quoting makes the output safe to eval: data, written as it is.
	return e.data([]byte(b.String()))
}

// exportVars returns the variables export gives the environment (see
// values), as key, name after prefix, value: ID, ENV, INSTANCE and KIND,
// then every scalar value. A key that cannot be exported under prefix, or
// a value longer than text.MaxData, is printed as a problem of command
// (export, run), and the exit code returned.
func (e *invocation) exportVars(o *options, command, prefix string, guarded bool) ([][3]string, int) {
	cfg, res, values, code := e.values(o, guarded)
	if values == nil {
		return nil, code
	}
	if problems := cfg.ExportProblems(prefix); len(problems) > 0 {
		e.capped(len(problems), "problem", func(i int) { e.errorf("%s: %s", command, text.Escape(problems[i])) })
		return nil, exitConfig
	}
	vars := [][3]string{{"", "ID", res.ID}, {"", "ENV", res.Env.Name}, {"", "INSTANCE", res.Instance}, {"", "KIND", string(res.Env.Kind)}}
	for _, key := range values.Keys() {
		v, _ := values.Get(key)
		s, ok := scalar(v)
		if !ok {
			continue
		}
		if len(s) > text.MaxData {
			return nil, e.tooLong(command, key, len(s))
		}
		vars = append(vars, [3]string{key, multienv.ExportName(key), s})
	}
	return vars, exitOK
}

// scalar is a value that is no table or array as every output writes it.
func scalar(v any) (string, bool) {
	switch v := v.(type) {
	case float64:
		return text.Float(v), true
	case string, bool, int64:
		return fmt.Sprint(v), true
	}
	return "", false
}

// tooLong says, as a problem of command, that the value of key, n bytes,
// is too long to print whole; it returns exitConfig.
func (e *invocation) tooLong(command, key string, n int) int {
	return e.fail(exitConfig, "%s: value %s is %d bytes, more than the %d printed whole; read it with the Go library", command, text.Quote(key), n, text.MaxData)
}

var cmdDiff = &command{
	name:    "diff",
	summary: "show the values that differ between two environments",
	usage:   "[--json] ID ID",
	flags:   []flagDef{jsonFlag},
	maxArgs: 2,
	run:     runDiff,
}

func runDiff(e *invocation, o *options) int {
	if len(o.args) != 2 {
		return e.usageError("diff: give two environment ids: resolver diff ID ID")
	}
	cfg, code := e.open(o)
	if cfg == nil {
		return code
	}
	diffs, err := cfg.Diff(o.args[0], o.args[1])
	if err != nil {
		return e.usageError("diff: %s", text.Escape(err.Error()))
	}
	status := exitOK
	if len(diffs) > 0 {
		status = exitUnresolved // as diff: 1 when they differ
	}
	for i := range diffs {
		// A number prints as every output prints it: 1.0 keeps its point.
		diffs[i].A.Value, diffs[i].B.Value = jsonValue(diffs[i].A.Value), jsonValue(diffs[i].B.Value)
	}
	if o.json {
		return max(status, e.writeJSON(append([]multienv.ValueDiff{}, diffs...))) // [], not null
	}
	for _, d := range diffs {
		fmt.Fprintln(e.stdout, text.Escape(d.Key))
		for i, side := range []multienv.ValueSide{d.A, d.B} {
			fmt.Fprintf(e.stdout, "  %c %s: %s (%s)\n", "-+"[i], text.Escape(side.ID), shown(side.Value), text.Escape(side.Origin))
		}
	}
	return status
}

// shown is a value as explain and diff show it: one line of JSON,
// escaped, cut to 200 bytes.
func shown(v any) string {
	data, err := marshal(v, false)
	if err != nil {
		return "?"
	}
	return text.EscapeCut(string(data), 200)
}
