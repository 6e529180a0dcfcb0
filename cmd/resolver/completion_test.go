package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/internal/text"
)

// completionScript runs `resolver completion SHELL` in-process.
func completionScript(t *testing.T, shell string) string {
	t.Helper()
	facts := multienv.EnvFacts(nil)
	var stdout, stderr bytes.Buffer
	e := &invocation{args: []string{"completion", shell}, lookup: facts.Lookup, dir: t.TempDir(), stdout: &stdout, stderr: &stderr, facts: facts}
	if code := run(e); code != exitOK || stderr.Len() > 0 {
		t.Fatalf("resolver completion %s: exit status %d, stderr %q", shell, code, &stderr)
	}
	return stdout.String()
}

// shellPath returns the path of a shell, or skips the test without it.
func shellPath(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed: %v", name, err)
	}
	return path
}

// runShell runs a shell with args in dir, with a deadline and an
// environment of its own (nothing of the caller's, CI included), and
// returns its stdout.
func runShell(t *testing.T, dir, shell string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, shell, args...)
	cmd.Dir = dir
	home := t.TempDir()
	cmd.Env = []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_DATA_HOME=" + home, "LC_ALL=C"}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %q: %v\nstdout:\n%s\nstderr:\n%s", filepath.Base(shell), args, err, &stdout, &stderr)
	}
	if stderr.Len() > 0 {
		t.Errorf("%s %q: stderr:\n%s", filepath.Base(shell), args, &stderr)
	}
	return stdout.String()
}

// completionDir returns a directory holding the files that file
// completion offers: a.toml and b.toml.
func completionDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"a.toml", "b.toml"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func writeScript(t *testing.T, name, script string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// commandNames are the names the table of commands gives, help included,
// in order.
func commandNames() []string {
	var out []string
	for _, c := range commands {
		out = append(out, c.name)
	}
	return append(out, "help")
}

// completionCase is one command line, the last word being completed, and
// the words offered.
type completionCase struct {
	name  string
	words []string
	want  []string
	sort  bool // the words come in no set order (files)
}

func completionCases() []completionCase {
	return []completionCase{
		{name: "a command", words: []string{"resolver", "cur"}, want: []string{"current"}},
		{name: "every command", words: []string{"resolver", ""}, want: commandNames()},
		{name: "commands after --config", words: []string{"resolver", "--config", "x.toml", "ch"}, want: []string{"check"}},
		{name: "global flags", words: []string{"resolver", "-"}, want: []string{"--config", "--version", "--help"}},
		{name: "check's flags", words: []string{"resolver", "check", "-"},
			want: []string{"--config", "--default", "--format", "--strict", "--help"}},
		{name: "a flag", words: []string{"resolver", "check", "--for"}, want: []string{"--format"}},
		// The embedded default's environments (CONTRACT §3): no file is found.
		{name: "environment ids", words: []string{"resolver", "get", "--env", ""}, want: []string{"devops", "sbx", "tst", "stg", "prd"}},
		{name: "an environment id", words: []string{"resolver", "export", "--env", "st"}, want: []string{"stg"}},
		{name: "format values", words: []string{"resolver", "check", "--format", ""}, want: []string{"text", "json", "github", "sh", "dotenv"}},
		{name: "a format value", words: []string{"resolver", "check", "--format", "j"}, want: []string{"json"}},
		{name: "no format for current", words: []string{"resolver", "current", "--f"}, want: nil},
		{name: "shells", words: []string{"resolver", "completion", ""}, want: []string{"bash", "fish", "zsh"}},
		{name: "one shell only", words: []string{"resolver", "completion", "bash", ""}, want: nil},
		{name: "help's commands", words: []string{"resolver", "help", "c"}, want: []string{"current", "check", "completion"}},
		{name: "check's file", words: []string{"resolver", "check", "--format", "json", ""}, want: []string{"a.toml", "b.toml"}, sort: true},
		{name: "check takes several files", words: []string{"resolver", "check", "a.toml", ""}, want: []string{"a.toml", "b.toml"}, sort: true},
		{name: "schema takes no file", words: []string{"resolver", "schema", ""}, want: nil},
		{name: "config's file", words: []string{"resolver", "--config", "a"}, want: []string{"a.toml"}},
		{name: "no argument for current", words: []string{"resolver", "current", ""}, want: nil},
		{name: "after -- anything", words: []string{"resolver", "current", "--", ""}, want: []string{"a.toml", "b.toml"}, sort: true},
		{name: "an unknown command", words: []string{"resolver", "nope", ""}, want: nil},
	}
}

func (tt completionCase) check(t *testing.T, out string) {
	t.Helper()
	got := strings.Fields(out)
	if tt.sort {
		slices.Sort(got)
	}
	if !slices.Equal(got, tt.want) {
		t.Errorf("%q: got %q, want %q", tt.words, got, tt.want)
	}
}

// TestCompletionScripts checks what every script must be: text a shell
// reads, with no control character but newlines, no line longer than the
// output rule allows, and each command of the table in it.
func TestCompletionScripts(t *testing.T) {
	for _, shell := range shells {
		t.Run(shell, func(t *testing.T) {
			script := completionScript(t, shell)
			if problem := rawControl([]byte(script)); problem != "" {
				t.Errorf("%s", problem)
			}
			if n := longestLine([]byte(script)); n > text.MaxLine {
				t.Errorf("a line of %d bytes", n)
			}
			if !strings.HasSuffix(script, "\n") {
				t.Errorf("the script does not end with a newline")
			}
			for _, name := range commandNames() {
				if !strings.Contains(script, name) {
					t.Errorf("command %q is not in the script", name)
				}
			}
		})
	}
}

// TestCompletionWords checks that the words of the scripts need no
// quoting: they are written into case patterns and word lists.
func TestCompletionWords(t *testing.T) {
	c := newCompletion()
	var words []string
	for _, f := range c.global {
		words = append(words, f.name)
	}
	for _, cmd := range c.commands {
		words = append(append(words, cmd.name), cmd.words...)
		for _, f := range cmd.flags {
			words = append(append(words, f.name), f.words...)
		}
	}
	for _, w := range words {
		if w == "" || strings.Trim(w, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
			t.Errorf("%q: only lower-case letters, digits and - may be in a completed word", w)
		}
	}
}

func TestCompletionBash(t *testing.T) {
	bash := shellPath(t, "bash")
	script := writeScript(t, "resolver.bash", completionScript(t, "bash"))
	runShell(t, t.TempDir(), bash, "-n", script)
	dir := completionDir(t)
	// The words after the script are COMP_WORDS; the last is completed.
	const driver = `source "$1" || exit 1
shift
COMP_WORDS=("$@")
COMP_CWORD=$(( $# - 1 ))
_resolver
printf '%s\n' "${COMPREPLY[@]}"`
	for _, tt := range completionCases() {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"--norc", "--noprofile", "-c", driver, "bash", script}, tt.words...)
			tt.check(t, runShell(t, dir, bash, args...))
		})
	}
	// bash splits --format=j at the =, by default.
	t.Run("format=", func(t *testing.T) {
		out := runShell(t, dir, bash, "--norc", "--noprofile", "-c", driver, "bash", script, "resolver", "check", "--format", "=", "")
		completionCase{words: []string{"--format", "=", ""}, want: []string{"text", "json", "github", "sh", "dotenv"}}.check(t, out)
		out = runShell(t, dir, bash, "--norc", "--noprofile", "-c", driver, "bash", script, "resolver", "check", "--format=j")
		completionCase{words: []string{"--format=j"}, want: []string{"--format=json"}}.check(t, out)
	})
	// The script registers the function for the resolver command.
	out := runShell(t, dir, bash, "--norc", "--noprofile", "-c", `source "$1" && complete -p resolver`, "bash", script)
	if strings.TrimSpace(out) != "complete -F _resolver resolver" {
		t.Errorf("complete -p resolver: %q", out)
	}
}

// TestCompletionTable adds a command to the table: the scripts complete it,
// with its flags, though none of them names it.
func TestCompletionTable(t *testing.T) {
	saved := commands
	t.Cleanup(func() { commands = saved })
	commands = append(slices.Clip(commands), &command{name: "zonk", summary: "a command the scripts never heard of", json: true})
	for _, shell := range shells {
		script := completionScript(t, shell)
		if !strings.Contains(script, "zonk") {
			t.Errorf("%s: the new command is not completed", shell)
		}
	}
	bash := shellPath(t, "bash")
	script := writeScript(t, "resolver.bash", completionScript(t, "bash"))
	out := runShell(t, t.TempDir(), bash, "--norc", "--noprofile", "-c",
		`source "$1"; COMP_WORDS=(resolver zo); COMP_CWORD=1; _resolver; echo "${COMPREPLY[*]}"; COMP_WORDS=(resolver zonk --j); COMP_CWORD=2; COMPREPLY=(); _resolver; echo "${COMPREPLY[*]}"`,
		"bash", script)
	if out != "zonk\n--json\n" {
		t.Errorf("got %q, want zonk, then --json", out)
	}
}

// TestCompletionZsh checks the syntax, then runs the completion function
// with zsh's completion builtins and functions replaced by ones that print
// what they are given: which words are offered, not how zsh shows them.
func TestCompletionZsh(t *testing.T) {
	zsh := shellPath(t, "zsh")
	script := writeScript(t, "_resolver", completionScript(t, "zsh"))
	runShell(t, t.TempDir(), zsh, "-n", script)
	dir := completionDir(t)
	const driver = `compdef() { }
compset() { [[ $1 == -P ]] && PREFIX=${PREFIX#*=}; return 0 }
compadd() {
  [[ $1 == -- ]] && shift
  local w
  for w in "$@"; do [[ $w == ${PREFIX}* ]] && print -r -- $w; done
}
_describe() {
  local w
  for w in "${(@P)${@[-1]}}"; do
    w=${w%%:*}
    [[ $w == ${PREFIX}* ]] && print -r -- $w
  done
}
_files() { print -rl -- ${PREFIX}*(N) }
if [[ $1 == autoload ]]; then
  # As compinit finds it in $fpath: the file is the function's body.
  fpath=(${2:h} $fpath)
  autoload -Uz _resolver
  shift
else
  source "$1" || exit 1
fi
shift
words=("$@")
CURRENT=$#
PREFIX=${words[CURRENT]}
_resolver
return 0`
	for _, tt := range completionCases() {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"-f", "-c", driver, "zsh", script}, tt.words...)
			tt.check(t, runShell(t, dir, zsh, args...))
			args = append([]string{"-f", "-c", driver, "zsh", "autoload", script}, tt.words...)
			tt.check(t, runShell(t, dir, zsh, args...))
		})
	}
}

// TestCompletionFish checks the syntax, then asks fish what it would
// complete (complete -C), as it does when Tab is pressed.
func TestCompletionFish(t *testing.T) {
	fish := shellPath(t, "fish")
	script := writeScript(t, "resolver.fish", completionScript(t, "fish"))
	runShell(t, t.TempDir(), fish, "--no-execute", script)
	dir := completionDir(t)
	for _, tt := range completionCases() {
		t.Run(tt.name, func(t *testing.T) {
			line := strings.Join(tt.words, " ")
			out := runShell(t, dir, fish, "--no-config", "-c", `source $argv[1]; and complete -C $argv[2]`, script, line)
			// Each line is a word, then a tab and its description.
			var words []string
			for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
				if w, _, _ := strings.Cut(l, "\t"); w != "" {
					words = append(words, w)
				}
			}
			// fish sorts what it offers.
			want := slices.Clone(tt.want)
			slices.Sort(want)
			slices.Sort(words)
			if !slices.Equal(words, want) {
				t.Errorf("%q: got %q, want %q", line, words, want)
			}
		})
	}
}
