package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/internal/text"
)

var cmdExplain = &command{
	name:        "explain",
	summary:     "show how the environment was reached",
	usage:       "[--json] [-- ARGS...]",
	json:        true,
	processArgs: true,
	help: `Shows how the answer was reached: the configuration used and how it was found,
the runtime and the signal that matched, each rule and whether it applied, the
variable that supplied the value, and the result. Only the values of the
variables that name environments are shown; other variables may hold secrets.

ARGS after -- stand for the process arguments, as for 'resolver current'.

When the environment cannot be resolved, the explanation goes to stderr, each
line prefixed 'resolver: ', then the error, and the exit status is 1.

Examples:
  resolver explain
  CI=true ENV_NAME=stg resolver explain --json`,
	run: func(e *env, o *options) int {
		cfg, code := e.open(o)
		if cfg == nil {
			return code
		}
		res, trace, err := cfg.Explain(e.facts)
		if o.json {
			if err != nil {
				return e.resolveError(err)
			}
			return e.writeJSON(explainJSONOf(cfg, res, trace, e.facts.Lookup))
		}
		if err == nil {
			writeExplanation(e.stdout, e.style(), cfg, trace, res, nil)
			return exitOK
		}
		// A failure prints nothing on stdout: the explanation goes to
		// stderr, plain, each line prefixed as every line there is.
		var b strings.Builder
		writeExplanation(&b, style{}, cfg, trace, res, err)
		for _, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
			e.errorf("%s", line)
		}
		return e.resolveError(err)
	},
}

// style decorates text for a terminal; the zero style leaves it plain.
type style struct{ color, emoji bool }

func (e *env) style() style {
	if !e.terminal {
		return style{}
	}
	noColor, _ := e.lookup("NO_COLOR")
	term, _ := e.lookup("TERM")
	return style{color: noColor == "" && term != "dumb", emoji: true}
}

func (s style) paint(code, text string) string {
	if !s.color {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

func (s style) bold(t string) string  { return s.paint("1", t) }
func (s style) green(t string) string { return s.paint("32", t) }
func (s style) dim(t string) string   { return s.paint("2", t) }

func origin(o string) string {
	if o == multienv.CatalogOrigin {
		return "the built-in catalog"
	}
	return text.Path(o)
}

// hidden reports whether the value of a variable a rule read is left out:
// the resolver marked it Hidden, or its name says it holds a secret and it
// is not empty.
func hidden(name, value string, marked bool) bool {
	return marked || value != "" && text.IsSecretName(name)
}

// writeExplanation prints the trace. Every name, value, path and signal
// from the file, the process or discovery is escaped (text.Escape,
// text.Path, text.Quote): a newline in a description cannot forge a
// "result:" line. The signal that matched shows the variables' names and
// the values written in the file, never the values read.
func writeExplanation(w io.Writer, st style, cfg *multienv.Config, t *multienv.Trace, res multienv.Result, err error) {
	fmt.Fprintf(w, "%s %s (%s)\n", st.bold("config: "), text.Path(cfg.Source()), text.Escape(cfg.Found()))
	if t.Runtime == "" {
		return // the runtime variable named no runtime; the error says so
	}
	fmt.Fprintf(w, "%s %s (group %s, from %s)\n", st.bold("runtime:"), text.Escape(t.Runtime), text.Escape(string(t.Group)), origin(t.Origin))
	switch {
	case t.Forced:
		fmt.Fprintf(w, "          forced by %s\n", text.Escape(t.RuntimeVariable))
	case t.Signal != "":
		fmt.Fprintf(w, "          signal: %s (%s before it did not match)\n", text.Escape(t.Signal), plural(t.Passed, "runtime"))
	default:
		fmt.Fprintf(w, "          no other runtime matched (%d tried)\n", t.Passed)
	}
	if len(t.Facts) > 0 {
		fmt.Fprintf(w, "%s %s\n", st.bold("facts:  "), factsLine(t.Facts))
	}
	if t.Payload != "" {
		fmt.Fprintf(w, "%s %s\n", st.bold("payload:"), text.Escape(t.Payload))
	}
	fmt.Fprintln(w, st.bold("rules:"))
	for i, step := range t.Rules {
		fmt.Fprintf(w, "  %d. %s, for %s: ", i+1, text.Escape(step.Rule), appliesTo(step))
		if !step.Applies {
			fmt.Fprintf(w, "%s\n", st.dim("does not apply to "+text.Escape(t.Runtime)+" (group "+text.Escape(string(t.Group))+")"))
			continue
		}
		if len(step.When) > 0 {
			if step.Held < 0 {
				fmt.Fprintf(w, "%s\n", st.dim("applies, but no condition of its when holds: "+text.Escape(strings.Join(step.When, "; or "))))
				continue
			}
			fmt.Fprintf(w, "applies: %s holds\n", text.Escape(step.When[step.Held]))
		} else {
			fmt.Fprintln(w, "applies")
		}
		for _, v := range step.Vars {
			name := text.Escape(v.Name)
			switch {
			case !v.Set:
				fmt.Fprintf(w, "       %s is unset\n", name)
			case hidden(v.Name, v.Value, v.Hidden):
				fmt.Fprintf(w, "       %s is set (value hidden: the name says it holds a secret)\n", name)
			case v.Value == "":
				fmt.Fprintf(w, "       %s is empty (counts as unset)\n", name)
			default:
				fmt.Fprintf(w, "       %s = %s\n", name, text.Quote(v.Value))
			}
		}
		switch {
		case step.Yielded && step.Source == "default" && step.Filled != "":
			fmt.Fprintf(w, "       default %s gives %s\n", text.Escape(step.Default), text.Escape(step.Filled))
		case step.Yielded && step.Source == "default":
			fmt.Fprintf(w, "       default %s\n", text.Escape(step.Default))
		case step.Default != "" && step.Filled == "" && strings.Contains(step.Default, "{") && !step.Yielded && (err == nil || t.Allow == nil):
			fmt.Fprintf(w, "       default %s gives nothing: a fact it needs is unknown\n", text.Escape(step.Default))
		case step.Yielded:
		case step.Default == "" && err == nil:
			fmt.Fprintln(w, "       no value and no default: next rule")
		case step.Default == "":
			fmt.Fprintln(w, "       no value and no default")
		}
	}
	if a := t.Allow; a != nil {
		if a.Held >= 0 {
			fmt.Fprintf(w, "%s %s is protected; allowed, as %s holds\n", st.bold("allow:  "), text.Escape(a.Env), text.Escape(a.Conditions[a.Held]))
		} else {
			fmt.Fprintf(w, "%s %s is protected; no condition holds: %s\n", st.bold("allow:  "), text.Escape(a.Env), text.Escape(strings.Join(a.Conditions, "; or ")))
		}
	}
	if err != nil {
		return
	}
	name := res.ID
	if st.emoji && res.Env.Emoji != "" {
		name = res.Env.Emoji + " " + name
	}
	fmt.Fprintf(w, "%s %s (%s) from %s, rule %s\n", st.bold("result: "), st.green(text.Escape(name)),
		text.Escape(string(res.Env.Kind)), text.Escape(res.Source), text.Escape(res.Rule))
	writeValues(w, st, cfg, res)
}

// maxValuesShown bounds the values explain lists; current --json has all.
const maxValuesShown = 50

// writeValues lists the values of the result, each with where it came
// from: the default, the environment, placeholders filled.
func writeValues(w io.Writer, st style, cfg *multienv.Config, res multienv.Result) {
	v, err := cfg.Values(res)
	if err != nil || len(v.Keys()) == 0 {
		return
	}
	fmt.Fprintln(w, st.bold("values:"))
	keys := v.Keys()
	for i, k := range keys {
		if i == maxValuesShown {
			fmt.Fprintf(w, "  ... and %d more (resolver current --json lists them all)\n", len(keys)-i)
			break
		}
		x, _ := v.Get(k)
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.Encode(x)
		fmt.Fprintf(w, "  %s = %s %s\n", text.Escape(k), text.Cut(strings.TrimSuffix(b.String(), "\n"), 200), st.dim("("+v.Origin(k)+")"))
	}
}

// factKeys are the CI facts in the order output lists them.
var factKeys = []string{"pr_number", "branch", "base_branch", "tag", "commit", "build", "build_url", "repo", "fork", "event"}

// factsLine lists the known facts: branch=feature/x, pr_number=42.
func factsLine(facts map[string]string) string {
	var parts []string
	for _, k := range factKeys {
		v, ok := facts[k]
		switch {
		case !ok:
		case k == "fork" && (v == "true" || v == "false"):
			parts = append(parts, k+"="+v) // a boolean, as in JSON
		default:
			parts = append(parts, k+"="+text.Quote(v))
		}
	}
	return strings.Join(parts, ", ")
}

func appliesTo(s multienv.RuleStep) string {
	var parts []string
	if len(s.Groups) > 0 {
		g := make([]string, len(s.Groups))
		for i, x := range s.Groups {
			g[i] = string(x)
		}
		parts = append(parts, "groups "+strings.Join(g, ", "))
	}
	if len(s.Runtimes) > 0 {
		parts = append(parts, "runtimes "+strings.Join(s.Runtimes, ", "))
	}
	return text.Escape(strings.Join(parts, "; "))
}

type explainJSON struct {
	Config  string            `json:"config"`
	Found   string            `json:"found"`
	Runtime runtimeStep       `json:"runtime"`
	Facts   map[string]string `json:"facts"`
	// Payload says how reading the event payload went; empty when no fact
	// source asked for it.
	Payload string      `json:"payload"`
	Rules   []ruleStep  `json:"rules"`
	Allow   *allowStep  `json:"allow"`
	Result  currentJSON `json:"result"`
	// Values lists each value of the result with where it came from.
	Values []valueStep `json:"values"`
}

// valueStep is one value and its origin: "the default", "environment
// prd", with ", with placeholders filled" when its text held some.
type valueStep struct {
	Key    string `json:"key"`
	Value  any    `json:"value"`
	Origin string `json:"origin"`
}

// allowStep is the check of a protected environment; held is -1 when no
// condition held.
type allowStep struct {
	Env        string   `json:"env"`
	Conditions []string `json:"conditions"`
	Held       int      `json:"held"`
}

type runtimeStep struct {
	Name   string `json:"name"`
	Group  string `json:"group"`
	Origin string `json:"origin"`
	Forced bool   `json:"forced"`
	Signal string `json:"signal"`
	Passed int    `json:"passed"`
}

type ruleStep struct {
	Name    string    `json:"name"`
	Applies bool      `json:"applies"`
	When    []string  `json:"when"`
	Held    *int      `json:"held"` // the condition of when that held, -1 for none; null without when
	Vars    []varStep `json:"vars"`
	Default string    `json:"default"`
	Filled  string    `json:"filled"`
	Yielded bool      `json:"yielded"`
	Source  string    `json:"source"`
}

// varStep is one variable a rule read. Value is empty and Hidden true when
// the name says the variable holds a secret.
type varStep struct {
	Name   string `json:"name"`
	Set    bool   `json:"set"`
	Value  string `json:"value"`
	Hidden bool   `json:"hidden"`
}

func explainJSONOf(cfg *multienv.Config, res multienv.Result, t *multienv.Trace, lookup func(string) (string, bool)) explainJSON {
	out := explainJSON{Config: cfg.Source(), Found: cfg.Found(), Result: resultJSON(cfg, res),
		Runtime: runtimeStep{Name: t.Runtime, Group: string(t.Group), Origin: t.Origin, Forced: t.Forced, Signal: t.Signal, Passed: t.Passed},
		Rules:   []ruleStep{}, Facts: t.Facts, Payload: t.Payload, Values: []valueStep{}}
	if v, err := cfg.Values(res); err == nil && res.ID != "" {
		for _, k := range v.Keys() {
			x, _ := v.Get(k)
			out.Values = append(out.Values, valueStep{Key: k, Value: x, Origin: v.Origin(k)})
		}
	}
	if t.Allow != nil {
		out.Allow = &allowStep{Env: t.Allow.Env, Conditions: t.Allow.Conditions, Held: t.Allow.Held}
	}
	for _, s := range t.Rules {
		rs := ruleStep{Name: s.Rule, Applies: s.Applies, When: s.When, Default: s.Default, Filled: s.Filled,
			Yielded: s.Yielded, Source: s.Source, Vars: []varStep{}}
		if rs.When == nil {
			rs.When = []string{}
		}
		if len(s.When) > 0 && s.Applies {
			held := s.Held
			rs.Held = &held
		}
		for _, v := range s.Vars {
			vs := varStep{Name: v.Name, Set: v.Set, Value: v.Value}
			if hidden(v.Name, v.Value, v.Hidden) {
				vs.Value, vs.Hidden = "", true
			}
			rs.Vars = append(rs.Vars, vs)
		}
		out.Rules = append(out.Rules, rs)
	}
	return out
}
