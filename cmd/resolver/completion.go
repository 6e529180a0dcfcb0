package main

import (
	"embed"
	"flag"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/internal/text"
)

var cmdCompletion = &command{
	name:    "completion",
	summary: "print a shell completion script (bash, zsh, fish)",
	usage:   "bash|zsh|fish",
	maxArgs: 1,
	run:     runCompletion,
}

func runCompletion(e *invocation, o *options) int {
	allowed := strings.Join(shells(), ", ")
	if len(o.args) == 0 {
		return e.usageError("completion: no shell given; allowed: %s", allowed)
	}
	shell := o.args[0]
	if !slices.Contains(shells(), shell) {
		return e.usageError("completion: unknown shell %s; allowed: %s%s", text.Quote(shell), allowed, text.DidYouMean(text.Closest(shell, shells())))
	}
	shim, _ := scripts.ReadFile("completion/" + shell)
	head := "# " + shell + " completion for resolver " + releaseVersion() + ", printed by 'resolver completion " +
		shell + "': at each Tab\n# it asks 'resolver __complete WORD...' what may follow the words.\n"
	if shell == "zsh" {
		head = "#compdef resolver\n" + head
	}
	io.WriteString(e.raw, head+string(shim)) // a script is data, written as it is
	return exitOK
}

// completeCommand is the hidden command the scripts run at each Tab:
// `resolver __complete WORD...` prints what may follow the words but the
// last and starts with the last, one a line, or the line ":files" alone.
const completeCommand = "__complete"

// completer is the command line before the word being completed, read as
// dispatch reads it.
type completer struct {
	e       *invocation
	name    string   // the command's name, "" before it
	cmd     *command // nil before the command, after help or an unknown name
	o       options
	fs      *flag.FlagSet // the flags that may come next; nil: none
	pending *flag.Flag    // the flag whose value comes next
	left    int           // how many more arguments the command takes
	dashes  bool          // "--" came after the command: arguments only
	files   bool          // the shell is to offer file names
}

// sources are what may be typed, by the --flag it is the value of or the
// command it is an argument of.
var sources = map[string]func(*completer) []string{
	"--config":         (*completer).fileNames,
	"--env":            (*completer).environments,
	"--format":         func(c *completer) []string { return c.cmd.formats },
	cmdCheck.name:      (*completer).fileNames,
	cmdCompletion.name: func(*completer) []string { return shells() },
	cmdDiff.name:       (*completer).environments,
	cmdGet.name:        (*completer).keys,
	cmdRun.name:        (*completer).fileNames,
	"help":             func(*completer) []string { return names() },
}

func runComplete(e *invocation, words []string) int {
	// Where the configuration cannot be loaded, nothing is offered or said.
	quiet := *e
	quiet.stderr = io.Discard
	c := &completer{e: &quiet}
	c.fs = cmdResolver.flagSet(&c.o)
	cur, prefix := "", ""
	if n := len(words); n > 0 {
		for _, w := range words[:n-1] {
			c.read(w)
		}
		cur = words[n-1]
	}
	if f, value, inline := c.flag(cur); f != nil && inline { // --format=j
		c.pending, prefix, cur = f, cur[:len(cur)-len(value)], value
	} else if cur == "=" && c.pending != nil { // bash splits --format=j at the =
		cur = ""
	}
	for _, w := range c.words(cur) {
		if strings.HasPrefix(w, cur) {
			io.WriteString(e.raw, prefix+w+"\n")
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
	case c.dashes: // files are offered whatever follows
	case w == "--" && c.name != "":
		c.dashes = true
	case f != nil && inline:
		f.Value.Set(value)
	case f != nil:
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !ok || !b.IsBoolFlag() {
			c.pending = f
		}
	case strings.HasPrefix(w, "-"):
	case c.name == "":
		c.name, c.cmd, c.fs, c.left = w, find(w), nil, 1 // help COMMAND
		if c.cmd != nil {
			c.fs, c.left = c.cmd.flagSet(&c.o), c.cmd.maxArgs
		}
	default:
		c.left--
	}
}

// flag returns the flag w (-x, --x or --x=value) names, if any, and the
// value after =.
func (c *completer) flag(w string) (f *flag.Flag, value string, inline bool) {
	if !strings.HasPrefix(w, "-") || c.fs == nil {
		return nil, "", false
	}
	name, value, inline := strings.Cut(strings.TrimPrefix(w[1:], "-"), "=")
	return c.fs.Lookup(name), value, inline
}

// words returns what may stand where cur is typed.
func (c *completer) words(cur string) []string {
	source := c.name
	switch {
	case c.pending != nil:
		source = "--" + c.pending.Name
	case c.dashes:
		return c.fileNames()
	case strings.HasPrefix(cur, "-") && c.fs != nil:
		var out []string
		c.fs.VisitAll(func(f *flag.Flag) { out = append(out, "--"+f.Name) })
		return append(out, "--help")
	case c.name == "":
		return names()
	case c.left <= 0:
		return nil
	}
	if words := sources[source]; words != nil {
		return words(c)
	}
	return nil
}

func (c *completer) fileNames() []string { c.files = true; return nil }

func (c *completer) environments() []string {
	if cfg, _ := c.e.open(&c.o); cfg != nil {
		return each(cfg.Environments(), func(env multienv.Environment) string { return env.Name })
	}
	return nil
}

// keys are the value keys of the environment whose values get would print.
func (c *completer) keys() []string {
	if _, _, values, _ := c.e.values(&c.o, false); values != nil {
		return values.Keys()
	}
	return nil
}

// scripts are the shims, completion/SHELL, that the shells run at each Tab.
//
//go:embed completion
var scripts embed.FS

func shells() []string {
	files, _ := scripts.ReadDir("completion")
	return each(files, fs.DirEntry.Name)
}
