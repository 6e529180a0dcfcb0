// Package multienv answers, at service start-up, in a CI job or on a laptop,
// one question: which environment am I in? Environments, runtime detection
// and resolution rules live in a TOML file (or the embedded default); the
// runtime is detected first, then the rules pick the environment.
//
// A service calls Detect once at start-up. Code that wants control over the
// file or the process facts calls Load (or Default) and then Resolve.
package multienv

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/multienv/multienv/config"
	"github.com/multienv/multienv/internal/text"
	"github.com/multienv/multienv/resolver"
)

// Environment is a declared environment.
type Environment = config.Env

// Result is a resolved environment and how it was reached.
type Result = resolver.Result

// Facts are the process facts resolution reads: variables, arguments, files.
type Facts = resolver.Facts

// Trace is the step-by-step record Explain returns.
type Trace = resolver.Trace

// RuleStep is what one rule did, in a Trace.
type RuleStep = resolver.RuleStep

// Errors, for errors.Is. Configuration errors are *config.Error; value
// errors are *resolver.ValueError; ErrNothingSet errors are
// *resolver.NothingSetError.
var (
	ErrUnknownEnvironment = resolver.ErrUnknownEnvironment
	ErrInvalidName        = resolver.ErrInvalidName
	ErrNothingSet         = resolver.ErrNothingSet
	ErrUnknownRuntime     = resolver.ErrUnknownRuntime
	ErrInvalidConfig      = config.ErrInvalid
)

// Discovery's names: the variable that names the file, and the file
// looked for.
const (
	// ConfigVariable names the TOML file when no path is given.
	ConfigVariable = "MULTIENV_CONFIG"
	// FileName is the file discovery looks for, from the working directory
	// up to the repository root.
	FileName = "multienv.toml"
)

// Config is a loaded configuration, ready to resolve.
type Config struct {
	r *resolver.Resolver
	// Found says how the file was found (Location.How); empty when
	// loaded directly.
	Found string
}

// Runtime is a detected runtime.
type Runtime struct {
	Name  string
	Group string
}

func wrap(c *config.Config, err error) (*Config, error) {
	if err != nil {
		return nil, err
	}
	return &Config{r: resolver.New(c)}, nil
}

// Load reads and checks the TOML file at path.
func Load(path string) (*Config, error) { return wrap(config.Load(path)) }

// LoadBytes checks data, the TOML text of a file called name.
func LoadBytes(name string, data []byte) (*Config, error) { return wrap(config.Parse(name, data)) }

// Default returns the embedded default configuration (examples/multienv.toml).
func Default() (*Config, error) { return wrap(config.Default()) }

// Location is where discovery found the configuration.
type Location struct {
	// Path is the file, or empty for the embedded default.
	Path string
	// How says which step of discovery found it.
	How string
}

// Locate finds the configuration the way the CLI does: flagPath when not
// empty, else the file MULTIENV_CONFIG names, else the multienv.toml that
// discovery finds from dir, else the embedded default (empty Path).
//
// Discovery looks for multienv.toml in dir, then in each parent, and stops
// after the repository root: the nearest directory, from dir up, that holds
// .git (a folder or a file). Outside a repository it looks in dir only, so
// a file planted above the root, or in /tmp, is never read. A name it finds
// but cannot read (a dangling link, a directory, a parent it may not
// search) is an error, never skipped. A relative dir is taken from the
// working directory; an empty dir, as when the working directory was
// deleted, is an error unless flagPath or MULTIENV_CONFIG names the file.
//
// An error matches ErrInvalidConfig and wraps the cause when there is one.
func Locate(flagPath string, lookup func(string) (string, bool), dir string) (Location, error) {
	return locate(flagPath, lookup, dir, nil)
}

// locate is Locate; wdErr is why dir is empty, when it is known.
func locate(flagPath string, lookup func(string) (string, bool), dir string, wdErr error) (Location, error) {
	if flagPath != "" {
		return Location{Path: flagPath, How: "--config"}, nil
	}
	if lookup != nil {
		if p, _ := lookup(ConfigVariable); p != "" {
			return Location{Path: p, How: ConfigVariable}, nil
		}
	}
	if dir == "" {
		return Location{}, &locateError{
			msg:  "cannot look for " + FileName + ": no working directory to start from",
			err:  wdErr,
			hint: "; name the file with --config or " + ConfigVariable,
		}
	}
	if !filepath.IsAbs(dir) {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return Location{}, &locateError{msg: "cannot look for " + FileName + " from " + text.Path(dir), err: err}
		}
		dir = abs
	}
	return discover(filepath.Clean(dir))
}

// discover looks for FileName from dir, an absolute clean path, up to the
// repository root, or in dir alone outside a repository.
func discover(dir string) (Location, error) {
	root, err := repositoryRoot(dir)
	if err != nil {
		return Location{}, err
	}
	for d := dir; ; {
		path := filepath.Join(d, FileName)
		found, err := usable(path)
		if err != nil {
			return Location{}, err
		}
		if found {
			if root == "" {
				return Location{Path: path, How: FileName + " in " + text.Path(dir) + " " + outsideRepository}, nil
			}
			return Location{Path: path, How: "nearest " + FileName + " from " + text.Path(dir) + " (searched up to the repository root " + text.Path(root) + ")"}, nil
		}
		parent := filepath.Dir(d)
		if root == "" || d == root || parent == d {
			break
		}
		d = parent
	}
	how := "embedded default (no --config, no " + ConfigVariable + ", no " + FileName + " in " + text.Path(dir)
	if root == "" {
		return Location{How: how + " " + outsideRepository + ")"}, nil
	}
	return Location{How: how + " up to the repository root " + text.Path(root) + ")"}, nil
}

const outsideRepository = "(not in a repository: only the working directory is searched)"

// repositoryRoot returns the nearest directory from dir up that holds
// .git, or "" when none does. It looks at nothing but .git names.
func repositoryRoot(dir string) (string, error) {
	for d := dir; ; {
		git := filepath.Join(d, ".git")
		_, err := os.Lstat(git)
		if err == nil {
			return d, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", &locateError{msg: "cannot look for the repository root: " + text.Path(git), err: err}
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", nil
		}
		d = parent
	}
}

// usable reports whether path names a file discovery can use; a name that
// is there but is no readable regular file is an error.
func usable(path string) (bool, error) {
	st, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, &locateError{msg: "cannot look for " + FileName + ": " + text.Path(path), err: err}
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		st, err = os.Stat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return false, &locateError{msg: "cannot use " + text.Path(path) + ", found by discovery: it is a link to nothing", err: err}
		}
		if err != nil {
			return false, &locateError{msg: "cannot use " + text.Path(path) + ", found by discovery", err: err}
		}
	}
	switch {
	case st.IsDir():
		return false, &locateError{msg: "cannot use " + text.Path(path) + ", found by discovery: it is a directory"}
	case !st.Mode().IsRegular():
		return false, &locateError{msg: "cannot use " + text.Path(path) + ", found by discovery: it is not a regular file"}
	}
	return true, nil
}

// locateError is a failure of discovery: msg says what and where, err is
// the cause (nil when there is none) and hint what to do.
type locateError struct {
	msg  string
	err  error
	hint string
}

func (e *locateError) Error() string {
	if e.err == nil {
		return e.msg + e.hint
	}
	cause := e.err
	// The message names the path already.
	var pe *fs.PathError
	if errors.As(cause, &pe) {
		cause = pe.Err
	}
	return e.msg + ": " + cause.Error() + e.hint
}

// Unwrap gives the cause, and ErrInvalidConfig: the configuration cannot
// be read.
func (e *locateError) Unwrap() []error {
	if e.err == nil {
		return []error{ErrInvalidConfig}
	}
	return []error{e.err, ErrInvalidConfig}
}

// Open loads the configuration at loc (the embedded default when loc.Path
// is empty).
func Open(loc Location) (*Config, error) {
	var c *Config
	var err error
	if loc.Path == "" {
		c, err = Default()
	} else {
		c, err = Load(loc.Path)
	}
	if err != nil {
		return nil, err
	}
	c.Found = loc.How
	return c, nil
}

// ProcessFacts returns the facts of the running process: its environment,
// arguments and file system.
func ProcessFacts() Facts {
	return Facts{
		Lookup: os.LookupEnv,
		Args:   os.Args,
		FileExists: func(path string) bool {
			_, err := os.Stat(path)
			return err == nil
		},
	}
}

// EnvFacts returns facts made of the variables in env only, for tests and
// for callers that hold the environment as a map.
func EnvFacts(env map[string]string) Facts {
	return Facts{Lookup: resolver.MapLookup(env)}
}

// Detect resolves the environment of the running process, with the
// configuration discovery finds from the working directory.
func Detect() (Result, error) {
	dir, wdErr := os.Getwd()
	loc, err := locate("", os.LookupEnv, dir, wdErr)
	if err != nil {
		return Result{}, err
	}
	c, err := Open(loc)
	if err != nil {
		return Result{}, err
	}
	return c.Resolve(ProcessFacts())
}

// Resolve detects the runtime from f and applies the rules.
func (c *Config) Resolve(f Facts) (Result, error) { return c.r.Resolve(f) }

// Explain resolves as Resolve does and also returns every step taken.
func (c *Config) Explain(f Facts) (Result, *Trace, error) { return c.r.Explain(f) }

// Runtime detects the runtime alone.
func (c *Config) Runtime(f Facts) (Runtime, error) {
	rt, err := c.r.Runtime(f)
	if err != nil {
		return Runtime{}, err
	}
	return Runtime{Name: rt.Name, Group: string(rt.Group)}, nil
}

// Check reports whether id (prd, sbx-101) names a declared environment or
// an instance of one, and returns the environment and instance.
func (c *Config) Check(id string) (Environment, string, error) {
	return c.r.Lookup("", id)
}

// Environments returns the declared environments, in order. The slice is
// the Config's own: read it, do not change it.
func (c *Config) Environments() []Environment { return c.r.Config().Envs }

// Workloads returns the environments code is deployed to: all but those of
// kind devops, in order.
func (c *Config) Workloads() []Environment { return c.r.Config().Workloads() }

// Source is the file the configuration came from, or "(default)".
func (c *Config) Source() string { return c.r.Config().Source }

// Warnings are the findings that do not stop the configuration from
// working: a rule that can never apply, an environment no rule can reach.
func (c *Config) Warnings() []config.Problem { return c.r.Config().Warnings }

// Definition returns the checked configuration, for tools that show it
// (the resolver command lists its runtimes). It is the Config's own: read
// it, do not change it, or resolution goes wrong.
func (c *Config) Definition() *config.Config { return c.r.Config() }

// ConfigErrors returns the problems of a configuration error, or nil when
// err is not one.
func ConfigErrors(err error) []config.Problem {
	var ce *config.Error
	if errors.As(err, &ce) {
		return ce.Problems
	}
	return nil
}
