package main

import (
	"flag"
	"fmt"
	"github.com/multienv/multienv"
	"io"
	"slices"
	"strings"

	"github.com/multienv/multienv/internal/text"
)

// shells are the shells completion writes a script for.
var shells = []string{"bash", "fish", "zsh"}

var cmdCompletion = &command{
	name:    "completion",
	summary: "print a shell completion script (bash, zsh, fish)",
	usage:   "bash|zsh|fish",
	maxArgs: 1,
	words:   shells,
	help: `Prints a script that makes the shell complete resolver's command line: the
commands, each command's flags, the values of check's --format, the shells
of 'resolver completion', the commands after 'resolver help', and file names
for --config and check's FILE. The commands and flags are this resolver's:
print the script again after an upgrade.

The environment names after --env (get, export) are those of the
configuration found when the script is printed (the embedded default's when
there is none): print it again when they change. They are also offered
after run's --env and as diff's IDs.

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

// run is set here rather than in the literal: the script is made from the
// table of commands, which holds cmdCompletion.
func init() { cmdCompletion.run = runCompletion }

func runCompletion(e *invocation, o *options) int {
	if len(o.args) == 0 {
		return e.usageError("completion: no shell given; allowed: %s", strings.Join(shells, ", "))
	}
	c := newCompletion()
	envs := e.environmentNames(o)
	c.setWords("env", envs)
	for i := range c.commands {
		if c.commands[i].name == cmdDiff.name {
			c.commands[i].words = envs // diff's IDs
		}
	}
	var script string
	switch shell := o.args[0]; shell {
	case "bash":
		script = bashCompletion(c)
	case "zsh":
		script = zshCompletion(c)
	case "fish":
		script = fishCompletion(c)
	default:
		msg := "completion: unknown shell " + text.Quote(shell) + "; allowed: " + strings.Join(shells, ", ")
		if s := text.Closest(shell, shells); s != "" {
			msg += "; did you mean " + text.Quote(s) + "?"
		}
		return e.usageError("%s", msg)
	}
	// A script is data, like the schema: written as it is.
	io.WriteString(e.raw, script)
	return exitOK
}

// completion is what the scripts complete, taken from the table of
// commands and from the flag sets dispatch parses with, so that a new
// command or flag is completed without touching the scripts.
type completion struct {
	global   []flagWord // the flags before the command
	commands []commandWords
	// values are the flags that take a value, whatever the command.
	values []flagWord
}

// flagWord is a flag, with its description and the words its value may
// be; a flag that takes a value and has no words takes a file.
type flagWord struct {
	name, usage string
	takesValue  bool
	words       []string
}

// commandWords is what may follow one command.
type commandWords struct {
	name, summary string
	flags         []flagWord
	maxArgs       int
	words         []string // what an argument may be; nil: a file
}

// flagValues are the words the value of a flag may be, by flag name.
// export's formats are offered with check's: the scripts complete a flag's
// value by its name alone.
var flagValues = map[string][]string{"format": union(formats, exportFormats)}

// union returns the words of a, then those of b that a lacks.
func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, w := range b {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// helpFlag is the flag the flag package answers for every flag set.
var helpFlag = flagWord{name: "help", usage: "show help"}

func newCompletion() completion {
	var c completion
	seen := map[string]bool{}
	flagsOf := func(fs *flag.FlagSet) []flagWord {
		var out []flagWord
		fs.VisitAll(func(f *flag.Flag) {
			b, ok := f.Value.(interface{ IsBoolFlag() bool })
			fw := flagWord{name: f.Name, usage: f.Usage, takesValue: !ok || !b.IsBoolFlag(), words: flagValues[f.Name]}
			out = append(out, fw)
			if fw.takesValue && !seen[fw.name] {
				seen[fw.name] = true
				c.values = append(c.values, fw)
			}
		})
		return append(out, helpFlag)
	}
	var configPath string
	var showVersion bool
	c.global = flagsOf(globalFlags(&configPath, &showVersion))
	for _, cmd := range commands {
		c.commands = append(c.commands, commandWords{name: cmd.name, summary: cmd.summary,
			flags: flagsOf(cmd.flagSet(&options{})), maxArgs: cmd.maxArgs, words: cmd.words})
	}
	c.commands = append(c.commands, commandWords{name: "help", summary: helpSummary, maxArgs: 1, words: names()})
	return c
}

// setWords sets the words the value of flag name may be, wherever the
// flag is.
func (c *completion) setWords(name string, words []string) {
	for i := range c.values {
		if c.values[i].name == name {
			c.values[i].words = words
		}
	}
	for _, cmd := range c.commands {
		for i := range cmd.flags {
			if cmd.flags[i].name == name {
				cmd.flags[i].words = words
			}
		}
	}
}

// environmentNames are the environments of the configuration found as
// every command finds it (the embedded default's when none is, or when it
// cannot be read), which the script offers after --env: the script holds
// them as they are when it is printed.
func (e *invocation) environmentNames(o *options) []string {
	cfg, err := multienv.Default()
	if loc, lerr := multienv.Locate(o.config, e.lookup, e.dir); lerr == nil {
		if found, oerr := multienv.Open(loc); oerr == nil {
			cfg, err = found, nil
		}
	}
	if err != nil {
		return nil
	}
	var names []string
	for _, env := range cfg.Environments() {
		if validWord(env.Name) {
			names = append(names, env.Name)
		}
	}
	return names
}

// validWord: an environment name, which a checked file holds only in this
// form; the script quotes nothing else.
func validWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// names returns the names of the commands, help included.
func (c completion) names() []string {
	out := make([]string, len(c.commands))
	for i, cmd := range c.commands {
		out[i] = cmd.name
	}
	return out
}

// summary returns the summary of the command named name.
func (c completion) summary(name string) string {
	for _, cmd := range c.commands {
		if cmd.name == name {
			return cmd.summary
		}
	}
	return ""
}

// valuePatterns returns the spellings of the flags that take a value, for
// a shell's case: --config|-config|...
func (c completion) valuePatterns(sep string) string {
	var out []string
	for _, f := range c.values {
		out = append(out, "--"+f.name, "-"+f.name)
	}
	return strings.Join(out, sep)
}

func dashed(fs []flagWord) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = "--" + f.name
	}
	return out
}

// shQuote quotes s for bash and zsh: in single quotes, where a ' is written
// as the end of the quotes, an escaped quote, and new quotes.
func shQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// fishQuote quotes s for fish, in whose single quotes \ and ' are escaped.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// zshDescribed returns name:description items for zsh's _describe, quoted.
func zshDescribed(items [][2]string) string {
	out := make([]string, len(items))
	for i, it := range items {
		item := strings.ReplaceAll(it[0], ":", `\:`)
		if it[1] != "" {
			item += ":" + it[1]
		}
		out[i] = shQuote(item)
	}
	return strings.Join(out, " ")
}

const completionPreamble = `completes resolver's commands, their flags, the values of --format, the
# shells of 'resolver completion', the commands after 'resolver help', and
# file names for --config and check's FILE.`

func bashCompletion(c completion) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p(`# bash completion for resolver %s, printed by 'resolver completion bash': it
# %s
# Load it in ~/.bashrc with: source <(resolver completion bash)
# It needs no bash-completion package: only compgen and complete.

# _resolver_reply adds each line compgen prints to COMPREPLY.
_resolver_reply() {
    local w
    while IFS= read -r w; do
        COMPREPLY+=("$w")
    done < <(compgen "$@")
}

_resolver() {
    COMPREPLY=()
    local cur=${COMP_WORDS[COMP_CWORD]} prev= flag= pre= split= cmd= w
    local -i i n=0 max=0
    (( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}
    # A flag's value: --format json, or --format=json, which bash splits
    # into --format, = and json when = is in COMP_WORDBREAKS, its default.
    if [[ $cur == = ]]; then
        flag=$prev cur= split=1
    elif [[ $prev == = ]] && (( COMP_CWORD > 1 )); then
        flag=${COMP_WORDS[COMP_CWORD-2]} split=1
    elif [[ $cur == -*=* ]]; then
        flag=${cur%%%%=*} pre=${cur%%%%=*}= cur=${cur#*=} split=1
    else
        flag=$prev
    fi
    case $flag in
`, releaseVersion(), completionPreamble)
	for _, f := range c.values {
		p("    --%s|-%s)\n", f.name, f.name)
		if f.words == nil {
			p("        compopt -o filenames 2>/dev/null\n")
			p("        _resolver_reply -P \"$pre\" -f -- \"$cur\"\n")
		} else {
			p("        _resolver_reply -P \"$pre\" -W %s -- \"$cur\"\n", shQuote(strings.Join(f.words, " ")))
		}
		p("        return 0 ;;\n")
	}
	p(`    esac
    [[ -n $split ]] && return 0
    # The command is the first word that is neither a flag nor a flag's
    # value; the words after it that are neither are its arguments. After
    # -- come arguments only, which may be anything: files are offered.
    for (( i = 1; i < COMP_CWORD; i++ )); do
        w=${COMP_WORDS[i]}
        case $w in
        --)
            if [[ -n $cmd ]]; then
                compopt -o filenames 2>/dev/null
                _resolver_reply -f -- "$cur"
                return 0
            fi ;;
        %s)
            [[ ${COMP_WORDS[i+1]} == = ]] && i+=1
            i+=1 ;;
        -*) ;;
        *)
            if [[ -z $cmd ]]; then cmd=$w; else n+=1; fi ;;
        esac
    done
    local flags= words= files=
    case $cmd in
    '')
        flags=%s words=%s max=1 ;;
`, c.valuePatterns("|"), shQuote(strings.Join(dashed(c.global), " ")), shQuote(strings.Join(c.names(), " ")))
	for _, cmd := range c.commands {
		p("    %s)\n        flags=%s max=%d", cmd.name, shQuote(strings.Join(dashed(cmd.flags), " ")), cmd.maxArgs)
		if cmd.maxArgs > 0 {
			if cmd.words == nil {
				p(" files=1")
			} else {
				p(" words=%s", shQuote(strings.Join(cmd.words, " ")))
			}
		}
		p(" ;;\n")
	}
	p(`    *)
        return 0 ;;
    esac
    if [[ $cur == -* ]]; then
        _resolver_reply -W "$flags" -- "$cur"
    elif (( n < max )); then
        if [[ -n $files ]]; then
            compopt -o filenames 2>/dev/null
            _resolver_reply -f -- "$cur"
        else
            _resolver_reply -W "$words" -- "$cur"
        fi
    fi
    return 0
}

complete -F _resolver resolver
`)
	return b.String()
}

func zshCompletion(c completion) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	described := func(fs []flagWord) string {
		items := make([][2]string, len(fs))
		for i, f := range fs {
			items[i] = [2]string{"--" + f.name, f.usage}
		}
		return zshDescribed(items)
	}
	commandItems := func(names []string) string {
		items := make([][2]string, len(names))
		for i, name := range names {
			items[i] = [2]string{name, c.summary(name)}
		}
		return zshDescribed(items)
	}
	p(`#compdef resolver
# zsh completion for resolver %s, printed by 'resolver completion zsh': it
# %s
# Install it as _resolver in a directory of $fpath, before compinit runs:
#   mkdir -p ~/.zfunc && resolver completion zsh > ~/.zfunc/_resolver
#   fpath=(~/.zfunc $fpath)    in ~/.zshrc, before compinit
# or load it in ~/.zshrc, after compinit:
#   source <(resolver completion zsh)

_resolver() {
  local cur=${words[CURRENT]} flag=${words[CURRENT-1]} cmd= w tag=value files=
  local -i i n=0 max=0
  local -a flags args
  # A flag's value: --format json, or --format=json.
  if [[ $cur == -*=* ]]; then
    flag=${cur%%%%=*}
    compset -P '*='
  fi
  case $flag in
`, releaseVersion(), completionPreamble)
	for _, f := range c.values {
		p("    (--%s|-%s)\n", f.name, f.name)
		if f.words == nil {
			p("      _files\n")
		} else {
			p("      compadd -- %s\n", strings.Join(f.words, " "))
		}
		p("      return ;;\n")
	}
	p(`  esac
  [[ $cur == -*=* ]] && return 1
  # The command is the first word that is neither a flag nor a flag's
  # value; the words after it that are neither are its arguments. After
  # -- come arguments only, which may be anything: files are offered.
  for (( i = 2; i < CURRENT; i++ )); do
    w=${words[i]}
    case $w in
      (--)
        if [[ -n $cmd ]]; then
          _files
          return
        fi ;;
      (%s)
        i+=1 ;;
      (-*) ;;
      (*)
        if [[ -z $cmd ]]; then cmd=$w; else n+=1; fi ;;
    esac
  done
  case $cmd in
    ('')
      flags=(%s)
      args=(%s)
      tag=command max=1 ;;
`, c.valuePatterns("|"), described(c.global), commandItems(c.names()))
	for _, cmd := range c.commands {
		p("    (%s)\n", cmd.name)
		p("      flags=(%s)\n", described(cmd.flags))
		p("      max=%d", cmd.maxArgs)
		if cmd.maxArgs > 0 {
			switch {
			case cmd.words == nil:
				p(" files=1")
			case cmd.name == "help":
				p(" tag=command\n      args=(%s)", commandItems(cmd.words))
			default:
				p("\n      args=(%s)", zshDescribed(plainItems(cmd.words)))
			}
		}
		p(" ;;\n")
	}
	p(`    (*)
      return 1 ;;
  esac
  if [[ $cur == -* ]]; then
    _describe -t flags flag flags
  elif (( n < max )); then
    if [[ -n $files ]]; then
      _files
    else
      _describe -t ${tag}s $tag args
    fi
  else
    return 1
  fi
}

# Autoloaded from $fpath, this file is the body of _resolver: it defines
# the function, then completes. Sourced, it registers the function.
if [[ $funcstack[1] == _resolver ]]; then
  _resolver "$@"
else
  compdef _resolver resolver
fi
`)
	return b.String()
}

func plainItems(words []string) [][2]string {
	items := make([][2]string, len(words))
	for i, w := range words {
		items[i] = [2]string{w, ""}
	}
	return items
}

func fishCompletion(c completion) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p(`# fish completion for resolver %s, printed by 'resolver completion fish': it
# %s
# Install it once:
#   resolver completion fish > ~/.config/fish/completions/resolver.fish

# __resolver_at NAME [MAX]: the command being completed is NAME ('' before
# the command), followed by fewer than MAX arguments when MAX is given; NAME
# -- : the words come after a command and --, arguments that may be
# anything. The command is the first word that is neither a flag nor a
# flag's value.
function __resolver_at --argument-names name max
    set -l words (commandline -opc)
    set -e words[1]
    set -l cmd ''
    set -l n 0
    set -l skip 0
    for w in $words
        if test $skip = 1
            set skip 0
            continue
        end
        if test -n "$cmd"; and test "$w" = --
            test "$name" = --
            return
        end
        switch $w
            case %s
                set skip 1
            case '-*'
            case '*'
                if test -z "$cmd"
                    set cmd $w
                else
                    set n (math $n + 1)
                end
        end
    end
    test "$cmd" = "$name"; or return 1
    test -z "$max"; or test $n -lt $max
end

# No file names unless a flag or an argument takes one.
complete -c resolver -f
complete -c resolver -n '__resolver_at --' -F
`, releaseVersion(), completionPreamble, c.valuePatterns(" "))
	flag := func(cond string, f flagWord) {
		p("complete -c resolver -n %s -l %s", fishQuote(cond), f.name)
		switch {
		case f.takesValue && f.words == nil:
			p(" -r -F")
		case f.takesValue:
			p(" -x -a %s", fishQuote(strings.Join(f.words, " ")))
		}
		p(" -d %s\n", fishQuote(f.usage))
	}
	for _, f := range c.global {
		flag(`__resolver_at ""`, f)
	}
	for _, name := range c.names() {
		p("complete -c resolver -n %s -a %s -d %s\n", fishQuote(`__resolver_at "" 1`), name, fishQuote(c.summary(name)))
	}
	for _, cmd := range c.commands {
		p("\n# resolver %s\n", cmd.name)
		for _, f := range cmd.flags {
			flag("__resolver_at "+cmd.name, f)
		}
		if cmd.maxArgs == 0 {
			continue
		}
		cond := fishQuote(fmt.Sprintf("__resolver_at %s %d", cmd.name, cmd.maxArgs))
		switch {
		case cmd.words == nil:
			p("complete -c resolver -n %s -F\n", cond)
		case cmd.name == "help":
			for _, name := range cmd.words {
				p("complete -c resolver -n %s -a %s -d %s\n", cond, name, fishQuote(c.summary(name)))
			}
		default:
			p("complete -c resolver -n %s -a %s\n", cond, fishQuote(strings.Join(cmd.words, " ")))
		}
	}
	return b.String()
}
