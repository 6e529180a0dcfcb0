package catalog_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/multienv/multienv/config"
)

var update = flag.Bool("update", false, "rewrite the runtime table in README.md")

const (
	tableBegin = "<!-- runtimes:begin -->\n"
	tableEnd   = "<!-- runtimes:end -->\n"
)

// runtimeTable renders the catalog as the README's Markdown table.
func runtimeTable() string {
	cell := func(sigs []config.Signal) string {
		parts := make([]string, len(sigs))
		for i, sig := range sigs {
			parts[i] = sig.String()
		}
		return strings.ReplaceAll(strings.Join(parts, "; or "), "|", `\|`)
	}
	var b strings.Builder
	b.WriteString("| runtime | group | recognised when | pull request when | CI facts from |\n| --- | --- | --- | --- | --- |\n")
	for _, rt := range config.Catalog() {
		when := cell(rt.When)
		if when == "" {
			when = "no other runtime matched"
		}
		var facts []string
		for f, srcs := range rt.Facts {
			if len(srcs) == 0 {
				continue
			}
			d := make([]string, len(srcs))
			for i, src := range srcs {
				d[i] = strings.ReplaceAll(src.String(), "|", `\|`)
			}
			facts = append(facts, config.Fact(f).Key()+": "+strings.Join(d, ", "))
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", rt.Name, rt.Group, when, cell(rt.PR), strings.Join(facts, "; "))
	}
	return b.String()
}

// TestREADMETable keeps the README's runtime table generated from the
// catalog; with -update it rewrites it:
//
//	go test ./catalog -run TestREADMETable -update
func TestREADMETable(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	begin := bytes.Index(readme, []byte(tableBegin))
	end := bytes.Index(readme, []byte(tableEnd))
	if begin < 0 || end < begin {
		t.Fatal("README.md has no runtimes:begin/end markers")
	}
	want := tableBegin + runtimeTable() + tableEnd
	have := string(readme[begin : end+len(tableEnd)])
	if have == want {
		return
	}
	if !*update {
		t.Fatal("the runtime table in README.md is out of date; run: go test ./catalog -run TestREADMETable -update")
	}
	out := append(append(append([]byte{}, readme[:begin]...), want...), readme[end+len(tableEnd):]...)
	if err := os.WriteFile("../README.md", out, 0o644); err != nil {
		t.Fatal(err)
	}
}
