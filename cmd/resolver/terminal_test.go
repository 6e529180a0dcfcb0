package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/examples"
	"github.com/multienv/multienv/internal/testconf"
	"github.com/multienv/multienv/internal/text"
)

// hermeticDir returns a fresh directory holding the embedded default as
// its multienv.toml and a .git, so that discovery finds that file and stops
// there: a multienv.toml in /tmp or above changes nothing.
func hermeticDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, multienv.FileName), examples.Default(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestTerminal covers what the scripts cannot reach: a script's stdout is
// never a terminal, so colour and emoji are checked here, by running the
// command in-process with a stdout that says it is one. Colour is for a
// terminal only; emoji decorate explain's result on a terminal only, and in
// list they are data, printed everywhere.
func TestTerminal(t *testing.T) {
	const escape = "\x1b["
	tests := []struct {
		name     string
		terminal bool
		vars     map[string]string
		color    bool // explain paints its output
		emoji    bool // explain puts the emoji beside the result
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
				facts := multienv.EnvInputs(tt.vars)
				var stdout, stderr bytes.Buffer
				e := &invocation{args: args, lookup: facts.Lookup, dir: hermeticDir(t), stdout: &stdout, stderr: &stderr,
					terminal: tt.terminal, inputs: facts}
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
				if got, want := strings.Contains(out, "📦 sbx"), tt.emoji || args[0] == "list"; got != want {
					t.Errorf("resolver %s: emoji beside the name: %v, want %v\n%s", args[0], got, want, out)
				}
			}
		})
	}
}

// TestLines checks the writer every text line goes through: unsafe runes
// escaped, the command's own colour codes kept only when colour is on, no
// line over text.MaxLine bytes.
func TestLines(t *testing.T) {
	long := strings.Repeat("a", 3000)
	tests := []struct {
		name  string
		color bool
		in    string
		want  string
	}{
		{name: "plain", in: "ok: 5 environments\n", want: "ok: 5 environments\n"},
		{name: "emoji kept", in: "📦 sbx\n", want: "📦 sbx\n"},
		{name: "title and clear screen", in: "a\x1b]0;owned\x07\x1b[2Jb\n", want: `a\x1b]0;owned\a\x1b[2Jb` + "\n"},
		{name: "colour code without colour", in: "\x1b[32mok\x1b[0m\n", want: `\x1b[32mok\x1b[0m` + "\n"},
		{name: "colour code with colour", color: true, in: "\x1b[1mresult:\x1b[0m \x1b[32msbx\x1b[0m\n", want: "\x1b[1mresult:\x1b[0m \x1b[32msbx\x1b[0m\n"},
		{name: "other escape with colour", color: true, in: "\x1b[2J\x1b]0;x\x07\x1b[31;1m.\n", want: `\x1b[2J\x1b]0;x\a` + "\x1b[31;1m.\n"},
		{name: "C1 CSI", in: "a\u009b2Jb\n", want: `a\u009b2Jb` + "\n"},
		{name: "bidi override", in: "a\u202eb\n", want: `a\u202eb` + "\n"},
		{name: "DEL and tab", in: "a\x7f\tb\n", want: `a\x7f\tb` + "\n"},
		{name: "invalid UTF-8", in: "a\xffb\n", want: `a\xffb` + "\n"},
		{name: "carriage return", in: "fake\rok\n", want: `fake\rok` + "\n"},
		{name: "unfinished line", in: "a\x1bb", want: `a\x1bb`},
		{name: "workflow commands", in: " ::add-mask::x\nok ##[stop-commands]t\n", want: ` \x3a:add-mask::x` + "\nok " + `#\x23[stop-commands]t` + "\n"},
		{name: "long line cut", in: long + "\nnext\n", want: long[:text.MaxLine-3] + "...\nnext\n"},
		{name: "long line cut with colour", color: true, in: "\x1b[1m" + long + "\x1b[0m\n",
			want: "\x1b[1m" + long[:text.MaxLine-len("\x1b[1m")-len("\x1b[0m")-3] + "...\x1b[0m\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			w := newLines(&out, tt.color)
			// Written in two parts: a line may arrive in pieces.
			half := len(tt.in) / 2
			w.Write([]byte(tt.in[:half]))
			w.Write([]byte(tt.in[half:]))
			w.Flush()
			if got := out.String(); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
			for _, line := range strings.Split(out.String(), "\n") {
				if len(line) > text.MaxLine {
					t.Errorf("a line of %d bytes, want at most %d", len(line), text.MaxLine)
				}
			}
		})
	}
}

// TestJSONSafe checks that JSON output stays valid JSON with the same
// values, whole, and holds no rune the output rule escapes; a string too
// long to print whole, or not UTF-8, fails the command and prints nothing.
func TestJSONSafe(t *testing.T) {
	tests := []struct {
		name  string
		value string
		want  string // the value decoded from the output
	}{
		{name: "plain", value: "feature/login", want: "feature/login"},
		{name: "emoji", value: "🧪", want: "🧪"},
		{name: "C0", value: "a\x1b[2J\nresult: prd", want: "a\x1b[2J\nresult: prd"},
		{name: "bidi and C1", value: "a\u202eb\u009bc\u2028d\x7f", want: "a\u202eb\u009bc\u2028d\x7f"},
		{name: "quotes and backslashes", value: `a"b\c`, want: `a"b\c`},
		{name: "long, whole", value: strings.Repeat("é", 2000), want: strings.Repeat("é", 2000)},
		{name: "long escapes, whole", value: strings.Repeat("\u202e", 400), want: strings.Repeat("\u202e", 400)},
		{name: "65,536 bytes, the most", value: strings.Repeat("b", 65536), want: strings.Repeat("b", 65536)},
		{name: "a backslash before ufffd is no escape", value: `\ufffd`, want: `\ufffd`},
		{name: "U+FFFD itself", value: "\ufffd", want: "\ufffd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			e := &invocation{raw: &out, stderr: &out}
			if code := e.writeJSON(map[string]string{"branch": tt.value}); code != exitOK {
				t.Fatalf("exit status %d", code)
			}
			var got map[string]string
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("not valid JSON: %v\n%s", err, &out)
			}
			if got["branch"] != tt.want {
				t.Errorf("value %q, want %q", got["branch"], tt.want)
			}
			if s := strings.ReplaceAll(out.String(), "\n", ""); !text.IsSafe(s) {
				t.Errorf("raw unsafe runes in %q", out.String())
			}
		})
	}
	for name, value := range map[string]string{
		"65,537 bytes":  strings.Repeat("b", 65537),
		"invalid UTF-8": "a\xffb",
	} {
		t.Run(name, func(t *testing.T) {
			var out, errs bytes.Buffer
			e := &invocation{raw: &out, stderr: &errs}
			if code := e.writeJSON(map[string]any{"facts": []string{"x", value}}); code != exitConfig {
				t.Errorf("exit status %d, want %d", code, exitConfig)
			}
			if out.Len() > 0 {
				t.Errorf("printed %d bytes on stdout, want none", out.Len())
			}
			if !strings.Contains(errs.String(), `"facts[1]"`) {
				t.Errorf("stderr %q does not name facts[1]", &errs)
			}
		})
	}
}

// TestTerminalHostile runs explain and runtimes on a terminal, with colour,
// on a file whose signals name an argument and a file holding escapes: the
// only escape sequences that reach the terminal are the command's colours.
func TestTerminalHostile(t *testing.T) {
	dir := hermeticDir(t)
	const file = testconf.File + `
[[runtimes]]
name = "myci"
group = "ci"
when = [{ set = ["MYCI"], arg = ["--x\u001b]0;owned\u0007\u001b[2J\nresult: prd"] }, { file = ["/\u202e\u009b2J"] }]

[[rules]]
name = "r"
groups = ["ci"]
default = "sbx"
`
	if err := os.WriteFile(filepath.Join(dir, multienv.FileName), []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"explain", "--", "--x\x1b]0;owned\x07\x1b[2J\nresult: prd"},
		{"runtimes"},
		{"list"},
		{"check"},
	} {
		t.Run(args[0], func(t *testing.T) {
			facts := multienv.EnvInputs(map[string]string{"MYCI": "1", "TERM": "xterm"})
			var stdout, stderr bytes.Buffer
			e := &invocation{args: args, lookup: facts.Lookup, dir: dir, stdout: &stdout, stderr: &stderr, terminal: true, inputs: facts}
			if code := run(e); code != exitOK {
				t.Fatalf("exit status %d; stderr:\n%s", code, &stderr)
			}
			out := stdout.String() + stderr.String()
			for i := strings.IndexByte(out, 0x1b); i >= 0; i = strings.IndexByte(out, 0x1b) {
				if sgrLen(out[i:]) == 0 {
					t.Fatalf("an escape sequence other than a colour: %q", out[i:min(len(out), i+12)])
				}
				out = out[i+1:]
			}
			if !text.IsSafe(strings.NewReplacer("\n", "", "\x1b", "").Replace(stdout.String() + stderr.String())) {
				t.Errorf("unsafe runes in the output:\n%q", stdout.String()+stderr.String())
			}
			if strings.Contains(stdout.String(), "\nresult: prd") {
				t.Errorf("a forged result line:\n%s", &stdout)
			}
		})
	}
}

// TestFlagProblemKeepsEscapesWhole: a flag problem is escaped, then cut to
// 256 bytes without splitting an escape: 250 bytes, then a bidirectional
// override (\u202e once escaped, which does not fit), give the 250 bytes
// and the ellipsis.
func TestFlagProblemKeepsEscapesWhole(t *testing.T) {
	got := flagProblem(errors.New(strings.Repeat("x", 250) + "\u202eyy"))
	if want := strings.Repeat("x", 250) + "..."; got != want {
		t.Errorf("flagProblem = %q; want %q", got, want)
	}
}
