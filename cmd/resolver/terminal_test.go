package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/multienv/multienv"
)

// TestTerminal covers what the scripts cannot reach: a script's stdout is
// never a terminal, so colour and emoji are checked here, by running the
// command in-process with a stdout that says it is one.
func TestTerminal(t *testing.T) {
	const escape = "\x1b["
	tests := []struct {
		name     string
		terminal bool
		vars     map[string]string
		color    bool // explain paints its output
		emoji    bool // explain and list put the emoji beside the name
	}{
		{name: "terminal", terminal: true, color: true, emoji: true},
		{name: "terminal with TERM", terminal: true, vars: map[string]string{"TERM": "xterm-256color"}, color: true, emoji: true},
		{name: "NO_COLOR", terminal: true, vars: map[string]string{"NO_COLOR": "1"}, emoji: true},
		{name: "NO_COLOR empty counts as unset", terminal: true, vars: map[string]string{"NO_COLOR": ""}, color: true, emoji: true},
		{name: "TERM=dumb", terminal: true, vars: map[string]string{"TERM": "dumb"}, emoji: true},
		{name: "not a terminal", terminal: false},
		{name: "not a terminal, colour asked", terminal: false, vars: map[string]string{"TERM": "xterm-256color", "FORCE_COLOR": "1", "CLICOLOR_FORCE": "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, args := range [][]string{{"explain"}, {"list"}} {
				facts := multienv.EnvFacts(tt.vars)
				var stdout, stderr bytes.Buffer
				e := &env{args: args, lookup: facts.Lookup, dir: t.TempDir(), stdout: &stdout, stderr: &stderr,
					terminal: tt.terminal, facts: facts}
				if code := run(e); code != exitOK {
					t.Fatalf("resolver %s: exit status %d, want 0; stderr:\n%s", args[0], code, &stderr)
				}
				if stderr.Len() > 0 {
					t.Errorf("resolver %s: stderr = %q, want nothing", args[0], &stderr)
				}
				out := stdout.String()
				// list has no colour to give; explain has.
				if got, want := strings.Contains(out, escape), tt.color && args[0] == "explain"; got != want {
					t.Errorf("resolver %s: ANSI escapes in stdout: %v, want %v\n%s", args[0], got, want, out)
				}
				if got := strings.Contains(out, "📦 sbx"); got != tt.emoji {
					t.Errorf("resolver %s: emoji beside the name: %v, want %v\n%s", args[0], got, tt.emoji, out)
				}
			}
		})
	}
}
