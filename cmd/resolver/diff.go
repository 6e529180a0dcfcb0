package main

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/multienv/multienv"
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

// diffSide is one environment's side of a value that differs.
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
	var sides [2]*multienv.Values
	for i, id := range o.args {
		env, instance, err := cfg.Lookup(id)
		if err != nil {
			return e.usageError("diff: %s", text.Escape(err.Error()))
		}
		v, err := cfg.Values(multienv.Result{ID: id, Env: env, Instance: instance})
		if err != nil {
			e.errorf("diff: %s", text.Escape(err.Error()))
			return exitUnresolved
		}
		sides[i] = v
	}
	keys := slices.Concat(sides[0].Keys(), sides[1].Keys())
	slices.Sort(keys)
	keys = slices.Compact(keys)
	diffs := []diffEntry{}
	for _, k := range keys {
		a, b := side(o.args[0], sides[0], k), side(o.args[1], sides[1], k)
		if !reflect.DeepEqual(a.Value, b.Value) {
			diffs = append(diffs, diffEntry{Key: k, A: a, B: b})
		}
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

// side is key's value in v, the values of id.
func side(id string, v *multienv.Values, key string) diffSide {
	x, err := v.Get(key)
	if err != nil {
		return diffSide{ID: id, Origin: "no value"}
	}
	return diffSide{ID: id, Value: x, Origin: v.Origin(key), File: v.File(key)}
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
