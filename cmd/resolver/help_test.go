package main

import (
	"strings"
	"testing"
)

// Every command has a help file, one line or more, and the usage has the
// place of the list of commands.
func TestHelpFiles(t *testing.T) {
	for _, c := range commands {
		if h := helpText(c.name); h == "" || !strings.HasSuffix(h, "\n") {
			t.Errorf("help/%s.txt = %q, want text ending in a newline", c.name, h)
		}
	}
	if u := helpText("resolver"); strings.Count(u, "{commands}\n") != 1 {
		t.Errorf("help/resolver.txt holds {commands} %d times, want once", strings.Count(u, "{commands}\n"))
	}
}
