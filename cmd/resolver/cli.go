package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/config"
)

// version is the resolver's version.
const version = "0.1.0"

// Exit codes.
const (
	exitOK         = 0
	exitUnresolved = 1
	exitUsage      = 2
	exitConfig     = 3
)

// env is everything the command reads from the outside world, so that tests
// can drive it without the real process.
type env struct {
	args     []string
	lookup   func(string) (string, bool)
	dir      string
	stdout   io.Writer
	stderr   io.Writer
	terminal bool // stdout is a terminal
	facts    multienv.Facts
}

func newEnv() *env {
	dir, _ := os.Getwd()
	terminal := false
	if st, err := os.Stdout.Stat(); err == nil {
		terminal = st.Mode()&os.ModeCharDevice != 0
	}
	// The resolver's own arguments are no signal of any runtime: process
	// arguments come only after "--" (see command.processArgs).
	facts := multienv.ProcessFacts()
	facts.Args = nil
	return &env{args: os.Args[1:], lookup: os.LookupEnv, dir: dir, stdout: os.Stdout, stderr: os.Stderr,
		terminal: terminal, facts: facts}
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	usage   string // the flags and arguments after the name
	help    string // what it does, then examples
	json    bool   // takes --json
	strict  bool   // takes --strict
	run     func(e *env, o *options) int
	maxArgs int
	// processArgs: the arguments after "--" stand for the process
	// arguments that runtime signals read (aws_glue's --JOB_RUN_ID), so
	// that a wrapper script can pass its own "$@".
	processArgs bool
}

// options are the parsed flags of one invocation.
type options struct {
	config string
	json   bool
	strict bool
	args   []string
}

var commands = []*command{cmdCurrent, cmdExplain, cmdCheck, cmdList, cmdRuntimes, cmdSchema}

func find(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

func (e *env) errorf(format string, args ...any) {
	fmt.Fprintf(e.stderr, "resolver: "+format+"\n", args...)
}

// usageError prints a usage problem and how to get help; it returns exitUsage.
func (e *env) usageError(format string, args ...any) int {
	e.errorf(format, args...)
	e.errorf("run 'resolver help' for usage")
	return exitUsage
}

func run(e *env) int {
	global := flag.NewFlagSet("resolver", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	configPath := global.String("config", "", "")
	showVersion := global.Bool("version", false, "")
	if err := global.Parse(e.args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(e.stdout)
			return exitOK
		}
		return e.usageError("%s", flagProblem(err))
	}
	if *showVersion {
		if global.NArg() > 0 {
			return e.usageError("--version: unexpected argument %s", config.Quote(global.Arg(0)))
		}
		fmt.Fprintln(e.stdout, "resolver", version)
		return exitOK
	}
	rest := global.Args()
	if len(rest) == 0 {
		return e.usageError("no command given")
	}
	name, rest := rest[0], rest[1:]
	if name == "help" {
		return runHelp(e, rest)
	}
	cmd := find(name)
	if cmd == nil {
		return e.usageError("unknown command %s", config.Quote(name))
	}
	o := &options{config: *configPath}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.config, "config", o.config, "")
	if cmd.json {
		fs.BoolVar(&o.json, "json", false, "")
	}
	if cmd.strict {
		fs.BoolVar(&o.strict, "strict", false, "")
	}
	// Flags may come before or after the arguments (check FILE --strict);
	// after "--" everything is an argument.
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printCommandHelp(e.stdout, cmd)
				return exitOK
			}
			return e.usageError("%s: %s", name, flagProblem(err))
		}
		left := fs.Args()
		if len(left) == 0 {
			break
		}
		if len(rest) > len(left) && rest[len(rest)-len(left)-1] == "--" {
			if cmd.processArgs {
				e.facts.Args = left
			} else {
				o.args = append(o.args, left...)
			}
			break
		}
		o.args = append(o.args, left[0])
		rest = left[1:]
	}
	if len(o.args) > cmd.maxArgs {
		return e.usageError("%s: unexpected argument %s", name, config.Quote(o.args[cmd.maxArgs]))
	}
	if o.config == "" && (explicit(global, "config") || explicit(fs, "config")) {
		return e.usageError("--config needs a file name")
	}
	return cmd.run(e, o)
}

// explicit reports whether the flag was given on the command line.
func explicit(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// flagProblem words an error of the flag package for one line of stderr.
// The flag package puts the arguments in its messages as typed, so their
// control characters are escaped (no argument may break the line or drive
// the terminal) and a long message is cut.
func flagProblem(err error) string {
	var b strings.Builder
	for i, r := range err.Error() {
		if i >= 4*config.MaxQuoted {
			b.WriteString("...")
			break
		}
		if unicode.IsPrint(r) {
			b.WriteRune(r)
		} else {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		}
	}
	return b.String()
}

func runHelp(e *env, args []string) int {
	if len(args) == 0 {
		printUsage(e.stdout)
		return exitOK
	}
	if len(args) > 1 {
		return e.usageError("help: unexpected argument %s", config.Quote(args[1]))
	}
	if args[0] == "help" {
		printUsage(e.stdout)
		return exitOK
	}
	cmd := find(args[0])
	if cmd == nil {
		return e.usageError("help: unknown command %s", config.Quote(args[0]))
	}
	printCommandHelp(e.stdout, cmd)
	return exitOK
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `resolver tells which environment this process is in (devops, sbx, tst, stg, prd, ...).

Usage:
  resolver [--config FILE] COMMAND [flags]

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `  help      show help for a command

Global flags:
  --config FILE  the TOML configuration; else $MULTIENV_CONFIG, else the nearest
                 multienv.toml from the current directory up, else the embedded default
  --version      print the version

Exit status: 0 success, 1 the environment could not be resolved, 2 usage error,
3 the configuration is unreadable or invalid.

Examples:
  ENV_NAME=$(resolver current)
  resolver explain
  resolver --config deploy/multienv.toml check --strict

Run 'resolver help COMMAND' for more about a command.
`)
}

func printCommandHelp(w io.Writer, c *command) {
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", strings.TrimSpace("resolver [--config FILE] "+c.name+" "+c.usage), c.help)
}

// open finds and loads the configuration; on failure it prints the problems
// and returns the exit code.
func (e *env) open(o *options) (*multienv.Config, int) {
	loc, err := multienv.Locate(o.config, e.lookup, e.dir)
	if err != nil {
		e.configError(err)
		return nil, exitConfig
	}
	cfg, err := multienv.Open(loc)
	if err != nil {
		e.configError(err)
		return nil, exitConfig
	}
	return cfg, exitOK
}

func (e *env) configError(err error) {
	problems := multienv.ConfigErrors(err)
	if problems == nil {
		e.errorf("%v", err)
		return
	}
	for _, p := range problems {
		e.errorf("%s", p)
	}
}

// resolveError prints a resolution error; it returns exitUnresolved.
func (e *env) resolveError(err error) int {
	for _, line := range strings.Split(err.Error(), "\n") {
		e.errorf("%s", line)
	}
	return exitUnresolved
}

func (e *env) writeJSON(v any) int {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		e.errorf("%v", err)
		return exitUnresolved
	}
	return exitOK
}
