package multienv

import (
	"os"

	"github.com/multienv/multienv/config"
)

// Base is a base configuration given as bytes: the file a platform team's
// Go module embeds (//go:embed multienv.toml), for every service that
// imports it. Name is used in messages and as the origin of what it declares.
// Bases given in Go are merged first, in order, then the bases the file
// names with extends, then the file.
type Base struct {
	Name string
	Data []byte
}

func configBases(bases []Base) []config.Base {
	return each(bases, func(b Base) config.Base { return config.Base(b) })
}

// Startup is what a service needs at start-up: the configuration, the
// environment it resolved to, and that environment's values.
type Startup struct {
	Config *Config
	Result Result
	Values *Values
}

// File is the file the configuration came from, or DefaultFile (as Result.Config).
func (s *Startup) File() string { return s.Config.File() }

// Option changes what Start does.
type Option func(*startOptions)

type startOptions struct {
	requireFile bool
	bases       []Base
	inputs      Inputs
	dir, file   string
	fileGiven   bool  // WithFile was given, maybe with an empty name
	wdErr       error // why dir, the working directory, is empty; nil after WithDir
}

// RequireFile makes Start fail when discovery finds no file, rather than
// use the embedded default: a service run outside its repository stops at
// once, not later on a value the default lacks.
func RequireFile() Option { return func(o *startOptions) { o.requireFile = true } }

// WithBases merges bases under the file, before the bases it names itself.
// When discovery finds no file, the bases alone are the configuration (the
// last one as the file), unless RequireFile is given.
func WithBases(bases ...Base) Option {
	return func(o *startOptions) { o.bases = append(o.bases, bases...) }
}

// WithInputs resolves with in, rather than the running process, and reads
// MULTIENV_CONFIG with in.Lookup.
func WithInputs(in Inputs) Option { return func(o *startOptions) { o.inputs = in } }

// WithDir starts discovery in dir rather than the working directory.
func WithDir(dir string) Option { return func(o *startOptions) { o.dir, o.wdErr = dir, nil } }

// WithFile names the file, as --config does: discovery is skipped. An
// empty name is an error, never discovery.
func WithFile(path string) Option { return func(o *startOptions) { o.file, o.fileGiven = path, true } }

// Start is the one call of a service's start-up: it finds the configuration
// as Locate does (the file MULTIENV_CONFIG names, else the nearest
// multienv.toml up to the repository root, else the embedded default),
// loads it over its bases, and resolves the running process
// and its values. Its errors are those of Locate, Load, Config.Resolve and
// Config.Values, and with RequireFile an ErrInvalidConfig when no file is found.
func Start(opts ...Option) (*Startup, error) {
	dir, wdErr := os.Getwd()
	o := startOptions{inputs: ProcessInputs(), dir: dir, wdErr: wdErr}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	if o.fileGiven && o.file == "" {
		return nil, &locateError{msg: "WithFile needs a file name"}
	}
	loc, err := locate(o.file, o.inputs.Lookup, o.dir, o.wdErr)
	if err != nil {
		return nil, err
	}
	var cfg *Config
	switch {
	case loc.Path != "":
		cfg, err = Load(loc.Path, o.bases...)
	case o.requireFile:
		return nil, &locateError{msg: "no " + FileName + " found: " + loc.How + "; this program requires one"}
	case len(o.bases) > 0:
		last := o.bases[len(o.bases)-1]
		cfg, err = LoadBytes(last.Name, last.Data, o.bases[:len(o.bases)-1]...)
		loc.How = "the bases given in Go (no " + FileName + " found)"
	default:
		cfg, err = Default()
	}
	if err != nil {
		return nil, err
	}
	cfg.found = loc.How
	res, err := cfg.Resolve(o.inputs)
	if err != nil {
		return nil, err
	}
	values, err := cfg.Values(res)
	if err != nil {
		return nil, err
	}
	return &Startup{Config: cfg, Result: res, Values: values}, nil
}
