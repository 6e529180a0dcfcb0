package config

import (
	"fmt"
	"slices"

	"github.com/multienv/multienv/internal/glob"
	"github.com/multienv/multienv/internal/text"
)

// decode turns the checked tree into a Config. The schema has vouched for
// the types of a validated file; for an embedded one, a value of the wrong
// type is still reported rather than trusted.
func (l *loader) decode(tree map[string]any) *Config {
	d := decoder{l: l}
	cfg := &Config{Source: l.name, RuntimeVariable: DefaultRuntimeVariable, Catalog: true}
	if v, ok := tree["runtime_variable"]; ok {
		cfg.RuntimeVariable = d.str(v, "/runtime_variable")
	}
	if v, ok := tree["catalog"].(bool); ok {
		cfg.Catalog = v
	} else if v, ok := tree["catalog"]; ok {
		d.wrong("/catalog", "a boolean", v)
	}
	cfg.Values = d.values(tree["values"], "/values")
	for i, v := range d.list(tree["envs"], "/envs") {
		ptr := fmt.Sprintf("/envs/%d", i)
		m := d.table(v, ptr)
		cfg.Envs = append(cfg.Envs, Env{
			Name:        d.str(m["name"], ptr+"/name"),
			Emoji:       d.str(m["emoji"], ptr+"/emoji"),
			Kind:        Kind(d.str(m["kind"], ptr+"/kind")),
			Description: d.str(m["description"], ptr+"/description"),
			Instances:   d.boolean(m["instances"], ptr+"/instances"),
			Allow:       d.conditions(m["allow"], ptr+"/allow", true),
			Values:      d.values(m["values"], ptr+"/values"),
		})
	}
	for i, v := range d.list(tree["runtimes"], "/runtimes") {
		ptr := fmt.Sprintf("/runtimes/%d", i)
		m := d.table(v, ptr)
		rt := Runtime{
			Name:        d.str(m["name"], ptr+"/name"),
			Group:       Group(d.str(m["group"], ptr+"/group")),
			Description: d.str(m["description"], ptr+"/description"),
			When:        d.signals(m["when"], ptr+"/when"),
			PR:          d.signals(m["pr"], ptr+"/pr"),
			Origin:      l.name,
		}
		for f := range NumFacts {
			rt.Facts[f] = d.sources(m[f.Key()], ptr+"/"+f.Key())
		}
		cfg.Runtimes = append(cfg.Runtimes, rt)
	}
	for i, v := range d.list(tree["rules"], "/rules") {
		ptr := fmt.Sprintf("/rules/%d", i)
		m := d.table(v, ptr)
		r := Rule{
			Name:     d.str(m["name"], ptr+"/name"),
			Runtimes: d.strs(m["runtimes"], ptr+"/runtimes"),
			From:     d.strs(m["from"], ptr+"/from"),
			Default:  d.str(m["default"], ptr+"/default"),
			When:     d.conditions(m["when"], ptr+"/when", false),
		}
		for _, g := range d.strs(m["groups"], ptr+"/groups") {
			r.Groups = append(r.Groups, Group(g))
		}
		cfg.Rules = append(cfg.Rules, r)
	}
	return cfg
}

type decoder struct{ l *loader }

// values reads a table of values as it is: its checks come after.
func (d decoder) values(v any, ptr string) map[string]any {
	if v == nil {
		return nil
	}
	return d.table(v, ptr)
}

func (d decoder) wrong(ptr, want string, v any) {
	// After schema problems the decoder stays silent: it would repeat them.
	if len(d.l.settled) == 0 {
		d.l.report(ptr, false, "expected %s, found %s", want, describe(v))
	}
}

func (d decoder) str(v any, ptr string) string {
	if v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		d.wrong(ptr, "a string", v)
	}
	return s
}

func (d decoder) boolean(v any, ptr string) bool {
	if v == nil {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		d.wrong(ptr, "a boolean", v)
	}
	return b
}

func (d decoder) list(v any, ptr string) []any {
	if v == nil {
		return nil
	}
	l, ok := v.([]any)
	if !ok {
		d.wrong(ptr, "an array", v)
	}
	return l
}

func (d decoder) table(v any, ptr string) map[string]any {
	m, ok := v.(map[string]any)
	if !ok {
		d.wrong(ptr, "a table", v)
	}
	return m
}

// strs reads an array of strings, or a single string as an array of one.
func (d decoder) strs(v any, ptr string) []string {
	if s, ok := v.(string); ok {
		return []string{s}
	}
	var out []string
	for i, e := range d.list(v, ptr) {
		out = append(out, d.str(e, fmt.Sprintf("%s/%d", ptr, i)))
	}
	return out
}

// signals reads alternative signals. An empty list is reported (the schema
// does it for a file it checks): any one of no signals never holds, and
// reading it as "no signals, always matches" would turn a runtime meant to
// be narrow into one that matches everywhere.
func (d decoder) signals(v any, ptr string) []Signal {
	list := d.list(v, ptr)
	if list != nil && len(list) == 0 && len(d.l.settled) == 0 {
		d.l.report(ptr, false, "%s", emptySignals)
	}
	var out []Signal
	for i, e := range list {
		sptr := fmt.Sprintf("%s/%d", ptr, i)
		sig := d.signal(d.table(e, sptr), sptr)
		if len(sig) == 0 && len(d.l.settled) == 0 {
			d.l.report(sptr, false, "a signal needs at least one condition")
		}
		out = append(out, sig)
	}
	return out
}

// signal reads the conditions on variables, arguments and files of a
// table (a signal, or a condition of a rule or an allow).
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
			names := keysOf(vars)
			for _, name := range names {
				sig = append(sig, Cond{Op: op, Name: name, Values: d.strs(vars[name], cptr+"/"+escapeSegment(name))})
			}
		default:
			for _, name := range d.strs(raw, cptr) {
				sig = append(sig, Cond{Op: op, Name: name})
			}
		}
	}
	return slices.Clip(sig)
}

// conditions reads alternative conditions: a rule's when, or (withRuntime)
// an environment's allow, which may also name groups and runtimes.
func (d decoder) conditions(v any, ptr string, withRuntime bool) []Condition {
	list := d.list(v, ptr)
	if list != nil && len(list) == 0 && len(d.l.settled) == 0 {
		d.l.report(ptr, false, "an empty list: no condition of it can hold; leave the key out instead")
	}
	var out []Condition
	for i, e := range list {
		cptr := fmt.Sprintf("%s/%d", ptr, i)
		m := d.table(e, cptr)
		c := Condition{Signal: d.signal(m, cptr)}
		if b, ok := m["pr"]; ok {
			c.PR = NotPR
			if d.boolean(b, cptr+"/pr") {
				c.PR = PROnly
			}
		}
		c.Branch = d.patterns(m["branch"], cptr+"/branch")
		c.BaseBranch = d.patterns(m["base_branch"], cptr+"/base_branch")
		c.Tag = d.patterns(m["tag"], cptr+"/tag")
		if withRuntime {
			for _, g := range d.strs(m["groups"], cptr+"/groups") {
				c.Groups = append(c.Groups, Group(g))
			}
			c.Runtimes = d.strs(m["runtimes"], cptr+"/runtimes")
			if b, ok := m["forced"]; ok {
				c.Forced = d.boolean(b, cptr+"/forced")
			}
		}
		if len(m) == 0 && len(d.l.settled) == 0 {
			d.l.report(cptr, false, "a condition needs at least one key")
		}
		out = append(out, c)
	}
	return out
}

// patterns reads a pattern or a list of them (GitHub Actions' filter
// patterns), each compiled.
func (d decoder) patterns(v any, ptr string) []*glob.Pattern {
	if v == nil {
		return nil
	}
	var out []*glob.Pattern
	single := false
	if _, ok := v.(string); ok {
		single = true
	}
	for i, s := range d.strs(v, ptr) {
		pptr := ptr
		if !single {
			pptr = fmt.Sprintf("%s/%d", ptr, i)
		}
		p, err := glob.Compile(s)
		if err != nil {
			d.l.report(pptr, false, "pattern %s %v", text.Quote(s), err)
			continue
		}
		if c := foreignSyntax(s); c != "" {
			d.l.warn(pptr, false, "pattern %s holds %s, which GitHub's filters read as syntax and this pattern as itself: only * and ** are wildcards here (write \\%s to keep it literal and quiet this)", text.Quote(s), c, c)
		}
		out = append(out, &p)
	}
	return out
}

// sources reads the sources of a fact: each a variable name, or a table
// with var, a pattern whose capture is the value, and pr.
func (d decoder) sources(v any, ptr string) []Source {
	var out []Source
	for i, e := range d.list(v, ptr) {
		sptr := fmt.Sprintf("%s/%d", ptr, i)
		if name, ok := e.(string); ok {
			out = append(out, Source{Var: name})
			continue
		}
		m := d.table(e, sptr)
		src := Source{Var: d.str(m["var"], sptr+"/var")}
		if raw, ok := m["pattern"]; ok {
			s := d.str(raw, sptr+"/pattern")
			p, err := glob.CompileCapture(s)
			if err != nil {
				d.l.report(sptr+"/pattern", false, "pattern %s %v", text.Quote(s), err)
			} else {
				src.Pattern = &p
			}
		}
		if b, ok := m["pr"]; ok {
			src.PR = NotPR
			if d.boolean(b, sptr+"/pr") {
				src.PR = PROnly
			}
		}
		out = append(out, src)
	}
	return out
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
