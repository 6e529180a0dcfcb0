package main

import (
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/multienv/multienv"
	"github.com/multienv/multienv/internal/text"
)

// Exit codes.
const (
	exitOK         = 0
	exitUnresolved = 1
	exitUsage      = 2
	exitConfig     = 3
)

// invocation is all the command reads from the outside world, so that
// tests drive it without the real process.
type invocation struct {
	args     []string
	lookup   func(string) (string, bool)
	dir      string
	stdout   io.Writer
	stderr   io.Writer
	terminal bool // stdout is a terminal
	inputs   multienv.Inputs
	raw      io.Writer // stdout as given, for data (JSON, the schema); run sets it
	// environ is the process environment; start starts the command
	// `resolver run` runs, replacing the process where the platform allows.
	environ func() []string
	start   func(path string, argv, env []string) (int, error)
}

func newInvocation() *invocation {
	dir, _ := os.Getwd()
	st, err := os.Stdout.Stat()
	terminal := err == nil && st.Mode()&os.ModeCharDevice != 0
	// Process arguments come only after "--" (see processArgs).
	in := multienv.ProcessInputs()
	in.Args = nil
	return &invocation{args: os.Args[1:], lookup: os.LookupEnv, dir: dir, stdout: os.Stdout, stderr: os.Stderr,
		terminal: terminal, inputs: in, environ: os.Environ, start: startCommand}
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	usage   string    // the flags and arguments after the name
	flags   []flagDef // the flags besides --config and --format
	formats []string  // takes --format, one of these, the first the default
	run     func(e *invocation, o *options) int
	maxArgs int // how many arguments it takes, or processArgs
}

// Special maxArgs. processArgs: none; those after "--" stand for the
// process arguments runtime signals read (aws_glue's --JOB_RUN_ID), passed
// on by a wrapper's "$@". manyArgs: check's FILEs (as pre-commit passes
// them) and run's COMMAND and arguments.
const (
	processArgs = -1
	manyArgs    = 1 << 16
)

// flagDef binds one flag a command may take to its field of options.
type flagDef func(fs *flag.FlagSet, o *options)

// versionFlag is --version, which comes before the command (cmdResolver).
func versionFlag(fs *flag.FlagSet, o *options) {
	fs.BoolVar(&o.version, "version", false, "print the version")
}

// The flags a command may take besides --config and --format.
func jsonFlag(fs *flag.FlagSet, o *options) {
	fs.BoolVar(&o.json, "json", false, "print JSON")
}
func strictFlag(fs *flag.FlagSet, o *options) {
	fs.BoolVar(&o.strict, "strict", false, "fail on warnings too")
}
func defaultFlag(fs *flag.FlagSet, o *options) {
	fs.BoolVar(&o.dflt, "default", false, "check the embedded default")
}
func envFlag(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.env, "env", "", "the values of this environment id, not of the one resolved")
}
func prefixFlag(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.prefix, "prefix", multienv.DefaultExportPrefix, "the prefix of the variables' names")
}

// options are the parsed flags of one invocation.
type options struct {
	config  string
	version bool // --version, before the command
	json    bool
	strict  bool
	dflt    bool   // --default: the embedded default, not a file
	format  string // --format: one of the command's formats
	env     string // --env: an environment id
	prefix  string // --prefix of exported names
	args    []string
}

var commands = []*command{cmdCurrent, cmdExplain, cmdCheck, cmdList, cmdRuntimes, cmdGet, cmdExport, cmdRun, cmdDiff, cmdSchema, cmdCompletion}

func find(name string) *command {
	if i := slices.IndexFunc(commands, func(c *command) bool { return c.name == name }); i >= 0 {
		return commands[i]
	}
	return nil
}

// errorf prints one error line, prefixed "resolver: ". The caller escapes
// the arguments (text.Escape, text.Quote, text.Path); lines is the net below.
func (e *invocation) errorf(format string, args ...any) {
	fmt.Fprintf(e.stderr, "resolver: "+format+"\n", args...)
}

// fail prints one error line, as errorf does, and returns the exit status code.
func (e *invocation) fail(code int, format string, args ...any) int {
	e.errorf(format, args...)
	return code
}

// names returns the command names, help included, for a suggestion.
func names() []string {
	return append(each(commands, func(c *command) string { return c.name }), "help")
}

// each returns f of each element of s, in a new slice.
func each[S, T any](s []S, f func(S) T) []T {
	out := make([]T, len(s))
	for i, x := range s {
		out[i] = f(x)
	}
	return out
}

// unknownCommand words an unknown command, with the closest name.
func unknownCommand(name string) string {
	return "unknown command " + text.Quote(name) + text.DidYouMean(text.Closest(name, names()))
}

// usageError prints a usage problem and how to get help; it returns exitUsage.
func (e *invocation) usageError(format string, args ...any) int {
	e.errorf(format, args...)
	return e.fail(exitUsage, "run 'resolver help' for usage")
}

// run runs one invocation. Everything it prints as text goes through
// lines: no line longer than text.MaxLine, nothing a terminal acts on. Output
// that cannot be written whole (a full disk) fails the command, exit 3, as
// data too long to print does.
func run(e *invocation) int {
	c := *e
	stdout := &checkedWriter{w: e.stdout}
	out, errs := newLines(stdout, e.style().color), newLines(e.stderr, false)
	c.raw, c.stdout, c.stderr = stdout, out, errs
	defer errs.Flush()
	code := dispatch(&c)
	out.Flush()
	if stdout.err != nil {
		return c.fail(exitConfig, "cannot write the output: %s", text.Escape(stdout.err.Error()))
	}
	return code
}

// checkedWriter keeps the first error of the writes to w.
type checkedWriter struct {
	w   io.Writer
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.err = err
	return n, err
}

// cmdResolver takes the flags that come before the command; it is no entry
// of commands.
var cmdResolver = &command{name: "resolver", flags: []flagDef{versionFlag}}

// flagSet returns the flags c takes, bound to o, as completion offers
// them; --config keeps o.config as its default.
func (c *command) flagSet(o *options) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.config, "config", o.config, "the TOML configuration file")
	for _, bind := range c.flags {
		bind(fs, o)
	}
	if c.formats != nil {
		fs.StringVar(&o.format, "format", c.formats[0], "the format: "+strings.Join(c.formats, ", "))
	}
	return fs
}

func dispatch(e *invocation) int {
	if len(e.args) > 0 && e.args[0] == completeCommand {
		return runComplete(e, e.args[1:])
	}
	o := &options{}
	global := cmdResolver.flagSet(o)
	if err := global.Parse(e.args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(e.stdout)
			return exitOK
		}
		return e.usageError("%s", flagProblem(err))
	}
	if o.version {
		if global.NArg() > 0 {
			return e.usageError("--version: unexpected argument %s", text.Quote(global.Arg(0)))
		}
		v, c := buildVersion()
		fmt.Fprintln(e.stdout, "resolver "+strings.TrimSpace(v)+" (commit "+strings.TrimSpace(c)+")")
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
		return e.usageError("%s", unknownCommand(name))
	}
	fs := cmd.flagSet(o)
	if code, ok := e.parse(cmd, fs, o, rest); !ok {
		return code
	}
	if problem := badValue(cmd, o, global, fs); problem != "" {
		return e.usageError("%s", problem)
	}
	return cmd.run(e, o)
}

// badValue says which flag of cmd, parsed into o from global and fs, was
// given a value it cannot take, or returns "".
func badValue(cmd *command, o *options, global, fs *flag.FlagSet) string {
	switch {
	case o.config == "" && explicit("config", global, fs):
		return "--config needs a file name"
	case o.env == "" && explicit("env", fs):
		return cmd.name + ": --env needs an environment id"
	case cmd.formats != nil && !slices.Contains(cmd.formats, o.format):
		return fmt.Sprintf("%s: invalid value %s for --format; allowed: %s%s", cmd.name, text.Quote(o.format),
			strings.Join(cmd.formats, ", "), text.DidYouMean(text.Closest(o.format, cmd.formats)))
	}
	return ""
}

// parse parses args, cmd's flags and arguments, with fs into o. Flags may
// come before or after the arguments (check FILE --strict); after "--"
// everything is an argument. On a usage error or --help it prints why or
// the help, and returns the exit status.
func (e *invocation) parse(cmd *command, fs *flag.FlagSet, o *options, args []string) (int, bool) {
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printCommandHelp(e.stdout, cmd)
				return exitOK, false
			}
			return e.usageError("%s: %s", cmd.name, flagProblem(err)), false
		}
		left := fs.Args()
		if len(left) == 0 {
			break
		}
		if len(args) > len(left) && args[len(args)-len(left)-1] == "--" {
			if cmd.maxArgs == processArgs {
				e.inputs.Args = left
			} else {
				o.args = append(o.args, left...)
			}
			break
		}
		o.args = append(o.args, left[0])
		args = left[1:]
	}
	if limit := max(cmd.maxArgs, 0); len(o.args) > limit {
		return e.usageError("%s: unexpected argument %s", cmd.name, text.Quote(o.args[limit])), false
	}
	return exitOK, true
}

// explicit reports whether the flag was given on the command line, to any of sets.
func explicit(name string, sets ...*flag.FlagSet) bool {
	given := false
	for _, fs := range sets {
		fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	}
	return given
}

// flagProblem words an error of the flag package, which quotes arguments
// as typed, for one line of stderr: escaped, and cut when long.
func flagProblem(err error) string {
	return text.EscapeCut(err.Error(), 4*text.MaxQuoted)
}

// helpFlags are the spellings of -h that Go's flag package reads as help.
var helpFlags = []string{"-h", "--h", "-help", "--help"}

func runHelp(e *invocation, args []string) int {
	if len(args) > 0 && args[0] == "--" { // help -- current: what follows is the command
		args = args[1:]
	}
	if len(args) > 1 {
		return e.usageError("help: unexpected argument %s", text.Quote(args[1]))
	}
	if len(args) == 0 || args[0] == "help" || slices.Contains(helpFlags, args[0]) { // help's own help is the usage
		printUsage(e.stdout)
		return exitOK
	}
	cmd := find(args[0])
	if cmd == nil {
		return e.usageError("help: %s", unknownCommand(args[0]))
	}
	printCommandHelp(e.stdout, cmd)
	return exitOK
}

// printUsage prints help/resolver.txt, its line {commands} the commands.
func printUsage(w io.Writer) {
	head, foot, _ := strings.Cut(helpText("resolver"), "{commands}\n")
	fmt.Fprint(w, head)
	width := len(slices.MaxFunc(names(), func(a, b string) int { return len(a) - len(b) }))
	for _, c := range commands {
		fmt.Fprintf(w, "  %-*s %s\n", width, c.name, c.summary)
	}
	// help is no entry of commands: it takes a command's name, not flags.
	fmt.Fprintf(w, "  %-*s %s\n", width, "help", "show help for a command")
	fmt.Fprint(w, foot)
}

func printCommandHelp(w io.Writer, c *command) {
	fmt.Fprintf(w, "Usage: %s\n\n%s", strings.TrimSpace("resolver [--config FILE] "+c.name+" "+c.usage), helpText(c.name))
}

// helpFiles hold each command's help, help/NAME.txt, and the usage.
//
//go:embed help
var helpFiles embed.FS

func helpText(name string) string {
	b, _ := helpFiles.ReadFile("help/" + name + ".txt")
	return string(b)
}

// open finds and loads the configuration; on failure it prints the problems
// and returns the exit code.
func (e *invocation) open(o *options) (*multienv.Config, int) {
	loc, err := multienv.Locate(o.config, e.lookup, e.dir)
	if err == nil {
		var cfg *multienv.Config
		if cfg, err = multienv.Open(loc); err == nil {
			return cfg, exitOK
		}
	}
	e.configError(err, "resolver: ")
	return nil, exitConfig
}

// configError prints the problems of a configuration, each after prefix
// ("resolver: ", or "" for check, whose lines start with the file); other
// errors always after "resolver: ".
func (e *invocation) configError(err error, prefix string) {
	var ce *multienv.ConfigError
	if !errors.As(err, &ce) {
		e.errorf("%s", text.Escape(err.Error()))
		return
	}
	e.problems(ce.Problems, prefix, "", "problem")
}

// problems prints ps, capped, each as prefix, the problem's file and
// position, label, then the message.
func (e *invocation) problems(ps []multienv.Problem, prefix, label, noun string) {
	e.capped(len(ps), noun, func(i int) {
		p := ps[i]
		if p.Path != "" {
			p.Path = label + p.Path
		} else {
			p.Message = label + p.Message
		}
		fmt.Fprintf(e.stderr, "%s%s\n", prefix, text.Escape(p.String()))
	})
}

// capped prints at most maxProblems of n lines, line(i) the i-th, then
// how many more, counted in noun.
func (e *invocation) capped(n int, noun string, line func(i int)) {
	for i := range min(n, maxProblems) {
		line(i)
	}
	if n > maxProblems {
		e.errorf("... and %s", plural(n-maxProblems, "more "+noun))
	}
}

// resolveError prints a resolution error; it returns exitUnresolved.
func (e *invocation) resolveError(err error) int {
	lines := strings.Split(err.Error(), "\n")
	e.capped(len(lines), "line", func(i int) { e.errorf("%s", text.Escape(lines[i])) })
	return exitUnresolved
}

// writeJSON prints v as indented JSON on stdout, as data (see jsonData): a
// string too long to print whole fails the command (exit 3), naming it.
func (e *invocation) writeJSON(v any) int {
	out, err := encodeJSON(v, true)
	if err != nil {
		return e.fail(exitConfig, "%s", text.Escape(err.Error()))
	}
	e.raw.Write(out)
	return exitOK
}
