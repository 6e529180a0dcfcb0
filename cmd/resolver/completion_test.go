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

// The exact words of `resolver __complete` are in
// testdata/script/complete.txtar; here the scripts are loaded into the real
// shells, whose completion function runs the resolver at Tab time.

var completionShells = []string{"bash", "fish", "zsh"}

// runInProcess runs the resolver in-process with args, in dir, with no
// variable set, and returns its exit status, stdout and stderr.
func runInProcess(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	facts := multienv.EnvInputs(nil)
	var stdout, stderr bytes.Buffer
	e := &invocation{args: args, lookup: facts.Lookup, dir: dir, stdout: &stdout, stderr: &stderr, inputs: facts}
	code := run(e)
	return code, stdout.String(), stderr.String()
}

// completionScript runs `resolver completion SHELL` in-process.
func completionScript(t *testing.T, shell string) string {
	t.Helper()
	code, stdout, stderr := runInProcess(t, t.TempDir(), "completion", shell)
	if code != exitOK || stderr != "" {
		t.Fatalf("resolver completion %s: exit status %d, stderr %q", shell, code, stderr)
	}
	return stdout
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

// resolverBin returns a directory holding `resolver`: a link to this test
// binary, which TestMain runs as the command under that name.
func resolverBin(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	if err := os.Symlink(exe, filepath.Join(bin, "resolver")); err != nil {
		t.Skipf("cannot link the test binary as resolver: %v", err)
	}
	return bin
}

// runShell runs a shell with args in dir, with a deadline and an
// environment of its own (nothing of the caller's, CI included; resolver
// on PATH from bin), and returns its stdout; anything on stderr fails.
func runShell(t *testing.T, dir, bin, shell string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, shell, args...)
	cmd.Dir = dir
	home := t.TempDir()
	cmd.Env = []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_DATA_HOME=" + home, "LC_ALL=C",
		"PATH=" + bin + ":/usr/bin:/bin", "GORACE=atexit_sleep_ms=10"}
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

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// completionDir returns a repository root holding multienv.toml (dev and
// prod, with values), other.toml (alpha and beta) and broken.toml.
func completionDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	const rule = "\n[[rules]]\nname = \"local\"\ngroups = [\"local\"]\ndefault = "
	writeFile(t, filepath.Join(dir, "multienv.toml"), "version = 1\n[values]\nbucket = \"b\"\ndb = { host = \"h\", port = 1 }\n"+
		"[[envs]]\nname = \"dev\"\nkind = \"sandbox\"\n[[envs]]\nname = \"prod\"\nkind = \"production\"\n"+rule+"\"dev\"\n")
	writeFile(t, filepath.Join(dir, "other.toml"), "version = 1\n"+
		"[[envs]]\nname = \"alpha\"\nkind = \"sandbox\"\n[[envs]]\nname = \"beta\"\nkind = \"production\"\n"+rule+"\"alpha\"\n")
	writeFile(t, filepath.Join(dir, "broken.toml"), "version = 1\n[[envs]\n")
	return dir
}

// completionCase is one command line, its last word being completed, and
// the words the shell offers, in order (fish sorts them: compared sorted).
type completionCase struct {
	name  string
	words []string
	want  []string
}

var commandList = []string{"current", "explain", "check", "list", "runtimes", "get", "export", "run", "diff", "schema", "completion", "help"}

var completionCases = []completionCase{
	{"every command", []string{"resolver", ""}, commandList},
	{"a command", []string{"resolver", "che"}, []string{"check"}},
	{"check's flags", []string{"resolver", "check", "-"}, []string{"--config", "--default", "--format", "--strict", "--help"}},
	{"export's formats", []string{"resolver", "export", "--format", ""}, []string{"sh", "dotenv", "github"}},
	{"check's formats", []string{"resolver", "check", "--format", "j"}, []string{"json"}},
	{"no format for current", []string{"resolver", "current", "--f"}, nil},
	{"discovered names", []string{"resolver", "get", "--env", ""}, []string{"dev", "prod"}},
	{"names of --config", []string{"resolver", "--config", "other.toml", "diff", ""}, []string{"alpha", "beta"}},
	{"value keys", []string{"resolver", "get", ""}, []string{"bucket", "db.host", "db.port"}},
	{"config's file", []string{"resolver", "--config", "o"}, []string{"other.toml"}},
	{"check's file", []string{"resolver", "check", "b"}, []string{"broken.toml"}},
	{"after --", []string{"resolver", "current", "--", "m"}, []string{"multienv.toml"}},
	{"a broken configuration", []string{"resolver", "--config", "broken.toml", "get", "--env", ""}, nil},
	{"a missing configuration", []string{"resolver", "--config", "missing.toml", "get", ""}, nil},
	{"one shell only", []string{"resolver", "completion", "bash", ""}, nil},
}

func (tt completionCase) check(t *testing.T, out string, sorted bool) {
	t.Helper()
	// fish prints a word, then a tab and its description, if any.
	var got []string
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if word, _, _ := strings.Cut(line, "\t"); line != "" {
			got = append(got, word)
		}
	}
	want := slices.Clone(tt.want)
	if sorted {
		slices.Sort(got)
		slices.Sort(want)
	}
	if !slices.Equal(got, want) {
		t.Errorf("%q: got %q, want %q", tt.words, got, want)
	}
}

// TestCompletionScripts checks what every script must be: text a shell
// reads, with no control character but newlines, no line longer than the
// output rule allows, naming the version, and run by the command.
func TestCompletionScripts(t *testing.T) {
	for _, shell := range completionShells {
		t.Run(shell, func(t *testing.T) {
			script := completionScript(t, shell)
			if problem := rawControl([]byte(script)); problem != "" {
				t.Errorf("%s", problem)
			}
			if n := longestLine([]byte(script)); n > text.MaxLine {
				t.Errorf("a line of %d bytes", n)
			}
			if !strings.HasSuffix(script, "\n") || !strings.Contains(script, " completion for resolver "+releaseVersion()+",") {
				t.Errorf("no version line, or no newline at the end:\n%s", script)
			}
		})
	}
}

// TestCompletionTable adds a command to the table: it is completed, with
// its flags, though no script names it.
func TestCompletionTable(t *testing.T) {
	saved := commands
	t.Cleanup(func() { commands = saved })
	commands = append(slices.Clip(commands), &command{name: "zonk", summary: "a command no script heard of", flags: []flagDef{jsonFlag}})
	dir := t.TempDir()
	for _, tt := range []struct{ args, want string }{
		{"__complete zo", "zonk\n"},
		{"__complete zonk --j", "--json\n"},
	} {
		if code, out, errs := runInProcess(t, dir, strings.Fields(tt.args)...); code != exitOK || out != tt.want || errs != "" {
			t.Errorf("%s: exit status %d, stdout %q, stderr %q; want 0, %q", tt.args, code, out, errs, tt.want)
		}
	}
}

// TestCompletionBash sources the script, sets the words as bash does at Tab
// (COMP_WORDS, COMP_CWORD) and prints what the function puts in COMPREPLY.
func TestCompletionBash(t *testing.T) {
	bash := shellPath(t, "bash")
	script := completionScript(t, "bash")
	bin, dir := resolverBin(t), completionDir(t)
	const driver = `source /dev/stdin <<< "$1" || exit 1
shift
COMP_WORDS=("$@")
COMP_CWORD=$(( $# - 1 ))
_resolver
printf '%s\n' "${COMPREPLY[@]}"`
	cases := append(slices.Clip(completionCases),
		// bash splits --format=d into --format, = and d (COMP_WORDBREAKS).
		completionCase{"split at =", []string{"resolver", "export", "--format", "=", ""}, []string{"sh", "dotenv", "github"}},
		completionCase{"split value", []string{"resolver", "export", "--format", "=", "d"}, []string{"dotenv"}},
		completionCase{"split file", []string{"resolver", "--config", "=", "o"}, []string{"other.toml"}},
		completionCase{"unsplit", []string{"resolver", "export", "--format=d"}, []string{"--format=dotenv"}})
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"--norc", "--noprofile", "-c", driver, "bash", script}, tt.words...)
			tt.check(t, runShell(t, dir, bin, bash, args...), false)
		})
	}
	out := runShell(t, dir, bin, bash, "--norc", "--noprofile", "-c", `source /dev/stdin <<< "$1" && complete -p resolver`, "bash", script)
	if out != "complete -F _resolver resolver\n" {
		t.Errorf("complete -p resolver: %q", out)
	}
}

// TestCompletionZsh runs the completion function with the words and
// CURRENT that zsh sets at Tab, and zsh's compadd, compset, _files and compdef
// replaced by functions that print what they are given: which words are
// offered, not how zsh shows them. The script is both sourced and, as
// compinit finds it in $fpath, autoloaded.
func TestCompletionZsh(t *testing.T) {
	zsh := shellPath(t, "zsh")
	script := completionScript(t, "zsh")
	bin, dir := resolverBin(t), completionDir(t)
	fpath := t.TempDir()
	writeFile(t, filepath.Join(fpath, "_resolver"), script)
	const driver = `compdef() { }
compset() { [[ $1 == -P ]] && PREFIX=${PREFIX#*=}; return 0 }
compadd() { [[ $1 == -- ]] && shift; print -rl -- "$@" }
_files() { print -rl -- ${PREFIX}*(N) }
if [[ $1 == autoload ]]; then
  fpath=($2 $fpath)
  autoload -Uz _resolver
else
  source =(print -r -- $2) || exit 1
fi
shift 2
words=("$@")
CURRENT=$#
PREFIX=${words[CURRENT]}
_resolver
return 0`
	for _, tt := range append(slices.Clip(completionCases),
		completionCase{"--flag=value", []string{"resolver", "export", "--format=d"}, []string{"--format=dotenv"}},
		completionCase{"--config=file", []string{"resolver", "--config=o"}, []string{"other.toml"}}) {
		t.Run(tt.name, func(t *testing.T) {
			for _, how := range [][]string{{"source", script}, {"autoload", fpath}} {
				args := append([]string{"-f", "-c", driver, "zsh", how[0], how[1]}, tt.words...)
				tt.check(t, runShell(t, dir, bin, zsh, args...), false)
			}
		})
	}
}

// TestCompletionFish asks fish what it would complete (complete -C), as it
// does when Tab is pressed.
func TestCompletionFish(t *testing.T) {
	fish := shellPath(t, "fish")
	script := completionScript(t, "fish")
	bin, dir := resolverBin(t), completionDir(t)
	scriptPath := filepath.Join(t.TempDir(), "resolver.fish")
	writeFile(t, scriptPath, script)
	runShell(t, dir, bin, fish, "--no-execute", scriptPath)
	cases := append(slices.Clip(completionCases),
		completionCase{"--config=file", []string{"resolver", "--config=o"}, []string{"--config=other.toml"}},
		completionCase{"check --config=file", []string{"resolver", "check", "--config=b"}, []string{"--config=broken.toml"}})
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			line := strings.Join(tt.words, " ")
			out := runShell(t, dir, bin, fish, "--no-config", "-c", `source $argv[1]; and complete -C $argv[2]`, scriptPath, line)
			tt.check(t, out, true)
		})
	}
}
