package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/multienv/multienv/internal/glob"
	"github.com/multienv/multienv/internal/payload"
	"github.com/multienv/multienv/internal/position"
	"github.com/multienv/multienv/internal/text"
)

// decode turns the checked tree into a Config. The schema has vouched for
// the types of a validated file; for an embedded one, a value of the wrong
// type is still reported rather than trusted.
func decode(c *collector, tree map[string]any) *Config {
	d := decoder{c}
	cfg := &Config{File: c.name, RuntimeVariable: defaultRuntimeVariable, Catalog: true}
	if v, ok := tree["runtime_variable"]; ok {
		cfg.RuntimeVariable = d.str(v, "/runtime_variable")
	}
	if v, ok := tree["catalog"].(bool); ok {
		cfg.Catalog = v
	} else if v, ok := tree["catalog"]; ok {
		d.wrong("/catalog", "a boolean", v)
	}
	cfg.Values = d.table(tree["values"], "/values")
	cfg.Envs = tables(d, tree["envs"], "/envs", "", func(m map[string]any, ptr string) Env {
		return Env{
			Name:        d.str(m["name"], ptr+"/name"),
			Emoji:       d.str(m["emoji"], ptr+"/emoji"),
			Kind:        Kind(d.str(m["kind"], ptr+"/kind")),
			Description: d.str(m["description"], ptr+"/description"),
			Instances:   d.boolean(m["instances"], ptr+"/instances"),
			Allow:       d.conditions(m["allow"], ptr+"/allow", true),
			Values:      d.table(m["values"], ptr+"/values"),
			Origin:      c.name,
		}
	})
	cfg.Runtimes = tables(d, tree["runtimes"], "/runtimes", "", func(m map[string]any, ptr string) Runtime {
		rt := Runtime{
			Name:        d.str(m["name"], ptr+"/name"),
			Group:       Group(d.str(m["group"], ptr+"/group")),
			Description: d.str(m["description"], ptr+"/description"),
			When:        d.signals(m["when"], ptr+"/when"),
			PR:          d.signals(m["pr"], ptr+"/pr"),
			EventFile:   d.str(m["event_file"], ptr+"/event_file"),
			Origin:      c.name,
		}
		for f := range NumFacts {
			for j, e := range d.list(m[f.Key()], ptr+"/"+f.Key()) {
				rt.Facts[f] = append(rt.Facts[f], d.source(e, fmt.Sprintf("%s/%s/%d", ptr, f.Key(), j), f))
			}
		}
		return rt
	})
	cfg.Rules = tables(d, tree["rules"], "/rules", "", func(m map[string]any, ptr string) Rule {
		return Rule{
			Name:     d.str(m["name"], ptr+"/name"),
			Groups:   strs[Group](d, m["groups"], ptr+"/groups"),
			Runtimes: strs[string](d, m["runtimes"], ptr+"/runtimes"),
			From:     strs[string](d, m["from"], ptr+"/from"),
			Default:  d.str(m["default"], ptr+"/default"),
			When:     d.conditions(m["when"], ptr+"/when", false),
			Origin:   c.name,
		}
	})
	return cfg
}

// decoder reads the tree, reporting in c a value of the wrong type.
type decoder struct{ c *collector }

func (d decoder) wrong(ptr, want string, v any) {
	d.c.unlessSettled(ptr, false, "expected %s, found %s", want, describe(v))
}

// as reads v as a T (want words T), reporting a value of another type;
// nothing is the zero T.
func as[T any](d decoder, v any, ptr, want string) T {
	t, ok := v.(T)
	if !ok && v != nil {
		d.wrong(ptr, want, v)
	}
	return t
}

func (d decoder) str(v any, ptr string) string   { return as[string](d, v, ptr, "a string") }
func (d decoder) boolean(v any, ptr string) bool { return as[bool](d, v, ptr, "a boolean") }
func (d decoder) list(v any, ptr string) []any   { return as[[]any](d, v, ptr, "an array") }

// table reads a table, such as values, as it is: its checks come after.
func (d decoder) table(v any, ptr string) map[string]any {
	return as[map[string]any](d, v, ptr, "a table")
}

// tables reads an array of tables, each with read; empty, unless "", is the
// problem of an empty array.
func tables[T any](d decoder, v any, ptr, empty string, read func(m map[string]any, ptr string) T) []T {
	list := d.list(v, ptr)
	if empty != "" && list != nil && len(list) == 0 {
		d.c.unlessSettled(ptr, false, "%s", empty)
	}
	var out []T
	for i, e := range list {
		eptr := fmt.Sprintf("%s/%d", ptr, i)
		out = append(out, read(d.table(e, eptr), eptr))
	}
	return out
}

// strs reads an array of strings (or groups), or a single string as an
// array of one.
func strs[T ~string](d decoder, v any, ptr string) []T {
	if s, ok := v.(string); ok {
		return []T{T(s)}
	}
	var out []T
	for i, e := range d.list(v, ptr) {
		out = append(out, T(d.str(e, fmt.Sprintf("%s/%d", ptr, i))))
	}
	return out
}

// parsed reads s, the string at ptr, with parse, reporting why it fails
// after what s is ("pattern") and s quoted.
func parsed[T any](d decoder, ptr, what, s string, parse func(string) (T, error)) (T, bool) {
	t, err := parse(s)
	if err != nil {
		d.c.report(ptr, false, "%s %s %v", what, text.Quote(s), err)
	}
	return t, err == nil
}

// signals reads alternative signals. An empty list is reported, as the
// schema does: read as "no signals, always matches", it would turn a runtime
// meant to be narrow into one that matches everywhere.
func (d decoder) signals(v any, ptr string) []Signal {
	return tables(d, v, ptr, emptySignals, func(m map[string]any, ptr string) Signal {
		sig := d.signal(m, ptr)
		if len(sig) == 0 {
			d.c.unlessSettled(ptr, false, "a signal needs at least one condition")
		}
		return sig
	})
}

// signal reads the conditions on variables, arguments and files of a signal
// or of a condition.
func (d decoder) signal(m map[string]any, ptr string) Signal {
	var sig Signal
	for op := OpSet; op <= OpFile; op++ {
		raw, ok := m[op.Key()]
		if !ok {
			continue
		}
		cptr := ptr + "/" + op.Key()
		switch op {
		case OpEquals, OpNotEquals, OpContains:
			vars := d.table(raw, cptr)
			for _, name := range keysOf(vars) {
				sig = append(sig, Cond{Op: op, Name: name, Values: strs[string](d, vars[name], cptr+"/"+position.EscapeSegment(name))})
			}
		default:
			for _, name := range strs[string](d, raw, cptr) {
				sig = append(sig, Cond{Op: op, Name: name})
			}
		}
	}
	return slices.Clip(sig)
}

// conditions reads alternative conditions: a rule's when, or (withRuntime)
// an environment's allow, which may also name groups and runtimes.
func (d decoder) conditions(v any, ptr string, withRuntime bool) []Condition {
	empty := "an empty list: no condition of it can hold; leave the key out instead"
	return tables(d, v, ptr, empty, func(m map[string]any, cptr string) Condition {
		c := Condition{Signal: d.signal(m, cptr)}
		c.PR = d.prFilter(m, cptr)
		c.Branch = d.patterns(m["branch"], cptr+"/branch")
		c.BaseBranch = d.patterns(m["base_branch"], cptr+"/base_branch")
		c.Tag = d.patterns(m["tag"], cptr+"/tag")
		if b, ok := m["fork"]; ok {
			c.Fork = strconv.FormatBool(d.boolean(b, cptr+"/fork"))
		}
		c.Events = d.events(m["event"], cptr+"/event")
		if withRuntime {
			c.Groups = strs[Group](d, m["groups"], cptr+"/groups")
			c.Runtimes = strs[string](d, m["runtimes"], cptr+"/runtimes")
			c.Forced = d.boolean(m["forced"], cptr+"/forced")
		}
		if len(m) == 0 {
			d.c.unlessSettled(cptr, false, "a condition needs at least one key")
		}
		return c
	})
}

// prFilter reads the pr key of the table m at ptr.
func (d decoder) prFilter(m map[string]any, ptr string) PRFilter {
	b, ok := m["pr"]
	switch {
	case !ok:
		return AnyBuild
	case d.boolean(b, ptr+"/pr"):
		return PROnly
	}
	return NotPR
}

// patterns reads and compiles a pattern or a list of them.
func (d decoder) patterns(v any, ptr string) []*glob.Pattern {
	var out []*glob.Pattern
	_, single := v.(string)
	for i, s := range strs[string](d, v, ptr) {
		pptr := ptr
		if !single {
			pptr = fmt.Sprintf("%s/%d", ptr, i)
		}
		if p, ok := parsed(d, pptr, "pattern", s, glob.Compile); ok {
			if c := foreignSyntax(s); c != "" {
				d.c.warn(pptr, false, "pattern %s holds %s, which GitHub's filters read as syntax and this pattern as itself: only * and ** are wildcards here (write \\%s to keep it literal and quiet this)", text.Quote(s), c, c)
			}
			out = append(out, &p)
		}
	}
	return out
}

// events reads the events of a condition, each one of Events.
func (d decoder) events(v any, ptr string) []string {
	var out []string
	for i, e := range strs[string](d, v, ptr) {
		if !IsEvent(e) {
			d.c.report(fmt.Sprintf("%s/%d", ptr, i), false, "%s", unknownEvent(e))
			continue
		}
		out = append(out, e)
	}
	return out
}

func unknownEvent(e string) string {
	return "unknown event " + text.Quote(e) + "; known: " + strings.Join(events, ", ") + text.DidYouMean(text.Closest(e, events))
}

// source reads one source of fact f: a variable name, or a table with what
// it reads (see reads), a pattern whose capture is the value, a map (event
// and fork) and pr.
func (d decoder) source(e any, ptr string, f Fact) FactSource {
	if name, ok := e.(string); ok {
		return FactSource{Var: name}
	}
	m := d.table(e, ptr)
	src := d.reads(m, ptr, f)
	if raw, ok := m["pattern"]; ok {
		if p, ok := parsed(d, ptr+"/pattern", "pattern", d.str(raw, ptr+"/pattern"), glob.CompileCapture); ok {
			src.Pattern = &p
		}
	}
	src.PR = d.prFilter(m, ptr)
	if raw, ok := m["map"]; ok {
		src.Map = d.valueMap(raw, ptr+"/map", f)
		if f == FactEvent {
			src.Unmapped = EventOther
		}
	}
	return src
}

// valueMap reads the map of a source of fact f: what each of the vendor's
// values is, an event or (fork) "true" or "false". It checks what the
// schema does, for the built-in catalog.
func (d decoder) valueMap(v any, ptr string, f Fact) map[string]string {
	if f != FactEvent && f != FactFork {
		d.c.unlessSettled(ptr, true, "a map translates a vendor's values into an event or a fork's true or false: only event and fork sources take one")
		return nil
	}
	m := d.table(v, ptr)
	out := make(map[string]string, len(m))
	for _, k := range keysOf(m) {
		kptr := ptr + "/" + position.EscapeSegment(k)
		to := d.str(m[k], kptr)
		switch {
		case f == FactEvent && !IsEvent(to):
			d.c.report(kptr, false, "%s", unknownEvent(to))
		case f == FactFork && to != "true" && to != "false":
			d.c.report(kptr, false, "%s is neither \"true\" nor \"false\"", text.Quote(to))
		}
		out[k] = to
	}
	return out
}

// sourceKinds are the keys of a source table that say what it reads, one
// of which it must have; the last is the fork's only.
var sourceKinds = []string{"var", "compose", "payload", "differs"}

// reads reads what a source table of fact f reads: a variable, a template
// of several, a field of the event payload or (fork) two sources compared.
// The schema cannot require one such key (it keeps to keywords every reader
// of it knows), so none, or two, is reported whatever else is wrong.
func (d decoder) reads(m map[string]any, ptr string, f Fact) FactSource {
	kinds := sourceKinds[:3]
	if f == FactFork {
		kinds = sourceKinds
	}
	var given []string
	for _, k := range kinds {
		if _, ok := m[k]; ok {
			given = append(given, k)
		}
	}
	var src FactSource
	switch {
	case len(given) == 0:
		d.c.report(ptr, false, "a source needs one of the keys %s: what it reads", quoteAll(kinds))
		return src
	case len(given) > 1:
		d.c.report(ptr+"/"+given[1], true, "a source reads one thing: %s and %s cannot both be given", text.Quote(given[0]), text.Quote(given[1]))
	}
	kptr := ptr + "/" + given[0]
	switch given[0] {
	case "var":
		src.Var = d.str(m["var"], kptr)
	case "compose":
		src.Compose, _ = parsed(d, kptr, "compose", d.str(m["compose"], kptr), ParseCompose)
	case "payload":
		if p, ok := parsed(d, kptr, "payload path", d.str(m["payload"], kptr), payload.ParsePath); ok {
			src.Payload = &p
		}
	case "differs":
		src.Differs = d.differs(m["differs"], kptr)
	}
	return src
}

// differs reads the two sources a fork source compares, each read as any
// fact's source: no map, no differs within.
func (d decoder) differs(v any, ptr string) []FactSource {
	list := d.list(v, ptr)
	if len(list) != 2 {
		d.c.unlessSettled(ptr, false, "differs compares two sources, found %d", len(list))
		return nil
	}
	return []FactSource{d.source(list[0], ptr+"/0", FactRepo), d.source(list[1], ptr+"/1", FactRepo)}
}

// foreignSyntax returns the first character of s, not escaped, that
// GitHub's filter patterns read as syntax and multienv's as itself (?, +,
// [, ], and ! at the start), or "".
func foreignSyntax(s string) string {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			i++
		case c == '?' || c == '+' || c == '[' || c == ']' || c == '!' && i == 0:
			return string(c)
		}
	}
	return ""
}
