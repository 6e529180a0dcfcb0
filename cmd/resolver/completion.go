package main

import (
	"flag"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/multienv/multienv/internal/text"
)

var cmdCompletion = &command{
	name:    "completion",
	summary: "print a shell completion script (bash, zsh, fish)",
	usage:   "bash|zsh|fish",
	maxArgs: 1,
	run:     runCompletion,
	help: `Prints a script that makes the shell complete resolver's command line: at
each Tab it asks 'resolver __complete' what this resolver accepts there (the
commands, each command's flags and formats, the shells of completion, the
commands after help, the value keys after get, file names for --config and
check's FILE).

The environment names after --env (get, export) are those of the
configuration the command line being completed would load: its --config,
else MULTIENV_CONFIG, else the multienv.toml found from the working
directory. They are also offered after run's --env and as diff's IDs.

bash (no bash-completion package needed); in ~/.bashrc:
  source <(resolver completion bash)
or, with the bash-completion package, once:
  resolver completion bash > ~/.local/share/bash-completion/completions/resolver

zsh: as _resolver in a directory of $fpath, once:
  mkdir -p ~/.zfunc && resolver completion zsh > ~/.zfunc/_resolver
with, in ~/.zshrc, before compinit:
  fpath=(~/.zfunc $fpath)
or in ~/.zshrc, after compinit:
  source <(resolver completion zsh)

fish, once:
  resolver completion fish > ~/.config/fish/completions/resolver.fish`,
}

func runCompletion(e *env, o *options) int {
	shells := slices.Sorted(maps.Keys(shims))
	if len(o.args) == 0 {
		return e.usageError("completion: no shell given; allowed: %s", strings.Join(shells, ", "))
	}
	shell := o.args[0]
	shim, ok := shims[shell]
	if !ok {
		msg := "completion: unknown shell " + text.Quote(shell) + "; allowed: " + strings.Join(shells, ", ")
		if s := text.Closest(shell, shells); s != "" {
			msg += "; did you mean " + text.Quote(s) + "?"
		}
		return e.usageError("%s", msg)
	}
	head := "# " + shell + " completion for resolver " + releaseVersion() + ", printed by 'resolver completion " +
		shell + "': at each Tab\n# it asks 'resolver __complete WORD...' what may follow the words.\n"
	if shell == "zsh" {
		head = "#compdef resolver\n" + head
	}
	io.WriteString(e.raw, head+shim) // a script is data, written as it is
	return exitOK
}

// completeCommand is the hidden command the scripts run at each Tab:
// `resolver __complete WORD...` prints what may follow the words but the
// last and starts with the last, one a line (the word, then a tab and what
// it is when that is known), or the line ":files": the shell offers files.
const completeCommand = "__complete"

// completer is the command line before the word being completed, read as
// dispatch reads it.
type completer struct {
	e       *env
	name    string   // the command's name, "" before it
	cmd     *command // nil before the command, after help or an unknown name
	o       options
	fs      *flag.FlagSet // the flags that may come next; nil: none
	pending *flag.Flag    // the flag whose value comes next
	args    int           // how many arguments the command has
	dashes  bool          // "--" came after the command: arguments only
	files   bool          // the shell is to offer file names
}

// sources are what may be typed, by the --flag it is the value of, or the
// command it is an argument of; a command not here takes files. Each word is
// one a shell takes as it is: names and keys are identifiers in a checked file.
var sources = map[string]func(*completer) []string{
	"--config":         (*completer).fileNames,
	"--env":            (*completer).environments,
	"--format":         func(c *completer) []string { return c.cmd.formats },
	cmdCompletion.name: func(*completer) []string { return slices.Sorted(maps.Keys(shims)) },
	cmdDiff.name:       (*completer).environments,
	cmdGet.name:        (*completer).keys,
	"help":             func(*completer) []string { return commandWords() },
}

func runComplete(e *env, words []string) int {
	c := &completer{e: e}
	var showVersion bool
	c.fs = globalFlags(&c.o.config, &showVersion)
	cur := ""
	if n := len(words); n > 0 {
		for _, w := range words[:n-1] {
			c.read(w)
		}
		cur = words[n-1]
	}
	if cur == "=" && c.pending != nil {
		cur = "" // bash splits --format=j at the =
	}
	for _, w := range c.words(cur) {
		if word, _, _ := strings.Cut(w, "\t"); strings.HasPrefix(word, cur) {
			io.WriteString(e.raw, w+"\n")
		}
	}
	if c.files {
		io.WriteString(e.raw, ":files\n")
	}
	return exitOK
}

// read takes in the word w.
func (c *completer) read(w string) {
	f, value, inline := c.flag(w)
	switch {
	case c.pending != nil && w == "=": // bash splits --format=json at the =
	case c.pending != nil:
		c.pending.Value.Set(w)
		c.pending = nil
	case c.dashes:
		c.args++
	case w == "--" && c.name != "":
		c.dashes = true
	case f != nil && inline:
		f.Value.Set(value)
	case f != nil && !isBool(f):
		c.pending = f
	case strings.HasPrefix(w, "-"):
	case c.name == "":
		c.name, c.cmd, c.fs = w, find(w), nil
		if c.cmd != nil {
			c.fs = c.cmd.flagSet(&c.o)
		}
	default:
		c.args++
	}
}

// flag returns the flag w (-x, --x or --x=value) names, if any, and the
// value after = if there is one.
func (c *completer) flag(w string) (f *flag.Flag, value string, inline bool) {
	if !strings.HasPrefix(w, "-") || c.fs == nil {
		return nil, "", false
	}
	name, value, inline := strings.Cut(strings.TrimPrefix(w[1:], "-"), "=")
	return c.fs.Lookup(name), value, inline
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// words returns what may stand where cur is typed, cur aside.
func (c *completer) words(cur string) []string {
	f, _, inline := c.flag(cur)
	switch {
	case c.pending != nil:
		return c.values(c.pending, "")
	case c.dashes:
		return c.fileNames()
	case f != nil && inline:
		return c.values(f, "--"+f.Name+"=")
	case strings.HasPrefix(cur, "-") && c.fs != nil:
		var out []string
		c.fs.VisitAll(func(f *flag.Flag) { out = append(out, "--"+f.Name+"\t"+f.Usage) })
		return append(out, "--help\tshow help")
	case c.name == "":
		return commandWords()
	}
	most := 1 // help COMMAND
	if c.cmd != nil {
		most = c.cmd.maxArgs
	}
	if c.args >= most || c.cmd == nil && c.name != "help" {
		return nil
	}
	if source, ok := sources[c.name]; ok {
		return source(c)
	}
	return c.fileNames()
}

// values returns the words the value of f may be, each after prefix.
func (c *completer) values(f *flag.Flag, prefix string) []string {
	var out []string
	if source, ok := sources["--"+f.Name]; ok {
		for _, w := range source(c) {
			out = append(out, prefix+w)
		}
	}
	return out
}

// commandWords are the commands with their summaries, help included.
func commandWords() []string {
	var out []string
	for _, cmd := range commands {
		out = append(out, cmd.name+"\t"+cmd.summary)
	}
	return append(out, "help\t"+helpSummary)
}

func (c *completer) fileNames() []string { c.files = true; return nil }

// quiet is the command's env, with nothing printed on stderr: where the
// configuration cannot be loaded, completion offers nothing and says nothing.
func (c *completer) quiet() *env {
	e := *c.e
	e.stderr = io.Discard
	return &e
}

func (c *completer) environments() []string {
	var out []string
	if cfg, _ := c.quiet().open(&c.o); cfg != nil {
		for _, env := range cfg.Environments() {
			out = append(out, env.Name)
		}
	}
	return out
}

// keys are the value keys of the environment whose values get would print.
func (c *completer) keys() []string {
	if _, _, values, _ := c.quiet().values(&c.o); values != nil {
		return values.Keys()
	}
	return nil
}

// shims are the scripts, by shell, after their first lines.
var shims = map[string]string{"bash": `# Load it in ~/.bashrc with: source <(resolver completion bash)
_resolver() {
    local cur=${COMP_WORDS[COMP_CWORD]} w
    [[ $cur == = ]] && cur= # bash splits --format=j at the =
    COMPREPLY=()
    while IFS=$'\t' read -r w _; do
        if [[ $w != :files ]]; then
            COMPREPLY+=("$w")
            continue
        fi
        compopt -o filenames 2>/dev/null
        while IFS= read -r w; do COMPREPLY+=("$w"); done < <(compgen -f -- "$cur")
    done < <(resolver __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null </dev/null)
    return 0
}
complete -F _resolver resolver
`, "zsh": `# Install it as _resolver in $fpath before compinit, or source it after.
_resolver() {
  local line
  local -a items
  for line in "${(@f)$(resolver __complete "${(@)words[2,CURRENT]}" 2>/dev/null </dev/null)}"; do
    case $line in
      (:files) compset -P '*='; _files; return ;;
      (?*) items+=("${line/$'\t'/:}") ;;
    esac
  done
  _describe -t values value items
}
# Autoloaded from $fpath, this file is the body of _resolver: it defines
# the function, then completes. Sourced, it registers the function.
if [[ $funcstack[1] == _resolver ]]; then
  _resolver "$@"
else
  compdef _resolver resolver
fi
`, "fish": `# Install it with: resolver completion fish > ~/.config/fish/completions/resolver.fish
function __resolver_complete
    set -l words (commandline -opc) (commandline -ct)
    set -e words[1]
    for line in (resolver __complete $words 2>/dev/null </dev/null)
        if test "$line" = :files
            __fish_complete_path (string replace -r -- '^-[^=]*=' '' (commandline -ct))
        else
            printf '%s\n' $line
        end
    end
end
complete -c resolver -f -a '(__resolver_complete)'
`}
