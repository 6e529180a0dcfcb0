package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/multienv/multienv/internal/text"
)

var cmdDiff = &command{
	name:    "diff",
	summary: "show the values that differ between two environments",
	usage:   "[--json] ID ID",
	json:    true,
	maxArgs: 2,
	help: `Prints the values that differ between two environment ids (prd, sbx-101),
key by key, each with its value in both and where it came from: the
default or the environment, the file that set it when the configuration
extends bases, and whether placeholders were filled. No rule is run and no
allow is checked: the ids are given.

The exit status is that of diff: 0 when no value differs, 1 when some do;
2 for an id that names no environment, 3 for a configuration that cannot be
used. With --json, prints a JSON array, [] when nothing differs, of objects
with key, then a and b, each with id, value (null when the key has none),
origin and file.

Examples:
  resolver diff stg prd
  resolver diff --json sbx-101 stg | jq -r '.[].key'`,
	run: runDiff,
}

// diffSide is one environment's side of a value that differs, as JSON
// prints it (multienv.ValueSide with its keys named).
type diffSide struct {
	ID     string `json:"id"`
	Value  any    `json:"value"`
	Origin string `json:"origin"`
	File   string `json:"file"`
}

// diffEntry is one value that differs.
type diffEntry struct {
	Key string   `json:"key"`
	A   diffSide `json:"a"`
	B   diffSide `json:"b"`
}

func runDiff(e *env, o *options) int {
	if len(o.args) != 2 {
		return e.usageError("diff: give two environment ids: resolver diff ID ID")
	}
	cfg, code := e.open(o)
	if cfg == nil {
		return code
	}
	found, err := cfg.Diff(o.args[0], o.args[1])
	if err != nil {
		return e.usageError("diff: %s", text.Escape(err.Error()))
	}
	diffs := make([]diffEntry, len(found))
	for i, d := range found {
		diffs[i] = diffEntry{Key: d.Key, A: diffSide(d.A), B: diffSide(d.B)}
	}
	if o.json {
		if code := e.writeJSON(diffs); code != exitOK {
			return code
		}
	} else {
		for _, d := range diffs {
			fmt.Fprintln(e.stdout, text.Escape(d.Key))
			for _, s := range []struct {
				mark string
				side diffSide
			}{{"-", d.A}, {"+", d.B}} {
				fmt.Fprintf(e.stdout, "  %s %s: %s (%s)\n", s.mark, text.Escape(s.side.ID), shown(s.side.Value), text.Escape(s.side.Origin))
			}
		}
	}
	if len(diffs) > 0 {
		return exitUnresolved // as diff: 1 when they differ
	}
	return exitOK
}

// shown is a value as one line of JSON, escaped and cut as explain cuts it.
func shown(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "?"
	}
	return text.Cut(text.Escape(strings.TrimSuffix(b.String(), "\n")), 200)
}
