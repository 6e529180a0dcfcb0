package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/multienv/multienv/internal/testconf"
)

// A string of data is printed whole up to 65,536 bytes once its
// placeholders are filled with the longest texts they can take (here
// sbx-<32 characters> for {id}); check warns, at the value, past that.
func TestValueLimit(t *testing.T) {
	longestID := len("sbx-") + 32
	for _, tt := range []struct {
		name, value string
		warned      bool
	}{
		{"65,536 bytes", strings.Repeat("a", 65536), false},
		{"65,537 bytes", strings.Repeat("a", 65537), true},
		{"65,536 once filled", strings.Repeat("a", 65536-longestID) + "{id}", false},
		{"65,537 once filled", strings.Repeat("a", 65537-longestID) + "{id}", true},
		{"in an array", "", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			line := fmt.Sprintf("v = %q\n", tt.value)
			if tt.value == "" {
				line = fmt.Sprintf("v = [%q]\n", strings.Repeat("a", 65537))
			}
			cfg, err := Parse("limit.toml", []byte("version = 1\n[values]\n"+line+testconf.Tables))
			if err != nil {
				t.Fatal(err)
			}
			warned := false
			for _, w := range cfg.Warnings {
				if w.Line == 3 && strings.Contains(w.Message, "print data of at most 65536 bytes whole") {
					warned = true
				}
			}
			if warned != tt.warned {
				t.Errorf("warned %v, want %v: %v", warned, tt.warned, cfg.Warnings)
			}
		})
	}
}

// export with a prefix refuses what that prefix makes reserved, the
// command's own names included, but ENV with no prefix.
func TestExportProblems(t *testing.T) {
	const file = "version = 1\n[values]\npreload = \"x\"\nbucket = \"b\"\noptions = \"o\"\n" + testconf.Tables
	cfg, err := Parse("p.toml", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	for prefix, want := range map[string][]string{
		"MULTIENV_": nil,
		"":          nil,
		"APP_":      nil,
		"LD_":       {`--prefix "LD_" starts every name export prints, and `},
		"GITHUB_":   {`--prefix "GITHUB_" starts every name export prints, and `},
		"NODE_":     {`value "options" exports as NODE_OPTIONS with --prefix "NODE_": `},
		"PYTHON":    nil,
		"BASH_":     {`--prefix "BASH_" makes export print BASH_ENV: `},
		"1X":        {`--prefix "1X" is not the start of a variable name: `},
		"A B":       {`--prefix "A B" is not the start of a variable name: `},
	} {
		checkProblems(t, cfg, prefix, want)
	}
	// A configuration with no values still exports ID, ENV, INSTANCE and
	// KIND under the prefix.
	bare, err := Parse("p.toml", []byte("version = 1\n"+testconf.Tables))
	if err != nil {
		t.Fatal(err)
	}
	for prefix, want := range map[string][]string{
		"APP_":    nil,
		"GITHUB_": {`--prefix "GITHUB_" starts every name export prints, and `},
		"BASH_":   {`--prefix "BASH_" makes export print BASH_ENV: `},
		"1X":      {`--prefix "1X" is not the start of a variable name: `},
	} {
		checkProblems(t, bare, prefix, want)
	}
}

// checkProblems checks cfg.ExportProblems(prefix), each problem by the start
// of its text.
func checkProblems(t *testing.T, cfg *Config, prefix string, want []string) {
	t.Helper()
	got := cfg.ExportProblems(prefix)
	if len(got) != len(want) {
		t.Errorf("prefix %q: %q; want %d problems", prefix, got, len(want))
		return
	}
	for i := range got {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("prefix %q: problem %d %q; want it to start %q", prefix, i, got[i], want[i])
		}
	}
}
