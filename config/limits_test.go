package config

import (
	"fmt"
	"strings"
	"testing"
)

// TestLimits: a file past a limit gets one problem, at the table (or key,
// or bracket) that passes it, before go-toml sees it; a file within the
// limits, however its strings and comments look, is not stopped by them.
func TestLimits(t *testing.T) {
	keys := func(n int, format string) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, format, i)
		}
		return b.String()
	}
	// nested is n headers of distinct tables, nine under each of n/9.
	nested := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "[x.t%d.k%d]\n", i/9, i%9)
		}
		return b.String()
	}
	const (
		tooMany  = "this table has more than 10000 keys; no configuration needs so many"
		topLevel = "the top level has more than 10000 keys; no configuration needs so many"
		together = "the tables of this file have too many keys together (each key is compared with those before it in its table, at most 60 million times in all; one table of 10,000 keys makes 50 million); no configuration needs so many"
	)
	for _, tc := range []struct {
		name, data string
		want       string // the one problem, as FILE:LINE:COL: message; empty when the limits let it through
	}{
		{"top level", "version = 1\n" + keys(10000, "k%d = 1\n"), "t.toml:10001:1: " + topLevel},
		{"top level at the limit", keys(10000, "k%d = 1\n"), ""},
		{"a table", "version = 1\n\n  [values]\n" + keys(10001, "k%d = 1\n"), "t.toml:3:3: " + tooMany},
		{"tables named by headers", "version = 1\n" + keys(10000, "[t%d]\n"), "t.toml:10001:1: " + topLevel},
		{"sub-tables", "[a]\n" + keys(10001, "[a.t%d]\n"), "t.toml:1:1: " + tooMany},
		// One key spelt ten ways is one table, as the parser reads it.
		{"sub-tables of a key spelt many ways", spelt(10001), "t.toml:1:1: " + tooMany},
		{"sub-tables of a key spelt many ways, at the limit", spelt(10000), ""},
		{"quoted keys that differ", "[\"a\\u0062\"]\n" + keys(6000, "[\"a\\u0062\".t%d]\n") + keys(6000, "[\"a\\u0063\".t%d]\n"), ""},
		{"an inline table", "version = 1\nx = { " + keys(10001, "k%d = 1, ") + "}\n", "t.toml:2:5: this inline table has more than 10000 keys; no configuration needs so many"},
		{"array tables are one key", keys(10000, "[[envs]]\nname = \"e%d\"\n"), ""},
		{"array tables", "version = 1\n" + keys(10001, "[[envs]]\nname = \"e%d\"\n"), "t.toml:20002:1: more than 10000 tables in this array of tables; no configuration needs so many"},
		{"each array table counts apart", strings.Repeat("[[envs]]\n"+keys(4000, "k%d = 1\n"), 3), ""},
		{"strings and comments", "version = 1\n" + keys(6000, "s%d = \"a = 1, [b] # {\"\n# c = 1\n") +
			"m = \"\"\"\n" + keys(6000, "k%d = 1\n") + "\"\"\"\nl = '''\n[x]\n'''\n", ""},
		{"multi-line arrays", "a = [\n" + keys(10000, "  %d,\n") + "]\n", ""},
		{"long arrays", "version = 1\na = [\n" + keys(10001, "  %d,\n") + "]\n", "t.toml:2:5: this array has more than 10000 items; no configuration needs so many"},
		{"long inline arrays", "version = 1\nenvs = [" + strings.Repeat("{},", 10001) + "]\n", "t.toml:2:8: this array has more than 10000 items; no configuration needs so many"},
		{"10,000 items is the most", "version = 1\na = [" + strings.Repeat("1,", 9999) + "1]\n", ""},
		{"10,001 items without a trailing comma", "version = 1\na = [" + strings.Repeat("1,", 10000) + "1]\n", "t.toml:2:5: this array has more than 10000 items; no configuration needs so many"},
		{"10,001 tables without a trailing comma", "version = 1\nenvs = [" + strings.Repeat("{},", 10000) + "{}]\n", "t.toml:2:8: this array has more than 10000 items; no configuration needs so many"},
		{"comments and commas in strings are no items", "version = 1\na = [\n# x, y, z\n" + strings.Repeat("'a,b', # c, d\n", 10000) + "]\n", ""},
		{"table headers", "version = 1\n" + nested(30001), "t.toml:30002:1: more than 30000 table headers in the file; no configuration needs so many"},
		{"table headers at the limit", nested(30000), ""},
		{"header parts", "[" + strings.Repeat("a.", 100) + "a]\n", "t.toml:1:1: a table header of more than 100 dotted parts; no configuration needs so many"},
		{"header parts at the limit", "[" + strings.Repeat("a.", 99) + "a]\n", ""},
		{"key parts", "version = 1\n" + strings.Repeat("a.", 100) + "a = 1\n", "t.toml:2:1: a key of more than 100 dotted parts; no configuration needs so many"},
		{"quoted dots", "\"" + strings.Repeat("a.", 200) + "\" = 1\n", ""},
		{"nesting", "x = " + strings.Repeat("[", 101) + strings.Repeat("]", 101) + "\n", "t.toml:1:105: arrays and inline tables nested more than 100 deep; no configuration needs so many"},
		// go-toml compares a key with those before it in its table: 60
		// million such pairs in all; one table of 9,999 makes 49,985,001.
		{"tables too large together", "[a]\n" + keys(9999, "k%d = 1\n") + "[b]\n" + keys(9999, "k%d = 1\n"), "t.toml:14477:1: " + together},
		{"tables large together at the limit", "[a]\n" + keys(9999, "k%d = 1\n") + "[b]\n" + keys(4475, "k%d = 1\n"), ""},
		{"inline tables too large together", "version = 1\nx = { " + keys(9999, "k%d = 1, ") + "}\ny = { " + keys(9999, "k%d = 1, ") + "}\n",
			"t.toml:3:48128: " + together},
		{"nesting at the limit", "x = " + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := &collector{name: "t.toml", data: []byte(tc.data)}
			ok := withinLimits(l)
			if tc.want == "" {
				if !ok || len(l.problems) != 0 {
					t.Errorf("stopped: %v", l.problems)
				}
				return
			}
			if ok || len(l.problems) != 1 || l.problems[0].String() != tc.want {
				t.Errorf("got %v, %v; want one problem: %s", ok, l.problems, tc.want)
			}
		})
	}
}

// TestLimitsTrackerSweeps: go-toml's tracker lists every key, at every
// depth, in one list; it looks a key up from its table's entry to the end
// and sweeps the whole list for each table of an array after the first. A
// file that would make it pass over too many entries is stopped (such
// files took seconds to parse); large files of a real shape are not.
func TestLimitsTrackerSweeps(t *testing.T) {
	const work = "the file is too large to read in time: its keys, inline tables and arrays of tables, at every depth, and the lookups the parser makes among them, come to more than 1000 million steps"
	deep := func(n int) string { return strings.Repeat("{b=", n) + `"x"` + strings.Repeat("}", n) }
	values := func(n, depth int) string {
		var b strings.Builder
		b.WriteString("[values]\n")
		for i := range n {
			fmt.Fprintf(&b, "k%d = %s\n", i, deep(depth))
		}
		return b.String()
	}
	envs := func(n int) string { return strings.Repeat("[[envs]]\nname = \"e\"\nkind = \"workload\"\n", n) }
	for _, tc := range []struct {
		name, data string
		stopped    string // the start of the one problem, or "" for none
	}{
		// 60,000 entries swept by each of 5,000 tables of an array.
		{"deep values before many array tables", values(3000, 20) + envs(5000), work},
		{"deep values before a few array tables", values(3000, 20) + envs(100), ""},
		// An array's table is looked up from the array's entry: past the
		// 60,000 entries made after it, for each of 10,000 keys.
		{"keys of an array table after deep values", envs(1) + values(3000, 20) + "[[envs]]\n" + keysOf10000(), work},
		{"keys of a table after deep values", values(3000, 20) + "[x]\n" + keysOf10000(), ""},
		// Every key and table is a map or value built and walked: 3,500
		// arrays of 48 inline tables took 2 seconds to check.
		{"many inline tables", "[values]\n" + inlineArrays(3500, 48), work},
		// Dotted keys of inline tables are entries too.
		{"dotted inline keys before many array tables", dotted(700) + envs(5000), work},
		// What real files hold, many times over: dotted keys find their
		// tables where they are; a table named after swept array tables
		// is found past the entries still listed.
		{"many dotted keys", "[values]\n" + dottedKeys(6000), ""},
		{"tables after swept array tables", strings.Repeat("[[envs]]\nname = \"e\"\nvalues = {"+keysIn(100)+"}\n", 1000) +
			headersOf(7000), ""},
		{"many environments after many values", values(1000, 1) + envs(10000), ""},
		{"many environments before many values", envs(10000) + values(10000, 1), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := &collector{name: "t.toml", data: []byte(tc.data)}
			ok := withinLimits(l)
			if tc.stopped == "" {
				if !ok {
					t.Errorf("stopped: %v", l.problems)
				}
				return
			}
			if ok || len(l.problems) != 1 || !strings.HasPrefix(l.problems[0].Message, tc.stopped) {
				t.Errorf("got %v, %v; want one problem: %s...", ok, l.problems, tc.stopped)
			}
		})
	}
}

// dotted is a [values] table of n keys, each an inline table of one key of
// 91 dotted parts.
func dotted(n int) string {
	var b strings.Builder
	b.WriteString("[values]\n")
	for i := range n {
		fmt.Fprintf(&b, "k%d = {%sb = 1}\n", i, strings.Repeat("a.", 90))
	}
	return b.String()
}

// inlineArrays is n keys, each an array of m inline tables of one key.
func inlineArrays(n, m int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "k%d = [%s{a=1}]\n", i, strings.Repeat("{a=1},", m-1))
	}
	return b.String()
}

// dottedKeys is n keys of six dotted parts, the first five shared.
func dottedKeys(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "svc.api.http.client.timeouts.t%d = 1\n", i)
	}
	return b.String()
}

// keysIn is n keys of an inline table, its braces aside.
func keysIn(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "k%d = 1, ", i)
	}
	return strings.TrimSuffix(b.String(), ", ")
}

// headersOf is n headers of sub-tables of [values].
func headersOf(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "[values.s%d]\n", i)
	}
	return b.String()
}

// keysOf10000 is 10,000 keys of one table.
func keysOf10000() string {
	var b strings.Builder
	for i := range 10000 {
		fmt.Fprintf(&b, "q%d = 1\n", i)
	}
	return b.String()
}

// TestLimitsBeforeParsing: Parse reports the limit alone, without the
// schema's problems that the same file would draw.
func TestLimitsBeforeParsing(t *testing.T) {
	var b strings.Builder
	b.WriteString("version = 1\n")
	for i := range 20000 {
		fmt.Fprintf(&b, "unknown%d = 1\n", i)
	}
	_, err := Parse("big.toml", []byte(b.String()))
	ce, ok := err.(*Error)
	if !ok || len(ce.Problems) != 1 || !strings.Contains(ce.Problems[0].Message, "more than 10000 keys") {
		t.Errorf("got %v; want one problem about the keys", err)
	}
}

// spelt is a file whose headers name n sub-tables of ab, spelling ab in ten
// ways TOML reads alike.
func spelt(n int) string {
	ways := []string{`ab`, `"ab"`, `'ab'`, `"\u0061b"`, `"a\u0062"`, `"\u0061\u0062"`, `"\U00000061b"`, `"a\U00000062"`, `"\U00000061\U00000062"`, `"\u0061\U00000062"`}
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "[%s.t%d]\n", ways[i%len(ways)], i)
	}
	return b.String()
}
