package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/internal/text"
)

var cmdExplain = &command{
	name:    "explain",
	summary: "show how the environment was reached",
	usage:   "[--json] [-- ARGS...]",
	flags:   []flagDef{jsonFlag},
	maxArgs: processArgs,
	run: withConfig(func(e *invocation, o *options, cfg *multienv.Config) int {
		res, trace, err := cfg.Explain(e.inputs)
		if o.json {
			if err != nil {
				return e.resolveError(err)
			}
			return e.writeJSON(explainJSON(cfg, res, trace))
		}
		if err == nil {
			writeExplanation(e.stdout, e.style(), cfg, trace, res, nil)
			return exitOK
		}
		// On failure the explanation goes to stderr, plain, prefixed.
		var b strings.Builder
		writeExplanation(&b, style{}, cfg, trace, res, err)
		for _, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
			e.errorf("%s", line)
		}
		return e.resolveError(err)
	}),
}

// style decorates text for a terminal; the zero style leaves it plain.
type style struct{ color, emoji bool }

func (e *invocation) style() style {
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

// writeExplanation prints the trace, every name, value, path and signal
// escaped: a newline in a description cannot forge a "result:" line. A
// signal shows the values written in the file, never those read. With
// bases, each environment, rule and value says its file.
func writeExplanation(w io.Writer, st style, cfg *multienv.Config, t *multienv.Trace, res multienv.Result, err error) {
	fmt.Fprintf(w, "%s %s (%s)\n", st.bold("config: "), text.Path(cfg.File()), cfg.Found()) // Found escapes its paths
	files := cfg.Files()
	bases := len(files) > 1
	if bases {
		paths := each(files[:len(files)-1], text.Path)
		fmt.Fprintf(w, "%s %s\n", st.bold("bases:  "), strings.Join(paths, ", "))
		writeEnvOrigins(w, st, cfg)
	}
	if t.Runtime == "" {
		return // the runtime variable named no runtime; the error says so
	}
	writeRuntime(w, st, t)
	ruleOrigin := ruleOrigins(cfg)
	fmt.Fprintln(w, st.bold("rules:"))
	for i, step := range t.Rules {
		name := text.Escape(step.Rule)
		if bases {
			name += " (" + text.Path(ruleOrigin[step.Rule]) + ")"
		}
		fmt.Fprintf(w, "  %d. %s, for %s: ", i+1, name, appliesTo(step))
		writeStep(w, st, t, step, err != nil)
	}
	if a := t.Allow; a != nil && a.Held >= 0 {
		fmt.Fprintf(w, "%s %s is protected; allowed, as %s holds\n", st.bold("allow:  "), text.Escape(a.Env), text.Escape(a.Conditions[a.Held]))
	} else if a != nil {
		fmt.Fprintf(w, "%s %s is protected; no condition holds: %s\n", st.bold("allow:  "), text.Escape(a.Env), text.Escape(strings.Join(a.Conditions, "; or ")))
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
	if bases {
		fmt.Fprintf(w, "          environment %s declared in %s; rule %s in %s\n", text.Escape(res.Env.Name), text.Path(res.Env.Origin),
			text.Escape(res.Rule), text.Path(ruleOrigin[res.Rule]))
	}
	writeValues(w, st, cfg, res)
}

// writeRuntime prints the runtime detected and by what, and the facts.
func writeRuntime(w io.Writer, st style, t *multienv.Trace) {
	from := text.Path(t.Origin)
	if t.Origin == multienv.CatalogOrigin {
		from = "the built-in catalog"
	}
	fmt.Fprintf(w, "%s %s (group %s, from %s)\n", st.bold("runtime:"), text.Escape(t.Runtime), text.Escape(string(t.Group)), from)
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
}

// writeStep ends the line of a rule with whether it applies, then prints
// the variables it read and what it gave. failed: the resolution failed.
func writeStep(w io.Writer, st style, t *multienv.Trace, step multienv.RuleStep, failed bool) {
	switch {
	case !step.Applies:
		fmt.Fprintf(w, "%s\n", st.dim("does not apply to "+text.Escape(t.Runtime)+" (group "+text.Escape(string(t.Group))+")"))
		return
	case len(step.When) > 0 && step.Held < 0:
		fmt.Fprintf(w, "%s\n", st.dim("applies, but no condition of its when holds: "+text.Escape(strings.Join(step.When, "; or "))))
		return
	case len(step.When) > 0:
		fmt.Fprintf(w, "applies: %s holds\n", text.Escape(step.When[step.Held]))
	default:
		fmt.Fprintln(w, "applies")
	}
	for _, v := range step.Vars {
		fmt.Fprintf(w, "       %s\n", varLine(v))
	}
	if line := outcome(step, failed, failed && t.Allow != nil); line != "" {
		fmt.Fprintf(w, "       %s\n", line)
	}
}

// varLine says what a variable a rule read held (hidden for a secret's).
func varLine(v multienv.VarStep) string {
	name := text.Escape(v.Name)
	switch {
	case !v.Set:
		return name + " is unset"
	case v.Hidden:
		return name + " is set (value hidden: the name says it holds a secret)"
	case v.Value == "":
		return name + " is empty (counts as unset)"
	}
	return name + " = " + text.Quote(v.Value)
}

// outcome says what a rule that applies gave, if there is something to
// say. refused: the resolution failed on a protected environment, so a
// template that gave nothing is not why.
func outcome(s multienv.RuleStep, failed, refused bool) string {
	switch {
	case s.Yielded && s.Source == "default" && s.Filled != "":
		return "default " + text.Escape(s.Default) + " gives " + text.Escape(s.Filled)
	case s.Yielded && s.Source == "default":
		return "default " + text.Escape(s.Default)
	case s.Yielded, slices.ContainsFunc(s.Vars, func(v multienv.VarStep) bool { return v.Value != "" }):
		return "" // a variable gave the id; when it did not yield, the error after says why
	case s.Filled == "" && s.Template() && !refused:
		return "default " + text.Escape(s.Default) + " gives nothing: a fact it needs is unknown"
	case s.Default != "":
		return ""
	case failed:
		return "no value and no default"
	}
	return "no value and no default: next rule"
}

// writeEnvOrigins says, a line a file, which environments each file
// declared, at most maxNamed named on a line.
func writeEnvOrigins(w io.Writer, st style, cfg *multienv.Config) {
	byFile := map[string][]string{}
	for _, e := range cfg.Environments() {
		byFile[e.Origin] = append(byFile[e.Origin], e.Name)
	}
	label := st.bold("envs:   ")
	for _, f := range cfg.Files() {
		if names := byFile[f]; names != nil {
			fmt.Fprintf(w, "%s %s in %s\n", label, text.List(names, maxNamed), text.Path(f))
			label = "        "
		}
	}
}

// maxNamed is how many names one line of explain lists.
const maxNamed = 20

// envOrigins gives the file that declared each environment, by name.
func envOrigins(cfg *multienv.Config) map[string]string {
	out := map[string]string{}
	for _, e := range cfg.Environments() {
		out[e.Name] = e.Origin
	}
	return out
}

// ruleOrigins gives the file that declared each rule, by name.
func ruleOrigins(cfg *multienv.Config) map[string]string {
	out := map[string]string{}
	for _, r := range cfg.Rules() {
		out[r.Name] = r.Origin
	}
	return out
}

// maxValuesShown bounds the values explain lists; current --json has all.
const maxValuesShown = 50

// writeValues lists the values of the result (at most maxValuesShown),
// each with where it came from.
func writeValues(w io.Writer, st style, cfg *multienv.Config, res multienv.Result) {
	v, err := cfg.Values(res)
	if err != nil {
		return
	}
	keys := v.Keys()
	if len(keys) == 0 {
		return
	}
	fmt.Fprintln(w, st.bold("values:"))
	for i, k := range keys {
		if i == maxValuesShown {
			fmt.Fprintf(w, "  ... and %d more (resolver current --json lists them all)\n", len(keys)-i)
			break
		}
		x, _ := v.Get(k)
		fmt.Fprintf(w, "  %s = %s %s\n", text.Escape(k), shown(jsonValue(x)), st.dim("("+text.Escape(v.Origin(k))+")"))
	}
}

// factsLine lists the known facts (branch="feature/x", pr_number="42"), as
// many as fit whole in maxFactsWidth bytes; the rest are counted, never cut
// inside a value.
func factsLine(facts map[string]string) string {
	var parts []string
	width, more := 0, 0
	for _, k := range multienv.FactKeys() {
		v, ok := facts[k]
		if !ok {
			continue
		}
		part := k + "=" + text.Quote(v)
		if k == "fork" && (v == "true" || v == "false") {
			part = k + "=" + v // a boolean, as in JSON
		}
		if more > 0 || width+len(part) > maxFactsWidth {
			more++
			continue
		}
		parts = append(parts, part)
		width += len(part) + len(", ")
	}
	line := strings.Join(parts, ", ")
	if more > 0 {
		line += fmt.Sprintf(" and %d more (explain --json has them all)", more)
	}
	return line
}

// maxFactsWidth leaves room, in a line of text.MaxLine bytes, for the
// "resolver: facts:   " before the facts and the count after.
const maxFactsWidth = text.MaxLine - 100

func appliesTo(s multienv.RuleStep) string {
	var parts []string
	if len(s.Groups) > 0 {
		g := each(s.Groups, func(g multienv.Group) string { return string(g) })
		parts = append(parts, "groups "+strings.Join(g, ", "))
	}
	if len(s.Runtimes) > 0 {
		parts = append(parts, "runtimes "+strings.Join(s.Runtimes, ", "))
	}
	return text.Escape(strings.Join(parts, "; "))
}

// explainJSON is what explain --json prints: every member of current
// --json (CONTRACT §4, §6, §11), how the configuration was found, the
// trace, the result again under result, the values with their origins, the
// files merged (bases first), and the files that declared the result's
// environment, rules and values.
func explainJSON(cfg *multienv.Config, res multienv.Result, t *multienv.Trace) joined {
	values, valueFiles := []valueStep{}, map[string]string{}
	if v, err := cfg.Values(res); err == nil {
		for _, k := range v.Keys() {
			x, _ := v.Get(k)
			values = append(values, valueStep{Key: k, Value: jsonValue(x), Origin: v.Origin(k)})
			valueFiles[k] = v.File(k)
		}
	}
	current := currentJSON(cfg, res)
	return joined{
		current,
		struct {
			Found string `json:"found"`
		}{cfg.Found()},
		t,
		struct {
			Result      joined            `json:"result"`
			Values      []valueStep       `json:"value_steps"`
			Files       []string          `json:"files"`
			EnvOrigin   string            `json:"env_origin"`
			EnvOrigins  map[string]string `json:"env_origins"`
			RuleOrigins map[string]string `json:"rule_origins"`
			ValueFiles  map[string]string `json:"value_files"`
		}{current, values, cfg.Files(), res.Env.Origin, envOrigins(cfg), ruleOrigins(cfg), valueFiles},
	}
}

// valueStep is one value and its origin ("the default", "environment prd").
type valueStep struct {
	Key    string `json:"key"`
	Value  any    `json:"value"`
	Origin string `json:"origin"`
}
