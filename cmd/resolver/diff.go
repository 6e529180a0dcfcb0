package main

import (
	"fmt"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/internal/text"
)

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
	for i := range diffs {
		// A number prints as every output prints it: 1.0 keeps its point.
		diffs[i].A.Value, diffs[i].B.Value = jsonValue(diffs[i].A.Value), jsonValue(diffs[i].B.Value)
	}
	if o.json {
		if diffs == nil {
			diffs = []multienv.ValueDiff{}
		}
		if code := e.writeJSON(diffs); code != exitOK {
			return code
		}
	} else {
		for _, d := range diffs {
			fmt.Fprintln(e.stdout, text.Escape(d.Key))
			for i, side := range []multienv.ValueSide{d.A, d.B} {
				fmt.Fprintf(e.stdout, "  %c %s: %s (%s)\n", "-+"[i], text.Escape(side.ID), shown(side.Value), text.Escape(side.Origin))
			}
		}
	}
	if len(diffs) > 0 {
		return exitUnresolved // as diff: 1 when they differ
	}
	return exitOK
}

// shown is a value as one line of JSON, escaped, then cut to 200 bytes
// (never inside an escape), as explain and diff show a value.
func shown(v any) string {
	data, err := marshal(v, false)
	if err != nil {
		return "?"
	}
	return text.EscapeCut(string(data), 200)
}
