package multienv

import "github.com/multienv/multienv/config"

// Template reports whether the rule's default is a template
// (sbx-pr{pr_number}), which gives an id only when the facts it names are
// known.
func (s RuleStep) Template() bool { return s.template }

// FactKeys returns the keys of the CI facts (pr_number, branch, ...) in
// the order output lists them, as Trace.Facts and Result hold them: a new
// slice on each call.
func FactKeys() []string {
	keys := make([]string, config.NumFacts)
	for f := range config.NumFacts {
		keys[f] = f.Key()
	}
	return keys
}
