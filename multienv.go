// Package multienv answers, at service start-up, in a CI job or on a laptop,
// one question: which environment am I in? Environments, runtime detection
// and resolution rules live in a TOML file (or the embedded default); the
// runtime is detected first, then the rules pick the environment.
//
// A service calls [Start] once: it finds the configuration as [Locate] does,
// loads it over its bases, resolves the running process and returns the
// [Config], the [Result] and the environment's [Values]:
//
//	s, err := multienv.Start(multienv.RequireFile())
//	if err != nil {
//		log.Fatal(err) // no file, a typo such as PRD or prod: it fails here, loudly
//	}
//	if s.Result.Env.Kind == multienv.KindProduction { ... }
//	bucket, err := s.Values.String("bucket")
//
// [Detect] gives the Result alone. [Load], [LoadBytes], [Default] or [Open]
// give a [Config], whose Resolve takes [Inputs] ([ProcessInputs], or
// [EnvInputs] for tests) and whose Explain also returns the [Trace]. [values]
// declares every value a service reads, with its default; an environment
// overrides some; [Config.Values] merges them for a Result.
//
// A file may extend base files (extends = ["../platform/multienv.toml"]),
// and a platform module may supply a base as bytes ([Base], [WithBases]).
// Environments, runtimes, rules and values merge by name, bases first; what
// a base declares, a file may add to and narrow, never weaken: it may not
// remove an environment, change its kind, widen or remove an allow, make a
// base's rule yield a protected environment (or read another variable, or
// apply more widely while it can), or add or replace a runtime that a base's
// allow admits.
//
// In a CI job, the Result also carries what the vendor's documented
// variables (and, on GitHub, its event payload file) say of the build: PR,
// Branch, Tag, Fork, Event and the rest. A rule may decide from them
// (when = [{ branch = ["main"] }]) or make an instance from them
// (default = "sbx-pr{pr_number}"), and an environment may be protected
// (allow = [{ groups = ["ci"], tag = ["v*"] }]): see examples/github-flow.toml.
//
// Every error of finding, loading and resolving a configuration and of
// reading its values by key (Locate, Load, LoadBytes, Default, Start,
// Detect, Resolve, Values, Values.Get and its typed forms) matches one of
// the Err constants with [errors.Is], and its type gives the details with
// [errors.As]: [*ConfigError], [*ValueError], [*NothingSetError],
// [*ProtectedError] or [*KeyError]. Values.Unmarshal returns encoding/json's
// errors, and ReadPayloadFile the file system's.
package multienv

import (
	"errors"
	"os"

	"github.com/multienv/multienv/config"
	"github.com/multienv/multienv/resolver"
	"github.com/multienv/multienv/schema"
)

// The names of discovery, and of where a configuration comes from.
const (
	ConfigVariable = "MULTIENV_CONFIG"    // names the TOML file when no path is given
	FileName       = "multienv.toml"      // the file discovery looks for
	DefaultFile    = config.DefaultFile   // the File of the embedded default configuration
	CatalogOrigin  = config.CatalogOrigin // the Origin of a runtime of the built-in catalog
)

// Config is a checked configuration, ready to resolve: safe for concurrent
// use, and nothing it returns can change it.
type Config struct {
	r     *resolver.Resolver
	found string
}

func newConfig(c *config.Config, err error) (*Config, error) {
	var ce *config.Error
	if errors.As(err, &ce) {
		return nil, &ConfigError{Problems: problemsOf(ce.Problems, SeverityError), err: ce}
	}
	if err != nil {
		return nil, err
	}
	return &Config{r: resolver.New(c)}, nil
}

// Load reads and checks the TOML file at path, over the bases given, then
// those it names with extends. An unreadable or invalid file gives a
// *ConfigError, wrapping the cause (fs.ErrNotExist for a missing file).
func Load(path string, bases ...Base) (*Config, error) {
	return newConfig(config.Load(path, configBases(bases)...))
}

// LoadBytes is Load of data, the TOML text of a file called name: the name
// of messages and File, and the directory its extends are relative to.
func LoadBytes(name string, data []byte, bases ...Base) (*Config, error) {
	return newConfig(config.Parse(name, data, configBases(bases)...))
}

// Default returns the embedded default: examples/multienv.toml, the seed's recommended setup.
func Default() (*Config, error) { return newConfig(config.Default()) }

// Open loads loc's file (the embedded default when loc.Path is empty), with loc.How as Found.
func Open(loc Location) (*Config, error) { return OpenWith(loc, schema.Judge{}) }

// OpenWith is Open with the file read and checked by j: the zero Judge is
// the library's own, which links no JSON Schema library; reference.Judge()
// of package schema/reference, which `resolver check` uses, runs a full
// JSON Schema validator. Both report the same problems.
func OpenWith(loc Location, j schema.Judge) (*Config, error) {
	load := config.Default
	if loc.Path != "" {
		load = func() (*config.Config, error) { return config.LoadWith(loc.Path, j) }
	}
	c, err := newConfig(load())
	if err != nil {
		return nil, err
	}
	c.found = loc.How
	return c, nil
}

// Detect resolves the running process with the configuration Locate finds from the working directory.
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
// nothing when it succeeds, but a composed fact's text (GitHub's build URL)
// and the parsed event payload, where a fact is read from it.
func (c *Config) Resolve(f Inputs) (Result, error) {
	return c.result(c.r.Resolve(resolver.Inputs(f), nil))
}

// ResolveAs resolves to id as if a rule had read it from variable (`resolver
// run --env`): an undeclared id is an error naming variable, and a protected
// environment is refused (ErrProtected) unless its allow admits this job.
func (c *Config) ResolveAs(f Inputs, variable, id string) (Result, error) {
	return c.result(c.r.ResolveAs(resolver.Inputs(f), variable, id))
}

// Explain resolves as Resolve does and also returns the Trace of every step, on failure too.
func (c *Config) Explain(f Inputs) (Result, *Trace, error) {
	t := &Trace{RuntimeVariable: c.def().RuntimeVariable, Facts: map[string]string{}, Rules: []RuleStep{}}
	res, err := c.result(c.r.Resolve(resolver.Inputs(f), t.hooks(c.def())))
	return res, t, err
}

// result is the engine's decision in the front door's terms, without allocating.
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
	return runtimeOf(c.def().Runtimes[i]), nil
}

// Lookup returns the environment an id names (prd; sbx for sbx-101) and the
// instance. An id that names none is a *ValueError.
func (c *Config) Lookup(id string) (Environment, string, error) {
	i, instance, err := c.r.Lookup("", id)
	if err != nil {
		return Environment{}, "", resolveError(err)
	}
	return environmentOf(c.def().Envs[i]), instance, nil
}

// Environments returns the declared environments, in order.
func (c *Config) Environments() []Environment { return each(c.def().Envs, environmentOf) }

// Workloads returns the environments code is deployed to, in order: all but devops.
func (c *Config) Workloads() []Environment { return each(c.def().Workloads(), environmentOf) }

// Allow describes the conditions of a protected environment's allow, of
// which one must hold (`group ci and not a pull request and tag matches
// "v*"`); empty for an environment not protected, or not declared.
func (c *Config) Allow(env string) []string {
	for _, e := range c.def().Envs {
		if e.Name == env {
			return each(e.Allow, config.Condition.String)
		}
	}
	return nil
}

// Runtimes returns the runtimes in detection order: the file's, then the
// catalog's (unless catalog = false).
func (c *Config) Runtimes() []Runtime { return each(c.def().Runtimes, runtimeOf) }

// Rules returns the resolution rules, in the order they are tried.
func (c *Config) Rules() []Rule { return each(c.def().Rules, ruleOf) }

// RuntimeVariable forces the runtime by its name (USER_RUNTIME_NAME unless the file names another).
func (c *Config) RuntimeVariable() string { return c.def().RuntimeVariable }

// File is the file the configuration came from, or DefaultFile.
func (c *Config) File() string { return c.def().File }

// Files are the files merged: the bases, in merge order, then File.
func (c *Config) Files() []string {
	if f := c.def().Files; f != nil {
		return clone(f)
	}
	return []string{c.File()}
}

// Found is how discovery found the configuration (Location.How) for Open and Start; else empty.
func (c *Config) Found() string { return c.found }

// Warnings are findings that do not stop the configuration from working (a
// rule that never applies, an environment no rule reaches, a secret-like
// variable); `resolver check --strict` fails on them.
func (c *Config) Warnings() []Problem { return problemsOf(c.def().Warnings, SeverityWarning) }

// def is the checked configuration, of which the front door hands out copies only.
func (c *Config) def() *config.Config { return c.r.Config() }

// Schema returns the JSON Schema (draft 2020-12) of the TOML format.
func Schema() []byte { return schema.JSON() }
