// Package resolver is the engine that decides the environment: from a
// checked configuration and the inputs of a process, it detects the runtime,
// reads the CI facts, then applies the rules in order, evaluating the
// signals, conditions, fact sources, templates and ids config has checked.
// It answers in config's terms (a Decision of indices into the Config, or a
// Fault) and reports its steps through Hooks; the front door, package
// multienv, makes its documented types and the errors' wording of them.
//
// A Resolver is pure and safe for concurrent use: it reads nothing but the
// Inputs it is given, and resolving allocates nothing on success but the
// text of a composed fact (GitHub's build_url) and, where a fact is read
// from it, the parsed event payload.
package resolver

import (
	"errors"
	"slices"
	"strings"

	"github.com/multienv/multienv/config"
	"github.com/multienv/multienv/internal/payload"
	"github.com/multienv/multienv/internal/text"
)

// Decision is the answer, in the Config's terms.
type Decision struct {
	// Env, Runtime and Rule are indices into the Config's Envs, Runtimes
	// and Rules; Rule is -1 for ResolveAs, whose rule is named Source.
	Env, Runtime, Rule int
	// ID is the environment id as given (sbx-101), Instance its instance
	// (101) or empty, and Source the variable that supplied it or "default".
	ID, Instance, Source string
	// PR is true when the build is for a pull request.
	PR bool
	// Facts are the CI facts of the build, indexed by config.Fact.
	Facts config.Facts
}

// Hooks are called, each when set, at the steps of a resolution, as
// net/http/httptrace's are: a resolution without them costs nothing more.
type Hooks struct {
	// Runtime: the runtime of index i is detected, forced by the runtime
	// variable or by signal (nil for a runtime without when; the Config's,
	// never to be changed).
	Runtime func(i int, forced bool, signal config.Signal)
	// Facts: the facts of the build are read; payload says how reading the
	// event payload went, empty when no source asked for it.
	Facts func(facts config.Facts, payload string)
	// Rule: rule k is tried, or passed over when it does not apply; the
	// hooks below concern it.
	Rule func(k int, applies bool)
	// When: the index of the rule's condition that held, or -1.
	When func(held int)
	// Variable: the rule read a variable.
	Variable func(name, value string, set bool)
	// Filled: the rule's template made the id.
	Filled func(id string)
	// Allow: the allow of environment env is checked; held as for When.
	Allow func(env, held int)
	// Yielded: the rule decided, from source (a variable or "default").
	Yielded func(source string)
}

// quiet are the hooks of a resolution nobody listens to.
var quiet Hooks

// Resolver resolves environments for one configuration.
type Resolver struct {
	cfg      *config.Config
	envs     map[string]int // name -> index in cfg.Envs
	names    []string       // environment names
	allowed  []string       // accepted ids, for messages: sbx, sbx-<id>, ...
	runtimes []string       // runtime names
	// The rules' From and each runtime's fact sources, without the variables
	// named like a secret that a file's rules and runtimes read: what they
	// give is printed, so they are never read (config reports them).
	from    [][]string
	sources []*[config.NumFacts][]config.FactSource
}

// New prepares a Resolver for cfg, which must be a checked configuration
// (as config returns it) and must not change afterwards.
func New(cfg *config.Config) *Resolver {
	r := &Resolver{cfg: cfg, envs: make(map[string]int, len(cfg.Envs)), runtimes: make([]string, len(cfg.Runtimes)),
		from: make([][]string, len(cfg.Rules)), sources: make([]*[config.NumFacts][]config.FactSource, len(cfg.Runtimes))}
	for i, e := range cfg.Envs {
		r.envs[e.Name] = i
		r.names = append(r.names, e.Name)
		r.allowed = append(r.allowed, e.Name)
		if e.Instances {
			r.allowed = append(r.allowed, e.Name+"-<id>")
		}
	}
	for k, rule := range cfg.Rules {
		r.from[k] = rule.From
		if slices.ContainsFunc(rule.From, text.IsSecretName) {
			r.from[k] = slices.DeleteFunc(slices.Clone(rule.From), text.IsSecretName)
		}
	}
	readsSecret := func(srcs []config.FactSource) bool { return slices.ContainsFunc(srcs, secretSource) }
	for i := range cfg.Runtimes {
		rt := &cfg.Runtimes[i]
		r.runtimes[i], r.sources[i] = rt.Name, &rt.Facts
		// The catalog reads no secret (its tests hold it to that).
		if rt.Origin != config.CatalogOrigin && slices.ContainsFunc(rt.Facts[:], readsSecret) {
			facts := rt.Facts
			for f := range facts {
				facts[f] = slices.DeleteFunc(slices.Clone(facts[f]), secretSource)
			}
			r.sources[i] = &facts
		}
	}
	return r
}

// secretSource reports whether s reads a variable named like a secret.
func secretSource(s config.FactSource) bool { return slices.ContainsFunc(s.Vars(), text.IsSecretName) }

// Config returns the configuration of the Resolver.
func (r *Resolver) Config() *config.Config { return r.cfg }

// Resolve detects the runtime and applies the rules, calling the hooks
// h sets (h may be nil).
func (r *Resolver) Resolve(f Inputs, h *Hooks) (Decision, error) {
	if h == nil {
		h = &quiet
	}
	b, err := r.start(&f, h)
	if err != nil {
		return Decision{}, err
	}
	for k := range r.cfg.Rules {
		if source, id := r.try(&f, &b, k, h); id != "" {
			return r.yield(&f, &b, k, source, id, h)
		}
	}
	return Decision{}, r.nothingSet(&f, &b)
}

// Runtime detects the runtime alone: its index in the Config's Runtimes.
func (r *Resolver) Runtime(f Inputs) (int, error) {
	i, _, err := r.detect(&f, &quiet)
	return i, err
}

// ResolveAs resolves to id as if a rule had read it from variable: as
// Resolve does, but no rule is tried. It is for an id a person names on the
// command line (--env), which, like a variable, must not reach a protected
// environment the job is not admitted to.
func (r *Resolver) ResolveAs(f Inputs, variable, id string) (Decision, error) {
	b, err := r.start(&f, &quiet)
	if err != nil {
		return Decision{}, err
	}
	return r.yield(&f, &b, -1, variable, id, &quiet)
}

// start detects the runtime and reads what resolution knows of the build.
func (r *Resolver) start(f *Inputs, h *Hooks) (build, error) {
	ri, forced, err := r.detect(f, h)
	if err != nil {
		return build{}, err
	}
	rt := &r.cfg.Runtimes[ri]
	b := build{ri: ri, rt: rt, forced: forced, pr: slices.ContainsFunc(rt.PR, func(sig config.Signal) bool { return holds(f, sig) })}
	b.readFacts(f, r.sources[ri])
	if h.Facts != nil {
		h.Facts(b.facts, b.payloadNote(f))
	}
	return b, nil
}

// try applies rule k, when it applies to the runtime: it returns the id the
// rule yields and its source (a variable or "default"), or no id.
func (r *Resolver) try(f *Inputs, b *build, k int, h *Hooks) (source, id string) {
	rule := &r.cfg.Rules[k]
	applies := rule.AppliesTo(b.rt)
	if h.Rule != nil {
		h.Rule(k, applies)
	}
	if !applies {
		return "", ""
	}
	if len(rule.When) > 0 {
		held := b.firstHeld(f, rule.When, false)
		if h.When != nil {
			h.When(held)
		}
		if held < 0 {
			return "", ""
		}
	}
	for _, name := range r.from[k] {
		v, ok := f.lookup(name)
		if h.Variable != nil {
			h.Variable(name, v, ok)
		}
		if v != "" {
			return name, v
		}
	}
	if rule.Template == nil {
		return "default", rule.Default // config rejects a bad default at load
	}
	id, ok := fill(rule.Template, &b.facts)
	if !ok {
		return "", ""
	}
	if h.Filled != nil {
		h.Filled(id)
	}
	return "default", id
}

// yield checks the id source gave and makes the decision of rule k (-1:
// ResolveAs), once the allow of a protected environment admits the build.
func (r *Resolver) yield(f *Inputs, b *build, k int, source, id string, h *Hooks) (Decision, error) {
	ei, instance, err := r.Lookup(source, id)
	if err != nil {
		return Decision{}, err
	}
	if env := &r.cfg.Envs[ei]; len(env.Allow) > 0 {
		held := b.firstHeld(f, env.Allow, true)
		if h.Allow != nil {
			h.Allow(ei, held)
		}
		if held < 0 {
			e := &Fault{Kind: ErrProtected, ID: id, Env: env.Name, Runtime: b.rt.Name, Group: b.rt.Group, Rule: source, Source: source}
			for _, c := range env.Allow {
				e.Allowed = append(e.Allowed, c.String())
			}
			if k >= 0 {
				e.Rule = r.cfg.Rules[k].Name
			}
			if b.forced {
				e.ForcedBy = r.cfg.RuntimeVariable
			}
			return Decision{}, e
		}
	}
	if h.Yielded != nil {
		h.Yielded(source)
	}
	return Decision{Env: ei, Runtime: b.ri, Rule: k, ID: id, Instance: instance, Source: source, PR: b.pr, Facts: b.facts}, nil
}

// nothingSet is the fault of no rule yielding an id: it names the rules
// that applied (their groups or runtimes matched and a table of their when
// held) and the variables they read, which were all unset or empty.
func (r *Resolver) nothingSet(f *Inputs, b *build) error {
	e := &Fault{Kind: ErrNothingSet, Runtime: b.rt.Name, Group: b.rt.Group, Allowed: r.allowed}
	for k := range r.cfg.Rules {
		rule := &r.cfg.Rules[k]
		if !rule.AppliesTo(b.rt) || len(rule.When) > 0 && b.firstHeld(f, rule.When, false) < 0 {
			continue
		}
		e.Rules = append(e.Rules, rule.Name)
		for _, v := range r.from[k] {
			if !slices.Contains(e.Tried, v) {
				e.Tried = append(e.Tried, v)
			}
		}
	}
	return e
}

// build is what resolution knows of the build: the runtime (forced by the
// runtime variable or not), whether it is for a pull request, the CI facts
// and the event payload, read when a source first needs it.
type build struct {
	ri                int
	rt                *config.Runtime
	forced, pr        bool
	facts             config.Facts
	payloadRead       bool
	payload           *payload.Doc
	readErr, parseErr error
}

// payloadNote says how reading the payload went; empty when not asked.
func (b *build) payloadNote(f *Inputs) string {
	if !b.payloadRead {
		return ""
	}
	variable := b.rt.EventFile
	path, _ := f.lookup(variable)
	switch {
	case variable == "":
		return "the runtime names no event payload file"
	case path == "":
		return variable + " is unset"
	case f.ReadPayload == nil:
		return "not read: no payload reader"
	case b.readErr != nil:
		return "the file " + variable + " names was not read: " + b.readErr.Error()
	case b.parseErr != nil:
		return "the file " + variable + " names is " + b.parseErr.Error()
	}
	return "read from the file " + variable + " names"
}

// loadPayload returns the event payload, the file the runtime's event_file
// variable names, reading it on the first call; nil when there is none.
func (b *build) loadPayload(f *Inputs) *payload.Doc {
	if b.payloadRead {
		return b.payload
	}
	b.payloadRead = true
	path, _ := f.lookup(b.rt.EventFile)
	if b.rt.EventFile == "" || path == "" || f.ReadPayload == nil {
		return nil
	}
	data, err := f.ReadPayload(path)
	if b.readErr = err; err == nil {
		b.payload, b.parseErr = payload.Parse(data)
	}
	return b.payload
}

// factOrder is the order facts are read in: first the two that can make
// the build a pull request, on which other sources may depend, then the tag,
// which a vendor's branch variable holds on a tag build (TRAVIS_BRANCH).
var factOrder = [config.NumFacts]config.Fact{config.FactPRNumber, config.FactEvent, config.FactTag, config.FactBranch,
	config.FactBaseBranch, config.FactCommit, config.FactBuild, config.FactBuildURL, config.FactRepo, config.FactFork}

// readFacts reads each fact from the first of its sources that gives one.
// A build is a pull request when its vendor's signal says so, a
// pull-request number is known or the event is a pull request; a push whose
// tag is known is a tag.
func (b *build) readFacts(f *Inputs, sources *[config.NumFacts][]config.FactSource) {
	in := Input{Lookup: f.Lookup, Payload: func() *payload.Doc { return b.loadPayload(f) }, PR: b.pr}
	for _, fact := range factOrder {
		if fact == config.FactTag && !b.pr && (b.facts[config.FactPRNumber] != "" || b.facts[config.FactEvent] == config.EventPullRequest) {
			b.pr, in.PR = true, true
		}
		srcs := sources[fact]
		for i := range srcs {
			if v := b.accept(fact, Read(&srcs[i], &in)); v != "" {
				b.facts[fact] = v
				break
			}
		}
	}
	if b.facts[config.FactEvent] == config.EventPush && b.facts[config.FactTag] != "" {
		b.facts[config.FactEvent] = config.EventTag
	}
}

// accept returns the fact v, read from a source of fact, gives, or "": a
// branch that is the tag, or a tag's ref (refs/tags/v1.0), names no branch,
// a fork that is neither "true" nor "false", or of a build that is no pull
// request, is unknown (never false), an event none of config's is other.
func (b *build) accept(fact config.Fact, v string) string {
	switch {
	case (fact == config.FactBranch || fact == config.FactBaseBranch) && (v == b.facts[config.FactTag] || strings.HasPrefix(v, "refs/tags/")),
		fact == config.FactFork && (!b.pr || v != "true" && v != "false"):
		return ""
	case fact == config.FactEvent && v != "" && !config.IsEvent(v):
		return config.EventOther
	}
	return v
}

// firstHeld returns the index of the first condition that holds, or -1.
// A runtime forced by the runtime variable satisfies only a table of an
// allow that says it may (forced = true).
func (b *build) firstHeld(f *Inputs, conds []config.Condition, allow bool) int {
	for i := range conds {
		if (!allow || !b.forced || conds[i].Forced) && b.meets(f, &conds[i]) {
			return i
		}
	}
	return -1
}

// detect returns the index of the runtime, and whether the runtime variable
// forced it: the one that variable names, else the first whose signals
// hold. A configuration whose runtime variable is "" is never forced.
func (r *Resolver) detect(f *Inputs, h *Hooks) (i int, forced bool, err error) {
	name, sig := "", config.Signal(nil)
	if r.cfg.RuntimeVariable != "" {
		name, _ = f.lookup(r.cfg.RuntimeVariable)
	}
	if forced = name != ""; forced {
		if i = slices.Index(r.runtimes, name); i < 0 {
			return 0, false, hiding(&Fault{Kind: ErrUnknownRuntime, Variable: r.cfg.RuntimeVariable, Value: name,
				Reason: "is not a known runtime", Allowed: slices.Clone(r.runtimes)}, func() string { return text.Closest(name, r.runtimes) })
		}
	} else if i, sig = r.signalled(f); i < 0 {
		// Only a hand-built configuration: config's last runtime has no
		// when, and so always matches.
		return 0, false, &Fault{Kind: ErrNothingSet, Runtime: "(none matched)", Allowed: r.allowed}
	}
	if h.Runtime != nil {
		h.Runtime(i, forced, sig)
	}
	return i, forced, nil
}

// signalled returns the index of the first runtime whose signals hold (or
// that has none), and the signal that held; -1 when none does.
func (r *Resolver) signalled(f *Inputs) (int, config.Signal) {
	for i := range r.cfg.Runtimes {
		when := r.cfg.Runtimes[i].When
		if len(when) == 0 {
			return i, nil
		}
		if j := slices.IndexFunc(when, func(sig config.Signal) bool { return holds(f, sig) }); j >= 0 {
			return i, when[j]
		}
	}
	return -1, nil
}

// Lookup checks an environment id as if variable had supplied it, and
// returns the index of its environment in the Config's Envs, and its
// instance. variable only words the error.
func (r *Resolver) Lookup(variable, value string) (env int, instance string, err error) {
	if env, instance, err = r.cfg.FindID(r.envs, value); err == nil {
		return env, instance, nil
	}
	return 0, "", hiding(&Fault{Kind: errors.Unwrap(err), Variable: variable, Value: value, Reason: err.Error(), Allowed: r.allowed}, func() string {
		norm := text.Normalize(value)
		for _, try := range []string{norm, strings.ReplaceAll(norm, "_", "-")} { // sbx_101: sbx-101
			if _, _, err := r.cfg.FindID(r.envs, try); err == nil && try != value {
				return try
			}
		}
		name, _, _ := strings.Cut(strings.TrimLeft(norm, "-_"), "-") // -tst: tst
		return text.Closest(name, r.names)
	})
}

// hiding is the one place a value error hides a secret: the value of a
// variable named like one is neither kept nor printed, and nothing close to
// it is suggested; any other gets the suggestion suggest makes.
func hiding(e *Fault, suggest func() string) error {
	if text.IsSecretName(e.Variable) {
		e.Value, e.Hidden = "", true
	} else {
		e.Suggestion = suggest()
	}
	return e
}
