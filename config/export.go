package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/multienv/multienv/internal/envfile"
	"github.com/multienv/multienv/internal/position"
	"github.com/multienv/multienv/internal/text"
)

// ownExportNames are the names export gives the resolved environment, after the prefix.
var ownExportNames = []string{"ID", "ENV", "INSTANCE", "KIND"}

// exportIssues is the one rule check reports and export refuses by: it calls
// found with each scalar value key (at ptr) that cannot be exported under one
// of prefixes (exportKeyIssue), and why.
func (c *Config) exportIssues(found func(ptr, msg string), prefixes ...string) {
	if len(c.Values) == 0 { // nothing to export: the names read are not needed
		return
	}
	reads, seen := c.readNames(), map[string]string{} // seen: export name -> the first key of that name
	ptrs := map[string]string{}                       // a key's pointer
	var walk func(v map[string]any, prefix, ptr string)
	walk = func(v map[string]any, prefix, ptr string) {
		for _, k := range keysOf(v) {
			key, kptr := prefix+k, ptr+"/"+position.EscapeSegment(k)
			switch t := v[k].(type) {
			case map[string]any:
				walk(t, key+".", kptr)
			case []any: // not exported
			default:
				ptrs[key] = kptr
				if msg := exportKeyIssue(key, prefixes, reads, seen); msg != "" {
					// Two keys of one name: reported at the one merged last,
					// whose file made them clash.
					if first := seen[envfile.Name(key)]; first != key && c.mergedAfter(first, key) {
						kptr = ptrs[first]
					}
					found(kptr, msg)
				}
			}
		}
	}
	walk(c.Values, "", "/values")
}

// mergedAfter reports whether value key a comes from a file merged after
// b's (ValueFiles, Files).
func (c *Config) mergedAfter(a, b string) bool {
	return slices.Index(c.Files, c.ValueFiles[a]) > slices.Index(c.Files, c.ValueFiles[b])
}

// exportKeyIssue says why the scalar key cannot be exported, or "": its name
// is export's own, another key's, reserved, or one this configuration reads.
func exportKeyIssue(key string, prefixes []string, reads map[string]bool, seen map[string]string) string {
	name := envfile.Name(key)
	if slices.Contains(ownExportNames, name) {
		return fmt.Sprintf("value %s exports as %s%s (%s after any prefix), the name export gives the resolved environment's %s: it would replace the answer; rename the value",
			text.Quote(key), envfile.DefaultPrefix, name, name, strings.ToLower(name))
	}
	if first, dup := seen[name]; dup {
		return fmt.Sprintf("values %s and %s both export as %s%s (%s after any prefix), and the last printed would win; rename one",
			text.Quote(first), text.Quote(key), envfile.DefaultPrefix, name, name)
	}
	seen[name] = key
	for _, p := range prefixes {
		full, with := p+name, "with --prefix "+text.Quote(p)
		if p == envfile.DefaultPrefix {
			with = "with the default prefix"
		}
		if why := envfile.Reserved(full); why != "" {
			return fmt.Sprintf("value %s exports as %s %s: %s; rename the value", text.Quote(key), full, with, why)
		}
		if reads[full] {
			return fmt.Sprintf("value %s exports as %s %s, a variable this configuration reads to decide the environment; rename the value", text.Quote(key), full, with)
		}
	}
	return ""
}

// readNames are the variables the configuration reads: rules' from, the
// runtime variable, the conditions of runtimes, rules and protected
// environments, every variable a fact source reads and the event file's.
func (c *Config) readNames() map[string]bool {
	out := map[string]bool{c.RuntimeVariable: true}
	signals := func(ss ...Signal) {
		for _, s := range ss {
			for _, cond := range s {
				if cond.Op <= OpContains {
					out[cond.Name] = true
				}
			}
		}
	}
	for _, r := range c.Rules {
		for _, v := range r.From {
			out[v] = true
		}
		for _, x := range r.When {
			signals(x.Signal)
		}
	}
	for _, e := range c.Envs {
		for _, x := range e.Allow {
			signals(x.Signal)
		}
	}
	for _, rt := range c.Runtimes {
		signals(rt.When...)
		signals(rt.PR...)
		out[rt.EventFile] = true
		for _, srcs := range rt.Facts {
			for _, s := range srcs {
				if s.Compose == nil && s.Differs == nil { // one variable, or the payload's none
					out[s.Var] = true
					continue
				}
				for _, v := range s.Vars() {
					out[v] = true
				}
			}
		}
	}
	delete(out, "") // no runtime variable or event file
	return out
}

// ExportProblems says why the values cannot be exported as variables named
// prefix, then each key's export name: one message a key, none when they can.
func (c *Config) ExportProblems(prefix string) []string {
	if why := envfile.BadPrefix(prefix); why != "" {
		return []string{fmt.Sprintf("--prefix %s %s", text.Quote(prefix), why)}
	}
	if why := envfile.ReservedPrefix(prefix); why != "" {
		return []string{fmt.Sprintf("--prefix %s starts every name export prints, and %s", text.Quote(prefix), why)}
	}
	var out []string
	// export's own names, but ENV with no prefix: its value is an
	// environment's name, and only an interactive POSIX shell reads it.
	for _, n := range ownExportNames {
		if why := envfile.Reserved(prefix + n); why != "" && prefix+n != "ENV" {
			out = append(out, fmt.Sprintf("--prefix %s makes export print %s: %s", text.Quote(prefix), prefix+n, why))
		}
	}
	if c.Values != nil {
		c.exportIssues(func(_, msg string) { out = append(out, msg) }, prefix)
	}
	return out
}

// longestFill holds texts as long as any environment's placeholders can be.
func longestFill(envs []Env) fills {
	var id, env, instance int
	for _, e := range envs {
		n := len(e.Name)
		if e.Instances {
			n += 1 + maxInstance
			instance = maxInstance
		}
		id, env = max(id, n), max(env, len(e.Name))
	}
	return fills{strings.Repeat("x", id), strings.Repeat("x", env), strings.Repeat("x", instance)}
}

// valueText checks s, the string at ptr, as export and data print it: no
// format can carry a NUL; a string filled longer than data is printed, or
// (exported) one a format cannot carry exactly, draws a warning.
func (ck *checker) valueText(s, ptr, key string, exported bool, longest fills) {
	if i := strings.IndexByte(s, 0); i >= 0 {
		ck.report(ptr, false, "a NUL byte at byte %d: no variable, shell or format can hold one, so get, export and every reader would each see another value", i+1)
		return
	}
	if n := len(fillPlaceholders(s, longest)); n > text.MaxData {
		ck.warn(ptr, false, "up to %d bytes once filled: get, export and --json print data of at most %d bytes whole and refuse more; shorten it, or read it with the Go library", n, text.MaxData)
		return
	}
	if !exported {
		return
	}
	// The placeholders fill in lower-case letters, digits and '-', which
	// every format carries; only an empty {instance} could join what is
	// around it.
	var reasons []string
	for _, f := range envfile.Formats {
		for _, inst := range []string{"x", ""} {
			if why := envfile.Problem(f, fillPlaceholders(s, fills{"x", "x", inst})); why != "" {
				reasons = append(reasons, "as "+f+": it "+why)
				break
			}
		}
	}
	if len(reasons) > 0 {
		ck.warn(ptr, false, "value %s cannot be exported %s; export refuses it in that format (read it with get, or export another format)", text.Quote(key), strings.Join(reasons, "; nor "))
	}
}
