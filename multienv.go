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
	"os"
	"path/filepath"

	"github.com/multienv/multienv/config"
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
	// FileName is the file discovery looks for, from the working directory up.
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
// empty, else the file MULTIENV_CONFIG names, else multienv.toml in dir or
// its nearest parent, else the embedded default (empty Path).
func Locate(flagPath string, lookup func(string) (string, bool), dir string) (Location, error) {
	if flagPath != "" {
		return Location{Path: flagPath, How: "--config"}, nil
	}
	if lookup != nil {
		if p, _ := lookup(ConfigVariable); p != "" {
			return Location{Path: p, How: ConfigVariable}, nil
		}
	}
	if dir != "" {
		for d := dir; ; {
			p := filepath.Join(d, FileName)
			// Lstat: a dangling link of that name is reported, not skipped.
			if st, err := os.Lstat(p); err == nil && !st.IsDir() {
				return Location{Path: p, How: "nearest " + FileName + " from " + dir}, nil
			}
			parent := filepath.Dir(d)
			if parent == d {
				break
			}
			d = parent
		}
	}
	return Location{How: "embedded default (no --config, no " + ConfigVariable + ", no " + FileName + " here or above)"}, nil
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
	dir, _ := os.Getwd()
	loc, err := Locate("", os.LookupEnv, dir)
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
