// Package multienv answers, at service start-up, in a CI job or on a laptop,
// one question: which environment am I in? Environments, runtime detection
// and resolution rules live in a TOML file (or the embedded default); the
// runtime is detected first, then the rules pick the environment.
//
// # Start-up
//
// A service calls [Start] once. It finds the configuration (the file
// MULTIENV_CONFIG names, else multienv.toml from the working directory up
// to the repository root, else the embedded default, see [Locate]), loads
// it over its bases, detects the runtime from the process environment,
// applies the rules, and returns the [Config], the [Result] and the
// [Values] of the environment:
//
//	s, err := multienv.Start(multienv.RequireFile())
//	if err != nil {
//		log.Fatal(err) // no file, a typo such as PRD or prod: it fails here, loudly
//	}
//	if s.Result.Env.Kind == multienv.KindProduction { ... }
//	bucket, err := s.Values.String("bucket")
//
// The [Result] says which environment (ID, the declared [Environment] and
// the Instance), which runtime and group, whether the CI job builds a pull
// request, which rule and variable decided, and which file (Config: the
// path, or DefaultFile). [RequireFile] makes finding no file an error,
// so that a service run outside its repository stops at once rather than
// use the embedded default. [Detect] gives the Result alone.
//
// # Values
//
// [values] declares every value a service reads, with its default; an
// environment overrides some. [Config.Values] merges them for a Result
// (tables key by key, other values replaced, {id}, {env} and {instance}
// filled) into [Values]: typed getters (String, Int, Float, Bool), Get,
// Map, Unmarshal into a struct, a koanf provider, and Origin and File, which
// say where each value came from.
//
// # Bases
//
// A file may extend base files (extends = ["../platform/multienv.toml"]),
// and a platform module may supply a base as bytes ([Base], [WithBases],
// or the bases of [Load] and [LoadBytes]). Environments, runtimes, rules and
// values merge by name, bases first; what a base declares, a file may add
// to and narrow, never weaken: it may not change an environment's kind,
// widen or remove an allow, or turn a base's rule into one that yields a
// protected environment. Each problem is reported in the file where it is.
//
// # Control
//
// Code that wants control over the file or the process inputs calls [Load],
// [LoadBytes] or [Default], then [Config.Resolve] with [Inputs]:
// [ProcessInputs] for the running process, [EnvInputs] for a map (tests).
// [Config.Explain] also returns the [Trace] of every step. A [Config] is
// safe for concurrent use, and Resolve allocates nothing when it succeeds,
// but the text of a fact composed of several variables (GitHub's build
// URL) and the event payload, where a fact is read from it.
//
// # Errors
//
// Every error matches one of the Err constants with [errors.Is], and its
// type gives the details with [errors.As]: a file that cannot be read or
// does not pass the checks is a [*ConfigError] (ErrInvalidConfig), a value
// that names no environment is a [*ValueError] (ErrInvalidName,
// ErrUnknownEnvironment, ErrUnknownRuntime), no value at all is a
// [*NothingSetError] (ErrNothingSet), and a protected environment chosen
// where its allow admits no one is a [*ProtectedError] (ErrProtected).
//
// # CI facts and rules that decide from them
//
// In a CI job, the Result also carries what the vendor's documented
// variables (and, on GitHub, its event payload file) say of the build: PR,
// PRNumber, Branch, BaseBranch, Tag, Commit, Build, BuildURL, Repo, Fork
// (whether a pull request comes from a fork; unknown is never false) and
// Event (push, pull_request, tag, schedule, manual, api or other). A rule
// of the file may decide from them (when = [{ pr = true }],
// [{ branch = ["main"] }], [{ tag = ["v*"] }], [{ fork = false }],
// [{ event = ["push", "tag"] }]),
// make an instance from them (default = "sbx-pr{pr_number}"), and an
// environment may be protected (allow = [{ groups = ["ci"], tag = ["v*"] }]):
// see examples/github-flow.toml.
package multienv

import (
	"os"

	"github.com/multienv/multienv/config"
	"github.com/multienv/multienv/resolver"
	"github.com/multienv/multienv/schema"
)

// Discovery's names: the variable that names the file, and the file
// looked for.
const (
	// ConfigVariable names the TOML file when no path is given.
	ConfigVariable = "MULTIENV_CONFIG"
	// FileName is the file discovery looks for, from the working directory
	// up to the repository root.
	FileName = "multienv.toml"
	// DefaultFile is the File of the embedded default configuration.
	DefaultFile = config.DefaultFile
	// CatalogOrigin is the Origin of a runtime of the built-in catalog.
	CatalogOrigin = config.CatalogOrigin
)

// Config is a loaded, checked configuration, ready to resolve. It is safe
// for concurrent use, and nothing it returns can change it.
type Config struct {
	r     *resolver.Resolver
	found string
}

func newConfig(c *config.Config, err error) (*Config, error) {
	if err != nil {
		return nil, configError(err)
	}
	return &Config{r: resolver.New(c)}, nil
}

// Load reads and checks the TOML file at path, merged over its bases: the
// bases given (see Base), then those the file names with extends. A file
// that cannot be read or does not pass the checks gives a *ConfigError,
// which wraps the cause: errors.Is(err, fs.ErrNotExist) holds for a
// missing file.
func Load(path string, bases ...Base) (*Config, error) {
	return newConfig(config.Load(path, configBases(bases)...))
}

// LoadBytes checks data, the TOML text of a file called name (the name is
// used in messages and as the File), merged over its bases as Load does;
// the bases the file names are relative to the directory of name.
func LoadBytes(name string, data []byte, bases ...Base) (*Config, error) {
	return newConfig(config.Parse(name, data, configBases(bases)...))
}

// Default returns the embedded default configuration: the seed's
// recommended setup, examples/multienv.toml of this module.
func Default() (*Config, error) { return newConfig(config.Default()) }

// Open loads the configuration at loc (the embedded default when loc.Path
// is empty), and records loc.How as its Found.
func Open(loc Location) (*Config, error) { return OpenWith(loc, schema.Judge{}) }

// OpenWith is Open with the file read and checked by j: the zero Judge
// for the library's own path (koanf's TOML parser and the validator
// generated from the schema), which Load and Open use and which links no
// JSON Schema library; or reference.Judge() of package schema/reference
// (koanf's loader and the full JSON Schema validator), which `resolver
// check` uses. Both report the same problems at the same positions.
func OpenWith(loc Location, j schema.Judge) (*Config, error) {
	var c *Config
	var err error
	if loc.Path == "" {
		c, err = Default()
	} else {
		c, err = newConfig(config.LoadWith(loc.Path, j))
	}
	if err != nil {
		return nil, err
	}
	c.found = loc.How
	return c, nil
}

// Detect resolves the environment of the running process, with the
// configuration discovery finds from the working directory (see Locate).
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
	return c.Resolve(ProcessInputs())
}

// Resolve detects the runtime from f and applies the rules. It allocates
// nothing when it succeeds, but a composed fact's text and the parsed event
// payload, where a fact is read from it.
func (c *Config) Resolve(f Inputs) (Result, error) {
	return c.result(c.r.Resolve(resolver.Inputs(f), nil))
}

// ResolveAs resolves to id, an environment id a person names (as with
// resolver run --env), as if a rule named variable had yielded it: the
// runtime is detected and the facts read as Resolve does, and a protected
// environment whose allow admits no table of this job is refused with
// ErrProtected, as it would be from USER_ENV_NAME. An id that is not
// declared is an error naming variable.
func (c *Config) ResolveAs(f Inputs, variable, id string) (Result, error) {
	return c.result(c.r.ResolveAs(resolver.Inputs(f), variable, id))
}

// Explain resolves as Resolve does and also returns every step taken: the
// runtime detected and by what, each rule and what it read. The trace is
// there on failure too, up to the step that failed.
func (c *Config) Explain(f Inputs) (Result, *Trace, error) {
	t := &Trace{RuntimeVariable: c.def().RuntimeVariable, Facts: map[string]string{}, Rules: []RuleStep{}}
	res, err := c.result(c.r.Resolve(resolver.Inputs(f), t.hooks(c.def())))
	return res, t, err
}

// result is the engine's decision in the front door's terms, without
// allocating.
func (c *Config) result(d resolver.Decision, err error) (Result, error) {
	if err != nil {
		return Result{}, resolveError(err)
	}
	cfg := c.def()
	rt, rule, fs := &cfg.Runtimes[d.Runtime], d.Source, &d.Facts
	if d.Rule >= 0 {
		rule = cfg.Rules[d.Rule].Name
	}
	return Result{ID: d.ID, Env: environmentOf(cfg.Envs[d.Env]), Instance: d.Instance, Runtime: rt.Name, Group: rt.Group, PR: d.PR,
		PRNumber: fs[config.FactPRNumber], Branch: fs[config.FactBranch], BaseBranch: fs[config.FactBaseBranch],
		Tag: fs[config.FactTag], Commit: fs[config.FactCommit], Build: fs[config.FactBuild], BuildURL: fs[config.FactBuildURL],
		Repo: fs[config.FactRepo], Fork: forkOf(fs[config.FactFork]), Event: fs[config.FactEvent],
		Source: d.Source, Rule: rule, Config: cfg.File}, nil
}

// Runtime detects the runtime alone.
func (c *Config) Runtime(f Inputs) (Runtime, error) {
	i, err := c.r.Runtime(resolver.Inputs(f))
	if err != nil {
		return Runtime{}, resolveError(err)
	}
	return runtimeOf(&c.def().Runtimes[i]), nil
}

// Lookup finds the environment an id names (prd, or sbx-101 for an
// instance of sbx) and returns it with the instance. An id that is not
// well formed or names no declared environment is a *ValueError, worded as
// when a variable supplies it.
func (c *Config) Lookup(id string) (Environment, string, error) {
	i, instance, err := c.r.Lookup("", id)
	if err != nil {
		return Environment{}, "", resolveError(err)
	}
	return environmentOf(c.def().Envs[i]), instance, nil
}

// Environments returns the declared environments, in order.
func (c *Config) Environments() []Environment { return each(c.def().Envs, environmentOf) }

// Workloads returns the environments code is deployed to: all but those of
// kind devops, in order.
func (c *Config) Workloads() []Environment { return each(c.def().Workloads(), environmentOf) }

// Allow describes the conditions under which a protected environment may
// be chosen, one of which must hold (`group ci and not a pull request and
// tag matches "v*"`); it is empty for an environment that is not
// protected, or not declared.
func (c *Config) Allow(env string) []string {
	for _, e := range c.def().Envs {
		if e.Name == env {
			return each(e.Allow, config.Condition.String)
		}
	}
	return nil
}

// Runtimes returns the runtimes in detection order: the file's own, then
// the built-in catalog's (unless the file sets catalog = false).
func (c *Config) Runtimes() []Runtime {
	return each(c.def().Runtimes, func(rt config.Runtime) Runtime { return runtimeOf(&rt) })
}

// Rules returns the resolution rules, in the order they are tried.
func (c *Config) Rules() []Rule { return each(c.def().Rules, ruleOf) }

// RuntimeVariable is the variable that forces the runtime by its name
// (USER_RUNTIME_NAME unless the file names another).
func (c *Config) RuntimeVariable() string { return c.def().RuntimeVariable }

// File is the file the configuration came from, or DefaultFile.
func (c *Config) File() string { return c.def().File }

// Files are the files the configuration was merged from: its bases
// first, in the order they were merged, then File. A configuration
// that extends nothing has one file, File.
func (c *Config) Files() []string {
	if f := c.def().Files; f != nil {
		return clone(f)
	}
	return []string{c.File()}
}

// Found says how discovery found the configuration (Location.How), when
// it was opened with Open; it is empty otherwise.
func (c *Config) Found() string { return c.found }

// Warnings are the findings that do not stop the configuration from
// working: a rule that can never apply, an environment no rule can reach, a
// variable named like a secret. `resolver check --strict` fails on them.
func (c *Config) Warnings() []Problem { return problemsOf(c.def().Warnings, SeverityWarning) }

// def is the checked configuration; the front door hands out copies of
// its parts only.
func (c *Config) def() *config.Config { return c.r.Config() }

// Schema returns the JSON Schema of the TOML format (draft 2020-12), the
// one `resolver schema` prints and editors check files with.
func Schema() []byte { return schema.JSON() }
