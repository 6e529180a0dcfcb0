package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/multienv/multienv/internal/envfile"
	"github.com/multienv/multienv/internal/position"
	"github.com/multienv/multienv/internal/text"
)

// ownExportNames are the names export gives the resolved environment,
// after the prefix.
var ownExportNames = []string{"ID", "ENV", "INSTANCE", "KIND"}

// exportIssue is why a value key (at ptr, or "" for the prefix) cannot be
// exported.
type exportIssue struct{ ptr, msg string }

// exportIssues finds the scalar value keys that cannot be exported under
// any of prefixes: a key exporting as a name export itself sets (whatever
// the prefix), two keys exporting as one name, and a key that would export,
// under one of prefixes, as a name a shell, loader, runtime or runner
// gives meaning to (envfile.Reserved) or as a variable this configuration
// reads (a rule's from, the runtime variable, a runtime's signal or fact).
// It is the one rule check reports and export refuses by.
func (c *Config) exportIssues(prefixes []string) []exportIssue {
	if c.Values == nil {
		return nil
	}
	for _, p := range prefixes {
		if why := envfile.ReservedPrefix(p); why != "" {
			return []exportIssue{{"", fmt.Sprintf("--prefix %s starts every name export prints, and %s", text.Quote(p), why)}}
		}
	}
	var out []exportIssue
	// export's own names, but ENV with no prefix: its value is an
	// environment's name, and only an interactive POSIX shell reads it.
	for _, p := range prefixes {
		for _, n := range ownExportNames {
			if full := p + n; full != "ENV" {
				if why := envfile.Reserved(full); why != "" {
					out = append(out, exportIssue{"", fmt.Sprintf("--prefix %s makes export print %s: %s", text.Quote(p), full, why)})
				}
			}
		}
	}
	w := exportWalk{prefixes: prefixes, reads: c.readNames(), seen: map[string]string{}, out: out}
	w.walk(c.Values, "", "/values")
	return w.out
}

// exportWalk finds the issues of the scalar keys under a table of values.
type exportWalk struct {
	prefixes []string
	reads    map[string]bool   // the variables the configuration reads
	seen     map[string]string // export name -> the first key of that name
	out      []exportIssue
}

func (w *exportWalk) walk(v map[string]any, prefix, ptr string) {
	for _, k := range keysOf(v) {
		key, kptr := prefix+k, ptr+"/"+position.EscapeSegment(k)
		switch t := v[k].(type) {
		case map[string]any:
			w.walk(t, key+".", kptr)
		case []any: // not exported
		default:
			if msg := w.issue(key); msg != "" {
				w.out = append(w.out, exportIssue{kptr, msg})
			}
		}
	}
}

// issue says why the scalar key cannot be exported, or "".
func (w *exportWalk) issue(key string) string {
	name := envfile.Name(key)
	if slices.Contains(ownExportNames, name) {
		return fmt.Sprintf("value %s exports as %s%s, the name export gives the resolved environment's %s: it would replace the answer; rename the value",
			text.Quote(key), envfile.DefaultPrefix, name, strings.ToLower(name))
	}
	if first, dup := w.seen[name]; dup {
		return fmt.Sprintf("values %s and %s both export as %s%s, and the last printed would win; rename one",
			text.Quote(first), text.Quote(key), envfile.DefaultPrefix, name)
	}
	w.seen[name] = key
	for _, p := range w.prefixes {
		full := p + name
		with := "with --prefix " + text.Quote(p)
		if p == envfile.DefaultPrefix {
			with = "with the default prefix"
		}
		if why := envfile.Reserved(full); why != "" {
			return fmt.Sprintf("value %s exports as %s %s: %s; rename the value", text.Quote(key), full, with, why)
		}
		if w.reads[full] {
			return fmt.Sprintf("value %s exports as %s %s, a variable this configuration reads to decide the environment; rename the value", text.Quote(key), full, with)
		}
	}
	return ""
}

// readNames are the variables the configuration reads to decide the
// environment and its facts.
func (c *Config) readNames() map[string]bool {
	out := map[string]bool{c.RuntimeVariable: true}
	for _, r := range c.Rules {
		for _, v := range r.From {
			out[v] = true
		}
	}
	for _, rt := range c.Runtimes {
		for _, sigs := range [2][]Signal{rt.When, rt.PR} {
			for _, s := range sigs {
				for _, cond := range s {
					if cond.Op <= OpContains {
						out[cond.Name] = true
					}
				}
			}
		}
		for _, srcs := range rt.Facts {
			for _, s := range srcs {
				out[s.Var] = true
			}
		}
	}
	delete(out, "") // no runtime variable, or a source that reads no one variable
	return out
}

// ExportProblems says why the values cannot be exported as variables named
// prefix, then each key's ExportName: one message a key, empty when they
// can. Whether a value's text fits a format is ExportValueProblem's.
func (c *Config) ExportProblems(prefix string) []string {
	var out []string
	for _, is := range c.exportIssues([]string{prefix}) {
		out = append(out, is.msg)
	}
	return out
}

// checkExports reports, as errors at their keys, the value keys export
// would refuse with the default prefix or with none.
func (ck *checker) checkExports(cfg *Config) {
	for _, is := range cfg.exportIssues([]string{envfile.DefaultPrefix, ""}) {
		if is.ptr != "" {
			ck.report(is.ptr, true, "%s", is.msg)
		}
	}
}

// fillLen holds placeholder texts as long as any environment's can be.
type fillLen struct{ id, env, instance string }

func longestFill(envs []Env) fillLen {
	var f fillLen
	for _, e := range envs {
		id := len(e.Name)
		if e.Instances {
			id += 1 + maxInstance
			f.instance = strings.Repeat("x", maxInstance)
		}
		if id > len(f.id) {
			f.id = strings.Repeat("x", id)
		}
		if len(e.Name) > len(f.env) {
			f.env = strings.Repeat("x", len(e.Name))
		}
	}
	return f
}

// valueText checks s, the string at ptr, as export and data print it: no
// format can carry a NUL; a string filled longer than data is printed, or
// (exported, not inside an array) one a format cannot carry exactly, draws
// a warning.
func (ck *checker) valueText(s, ptr, key string, exported bool, longest fillLen) {
	if strings.IndexByte(s, 0) >= 0 {
		ck.report(ptr, false, "a NUL byte at byte %d: no variable, shell or format can hold one, so get, export and every reader would each see another value", strings.IndexByte(s, 0)+1)
		return
	}
	if n := len(fillPlaceholders(s, longest.id, longest.env, longest.instance)); n > text.MaxData {
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
			if why := envfile.Problem(f, fillPlaceholders(s, "x", "x", inst)); why != "" {
				reasons = append(reasons, "as "+f+": it "+why)
				break
			}
		}
	}
	if len(reasons) > 0 {
		ck.warn(ptr, false, "value %s cannot be exported %s; export refuses it in that format (read it with get, or export another format)", text.Quote(key), strings.Join(reasons, "; nor "))
	}
}
