package catalog_test

import (
	"strings"
	"testing"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/config"
)

// instance returns a value that a fact's capture pattern matches, its
// capture being "7"; a source without a pattern takes "7" as it is.
func instance(p string) string {
	if p == "" {
		return "7"
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		switch {
		case strings.HasPrefix(p[i:], "{**}"):
			b.WriteString("7")
			i += 3
		case strings.HasPrefix(p[i:], "{}"):
			b.WriteString("7")
			i++
		case p[i] == '*':
			b.WriteString("x")
			for i+1 < len(p) && p[i+1] == '*' {
				i++
			}
		case p[i] == '\\' && i+1 < len(p):
			i++
			b.WriteByte(p[i])
		default:
			b.WriteByte(p[i])
		}
	}
	return b.String()
}

// TestPRWheneverANumberIsKnown (CONTRACT §11): for every catalog runtime
// and every source of its pull-request number, a build where that source
// gives a number is a pull request, whatever the runtime's own signal
// says. It fails for any runtime that could report "pr": false with a
// pull-request number.
func TestPRWheneverANumberIsKnown(t *testing.T) {
	cfg, err := multienv.Default()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, rt := range config.Catalog() {
		for i, src := range rt.Facts[config.FactPRNumber] {
			pattern := ""
			if src.Pattern != nil {
				pattern = src.Pattern.String()
			}
			env := map[string]string{"USER_RUNTIME_NAME": rt.Name, "ENV_NAME": "stg"}
			for _, v := range src.Vars() {
				env[v] = instance(pattern)
			}
			res, err := cfg.Resolve(multienv.EnvInputs(env))
			if err != nil {
				t.Fatalf("%s: %v", rt.Name, err)
			}
			if res.PRNumber == "" {
				if src.PR != config.PROnly {
					t.Errorf("runtime %s: pr_number source %d (%s) gives no number from %v", rt.Name, i, src, env)
				}
				continue // read on pull requests only: the signal already holds there
			}
			checked++
			if !res.PR {
				t.Errorf("runtime %s: pr_number %q from %s, but pr is false", rt.Name, res.PRNumber, src)
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d sources checked", checked)
	}
}
